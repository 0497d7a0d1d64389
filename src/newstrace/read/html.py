"""HTML → pieces and page metadata, with trafilatura.

trafilatura finds the main content and the page's metadata; its XML output keeps what the
structure layer needs: paragraph boundaries, headings with their level, list items,
quotes, italic/bold runs, links and images. This module walks that XML into pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from newstrace.data import Meta
from newstrace.read.pieces import Piece, PieceBuilder, clean_inline

_BLOCK_TAGS = frozenset({"p", "head", "item", "code", "quote"})
# The tag's attributes stop at a "<" as well as at ">": each "<html" then scans only up to
# the next tag, not to the end of a page full of "<html" with no ">" (quadratic).
_LANG = re.compile(r"<html\b[^<>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)


@dataclass(slots=True)
class HtmlResult:
    pieces: list[Piece]
    meta: Meta
    description: str | None = None


def _extract_xml(html: str, **options: Any) -> str | None:
    try:
        return trafilatura.extract(
            html,
            output_format="xml",
            include_formatting=True,
            include_images=True,
            include_tables=True,
            include_links=True,
            include_comments=False,
            with_metadata=True,
            **options,
        )
    except etree.LxmlError:
        # trafilatura re-parses its own XML output, and that fails on some broken pages
        # (an attribute it serialised but cannot read back: tests/fuzz). None sends the
        # page to the recall pass and then to the plain-text fallback, as for an empty
        # extraction, instead of an internal error.
        return None


#: Classes of the blockquotes that social networks' embed code writes.
_EMBED_CLASSES = ("twitter-tweet", "instagram-media", "tiktok-embed", "bluesky-embed")
_EMBED_XPATH = "//blockquote[" + " or ".join(
    f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')" for c in _EMBED_CLASSES
) + "]"


def _expose_post_signatures(html: str) -> str:
    """An embedded post signs itself after its text ("— Rep. Jane Roe (@roe) May 1, 2019"),
    outside any paragraph, and the extractor drops such loose text. Put the signature in a
    paragraph of its own so the reader sees who posted the words above it."""
    if not any(c in html for c in _EMBED_CLASSES):
        return html
    try:
        tree = lxml.html.fromstring(html)
    except (etree.LxmlError, ValueError):
        return html
    changed = False
    for quote in tree.xpath(_EMBED_XPATH):
        paragraphs = quote.findall(".//p")
        if not paragraphs:
            continue
        last = paragraphs[-1]
        loose = [(last.tail or "")] + [
            "".join(el.itertext()) + (el.tail or "") for el in last.itersiblings()
        ]
        signature = " ".join("".join(loose).split())
        if not signature.startswith(("—", "–", "-")):
            continue
        for el in list(last.itersiblings()):
            quote.remove(el)
        last.tail = None
        added = lxml.html.Element("p")
        added.text = signature
        quote.append(added)
        changed = True
    return lxml.html.tostring(tree, encoding="unicode") if changed else html


def read_html(html: str, url: str | None = None) -> HtmlResult:
    html = _expose_post_signatures(html)
    xml = _extract_xml(html, url=url)
    if xml is None:
        # Short or unusual pages: trafilatura's recall mode keeps more of the page.
        xml = _extract_xml(html, url=url, favor_recall=True)
    pieces: list[Piece] = []
    attrs: dict[str, str] = {}
    if xml is not None:
        root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True))
        if root is not None:
            attrs = dict(root.attrib)
            main = root.find("main")
            walker = _Walker()
            walker.walk_children(main if main is not None else root)
            pieces = walker.pieces
    if not pieces:
        pieces = _fallback_pieces(html)
    meta = _meta(attrs, html, url)
    _ensure_headline(pieces, meta.title)
    return HtmlResult(pieces=pieces, meta=meta, description=attrs.get("description") or None)


#: Elements whose start and end break the text into lines in the deep-page fallback.
_LINE_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "td", "tr",
    "section", "article", "blockquote", "pre", "header", "footer", "main", "figure",
    "figcaption", "table", "dd", "dt", "hr",
})
_INVISIBLE_TAGS = ("head", "script", "style", "noscript", "template")


def _deep_page_text(html: str) -> str:
    """The visible text of a page nested deeper than libxml2's default limit (256 levels),
    where trafilatura's parse stops at the limit and sees nothing below it. lxml's
    ``huge_tree`` parser lifts the limit; the walk is iterative, so depth costs nothing."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html, parser=lxml_html.HTMLParser(huge_tree=True))
    except (etree.LxmlError, ValueError):
        return ""
    parts: list[str] = []
    skip = 0  # inside an invisible element
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _INVISIBLE_TAGS:
                skip += 1
            if not skip:
                if tag in _LINE_TAGS:
                    parts.append("\n")
                parts.append(el.text or "")
        else:
            if tag in _INVISIBLE_TAGS:
                skip -= 1
            if not skip:
                if tag in _LINE_TAGS:
                    parts.append("\n")
                parts.append(el.tail or "")
    return "".join(parts)


def _fallback_pieces(html: str) -> list[Piece]:
    """All visible text of the page, one piece per line: better than nothing."""
    text = trafilatura.html2txt(html) or ""
    if not text.strip():
        text = _deep_page_text(html)
    out = []
    for line in text.split("\n"):
        line = clean_inline(line).strip()
        if line:
            out.append(Piece(line))
    return out


# From the start of a run of spaces only ((?<!\s)): a bare \s+ is retried from each of them.
_TITLE_SUFFIX = re.compile(r"(?<!\s)\s++[|–—-]\s+([^|–—-]{2,60})$")


def _strip_site(title: str, sitename: str, hostname: str) -> str:
    """Drop a " | Site" / " - Site" suffix naming the site itself from a page title."""
    match = _TITLE_SUFFIX.search(title)
    if not match:
        return title
    suffix = re.sub(r"[^a-z0-9]", "", match.group(1).lower())
    names = {re.sub(r"[^a-z0-9]", "", n.lower()) for n in (sitename, hostname) if n}
    names |= {n.split(".")[0] for n in (hostname.lower().removeprefix("www."),) if n}
    return title[: match.start()].rstrip() if suffix and suffix in names else title


#: A byline part that is a job, not a person ("AP National Security Writer", "Staff").
JOB_TITLE = re.compile(
    r"(?i)(?:\A|\b)(?:staff|writers?|correspondents?|reporters?|editors?|columnists?|"
    r"contributors?|producers?|photographers?|analysts?|bureau\s+chief)\Z"
)


def _meta(attrs: dict[str, str], html: str, url: str | None) -> Meta:
    authors = [
        a.strip() for a in (attrs.get("author") or "").split(";")
        if a.strip() and not JOB_TITLE.search(a.strip())
    ]
    lang = _LANG.search(html[:5000])
    date = attrs.get("date") or None
    title = _strip_site(
        (attrs.get("title") or "").strip(), attrs.get("sitename") or "", attrs.get("hostname") or ""
    )
    return Meta(
        title=title or None,
        authors=authors,
        published=date[:10] if date else None,
        publisher=(attrs.get("sitename") or "").strip() or None,
        domain=(attrs.get("hostname") or "").strip().lower() or None,
        url=url or (attrs.get("url") or "").strip() or None,
        language=lang.group(1).lower() if lang else None,
    )


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _ensure_headline(pieces: list[Piece], title: str | None) -> None:
    """Make the page title the first piece (a level-1 heading) unless the content has it."""
    if not title:
        return
    wanted = _norm(title)
    for piece in pieces[:3]:
        got = _norm(piece.text)
        # The content's own heading may carry or drop a suffix the title has.
        similar = wanted.startswith(got) or got.startswith(wanted)
        if piece.kind == "heading" and similar and min(len(got), len(wanted)) >= 0.6 * max(
            len(got), len(wanted)
        ):
            piece.attrs["heading_level"] = 1
            if piece is not pieces[0]:
                pieces.remove(piece)
                pieces.insert(0, piece)
            return
    pieces.insert(0, Piece(title, kind="heading", attrs={"heading_level": 1, "from": "metadata"}))


def _level(rend: str | None) -> int:
    match = re.fullmatch(r"h([1-6])", rend or "")
    return int(match.group(1)) if match else 2


class _Walker:
    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.pending_images: list[str] = []

    def _emit(self, piece: Piece | None) -> None:
        if piece is None:
            return
        if self.pending_images:
            piece.attrs.setdefault("images_before", []).extend(self.pending_images)
            self.pending_images = []
        self.pieces.append(piece)

    def walk_children(self, element: etree._Element) -> None:
        for child in element:
            self.walk(child, container=None)

    def walk(self, el: etree._Element, container: str | None) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "list":
            for child in el:
                self.walk(child, container="item")
            return
        if tag == "table":
            for row in el.iter("row"):
                cells = [clean_inline(" ".join(c.itertext())).replace("\n", " ") for c in row]
                cells = [c.strip() for c in cells if c.strip()]
                if cells:
                    self._emit(Piece(" | ".join(cells), kind="table"))
            return
        if tag == "graphic":
            src = el.get("src") or ""
            if src:
                self.pending_images.append(src)
            return
        if tag == "quote" and any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el):
            for child in el:
                self.walk(child, container="quote")
            return
        if tag == "item" and any(isinstance(c.tag, str) and c.tag == "list" for c in el):
            # A list item holding a nested list: its own text, then the nested items.
            builder = PieceBuilder()
            self._inline_text(builder, el.text)
            self._emit(builder.build("item"))
            for child in el:
                if child.tag == "list":
                    self.walk(child, container="item")
            return
        kind = {"head": "heading", "item": "item", "code": "code", "quote": "quote"}.get(
            tag, container or "paragraph"
        )
        if container == "quote" and tag == "p":
            kind = "quote"
        attrs: dict[str, Any] = {}
        if tag == "head":
            attrs["heading_level"] = _level(el.get("rend"))
        builder = PieceBuilder()
        images: list[str] = []
        self._inline(builder, el, 0, 0, images, top=True)
        piece = builder.build(kind, **attrs)
        if piece is not None and images:
            piece.attrs["images"] = images
        if piece is None and images:
            self.pending_images.extend(images)
        self._emit(piece)

    @staticmethod
    def _inline_text(
        builder: PieceBuilder, text: str | None, emph: int = 0, strong: int = 0
    ) -> None:
        # Newlines in trafilatura's text nodes are source formatting (<lb/> marks breaks).
        if text:
            builder.add(text, emphasis=emph > 0, strong=strong > 0)

    def _inline(
        self,
        builder: PieceBuilder,
        el: etree._Element,
        emph: int,
        strong: int,
        images: list[str],
        top: bool = False,
    ) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not top:
            if tag == "lb":
                builder.line_break()
                self._inline_text(builder, el.tail, emph, strong)
                return
            if tag == "graphic":
                if el.get("src"):
                    images.append(el.get("src") or "")
                self._inline_text(builder, el.tail, emph, strong)
                return
            if tag == "hi":
                rend = el.get("rend") or ""
                emph += "#i" in rend
                strong += "#b" in rend
            if tag == "ref":
                builder.open_link(el.get("target") or "")
        self._inline_text(builder, el.text, emph, strong)
        for child in el:
            if isinstance(child.tag, str) and child.tag in ("list", "table") and top:
                continue
            self._inline(builder, child, emph, strong, images)
        if not top:
            if tag == "ref":
                builder.close_link()
            if tag == "hi":
                emph -= "#i" in (el.get("rend") or "")
                strong -= "#b" in (el.get("rend") or "")
            self._inline_text(builder, el.tail, emph, strong)

