"""`newstrace analyze` limits: a default time budget that stops even inside one annotator,
and texts longer than the language model parses refused with their own exit code."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from newstrace.cli.analyze import DEFAULT_TIME_BUDGET_S, hard_deadline
from newstrace.errors import AnalysisTimeout, TextTooLong
from newstrace.limits import MAX_TEXT_CHARS


def newstrace(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newstrace", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_hard_deadline_stops_a_loop_that_never_returns_to_the_analyzer() -> None:
    started = time.monotonic()
    with pytest.raises(AnalysisTimeout), hard_deadline(0.2):
        while time.monotonic() - started < 30:
            pass
    assert time.monotonic() - started < 3


def test_hard_deadline_is_not_swallowed_by_code_that_catches_exception() -> None:
    """Library code that catches Exception (and rewraps it, as a YAML loader did) must not
    turn the deadline into another error."""
    started = time.monotonic()
    with pytest.raises(AnalysisTimeout), hard_deadline(0.2):
        while time.monotonic() - started < 30:
            try:
                time.sleep(0.01)
            except Exception as exc:  # what a careless library does
                raise ValueError(f"Invalid YAML: {exc}") from exc
    assert time.monotonic() - started < 3


def test_hard_deadline_is_off_when_the_budget_is_zero() -> None:
    with hard_deadline(0):
        time.sleep(0.05)


def test_the_default_budget_is_finite() -> None:
    assert 0 < DEFAULT_TIME_BUDGET_S <= 600


def test_text_over_the_model_limit_exits_21(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Long\n\n" + "word " * (MAX_TEXT_CHARS // 5 + 10), encoding="utf-8")
    run = newstrace("analyze", str(path), "-f", "json")
    assert run.returncode == TextTooLong.exit_code == 21
    assert "Traceback" not in run.stderr
    assert f"{MAX_TEXT_CHARS:,}" in run.stderr


def test_a_hostile_text_stops_at_its_budget(tmp_path: Path) -> None:
    path = tmp_path / "quotes.txt"
    path.write_text("Quotes\n\n" + ("He said “it is " + "very " * 20 + "\n") * 1300, "utf-8")
    run = newstrace("analyze", str(path), "--time-budget", "2", "-f", "json")
    assert run.returncode == AnalysisTimeout.exit_code == 13, run.stderr[-500:]
    assert "Traceback" not in run.stderr
