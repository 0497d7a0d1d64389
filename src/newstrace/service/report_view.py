"""The annotated report as page fragments, drawn by the CLI's HTML renderer.

The service page and ``newstrace analyze --format html`` must show the same thing, so the
parts come from :mod:`newstrace.render.html` (which escapes every piece of article text),
chosen and ordered by the report sections' declarations (``html`` in
:mod:`newstrace.sections`); this module holds the page's own renderers that the
declarations name for the page (findings with copy buttons, the provenance diagram). All
returned strings are already-escaped HTML, marked safe for the templates.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from newstrace.render import html as report_html
from newstrace.render.common import shorten
from newstrace.render.html import facts_of, title_of

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


def findings_part(report: dict[str, Any]) -> str:
    """The findings on the page: groups start collapsed, each finding gets a copy button."""
    return report_html.findings_section(
        report, interactive=True, permalink=report.get("permalink")
    )


def provenance_part(report: dict[str, Any]) -> str:
    """Declared provenance on the page: the file's list, with the diagram under its heading."""
    fragment = report_html.provenance_section(report)
    # str(): adding a plain str to Markup would escape the str side.
    return fragment.replace("</h2>", "</h2>" + str(provenance_diagram(report)), 1)


def sections(report: dict[str, Any]) -> list[tuple[str, str, Markup]]:
    """(id, label, html) for each non-empty part of the report, in declared order."""
    # The renderers escape every value they take from the report.
    return [
        (view.anchor, view.label, Markup(fragment))
        for view, fragment in report_html.parts(report, page=True)
    ]


__all__ = ["REPORT_CSS", "facts_of", "provenance_diagram", "sections", "title_of"]
