"""Shared fixtures. Third-party data is read from ../shared/data (or NEWSTRACE_DATA); tests
that need it skip with a message when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "germany-russia-coalition.md"
TEST_DATA = Path(__file__).resolve().parent / "data"


def shared_data_dir() -> Path | None:
    env = os.environ.get("NEWSTRACE_DATA")
    for candidate in (Path(env) if env else None, ROOT.parent / "shared" / "data"):
        if candidate is not None and candidate.is_dir():
            return candidate
    return None


# Point the package at the shared evaluation data the way the Makefile does, so that a
# plain `pytest` run sees the same rating lists as `make test`.
if "NEWSTRACE_DATA" not in os.environ and shared_data_dir() is not None:
    os.environ["NEWSTRACE_DATA"] = str(shared_data_dir())


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if path is None:
        pytest.skip("shared evaluation data not found (set NEWSTRACE_DATA or ../shared/data)")
    return path


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")
