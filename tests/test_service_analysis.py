"""The service with the real default Analyzer, on the example article fact-checkers paste."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed")

from newstrace.config import Settings
from newstrace.service.app import create_app
from newstrace.service.runner import AnalysisRunner
from test_service_support import audit, real_analyzer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client() -> TestClient:
    settings = Settings()
    analyzer = real_analyzer(settings)
    runner = AnalysisRunner([analyzer], settings, timeout_s=60)
    return TestClient(create_app(settings, runner=runner))


def test_api_report_matches_library(client: TestClient, example_text: str) -> None:
    import newstrace

    response = client.post("/api/analyze", json={"text": example_text})
    assert response.status_code == 200
    report = response.json()
    direct = newstrace.analyze(
        example_text, analyzer=client.app.state.newstrace.runner._pool.queue[0]
    ).to_dict()
    # The service adds nothing and loses nothing: same report as the library call.
    assert report == direct
    assert report["headline"]["is_question"] is True
    assert report["findings"] and report["attributions"]


def test_page_shows_annotated_example(client: TestClient, example_text: str) -> None:
    response = client.post("/analyze", data={"text": example_text})
    assert response.status_code == 200
    page = response.text
    for section in ('id="findings"', 'id="article"', 'id="attributions"', 'id="provenance"'):
        assert section in page
    # Every finding's evidence link lands on an anchor that exists in the article.
    links = set(re.findall(r'href="#(ev-\d+-\d+)"', page))
    anchors = set(re.findall(r'id="(ev-\d+-\d+)"', page))
    assert links and links <= anchors
    assert "Germany Moves Away from the US Anti-Putin Alliance" in page
    checked = audit(page)
    assert not checked.inline_script_text and not checked.event_attrs


def test_serve_cli_binds_loopback_and_answers(tmp_path: Path) -> None:
    """`newstrace serve` as a user starts it: registered on the CLI, loopback by default,
    healthy, answers an analysis, stops on Ctrl-C."""
    import signal
    import subprocess
    import sys
    import time

    import httpx

    from test_service_support import free_port

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "newstrace", "serve", "--port", str(port), "--log-level",
         "warning", "--reports", str(tmp_path / "reports")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 90
        health = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).json()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert health is not None, server.stderr.read().decode()[-2000:] if server.poll() else ""
        assert health["status"] == "ok" and health["analyzers"] == 2
        listening = Path(f"/proc/{server.pid}/net/tcp").read_text()
        # The listening socket (state 0A) is on 127.0.0.1 (0100007F), never 0.0.0.0.
        port_hex = f"{port:04X}"
        ours = [line for line in listening.splitlines()[1:]
                if line.split()[1].endswith(":" + port_hex) and line.split()[3] == "0A"]
        assert ours and all(line.split()[1].startswith("0100007F:") for line in ours)
        response = httpx.post(f"http://127.0.0.1:{port}/api/analyze",
                              json={"text": "# A title\n\nThe mayor said the road is closed.\n"},
                              timeout=60)
        assert response.status_code == 200 and response.json()["attributions"]
        permalink = response.json()["permalink"]
        saved = httpx.get(f"http://127.0.0.1:{port}/api{permalink}", timeout=10)
        assert saved.json()["text"] == response.json()["text"]
        assert (tmp_path / "reports" / "reports.sqlite").is_file()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            assert server.wait(20) == 0
        finally:
            if server.poll() is None:
                server.kill()
