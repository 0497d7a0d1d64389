"""``newstrace stance``: train, predict and evaluate the headline–body stance model.

All three read and write FNC-1's CSV formats. Errors are raised as NewstraceError; the
boundary in ``newstrace.cli`` prints them as one line with their exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newstrace.errors import MalformedData

app = typer.Typer(
    help="Headline–body stance (agree / disagree / discuss / unrelated), FNC-1 formats.",
    no_args_is_help=True,
)

Bodies = Annotated[Path, typer.Option("--bodies", help="CSV with Body ID, articleBody.")]
Stances = Annotated[
    Path, typer.Option("--stances", help="CSV with Headline, Body ID[, Stance].")
]
ModelOpt = Annotated[
    Path | None,
    typer.Option("--model", "-m", help="Model file (default: settings, else the shipped one)."),
]


def _load_model(path: Path | None):
    from newstrace.config import load_settings
    from newstrace.stance.model import StanceModel

    return StanceModel.load(path or load_settings().stance_model)


@app.command()
def train(
    bodies: Bodies,
    stances: Stances,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the model.")],
    holdout: Annotated[
        Path | None,
        typer.Option(help="Hold out bodies: write their rows to this CSV; train on the rest."),
    ] = None,
    holdout_fraction: Annotated[float, typer.Option(help="Share of bodies held out.")] = 0.2,
    seed: Annotated[int, typer.Option(help="Seed of the hold-out draw and the learners.")] = 2017,
    threads: Annotated[
        int, typer.Option(help="Threads for the learners (OpenMP/BLAS); 0 = all cores.")
    ] = 1,
) -> None:
    """Train a stance model (both stages) on labelled pairs."""
    from threadpoolctl import threadpool_limits

    from newstrace.stance.csvio import read_bodies, read_stances, write_stances
    from newstrace.stance.train import split_bodies
    from newstrace.stance.train import train as fit

    console = Console(stderr=True)
    body_map = read_bodies(bodies)
    table = read_stances(stances, body_map, require_stance=True)
    rows = table.rows
    info: dict = {"bodies_file": bodies.name, "stances_file": stances.name}
    if holdout is not None:
        keep, held = split_bodies(sorted({r.body_id for r in rows}), holdout_fraction, seed)
        held_rows = [r for r in rows if r.body_id in held]
        rows = [r for r in rows if r.body_id in keep]
        held_table = type(table)(table.header, held_rows)
        write_stances(holdout, held_table, [r.stance or "" for r in held_rows])
        info.update(holdout_fraction=holdout_fraction, holdout_bodies=len(held))
        console.print(
            f"held out {len(held)} bodies ({len(held_rows)} pairs) → {holdout}; "
            f"training on {len(keep)} bodies ({len(rows)} pairs)"
        )
    # One thread by default: boosting's OpenMP threads spin badly on shared cores, and the
    # fitted model does not depend on the thread count.
    with threadpool_limits(threads or None):
        model = fit(body_map, rows, seed=seed, log=console.print, info=info)
    model.save(output)
    console.print(f"model written to {output}")


@app.command()
def predict(
    bodies: Bodies,
    stances: Stances,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write predictions.")],
    model: ModelOpt = None,
) -> None:
    """Label every pair; writes the input rows, in order, with Stance set."""
    from newstrace.stance.csvio import read_bodies, read_stances, write_stances

    body_map = read_bodies(bodies)
    table = read_stances(stances, body_map)
    stance_model = _load_model(model)
    preds = stance_model.predict_pairs([(r.headline, r.body_id) for r in table.rows], body_map)
    write_stances(output, table, [p.label for p in preds])
    Console(stderr=True).print(f"{len(preds)} predictions written to {output}")


@app.command(name="eval")
def evaluate(
    bodies: Bodies,
    stances: Stances,
    predictions: Annotated[
        Path | None,
        typer.Option(help="Predicted stances (same rows as --stances); default: run the model."),
    ] = None,
    model: ModelOpt = None,
) -> None:
    """FNC-1 score (relative to the maximum), macro-F1, per-class F1 and confusion matrix."""
    from newstrace.stance.csvio import LABELS, read_bodies, read_stances
    from newstrace.stance.score import fnc_score

    body_map = read_bodies(bodies)
    gold = read_stances(stances, body_map, require_stance=True)
    if predictions is not None:
        pred_table = read_stances(predictions, body_map, require_stance=True)
        _check_aligned(predictions, gold.rows, pred_table.rows)
        labels = [r.stance or "" for r in pred_table.rows]
    else:
        stance_model = _load_model(model)
        pairs = [(r.headline, r.body_id) for r in gold.rows]
        labels = [p.label for p in stance_model.predict_pairs(pairs, body_map)]
    scores = fnc_score([r.stance or "" for r in gold.rows], labels)

    console = Console()
    summary = Table(title=f"FNC-1 evaluation ({scores.n} pairs)")
    summary.add_column("measure")
    summary.add_column("value", justify="right")
    summary.add_row("FNC-1 score", f"{scores.fnc:.2f} of {scores.fnc_max:.2f}")
    summary.add_row("relative score", f"{scores.relative:.2f} %")
    summary.add_row("all-unrelated score", f"{100 * scores.fnc_null / scores.fnc_max:.2f} %")
    summary.add_row("accuracy", f"{100 * scores.accuracy:.2f} %")
    summary.add_row("macro-F1", f"{scores.macro_f1:.2f}")
    for label in LABELS:
        summary.add_row(f"F1 {label}", f"{100 * scores.f1[label]:.2f}")
    console.print(summary)

    confusion = Table(title="confusion (rows: gold, columns: predicted)")
    confusion.add_column("gold")
    for label in LABELS:
        confusion.add_column(label, justify="right")
    for label, row in zip(LABELS, scores.confusion, strict=True):
        confusion.add_row(label, *(str(v) for v in row))
    console.print(confusion)


def _check_aligned(path: Path, gold: list, predicted: list) -> None:
    if len(gold) != len(predicted):
        raise MalformedData(
            f"{path}: {len(predicted)} prediction rows but {len(gold)} gold rows",
            file=str(path),
        )
    for g, p in zip(gold, predicted, strict=True):
        if (g.headline, g.body_id) != (p.headline, p.body_id):
            raise MalformedData(
                f"{path}: row {p.line}: pair (Headline, Body ID {p.body_id}) differs from the "
                f"gold file's row {g.line} (Body ID {g.body_id}); predictions must keep row order",
                file=str(path),
                row=p.line,
            )
