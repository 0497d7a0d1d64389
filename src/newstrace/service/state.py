"""What one service process holds: settings, the analysis runner, the corpus (if any)."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from newstrace.config import Settings
from newstrace.service.runner import AnalysisRunner

if TYPE_CHECKING:
    from newstrace.service.corpus_store import CorpusStore
    from newstrace.service.reports import ReportStore
    from newstrace.service.workers import WorkerPool

T = TypeVar("T")


@dataclass
class ServiceState:
    settings: Settings
    #: Worker processes in production; an in-process runner when tests inject analyzers.
    runner: AnalysisRunner | WorkerPool
    corpus: CorpusStore | None = None
    started: float = field(default_factory=time.monotonic)
    #: URL jobs may fetch loopback/private/link-local addresses (``--allow-private-urls``).
    allow_private_urls: bool = False
    #: Saved reports behind permalinks (None: reports are not kept).
    reports: ReportStore | None = None
    # Corpus queries get their own small pool so a queue of analyses never delays a
    # search (and DuckDB work never runs on the event loop).
    _io: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(2, thread_name_prefix="newstrace-corpus")
    )

    async def in_thread(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._io, functools.partial(func, *args, **kwargs))

    async def keep(self, report: dict[str, Any]) -> dict[str, Any]:
        """Save ``report`` behind a permalink: the report with ``report_id`` and
        ``permalink`` (the page's path) added; unchanged when nothing is kept."""
        if self.reports is None:
            return report
        from newstrace.service.reports import permalink

        key = await self.in_thread(self.reports.put_keyed, report)
        return {**report, "report_id": key, "permalink": permalink(key)}

    def close(self) -> None:
        self.runner.close()
        if self.reports is not None:
            self.reports.close()
        self._io.shutdown(wait=False, cancel_futures=True)
        if self.corpus is not None:
            self.corpus.close()
