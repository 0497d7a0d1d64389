"""The per-document time budget ends analysis cleanly with AnalysisTimeout — in the
library, the CLI (its exit code) and the service (HTTP 504) — and the process stays
healthy: the next document analyses normally."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import fuzzgen
import pytest

import newstrace
from newstrace.analyze.analyzer import Analyzer, BaseAnnotator
from newstrace.config import Settings
from newstrace.errors import AnalysisTimeout


def test_budget_stops_the_default_analyzer_and_it_stays_usable(analyzer) -> None:
    long_article = fuzzgen.SEED_TEXT + "\n\n".join([fuzzgen.SEED_TEXT.split("\n\n")[2]] * 40)
    with pytest.raises(AnalysisTimeout) as caught:
        analyzer(newstrace.load(long_article, format="text"), time_budget_s=1e-6)
    assert caught.value.exit_code == 13 and caught.value.http_status == 504
    # Same Analyzer, same process: the next documents are analysed in full.
    for _ in range(2):
        report = newstrace.analyze(fuzzgen.SEED_TEXT, format="text", analyzer=analyzer)
        assert report.to_dict()["attributions"]


def test_cli_exit_code_on_timeout(tmp_path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(fuzzgen.SEED_TEXT)
    proc = subprocess.run([sys.executable, "-m", "newstrace", "analyze", str(path)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NEWSTRACE_TIME_BUDGET_S": "0.000001"})
    assert proc.returncode == AnalysisTimeout.exit_code, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("newstrace: error: analysis took longer")
    # The same budget as an option.
    proc = subprocess.run([sys.executable, "-m", "newstrace", "analyze", str(path),
                           "--time-budget", "0.000001"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == AnalysisTimeout.exit_code, proc.stderr


class SlowOnMarker(BaseAnnotator):
    """Sleeps on one marker text (a pathological page); other pages pass at once."""

    name = "slow-on-marker"

    def __init__(self) -> None:
        self.finished = threading.Event()

    def __call__(self, article):
        if "SLOW-PAGE" in article.text:
            time.sleep(1.5)
            self.finished.set()
        return article


def test_service_answers_504_then_recovers() -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newstrace.service.app import create_app
    from newstrace.service.runner import AnalysisRunner

    settings = Settings(max_bytes=50_000)
    slow = SlowOnMarker()
    runner = AnalysisRunner([Analyzer([slow], settings)], settings, timeout_s=0.3)
    with TestClient(create_app(settings, runner=runner), raise_server_exceptions=False) as c:
        started = time.monotonic()
        response = c.post("/api/analyze", json={"text": "Head\n\nSLOW-PAGE said the mayor."})
        assert response.status_code == 504 and response.json()["code"] == "timeout"
        assert time.monotonic() - started < 1.4
        # The analyzer comes back to the pool once the slow page ends; then the service
        # answers normally again.
        assert slow.finished.wait(10)
        time.sleep(0.1)
        ok = c.post("/api/analyze", json={"text": "Head\n\nThe mayor said it was fine."})
        assert ok.status_code == 200 and ok.json()["text"].startswith("Head")
        assert c.get("/api/health").json()["status"] == "ok"
