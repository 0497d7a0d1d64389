"""`newstrace stance predict / eval / train` on small FNC-1-format files."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits
from typer.testing import CliRunner

from newstrace.cli.stance import app
from newstrace.errors import MalformedData
from newstrace.stance import train as train_module

BODIES = [
    (
        "10",
        "Officials in the coastal town confirmed that a whale washed up on the beach on "
        "Sunday. Marine biologists said the animal, a young humpback, had been injured by "
        "a ship. Volunteers kept it wet for hours before it was returned to the sea.",
    ),
    (
        "20",
        "The central bank left interest rates unchanged on Thursday and said inflation "
        "was slowing. Economists had expected the decision. The bank said it would keep "
        "watching prices and wages before its next meeting in June.",
    ),
]
PAIRS = [
    ("Central bank holds interest rates as inflation slows", "20", "agree"),
    ("Humpback whale washes up on beach, volunteers save it", "10", "agree"),
    ("Humpback whale washes up on beach, volunteers save it", "20", "unrelated"),
    ("Central bank holds interest rates as inflation slows", "10", "unrelated"),
]


def _files(tmp_path: Path) -> tuple[Path, Path]:
    bodies, stances = tmp_path / "bodies.csv", tmp_path / "stances.csv"
    with bodies.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["Body ID", "articleBody"])
        w.writerows(BODIES)
    with stances.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["Headline", "Body ID", "Stance"])
        w.writerows(PAIRS)
    return bodies, stances


def test_predict_writes_rows_in_order_with_stance(tmp_path: Path) -> None:
    bodies, stances = _files(tmp_path)
    out = tmp_path / "pred.csv"
    args = ["predict", "--bodies", str(bodies), "--stances", str(stances), "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["Headline"], r["Body ID"]) for r in rows] == [(h, b) for h, b, _ in PAIRS]
    assert rows[2]["Stance"] == "unrelated" and rows[3]["Stance"] == "unrelated"
    assert rows[0]["Stance"] in ("agree", "discuss")


def test_eval_prints_score_and_confusion(tmp_path: Path) -> None:
    bodies, stances = _files(tmp_path)
    pred = tmp_path / "pred.csv"
    pred.write_text(
        "Headline,Body ID,Stance\n"
        + "".join(f"{h},{b},{'discuss' if s == 'agree' else s}\n" for h, b, s in PAIRS)
        .replace("Humpback whale washes up on beach, volunteers save it",
                 '"Humpback whale washes up on beach, volunteers save it"'),
        encoding="utf-8",
    )
    args = ["eval", "--bodies", str(bodies), "--stances", str(stances)]
    result = CliRunner().invoke(app, [*args, "--predictions", str(pred)])
    assert result.exit_code == 0, result.output
    # 2 related pairs called discuss (0.25 each) + 2 unrelated right (0.25 each) of 2.5.
    assert "1.00 of 2.50" in result.output and "40.00 %" in result.output
    assert "confusion" in result.output and "macro-F1" in result.output


def test_eval_rejects_misaligned_predictions(tmp_path: Path) -> None:
    bodies, stances = _files(tmp_path)
    pred = tmp_path / "pred.csv"
    pred.write_text("Headline,Body ID,Stance\nSomething else,10,agree\n", encoding="utf-8")
    args = ["eval", "--bodies", str(bodies), "--stances", str(stances)]
    result = CliRunner().invoke(app, [*args, "--predictions", str(pred)])
    assert isinstance(result.exception, MalformedData)
    assert "1 prediction rows but 4 gold rows" in str(result.exception)


def test_cli_boundary_turns_bad_csv_into_one_line(tmp_path: Path) -> None:
    bodies, _ = _files(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("Headline,Body ID\nA headline,99\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "newstrace", "stance", "predict", "--bodies", str(bodies),
         "--stances", str(bad), "-o", str(tmp_path / "o.csv")],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == MalformedData.exit_code
    assert proc.stderr.strip().count("\n") == 0
    assert "bad.csv: row 2: unknown Body ID '99'" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.data
def test_train_with_holdout_writes_split_and_model(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = shared_data / "fnc1"
    # Few boosting rounds, one thread: seconds even when the cores are shared.
    monkeypatch.setattr(train_module, "STAGE1", {**train_module.STAGE1, "max_iter": 20})
    monkeypatch.setattr(train_module, "STAGE2", {**train_module.STAGE2, "max_iter": 20})
    if not folder.is_dir():
        pytest.skip("FNC-1 not in the shared data")
    # A tiny slice: the first 300 pairs, so the test trains in seconds.
    lines = (folder / "train_stances.csv").read_text(encoding="utf-8").splitlines()[:301]
    stances = tmp_path / "s.csv"
    stances.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model, held = tmp_path / "m.npz", tmp_path / "held.csv"
    args = ["train", "--bodies", str(folder / "train_bodies.csv"), "--stances", str(stances),
            "-o", str(model), "--holdout", str(held)]
    with threadpool_limits(1):
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    held_rows = list(csv.DictReader(held.open(encoding="utf-8")))
    assert 0 < len(held_rows) < 300 and model.stat().st_size > 0


def test_train_refuses_data_without_every_label(tmp_path: Path) -> None:
    bodies, stances = _files(tmp_path)  # no disagree or discuss pair
    args = ["train", "--bodies", str(bodies), "--stances", str(stances), "-o", "m.npz"]
    result = CliRunner().invoke(app, args)
    assert isinstance(result.exception, MalformedData)
    assert "no pair labelled disagree, discuss" in str(result.exception)
