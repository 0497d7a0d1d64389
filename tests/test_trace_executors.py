"""`trace run` as sharded tasks on the corpus executors: the local executor (two worker
processes) and the Ray executor on a local cluster give the same pairs, passages and
stories, and the same pairs as the in-memory trace; a rerun resumes; bad documents land
in rejects. The corpus is real text: labelled syndication copies of PolNeAR / FakeNewsCorpus
/ CoAID articles (bench/syndication.py) plus PolNeAR text files read and structured by
the corpus readers."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

pq = pytest.importorskip("pyarrow.parquet")

from newstrace.trace import TraceConfig, trace_articles  # noqa: E402
from newstrace.trace.inputs import article_from_record  # noqa: E402
from newstrace.trace.sharded import trace_corpus  # noqa: E402

pytestmark = pytest.mark.data

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("pairs", "passages", "stories")


def _rows(out: Path, table: str) -> list[tuple]:
    rows = pq.read_table(out / f"{table}.parquet").to_pylist()
    return sorted(tuple((k, repr(v)) for k, v in r.items()) for r in rows)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT / "bench"))
    import syndication

    root = tmp_path_factory.mktemp("trace-corpus")
    records, _ = syndication.corpus(80, seed=5, root=shared_data)
    lines = [json.dumps(r, ensure_ascii=False) for r in syndication.iter_records(records)]
    lines.insert(7, "{not json")  # a reject on every executor
    (root / "copies.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pages = root / "pages"
    pages.mkdir()
    texts = sorted((shared_data / "polnear" / "dev" / "text").glob("*.txt"))[:3]
    for path in texts:
        shutil.copy(path, pages / path.name)
    # The first PolNeAR article again under another name: a copy read through `load`.
    shutil.copy(texts[0], pages / f"repost-{texts[0].name}")
    (pages / "empty.txt").write_text("   \n", encoding="utf-8")
    return [root / "copies.jsonl", pages]


@pytest.fixture(scope="module")
def local_run(small_corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trace-local") / "out"
    summary = trace_corpus(small_corpus, out, workers=2, tasks=3, progress=False)
    assert not summary.failed
    return out


def test_local_executor_matches_in_memory_trace(small_corpus: list[Path], local_run: Path) -> None:
    rejects = [json.loads(x) for x in (local_run / "rejects.jsonl").read_text().splitlines()]
    assert sorted(r["reason"] for r in rejects) == ["empty", "malformed_data"]
    index = [
        json.loads(x) for x in (local_run / "index" / "articles.jsonl").read_text().splitlines()
    ]
    assert len(index) == 80 + 4
    # The same articles traced in one process give the same related pairs and kinds
    # (a/b order follows the article order, which sharding changes).
    articles = [article_from_record(r) for r in index]
    result = trace_articles(articles, TraceConfig())
    expected = {(frozenset((articles[p.a].id, articles[p.b].id)), p.kind) for p in result.pairs}
    pairs = pq.read_table(local_run / "pairs.parquet").to_pylist()
    assert {(frozenset((p["a"], p["b"])), p["kind"]) for p in pairs} == expected
    assert len(pairs) >= 40
    # The PolNeAR page and its re-post, read from files and structured, are duplicates.
    page = sorted(p.name for p in small_corpus[1].glob("repost-*"))[0]
    assert any(
        p["kind"] == "duplicate"
        and {p["a"], p["b"]} == {page.removeprefix("repost-")[:-4], page[:-4]}
        for p in pairs
    )


def test_rerun_resumes_and_changes_nothing(small_corpus: list[Path], local_run: Path) -> None:
    before = {t: _rows(local_run, t) for t in TABLES}
    summary = trace_corpus(small_corpus, local_run, workers=2, tasks=3, progress=False)
    assert summary.read is not None and summary.verify is not None
    assert (summary.read.skipped, summary.verify.skipped) == (3, 3)
    assert {t: _rows(local_run, t) for t in TABLES} == before


@pytest.mark.slow
def test_ray_executor_gives_the_local_executors_pairs(
    small_corpus: list[Path], local_run: Path, tmp_path: Path
) -> None:
    ray = pytest.importorskip("ray")
    out = tmp_path / "ray"
    summary = trace_corpus(small_corpus, out, executor="ray", workers=2, tasks=3, progress=False)
    assert not ray.is_initialized()  # the local cluster it started is shut down again
    assert not summary.failed and summary.read is not None and summary.read.done == 3
    for table in TABLES:
        assert _rows(out, table) == _rows(local_run, table), table
    assert (out / "rejects.jsonl").read_text() == (local_run / "rejects.jsonl").read_text()
