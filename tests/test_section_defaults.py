"""Adding a report section is one declaration plus its annotator and rules.

A toy section, declared here only (never in the package), with no renderer and no row
function of its own: the generic defaults must carry it into the JSON report, its findings,
the terminal report, the HTML report, the service page, the corpus tables and back. One
list section (``toys``: one row per item in its own table) and one object section
(``toy_totals``: its fields in ``articles`` columns) cover both generic shapes.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import newstrace
import newstrace.assess.report  # imported before the patch below, so that it reaches it
import newstrace.corpus.query  # the same
import newstrace.sections as sections
from newstrace.analyze.base import BaseAnnotator
from newstrace.data import Article, Finding, Span
from newstrace.sections import Section, Table, _columns, _items

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

import pyarrow as pa
import pyarrow.parquet as pq

from newstrace.corpus import tables as corpus_tables
from newstrace.corpus.record import Doc, InputRecord
from newstrace.render.html import render_html
from newstrace.render.text import render_text
from newstrace.service import report_view
from newstrace.service.corpus_store import CorpusStore

#: Article text is data: a hostile kind must come out escaped everywhere.
HOSTILE = "<b>loud</b>"


class ToyAnnotator(BaseAnnotator):
    """The first word of every body paragraph, and how many there were."""

    name = "toys"
    requires = ("blocks",)
    assigns = ("results.toys", "results.toy_totals")

    def __call__(self, article: Article) -> Article:
        toys = []
        for block in article.blocks:
            words = block.text_of(article.text).split(maxsplit=1)
            if block.role == "body" and words:
                end = block.start + len(words[0])
                toys.append(
                    {
                        "word": Span(block.start, end),
                        "kind": HOSTILE if words[0][:1].isupper() else "plain",
                        "length": len(words[0]),
                        "capital": words[0][:1].isupper(),
                        "tags": ["first", "word"],
                    }
                )
        article.results["toys"] = toys
        first = toys[0]["word"] if toys else None
        article.results["toy_totals"] = {"count": len(toys), "first": first, "mean": 1.5}
        return article


def many_toys(article: Article) -> Iterator[Finding]:
    toys = article.results.get("toys") or []
    if len(toys) > 3:
        yield Finding("many_toys", "info", f"{len(toys)} toys", [toys[0]["word"]])


TOYS = Section(
    "toys",
    "analyze.toys",
    empty=[],
    rules=("toy_rules",),
    schema=_items(["word", "kind", "length"]),
    columns=_columns("n_toys:int"),
    tables=(
        Table("toys", _columns("idx:int word word_start:int word_end:int kind length:int "
                               "capital:bool tags:list[str]")),
    ),
)
TOTALS = Section(
    "toy_totals",
    "analyze.toys",
    empty={},
    title="Toy totals",
    columns=_columns(
        "toy_totals_count:int toy_totals_first toy_totals_first_start:int "
        "toy_totals_first_end:int toy_totals_mean:float"
    ),
)


def _everywhere(patch: pytest.MonkeyPatch, name: str, old: Any, new: Any) -> None:
    """``name`` set to ``new`` in every imported module where it is ``old``."""
    for module in list(sys.modules.values()):
        if getattr(module, name, None) is old:
            patch.setattr(module, name, new)


@pytest.fixture(scope="module")
def declared() -> Iterator[None]:
    """The toy sections declared before ``errors``, in every imported module that reads
    the declarations (as if they stood in ``sections.SECTIONS``), their layer after the
    annotators'."""
    patch = pytest.MonkeyPatch()
    declared = sections.SECTIONS
    extended = (*declared[:-1], TOYS, TOTALS, declared[-1])
    _everywhere(patch, "SECTIONS", declared, extended)
    # The corpus schemas are laid out from the declarations when corpus/tables is imported.
    schemas = corpus_tables._schemas()
    _everywhere(patch, "SCHEMAS", corpus_tables.SCHEMAS, schemas)
    _everywhere(patch, "TABLES", corpus_tables.TABLES, tuple(schemas))
    layers = sections.LAYERS
    patch.setattr(sections, "LAYERS", (*layers[:-2], "analyze.toys", *layers[-2:]))
    rules = types.ModuleType("toy_rules")
    rules.RULES = (many_toys,)  # type: ignore[attr-defined]
    patch.setitem(sys.modules, "toy_rules", rules)
    yield
    patch.undo()


@pytest.fixture(scope="module")
def report(declared: None, example_path: Path) -> dict[str, Any]:
    analyzer = newstrace.Analyzer([ToyAnnotator()])
    return newstrace.analyze(example_path, analyzer=analyzer).to_dict()


def test_json_report_carries_the_sections_and_their_findings(report: dict[str, Any]) -> None:
    keys = list(report)
    assert keys.index("findings") < keys.index("toys") < keys.index("toy_totals") < keys.index(
        "errors"
    )
    toys = report["toys"]
    assert len(toys) > 3
    assert report["text"][toys[0]["word"]["start"] : toys[0]["word"]["end"]] == toys[0]["word"][
        "text"
    ]
    assert report["toy_totals"]["count"] == len(toys)
    assert [f["kind"] for f in report["findings"]].count("many_toys") == 1
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(report, sections.report_schema())


def test_terminal_report_shows_them_with_the_generic_table(report: dict[str, Any]) -> None:
    text = render_text(report, width=160)
    assert "Toys" in text and "Toy totals" in text
    assert report["toys"][0]["word"]["text"] in text
    assert HOSTILE in text  # shown as written, not read as rich markup
    assert text.index("Toys") < text.index("Findings (")


def test_html_report_and_page_show_them_escaped(report: dict[str, Any]) -> None:
    page = render_html(report)
    assert '<a href="#toys">Toys</a>' in page and '<a href="#toy_totals">Toy totals</a>' in page
    assert '<section id="toys"><h2>Toys</h2>' in page
    assert HOSTILE not in page and "&lt;b&gt;loud&lt;/b&gt;" in page
    # before the article drawn with its layers, as the generic position says
    assert page.index('<section id="toys">') < page.index('<section id="article">')
    parts = report_view.sections(report)
    anchors = [anchor for anchor, _, _ in parts]
    assert "toys" in anchors and "toy_totals" in anchors
    assert all(HOSTILE not in str(fragment) for _, _, fragment in parts)


def test_empty_sections_are_not_drawn(declared: None, report: dict[str, Any]) -> None:
    empty = {**report, "toys": [], "toy_totals": {}}
    assert 'id="toys"' not in render_html(empty)
    assert "toys" not in [anchor for anchor, _, _ in report_view.sections(empty)]
    assert "Toys" not in render_text(empty, width=160)


def test_corpus_rows_and_back(
    declared: None, report: dict[str, Any], tmp_path: Path
) -> None:
    schemas = corpus_tables.SCHEMAS
    assert "toys" in schemas and "toy_totals_mean" in schemas["articles"].names
    rows = corpus_tables.flatten(Doc(record=InputRecord("a0", "a0", ""), report=report), task=0)
    assert len(rows["toys"]) == len(report["toys"])
    assert rows["articles"][0]["n_toys"] == len(report["toys"])
    for table, items in rows.items():
        for item in items:
            assert set(item) == set(schemas[table].names), table
    for table, schema in schemas.items():
        (tmp_path / table).mkdir()
        pq.write_table(
            pa.Table.from_pylist(rows.get(table, []), schema=schema),
            tmp_path / table / "part-00000-of-00001.parquet",
        )
    store = CorpusStore.open(tmp_path)
    try:
        back = store.article("a0")
    finally:
        store.close()
    assert back["toys"] == report["toys"]
    assert back["toy_totals"] == report["toy_totals"]
