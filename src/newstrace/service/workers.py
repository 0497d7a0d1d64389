"""Analyses in worker processes that are killed at their time budget and replaced.

A thread cannot be stopped: an analysis that spends minutes inside one annotator (a
150 KB paste of unclosed quotation marks) holds its analyzer, its thread and its memory
until it finishes, and every request behind it waits. So the service analyses in
separate processes, as the corpus executor isolates poison documents
(corpus/executor/guard.py): each worker loads its own Analyzer once, takes one job at a
time over a pipe, and is killed (SIGKILL) the moment its job passes the request's
deadline; a fresh worker is started in its place. The waiting line is bounded: past it a
request is refused at once with :class:`ServiceBusy` (503 with Retry-After) instead of
queueing for longer than its own budget.

Workers are started with ``spawn`` (never ``fork``): the server has threads and an event
loop, which a forked child must not inherit.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import multiprocessing
import queue
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from newstrace.analyze.analyzer import Analyzer
from newstrace.config import Settings
from newstrace.errors import (
    AnalysisCrashed,
    AnalysisTimeout,
    NewstraceError,
    ResourceMissing,
    ServiceBusy,
)
from newstrace.service.runner import Job, analyse_job

log = logging.getLogger("newstrace.service")

#: Seconds a new worker may take to load its models before it counts as failed.
START_TIMEOUT_S = 300.0
#: Requests allowed to wait per worker by default: an ordinary article takes well under a
#: second, so this many can still finish inside a 30 s budget; more would only time out.
QUEUE_PER_WORKER = 16
#: Jobs a worker runs before it is replaced by a fresh one (keeps memory flat).
RECYCLE_AFTER = 500


def _worker_main(
    conn: Connection,
    settings: Settings,
    factory: Callable[[Settings], Analyzer],
    copies_folder: str | None,
) -> None:
    """A worker process: build the Analyzer once, then answer jobs until told to stop."""
    try:
        analyzer = factory(settings)
        copies = None
        if copies_folder is not None:
            from newstrace.trace.index import TraceIndex

            copies = (TraceIndex(Path(copies_folder)), copies_folder)
    except Exception:  # the parent logs it and retries later
        conn.send(("failed", traceback.format_exc()))
        return
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job, budget = message
        try:
            conn.send(("ok", analyse_job(analyzer, settings, job, budget, copies)))
        except NewstraceError as exc:
            details = {k: str(v) for k, v in exc.details.items()}
            conn.send(("error", (type(exc).__module__, type(exc).__qualname__,
                                 exc.message, details)))
        except Exception:
            conn.send(("internal", traceback.format_exc()))


def _rebuild(module: str, name: str, message: str, details: dict[str, Any]) -> NewstraceError:
    """The worker's typed error, raised again in the server process."""
    try:
        cls = getattr(importlib.import_module(module), name)
        return cls(message, **details)
    except Exception:  # an error class the parent cannot rebuild: keep its message
        return NewstraceError(message)


class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, args: tuple[Any, ...]) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main, args=(child, *args), daemon=True, name="newstrace-worker"
        )
        self.process.start()
        child.close()
        self.jobs = 0

    def wait_ready(self, timeout: float) -> str | None:
        """None once the worker's models are loaded; else why it did not start."""
        try:
            if not self.conn.poll(timeout):
                return f"it did not load its models within {timeout:g} s"
            kind, detail = self.conn.recv()
        except (EOFError, OSError):
            return "it exited while loading its models"
        if kind != "ready":
            log.error("analysis worker failed to start:\n%s", detail)
            lines = [line for line in str(detail).splitlines() if line.strip()]
            return lines[-1] if lines else "unknown error"
        return None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.process.join(2)
        self.kill()


class WorkerPool:
    """The service's analysis runner: ``workers`` processes and a bounded waiting line.

    The same interface as :class:`~newstrace.service.runner.AnalysisRunner`
    (``analyze``, ``close`` and the counters /api/health reports).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        workers: int = 1,
        timeout_s: float | None = None,
        max_queue: int | None = None,
        factory: Callable[[Settings], Analyzer] = Analyzer.default,
        copies_folder: str | None = None,
    ) -> None:
        self.settings = settings
        self.size = max(1, workers)
        self.timeout_s = timeout_s if timeout_s else (settings.time_budget_s or None)
        self.max_queue = QUEUE_PER_WORKER * self.size if max_queue is None else max(0, max_queue)
        self.threads = self.size + self.max_queue
        self.completed = self.failed = self.killed = 0
        self.copies_index = None  # the workers do the copies lookup themselves
        self._args = (settings, factory, copies_folder)
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._pending = 0
        self._closed = False
        self._all: set[Worker] = set()
        self._threads = ThreadPoolExecutor(self.threads, thread_name_prefix="newstrace-job")
        self._start_initial()

    # --- workers ---------------------------------------------------------------------

    def _start_initial(self) -> None:
        """Start the first workers together and wait for them: a model that cannot load
        is a start-up error (ResourceMissing), not a server that hangs."""
        workers = [Worker(self._context, self._args) for _ in range(self.size)]
        with self._lock:
            self._all.update(workers)
        for worker in workers:
            problem = worker.wait_ready(START_TIMEOUT_S)
            if problem is not None:
                self.close()
                raise ResourceMissing(f"an analysis worker could not start: {problem}")
            self._idle.put(worker)

    def _start_worker(self) -> threading.Thread:
        """Start a worker; it joins the idle line once its models are loaded."""

        def start() -> None:
            while not self._closed:
                worker = Worker(self._context, self._args)
                with self._lock:
                    self._all.add(worker)
                if worker.wait_ready(START_TIMEOUT_S) is None:
                    self._idle.put(worker)
                    return
                self._discard(worker)
                time.sleep(5)  # a model that failed to load: do not spin

        thread = threading.Thread(target=start, name="newstrace-worker-start", daemon=True)
        thread.start()
        return thread

    def _discard(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

    def _replace(self, worker: Worker) -> None:
        self._discard(worker)
        if not self._closed:
            self._start_worker()

    # --- jobs ------------------------------------------------------------------------

    def _run(self, job: Job, deadline: float | None) -> dict[str, Any]:
        try:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise AnalysisTimeout(
                f"analysis did not start within the {self.timeout_s:g}s limit "
                "(the service is busy)"
            ) from None
        budget = None if deadline is None else deadline - time.monotonic()
        if budget is not None and budget <= 0:
            self._idle.put(worker)
            raise AnalysisTimeout(
                f"analysis did not start within the {self.timeout_s:g}s limit "
                "(the service is busy)"
            )
        try:
            worker.conn.send((job, budget))
            if not worker.conn.poll(budget):
                self.killed += 1
                self._replace(worker)
                raise AnalysisTimeout(
                    f"analysis took longer than the {self.timeout_s:g}s limit and was stopped"
                )
            kind, value = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise AnalysisCrashed(
                "the process analysing this article died (out of memory or a crash); "
                "it has been replaced"
            ) from None
        worker.jobs += 1
        if worker.jobs >= RECYCLE_AFTER:
            worker.stop()
            self._replace(worker)
        else:
            self._idle.put(worker)
        if kind == "ok":
            return value
        if kind == "error":
            raise _rebuild(*value)
        log.error("analysis failed in a worker:\n%s", value)
        raise RuntimeError("analysis failed in a worker")

    async def analyze(self, job: Job) -> dict[str, Any]:
        """The JSON report for ``job``; raises NewstraceError subclasses on bad input."""
        with self._lock:
            if self._pending >= self.size + self.max_queue:
                self.failed += 1
                raise ServiceBusy(
                    f"all {self.size} analysis workers are busy and {self.max_queue} "
                    "requests are already waiting; try again shortly",
                    retry_after_s=max(1, round(self.timeout_s or 5)),
                )
            self._pending += 1
        deadline = time.monotonic() + self.timeout_s if self.timeout_s else None
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self._threads, self._run, job, deadline)
        except Exception:
            self.failed += 1
            raise
        finally:
            with self._lock:
                self._pending -= 1
        self.completed += 1
        return result

    @property
    def queued(self) -> int:
        return max(0, self._pending - self.size)

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            worker.kill()
        self._threads.shutdown(wait=False, cancel_futures=True)
