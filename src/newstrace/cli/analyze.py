"""`newstrace analyze` and `newstrace extract`: one article in, a report out."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from newstrace.cli.app import app
from newstrace.config import Settings, load_settings
from newstrace.data import Article
from newstrace.errors import AnalysisTimeout, OutputError
from newstrace.limits import check_text_length

#: Seconds `newstrace analyze` gives one article unless told otherwise: the slowest real
#: article measured takes a few seconds (docs/benchmarks.md), a hostile one minutes.
DEFAULT_TIME_BUDGET_S = 120.0


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


class InputFormat(StrEnum):
    auto = "auto"
    html = "html"
    markdown = "markdown"
    text = "text"


PathArg = Annotated[
    str, typer.Argument(help="Article file, an http(s) URL to fetch, or - for standard input.")
]
InputOpt = Annotated[
    InputFormat, typer.Option("--input-format", help="Input format; auto sniffs it.")
]
UrlOpt = Annotated[str | None, typer.Option("--url", help="The page's URL, if known.")]
MaxBytesOpt = Annotated[
    int | None, typer.Option("--max-bytes", help="Largest input accepted (default 20 MB).")
]


def read_article(
    path: str, input_format: InputFormat, url: str | None, settings: Settings
) -> Article:
    """Read and structure the article at ``path`` ("-" = stdin, http(s):// = fetch it;
    how it was fetched goes to ``article.cache["fetch"]``)."""
    from newstrace import load
    from newstrace.read.fetch import fetch, is_url

    fmt = None if input_format is InputFormat.auto else input_format.value
    if is_url(path):
        # The CLI runs as its user on the user's network: local addresses are allowed.
        fetched = fetch(path, max_bytes=settings.max_bytes, allow_private=True)
        article = load(
            fetched.content,
            format=fmt or fetched.format,
            settings=settings,
            url=url or fetched.final_url,
        )
        article.source = fetched.final_url
        article.cache["fetch"] = fetched.meta()
        return article
    if path == "-":
        # Read one byte past the limit so an oversized stream is refused without reading
        # all of it.
        data = sys.stdin.buffer.read(settings.max_bytes + 1)
        article = load(data, format=fmt, settings=settings, url=url)
        article.source = "-"
        return article
    return load(Path(path), format=fmt, settings=settings, url=url)


@contextlib.contextmanager
def hard_deadline(seconds: float) -> Iterator[None]:
    """Stop the analysis ``seconds`` from now even inside one annotator.

    The Analyzer checks its budget only between annotators; a document that keeps one
    annotator busy for minutes would run past it. A real-time alarm raises
    :class:`AnalysisTimeout` in the main thread at the budget (at the next Python
    bytecode: a single long call into C finishes first). Only where signals can be used:
    the main thread on a POSIX system.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    # A little after the budget, so the Analyzer's own check (with its annotator's name)
    # answers first whenever it can.
    signal.setitimer(signal.ITIMER_REAL, seconds + 1.0)
    try:
        yield
    except _Expired:
        raise AnalysisTimeout(f"analysis took longer than the {seconds:g}s budget") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Expired(BaseException):
    """Raised by the alarm. A BaseException (like KeyboardInterrupt), so library code that
    catches ``Exception`` and rewraps it cannot turn the deadline into another error; it
    becomes :class:`AnalysisTimeout` where the deadline was set."""


def _write(content: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(content)
        return
    try:
        output.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from exc


# The command's options, declared apart so `analyze` reads as what it does.
_OutputFormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")]
_OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the report here.")
]
_JsonPathOption = Annotated[
    Path | None, typer.Option("--json", help="Also write the JSON report to this file.")
]
_HtmlPathOption = Annotated[
    Path | None, typer.Option("--html", help="Also write the HTML report to this file.")
]
_TimeBudgetOption = Annotated[
    float | None,
    typer.Option(
        "--time-budget",
        min=0.0,
        help="Seconds the analysis may take before it stops with exit code 13 "
        f"(default {DEFAULT_TIME_BUDGET_S:g}, or NEWSTRACE_TIME_BUDGET_S; 0 = no limit).",
    ),
]
_TraceIndexOption = Annotated[
    Path | None,
    typer.Option(
        "--trace-index",
        help="Output folder of `newstrace trace run`: add the article's copies in that "
        "corpus, its likely origin and what changed.",
    ),
]


@app.command()
def analyze(
    path: PathArg,
    output_format: _OutputFormatOption = OutputFormat.text,
    output: _OutputOption = None,
    json_path: _JsonPathOption = None,
    html_path: _HtmlPathOption = None,
    input_format: InputOpt = InputFormat.auto,
    url: UrlOpt = None,
    max_bytes: MaxBytesOpt = None,
    time_budget: _TimeBudgetOption = None,
    trace_index: _TraceIndexOption = None,
) -> None:
    """Analyse one article: provenance, attributions, unsourced claims, headline, outlets."""
    import newstrace
    from newstrace.render.html import render_html
    from newstrace.render.json import render_json
    from newstrace.render.text import print_report, render_text

    settings = load_settings(max_bytes=max_bytes, time_budget_s=time_budget)
    if time_budget is None and not settings.time_budget_s:
        settings = settings.replace(time_budget_s=DEFAULT_TIME_BUDGET_S)
    index = None
    if trace_index is not None:
        from newstrace.trace.index import TraceIndex

        # Loaded before the analysis: a bad index folder fails in a moment, not after it.
        index = TraceIndex(trace_index)
    article = read_article(path, input_format, url, settings)
    check_text_length(article.text)
    fetched = article.cache.get("fetch")
    # Models load before the clock starts: the budget is for the analysis.
    analyzer = newstrace.Analyzer.default(settings)
    with hard_deadline(settings.time_budget_s):
        report = newstrace.analyze(article, settings=settings, analyzer=analyzer).to_dict()
    if fetched is not None:
        report.setdefault("meta", {})["fetch"] = fetched
    if index is not None and trace_index is not None:
        import copy

        from newstrace.trace.find import report_copies

        query = copy.copy(article)
        # The corpus readers name a file's document after its stem: the same name lets
        # the lookup recognise the article itself when the index holds it.
        query.id = Path(path).stem if path != "-" and fetched is None else article.id
        report["copies"] = report_copies(query, index, str(trace_index))
    if json_path is not None:
        _write(render_json(report), json_path)
    if html_path is not None:
        _write(render_html(report), html_path)
    if output_format is OutputFormat.json:
        _write(render_json(report), output)
    elif output_format is OutputFormat.html:
        _write(render_html(report), output)
    elif output is not None:
        _write(render_text(report), output)
    else:
        print_report(report, Console())


@app.command()
def extract(
    path: PathArg,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="json or text.")
    ] = OutputFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the result here.")
    ] = None,
    input_format: InputOpt = InputFormat.auto,
    url: UrlOpt = None,
    max_bytes: MaxBytesOpt = None,
) -> None:
    """Recover the article's structure only (blocks, roles, metadata); no analysis."""
    from newstrace.assess.report import Report, report_dict
    from newstrace.render.json import render_json

    settings = load_settings(max_bytes=max_bytes)
    article = read_article(path, input_format, url, settings)
    if output_format is OutputFormat.html:
        raise typer.BadParameter("extract writes json or text", param_hint="--format")
    if output_format is OutputFormat.text:
        lines = [f"[{block.role}] {block.text_of(article.text)}" for block in article.blocks]
        _write("\n\n".join(lines) + "\n", output)
        return
    full = report_dict(Report(article=article))
    keys = ("schema_version", "id", "source", "format", "meta", "headline", "text", "blocks")
    _write(render_json({k: full[k] for k in keys} | {"errors": full["errors"]}), output)
