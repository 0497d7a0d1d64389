"""The CLI over hostile files, in a subprocess: a report (exit 0) or one error line with
the error's exit code — never a traceback or an "internal error"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newstrace import errors

TYPED_EXIT_CODES = {
    cls.exit_code for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.NewstraceError)
}


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None):
    import os

    return subprocess.run([sys.executable, "-m", "newstrace", *args], input=stdin,
                          capture_output=True, timeout=300, env={**os.environ, **(env or {})})


def assert_clean(proc: subprocess.CompletedProcess[bytes]) -> None:
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr[-2000:]
    if proc.returncode:
        assert proc.returncode in TYPED_EXIT_CODES, (proc.returncode, stderr[-500:])
        assert len([line for line in stderr.splitlines() if line.strip()]) == 1, stderr


HOSTILE = (
    b"Headline \xff\xfe\x01\n\r\nThe mayor \xed\xa0\x80 said \xe2\x80\x8b\xe2\x80\xae it "
    b"\xf0\x9f\x98\x80 was fine.\r\rCritics said it may not be. <xss-probe>\n"
)


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_analyze_hostile_bytes_file(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "hostile.txt"
    path.write_bytes(HOSTILE)
    out = tmp_path / f"report.{fmt}"
    proc = run_cli("analyze", str(path), "--format", fmt, "--output", str(out))
    assert_clean(proc)
    assert proc.returncode == 0
    written = out.read_text(encoding="utf-8")
    assert "<xss-probe" not in written or fmt == "json"


def test_extract_hostile_stdin_variants(tmp_path: Path) -> None:
    # One process per input is slow; extract needs no model, so a few shapes stay cheap.
    for data, fmt in ((HOSTILE, "auto"), (HOSTILE + b"\x00", "text"),
                      (b"<div>" * 200 + b"x", "html"), (b"> " * 100 + b"said", "markdown"),
                      (bytes(range(256)) * 4, "auto")):
        assert_clean(run_cli("extract", "-", "--input-format", fmt, stdin=data))


def test_terminal_report_of_hostile_text(tmp_path: Path) -> None:
    path = tmp_path / "hostile.md"
    path.write_text("# Head\u202e\u200bline\n\n\"Quote,\" said \u0645\u0631\u062d\u0628\u0627. "
                    + "\x1b[31mred\x1b[0m " * 20, encoding="utf-8")
    proc = run_cli("analyze", str(path))
    assert_clean(proc)
    assert proc.returncode == 0
    # Terminal escapes from the article must not reach the terminal raw.
    assert b"\x1b[31mred" not in proc.stdout
