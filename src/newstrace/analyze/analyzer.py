"""Annotators and the Analyzer that runs them in a checked order.

An annotator is a small, pure component: it declares what it ``requires`` and what it
``assigns`` (names such as ``"blocks"``, ``"doc"``, ``"spans.sentences"``,
``"results.provenance"``), and fills those on the Article. The Analyzer checks at build
time that every requirement is assigned by an earlier annotator (or by reading and
structure, which provide :data:`PROVIDED_BY_STRUCTURE`), so a wrongly ordered pipeline
fails when it is assembled, not halfway through a corpus.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

from newstrace.config import Settings
from newstrace.data import Article
from newstrace.errors import AnalysisTimeout, PipelineError

#: What every Article has once it has been read and structured.
PROVIDED_BY_STRUCTURE: frozenset[str] = frozenset({"text", "blocks", "meta", "spans.links"})


@runtime_checkable
class Annotator(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, article: Article) -> Article: ...


class BaseAnnotator:
    """Convenience base: ``pipe`` maps ``__call__`` over a stream."""

    name: str = ""
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __call__(self, article: Article) -> Article:  # pragma: no cover - abstract
        raise NotImplementedError

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            yield self(article)


def check_order(annotators: Sequence[Annotator]) -> None:
    """Raise :class:`PipelineError` unless each requirement is assigned earlier."""
    available = set(PROVIDED_BY_STRUCTURE)
    seen: set[str] = set()
    for annotator in annotators:
        if annotator.name in seen:
            raise PipelineError(f"annotator {annotator.name!r} appears twice")
        seen.add(annotator.name)
        missing = [r for r in annotator.requires if r not in available]
        if missing:
            raise PipelineError(
                f"annotator {annotator.name!r} requires {', '.join(missing)}, "
                "which no earlier annotator assigns"
            )
        available.update(annotator.assigns)


class Analyzer:
    """An ordered, checked list of annotators; build once per process and reuse.

    Models load when the annotators are built (in :func:`default_annotators`), so an
    Analyzer is expensive to create and cheap to call. It is never pickled to workers:
    each worker builds its own.
    """

    def __init__(self, annotators: Sequence[Annotator], settings: Settings | None = None):
        check_order(annotators)
        self.annotators: list[Annotator] = list(annotators)
        self.settings = settings or Settings()

    @classmethod
    def default(cls, settings: Settings | None = None) -> Analyzer:
        from newstrace.analyze.registry import default_annotators

        settings = settings or Settings()
        return cls(default_annotators(settings), settings)

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.annotators]

    @contextlib.contextmanager
    def memory_zone(self) -> Iterator[None]:
        """Free what the language models learn from one document when it is done.

        spaCy interns every new token string in its vocabulary and never lets go, so a
        process that reads millions of articles (a corpus worker, the service) grows
        without bound. Inside this zone (spaCy's ``Language.memory_zone``) the strings and
        lexemes a document adds are dropped on exit. Nothing built from the parse may be
        used afterwards; a report dict holds plain Python values and is safe.
        """
        with contextlib.ExitStack() as stack:
            for annotator in self.annotators:
                nlp: Any = getattr(annotator, "nlp", None)
                zone = getattr(nlp, "memory_zone", None)
                if callable(zone):
                    stack.enter_context(zone())
            yield

    def __call__(self, article: Article, time_budget_s: float | None = None) -> Article:
        budget = self.settings.time_budget_s if time_budget_s is None else time_budget_s
        started = time.perf_counter()
        timings: dict[str, float] = {}
        for annotator in self.annotators:
            t0 = time.perf_counter()
            article = annotator(article)
            timings[annotator.name] = time.perf_counter() - t0
            # The budget is checked between annotators: each one is bounded on its own
            # (linear-time rules), so this stops a slow document at the next boundary.
            if budget and time.perf_counter() - started > budget:
                raise AnalysisTimeout(
                    f"analysis took longer than the {budget:g}s budget "
                    f"(stopped after {annotator.name!r})",
                    annotator=annotator.name,
                )
        article.cache["timings"] = timings
        return article

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            yield self(article)


AnnotatorFactory = Callable[[Settings], Annotator]
