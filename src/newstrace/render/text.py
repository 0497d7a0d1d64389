"""Terminal report (rich). Works from the report dict, like every other renderer.

Which renderers run, and in which order, is each report section's declaration
(``terminal`` in :mod:`newstrace.sections`); each renderer returns a rich renderable, or
None when its section has nothing to show. A section that names none is shown by
:func:`section_table`.
"""

from __future__ import annotations

import io
import re
from typing import Any

from rich.console import Console, Group
from rich.markup import escape as _escape_markup
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newstrace.render.common import (
    ROLE_LABELS,
    attributions_by_speaker,
    claims_with_status,
    person_text,
    role_counts,
    section_rows,
    shorten,
    span_text,
)
from newstrace.sections import terminal_renderers

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}
BAND_STYLE = {"high": "green", "mixed": "yellow", "low": "red", "unrated": "dim"}

#: C0/C1 control characters other than tab and newline. Article text is data: an ESC
#: sequence in a page must not recolour, move or retitle the reader's terminal (rich
#: strips only a few controls, not ESC), so each one shows as U+FFFD.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(value: str) -> str:
    return _CONTROLS.sub("\ufffd", value)


def escape(value: str) -> str:
    """Article text for a rich cell: controls neutralised, markup escaped."""
    return _escape_markup(_plain(value))


def header_panel(report: dict[str, Any]) -> Panel:
    meta = report.get("meta", {})
    headline = report.get("headline", {})
    title = headline.get("text") or meta.get("title") or "(no headline)"
    lines = [Text(_plain(title), style="bold")]
    if headline.get("is_question"):
        lines.append(Text("question headline", style="yellow"))
    facts = []
    if meta.get("authors"):
        facts.append("by " + ", ".join(meta["authors"]))
    publisher = meta.get("publisher")
    if publisher or meta.get("domain"):
        facts.append(
            f"{publisher or ''}{' (' + meta['domain'] + ')' if meta.get('domain') else ''}".strip()
        )
    if meta.get("published"):
        facts.append(meta["published"])
    if meta.get("language"):
        facts.append(f"language: {meta['language']}")
    if facts:
        lines.append(Text(_plain(" · ".join(facts))))
    if meta.get("url"):
        lines.append(Text(_plain(meta["url"]), style="dim"))
    return Panel(Group(*lines), title="newstrace", title_align="left")


def structure_table(report: dict[str, Any]) -> Table:
    table = Table(title="Structure", title_justify="left", show_lines=False, expand=True)
    table.add_column("role", style="bold", no_wrap=True)
    table.add_column("text")
    counts = role_counts(report)
    for block in report.get("blocks", []):
        role = block["role"]
        if role in ("body", "headline"):
            continue
        table.add_row(ROLE_LABELS.get(role, role), escape(shorten(block["text"], 110)))
    table.add_row(
        "Body", f"{counts.get('body', 0)} paragraphs, {_words(report, 'body')} words", style="dim"
    )
    return table


def _words(report: dict[str, Any], role: str) -> int:
    return sum(len(b["text"].split()) for b in report.get("blocks", []) if b["role"] == role)


def provenance_table(report: dict[str, Any]) -> Table | None:
    declared = report.get("provenance", {}).get("declared", [])
    if not declared:
        return None
    table = Table(title="Declared provenance (oldest first)", title_justify="left", expand=True)
    for column in ("#", "outlet", "role", "person", "date", "evidence"):
        table.add_column(column)
    for link in declared:
        outlet = link.get("outlet") or "?"
        if link.get("domain"):
            outlet += f" ({link['domain']})"
        if link.get("language"):
            outlet += f" [{link['language']}]"
        table.add_row(
            str(link.get("order", "")),
            escape(outlet),
            link.get("role") or "",
            escape(person_text(link.get("person"))),
            link.get("date") or "",
            escape(shorten(span_text(link.get("evidence")), 70)),
        )
    return table


def outlets_table(report: dict[str, Any]) -> Table | None:
    outlets = report.get("outlets", [])
    if not outlets:
        return None
    table = Table(title="Outlets", title_justify="left", expand=True)
    for column in ("outlet", "domain", "roles", "band", "ratings"):
        table.add_column(column)
    for outlet in outlets:
        band = outlet.get("band") or "unrated"
        ratings = "; ".join(
            f"{r.get('source')}: {r.get('label') or r.get('value')}"
            + (" (imputed)" if r.get("imputed") else "")
            for r in outlet.get("ratings", [])
        )
        table.add_row(
            escape(outlet.get("name") or ""),
            outlet.get("domain") or "—",
            ", ".join(outlet.get("roles", [])),
            Text(band, style=BAND_STYLE.get(band, "")),
            escape(shorten(ratings, 120) or "no rating found"),
        )
    return table


def headline_table(report: dict[str, Any]) -> Table | None:
    headline = report.get("headline", {})
    clauses = headline.get("clauses") or []
    stance = headline.get("stance")
    if not clauses and not stance:
        return None
    title = "Headline against body"
    if stance:
        title += f" — body stance: {stance.get('label')} ({stance.get('probability', 0):.2f})"
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("headline clause")
    table.add_column("supported", no_wrap=True)
    table.add_column("body sentences")
    for clause in clauses:
        support = clause.get("support") or []
        table.add_row(
            escape(clause.get("text", "")),
            Text("yes", style="green") if clause.get("supported") else Text("no", style="red"),
            escape(
                "\n".join(f"[{s.get('status')}] {shorten(s.get('text'), 90)}" for s in support)
                or "none"
            ),
        )
    return table


def attributions_table(report: dict[str, Any]) -> Table | None:
    groups = attributions_by_speaker(report)
    if not groups:
        return None
    table = Table(title="Who said what", title_justify="left", expand=True, show_lines=True)
    for column in ("speaker", "cue", "medium / time", "content"):
        table.add_column(column)
    for speaker, items in groups:
        for i, item in enumerate(items):
            via = " · ".join(x for x in (item.get("medium"), item.get("time")) if x)
            quote = shorten(span_text(item.get("content")), 140)
            if item.get("direct"):
                quote = f"“{quote}”"
            label = speaker if i == 0 else ""
            if i == 0 and item.get("speaker_kind") in ("anonymous", "unknown"):
                label += f" [{item['speaker_kind']}]"
            table.add_row(
                escape(label),
                escape(span_text(item.get("cue")) or ""),
                escape(via),
                escape(quote),
            )
    return table


def claims_table(report: dict[str, Any]) -> Table | None:
    claims = claims_with_status(report, "unsourced", "hedged", "question", "opinion")
    if not claims:
        return None
    table = Table(title="No source: assertions, speculation, opinion", title_justify="left")
    table.add_column("status", no_wrap=True)
    table.add_column("sentence")
    table.add_column("why")
    for claim in claims:
        why = []
        if claim.get("hedge"):
            why.append(f"hedge: {span_text(claim['hedge'])}")
        if claim.get("loaded_terms"):
            why.append("loaded: " + ", ".join(span_text(t) or "" for t in claim["loaded_terms"]))
        if claim.get("checkworthy"):
            why.append("check-worthy")
        table.add_row(
            claim.get("status", ""), escape(shorten(claim.get("text"), 150)), escape("; ".join(why))
        )
    return table


def checkworthy_table(report: dict[str, Any]) -> Table | None:
    claims = [c for c in report.get("claims", []) if c.get("checkworthy")]
    if not claims:
        return None
    table = Table(title="Check-worthy statements", title_justify="left", expand=True)
    table.add_column("sentence")
    table.add_column("sourcing", no_wrap=True)
    attributions = report.get("attributions", [])
    for claim in claims:
        sourcing = claim.get("status", "")
        index = claim.get("attribution")
        if isinstance(index, int) and 0 <= index < len(attributions):
            who = attributions[index].get("speaker") or attributions[index].get("speaker_kind")
            sourcing = f"attributed: {who}"
        table.add_row(escape(shorten(claim.get("text"), 150)), escape(sourcing))
    return table


def names_table(report: dict[str, Any]) -> Table | None:
    inconsistent = [e for e in report.get("entities", []) if e.get("inconsistent_spelling")]
    if not inconsistent:
        return None
    table = Table(title="Names written inconsistently", title_justify="left")
    table.add_column("entity")
    table.add_column("written as")
    for entity in inconsistent:
        variants = " / ".join(entity.get("variants", []))
        table.add_row(escape(entity.get("name", "")), escape(variants))
    return table


_WHO_COPIED = {"query": "copied this article", "match": "source of this article"}


def _origin_line(copies: dict[str, Any]) -> str:
    origin = copies.get("origin") or {}
    if origin.get("id"):
        return (
            f"likely origin: {origin['id']} ({origin.get('outlet') or '?'}, "
            f"{origin.get('published') or 'undated'}; {origin.get('evidence')}, "
            f"confidence {origin.get('confidence')})"
        )
    if origin.get("this_article"):
        return "likely origin: this article (others copied it)"
    return "likely origin: undecided"


def copies_table(report: dict[str, Any]) -> Table | None:
    """Present only when the report was made against a trace index (--trace-index)."""
    copies = report.get("copies")
    if not copies:
        return None
    matches = [*copies.get("copies", []), *copies.get("partial", [])]
    table = Table(
        title="Copies and origin",
        title_justify="left",
        caption=escape(
            f"{_origin_line(copies)} · {len(copies.get('copies', []))} copies, "
            f"{len(copies.get('partial', []))} partial reuses among "
            f"{copies.get('indexed_articles', 0):,} indexed articles"
        ),
        caption_justify="left",
        expand=True,
    )
    for column in ("article", "kind", "outlet, date", "shares", "direction", "changes"):
        table.add_column(column)
    for m in matches:
        changes = "; ".join(
            f"{r['kind']}: {shorten(r['from'], 40)} → {shorten(r['to'], 40)}"
            for r in m.get("rewrites", [])[:4]
        )
        table.add_row(
            escape(m.get("id") or ""),
            m.get("kind") or "",
            escape(f"{m.get('outlet') or '?'} {m.get('published') or ''}".strip()),
            f"{m.get('shared_fraction_query', 0):.0%} of this article",
            escape(f"{_WHO_COPIED.get(m.get('source') or '', 'undecided')} ({m.get('evidence')})"),
            escape(changes or "—"),
        )
    if not matches:
        table.add_row("—", "", "", "", "no copy of this article in the index", "")
    return table


def findings_table(report: dict[str, Any]) -> Table:
    findings = report.get("findings", [])
    table = Table(title=f"Findings ({len(findings)})", title_justify="left", expand=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("finding")
    table.add_column("evidence")
    for finding in findings:
        severity = finding.get("severity", "info")
        evidence = finding.get("evidence") or []
        said = Text(finding.get("message", ""))
        how_sure = (finding.get("certainty") or {}).get("in_words")
        if how_sure:
            said.append("\n" + how_sure, style="dim")  # how often such findings were right
        table.add_row(
            Text(severity, style=SEVERITY_STYLE.get(severity, "")),
            said,
            escape(shorten(evidence[0]["text"], 90) if evidence else ""),
        )
    return table


def error_notes(report: dict[str, Any]) -> Group | None:
    errors = report.get("errors", [])
    if not errors:
        return None
    return Group(*(Text(f"note: {_plain(str(e))}", style="dim") for e in errors))


def section_table(report: dict[str, Any], key: str, title: str) -> Table | None:
    """A section that declares no terminal renderer: its items (or fields) as a table."""
    found = section_rows(report.get(key))
    if found is None:
        return None
    columns, rows = found
    table = Table(title=title, title_justify="left", expand=True)
    for column in columns:
        table.add_column(column.replace("_", " "))
    for row in rows:
        table.add_row(*(escape(shorten(cell, 90)) for cell in row))
    return table


def print_report(report: dict[str, Any], console: Console) -> None:
    """Every section's terminal renderers, in the order the section declarations give."""
    for render in terminal_renderers():
        renderable = render(report)
        if renderable is not None:
            console.print(renderable)


def render_text(report: dict[str, Any], width: int = 110) -> str:
    """The terminal report as plain text (no colour codes)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    print_report(report, console)
    return buffer.getvalue()
