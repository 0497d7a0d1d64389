"""Analysing a page by its URL: the API, the page and the CLI, against a loopback
http.server; the service refuses loopback targets unless started with the flag."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed")

from fetch_support import page_server
from newstrace.analyze.analyzer import Analyzer
from newstrace.config import Settings
from newstrace.service.app import create_app
from newstrace.service.runner import AnalysisRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with page_server() as base:
        yield base


def client(allow_private: bool) -> TestClient:
    settings = Settings()
    runner = AnalysisRunner([Analyzer([], settings)], settings, timeout_s=20)
    app = create_app(settings, runner=runner, allow_private_urls=allow_private)
    return TestClient(app, raise_server_exceptions=False)


def test_api_fetches_the_url_with_the_flag(server: str) -> None:
    response = client(True).post("/api/analyze", json={"url": f"{server}/redirect"})
    assert response.status_code == 200, response.text
    report = response.json()
    fetch = report["meta"]["fetch"]
    assert fetch["final_url"] == f"{server}/article"
    assert fetch["status"] == 200 and fetch["redirects"] == 1
    assert report["meta"]["url"] == f"{server}/article"
    assert "Port bridge delayed" in report["text"]


def test_api_refuses_loopback_without_the_flag(server: str) -> None:
    response = client(False).post("/api/analyze", json={"url": f"{server}/article"})
    assert response.status_code == 400
    assert response.json()["code"] == "url_refused"


def test_api_refuses_other_schemes_and_reports_fetch_failures(server: str) -> None:
    test_client = client(True)
    refused = test_client.post("/api/analyze", json={"url": "file:///etc/passwd"})
    assert (refused.status_code, refused.json()["code"]) == (400, "url_refused")
    missing = test_client.post("/api/analyze", json={"url": f"{server}/missing"})
    assert (missing.status_code, missing.json()["code"]) == (502, "page_fetch_failed")


def test_the_page_form_takes_a_url(server: str) -> None:
    page = client(True).post(
        "/analyze", data={"text": "", "url": f"{server}/article"},
        headers={"accept": "text/html"},
    )
    assert page.status_code == 200
    assert "Port bridge delayed" in page.text
    refused = client(False).post(
        "/analyze", data={"text": "", "url": f"{server}/article"},
        headers={"accept": "text/html"},
    )
    assert refused.status_code == 400
    assert 'id="error-code">url_refused<' in refused.text
    assert f'value="{server}/article"' in refused.text  # the form keeps the address


def test_cli_analyzes_a_url(server: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "newstrace", "analyze", f"{server}/redirect", "-f", "json"],
        capture_output=True, text=True, timeout=180,
    )
    assert run.returncode == 0, run.stderr[-1000:]
    report = json.loads(run.stdout)
    assert report["meta"]["fetch"]["final_url"] == f"{server}/article"
    assert report["headline"]["text"].startswith("Port bridge delayed")


def test_cli_url_errors_are_one_line(server: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "newstrace", "analyze", f"{server}/missing"],
        capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 25
    assert "404" in run.stderr and "Traceback" not in run.stderr
