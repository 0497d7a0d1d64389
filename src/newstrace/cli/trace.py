"""`newstrace trace run | find`: every copy of a story across a corpus, and one article's
copies, origin and changes against a traced corpus."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

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
    help="Trace stories across a corpus: copies, shared passages, changes, who copied whom.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _bands(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        bands, rows = (int(x) for x in value.split(","))
    except ValueError as exc:
        raise ConfigError(f"--bands takes BANDS,ROWS (e.g. 25,5), not {value!r}") from exc
    if bands < 1 or rows < 1:
        raise ConfigError("--bands: both numbers must be positive")
    return bands, rows


def _lsh_config(
    threshold: float,
    passage_threshold: float,
    bands: tuple[int, int] | None,
    passage_bands: tuple[int, int] | None,
    num_perm: int,
    shingle: int,
) -> Any:
    """The LSH parameters of `trace run`, checked (a ConfigError names the bad option)."""
    from newstrace.trace.candidates import LSHConfig

    if not 0 < threshold < 1 or not 0 < passage_threshold < 1:
        raise ConfigError("thresholds must lie strictly between 0 and 1")
    if num_perm < 2 or shingle < 1:
        raise ConfigError("--num-perm must be at least 2 and --shingle at least 1")
    for b in (bands, passage_bands):
        if b and b[0] * b[1] > num_perm:
            raise ConfigError(f"bands × rows ({b[0]}×{b[1]}) exceeds --num-perm {num_perm}")
    return LSHConfig(
        shingle=shingle,
        num_perm=num_perm,
        threshold=threshold,
        passage_threshold=passage_threshold,
        bands=bands,
        passage_bands=passage_bands,
    )


@app.command("run")
def run(
    inputs: Annotated[list[Path], typer.Argument(help="Folders, JSONL, CSV, Parquet, WARC.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")],
    format: Annotated[
        str, typer.Option(help="auto, html, md, txt, jsonl, csv, parquet, warc")
    ] = "auto",
    threshold: Annotated[float, typer.Option(help="Target document similarity for LSH.")] = 0.5,
    passage_threshold: Annotated[float, typer.Option(help="Target passage similarity.")] = 0.5,
    bands: Annotated[str | None, typer.Option(help="Override document LSH as BANDS,ROWS.")] = None,
    passage_bands: Annotated[str | None, typer.Option(help="Override passage LSH.")] = None,
    num_perm: Annotated[int, typer.Option(help="MinHash permutations.")] = 128,
    shingle: Annotated[int, typer.Option(help="Words per shingle.")] = 5,
    min_shared_words: Annotated[int, typer.Option(help="Shared body words to relate a pair.")] = 20,
    backend: Annotated[str, typer.Option(help="MinHash backend: auto, rensa, numpy.")] = "auto",
    limit: Annotated[
        int | None,
        typer.Option(help="Read at most this many documents (runs a single task)."),
    ] = None,
    executor: ExecutorOpt = ExecutorKind.local,
    workers: WorkersOpt = 1,
    tasks: TasksOpt = None,
    partitions: Annotated[
        int | None,
        typer.Option(
            help="Band-key partitions, one candidate task each (default: --tasks); "
            "more partitions, less memory per task.",
        ),
    ] = None,
    ray_address: RayAddressOpt = None,
    doc_timeout: DocTimeoutOpt = 600.0,
    memory_limit: MemoryLimitOpt = None,
    progress: ProgressOpt = True,
) -> None:
    """Trace INPUTS into OUT: pairs, passages, stories (Parquet), graph (GraphML, JSON),
    and an index for `newstrace trace find`. Reading, sketching and pair verification
    run as resumable tasks on the local or Ray executor, as `corpus run` does."""
    from newstrace.trace.pipeline import TraceConfig
    from newstrace.trace.sharded import trace_corpus

    if workers < 1 or any(x is not None and x < 1 for x in (tasks, limit, partitions)):
        raise ConfigError("--workers, --tasks, --partitions and --limit must be at least 1")
    lsh = _lsh_config(
        threshold, passage_threshold, _bands(bands), _bands(passage_bands), num_perm, shingle
    )
    lsh = replace(lsh, backend=backend)  # checked when the first signature is made
    summary = trace_corpus(
        [str(p) for p in inputs],
        out,
        config=TraceConfig(lsh=lsh, min_shared_words=min_shared_words),
        executor=executor.value,
        workers=workers,
        tasks=tasks,
        partitions=partitions,
        ray_address=ray_address,
        format=format,
        limit=limit,
        progress=progress,
        doc_timeout_s=doc_timeout,
        memory_limit_mb=memory_limit,
    )
    _report(summary, out, executor.value)


def _report(summary: Any, out: Path, executor: str) -> None:
    """One line of totals; the failed tasks and exit status 1 when a stage failed."""
    if summary.failed:
        for stage, failed in summary.failed.items():
            for rank, error in sorted(failed.items()):
                typer.echo(f"{stage} task {rank} failed: {error}", err=True)
        typer.echo("rerun the same command to retry the failed tasks", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"{summary.articles} articles, {summary.candidates} candidate pairs, "
        f"{summary.pairs} related pairs, {summary.stories} stories, "
        f"{summary.rejected} rejected -> {out} ({summary.seconds:.1f}s, {executor})"
    )


@app.command("add")
def add(
    inputs: Annotated[list[Path], typer.Argument(help="New documents: folders, JSONL, CSV …")],
    index: Annotated[Path, typer.Option("--index", help="Output folder of `trace run`.")],
    format: Annotated[
        str, typer.Option(help="auto, html, md, txt, jsonl, csv, parquet, warc")
    ] = "auto",
    executor: ExecutorOpt = ExecutorKind.local,
    workers: WorkersOpt = 1,
    tasks: TasksOpt = None,
    ray_address: RayAddressOpt = None,
    doc_timeout: DocTimeoutOpt = 600.0,
    memory_limit: MemoryLimitOpt = None,
    progress: ProgressOpt = True,
) -> None:
    """Add INPUTS to the traced corpus in INDEX: only the new documents are read and
    signed; pairs that involve them are verified; stories, graph, tables and the index
    are rewritten (same parameters as the first run). Resumable."""
    from newstrace.trace.sharded import add_to_trace

    if workers < 1 or (tasks is not None and tasks < 1):
        raise ConfigError("--workers and --tasks must be at least 1")
    summary = add_to_trace(
        [str(p) for p in inputs],
        index,
        executor=executor.value,
        workers=workers,
        tasks=tasks,
        ray_address=ray_address,
        format=format,
        progress=progress,
        doc_timeout_s=doc_timeout,
        memory_limit_mb=memory_limit,
    )
    _report(summary, index, executor.value)


@app.command("find")
def find(
    article: Annotated[Path, typer.Argument(help="An article file (HTML, Markdown, text).")],
    index: Annotated[Path, typer.Option("--index", help="Output folder of `trace run`.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """For ARTICLE: its copies in the index, its likely origin, and what changed."""
    import newstrace
    from newstrace.errors import InputNotFound
    from newstrace.trace.find import find as find_in
    from newstrace.trace.index import TraceIndex

    if not article.exists():
        raise InputNotFound(f"{article} does not exist", path=str(article))
    loaded = TraceIndex(index)
    query = newstrace.load(article)
    # The corpus readers name a file's document after its stem: the same name here lets
    # `find` recognise the query itself when it is part of the index.
    query.id = article.stem
    report = find_in(query, loaded)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    _print_text(report)


def _print_text(report: dict[str, Any]) -> None:
    out = sys.stdout
    copies, partial, origin = report["copies"], report["partial"], report["origin"]
    out.write(f"{len(copies)} copies, {len(partial)} partial reuses\n")
    if origin.get("id"):
        out.write(
            f"likely origin: {origin['id']} ({origin.get('outlet') or '?'}, "
            f"{origin.get('published') or 'undated'}; {origin['evidence']}, "
            f"confidence {origin['confidence']})\n"
        )
    elif origin.get("this_article"):
        out.write("likely origin: this article (others copied it)\n")
    else:
        out.write("likely origin: undecided\n")
    for m in [*copies, *partial]:
        who = {"query": "copied from this article", "match": "source of this article"}.get(
            m["source"] or "", "direction unknown"
        )
        out.write(
            f"- {m['id']} [{m['kind']}] {m['outlet'] or '?'} {m['published'] or ''}: "
            f"shares {m['shared_fraction_query']:.0%} of this article, {who} "
            f"({m['evidence']})\n"
        )
        for r in m["rewrites"][:8]:
            out.write(f"    {r['kind']}: {_clip(r['from'])!r} -> {_clip(r['to'])!r}\n")


def _clip(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
