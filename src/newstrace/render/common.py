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
    """Attributions grouped by resolved speaker, in order of first appearance."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for attribution in report.get("attributions", []):
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
