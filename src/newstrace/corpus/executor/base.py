"""The task loop, written once, and the executor base that schedules it.

``run_task(pipeline, output, rank, world_size)`` is all a worker ever runs: skip if the
task's marker exists; otherwise discard what an unfinished earlier attempt left, chain the
steps over shard ``rank``, drain the stream, commit the writers' files, write the task's
stats, and last the marker. Executors differ only in where they call it.

Output layout (docs/corpus-schema.md)::

    OUT/_run.json                 inputs and task count (resume refuses a different count)
    OUT/_done/task-RRRRR          completion markers
    OUT/_stats/task-RRRRR.json    per-task counters
    OUT/<table>/part-RRRRR-of-WWWWW.parquet
    OUT/newstrace.duckdb          views over the tables (the corpus writer's finalise hook)

Executors know nothing of what the steps do: the run's totals are the loop's own figures
(documents, rejects by the reason each item carries, CPU, memory) plus every step's
counters summed by name, and whatever must happen once after the tasks is a step's
``finalise`` hook.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newstrace.corpus.executor.guard import guard_records
from newstrace.corpus.step import Step
from newstrace.corpus.writers import TMP_DIR
from newstrace.errors import ConfigError

ProgressFn = Callable[[int], None]

DONE_DIR = "_done"
STATS_DIR = "_stats"
RUN_FILE = "_run.json"
#: How many documents pass between progress reports from a task.
PROGRESS_EVERY = 16


def marker_path(output: Path, rank: int) -> Path:
    return output / DONE_DIR / f"task-{rank:05d}"


def stats_path(output: Path, rank: int) -> Path:
    return output / STATS_DIR / f"task-{rank:05d}.json"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def peak_rss_mb() -> float | None:
    """This process's peak resident memory so far, in MiB (None where unknown)."""
    # /proc's VmHWM belongs to this process image; getrusage's ru_maxrss survives exec,
    # so a spawned worker would report its parent's peak.
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # not on POSIX
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def run_task(
    pipeline: Sequence[Step],
    output: str | Path,
    rank: int,
    world_size: int,
    progress: ProgressFn | None = None,
) -> dict[str, Any]:
    """Run shard ``rank`` of ``world_size`` through ``pipeline``; return its stats."""
    output = Path(output)
    marker = marker_path(output, rank)
    if marker.exists():
        return {"rank": rank, "skipped": True}
    started = time.perf_counter()
    cpu_started = time.process_time()
    for step in pipeline:
        step.discard(rank, world_size)
        step.begin_task(rank, world_size)
    for step in pipeline:
        # Before any document is in flight (executor/guard.py): a worker's start-up cost
        # is not a document's.
        prepare = getattr(step, "prepare", None)
        if callable(prepare):
            prepare()
    items: Iterable[Any] | None = None
    for index, step in enumerate(pipeline):
        items = step.run(items, rank, world_size)
        if index == 0:
            # Between the reader and the rest: in-flight marker, poisoned records skipped
            # (executor/guard.py: per-document isolation).
            items = guard_records(items, output, rank)
    documents = 0
    unreported = 0
    seconds = 0.0
    # Rejects are counted here, off the stream's end, by the reason each item carries:
    # the loop needs no step's name to know how many documents a task refused.
    rejected: Counter[str] = Counter()
    for doc in items or ():
        documents += 1
        seconds += getattr(doc, "seconds", 0.0)
        reject = getattr(doc, "reject", None)
        if reject is not None:
            rejected[reject.reason] += 1
        unreported += 1
        if progress is not None and unreported >= PROGRESS_EVERY:
            progress(unreported)
            unreported = 0
    if progress is not None and unreported:
        progress(unreported)
    stats: dict[str, Any] = {
        "rank": rank,
        "world_size": world_size,
        "documents": documents,
        "rejected": dict(rejected),
        "analysis_seconds": round(seconds, 4),
        "wall_seconds": round(time.perf_counter() - started, 4),
        # CPU time of the worker process for this task: on a shared machine it says what
        # the work costs, whatever else competes for the cores.
        "cpu_seconds": round(time.process_time() - cpu_started, 4),
        "pid": os.getpid(),
        # The worker's peak so far (a worker keeps its process across tasks, so this is
        # an upper bound on what this task needed).
        "peak_rss_mb": peak_rss_mb(),
        "steps": {
            step.name: {
                k: round(v, 4) if isinstance(v, float) else v for k, v in step.stats.items()
            }
            for step in pipeline
        },
    }
    # Order matters for resume: files first, then stats, then the marker. A kill before
    # the marker means the task is redone and its files replaced.
    for step in pipeline:
        step.commit(rank, world_size)
    _write_atomic(stats_path(output, rank), json.dumps(stats, indent=1))
    _write_atomic(marker, json.dumps({"rank": rank, "documents": documents}))
    return stats


@dataclass
class RunSummary:
    """Totals over every finished task of a run (finished now or earlier)."""

    tasks: int
    done: int
    skipped: int
    failed: dict[int, str] = field(default_factory=dict)
    documents: int = 0
    #: Documents of the tasks finished in this invocation (the rate's numerator).
    new_documents: int = 0
    #: Documents that came out of the pipeline without a reject.
    analysed: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    analysis_seconds: float = 0.0
    cpu_seconds: float = 0.0
    #: Largest ``peak_rss_mb`` any task reported.
    peak_rss_mb: float = 0.0
    #: Every step's counters summed over the tasks (``{step name: {counter: total}}``).
    steps: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.new_documents / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks,
            "done": self.done,
            "skipped": self.skipped,
            "failed": {str(k): v for k, v in self.failed.items()},
            "documents": self.documents,
            "new_documents": self.new_documents,
            "analysed": self.analysed,
            "rejected": dict(self.rejected),
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "peak_rss_mb": self.peak_rss_mb,
            "articles_per_s": round(self.rate, 3),
            "steps": {k: dict(v) for k, v in self.steps.items()},
        }


def collect_stats(output: Path, tasks: int) -> RunSummary:
    """Sum the per-task stats files of ``output``: the loop's own figures and every
    step's counters, whatever the steps are (no step is known by name)."""
    summary = RunSummary(tasks=tasks, done=0, skipped=0)
    for rank in range(tasks):
        path = stats_path(output, rank)
        if not (marker_path(output, rank).exists() and path.exists()):
            continue
        stats = json.loads(path.read_text(encoding="utf-8"))
        summary.done += 1
        summary.documents += stats.get("documents", 0)
        summary.analysis_seconds += stats.get("analysis_seconds", 0.0)
        summary.cpu_seconds += stats.get("cpu_seconds", 0.0)
        summary.peak_rss_mb = max(summary.peak_rss_mb, stats.get("peak_rss_mb") or 0.0)
        for name, counters in stats.get("steps", {}).items():
            total = summary.steps.setdefault(name, Counter())
            for key, value in counters.items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    total[key] += value
        rejected = Counter(stats.get("rejected", {}))
        summary.rejected += rejected
        summary.analysed += stats.get("documents", 0) - sum(rejected.values())
    return summary


def read_run_file(output: Path) -> dict[str, Any] | None:
    path = output / RUN_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


class Executor:
    """Schedules ``run_task`` for every unfinished task; subclasses say where it runs."""

    kind = "base"

    def __init__(
        self,
        pipeline: Sequence[Step],
        output: str | Path,
        *,
        tasks: int = 1,
        workers: int = 1,
        description: dict[str, Any] | None = None,
        identity: dict[str, Any] | None = None,
        progress: bool = True,
        estimate: int | None = None,
    ) -> None:
        """``description`` is recorded in the run file; ``identity`` too, and a resumed run
        must match it (what the finished shards depend on: inputs, format, parameters)."""
        if tasks < 1 or workers < 1:
            raise ConfigError("tasks and workers must be at least 1")
        self.pipeline = list(pipeline)
        self.output = Path(output).resolve()
        self.tasks = tasks
        self.workers = workers
        self.description = description or {}
        self.identity = identity
        self.show_progress = progress
        self.estimate = estimate

    def prepare(self) -> list[int]:
        """Create the output folder, check the run file, list the tasks still to do."""
        self.output.mkdir(parents=True, exist_ok=True)
        previous = read_run_file(self.output)
        if previous is not None and previous.get("tasks") != self.tasks:
            raise ConfigError(
                f"{self.output} holds a run split into {previous.get('tasks')} tasks; resume "
                f"it with --tasks {previous.get('tasks')} or write to a new folder "
                "(the shards would not line up)"
            )
        if previous is not None and self.identity is not None:
            before = previous.get("identity")
            differing = sorted(
                k for k in {*self.identity, *(before or {})}
                if (before or {}).get(k) != self.identity.get(k)
            )
            if before is not None and differing:
                raise ConfigError(
                    f"{self.output} holds a run of other inputs or parameters "
                    f"({', '.join(differing)} differ); write to a new folder"
                )
        if previous is None:
            record: dict[str, Any] = {"tasks": self.tasks, **self.description}
            if self.identity is not None:
                record["identity"] = self.identity
            _write_atomic(self.output / RUN_FILE, json.dumps(record, indent=1))
        return [r for r in range(self.tasks) if not marker_path(self.output, r).exists()]

    def run(self) -> RunSummary:
        from newstrace.corpus.progress import RunProgress

        started = time.perf_counter()
        pending = self.prepare()
        skipped = self.tasks - len(pending)
        with RunProgress(
            self.tasks, skipped, enabled=self.show_progress, estimate=self.estimate
        ) as progress:
            failed = self.run_tasks(pending, progress) if pending else {}
        summary = collect_stats(self.output, self.tasks)
        summary.skipped = skipped
        summary.new_documents = sum(
            json.loads(stats_path(self.output, r).read_text(encoding="utf-8"))["documents"]
            for r in pending
            if marker_path(self.output, r).exists() and stats_path(self.output, r).exists()
        )
        summary.failed = failed
        summary.seconds = time.perf_counter() - started
        with contextlib.suppress(OSError):  # only removed when empty: nothing in flight
            (self.output / TMP_DIR).rmdir()
        self.finalise(summary)
        return summary

    def finalise(self, summary: RunSummary) -> None:
        """Once, in the driver, after the tasks: every step's ``finalise(output, summary)``
        hook (the corpus writer builds its DuckDB views there). Steps without one are
        skipped, so the executor needs to know nothing of what they wrote."""
        for step in self.pipeline:
            hook = getattr(step, "finalise", None)
            if callable(hook):
                hook(self.output, summary)

    def run_tasks(self, ranks: list[int], progress: Any) -> dict[int, str]:
        """Run the tasks ``ranks``; report docs with ``progress.advance(n)`` and finished
        tasks with ``progress.task_done()``; return {rank: error} for tasks that failed."""
        raise NotImplementedError
