"""The CLI boundary: every bad input gets one line on stderr and its own exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newstrace import errors


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "newstrace", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[bytes], error: type) -> str:
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == error.exit_code, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got: {stderr!r}"
    assert lines[0].startswith("newstrace: error: ")
    assert "Traceback" not in stderr
    return lines[0]


def test_exit_codes_are_distinct() -> None:
    # Every class of the tree, found by walking it once the modules that add classes are
    # imported: a class that sets its own exit code (or code) cannot reuse another's. A
    # subclass that only narrows a case (the service's corpus NotFound) inherits both.
    import contextlib
    import importlib

    for module in ("newstrace.cli.outlets", "newstrace.service.errors"):
        with contextlib.suppress(ModuleNotFoundError):  # the service extra is absent
            importlib.import_module(module)
    classes, todo = [], [errors.NewstraceError]
    while todo:
        cls = todo.pop()
        classes.append(cls)
        todo.extend(cls.__subclasses__())
    own = [c for c in classes if c is not errors.NewstraceError and "exit_code" in vars(c)]
    assert len(own) >= 18
    codes = [c.exit_code for c in own]
    assert len(set(codes)) == len(codes), sorted((c.exit_code, c.__name__) for c in own)
    assert all(code not in (0, 1, 2) for code in codes)  # 2 is click's usage error
    named = [c for c in classes if "code" in vars(c)]
    assert len({c.code for c in named}) == len(named)


@pytest.mark.parametrize("command", ["analyze", "extract"])
def test_missing_file(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nope.html"
    line = assert_one_line_error(run_cli(command, str(missing)), errors.InputNotFound)
    assert "nope.html" in line


def test_directory(tmp_path: Path) -> None:
    line = assert_one_line_error(run_cli("extract", str(tmp_path)), errors.InputIsDirectory)
    assert str(tmp_path) in line or "director" in line.lower()


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", b"\xef\xbb\xbf  \n"])
def test_empty_or_whitespace(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    line = assert_one_line_error(run_cli("extract", str(path)), errors.EmptyInput)
    assert "empty" in line.lower()


def test_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(range(256)) * 20)
    line = assert_one_line_error(run_cli("extract", str(path)), errors.BinaryInput)
    assert "binary" in line.lower() or "not text" in line.lower()


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("A sentence of an article that is far too long. " * 100, encoding="utf-8")
    proc = run_cli("extract", str(path), "--max-bytes", "1000")
    line = assert_one_line_error(proc, errors.InputTooLarge)
    assert "1000" in line or "limit" in line.lower()


def test_too_large_on_stdin() -> None:
    proc = run_cli("extract", "-", "--max-bytes", "100", stdin=b"Words of an article. " * 50)
    assert_one_line_error(proc, errors.InputTooLarge)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 3),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64),
        ("doc.docx", b"PK\x03\x04" + b"\x14\x00\x06\x00" + b"word/document.xml" * 8),
    ],
)
def test_unsupported_format(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    line = assert_one_line_error(run_cli("extract", str(path)), errors.UnsupportedFormat)
    assert "format" in line.lower() or "support" in line.lower()


def test_undecodable(tmp_path: Path) -> None:
    # A UTF-16 byte-order mark promises UTF-16, but the body holds unpaired surrogates.
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\xff\xfe" + "Headline\n\nBody text.".encode("utf-16-le") + b"\x00\xd8A\x00")
    line = assert_one_line_error(run_cli("extract", str(path)), errors.UndecodableInput)
    assert "decod" in line.lower() or "encoding" in line.lower()


def test_stdin_is_read(example_text: str) -> None:
    proc = run_cli("extract", "-", stdin=example_text.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["source"] == "-"
    assert any(block["role"] == "headline" for block in data["blocks"])


def test_unwritable_output(tmp_path: Path, example_path: Path) -> None:
    target = tmp_path / "missing-dir" / "out.json"
    proc = run_cli("extract", str(example_path), "-o", str(target))
    assert_one_line_error(proc, errors.OutputError)
