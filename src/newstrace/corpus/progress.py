"""Live progress for a corpus run (rich): articles done, articles/s, ETA.

The total is rarely known up front (a CSV must be parsed to be counted), so the ETA comes
from the best estimate at hand: the readers' cheap count when they have one (files in a
folder, rows in Parquet metadata), else the mean documents per finished task times the
task count.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.text import Text


def _clock(seconds: float | None) -> str:
    if seconds is None or seconds != seconds or seconds < 0:
        return "--:--"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class RunProgress:
    """Counts documents and tasks; renders a one-line status to stderr when enabled."""

    def __init__(
        self, tasks: int, skipped: int = 0, *, enabled: bool = True, estimate: int | None = None
    ) -> None:
        self.tasks = tasks
        self.tasks_done = skipped
        self.skipped = skipped
        self.documents = 0
        self.finished_task_docs: list[int] = []
        self.estimate = estimate
        self.started = time.perf_counter()
        self.enabled = enabled
        self._live: Live | None = None

    #: Seconds between plain progress lines when stderr is not a terminal (batch logs).
    log_every = 30.0

    def __enter__(self) -> RunProgress:
        if self.enabled:
            self._console = Console(file=sys.stderr)
            if self._console.is_terminal:
                self._live = Live(
                    self.render(), console=self._console, refresh_per_second=4, transient=False
                )
                self._live.__enter__()
            self._logged = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._live is not None:
            self._live.update(self.render())
            self._live.__exit__(*exc)
        elif self.enabled:
            self._console.print(self.render())

    def advance(self, documents: int) -> None:
        self.documents += documents
        self._refresh()

    def task_done(self, documents: int | None = None) -> None:
        self.tasks_done += 1
        if documents is not None:
            self.finished_task_docs.append(documents)
        self._refresh()

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.update(self.render())
        elif self.enabled and time.perf_counter() - self._logged >= self.log_every:
            self._logged = time.perf_counter()
            self._console.print(self.render())

    @property
    def rate(self) -> float:
        elapsed = time.perf_counter() - self.started
        return self.documents / elapsed if elapsed > 0 else 0.0

    def eta(self) -> float | None:
        todo_tasks = self.tasks - self.skipped
        # The reader's estimate covers every task; resumed runs only do the rest.
        total = (
            self.estimate * todo_tasks // self.tasks
            if self.estimate is not None and self.tasks
            else None
        )
        if total is None and self.finished_task_docs:
            mean = sum(self.finished_task_docs) / len(self.finished_task_docs)
            total = int(mean * todo_tasks)
        if total is None or self.rate <= 0:
            return None
        return max(total - self.documents, 0) / self.rate

    def render(self) -> Text:
        elapsed = time.perf_counter() - self.started
        return Text.assemble(
            ("corpus ", "bold"),
            f"tasks {self.tasks_done}/{self.tasks}  ",
            (f"{self.documents:,}", "cyan"),
            " articles  ",
            (f"{self.rate:.1f}/s", "green"),
            f"  elapsed {_clock(elapsed)}  ETA {_clock(self.eta())}",
        )
