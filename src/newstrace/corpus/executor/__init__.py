"""Executors: where corpus tasks run. The task loop itself is in :mod:`.base`;
:func:`make_executor` builds one from the command-line options."""

from __future__ import annotations

from newstrace.corpus.executor.base import Executor, RunSummary, run_task
from newstrace.corpus.executor.factory import default_tasks, make_executor
from newstrace.corpus.executor.local import LocalExecutor

__all__ = [
    "Executor",
    "LocalExecutor",
    "RunSummary",
    "default_tasks",
    "make_executor",
    "run_task",
]
