"""One place that turns the command-line executor options into an executor.

``corpus run`` and ``trace run`` (and anything else that runs tasks) build their executors
here, so the choice of executor, the default task count and which options apply to which
executor are written once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newstrace.corpus.executor.base import Executor
from newstrace.corpus.step import Step
from newstrace.errors import ConfigError

EXECUTORS = ("local", "ray")


def default_tasks(workers: int, tasks: int | None = None) -> int:
    """``tasks`` when given, else 4 × ``workers``: more shards than workers, so one slow
    shard does not hold up the end of a run and a resume loses little work."""
    return tasks or 4 * workers


def make_executor(
    kind: str,
    pipeline: Sequence[Step],
    output: str | Path,
    *,
    workers: int = 1,
    tasks: int | None = None,
    ray_address: str | None = None,
    doc_timeout_s: float = 600.0,
    memory_limit_mb: int | None = None,
    **common: Any,
) -> Executor:
    """The executor ``kind`` (local or ray) for ``pipeline``; ``common`` goes to
    :class:`~newstrace.corpus.executor.base.Executor` (description, identity, progress,
    estimate). The per-document watchdog options apply to the local executor only (Ray
    retries a task whose worker dies instead)."""
    if kind not in EXECUTORS:
        raise ConfigError(f"unknown executor {kind!r}: {' or '.join(EXECUTORS)}")
    n_tasks = default_tasks(workers, tasks)
    if kind == "ray":
        from newstrace.corpus.executor.ray import RayExecutor

        return RayExecutor(
            pipeline, output, address=ray_address, tasks=n_tasks, workers=workers, **common
        )
    from newstrace.corpus.executor.local import LocalExecutor

    return LocalExecutor(
        pipeline,
        output,
        tasks=n_tasks,
        workers=workers,
        doc_timeout_s=doc_timeout_s,
        memory_limit_mb=memory_limit_mb,
        **common,
    )
