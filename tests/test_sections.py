"""The section declarations: the report they lay out matches their schema fragments, and
every name they give (rules, renderers, row functions) resolves."""

from __future__ import annotations

from pathlib import Path

import pytest

import newstrace
from newstrace.sections import COLUMN_TYPES, LAYERS, SECTIONS, report_schema, resolve

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


@pytest.fixture(scope="module")
def reports(example_path: Path) -> list[dict]:
    analyzer = newstrace.Analyzer.default()
    paths = [example_path, *sorted(ARTICLES.glob("*.txt"))]
    return [newstrace.analyze(p, analyzer=analyzer).to_dict() for p in paths]


def test_reports_match_the_sections_schema(reports: list[dict]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = report_schema()
    for report in reports:
        jsonschema.validate(report, schema)
        # A report without its required sections does not validate: the schema has teeth.
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({k: v for k, v in report.items() if k != "claims"}, schema)


def test_report_keys_are_the_declared_sections_in_order(reports: list[dict]) -> None:
    declared = [s.key for s in SECTIONS]
    for report in reports:
        keys = [k for k in report if k in declared]
        assert keys == [k for k in declared if k in report]
        assert {s.key for s in SECTIONS if not s.optional} <= set(report)


def test_every_declared_name_resolves() -> None:
    for section in SECTIONS:
        assert section.layer in LAYERS
        for name in (section.write, section.read, *(n for _, n in section.terminal or ())):
            if name is not None:
                assert callable(resolve(name)), name
        for view in section.views():
            assert callable(view.renderer()) and callable(view.renderer(page=True)), view
        for module in section.rules:
            assert resolve(f"{module}:RULES"), module
        columns = [*section.columns, *(c for t in section.tables for c in t.columns)]
        assert all(kind in COLUMN_TYPES for _, kind in columns), section.key


def test_rules_run_in_layer_order() -> None:
    from newstrace.sections import rule_modules

    assert [m.rsplit(".", 1)[1] for m in rule_modules()] == [
        "structure_rules",
        "sourcing_rules",
        "provenance_rules",
        "headline_rules",
    ]


def test_html_parts_are_the_declared_views_and_the_nav_links_them(reports: list[dict]) -> None:
    import re

    from newstrace.render.html import render_html
    from newstrace.sections import views

    anchors = [v.anchor for v in views()]
    assert len(anchors) == len(set(anchors))
    for report in reports:
        page = render_html(report)
        nav = re.search(r'<nav aria-label="Report sections">(.*?)</nav>', page).group(1)
        linked = re.findall(r'href="#([\w-]+)"', nav)
        drawn = re.findall(r'<section id="([\w-]+)"', page)
        # Every part drawn is linked, in page order, and no link points at a missing part.
        assert linked == [a for a in drawn if a in anchors] == drawn
        assert linked[0] == "summary" and "article" in linked
