"""Who copied whom: for one aligned pair, which article is the source.

Evidence, strongest first:

1. declared provenance — ``article.results["provenance"]["declared"]`` (the provenance
   annotator) names the other article's outlet or domain as a source;
2. publication dates — ``meta.published``; the earlier article is the source;
3. containment — the shape of what differs: the copy adds notes or other text around
   the shared passages, or is a cut-down prefix of the source.

The first kind of evidence that decides wins; the result says which one and how sure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from newstrace.data import Article
from newstrace.trace.align import Alignment

_NOTE = re.compile(
    r"\b(editor'?s?|translator'?s?|originally|first (?:published|appeared)|republished|"
    r"reprinted|this (?:article|story)|with permission|update[sd]?|correction|"
    r"appeared|source|courtesy|via)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Direction:
    """``source`` is "a", "b" or None (undecided); ``evidence`` names what decided."""

    source: str | None
    evidence: str  # declared | date | containment | none
    confidence: float
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "evidence": self.evidence,
            "confidence": round(self.confidence, 3),
            "detail": self.detail,
        }


def infer_direction(a: Article, b: Article, alignment: Alignment) -> Direction:
    for rule in (_declared, _dated, _contained):
        found = rule(a, b, alignment)
        if found is not None:
            return found
    return Direction(None, "none", 0.0, "no declared source, dates or containment decide")


# --- declared provenance ----------------------------------------------------------------


def _names(article: Article) -> set[str]:
    names = {article.meta.domain, article.meta.publisher}
    return {_norm(n) for n in names if n}


def _norm(name: str) -> str:
    name = name.casefold().strip()
    return name.removeprefix("www.")


def _declares(article: Article, other: Article) -> str | None:
    """The declared-source entry of ``article`` that names ``other``'s outlet or domain.

    The provenance annotator's ``declared`` list is used when present; without it, the
    article's own provenance notes, editor's notes and credit lines are searched for the
    other outlet's domain or name (what the annotator would find there, at a fraction of
    the cost: the trace must not need the NLP pipeline).
    """
    provenance = article.results.get("provenance")
    targets = _names(other)
    if not targets or _names(article) & targets:  # same outlet: a declaration cannot tell
        return None
    if not isinstance(provenance, dict):
        return _named_in_notes(article, targets)
    for entry in provenance.get("declared") or []:
        if not isinstance(entry, dict) or entry.get("role") in ("self", "publisher"):
            continue
        for key in ("domain", "outlet"):
            value = entry.get(key)
            if value and _norm(str(value)) in targets:
                return str(value)
    return None


_NOTE_ROLES = ("provenance_note", "editor_note", "credit")


def _named_in_notes(article: Article, targets: set[str]) -> str | None:
    notes = [b.text_of(article.text) for b in article.blocks if b.role in _NOTE_ROLES]
    if not article.blocks:  # plain text: the first and last lines carry such notes
        lines = [line for line in article.text.splitlines() if line.strip()]
        notes = [*lines[:2], *lines[-2:]]
    for note in notes:
        if not _NOTE.search(note):
            continue
        folded = note.casefold()
        # Sorted: set order follows the per-process string hash seed, and the name found
        # goes into the output, which must not differ between worker processes.
        for name in sorted(targets):
            if re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", folded):
                return name
    return None


def _declared(a: Article, b: Article, _: Alignment) -> Direction | None:
    a_names_b = _declares(a, b)
    b_names_a = _declares(b, a)
    if a_names_b and not b_names_a:
        return Direction("b", "declared", 0.95, f"a declares {a_names_b} as its source")
    if b_names_a and not a_names_b:
        return Direction("a", "declared", 0.95, f"b declares {b_names_a} as its source")
    return None


# --- dates ------------------------------------------------------------------------------


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
        except ValueError:
            return None
    return parsed.replace(tzinfo=None)


def _dated(a: Article, b: Article, _: Alignment) -> Direction | None:
    da, db = parse_date(a.meta.published), parse_date(b.meta.published)
    if da is None or db is None or da == db:
        return None
    gap = abs((db - da).total_seconds()) / 3600.0
    # Same-day times are easily off by a timezone; days apart are hard to get wrong.
    confidence = 0.9 if gap >= 24 else 0.6 + 0.3 * gap / 24.0
    source = "a" if da < db else "b"
    return Direction(source, "date", confidence, f"published {gap:.1f} h apart")


# --- containment ------------------------------------------------------------------------


def _contained(a: Article, b: Article, al: Alignment) -> Direction | None:
    if not al.shared:
        return None
    extra_a = _extra(a, al.only_a)
    extra_b = _extra(b, al.only_b)
    note_a, note_b = _has_note(a, al.only_a), _has_note(b, al.only_b)
    if note_a != note_b:
        later = "a" if note_a else "b"
        return Direction(
            _other(later), "containment", 0.75, f"{later} adds an editor's or provenance note"
        )
    fa, fb = al.shared_fraction_a, al.shared_fraction_b
    # A truncated copy: one side is (nearly) all shared and is where the other begins.
    if fa >= 0.9 and fb < 0.8 and _is_prefix(al, "a"):
        return Direction("b", "containment", 0.6, "a is a cut-down prefix of b")
    if fb >= 0.9 and fa < 0.8 and _is_prefix(al, "b"):
        return Direction("a", "containment", 0.6, "b is a cut-down prefix of a")
    # Otherwise the side that contains the other plus additions is usually the later one.
    if fa >= 0.9 and extra_b > extra_a:
        return Direction("a", "containment", 0.55, "b contains a plus additions")
    if fb >= 0.9 and extra_a > extra_b:
        return Direction("b", "containment", 0.55, "a contains b plus additions")
    return None


def _other(side: str) -> str:
    return "b" if side == "a" else "a"


def _extra(article: Article, spans: list[tuple[int, int]]) -> int:
    return sum(len(article.text[s:e].split()) for s, e in spans)


def _has_note(article: Article, spans: list[tuple[int, int]]) -> bool:
    if any(b.role in ("editor_note", "provenance_note") for b in article.blocks):
        return True
    return any(
        len(article.text[s:e].split()) <= 80 and _NOTE.search(article.text[s:e]) for s, e in spans
    )


def _is_prefix(al: Alignment, short: str) -> bool:
    """The shared passages sit at the start of the longer side (in its order)."""
    first = min(al.shared, key=lambda p: p.a_start if short == "b" else p.b_start)
    long_only = al.only_a if short == "b" else al.only_b
    long_start = first.a_start if short == "b" else first.b_start
    # Nothing but a headline-sized stretch of the longer side precedes the shared text.
    before = [s for s, _ in long_only if s < long_start]
    return len(before) <= 1
