"""Helpers shared by the renderers: grouping and summarising report sections."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

ROLE_LABELS = {
    "headline": "Headline",
    "dek": "Standfirst",
    "byline": "Byline",
    "dateline": "Dateline",
    "navigation": "Navigation",
    "body": "Body",
    "caption": "Caption",
    "credit": "Credit",
    "editor_note": "Added note",
    "provenance_note": "Provenance note",
    "boilerplate": "Boilerplate",
}


def shorten(text: str | None, width: int = 160) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def span_text(value: Any) -> str | None:
    """The text of a span object, or None."""
    if isinstance(value, dict):
        return value.get("text")
    return None


def attributions_by_speaker(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Statements grouped by resolved speaker, in order of first appearance. Stances
    (a position the writer ascribes, no statement: docs/report-schema.md) are not shown
    as anyone's words."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for attribution in report.get("attributions", []):
        if attribution.get("stance"):
            continue
        speaker = (
            attribution.get("speaker")
            or span_text(attribution.get("source"))
            or f"({attribution.get('speaker_kind') or 'unknown'} source)"
        )
        groups[speaker].append(attribution)
    return list(groups.items())


def role_counts(report: dict[str, Any]) -> Counter[str]:
    return Counter(block["role"] for block in report.get("blocks", []))


def claims_with_status(report: dict[str, Any], *statuses: str) -> list[dict[str, Any]]:
    wanted = set(statuses)
    return [c for c in report.get("claims", []) if c.get("status") in wanted]


def person_text(person: Any) -> str:
    """A provenance link's person: ``{"name", "role"}`` or a plain name."""
    if isinstance(person, dict):
        name = person.get("name") or ""
        return f"{name} ({person['role']})" if person.get("role") and name else name
    return person or ""


#: Offsets are for drawing on the text, not for reading: the generic tables leave them out.
_OFFSETS = frozenset({"start", "end"})


def cell_text(value: Any) -> str:
    """A report value as one table cell: a span as its words, a list item by item."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if isinstance(value.get("text"), str):
            return value["text"]
        return "; ".join(f"{k}: {cell_text(v)}" for k, v in value.items() if k not in _OFFSETS)
    if isinstance(value, list | tuple):
        return ", ".join(cell_text(v) for v in value)
    return str(value)


def section_rows(value: Any) -> tuple[list[str], list[list[str]]] | None:
    """A section with no renderer of its own as (column names, rows of cell text): a list
    of objects one row each, an object one row per field; None when there is nothing to
    show (empty, or a value of another shape)."""
    if isinstance(value, dict):
        fields = [(k, v) for k, v in value.items() if k not in _OFFSETS]
        return (["field", "value"], [[k, cell_text(v)] for k, v in fields]) if fields else None
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        return None
    columns = list(dict.fromkeys(k for item in value for k in item if k not in _OFFSETS))
    return columns, [[cell_text(item.get(c)) for c in columns] for item in value]
