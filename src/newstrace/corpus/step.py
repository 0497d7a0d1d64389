"""The Step: one stage of a corpus pipeline, a generator over one shard.

``run(items, rank, world_size)`` takes the previous step's stream (``None`` for a reader)
and yields its own. Steps are small picklable objects: they travel to worker processes or
Ray workers as configuration, and build anything heavy (the Analyzer, open files) lazily
inside the worker, never in the driver.

Counters go to :attr:`Step.stats`; the executor resets them per task and stores them in
the task's stats file, so a run's totals are the sum over tasks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any


class Step:
    """Base class for pipeline steps."""

    name: str = "step"

    def __init__(self) -> None:
        self.stats: Counter[str] = Counter()

    def run(self, items: Iterable[Any] | None, rank: int, world_size: int) -> Iterator[Any]:
        raise NotImplementedError

    def begin_task(self, rank: int, world_size: int) -> None:
        """Called by the executor before :meth:`run` for each task: reset the counters."""
        self.stats = Counter()

    def prepare(self) -> None:
        """Load what the step needs (modules, models) before the task's first document.

        Called by the task loop outside any document, so a slow start (imports, model
        loading on a busy machine) never counts against a document's time limit.
        Default: nothing."""

    def commit(self, rank: int, world_size: int) -> None:
        """Make the task's output visible (writers rename temp files). Default: nothing."""

    def discard(self, rank: int, world_size: int) -> None:
        """Remove whatever an unfinished earlier attempt of this task left. Default: nothing."""

    def __getstate__(self) -> dict[str, Any]:
        # Only configuration travels; per-process state (models, open files) starting with
        # "_" is rebuilt in the worker.
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
