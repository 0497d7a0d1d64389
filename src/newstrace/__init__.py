"""newstrace: read news critically.

The function-first API::

    import newstrace
    report = newstrace.analyze(open("article.html").read())
    report.to_dict()["attributions"]

``analyze`` takes article content (``str`` or ``bytes``: HTML, Markdown or plain text,
sniffed) or a :class:`pathlib.Path`. Build one :class:`Analyzer` and pass it in when
analysing many articles: models load once.
"""

from __future__ import annotations

from pathlib import Path

from newstrace.analyze.analyzer import Analyzer, Annotator
from newstrace.assess.report import Report
from newstrace.config import Settings, load_settings
from newstrace.data import SCHEMA_VERSION, Article, Block, Finding, Meta, Span
from newstrace.errors import NewstraceError

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Analyzer",
    "Annotator",
    "Article",
    "Block",
    "Finding",
    "Meta",
    "NewstraceError",
    "Report",
    "Settings",
    "Span",
    "analyze",
    "load",
    "load_settings",
]

_DEFAULT_ANALYZER: dict[Settings, Analyzer] = {}


def load(
    source: str | bytes | Path,
    *,
    format: str | None = None,
    settings: Settings | None = None,
    url: str | None = None,
) -> Article:
    """Read ``source`` and recover its structure (blocks, roles, metadata). No NLP."""
    from newstrace.read import read_path, read_source
    from newstrace.structure import structure

    settings = settings or load_settings()
    if isinstance(source, Path):
        article = read_path(source, settings=settings, format=format)
    else:
        article = read_source(source, settings=settings, format=format, url=url)
    return structure(article)


def analyze(
    source: str | bytes | Path | Article,
    *,
    format: str | None = None,
    settings: Settings | None = None,
    analyzer: Analyzer | None = None,
    url: str | None = None,
) -> Report:
    """Read, structure, analyse and assess one article; return its :class:`Report`."""
    from newstrace.assess.report import build_report

    settings = settings or (analyzer.settings if analyzer else load_settings())
    article = (
        source
        if isinstance(source, Article)
        else load(source, format=format, settings=settings, url=url)
    )
    if analyzer is None:
        analyzer = _DEFAULT_ANALYZER.get(settings)
        if analyzer is None:
            analyzer = _DEFAULT_ANALYZER.setdefault(settings, Analyzer.default(settings))
    return build_report(analyzer(article))
