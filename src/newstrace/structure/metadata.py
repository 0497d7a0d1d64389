"""Fill the article's metadata from its own text, with the span each value came from.

Page metadata (from HTML) is kept; what is missing is read from the blocks: the title
from the headline, authors from the byline, publisher and date from the dateline of this
copy, the publisher's domain from the page URL or from a domain in the page's own text
whose letters spell the publisher's name, the language from common function words.
"""

from __future__ import annotations

import re
from functools import lru_cache

import newstrace.structure.furniture as F
from newstrace.data import Article, Block, Meta, Span
from newstrace.textpatterns import HOST_IN_TEXT, HOST_NAME

#: Very common function words per language: enough to tell the languages newstrace
#: meets most apart on a few paragraphs.
_STOPWORD_TEXT: dict[str, str] = {
    "en": "the of and to in is that for it was on with as by at from this be are",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine",
    "fr": "le la les de des et en un une du est que dans pour qui pas sur au avec",
    "es": "el la los las de y en que un una por con para es del se al lo como",
    "it": "il di che la e in un una per non sono del della con si le gli da",
    "pt": "o a os as de e que em um uma para com não do da no na por se",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er die",
    "ru": "и в не на что с по как это из за от он для то к",
}
_STOPWORDS = {lang: frozenset(text.split()) for lang, text in _STOPWORD_TEXT.items()}


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # The bundled public-suffix snapshot only: nothing is fetched at run time.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url_or_host: str) -> str | None:
    parts = _extractor()(url_or_host)
    if hasattr(parts, "top_domain_under_public_suffix"):  # tldextract >= 5.3
        domain = parts.top_domain_under_public_suffix
    else:  # pragma: no cover - older tldextract
        domain = parts.registered_domain
    return domain.lower() or None


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def detect_language(text: str) -> str | None:
    tokens = re.findall(r"\w+", text[:20000].lower())
    if len(tokens) < 20:
        return None
    scores = {lang: sum(t in words for t in tokens) for lang, words in _STOPWORDS.items()}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    return lang if best >= 0.08 * len(tokens) else None


def _this_copy(article: Article, datelines: list[Block]) -> Block | None:
    """The dateline of the copy in hand: the first whose outlet the page does not name as
    an earlier source ("originally appeared at X", "the original source … is X")."""
    named_sources = " ".join(
        b.text_of(article.text).lower() for b in article.blocks_with("provenance_note")
    )
    with_outlet = [b for b in datelines if b.attrs.get("outlet")]
    for block in with_outlet:
        if str(block.attrs["outlet"]).lower() not in named_sources:
            return block
    return (with_outlet or datelines or [None])[0]


def fill_meta(article: Article) -> None:
    meta: Meta = article.meta
    text = article.text
    headline = article.headline
    if headline is not None:
        if meta.title is None:
            meta.title = headline.text_of(text)
        meta.evidence["title"] = headline.span
    byline = next(article.blocks_with("byline"), None)
    if byline is not None:
        found = F.byline_names(byline.text_of(text)) or []
        names = [n for *_, n in found] or list(byline.attrs.get("names", []))
        if not meta.authors:
            meta.authors = names
        meta.evidence["authors"] = Span(byline.start, byline.end, "byline")
    _dateline_meta(article)
    _domain(article)
    if meta.language is None:
        meta.language = detect_language(article.body_text() or text)


def _dateline_meta(article: Article) -> None:
    meta = article.meta
    text = article.text
    datelines = list(article.blocks_with("dateline"))
    chosen = _this_copy(article, datelines)
    if chosen is None:
        return
    parts = F.dateline_parts(chosen.text_of(text)) or []
    this_date = chosen.attrs.get("date")
    for block in datelines:
        block.attrs["this_copy"] = block is chosen
        date = block.attrs.get("date")
        if block is not chosen and date and this_date and date < this_date:
            block.attrs["earlier_copy"] = True
    if not parts:
        return
    part = parts[0]
    if meta.published is None or meta.published == part.date:
        meta.published = part.date
        meta.evidence["published"] = Span(
            chosen.start + part.date_start, chosen.start + part.date_end, "date"
        )
    same = meta.publisher is None or _letters(meta.publisher) == _letters(part.outlet or "")
    if part.outlet and same:
        meta.publisher = meta.publisher or part.outlet
        meta.evidence["publisher"] = Span(
            chosen.start + part.outlet_start, chosen.start + part.outlet_end, "publisher"
        )


def _domain(article: Article) -> None:
    meta = article.meta
    if meta.url:
        meta.domain = registered_domain(meta.url) or meta.domain
        return
    if meta.domain:
        meta.domain = registered_domain(meta.domain) or meta.domain
        return
    if not meta.publisher:
        return
    if HOST_NAME.fullmatch(meta.publisher.strip()):
        meta.domain = registered_domain(meta.publisher.strip())
        if "publisher" in meta.evidence:
            meta.evidence["domain"] = meta.evidence["publisher"]
        return
    # A domain in the page's own text that spells the publisher's name ("Harbour Times"
    # → harbourtimes.com in a contact line): the page names its own site.
    wanted = _letters(meta.publisher)
    for match in HOST_IN_TEXT.finditer(article.text):
        domain = registered_domain(match.group(1))
        if domain and _letters(domain.split(".")[0]) == wanted:
            meta.domain = domain
            meta.evidence["domain"] = Span(match.start(1), match.end(1), "domain")
            return
    for link in article.layer("links"):
        domain = registered_domain(str(link.attrs.get("url", "")))
        if domain and _letters(domain.split(".")[0]) == wanted:
            meta.domain = domain
            meta.evidence["domain"] = Span(link.start, link.end, "domain")
            return
