"""Running analyses for the service: off the event loop, with a bounded pool of analyzers.

spaCy's ``Language`` object is not safe to call from two threads at once, so an Analyzer is
never shared between concurrent jobs: a job takes one from a small pool (a queue), runs it,
and gives it back. Reading and structure (no model) run outside the pool, so with more
threads than analyzers the cheap part of one request overlaps the parse of another.
"""

from __future__ import annotations

import asyncio
import os
import queue
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from newstrace.analyze.analyzer import Analyzer
from newstrace.config import Settings
from newstrace.errors import AnalysisTimeout


@dataclass(frozen=True, slots=True)
class Job:
    """One analysis request, already decoded from HTTP."""

    content: str | bytes
    format: str | None = None
    url: str | None = None
    #: Fetch the article from this URL first (in the worker, inside the time budget).
    fetch_url: str | None = None
    #: Whether that fetch may reach loopback/private/link-local addresses
    #: (``newstrace serve --allow-private-urls``).
    allow_private: bool = False


def analyse_job(
    analyzer: Analyzer,
    settings: Settings,
    job: Job,
    budget: float | None,
    copies_index: tuple[Any, str] | None = None,
) -> dict[str, Any]:
    """Read, analyse and report one job: the work both runners do (in a thread or in a
    worker process). Too long a text is refused before the language model sees it."""
    from newstrace import load
    from newstrace.assess.report import build_report
    from newstrace.limits import check_text_length

    content, fmt, url, fetched = job.content, job.format, job.url, None
    if job.fetch_url is not None:
        from newstrace.read.fetch import TOTAL_TIMEOUT_S, fetch

        page = fetch(
            job.fetch_url,
            max_bytes=settings.max_bytes,
            allow_private=job.allow_private,
            total_timeout_s=min(TOTAL_TIMEOUT_S, budget) if budget else TOTAL_TIMEOUT_S,
        )
        content, fmt, url, fetched = page.content, fmt or page.format, page.final_url, page.meta()
        if budget is not None:
            budget -= page.elapsed_s
    article = load(content, format=fmt, settings=settings, url=url)
    check_text_length(article.text)
    # The memory zone keeps a long-running server's vocabulary from growing with every
    # article it reads; the report is built inside it.
    with analyzer.memory_zone():
        analysed = analyzer(article, time_budget_s=budget)
        report = build_report(analysed).to_dict()
        analysed.cache.clear()
    if fetched is not None:
        report.setdefault("meta", {})["fetch"] = fetched
    if copies_index is not None:
        from newstrace.trace.find import report_copies

        index, path = copies_index
        report["copies"] = report_copies(article, index, path)
    return report


def default_threads() -> int:
    """Threads for analysis jobs: one per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class AnalysisRunner:
    """Analyse jobs on a thread pool, each with an Analyzer borrowed from a pool.

    ``timeout_s`` bounds a request from the moment it is submitted (queueing included);
    past it the caller gets :class:`AnalysisTimeout`. A thread cannot be killed, so the
    analyzer is also given the remaining time as its budget and stops itself at the next
    annotator boundary instead of running on unseen.
    """

    def __init__(
        self,
        analyzers: Sequence[Analyzer],
        settings: Settings,
        *,
        threads: int | None = None,
        timeout_s: float | None = None,
    ) -> None:
        if not analyzers:
            raise ValueError("AnalysisRunner needs at least one analyzer")
        self.settings = settings
        self.size = len(analyzers)
        self._pool: queue.Queue[Analyzer] = queue.Queue()
        for analyzer in analyzers:
            self._pool.put(analyzer)
        self.threads = threads or max(default_threads(), self.size)
        self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="newstrace-job")
        # A request timeout of 0/None means: the settings' per-document budget, if any.
        self.timeout_s = timeout_s if timeout_s else (settings.time_budget_s or None)
        self.completed = 0
        self.failed = 0
        #: A trace index (and its folder) to look every analysed article up in: the
        #: report's ``copies`` ("where else is this?"). Set by the app when the corpus
        #: has a traced index.
        self.copies_index: tuple[Any, str] | None = None

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        analyzers: int = 1,
        threads: int | None = None,
        timeout_s: float | None = None,
        factory: Callable[[Settings], Analyzer] = Analyzer.default,
    ) -> AnalysisRunner:
        """Load ``analyzers`` Analyzers once (models included) and wrap them."""
        built = [factory(settings) for _ in range(max(1, analyzers))]
        return cls(built, settings, threads=threads, timeout_s=timeout_s)

    def _run(self, job: Job, deadline: float | None) -> dict[str, Any]:
        analyzer = self._pool.get()
        try:
            budget = None
            if deadline is not None:
                budget = deadline - time.monotonic()
                if budget <= 0:
                    raise AnalysisTimeout(
                        f"analysis did not start within the {self.timeout_s:g}s limit "
                        "(the service is busy)"
                    )
            return analyse_job(analyzer, self.settings, job, budget, self.copies_index)
        finally:
            self._pool.put(analyzer)

    async def analyze(self, job: Job) -> dict[str, Any]:
        """The JSON report for ``job``; raises NewstraceError subclasses on bad input."""
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + self.timeout_s if self.timeout_s else None
        future = loop.run_in_executor(self._executor, self._run, job, deadline)
        try:
            if self.timeout_s:
                result = await asyncio.wait_for(future, self.timeout_s)
            else:
                result = await future
        except TimeoutError:
            self.failed += 1
            raise AnalysisTimeout(
                f"analysis took longer than the {self.timeout_s:g}s request limit"
            ) from None
        except Exception:
            self.failed += 1
            raise
        self.completed += 1
        return result

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
