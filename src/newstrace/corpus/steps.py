"""The middle steps: record → Article (load), Article → report dict (analyse).

Each step catches failures per document: a :class:`NewstraceError` becomes a reject with
the error's ``code`` as reason; any other exception (a bug in an annotator) becomes a
reject with reason ``internal`` and the exception type in the message. The task goes on
either way — one bad page must not cost a shard.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from importlib import import_module
from typing import Any

from newstrace.analyze.analyzer import Analyzer
from newstrace.config import Settings
from newstrace.corpus.record import Doc, InputRecord, Reject
from newstrace.corpus.step import Step
from newstrace.data import Article
from newstrace.errors import (
    AnalysisTimeout,
    ConfigError,
    EmptyInput,
    InputTooLarge,
    NewstraceError,
)

INTERNAL = "internal"


#: Reason for a document that ran out of memory (a worker's memory_limit_mb, say).
MEMORY = "memory"


def reject_of(exc: BaseException, stage: str) -> Reject:
    if isinstance(exc, NewstraceError):
        return Reject(exc.code, exc.one_line(), stage)
    if isinstance(exc, MemoryError):  # the allocation failed and was unwound: go on
        return Reject(MEMORY, f"out of memory: {exc}"[:2000], stage)
    return Reject(INTERNAL, f"{type(exc).__name__}: {exc}"[:2000], stage)


# --- record → Article ---------------------------------------------------------------------


def fill_meta(article: Article, record: InputRecord) -> Article:
    """Take the container's metadata where the page itself gave none (the page wins)."""
    meta = article.meta
    hints = record.hints
    for name in ("title", "url", "domain", "published"):
        if getattr(meta, name) in (None, "") and hints.get(name):
            setattr(meta, name, str(hints[name]))
    if not meta.authors and hints.get("authors"):
        meta.authors = list(hints["authors"])
    if meta.domain is None and meta.url:
        meta.domain = _domain_of(meta.url)
    return article


def _domain_of(url: str) -> str | None:
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def with_title(content: str | bytes, record: InputRecord) -> str | bytes:
    """Put a container's title (a CSV ``title`` column) on top of a text or Markdown body.

    A headline is part of what a reader sees; without it the headline audit has nothing
    to compare. HTML carries its own title, and a body that already starts with the title
    is left alone.
    """
    title = str(record.hints.get("title") or "").strip()
    if not title or not isinstance(content, str) or record.format == "html":
        return content
    head = content.lstrip()
    if head.startswith("<") or " ".join(head[: len(title) * 2].split()).startswith(
        " ".join(title.split())
    ):
        return content
    title = " ".join(title.split())
    if record.format == "markdown":
        return f"# {title}\n\n{content}"
    return f"{title}\n\n{content}"


def load_record(record: InputRecord, settings: Settings) -> Article:
    """One record → a structured Article, or a typed error."""
    import newstrace

    content = record.content
    size = len(content.encode("utf-8")) if isinstance(content, str) else len(content)
    if size > settings.max_bytes:
        raise InputTooLarge(f"document is larger than {settings.max_bytes} bytes", size=size)
    if not content.strip():
        raise EmptyInput("document is empty")
    content = with_title(content, record)
    article = newstrace.load(
        content, format=record.format, settings=settings, url=record.hints.get("url")
    )
    article.id = record.id
    article.source = record.location
    return fill_meta(article, record)


class ToArticle(Step):
    """Read and structure each record (``newstrace.load``); no NLP."""

    name = "load"

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()

    def prepare(self) -> None:
        # Import every reader (trafilatura, lxml, markdown-it…) by reading two tiny pages.
        import newstrace

        for content, fmt in (("<html><body><p>Warm up.</p></body></html>", "html"),
                             ("Warm up\n\nWarm up.", "markdown")):
            with suppress(NewstraceError):
                newstrace.load(content, format=fmt, settings=self.settings)

    def load(self, record: InputRecord) -> Article:
        """One record → a structured Article (subclasses read other record kinds)."""
        return load_record(record, self.settings)

    def run(self, items: Iterable[Any] | None, rank: int, world_size: int) -> Iterator[Doc]:
        for record in items or ():
            doc = Doc(record)
            if record.error is not None:
                doc.reject = record.error
            else:
                started = time.perf_counter()
                try:
                    doc.article = self.load(record)
                except Exception as exc:  # per document: see the module docstring
                    doc.reject = reject_of(exc, self.name)
                self.stats["seconds"] += time.perf_counter() - started
            # The raw page is no longer needed; drop it so a slow later step does not
            # hold it (bounded memory per worker).
            record.content = ""
            self.stats["rejected" if doc.reject else "loaded"] += 1
            yield doc


# --- Article → report ---------------------------------------------------------------------

#: One Analyzer per (spec, settings) per process: models load once per worker, and are
#: never pickled (steps carry only the spec string).
_ANALYZERS: dict[tuple[str, Settings], Analyzer] = {}

ANALYZER_SPECS = ("default", "structure")


def build_analyzer(spec: str, settings: Settings) -> Analyzer:
    """``default`` (every annotator), ``structure`` (none: reading, blocks and report
    only) or ``package.module:factory`` (a callable ``Settings -> Analyzer``)."""
    key = (spec, settings)
    analyzer = _ANALYZERS.get(key)
    if analyzer is not None:
        return analyzer
    if spec == "default":
        analyzer = Analyzer.default(settings)
    elif spec in ("structure", "none"):
        analyzer = Analyzer([], settings)
    elif ":" in spec:
        module_name, _, attr = spec.partition(":")
        factory: Callable[[Settings], Analyzer] = getattr(import_module(module_name), attr)
        analyzer = factory(settings)
    else:
        raise ConfigError(f"unknown analyzer {spec!r}: default, structure or module:factory")
    _ANALYZERS[key] = analyzer
    return analyzer


def zone(analyzer: Any) -> Any:
    """The analyzer's memory zone (so a worker's vocabulary does not grow with the corpus),
    or nothing for a custom analyzer without one."""
    make = getattr(analyzer, "memory_zone", None)
    return make() if callable(make) else nullcontext()


@contextmanager
def hard_deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`AnalysisTimeout` if the block runs longer than ``seconds``.

    The Analyzer checks its budget between annotators; this alarm also stops one
    annotator stuck on a pathological page. Signals only work in the main thread (as
    worker processes and Ray tasks run); elsewhere the Analyzer's own check is all.
    """
    usable = seconds > 0 and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def _alarm(signum: int, frame: Any) -> None:
        raise AnalysisTimeout(f"analysis took longer than the {seconds:g}s budget")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Analyze(Step):
    """Run the Analyzer and assess: each Doc gets its JSON report dict."""

    name = "analyze"

    def __init__(self, analyzer: str = "default", settings: Settings | None = None) -> None:
        super().__init__()
        self.analyzer = analyzer
        self.settings = settings or Settings()

    def prepare(self) -> None:
        started = time.perf_counter()
        build_analyzer(self.analyzer, self.settings)  # cached per process
        # Model loading is counted apart: it happens once per worker, not per document.
        self.stats["build_seconds"] += time.perf_counter() - started

    def run(self, items: Iterable[Any] | None, rank: int, world_size: int) -> Iterator[Doc]:
        from newstrace.assess.report import build_report, report_dict

        analyzer = build_analyzer(self.analyzer, self.settings)  # built by prepare()
        # The alarm is a backstop set a little past the budget, so the Analyzer's own
        # check (with the annotator's name in the message) usually fires first.
        budget = self.settings.time_budget_s
        for doc in items or ():
            if doc.reject is None and doc.article is not None:
                started = time.perf_counter()
                try:
                    with hard_deadline(budget * 1.5 if budget else 0), zone(analyzer):
                        article = analyzer(doc.article)
                        doc.report = report_dict(build_report(article))
                        article.cache.clear()  # the parse dies with the zone
                    self.stats["analysed"] += 1
                except Exception as exc:  # per document: see the module docstring
                    doc.reject = reject_of(exc, self.name)
                    self.stats["rejected"] += 1
                doc.seconds = time.perf_counter() - started
                self.stats["seconds"] += doc.seconds
            doc.article = None  # the report holds everything the writer needs
            yield doc
