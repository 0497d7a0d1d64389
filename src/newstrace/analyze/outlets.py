"""The outlets involved in an article, their roles and what the public ratings say.

Outlets come from the declared provenance chain (publisher, republishers, original), the
page's metadata, and the outlets the text cites: names from the shipped outlet table, media
named by attributions or entities (when those layers ran), links and written domains. A
name the table cannot resolve stays a name with no domain; an outlet in no rating list is
``unrated``; nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newstrace.analyze.analyzer import BaseAnnotator
from newstrace.analyze.provenance_patterns import is_generic_source
from newstrace.config import Settings
from newstrace.data import Article, Span
from newstrace.datasets.domains import host_of
from newstrace.datasets.index import RatingIndex, get_index
from newstrace.resources.outlets import Outlet, name_key, outlet_table
from newstrace.textpatterns import DOMAIN_IN_TEXT

ROLE_ORDER = ("publisher", "republisher", "original", "cited")
_CHAIN_ROLES = {
    "this_copy": "publisher",
    "republication": "republisher",
    "translation": "republisher",
    "original": "original",
}
#: Where a mention of an outlet makes it "cited": the article's own text and its notes.
_CITING_ROLES = frozenset({"headline", "dek", "body", "caption", "credit", "editor_note", None})
#: Platforms, not news outlets: a link to a post there cites the post's author, whom the
#: domain does not identify (the lists' entries for these hosts rate scraped pages).
PLATFORMS = frozenset(
    [
        "twitter.com",
        "x.com",
        "t.co",
        "facebook.com",
        "fb.com",
        "instagram.com",
        "youtube.com",
        "youtu.be",
        "tiktok.com",
        "linkedin.com",
        "reddit.com",
        "pinterest.com",
        "tumblr.com",
        "medium.com",
        "wordpress.com",
        "blogspot.com",
        "substack.com",
        "telegram.org",
        "t.me",
        "vk.com",
        "whatsapp.com",
        "google.com",
        "goo.gl",
        "bit.ly",
        "archive.org",
        "archive.ph",
        "amazon.com",
        "apple.com",
    ]
)


@dataclass(slots=True)
class Entry:
    name: str
    domain: str | None
    outlet: Outlet | None
    roles: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)
    first: int = 10**9
    _seen: set[tuple[int, int]] = field(default_factory=set)

    def add_role(self, role: str) -> None:
        if role not in self.roles:
            self.roles.append(role)

    def add_mention(self, span: Span) -> None:
        if span.end > span.start and (span.start, span.end) not in self._seen:
            self._seen.add((span.start, span.end))
            self.mentions.append(span)
            self.first = min(self.first, span.start)


class Collector:
    """Merges every sighting of an outlet under one key: its domain, else its name."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.table = outlet_table()

    def add(
        self, name: str | None, domain: str | None, role: str | None, span: Span | None
    ) -> Entry | None:
        outlet = None
        if domain:
            outlet = self.table.by_domain(domain)
        if outlet is None and name and not domain:
            # With a domain the table does not know, a name is only a label: a site that
            # calls itself after a known outlet must not get that outlet's record.
            outlet = self.table.by_name(name)
        if outlet is not None:
            domain = domain or outlet.domain
            if host_of(domain) and self.table.by_domain(domain) is outlet:
                domain = outlet.domain
        if not (name or domain):
            return None
        key = domain or name_key(name or "")
        if not key:
            return None
        entry = self.entries.get(key)
        if entry is None:
            display = outlet.name if outlet else (name or domain or "")
            entry = Entry(display, domain, outlet)
            self.entries[key] = entry
        if role:
            entry.add_role(role)
        if span is not None:
            entry.add_mention(Span(span.start, span.end, "outlet"))
        return entry


def _from_provenance(article: Article, found: Collector) -> None:
    provenance = article.results.get("provenance") or {}
    for link in provenance.get("declared", []):
        name, domain = link.get("outlet"), link.get("domain")
        if domain is None and name and is_generic_source(name):
            continue  # "Source: news agencies" names no outlet to rate
        role = _CHAIN_ROLES.get(link.get("role", ""))
        ev = link.get("evidence")
        entry = found.add(name, domain, role, None)
        if entry is not None and isinstance(ev, Span):
            written = link.get("written_as") or name
            at = article.text.find(written, ev.start, ev.end) if written else -1
            if at >= 0:
                entry.add_mention(Span(at, at + len(written)))
    for st in provenance.get("statements", []):
        span = st.get("outlet_span")
        if isinstance(span, Span) and (st.get("outlet") or st.get("domain")):
            key = st.get("domain") or name_key(st.get("outlet") or "")
            if key in found.entries:
                found.entries[key].add_mention(span)


def _from_meta(article: Article, found: Collector) -> None:
    meta = article.meta
    if meta.publisher or meta.domain or meta.url:
        domain = meta.domain or (host_of(meta.url) if meta.url else None)
        found.add(meta.publisher, domain, "publisher", meta.evidence.get("publisher"))


def _from_text(article: Article, found: Collector, index: RatingIndex) -> None:
    text = article.text
    for start, end, outlet in found.table.find_in(text):
        role = article.role_at(start) if article.blocks else None
        key = outlet.domain
        if role in _CITING_ROLES:
            found.add(outlet.name, outlet.domain, "cited", Span(start, end))
        elif key in found.entries:
            found.entries[key].add_mention(Span(start, end))
    for m in DOMAIN_IN_TEXT.finditer(text):
        host = host_of(m.group())
        if host is None:
            continue
        outlet = found.table.by_domain(host)
        if outlet is None and (_platform(host) or not index.lookup(host).ratings):
            continue  # a domain nobody lists is not known to be a news outlet
        domain = outlet.domain if outlet else host
        role = article.role_at(m.start()) if article.blocks else None
        if domain in found.entries:
            found.entries[domain].add_mention(Span(m.start(), m.end()))
        elif role in _CITING_ROLES:
            found.add(outlet.name if outlet else None, domain, "cited", Span(m.start(), m.end()))


def _platform(host: str) -> bool:
    return any(host == p or host.endswith("." + p) for p in PLATFORMS)


def _from_layers(article: Article, found: Collector, index: RatingIndex) -> None:
    """Media named by other annotators, when they ran (never required)."""
    for span in article.layer("attributions"):
        medium = span.attrs.get("medium")
        if isinstance(medium, str) and medium.strip():
            ms = span.attrs.get("medium_span")
            found.add(medium.strip(), None, "cited", ms if isinstance(ms, Span) else None)
    for entity in article.results.get("entities") or []:
        if not isinstance(entity, dict):
            continue
        if str(entity.get("label", "")).lower() not in {"media", "medium", "outlet"}:
            continue
        name = str(entity.get("name") or "").strip()
        mentions = [m for m in entity.get("mentions", []) if isinstance(m, Span)]
        cited = [
            m
            for m in mentions
            if (article.role_at(m.start) if article.blocks else None) in _CITING_ROLES
        ]
        if not name or not cited:
            continue
        entry = found.add(name, None, "cited", None)
        for m in mentions:
            if entry is not None:
                entry.add_mention(m)
    for span in article.layer("links"):
        url = str(span.attrs.get("url") or "")
        host = host_of(url) if url and not url.startswith(("#", "mailto:")) else None
        if host is None:
            continue
        outlet = found.table.by_domain(host)
        if outlet is None and (_platform(host) or not index.lookup(host).ratings):
            continue
        domain = outlet.domain if outlet else host
        role = article.role_at(span.start) if article.blocks else None
        if domain in found.entries:
            found.entries[domain].add_mention(Span(span.start, span.end))
        elif role in _CITING_ROLES:
            found.add(outlet.name if outlet else None, domain, "cited", span)


def outlet_record(entry: Entry, index: RatingIndex, text: str = "") -> dict[str, Any]:
    summary = index.lookup(entry.domain) if entry.domain else None
    outlet = entry.outlet
    return {
        "name": entry.name,
        "written_as": sorted({" ".join(m.text_of(text).split()) for m in entry.mentions}),
        "domain": entry.domain,
        "roles": sorted(entry.roles, key=ROLE_ORDER.index),
        "language": outlet.language if outlet else None,
        "country": outlet.country if outlet else None,
        "table_source": outlet.source if outlet else None,
        "ratings": [r.to_dict() for r in summary.ratings] if summary else [],
        "band": summary.band if summary else "unrated",
        "band_basis": summary.basis if summary else None,
        "rated_as": summary.matched if summary else None,
        "mentions": sorted(entry.mentions, key=lambda s: s.start),
    }


def collect_outlets(article: Article, index: RatingIndex) -> list[dict[str, Any]]:
    found = Collector()
    _from_provenance(article, found)
    _from_meta(article, found)
    _from_layers(article, found, index)
    _from_text(article, found, index)
    entries = [e for e in found.entries.values() if e.roles]
    entries.sort(key=lambda e: (min(ROLE_ORDER.index(r) for r in e.roles), e.first))
    # A chain role outranks "cited": the publisher is not also cited by itself.
    for entry in entries:
        if len(entry.roles) > 1 and "cited" in entry.roles:
            entry.roles.remove("cited")
    return [outlet_record(e, index, article.text) for e in entries]


class OutletsAnnotator(BaseAnnotator):
    name = "outlets"
    requires = ("results.provenance",)
    assigns = ("results.outlets",)

    def __init__(self, settings: Settings):
        self.settings = settings

    def __call__(self, article: Article) -> Article:
        index = get_index(self.settings)  # built on first use, cached per process
        article.results["outlets"] = collect_outlets(article, index)
        note = index.note()
        if note:
            article.results["outlets_note"] = note
        return article


def build(settings: Settings) -> OutletsAnnotator:
    return OutletsAnnotator(settings)
