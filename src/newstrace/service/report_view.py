"""The annotated report as page fragments, drawn by the CLI's HTML renderer.

The service page and ``newstrace analyze --format html`` must show the same thing, so the
sections come from :mod:`newstrace.render.html` (which escapes every piece of article
text); this module only picks them and adds the provenance diagram. All returned strings
are already-escaped HTML, marked safe for the templates.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from newstrace.render import html as report_html
from newstrace.render.common import shorten

#: (anchor id, nav label, section function) in page order.
SECTIONS = (
    ("summary", "Summary", report_html.summary_section),
    ("findings", "Findings", report_html.findings_section),
    ("provenance", "Provenance", report_html.provenance_section),
    ("copies", "Copies and origin", report_html.copies_section),
    ("outlets", "Outlets", report_html.outlets_section),
    ("headline", "Headline", report_html.headline_section),
    ("attributions", "Who said what", report_html.attributions_section),
    ("claims", "No source", report_html.unsourced_section),
    ("article", "Article", report_html.article_section),
    ("glossary", "Words", report_html.glossary_section),
)

REPORT_CSS: str = report_html.CSS


def provenance_diagram(report: dict[str, Any]) -> Markup:
    """The declared chain of custody as boxes joined by arrows, oldest first.

    Plain HTML/CSS (an ordered list laid out as a flow) rather than SVG: it wraps at
    narrow widths and a screen reader reads it as the ordered list it is.
    """
    declared = (report.get("provenance") or {}).get("declared") or []
    publisher = (report.get("meta") or {}).get("publisher") or (report.get("meta") or {}).get(
        "domain"
    )
    if not declared:
        return Markup("")
    boxes = []
    named: set[str] = set()
    for link in sorted(declared, key=lambda item: item.get("order") or 0):
        role = str(link.get("role") or "source").replace("_", " ")
        named.update(
            str(x).casefold() for x in (link.get("outlet"), link.get("domain")) if x
        )
        facts = " · ".join(
            x
            for x in (_person(link.get("person")), link.get("language"), link.get("date"))
            if isinstance(x, str) and x
        )
        boxes.append(
            Markup(
                '<li class="flow-node"><span class="flow-role">{}</span>'
                '<strong>{}</strong><span class="flow-domain">{}</span>'
                '<span class="flow-facts">{}</span></li>'
            ).format(
                role,
                link.get("outlet") or "?",
                link.get("domain") or "",
                facts,
            )
        )
    if publisher and str(publisher).casefold() not in named:
        boxes.append(
            Markup(
                '<li class="flow-node flow-here"><span class="flow-role">this page</span>'
                "<strong>{}</strong></li>"
            ).format(shorten(str(publisher), 60))
        )
    return Markup(
        '<figure class="flow" aria-label="Declared provenance chain, oldest first">'
        '<ol class="flow-list">{}</ol></figure>'
    ).format(Markup("").join(boxes))


def _person(value: Any) -> str | None:
    """A person as the report gives it: a name, or {"name", "role"}."""
    if isinstance(value, dict):
        name, role = value.get("name"), value.get("role")
        return f"{name} ({role})" if name and role else name
    return value if isinstance(value, str) else None


def sections(report: dict[str, Any]) -> list[tuple[str, str, Markup]]:
    """(id, label, html) for each non-empty section of the report."""
    out = []
    for anchor, label, render in SECTIONS:
        if anchor == "findings":
            # On the page: groups start collapsed, each finding gets a copy button.
            fragment = report_html.findings_section(
                report, interactive=True, permalink=report.get("permalink")
            )
        else:
            fragment = render(report)
        if not fragment:
            continue
        if anchor == "provenance":
            # str(): adding a plain str to Markup would escape the str side.
            fragment = fragment.replace("</h2>", "</h2>" + str(provenance_diagram(report)), 1)
        # The renderer escapes every value it takes from the report.
        out.append((anchor, label, Markup(fragment)))
    return out


def title_of(report: dict[str, Any]) -> str:
    headline = report.get("headline") or {}
    meta = report.get("meta") or {}
    return headline.get("text") or meta.get("title") or "Article"


def facts_of(report: dict[str, Any]) -> str:
    meta = report.get("meta") or {}
    facts = [
        ("by " + ", ".join(meta["authors"])) if meta.get("authors") else None,
        meta.get("publisher"),
        meta.get("domain"),
        meta.get("published"),
    ]
    return " · ".join(str(f) for f in facts if f)


__all__ = ["REPORT_CSS", "facts_of", "provenance_diagram", "sections", "title_of"]
