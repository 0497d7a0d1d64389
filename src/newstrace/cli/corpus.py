"""`newstrace corpus run | stats | query`: analyse a corpus into tables, then ask them."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from newstrace.cli.executor_options import (
    DocTimeoutOpt,
    ExecutorKind,
    ExecutorOpt,
    MemoryLimitOpt,
    ProgressOpt,
    RayAddressOpt,
    TasksOpt,
    WorkersOpt,
)
from newstrace.errors import ConfigError

app = typer.Typer(
    help="Analyse many articles into Parquet tables (local processes or Ray), then query them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class CorpusFormat(StrEnum):
    auto = "auto"
    html = "html"
    md = "md"
    txt = "txt"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    warc = "warc"


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOpt = Annotated[
    CorpusFormat,
    typer.Option("--format", "-f", help="Input container or file format; auto goes by file name."),
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        help="FIELD=COLUMN for JSONL/CSV/Parquet (fields: id, content, title, url, "
        "domain, published, authors). Repeatable.",
    ),
]
GlobOpt = Annotated[
    str | None,
    typer.Option("--glob", help="File pattern inside input folders (default: known suffixes)."),
]
AnalyzerOpt = Annotated[
    str,
    typer.Option(
        "--analyzer", help="default (all annotators), structure (no NLP) or module:factory."
    ),
]
TimeBudgetOpt = Annotated[
    float | None,
    typer.Option("--time-budget", help="Seconds per document before it is rejected as timeout."),
]


def _mapping(pairs: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs or []:
        field, sep, column = pair.partition("=")
        if not sep or not field or not column:
            raise ConfigError(f"--map takes FIELD=COLUMN, got {pair!r}")
        out[field.strip()] = column.strip()
    return out


@app.command()
def run(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Folders of .html/.md/.txt files, or .jsonl, .csv, .parquet, .warc(.gz) files."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")],
    executor: ExecutorOpt = ExecutorKind.local,
    workers: WorkersOpt = 1,
    tasks: TasksOpt = None,
    ray_address: RayAddressOpt = None,
    input_format: FormatOpt = CorpusFormat.auto,
    mapping: MapOpt = None,
    glob: GlobOpt = None,
    analyzer: AnalyzerOpt = "default",
    time_budget: TimeBudgetOpt = None,
    max_bytes: Annotated[int | None, typer.Option("--max-bytes")] = None,
    doc_timeout: DocTimeoutOpt = 600.0,
    memory_limit: MemoryLimitOpt = None,
    progress: ProgressOpt = True,
) -> None:
    """Analyse every article of INPUTS into Parquet tables under OUTPUT (resumable)."""
    from newstrace.config import load_settings
    from newstrace.corpus.executor.factory import make_executor
    from newstrace.corpus.pipeline import build_pipeline, estimate_documents

    settings = load_settings(time_budget_s=time_budget, max_bytes=max_bytes)
    # What the finished shards depend on: a resumed run must match it.
    identity: dict[str, Any] = {
        "inputs": [str(p.resolve()) for p in inputs],
        "format": input_format.value,
        "mapping": _mapping(mapping),
        "glob": glob,
        "analyzer": analyzer,
        "max_bytes": settings.max_bytes,
    }
    pipeline = build_pipeline(
        [str(p) for p in inputs], output, settings=settings, format=input_format.value,
        mapping=identity["mapping"], analyzer=analyzer, glob=glob,
    )  # fmt: skip
    runner = make_executor(
        executor.value,
        pipeline,
        output,
        workers=workers,
        tasks=tasks,
        ray_address=ray_address,
        doc_timeout_s=doc_timeout,
        memory_limit_mb=memory_limit,
        description={"executor": executor.value},
        identity=identity,
        progress=progress,
        estimate=estimate_documents(pipeline),
    )
    summary = runner.run()
    _print_summary(summary, output)


def _print_summary(summary: Any, output: Path) -> None:
    """The run's totals on stderr; exit status 1 when a task failed."""
    console = Console(stderr=True)
    table = Table(title=f"corpus run → {output}", show_header=False)
    table.add_row(
        "tasks", f"{summary.done}/{summary.tasks} done ({summary.skipped} were already done)"
    )
    table.add_row("read", f"{summary.documents:,}")
    table.add_row("analysed", f"{summary.analysed:,}")
    rejected = sum(summary.rejected.values())
    reasons = ", ".join(f"{k} {v}" for k, v in summary.rejected.most_common())
    table.add_row("rejected", f"{rejected:,}" + (f" ({reasons})" if reasons else ""))
    table.add_row("time", f"{summary.seconds:.1f}s, {summary.rate:.1f} articles/s")
    if summary.failed:
        table.add_row("failed tasks", ", ".join(str(r) for r in sorted(summary.failed)))
    console.print(table)
    for rank, error in sorted(summary.failed.items()):
        console.print(f"task {rank} failed: {error}", style="red", markup=False)
    if summary.failed:
        console.print("rerun the same command to retry the failed tasks", style="yellow")
        raise typer.Exit(1)


@app.command()
def stats(
    output: Annotated[Path, typer.Argument(help="A corpus run's output folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Summarise a corpus run: tasks, documents, rejects by reason, rows per table."""
    from newstrace.corpus.stats import corpus_stats

    data = corpus_stats(output)
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    console = Console()
    table = Table(title=f"corpus {output}", show_header=False)
    table.add_row("tasks", f"{data['tasks_done']}/{data['tasks']} done")
    table.add_row("documents", f"{data['documents']:,}")
    table.add_row("analysed", f"{data['analysed']:,}")
    table.add_row("rejected", ", ".join(f"{k} {v}" for k, v in data["rejected"].items()) or "0")
    for name, rows in data["rows"].items():
        table.add_row(f"rows: {name}", f"{rows:,}")
    for kind, count in data["findings"].items():
        table.add_row(f"finding: {kind}", f"{count:,}")
    console.print(table)


@app.command()
def query(
    output: Annotated[Path, typer.Argument(help="A corpus run's output folder.")],
    sql: Annotated[str, typer.Argument(help="SQL over the views articles, blocks, claims …")],
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
    limit: Annotated[int, typer.Option("--limit", help="Rows shown in table format.")] = 100,
) -> None:
    """Run SQL (DuckDB) over a corpus run's tables."""
    from newstrace.corpus.query import query as run_query

    columns, rows = run_query(output, sql)
    if fmt is QueryFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt is QueryFormat.json:
        sys.stdout.write(
            json.dumps(
                [dict(zip(columns, r, strict=True)) for r in rows],
                indent=1,
                ensure_ascii=False,
                default=str,
            )
            + "\n"
        )
    else:
        table = Table(
            *columns,
            caption=f"{len(rows)} rows" + (f", first {limit} shown" if len(rows) > limit else ""),
        )
        for row in rows[:limit]:
            table.add_row(*("" if v is None else _cell(v) for v in row))
        Console().print(table)


def _cell(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"
