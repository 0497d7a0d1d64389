"""A corpus with poison documents: one hangs its worker, one exhausts the worker's memory
limit, one kills its worker process. The run finishes with every other document analysed
exactly once and each poison document in ``rejects`` with its reason; dead and hung
workers are replaced (corpus/executor/guard.py, LocalExecutor)."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from newstrace.analyze.analyzer import Analyzer, BaseAnnotator
from newstrace.config import Settings
from newstrace.corpus.executor.guard import poison_path
from newstrace.corpus.executor.local import LocalExecutor
from newstrace.corpus.pipeline import build_pipeline
from newstrace.corpus.query import query

pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("duckdb")

HANG = "POISON-HANG"
MEMORY = "POISON-MEMORY"
KILL = "POISON-KILL"


class Poison(BaseAnnotator):
    """A test-only annotator that misbehaves on marker texts, the way a bug in a C
    extension would: a hang no alarm interrupts, an allocation past any limit, a death."""

    name = "poison"
    requires = ("text",)

    def __call__(self, article):
        if HANG in article.text:
            # SIGALRM blocked: the in-process deadline cannot end this one, only the
            # executor's watchdog can.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            while True:
                time.sleep(1)
        if MEMORY in article.text:
            hog = bytearray(64 * 1024**3)  # 64 GiB: over any worker limit
            hog[0] = 1
        if KILL in article.text:
            os.kill(os.getpid(), signal.SIGKILL)
        return article


def poison_analyzer(settings: Settings) -> Analyzer:
    """Loaded by worker processes by name (``test_poison_corpus:poison_analyzer``)."""
    return Analyzer([Poison()], settings)


def slow_start_analyzer(settings: Settings) -> Analyzer:
    """A worker whose models take longer to load than the per-document limit."""
    time.sleep(3.0)
    return Analyzer([Poison()], settings)


def table_ids(out: Path, table: str) -> list[str]:
    ids: list[str] = []
    for part in sorted((out / table).glob("part-*.parquet")):
        ids.extend(pq.read_table(part, columns=["id"]).column("id").to_pylist())
    return ids


def make_corpus(folder: Path, good: int) -> list[str]:
    folder.mkdir()
    names = []
    for i in range(good):
        name = f"good-{i:02d}"
        (folder / f"{name}.txt").write_text(
            f"Headline number {i}\n\nThe mayor said on Tuesday that item {i} was approved.\n")
        names.append(name)
    for name, marker in (("poison-hang", HANG), ("poison-memory", MEMORY),
                         ("poison-kill", KILL)):
        (folder / f"{name}.txt").write_text(f"Headline\n\nThis page says {marker} twice.\n")
    return names


def test_poison_documents_are_isolated_and_everything_else_runs_once(tmp_path):
    good = make_corpus(tmp_path / "pages", 14)
    out = tmp_path / "out"
    pipeline = build_pipeline([tmp_path / "pages"], out,
                              analyzer="test_poison_corpus:poison_analyzer")
    executor = LocalExecutor(pipeline, out, tasks=3, workers=2, progress=False,
                             doc_timeout_s=4.0, memory_limit_mb=2048)
    started = time.monotonic()
    summary = executor.run()
    assert time.monotonic() - started < 120
    assert summary.failed == {}
    articles = table_ids(out, "articles")
    assert sorted(articles) == sorted(good)  # each good document exactly once
    _, rows = query(out, "SELECT id, reason, stage, message FROM rejects ORDER BY id")
    reasons = {r[0]: (r[1], r[2]) for r in rows}
    assert reasons == {
        "poison-hang": ("timeout", "worker"),
        "poison-memory": ("memory", "analyze"),
        "poison-kill": ("crash", "worker"),
    }
    message = {r[0]: r[3] for r in rows}
    assert "SIGKILL" in message["poison-kill"]
    assert summary.analysed == len(good) and sum(summary.rejected.values()) == 3
    # The hung and the killed worker were replaced; the memory hog's worker lived on.
    assert executor.workers_started == 2 + 2
    assert set(executor.poisoned.values()) == {"timeout", "crash"}
    # The poison lists stay with the output: a resumed run skips those documents too.
    listed = {}
    for rank in range(3):
        if poison_path(out, rank).exists():
            listed.update(json.loads(poison_path(out, rank).read_text()))
    assert sorted(Path(loc).stem for loc in listed) == ["poison-hang", "poison-kill"]


@pytest.mark.parametrize(("analyzer", "workers", "timeout"), [
    # The guard costs nothing visible on a clean corpus: no poison list, no restarts.
    ("poison_analyzer", 2, 4.0),
    # Start-up (models here, 3 s; on a busy machine also the readers' imports, which the
    # load step does in prepare()) happens before any document is in flight, so the first
    # document of a task is not blamed for it and killed as a timeout.
    ("slow_start_analyzer", 1, 2.0),
])
def test_clean_corpus_runs_without_restarts(tmp_path, analyzer, workers, timeout):
    good = make_corpus(tmp_path / "pages", 6)
    for poison in (tmp_path / "pages").glob("poison-*"):
        poison.unlink()
    out = tmp_path / "out"
    pipeline = build_pipeline([tmp_path / "pages"], out,
                              analyzer=f"test_poison_corpus:{analyzer}")
    executor = LocalExecutor(pipeline, out, tasks=2, workers=workers, progress=False,
                             doc_timeout_s=timeout)
    summary = executor.run()
    assert summary.failed == {} and not summary.rejected
    assert sorted(table_ids(out, "articles")) == sorted(good)
    assert executor.workers_started == workers and not executor.poisoned
    assert not (out / "_poison").exists()
    assert not list((out / "_tmp").glob("inflight-*")) if (out / "_tmp").exists() else True


@pytest.mark.slow
def test_cli_run_isolates_poison_documents(tmp_path):
    import subprocess
    import sys

    good = make_corpus(tmp_path / "pages", 4)
    out = tmp_path / "out"
    tests = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests), *sys.path])}
    proc = subprocess.run(
        [sys.executable, "-m", "newstrace", "corpus", "run", str(tmp_path / "pages"), "-o",
         str(out), "--workers", "1", "--tasks", "1", "--no-progress", "--analyzer",
         "test_poison_corpus:poison_analyzer", "--doc-timeout", "3", "--memory-limit", "2048"],
        env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(table_ids(out, "articles")) == sorted(good)
    _, rows = query(out, "SELECT id, reason FROM rejects ORDER BY id")
    assert dict(rows) == {"poison-hang": "timeout", "poison-memory": "memory",
                          "poison-kill": "crash"}
