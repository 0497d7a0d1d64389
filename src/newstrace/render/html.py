"""Self-contained HTML report: the article with its layers drawn on the text.

Every piece of article text passes through :func:`html.escape`; the page has no script at
all, so untrusted article content can only ever be shown, never run. Highlights come from
span offsets in the report; the renderer never searches the text.
"""

from __future__ import annotations

import html
import itertools
from collections import defaultdict
from typing import Any

from newstrace.render.common import (
    ROLE_LABELS,
    attributions_by_speaker,
    claims_with_status,
    person_text,
    shorten,
    span_text,
)

COLLAPSED_ROLES = {"boilerplate", "navigation"}

CSS = """
:root{--fg:#1d1d1f;--muted:#666;--line:#ddd;--bg:#fff;--unsourced:#fde2e1;--hedged:#fff0cc;
--opinion:#efe3fb;--question:#e1ecfd;--content:#e3f4e6}
*{box-sizing:border-box}body{font:16px/1.55 system-ui,sans-serif;color:var(--fg);
background:var(--bg);margin:0}main{max-width:1100px;margin:0 auto;padding:1rem}
header h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0}.badge{display:inline-block;
padding:0 .45rem;border-radius:.6rem;font-size:.8rem;background:#eee;margin-right:.3rem}
.sev-high{background:#f8c9c6}.sev-medium{background:#ffe7a8}.sev-low{background:#d9ebfb}
.sev-info{background:#eee}.meta{color:var(--muted)}nav a{margin-right:.8rem}
section{margin:1.4rem 0}h2{font-size:1.2rem;border-bottom:1px solid var(--line)}
table{border-collapse:collapse;width:100%;font-size:.92rem}td,th{border-bottom:1px solid
var(--line);padding:.3rem .4rem;vertical-align:top;text-align:left}
.block{border-left:4px solid var(--line);padding:.2rem .7rem;margin:.5rem 0;white-space:pre-wrap}
.role{display:block;font-size:.72rem;text-transform:uppercase;letter-spacing:.05em;
color:var(--muted)}.role-headline{font-size:1.2rem;font-weight:600}
.role-dek{font-style:italic;border-color:#9ab}.role-body{border-color:#cfd8dc}
.role-caption,.role-credit{font-size:.9rem;color:#444;border-color:#b39ddb}
.role-editor_note{border-color:#ef6c00;background:#fff8f0}
.role-provenance_note{border-color:#00897b;background:#f0faf8}
.role-boilerplate,.role-navigation{color:var(--muted);font-size:.85rem}
details>summary{cursor:pointer;color:var(--muted)}
.c-unsourced{background:var(--unsourced)}.c-hedged{background:var(--hedged)}
.c-opinion{background:var(--opinion)}.c-question{background:var(--question)}
.a-content{background:var(--content)}.a-source{font-weight:600}
.a-cue{text-decoration:underline dotted}.t-hedge{text-decoration:underline wavy #c77700}
.t-loaded{text-decoration:underline 2px #b00020}.ev{outline:2px solid transparent}
:target+.evm,.anchor:target{outline:2px solid #1565c0}.legend span{margin-right:.6rem;
padding:0 .3rem}.band-low{color:#b00020;font-weight:600}.band-high{color:#1b5e20;
font-weight:600}.band-mixed{color:#8d6e00;font-weight:600}.band-unrated{color:var(--muted)}
ol.chain li{margin:.3rem 0}.chain .arrow{color:var(--muted)}
@media (max-width:700px){main{padding:.5rem}table{font-size:.85rem;display:block;
overflow-x:auto}.block{overflow-wrap:anywhere}}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _marks(report: dict[str, Any]) -> tuple[list[tuple[int, int, str]], dict[int, list[str]]]:
    """Highlight ranges (start, end, css class) and anchor ids by offset."""
    marks: list[tuple[int, int, str]] = []
    for claim in report.get("claims", []):
        status = claim.get("status")
        if status in ("unsourced", "hedged", "opinion", "question"):
            marks.append((claim["start"], claim["end"], f"c-{status}"))
        if isinstance(claim.get("hedge"), dict):
            marks.append((claim["hedge"]["start"], claim["hedge"]["end"], "t-hedge"))
        for term in claim.get("loaded_terms") or []:
            marks.append((term["start"], term["end"], "t-loaded"))
    for attribution in report.get("attributions", []):
        for part in ("source", "cue", "content"):
            span = attribution.get(part)
            if isinstance(span, dict):
                marks.append((span["start"], span["end"], f"a-{part}"))
    anchors: dict[int, list[str]] = defaultdict(list)
    for i, finding in enumerate(report.get("findings", [])):
        for j, span in enumerate(finding.get("evidence") or []):
            anchors[span["start"]].append(f"ev-{i}-{j}")
    return marks, anchors


def _render_range(
    text: str,
    start: int,
    end: int,
    marks: list[tuple[int, int, str]],
    anchors: dict[int, list[str]],
) -> str:
    inside = [(max(s, start), min(e, end), c) for s, e, c in marks if s < end and e > start]
    cuts = {start, end}
    for s, e, _ in inside:
        cuts.update((s, e))
    cuts.update(a for a in anchors if start <= a < end)
    points = sorted(cuts)
    out: list[str] = []
    for left, right in itertools.pairwise(points):
        for anchor in anchors.get(left, []):
            out.append(f'<a class="anchor" id="{_e(anchor)}"></a>')
        classes = sorted({c for s, e, c in inside if s <= left and right <= e})
        piece = _e(text[left:right])
        out.append(f'<span class="{" ".join(classes)}">{piece}</span>' if classes else piece)
    return "".join(out)


def article_section(report: dict[str, Any]) -> str:
    text = report.get("text", "")
    marks, anchors = _marks(report)
    parts: list[str] = []
    collapsed: list[str] = []

    def flush() -> None:
        if collapsed:
            parts.append(
                f"<details><summary>{len(collapsed)} block(s) of page furniture "
                f"(navigation, boilerplate)</summary>{''.join(collapsed)}</details>"
            )
            collapsed.clear()

    for block in report.get("blocks", []):
        role = block["role"]
        body = _render_range(text, block["start"], block["end"], marks, anchors)
        rendered = (
            f'<div class="block role-{_e(role)}"><span class="role">'
            f"{_e(ROLE_LABELS.get(role, role))}</span>{body}</div>"
        )
        if role in COLLAPSED_ROLES:
            collapsed.append(rendered)
        else:
            flush()
            parts.append(rendered)
    flush()
    legend = (
        '<p class="legend"><span class="c-unsourced">unsourced</span>'
        ' <span class="c-hedged">speculative</span> <span class="c-opinion">opinion</span>'
        ' <span class="c-question">question</span> <span class="a-content">reported '
        'content</span> <span class="a-source">speaker</span> <span class="a-cue">cue</span>'
        ' <span class="t-hedge">hedge</span> <span class="t-loaded">loaded word</span></p>'
    )
    return f'<section id="article"><h2>The article</h2>{legend}{"".join(parts)}</section>'


def findings_section(report: dict[str, Any]) -> str:
    items = []
    for i, finding in enumerate(report.get("findings", [])):
        severity = finding.get("severity", "info")
        links = " ".join(
            f'<a href="#ev-{i}-{j}">“{_e(shorten(span["text"], 80))}”</a>'
            for j, span in enumerate(finding.get("evidence") or [])
        )
        items.append(
            f'<li><span class="badge sev-{_e(severity)}">{_e(severity)}</span>'
            f"{_e(finding.get('message'))} {links}</li>"
        )
    body = f"<ul>{''.join(items)}</ul>" if items else "<p>No findings.</p>"
    return f'<section id="findings"><h2>Findings</h2>{body}</section>'


def provenance_section(report: dict[str, Any]) -> str:
    provenance = report.get("provenance", {})
    declared = provenance.get("declared", [])
    if not declared:
        return (
            '<section id="provenance"><h2>Declared provenance</h2>'
            "<p>The page declares no earlier source.</p></section>"
        )
    items = []
    for link in declared:
        who = _e(link.get("outlet") or "?")
        if link.get("domain"):
            who += f" <span class='meta'>({_e(link['domain'])})</span>"
        details = ", ".join(
            _e(x)
            for x in (
                link.get("role"),
                person_text(link.get("person")),
                link.get("language"),
                link.get("date"),
            )
            if x
        )
        evidence = span_text(link.get("evidence"))
        items.append(
            f"<li><strong>{who}</strong> — {details}"
            + (f"<br><span class='meta'>“{_e(shorten(evidence, 140))}”</span>" if evidence else "")
            + "</li>"
        )
    conflicts = provenance.get("conflicts") or []
    conflict_html = "".join(f"<li>{_e(c.get('message', c))}</li>" for c in conflicts)
    return (
        '<section id="provenance"><h2>Declared provenance (oldest first)</h2>'
        f'<ol class="chain">{"".join(items)}</ol>'
        + (f"<p>Conflicting statements:</p><ul>{conflict_html}</ul>" if conflict_html else "")
        + "</section>"
    )


_WHO_COPIED = {"query": "copied this article", "match": "source of this article"}


def copies_section(report: dict[str, Any]) -> str:
    """Copies of the article in a traced corpus; only in reports made with --trace-index."""
    copies = report.get("copies")
    if not copies:
        return ""
    origin = copies.get("origin") or {}
    if origin.get("id"):
        origin_html = (
            f"Likely origin: <strong>{_e(origin['id'])}</strong> "
            f"({_e(origin.get('outlet') or '?')}, {_e(origin.get('published') or 'undated')}; "
            f"{_e(origin.get('evidence'))}, confidence {_e(origin.get('confidence'))})"
        )
    elif origin.get("this_article"):
        origin_html = "Likely origin: <strong>this article</strong> (others copied it)"
    else:
        origin_html = "Likely origin: undecided"
    matches = [*copies.get("copies", []), *copies.get("partial", [])]
    rows = []
    for m in matches:
        changes = "".join(
            f"<li>{_e(r.get('kind'))}: “{_e(shorten(r.get('from'), 80))}” → "
            f"“{_e(shorten(r.get('to'), 80))}”</li>"
            for r in m.get("rewrites", [])[:6]
        )
        who = _WHO_COPIED.get(m.get("source") or "", "undecided")
        share = f"{m.get('shared_fraction_query', 0):.0%}"
        changes_html = f"<ul>{changes}</ul>" if changes else "—"
        rows.append(
            f"<tr><td>{_e(m.get('id'))}</td><td>{_e(m.get('kind'))}</td>"
            f"<td>{_e(m.get('outlet') or '?')}<br><span class='meta'>"
            f"{_e(m.get('published') or '')}</span></td>"
            f"<td>{_e(share)}</td>"
            f"<td>{_e(who)} <span class='meta'>({_e(m.get('evidence'))})</span></td>"
            f"<td>{changes_html}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>article</th><th>kind</th><th>outlet</th>"
        "<th>share of this article</th><th>direction</th><th>changes</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>No copy of this article in the index.</p>"
    )
    summary = (
        f"{len(copies.get('copies', []))} copies and {len(copies.get('partial', []))} partial "
        f"reuses among {_e(copies.get('indexed_articles', 0))} indexed articles "
        f"(<span class='meta'>{_e(copies.get('index'))}</span>)"
    )
    return (
        '<section id="copies"><h2>Copies and origin</h2>'
        f"<p>{origin_html}</p><p>{summary}</p>{table}</section>"
    )


def outlets_section(report: dict[str, Any]) -> str:
    rows = []
    for outlet in report.get("outlets", []):
        band = outlet.get("band") or "unrated"
        ratings = "<br>".join(
            f"{_e(r.get('source'))}: {_e(r.get('label') or r.get('value'))}"
            + (f" <span class='meta'>({_e(r.get('scale'))})</span>" if r.get("scale") else "")
            + (" <em>imputed</em>" if r.get("imputed") else "")
            for r in outlet.get("ratings", [])
        )
        rows.append(
            f"<tr><td>{_e(outlet.get('name'))}</td><td>{_e(outlet.get('domain') or '—')}</td>"
            f"<td>{_e(', '.join(outlet.get('roles', [])))}</td>"
            f'<td class="band-{_e(band)}">{_e(band)}</td><td>{ratings or "no rating found"}</td>'
            "</tr>"
        )
    if not rows:
        return ""
    return (
        '<section id="outlets"><h2>Outlets and their ratings</h2><table><thead><tr>'
        "<th>outlet</th><th>domain</th><th>roles</th><th>band</th><th>ratings (source)</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def headline_section(report: dict[str, Any]) -> str:
    headline = report.get("headline", {})
    clauses = headline.get("clauses") or []
    stance = headline.get("stance")
    if not clauses and not stance:
        return ""
    rows = []
    for clause in clauses:
        support = "<br>".join(
            f"[{_e(s.get('status'))}] {_e(shorten(s.get('text'), 140))}"
            for s in clause.get("support") or []
        )
        rows.append(
            f"<tr><td>{_e(clause.get('text'))}</td>"
            f"<td>{'yes' if clause.get('supported') else '<strong>no</strong>'}</td>"
            f"<td>{support or 'no body sentence'}</td></tr>"
        )
    stance_html = (
        f"<p>Body stance toward the headline: <strong>{_e(stance.get('label'))}</strong> "
        f"(p = {_e(round(stance.get('probability', 0), 2))})</p>"
        if stance
        else ""
    )
    return (
        f'<section id="headline"><h2>Headline against body</h2>{stance_html}'
        "<table><thead><tr><th>clause</th><th>supported by an attributed statement</th>"
        f"<th>body sentences</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def attributions_section(report: dict[str, Any]) -> str:
    groups = attributions_by_speaker(report)
    if not groups:
        return ""
    blocks = []
    for speaker, items in groups:
        kind = items[0].get("speaker_kind") or ""
        lis = []
        for item in items:
            via = " · ".join(_e(x) for x in (item.get("medium"), item.get("time")) if x)
            content = _e(shorten(span_text(item.get("content")), 220))
            if item.get("direct"):
                content = f"“{content}”"
            lis.append(
                f"<li><em>{_e(span_text(item.get('cue')))}</em> {content}"
                + (f" <span class='meta'>({via})</span>" if via else "")
                + "</li>"
            )
        blocks.append(
            f"<h3>{_e(speaker)} <span class='badge'>{_e(kind)}</span></h3><ul>{''.join(lis)}</ul>"
        )
    return f'<section id="attributions"><h2>Who said what</h2>{"".join(blocks)}</section>'


def unsourced_section(report: dict[str, Any]) -> str:
    claims = claims_with_status(report, "unsourced", "hedged", "question", "opinion")
    if not claims:
        return ""
    items = "".join(
        f'<li><span class="badge c-{_e(c.get("status"))}">{_e(c.get("status"))}</span>'
        f"{_e(shorten(c.get('text'), 220))}</li>"
        for c in claims
    )
    return f'<section id="claims"><h2>No source given</h2><ul>{items}</ul></section>'


def render_html(report: dict[str, Any]) -> str:
    meta = report.get("meta", {})
    headline = report.get("headline", {})
    title = headline.get("text") or meta.get("title") or "Article"
    facts = [
        ("by " + ", ".join(meta["authors"])) if meta.get("authors") else None,
        meta.get("publisher"),
        meta.get("domain"),
        meta.get("published"),
    ]
    badges = '<span class="badge">question headline</span>' if headline.get("is_question") else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src 'none'\">"
        f"<title>newstrace: {_e(shorten(title, 80))}</title><style>{CSS}</style></head><body>"
        f"<main><header><p class='meta'>newstrace report</p><h1>{_e(title)}</h1>{badges}"
        f"<p class='meta'>{_e(' · '.join(f for f in facts if f))}</p>"
        '<nav><a href="#findings">Findings</a><a href="#provenance">Provenance</a>'
        + ('<a href="#copies">Copies</a>' if report.get("copies") else "")
        + '<a href="#outlets">Outlets</a><a href="#headline">Headline</a>'
        '<a href="#attributions">Who said what</a><a href="#claims">No source</a>'
        '<a href="#article">Article</a></nav></header>'
        + findings_section(report)
        + provenance_section(report)
        + copies_section(report)
        + outlets_section(report)
        + headline_section(report)
        + attributions_section(report)
        + unsourced_section(report)
        + article_section(report)
        + "</main></body></html>\n"
    )
