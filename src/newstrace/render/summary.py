"""The verdict first: the summary card, findings grouped by kind, and the glossary.

HTML fragments for :mod:`newstrace.render.html` (the CLI's report) and the service page.
Every value from the report is escaped here. Findings are numbered by their index in the
report (``f-I``); their quotes link to the exact words in the article (``ev-I-J``).
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from typing import Any

from newstrace.render.common import shorten
from newstrace.render.labels import (
    BAND_SHAPES,
    BAND_WORDS,
    GLOSSARY,
    SENTENCE_LABELS,
    SEVERITY,
    SEVERITY_ORDER,
    STANCE_WORDS,
    finding_label,
)

STRONGEST = 3


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def severity_marker(severity: str) -> str:
    word, shape = SEVERITY.get(severity, (severity.capitalize(), "●"))
    return (
        f'<span class="sev sev-{_e(severity)}"><span aria-hidden="true">{shape}</span> '
        f"{_e(word)}</span>"
    )


def band_marker(band: str) -> str:
    return (
        f'<span class="band band-{_e(band)}"><span aria-hidden="true">'
        f"{BAND_SHAPES.get(band, '○')}</span> {_e(BAND_WORDS.get(band, band))}</span>"
    )


def _publisher(report: dict[str, Any]) -> dict[str, Any] | None:
    outlets = report.get("outlets") or []
    for outlet in outlets:
        if "publisher" in (outlet.get("roles") or []):
            return outlet
    return outlets[0] if outlets else None


def outlet_line(report: dict[str, Any]) -> str:
    """This copy's outlet, its band, how many lists agree and how recent they are."""
    outlet = _publisher(report)
    meta = report.get("meta") or {}
    if outlet is None:
        name = meta.get("publisher") or meta.get("domain")
        return f"{_e(name or 'Unknown outlet')} — {band_marker('unrated')}"
    band = outlet.get("band") or "unrated"
    ratings = [r for r in outlet.get("ratings") or [] if r.get("verdict")]
    agree = [r for r in ratings if r.get("verdict") == band]
    lists = len({r.get("source") for r in ratings})
    dates = sorted(str(r["date"]) for r in ratings if r.get("date"))
    parts = [f"<strong>{_e(outlet.get('name'))}</strong>"]
    if outlet.get("domain"):
        parts.append(f'<span class="meta">{_e(outlet["domain"])}</span>')
    parts.append(band_marker(band))
    if ratings:
        estimated = sum(1 for r in agree if r.get("imputed"))
        agreed = f"{len(agree)} of {len(ratings)} ratings from {lists} list(s) say so"
        if estimated:
            agreed += f" ({estimated} of them estimated)"
        recency = f"newest dated {_e(dates[-1])}" if dates else "the lists give no dates"
        parts.append(f"— {agreed}; {recency}.")
    return " ".join(parts)


def chain_line(report: dict[str, Any]) -> str:
    declared = (report.get("provenance") or {}).get("declared") or []
    if not declared:
        return "The page declares no earlier source."
    steps, here = [], False
    for link in sorted(declared, key=lambda item: item.get("order") or 0):
        role = str(link.get("role") or "source").replace("_", " ")
        here = here or role == "this copy"
        steps.append(f"<strong>{_e(link.get('outlet') or '?')}</strong> ({_e(role)})")
    if not here:
        steps.append("this page")
    return '<span class="chain-arrow" aria-hidden="true"> → </span>'.join(steps) + (
        '<span class="sr"> (oldest first)</span>'
    )


def headline_line(report: dict[str, Any]) -> str:
    headline = report.get("headline") or {}
    claims = [c for c in headline.get("clauses") or [] if c.get("claim", True)]
    parts = []
    if headline.get("is_question"):
        parts.append("asked as a question")
    if claims:
        backed = sum(1 for c in claims if c.get("supported"))
        if backed == len(claims):
            parts.append("every claim in it is backed by an attributed statement in the body")
        else:
            parts.append(
                f"<strong>{len(claims) - backed} of {len(claims)} claim(s) not backed</strong> "
                "by any attributed statement in the body"
            )
    stance = headline.get("stance")
    if stance and stance.get("label"):
        words = STANCE_WORDS.get(stance["label"], stance["label"])
        sure = round(100 * float(stance.get("probability") or 0))
        parts.append(f"{_e(words)} (the stance model is {sure} % sure)")
    return "; ".join(parts).capitalize() + "." if parts else "No headline found."


def sentence_counts(report: dict[str, Any]) -> Counter[str]:
    return Counter(str(c.get("status")) for c in report.get("claims") or [])


def counts_line(report: dict[str, Any]) -> str:
    counts = sentence_counts(report)
    order = ("attributed", "unsourced", "hedged", "opinion", "question")
    items = [
        f'<span class="count c-{_e(s) if s != "attributed" else "sourced"}">'
        f"<strong>{counts[s]}</strong> {_e(SENTENCE_LABELS[s])}</span>"
        for s in order
        if counts[s] or s in ("attributed", "unsourced", "hedged")
    ]
    return " · ".join(items)


def _rank(finding: dict[str, Any]) -> tuple[int, float]:
    precision = (finding.get("certainty") or {}).get("precision")
    return (SEVERITY_ORDER.get(finding.get("severity", "info"), 9),
            -(precision if isinstance(precision, int | float) else 0.0))


def strongest(report: dict[str, Any], n: int = STRONGEST) -> list[int]:
    """Indexes of the few findings to read first: most severe, then best measured."""
    findings = report.get("findings") or []
    ranked = sorted(
        (i for i, f in enumerate(findings) if f.get("severity") != "info"),
        key=lambda i: _rank(findings[i]),
    )
    return ranked[:n]


def summary_section(report: dict[str, Any]) -> str:
    findings = report.get("findings") or []
    top = "".join(
        f'<li>{severity_marker(findings[i].get("severity", "info"))} '
        f'<a href="#f-{i}">{_e(finding_label(findings[i].get("kind", "")))}</a>: '
        f"{_e(shorten(findings[i].get('message'), 160))}</li>"
        for i in strongest(report)
    )
    rows = (
        ("This copy's outlet", outlet_line(report)),
        ("Where it came from", chain_line(report)),
        ("Headline", headline_line(report)),
        ("Sentences", counts_line(report)),
    )
    card = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        '<section id="summary" class="summary" aria-labelledby="summary-title">'
        '<h2 id="summary-title">Summary</h2>'
        f'<dl class="verdict">{card}</dl>'
        + (f'<h3>Read these first</h3><ol class="strongest">{top}</ol>' if top else "")
        + "</section>"
    )


def _copy_text(finding: dict[str, Any], permalink: str | None) -> str:
    quotes = "\n".join(f"“{span['text']}”" for span in finding.get("evidence") or [])
    words = (finding.get("certainty") or {}).get("in_words")
    lines = [f"{finding_label(finding.get('kind', ''))}: {finding.get('message', '')}", quotes]
    if words:
        lines.append(f"How far to trust it: {words}")
    lines.append(f"newstrace report{': ' + permalink if permalink else ''}")
    return "\n".join(line for line in lines if line)


def finding_item(
    i: int, finding: dict[str, Any], rendered: set[str], interactive: bool, permalink: str | None
) -> str:
    quotes = []
    for j, span in enumerate(finding.get("evidence") or []):
        quote = f"“{_e(shorten(span['text'], 100))}”"
        if f"ev-{i}-{j}" in rendered:
            quotes.append(f'<a class="quote" href="#ev-{i}-{j}">{quote}</a>')
        else:
            quotes.append(f'<span class="quote">{quote}</span>')
    words = (finding.get("certainty") or {}).get("in_words")
    trust = f'<p class="certainty"><span class="meta">How far to trust it:</span> {_e(words)}</p>'
    copy = (
        f'<button type="button" class="copy" data-copy="{_e(_copy_text(finding, permalink))}">'
        "Copy finding with its quote</button>"
        if interactive
        else ""
    )
    return (
        f'<li id="f-{i}" class="finding" tabindex="-1">'
        f'{severity_marker(finding.get("severity", "info"))} {_e(finding.get("message"))}'
        + (f'<p class="quotes">{" ".join(quotes)}</p>' if quotes else "")
        + (trust if words else "")
        + copy
        + "</li>"
    )


def findings_section(
    report: dict[str, Any],
    rendered: set[str],
    *,
    interactive: bool = False,
    permalink: str | None = None,
) -> str:
    """Findings grouped by kind (most severe group first), each group collapsible; open
    in the static report (it has no script to open one), closed on the page."""
    findings = report.get("findings") or []
    if not findings:
        return '<section id="findings"><h2>Findings</h2><p>No findings.</p></section>'
    groups: dict[str, list[int]] = defaultdict(list)
    for i, finding in enumerate(findings):
        groups[finding.get("kind", "")].append(i)
    order = sorted(groups, key=lambda k: (min(_rank(findings[i]) for i in groups[k]), k))
    parts = []
    for kind in order:
        worst = min((findings[i].get("severity", "info") for i in groups[kind]),
                    key=lambda s: SEVERITY_ORDER.get(s, 9))
        items = "".join(
            finding_item(i, findings[i], rendered, interactive, permalink) for i in groups[kind]
        )
        parts.append(
            f'<details class="fgroup" id="kind-{_e(kind)}"{"" if interactive else " open"}>'
            f"<summary>{severity_marker(worst)} <strong>{_e(finding_label(kind))}</strong> "
            f'<span class="meta">({len(groups[kind])})</span></summary><ol>{items}</ol></details>'
        )
    return (
        '<section id="findings"><h2>Findings by kind</h2>'
        f"{''.join(parts)}</section>"
    )


def glossary_section(_report: dict[str, Any] | None = None) -> str:
    items = "".join(f"<dt>{_e(term)}</dt><dd>{_e(text)}</dd>" for term, text in GLOSSARY)
    return (
        '<section id="glossary"><h2>What the words mean</h2>'
        f'<dl class="glossary">{items}</dl></section>'
    )
