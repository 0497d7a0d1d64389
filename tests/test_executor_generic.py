"""Executors only decide where tasks run (issue 14, item 3): the run summary sums every
step's counters whatever the steps are called, rejects are counted by the reason each
document carries, whatever must happen once after the tasks is a step's ``finalise``
hook (the corpus writer's DuckDB views), and one factory builds every executor."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newstrace.corpus.executor import Executor, LocalExecutor, make_executor, run_task
from newstrace.corpus.pipeline import build_pipeline
from newstrace.corpus.query import DATABASE
from newstrace.corpus.step import Step
from newstrace.errors import ConfigError

pytest.importorskip("duckdb")


class InlineExecutor(Executor):
    """Tasks in this process, one after the other: the base class's bookkeeping alone."""

    kind = "inline"

    def run_tasks(self, ranks: list[int], progress: Any) -> dict[int, str]:
        for rank in ranks:
            run_task(self.pipeline, self.output, rank, self.tasks)
            progress.task_done()
        return {}


class CountWords(Step):
    """Counts the words of every loaded article under a name no executor knows."""

    name = "wordcount"

    def run(self, items: Iterable[Any] | None, rank: int, world_size: int) -> Iterator[Any]:
        for doc in items or ():
            if doc.article is not None:
                self.stats["words"] += len(doc.article.text.split())
                self.stats["articles"] += 1
            yield doc


def _csv(shared: Path, path: Path, n: int) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    src = shared / "fakenewscorpus-sample" / "news_sample.csv"
    with src.open(newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        rows = [row for _, row in zip(range(n), reader, strict=False)]
    rows[3]["content"] = "   "  # an empty document: a reject with its reason
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return rows


@pytest.mark.data
def test_summary_sums_every_step_and_finalise_writes_the_database(
    tmp_path: Path, shared_data: Path
) -> None:
    rows = _csv(shared_data, tmp_path / "in.csv", 12)
    out = tmp_path / "out"
    pipeline = build_pipeline([tmp_path / "in.csv"], out, analyzer="structure")
    pipeline.insert(2, CountWords())
    summary = InlineExecutor(pipeline, out, tasks=3, progress=False).run()
    assert (summary.done, summary.documents) == (3, 12)
    assert summary.analysed == 11 and sum(summary.rejected.values()) == 1
    assert list(summary.rejected) == ["empty"]
    counted = summary.steps["wordcount"]
    assert counted["articles"] == 11
    # The words of the loaded articles: at least those of the CSV bodies' first lines.
    assert counted["words"] > sum(len(r["content"].split()[:5]) for r in rows)
    assert summary.steps["write"]["written"] == 11  # the writer's own counters, summed
    assert summary.cpu_seconds > 0 and summary.peak_rss_mb > 0
    # The corpus writer's finalise hook ran once in the driver: the views exist.
    assert (out / DATABASE).is_file()


@pytest.mark.data
def test_an_executor_without_the_corpus_writer_writes_no_database(
    tmp_path: Path, shared_data: Path
) -> None:
    _csv(shared_data, tmp_path / "in.csv", 4)
    out = tmp_path / "out"
    pipeline = build_pipeline([tmp_path / "in.csv"], out, analyzer="structure")[:2]
    pipeline.append(CountWords())
    summary = InlineExecutor(pipeline, out, tasks=1, progress=False).run()
    assert summary.steps["wordcount"]["articles"] == 3
    assert not (out / DATABASE).exists()


def test_make_executor_chooses_and_defaults_tasks(tmp_path: Path) -> None:
    local = make_executor("local", [], tmp_path / "a", workers=3, progress=False)
    assert isinstance(local, LocalExecutor) and local.tasks == 12
    assert make_executor("local", [], tmp_path / "b", workers=3, tasks=5).tasks == 5
    with pytest.raises(ConfigError, match="unknown executor"):
        make_executor("spark", [], tmp_path / "c")
    pytest.importorskip("ray")
    from newstrace.corpus.executor.ray import RayExecutor

    ray_exec = make_executor("ray", [], tmp_path / "d", workers=2, ray_address="auto")
    assert isinstance(ray_exec, RayExecutor) and ray_exec.address == "auto"
    assert ray_exec.tasks == 8


def test_ray_session_is_reused_and_closed() -> None:
    ray = pytest.importorskip("ray")
    from newstrace.corpus.executor.ray import ray_session

    with ray_session(workers=1) as outer:
        assert outer.is_initialized()
        with ray_session(workers=1):
            pass
        assert ray.is_initialized()  # the inner block did not close the outer session
    assert not ray.is_initialized()
