"""Self-contained HTML report: the article with its layers drawn on the text.

Every piece of article text passes through :func:`html.escape`; the page has no script at
all, so untrusted article content can only ever be shown, never run. Highlights come from
span offsets in the report; the renderer never searches the text.

Which parts the report has, in which order and under which navigation label, is each
report section's declaration (``html`` in :mod:`newstrace.sections`, the same list the
service page draws); a section that names none is shown by :func:`section_fragment`.
"""

from __future__ import annotations

import html
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from newstrace.render import summary
from newstrace.render.common import (
    ROLE_LABELS,
    attributions_by_speaker,
    claims_with_status,
    person_text,
    section_rows,
    shorten,
    span_text,
)
from newstrace.render.labels import SENTENCE_LABELS, STANCE_WORDS, finding_label
from newstrace.sections import View, views

COLLAPSED_ROLES = {"boilerplate", "navigation"}

CSS = """
:root{--fg:#1d1d1f;--muted:#595959;--line:#ccc;--bg:#fff;--unsourced:#fde2e1;--hedged:#fff0cc;
--opinion:#efe3fb;--question:#e1ecfd;--content:#e3f4e6}
*{box-sizing:border-box}body{font:16px/1.55 system-ui,sans-serif;color:var(--fg);
background:var(--bg);margin:0}main{max-width:1100px;margin:0 auto;padding:1rem}
header h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0}.badge{display:inline-block;
padding:0 .45rem;border-radius:.6rem;font-size:.8rem;background:#eee;margin-right:.3rem}
.meta{color:var(--muted)}nav a{margin-right:.8rem;display:inline-block}
section{margin:1.4rem 0}h2{font-size:1.2rem;border-bottom:1px solid var(--line)}
table{border-collapse:collapse;width:100%;font-size:.92rem}td,th{border-bottom:1px solid
var(--line);padding:.3rem .4rem;vertical-align:top;text-align:left;overflow-wrap:break-word}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.summary{border:2px solid #1d1d1f;border-radius:.5rem;padding:.4rem 1rem .8rem}
.summary h2{border:0;margin:.3rem 0}.verdict{display:grid;grid-template-columns:11rem 1fr;
gap:.35rem 1rem;margin:0}.verdict dt{font-weight:700}.verdict dd{margin:0}
.strongest li{margin:.25rem 0}.chain-arrow{color:var(--muted)}
.sev,.band{display:inline-block;font-weight:700;font-size:.85rem;padding:0 .4rem;
border:1px solid currentColor;border-radius:.3rem;white-space:nowrap}
.sev-high{color:#a0001c}.sev-medium{color:#7a4f00}.sev-low{color:#174ea6}.sev-info{color:#444}
.band-low{color:#a0001c}.band-mixed{color:#6d5400}.band-high{color:#1b5e20}
.band-unrated{color:#444}
.fgroup{border:1px solid var(--line);border-radius:.4rem;margin:.4rem 0;padding:.2rem .6rem}
.fgroup>summary{cursor:pointer;padding:.25rem 0}.fgroup ol{padding-left:1.4rem}
.finding{margin:.6rem 0}.finding:target{outline:3px solid #174ea6;outline-offset:2px}
.quotes{margin:.2rem 0}.quote{margin-right:.5rem}.certainty{margin:.2rem 0;font-size:.92rem}
.copy{font:inherit;font-size:.85rem;margin:.2rem 0;padding:.15rem .6rem;cursor:pointer}
.block{border-left:4px solid var(--line);padding:.2rem .7rem;margin:.5rem 0;white-space:pre-wrap}
.role{display:block;font-size:.72rem;text-transform:uppercase;letter-spacing:.05em;
color:var(--muted)}.role-headline{font-size:1.2rem;font-weight:600}
.role-dek{font-style:italic;border-color:#9ab}.role-body{border-color:#cfd8dc}
.role-caption,.role-credit{font-size:.9rem;color:#444;border-color:#b39ddb}
.role-editor_note{border-color:#ef6c00;background:#fff8f0}
.role-provenance_note{border-color:#00897b;background:#f0faf8}
.role-boilerplate,.role-navigation{color:var(--muted);font-size:.85rem}
details>summary{cursor:pointer}
.c-unsourced{background:var(--unsourced);text-decoration:underline dashed #a0001c}
.c-hedged{background:var(--hedged);text-decoration:underline dotted #7a4f00}
.c-opinion{background:var(--opinion)}.c-question{background:var(--question)}
.a-content{background:var(--content)}.a-source{font-weight:600}
.a-cue{text-decoration:underline dotted}.t-hedge{text-decoration:underline wavy #7a4f00}
.t-loaded{text-decoration:underline 2px #a0001c}
.tag{display:inline-block;font-size:.68rem;font-weight:700;text-transform:uppercase;
letter-spacing:.03em;line-height:1.3;padding:0 .3rem;margin-right:.25rem;border-radius:.25rem;
border:1px solid currentColor;background:#fff;white-space:nowrap;font-style:normal}
.tag-unsourced{color:#a0001c}.tag-hedged{color:#7a4f00}.tag-opinion{color:#5b2a86}
.tag-question{color:#174ea6}.tag-attributed{color:#1b5e20}
.tag-unsourced::before{content:"✗ "}.tag-hedged::before{content:"? "}
.tag-attributed::before{content:"✓ "}
.back{font-size:.72rem;vertical-align:super;margin:0 .1rem;padding:0 .2rem;
border:1px solid currentColor;border-radius:.2rem;text-decoration:none;position:relative}
.back:focus::after,.back:hover::after{content:attr(data-reason);position:absolute;left:0;
top:1.4rem;z-index:5;width:18rem;max-width:80vw;background:#1d1d1f;color:#fff;padding:.3rem .5rem;
border-radius:.3rem;font-size:.8rem;white-space:normal;line-height:1.35}
.evt:target .ev,.evt:target,.ev.flash{outline:3px solid #174ea6;outline-offset:1px}
.legend{line-height:2}.legend>span{margin-right:.3rem;padding:0 .3rem}
.count{margin-right:.2rem}.glossary dt{font-weight:700;margin-top:.4rem}
.glossary dd{margin-left:1rem}
ol.chain li{margin:.3rem 0}.chain .arrow{color:var(--muted)}
@media (max-width:700px){main{padding:.5rem}.block{overflow-wrap:break-word}
.verdict{grid-template-columns:1fr}.verdict dd{margin-bottom:.4rem}
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack tr{border-bottom:2px solid var(--line);padding:.3rem 0}
table.stack td{border:0;padding:.1rem 0}
table.stack td::before{content:attr(data-label) ": ";font-weight:700;color:var(--muted)}}
@media print{nav,.copy,.skip,form,header.site,.back{display:none!important}
body{font-size:11pt}main{max-width:none;padding:0}.summary{break-inside:avoid}
.fgroup,.finding{break-inside:avoid}a{color:inherit;text-decoration:none}
.c-unsourced,.c-hedged,.c-opinion,.c-question,.a-content{print-color-adjust:exact;
-webkit-print-color-adjust:exact}details>summary{list-style:none}}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


@dataclass
class Layers:
    """What the article is drawn with, by offset: class marks, evidence spans (``I-J``:
    finding I, quote J), sentence labels at claim starts, back-links at evidence ends."""

    marks: list[tuple[int, int, str]] = field(default_factory=list)
    evidence: list[tuple[int, int, str]] = field(default_factory=list)
    labels: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    backlinks: dict[int, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))


def _layers(report: dict[str, Any]) -> Layers:
    layers = Layers()
    for claim in report.get("claims", []):
        status = claim.get("status")
        if status in ("unsourced", "hedged", "opinion", "question"):
            layers.marks.append((claim["start"], claim["end"], f"c-{status}"))
        if status in SENTENCE_LABELS:
            layers.labels[claim["start"]].append(str(status))
        if isinstance(claim.get("hedge"), dict):
            layers.marks.append((claim["hedge"]["start"], claim["hedge"]["end"], "t-hedge"))
        for term in claim.get("loaded_terms") or []:
            layers.marks.append((term["start"], term["end"], "t-loaded"))
    for attribution in report.get("attributions", []):
        if attribution.get("stance"):
            continue  # no one's words: nothing to mark as said
        for part in ("source", "cue", "content"):
            span = attribution.get(part)
            if isinstance(span, dict):
                layers.marks.append((span["start"], span["end"], f"a-{part}"))
    for i, finding in enumerate(report.get("findings", [])):
        reason = f"{finding_label(finding.get('kind', ''))}: {shorten(finding.get('message'), 140)}"
        ends = set()
        for j, span in enumerate(finding.get("evidence") or []):
            if span["end"] <= span["start"]:
                continue
            layers.evidence.append((span["start"], span["end"], f"{i}-{j}"))
            if span["end"] not in ends:
                ends.add(span["end"])
                layers.backlinks[span["end"]].append((i, reason))
    return layers


def rendered_evidence(report: dict[str, Any]) -> set[str]:
    """Ids (``ev-I-J``) of the evidence spans the article section draws: those inside a
    block (a quote outside every block has no words to land on)."""
    blocks = [(b["start"], b["end"]) for b in report.get("blocks", [])]
    out = set()
    for i, finding in enumerate(report.get("findings", [])):
        for j, span in enumerate(finding.get("evidence") or []):
            if span["end"] > span["start"] and any(
                s <= span["start"] < e for s, e in blocks
            ):
                out.add(f"ev-{i}-{j}")
    return out


def _backlinks(items: list[tuple[int, str]]) -> str:
    return "".join(
        f'<a class="back" href="#f-{i}" title="{_e(reason)}" data-reason="{_e(reason)}">'
        f'<span class="sr">Finding {i + 1}: {_e(reason)}</span>'
        f'<span aria-hidden="true">{i + 1}</span></a>'
        for i, reason in items
    )


def _piece(text: str, classes: list[str], tokens: list[str], starting: list[str]) -> str:
    if tokens:
        classes = [*classes, "ev"]
    attrs = f' class="{" ".join(classes)}"' if classes else ""
    if tokens:
        attrs += f' data-ev="{" ".join(tokens)}"'
    piece = f"<span{attrs}>{_e(text)}</span>" if attrs else _e(text)
    # An evidence span starting here gets an element whose id is its link target; several
    # starting at one offset nest (one id per element).
    for token in starting:
        piece = f'<span class="evt" id="ev-{token}">{piece}</span>'
    return piece


def _render_range(text: str, start: int, end: int, layers: Layers) -> str:
    marks = [(max(s, start), min(e, end), c) for s, e, c in layers.marks if s < end and e > start]
    evidence = [(s, e, t) for s, e, t in layers.evidence if s < end and e > start]
    cuts = {start, end}
    for s, e, _ in (*marks, *evidence):
        cuts.update((max(s, start), min(e, end)))
    cuts.update(a for a in layers.labels if start <= a < end)
    cuts.update(a for a in layers.backlinks if start < a <= end)
    out: list[str] = []
    for left, right in itertools.pairwise(sorted(cuts)):
        if left != start:
            out.append(_backlinks(layers.backlinks.get(left, [])))
        for status in layers.labels.get(left, []):
            out.append(f'<span class="tag tag-{_e(status)}">{_e(SENTENCE_LABELS[status])}</span>')
        classes = sorted({c for s, e, c in marks if s <= left and right <= e})
        tokens = [t for s, e, t in evidence if s <= left and right <= e]
        starting = [t for s, _e2, t in evidence if s == left]
        out.append(_piece(text[left:right], classes, tokens, starting))
    out.append(_backlinks(layers.backlinks.get(end, [])))
    return "".join(out)


def article_section(report: dict[str, Any]) -> str:
    text = report.get("text", "")
    layers = _layers(report)
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
        body = _render_range(text, block["start"], block["end"], layers)
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
        '<p class="legend">Marked in the text: '
        '<span class="tag tag-unsourced">no source</span> '
        '<span class="tag tag-hedged">speculative</span> '
        '<span class="tag tag-opinion">opinion</span> '
        '<span class="tag tag-question">question</span> '
        '<span class="tag tag-attributed">sourced</span> · '
        '<span class="a-content">reported words</span> '
        '<span class="a-source">speaker</span> <span class="a-cue">cue (“said”)</span> '
        '<span class="t-hedge">hedge</span> <span class="t-loaded">loaded word</span> · '
        'numbers after a sentence link to its findings</p>'
    )
    return f'<section id="article"><h2>The article</h2>{legend}{"".join(parts)}</section>'


def findings_section(
    report: dict[str, Any], *, interactive: bool = False, permalink: str | None = None
) -> str:
    return summary.findings_section(
        report, rendered_evidence(report), interactive=interactive, permalink=permalink
    )


def summary_section(report: dict[str, Any]) -> str:
    return summary.summary_section(report)


def glossary_section(report: dict[str, Any]) -> str:
    return summary.glossary_section(report)


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
            + (" <em>(estimated, not rated by hand)</em>" if r.get("imputed") else "")
            + (f" <span class='meta'>{_e(r.get('date'))}</span>" if r.get("date") else "")
            for r in outlet.get("ratings", [])
        )
        rows.append(
            f'<tr><td data-label="outlet">{_e(outlet.get("name"))}</td>'
            f'<td data-label="domain">{_e(outlet.get("domain") or "—")}</td>'
            f'<td data-label="role here">{_e(", ".join(outlet.get("roles", [])))}</td>'
            f'<td data-label="reliability">{summary.band_marker(band)}</td>'
            f'<td data-label="ratings">{ratings or "no rating found"}</td></tr>'
        )
    if not rows:
        return ""
    return (
        '<section id="outlets"><h2>Outlets and their ratings</h2><table class="stack"><thead>'
        "<tr><th>outlet</th><th>domain</th><th>role here</th><th>reliability</th>"
        f"<th>ratings (list)</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
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
            f'<tr><td data-label="headline claim">{_e(clause.get("text"))}</td>'
            f'<td data-label="backed by an attributed statement">'
            f"{'yes' if clause.get('supported') else '<strong>no</strong>'}</td>"
            f'<td data-label="body sentences">{support or "no body sentence"}</td></tr>'
        )
    stance_html = (
        f"<p>How the body treats the headline: <strong>"
        f"{_e(STANCE_WORDS.get(str(stance.get('label')), stance.get('label')))}</strong> "
        f"(the stance model is {round(100 * float(stance.get('probability') or 0))} % sure)</p>"
        if stance
        else ""
    )
    return (
        f'<section id="headline"><h2>Headline against body</h2>{stance_html}'
        '<table class="stack"><thead><tr><th>headline claim</th>'
        "<th>backed by an attributed statement</th>"
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
        f'<li><span class="tag tag-{_e(c.get("status"))}">'
        f"{_e(SENTENCE_LABELS.get(str(c.get('status')), c.get('status')))}</span> "
        f"{_e(shorten(c.get('text'), 220))}</li>"
        for c in claims
    )
    return f'<section id="claims"><h2>No source given</h2><ul>{items}</ul></section>'


def section_fragment(report: dict[str, Any], key: str, title: str) -> str:
    """A section that declares no HTML view: its items (or fields) as a table."""
    found = section_rows(report.get(key))
    if found is None:
        return ""
    columns, rows = found
    head = "".join(f"<th>{_e(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td data-label="{_e(c.replace("_", " "))}">{_e(shorten(cell, 220))}</td>'
            for c, cell in zip(columns, row, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<section id="{_e(key)}"><h2>{_e(title)}</h2><table class="stack"><thead>'
        f"<tr>{head}</tr></thead><tbody>{body}</tbody></table></section>"
    )


def title_of(report: dict[str, Any]) -> str:
    headline = report.get("headline") or {}
    meta = report.get("meta") or {}
    return headline.get("text") or meta.get("title") or "Article"


def facts_of(report: dict[str, Any]) -> str:
    """Byline, publisher, domain and date, as the header's one line."""
    meta = report.get("meta") or {}
    facts = [
        ("by " + ", ".join(meta["authors"])) if meta.get("authors") else None,
        meta.get("publisher"),
        meta.get("domain"),
        meta.get("published"),
    ]
    return " · ".join(str(f) for f in facts if f)


def parts(report: dict[str, Any], *, page: bool = False) -> list[tuple[View, str]]:
    """(view, fragment) for each declared part with something to show, in page order
    (``page``: the service page's renderers where a part has its own)."""
    drawn = [(view, view.renderer(page)(report)) for view in views()]
    return [(view, fragment) for view, fragment in drawn if fragment]


def render_html(report: dict[str, Any]) -> str:
    title = title_of(report)
    question = (report.get("headline") or {}).get("is_question")
    badges = '<span class="badge">question headline</span>' if question else ""
    drawn = parts(report)
    # The navigation links the parts drawn, so that no link points at a missing section.
    nav = "".join(f'<a href="#{_e(view.anchor)}">{_e(view.label)}</a>' for view, _ in drawn)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src 'none'\">"
        f"<title>newstrace: {_e(shorten(title, 80))}</title><style>{CSS}</style></head><body>"
        f"<main><header><p class='meta'>newstrace report</p><h1>{_e(title)}</h1>{badges}"
        f"<p class='meta'>{_e(facts_of(report))}</p>"
        f'<nav aria-label="Report sections">{nav}</nav></header>'
        + "".join(fragment for _, fragment in drawn)
        + "</main></body></html>\n"
    )
