"""Executors: where corpus tasks run. The task loop itself is in :mod:`.base`."""

from __future__ import annotations

from newstrace.corpus.executor.base import Executor, RunSummary, run_task
from newstrace.corpus.executor.local import LocalExecutor

__all__ = ["Executor", "LocalExecutor", "RunSummary", "run_task"]
