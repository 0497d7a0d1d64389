"""LocalExecutor: tasks on N worker processes of this machine.

Workers are started with ``spawn`` (or ``forkserver``), never ``fork``: the driver may
hold threads and loaded libraries that must not be copied. Each worker takes task ranks
from a queue and runs :func:`~newstrace.corpus.executor.base.run_task`; the Analyzer is
built inside the worker on its first task and reused for the next ones (it is cached per
process by the analyse step, never pickled).

A worker dies with its driver: on Linux the kernel kills it (``PR_SET_PDEATHSIG``), and
elsewhere it notices its parent is gone at the next progress report. A killed run thus
leaves no orphan still writing into the output folder.

Per-document isolation (executor/guard.py): the driver hands each worker one task at a
time, so it knows which task a worker holds. When a worker dies (SIGKILL, the OOM killer,
a segfault) or its current document runs past ``doc_timeout_s`` (the driver kills it),
the document in flight is added to the task's poison list (reason ``crash`` or
``timeout``), a fresh worker is started, and the task is run again from scratch: the
poisoned document goes to ``rejects``, every other one is analysed exactly once.
``memory_limit_mb`` caps each worker's address space (RLIMIT_AS), so a document that
tries to exhaust memory fails with MemoryError (reject reason ``memory``) instead of
taking the machine down.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from newstrace.corpus.executor.base import Executor, run_task
from newstrace.corpus.executor.guard import (
    CRASH,
    TIMEOUT,
    add_poison,
    clear_inflight,
    read_inflight,
)
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


def _limit_memory(megabytes: int | None) -> None:
    if not megabytes:
        return
    try:
        import resource
    except ImportError:  # not on POSIX: no limit rather than no run
        return
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker(
    pipeline: Sequence[Step],
    output: str,
    world_size: int,
    tasks: Any,
    results: Any,
    parent: int,
    memory_limit_mb: int | None = None,
) -> None:
    _die_with_parent(parent)
    _limit_memory(memory_limit_mb)

    def progress(n: int) -> None:
        if os.getppid() != parent:
            os._exit(1)
        results.send(("progress", None, n))

    while True:
        rank = tasks.get()
        if rank is None:
            return
        try:
            stats = run_task(pipeline, output, rank, world_size, progress)
            results.send(("done", rank, stats.get("documents")))
        except BaseException as exc:  # report, then let the next task run
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            results.send(("failed", rank, detail[:2000]))
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                return


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-exitcode).name}"
    return f"exit code {exitcode}"


class _Slot:
    """One worker process, its own task queue and result pipe, and the task it holds.

    Each worker has its own pipe rather than a shared queue: a worker killed in the middle
    of a send must not leave a lock held that every other worker then waits on.
    """

    def __init__(self, executor: LocalExecutor, ctx: Any, index: int) -> None:
        self.tasks = ctx.Queue()
        self.rank: int | None = None
        self.conn, sender = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=_worker,
            name=f"newstrace-corpus-{index}",
            daemon=True,
            args=(
                executor.pipeline,
                str(executor.output),
                executor.tasks,
                self.tasks,
                sender,
                os.getpid(),
                executor.memory_limit_mb,
            ),
        )
        self.process.start()
        sender.close()  # the worker holds the only send end: EOF when it dies

    def give(self, rank: int) -> None:
        self.rank = rank
        self.tasks.put(rank)

    def receive(self) -> list[tuple[str, Any, Any]]:
        """Every message waiting on the pipe (none once the worker is gone)."""
        messages = []
        with contextlib.suppress(EOFError, OSError):
            while self.conn.poll():
                messages.append(self.conn.recv())
        return messages

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.tasks.put(None)


class LocalExecutor(Executor):
    """Run tasks on ``workers`` processes (``start_method``: spawn or forkserver).

    ``doc_timeout_s``: a document still in flight after this long gets its worker killed
    and is rejected as ``timeout`` (0: no watchdog; set it above the time budget and the
    first document's model loading). ``memory_limit_mb``: address-space cap per worker.
    ``max_restarts``: a task whose worker dies this often without a document in flight
    (say, while loading models) is reported failed instead of retried.
    """

    kind = "local"

    def __init__(
        self,
        pipeline: Sequence[Step],
        output: Any,
        *,
        start_method: str = "spawn",
        doc_timeout_s: float = 0.0,
        memory_limit_mb: int | None = None,
        max_restarts: int = 3,
        **kwargs: Any,
    ) -> None:
        super().__init__(pipeline, output, **kwargs)
        self.start_method = start_method
        self.doc_timeout_s = doc_timeout_s
        self.memory_limit_mb = memory_limit_mb
        self.max_restarts = max_restarts
        #: Workers started over the run, replacements included.
        self.workers_started = 0
        #: {location: reason} of the documents isolated in this run.
        self.poisoned: dict[str, str] = {}

    def run_tasks(self, ranks: list[int], progress: Any) -> dict[int, str]:
        from multiprocessing.connection import wait

        ctx = mp.get_context(self.start_method)
        pending = list(ranks)
        for rank in pending:  # a stale marker from a killed attempt is not in flight
            clear_inflight(self.output, rank)
        slots: list[_Slot] = []
        failed: dict[int, str] = {}
        remaining = set(ranks)
        restarts: dict[int, int] = {}

        def start_slot() -> None:
            self.workers_started += 1
            slots.append(_Slot(self, ctx, self.workers_started))

        def handle(slot: _Slot) -> None:
            for kind, rank, value in slot.receive():
                self._handle(kind, rank, value, progress, remaining, failed)
                if kind in ("done", "failed") and slot.rank == rank:
                    slot.rank = None

        for _ in range(min(self.workers, len(ranks))):
            start_slot()
        try:
            while remaining:
                for slot in slots:
                    if slot.rank is None and pending:
                        slot.give(pending.pop(0))
                for conn in wait([s.conn for s in slots], timeout=0.2):
                    handle(next(s for s in slots if s.conn is conn))
                for slot in list(slots):
                    if slot.rank is None:
                        if not slot.process.is_alive():  # died between tasks
                            slots.remove(slot)
                            slot.conn.close()
                            if pending:
                                start_slot()
                        continue
                    reason = self._check(slot)
                    if reason is None:
                        continue
                    handle(slot)  # what it sent before it went: the task may be done
                    slots.remove(slot)
                    slot.conn.close()
                    rank = slot.rank
                    if rank is not None and rank in remaining:
                        if self._isolate(rank, reason, restarts):
                            clear_inflight(self.output, rank)
                            pending.insert(0, rank)
                        else:
                            remaining.discard(rank)
                            failed[rank] = f"worker process died ({reason[1]})"
                            progress.task_done()
                    if pending and len(slots) < self.workers:
                        start_slot()
                if not slots and remaining:  # cannot happen while tasks are pending
                    for rank in remaining:
                        failed[rank] = "worker process died"
                    break
        finally:
            for slot in slots:
                slot.stop()
            for slot in slots:
                slot.process.join(timeout=5)
                if slot.process.is_alive():
                    slot.process.kill()
        return failed

    def _check(self, slot: _Slot) -> tuple[str, str] | None:
        """(reason, message) when ``slot``'s worker must be replaced, else None."""
        assert slot.rank is not None
        if not slot.process.is_alive():
            return (CRASH, _death(slot.process.exitcode))
        if self.doc_timeout_s:
            inflight = read_inflight(self.output, slot.rank)
            if inflight is not None and inflight[1] > self.doc_timeout_s:
                slot.process.kill()
                slot.process.join(timeout=5)
                return (
                    TIMEOUT,
                    f"document ran past the {self.doc_timeout_s:g}s "
                    "per-document limit; its worker was killed",
                )
        return None

    def _isolate(self, rank: int, reason: tuple[str, str], restarts: dict[int, int]) -> bool:
        """Poison task ``rank``'s document in flight; True when the task should rerun."""
        inflight = read_inflight(self.output, rank)
        if inflight is None:
            # Died outside any document (loading models…): retry a few times, then fail.
            restarts[rank] = restarts.get(rank, 0) + 1
            return restarts[rank] <= self.max_restarts
        location = inflight[0]
        code, message = reason
        if code == CRASH:
            message = f"the worker process died on this document ({message})"
        add_poison(self.output, rank, location, code, message)
        self.poisoned[location] = code
        return True

    @staticmethod
    def _handle(
        kind: str, rank: Any, value: Any, progress: Any, remaining: set[int], failed: dict[int, str]
    ) -> None:
        if kind == "progress":
            progress.advance(value)
        elif kind == "done":
            remaining.discard(rank)
            progress.task_done(value)
        elif kind == "failed":
            remaining.discard(rank)
            failed[rank] = value
            progress.task_done()
