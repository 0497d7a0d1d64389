"""LocalExecutor: tasks on N worker processes of this machine.

Workers are started with ``spawn`` (or ``forkserver``), never ``fork``: the driver may
hold threads and loaded libraries that must not be copied. Each worker takes task ranks
from a queue and runs :func:`~newstrace.corpus.executor.base.run_task`; the Analyzer is
built inside the worker on its first task and reused for the next ones (it is cached per
process by the analyse step, never pickled).

A worker dies with its driver: on Linux the kernel kills it (``PR_SET_PDEATHSIG``), and
elsewhere it notices its parent is gone at the next progress report. A killed run thus
leaves no orphan still writing into the output folder.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import signal
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from newstrace.corpus.executor.base import Executor, run_task
from newstrace.corpus.step import Step


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker(pipeline: Sequence[Step], output: str, world_size: int, tasks: Any,
            results: Any, parent: int) -> None:
    _die_with_parent(parent)

    def progress(n: int) -> None:
        if os.getppid() != parent:
            os._exit(1)
        results.put(("progress", None, n))

    while True:
        rank = tasks.get()
        if rank is None:
            return
        try:
            stats = run_task(pipeline, output, rank, world_size, progress)
            results.put(("done", rank, stats.get("documents")))
        except BaseException as exc:  # report, then let the next task run
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            results.put(("failed", rank, detail[:2000]))
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                return


class LocalExecutor(Executor):
    """Run tasks on ``workers`` processes (``start_method``: spawn or forkserver)."""

    kind = "local"

    def __init__(self, pipeline: Sequence[Step], output: Any, *,
                 start_method: str = "spawn", **kwargs: Any) -> None:
        super().__init__(pipeline, output, **kwargs)
        self.start_method = start_method

    def run_tasks(self, ranks: list[int], progress: Any) -> dict[int, str]:
        ctx = mp.get_context(self.start_method)
        tasks = ctx.Queue()
        results = ctx.Queue()
        for rank in ranks:
            tasks.put(rank)
        n_workers = min(self.workers, len(ranks))
        for _ in range(n_workers):
            tasks.put(None)
        procs = [
            ctx.Process(target=_worker, name=f"newstrace-corpus-{i}", daemon=True,
                        args=(self.pipeline, str(self.output), self.tasks, tasks, results,
                              os.getpid()))
            for i in range(n_workers)
        ]
        for proc in procs:
            proc.start()
        failed: dict[int, str] = {}
        remaining = set(ranks)
        try:
            while remaining:
                try:
                    kind, rank, value = results.get(timeout=0.5)
                except queue.Empty:
                    if not any(p.is_alive() for p in procs):
                        # A worker was killed (OOM, segfault) holding tasks: report them;
                        # a rerun picks them up.
                        with contextlib.suppress(queue.Empty):
                            while True:
                                kind, rank, value = results.get_nowait()
                                self._handle(kind, rank, value, progress, remaining, failed)
                        for rank in remaining:
                            failed[rank] = "worker process died"
                        break
                    continue
                self._handle(kind, rank, value, progress, remaining, failed)
        finally:
            for proc in procs:
                proc.join(timeout=5)
                if proc.is_alive():
                    proc.kill()
        return failed

    @staticmethod
    def _handle(kind: str, rank: Any, value: Any, progress: Any, remaining: set[int],
                failed: dict[int, str]) -> None:
        if kind == "progress":
            progress.advance(value)
        elif kind == "done":
            remaining.discard(rank)
            progress.task_done(value)
        elif kind == "failed":
            remaining.discard(rank)
            failed[rank] = value
            progress.task_done()
