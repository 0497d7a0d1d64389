"""Findings about where the article came from and who carried it.

Each rule reads ``results["provenance"]`` and ``results["outlets"]`` and yields nothing when
those layers did not run. Severity follows what a reader should weigh: a low-rated
publisher or original is ``high``; a chain through low-rated republishers, a translation
with no original title and conflicting statements are ``medium``; sections a republisher
added are ``medium`` (they read as the original's text but are not); imputed-only ratings
and missing ratings data are ``info``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from newstrace.analyze.provenance_patterns import is_generic_source
from newstrace.data import Article, Finding, Span
from newstrace.datasets.domains import host_of, registered_domain
from newstrace.resources.outlets import outlet_table


def _outlets(article: Article) -> list[dict[str, Any]]:
    return [o for o in article.results.get("outlets") or [] if isinstance(o, dict)]


def _provenance(article: Article) -> dict[str, Any]:
    value = article.results.get("provenance")
    return value if isinstance(value, dict) else {}


def _rating_summary(outlet: dict[str, Any]) -> str:
    ratings = outlet.get("ratings") or []
    low = [r for r in ratings if r.get("verdict") == "low" and not r.get("imputed")]
    sources = sorted({str(r.get("source")) for r in low})
    if outlet.get("band_basis") == "user":
        return "rated by the user's ratings file"
    if not sources:
        return f"rated {outlet.get('band')} ({len(ratings)} rating(s))"
    shown = "; ".join(sources[:4]) + (" …" if len(sources) > 4 else "")
    return f"rated low by {len(low)} of {len(ratings)} ratings ({shown})"


def _label(outlet: dict[str, Any]) -> str:
    name, domain = outlet.get("name"), outlet.get("domain")
    return f"{name} ({domain})" if domain and domain != name else str(name or domain)


def _evidence(outlet: dict[str, Any], limit: int = 3) -> list[Span]:
    return [m for m in outlet.get("mentions") or [] if isinstance(m, Span)][:limit]


def _rating_attrs(outlet: dict[str, Any]) -> dict[str, Any]:
    return {
        "outlet": outlet.get("name"),
        "domain": outlet.get("domain"),
        "band": outlet.get("band"),
        "rating_sources": sorted({str(r.get("source")) for r in outlet.get("ratings") or []}),
    }


def low_reliability_publisher(article: Article) -> Iterator[Finding]:
    for outlet in _outlets(article):
        if outlet.get("band") != "low":
            continue
        roles = set(outlet.get("roles") or [])
        for role, what in (("publisher", "publisher of this copy"), ("original", "original")):
            if role in roles:
                yield Finding(
                    f"low_reliability_{role}",
                    "high",
                    f"The {what}, {_label(outlet)}, is {_rating_summary(outlet)}.",
                    _evidence(outlet),
                    _rating_attrs(outlet),
                )


def chain_through_low_reliability(article: Article) -> Iterator[Finding]:
    low = [
        o
        for o in _outlets(article)
        if o.get("band") == "low" and "republisher" in (o.get("roles") or [])
    ]
    if not low:
        return
    names = ", ".join(_label(o) for o in low)
    chain = _provenance(article).get("declared") or []
    evidence = [
        link["evidence"]
        for link in chain
        if isinstance(link.get("evidence"), Span)
        and any(link.get("domain") and link.get("domain") == o.get("domain") for o in low)
    ]
    yield Finding(
        "chain_through_low_reliability",
        "medium",
        f"The text reached this copy through outlets rated low: {names}. Each copy may "
        "have changed it.",
        evidence or [s for o in low for s in _evidence(o, 1)],
        {"outlets": [o.get("name") for o in low]},
    )


def translation_without_original_title(article: Article) -> Iterator[Finding]:
    provenance = _provenance(article)
    if provenance.get("original_title"):
        return
    for link in provenance.get("declared") or []:
        # A translation made for the copy in hand is this copy's link, still a translation.
        if link.get("role") != "translation" and "translation" not in (
            link.get("statements") or []
        ):
            continue
        ev = link.get("evidence")
        who = link.get("outlet") or (link.get("person") or {}).get("name") or "a translator"
        yield Finding(
            "translation_without_original_title",
            "medium",
            f"The page declares a translation ({who}) but does not give the original's "
            "title or link, so the translation cannot be checked against it; the headline "
            "may be the translator's.",
            [ev] if isinstance(ev, Span) else [],
            {"translator": (link.get("person") or {}).get("name"), "outlet": link.get("outlet")},
        )


def republisher_added_sections(article: Article) -> Iterator[Finding]:
    provenance = _provenance(article)
    republished = any(
        link.get("role") in ("translation", "republication", "original")
        for link in provenance.get("declared") or []
    )
    for section in provenance.get("added_sections") or []:
        span = section.get("span")
        if not isinstance(span, Span):
            continue
        kind = str(section.get("kind", "editor_note")).replace("_note", "")
        context = (
            " This copy is a republication, so the note is not part of the original article."
            if republished
            else ""
        )
        yield Finding(
            "republisher_added_section",
            "medium" if republished else "low",
            f"A {kind}'s note was added to the text.{context}",
            [span],
            {"note_kind": kind},
        )


def publisher_name_mismatch(article: Article) -> Iterator[Finding]:
    """The page calls itself after a known outlet but is served from another domain: an
    alias the outlet table does not list, a syndication partner — or an impersonation.
    newstrace rates the domain the page is on, never the name it claims."""
    meta = article.meta
    host = meta.domain or (host_of(meta.url) if meta.url else None)
    if not (meta.publisher and host):
        return
    table = outlet_table()
    claimed = table.by_name(meta.publisher)
    if claimed is None or not claimed.domain:
        return
    site = registered_domain(host) or host
    if table.by_domain(host) is claimed or site == claimed.domain:
        return
    # Metadata has no place in the text; the headline (what is being passed off) stands
    # in when the name was not read from a text line.
    span = meta.evidence.get("publisher") or (
        Span(article.headline.start, article.headline.end) if article.headline else None
    )
    if span is None and article.blocks:
        span = Span(article.blocks[0].start, article.blocks[0].end)
    if span is None:
        return
    yield Finding(
        "publisher_name_mismatch",
        "medium",
        f"The page names itself “{meta.publisher}”, an outlet whose domain is "
        f"{claimed.domain}, but it is served from {host}: check that this really is that "
        "outlet's site. Ratings here are those of the domain the page is on.",
        [span],
        {"claimed": claimed.name, "claimed_domain": claimed.domain, "domain": host},
    )


def unnamed_declared_source(article: Article) -> Iterator[Finding]:
    """"Source: News agencies": the page says where its text came from without naming it,
    so the original cannot be found or rated."""
    for link in _provenance(article).get("declared") or []:
        name, evidence = link.get("outlet"), link.get("evidence")
        if link.get("domain") or not name or not isinstance(evidence, Span):
            continue
        if not is_generic_source(str(name)):
            continue
        yield Finding(
            "unnamed_declared_source",
            "medium",
            f"The page credits its text to “{name}” without naming them: the original "
            "cannot be traced or rated.",
            [evidence],
            {"described_as": name},
        )


def conflicting_provenance(article: Article) -> Iterator[Finding]:
    for conflict in _provenance(article).get("conflicts") or []:
        evidence = [s for s in conflict.get("evidence") or [] if isinstance(s, Span)]
        yield Finding(
            "conflicting_provenance",
            "medium",
            f"The page's provenance statements disagree: {conflict.get('message')}.",
            evidence,
            {"conflict": conflict.get("kind")},
        )


def weak_or_missing_ratings(article: Article) -> Iterator[Finding]:
    note = article.results.get("outlets_note")
    if note:
        # The outlets the reader cannot judge are the evidence; with none named, the note
        # in the report's ``outlets_note`` says it all.
        named = [m for outlet in _outlets(article) for m in _evidence(outlet, 1)]
        if named:
            yield Finding("ratings_unavailable", "info", str(note), named, {})
        return
    for outlet in _outlets(article):
        if outlet.get("band_basis") == "imputed":
            yield Finding(
                "imputed_rating_only",
                "info",
                f"{_label(outlet)} is rated only by model estimates (imputed), not by any "
                f"rater: band {outlet.get('band')} is weak evidence.",
                _evidence(outlet, 1),
                _rating_attrs(outlet),
            )


RULES: tuple[Callable[[Article], Iterable[Finding]], ...] = (
    low_reliability_publisher,
    chain_through_low_reliability,
    translation_without_original_title,
    republisher_added_sections,
    publisher_name_mismatch,
    unnamed_declared_source,
    conflicting_provenance,
    weak_or_missing_ratings,
)
