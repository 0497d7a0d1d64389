"""`trace add` (issue 15, item 2): an index that grows. Tracing A and B at once and
tracing A, then adding B, give the same pairs, passages and stories — on the local
executor and on Ray. The corpus is real text: labelled syndication copies of PolNeAR /
FakeNewsCorpus / CoAID articles (bench/syndication.py), shuffled so that B holds copies
and quotations of stories that begin in A."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

pq = pytest.importorskip("pyarrow.parquet")

from newstrace.errors import ConfigError, InputNotFound  # noqa: E402
from newstrace.trace.sharded import add_to_trace, trace_corpus  # noqa: E402

pytestmark = pytest.mark.data

ROOT = Path(__file__).resolve().parents[1]


def _rows(out: Path, table: str) -> list[tuple]:
    rows = pq.read_table(out / f"{table}.parquet").to_pylist()
    return sorted(tuple((k, repr(v)) for k, v in r.items()) for r in rows)


@pytest.fixture(scope="module")
def halves(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> tuple[Path, Path]:
    sys.path.insert(0, str(ROOT / "bench"))
    import syndication

    records, _ = syndication.corpus(160, seed=7, root=shared_data)
    lines = [json.dumps(r, ensure_ascii=False) for r in syndication.iter_records(records)]
    random.Random(3).shuffle(lines)
    root = tmp_path_factory.mktemp("trace-add")
    cut = len(lines) * 3 // 5
    a, b = root / "a.jsonl", root / "b.jsonl"
    a.write_text("\n".join(lines[:cut]) + "\n", encoding="utf-8")
    b.write_text("\n".join([*lines[cut:], "{not json"]) + "\n", encoding="utf-8")
    return a, b


@pytest.fixture(scope="module")
def together(halves: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("together") / "out"
    # Two files, two tasks: task 0 reads A, task 1 reads B — A's documents come first,
    # as they do when B is added later.
    summary = trace_corpus(list(halves), out, workers=2, tasks=2, progress=False)
    assert not summary.failed
    return out


def _assert_same_trace(grown: Path, together: Path, halves: tuple[Path, Path]) -> None:
    for table in ("pairs", "stories", "passages"):
        assert _rows(grown, table) == _rows(together, table), table
    ids_a = {json.loads(line)["id"] for line in halves[0].read_text().splitlines()}
    pairs = pq.read_table(together / "pairs.parquet").to_pylist()
    across = [p for p in pairs if (p["a"] in ids_a) != (p["b"] in ids_a)]
    # The add had work to do: pairs between old and new documents, copies among them.
    assert len(across) >= 10 and any(p["kind"] != "partial" for p in across)
    rejects = (grown / "rejects.jsonl").read_text().splitlines()
    assert len(rejects) == 1 and "malformed_data" in rejects[0]


def test_run_then_add_equals_one_run(
    halves: tuple[Path, Path], together: Path, tmp_path: Path
) -> None:
    out = tmp_path / "grown"
    # One read task per file keeps every document in file order, as in the run of both
    # (the article order fixes a/b within a pair and the story numbers).
    first = trace_corpus([halves[0]], out, workers=2, tasks=1, partitions=3, progress=False)
    before = first.pairs
    record = out / "_trace" / "corpus.json"
    first_record = record.read_text()
    added = add_to_trace([halves[1]], out, workers=2, tasks=1, progress=False)
    assert not added.failed and added.pairs > before
    _assert_same_trace(out, together, halves)
    # The index grew: `trace find` sees a document that only the add brought in.
    from newstrace.trace.index import TraceIndex

    index = TraceIndex(out)
    assert len(index) == first.articles + (added.articles - first.articles)
    new_doc = index.article(len(index) - 1)
    assert len(index) - 1 in index.candidates(new_doc)
    # A finished add is not repeated (its documents would count twice) …
    with pytest.raises(ConfigError, match="already added"):
        add_to_trace([halves[1]], out, workers=2, tasks=1, progress=False)
    # … but one killed before it recorded itself resumes: nothing is read or verified
    # twice, and the tables come out the same.
    record.write_text(first_record)
    again = add_to_trace([halves[1]], out, workers=2, tasks=1, progress=False)
    assert again.read is not None and again.read.skipped == again.read.tasks
    assert again.verify is not None and again.verify.skipped == again.verify.tasks
    _assert_same_trace(out, together, halves)
    # The first run cannot be redone over a grown trace (it would drop the additions).
    with pytest.raises(ConfigError, match="trace add"):
        trace_corpus([halves[0]], out, workers=2, tasks=1, partitions=3, progress=False)


def test_add_needs_a_finished_trace(halves: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(InputNotFound):
        add_to_trace([halves[1]], tmp_path / "nothing", progress=False)


def test_run_then_add_on_ray_equals_one_local_run(
    halves: tuple[Path, Path], together: Path, tmp_path: Path
) -> None:
    ray = pytest.importorskip("ray")
    out = tmp_path / "grown-ray"
    assert not trace_corpus([halves[0]], out, executor="ray", workers=2, tasks=1,
                            partitions=3, progress=False).failed  # fmt: skip
    assert not add_to_trace([halves[1]], out, executor="ray", workers=2, tasks=1,
                            progress=False).failed  # fmt: skip
    assert not ray.is_initialized()
    _assert_same_trace(out, together, halves)
