"""Report → corpus rows (Parquet) → report: every declared section comes back equal,
except the fields its declaration names as not kept (docs/corpus-schema.md).

The rows go through real Parquet files and DuckDB (the service's read path), so type
changes on the way (ints, floats, lists, nulls) are part of what is checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

import pyarrow as pa
import pyarrow.parquet as pq

import newstrace
from newstrace.corpus.record import Doc, InputRecord
from newstrace.corpus.tables import SCHEMAS, flatten
from newstrace.sections import SECTIONS, Section
from newstrace.service.corpus_store import CorpusStore

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "data" / "articles"
PATHS = [
    ROOT.parent / "shared" / "examples" / "germany-russia-coalition.md",
    ROOT / "examples" / "germany-russia-coalition.md",
    ARTICLES / "fakenewscorpus-18225-willyloman.txt",
    ARTICLES / "polnear-politico_2016-01-28_saudi-prince-mocks-trump-on-twit.txt",
    ARTICLES / "polnear-huff-post_2015-12-30_hillary-clinton-calls-isis-viole.txt",
    ARTICLES / "fakenewscorpus-39558-newsmax.txt",
    # Saved HTML pages: block hints, links, captions (present where the shared data is).
    *sorted((ROOT.parent / "shared" / "data" / "article-extraction" / "html").glob("*.html.gz"))[
        :3
    ],
]


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[dict, dict]]:
    analyzer = newstrace.Analyzer.default()
    out = tmp_path_factory.mktemp("corpus")
    reports, rows = [], {table: [] for table in SCHEMAS}
    for i, path in enumerate(p for p in PATHS if p.is_file()):
        report = newstrace.analyze(path, analyzer=analyzer).to_dict()
        doc = Doc(record=InputRecord(f"a{i}", str(path), ""), report=report)
        for table, items in flatten(doc, task=0).items():
            rows[table].extend(items)
        reports.append((f"a{i}", report))
    for table, schema in SCHEMAS.items():
        (out / table).mkdir()
        pq.write_table(
            pa.Table.from_pylist(rows[table], schema=schema),
            out / table / "part-00000-of-00001.parquet",
        )
    store = CorpusStore.open(out)
    try:
        return [(report, store.article(aid)) for aid, report in reports]
    finally:
        store.close()


def _kept(value: Any, lost: set[str], prefix: str = "") -> Any:
    """``value`` without the keys (dotted paths) the tables do not keep."""
    if isinstance(value, dict):
        return {
            k: _kept(v, lost, f"{prefix}{k}.")
            for k, v in value.items()
            if f"{prefix}{k}" not in lost
        }
    if isinstance(value, list):
        return [_kept(v, lost, prefix) for v in value]
    return value


def _only_keys_of(original: Any, back: Any) -> Any:
    """For sections whose open-ended extra keys are not kept (block hints, a finding's
    kind-specific keys): ``original``'s items cut to the keys read back."""
    if isinstance(original, list) and isinstance(back, list) and len(original) == len(back):
        return [
            {k: v for k, v in o.items() if k in b} if isinstance(o, dict) else o
            for o, b in zip(original, back, strict=True)
        ]
    return original


def _expected(section: Section, original: Any, back: Any) -> Any:
    lost = {name for name in section.corpus_lost if not name.startswith("*")}
    kept = _kept(original, lost)
    if any(name.startswith("*") for name in section.corpus_lost):
        kept = _only_keys_of(kept, back)
    return kept


READ_SECTIONS = [s for s in SECTIONS if s.reader() is not None]


@pytest.mark.parametrize("section", READ_SECTIONS, ids=[s.key for s in READ_SECTIONS])
def test_every_section_comes_back_equal_but_for_its_documented_losses(
    round_trip: list[tuple[dict, dict]], section: Section
) -> None:
    assert len(round_trip) >= 5
    for original, back in round_trip:
        expected = _expected(section, original[section.key], back[section.key])
        assert _kept(back[section.key], set(section.corpus_lost)) == expected, original["id"]


def test_claims_keep_their_attribution_links(round_trip: list[tuple[dict, dict]]) -> None:
    linked = 0
    for original, back in round_trip:
        for before, after in zip(original["claims"], back["claims"], strict=True):
            assert after["attribution"] == before["attribution"]
            linked += before["attribution"] is not None
    assert linked >= 10  # the articles do attribute: the check is not vacuous


def test_stance_probability_and_cue_spans_come_back(round_trip: list[tuple[dict, dict]]) -> None:
    for original, back in round_trip:
        stance = original["headline"].get("stance")
        if stance:
            expected = {"label": stance["label"], "probability": stance["probability"]}
            assert back["headline"]["stance"] == expected
            assert back["headline"]["stance"]["probability"] > 0
        cues = [a["cue"] for a in original["attributions"]]
        assert [a["cue"] for a in back["attributions"]] == cues
        for cue in cues:
            if cue is not None:
                assert back["text"][cue["start"] : cue["end"]] == cue["text"]


def test_findings_keep_their_first_evidence_span(round_trip: list[tuple[dict, dict]]) -> None:
    for original, back in round_trip:
        assert [f["evidence"] for f in back["findings"]] == [
            f["evidence"][:1] for f in original["findings"]
        ]


def test_every_lost_field_is_documented() -> None:
    doc = (ROOT / "docs" / "corpus-schema.md").read_text(encoding="utf-8")
    part = doc.split("## What a report read back from the tables lacks", 1)[1].split("\n## ")[0]
    lines = [line for line in part.splitlines() if line.startswith("| `")]
    rows = {line.split("|")[1].strip(): line for line in lines}
    for section in SECTIONS:
        if section.corpus_lost:
            line = rows[f"`{section.key}`"]
            for name in section.corpus_lost:
                assert f"`{name.lstrip('*')}`" in line, (section.key, name)


def test_written_rows_have_exactly_their_tables_columns(example_path: Path) -> None:
    report = newstrace.analyze(example_path).to_dict()
    rows = flatten(Doc(record=InputRecord("x", "x", ""), report=report), task=0)
    assert set(rows) == set(SCHEMAS) - {"rejects"}
    for table, items in rows.items():
        names = set(SCHEMAS[table].names)
        for item in items:
            # A key the schema lacks would be dropped silently by Arrow, a missing one null.
            assert set(item) == names, (table, set(item) ^ names)
    evidence = [r["evidence_text"] for r in rows["findings"]]
    assert evidence and all(evidence)
