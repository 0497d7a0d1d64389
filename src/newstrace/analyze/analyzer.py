"""The Analyzer: an ordered, checked list of annotators (:mod:`newstrace.analyze.base`).

It owns its annotators and, through them, its models: nothing is shared with another
Analyzer (see :func:`newstrace.analyze.nlp.model_scope`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from typing import Any

from newstrace.analyze.base import PROVIDED_BY_STRUCTURE, Annotator, BaseAnnotator, check_order
from newstrace.analyze.registry import default_annotators
from newstrace.config import Settings
from newstrace.data import Article
from newstrace.errors import AnalysisTimeout

# Annotator modules and tests import these names from here.
__all__ = ["PROVIDED_BY_STRUCTURE", "Analyzer", "Annotator", "BaseAnnotator", "check_order"]


class Analyzer:
    """An ordered, checked list of annotators; build once per process and reuse.

    Models load when the annotators are built (in :func:`default_annotators`), so an
    Analyzer is expensive to create and cheap to call. Each Analyzer loads its own: two
    never share a spaCy ``Language``. It is never pickled to workers: each worker builds
    its own.
    """

    def __init__(self, annotators: Sequence[Annotator], settings: Settings | None = None):
        check_order(annotators)
        self.annotators: list[Annotator] = list(annotators)
        self.settings = settings or Settings()

    @classmethod
    def default(cls, settings: Settings | None = None) -> Analyzer:
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
            entered: set[int] = set()
            for annotator in self.annotators:
                nlp: Any = getattr(annotator, "nlp", None)
                zone = getattr(nlp, "memory_zone", None)
                # Annotators of one Analyzer may share its pipeline: one zone per pipeline.
                if callable(zone) and id(nlp) not in entered:
                    entered.add(id(nlp))
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
