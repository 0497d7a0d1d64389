"""Errors a person (and an ordinary HTTP client) can read: oversized bodies answered with
a readable 413, styled error pages that keep what was pasted, limits stated in one unit."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator

import httpx
import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed")

from newstrace.analyze.analyzer import Analyzer
from newstrace.config import DEFAULT_MAX_BYTES, Settings
from newstrace.service.app import create_app
from newstrace.service.runner import AnalysisRunner
from test_service_support import live_server

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

THIRTY_MB = b"x" * (30 * 1000 * 1000)
HTML = {"accept": "text/html,application/xhtml+xml"}


def app_for(max_bytes: int = DEFAULT_MAX_BYTES):  # -> FastAPI
    settings = Settings(max_bytes=max_bytes)
    runner = AnalysisRunner([Analyzer([], settings)], settings, timeout_s=10)
    return create_app(settings, runner=runner)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with live_server(app_for()) as base:
        yield base


def test_urllib_posting_30_mb_reads_the_413(url: str) -> None:
    request = urllib.request.Request(
        f"{url}/api/analyze", data=THIRTY_MB, headers={"content-type": "text/plain"}
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=60)
    assert caught.value.code == 413
    body = json.loads(caught.value.read())
    assert body["code"] == "too_large"
    assert "20 MiB" in body["message"]


def test_httpx_posting_30_mb_reads_the_413(url: str) -> None:
    response = httpx.post(
        f"{url}/api/analyze", content=THIRTY_MB, headers={"content-type": "text/plain"},
        timeout=60,
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_browser_posting_too_much_gets_a_styled_page(url: str) -> None:
    response = httpx.post(
        f"{url}/analyze", files={"file": ("big.txt", THIRTY_MB)}, headers=HTML, timeout=60
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="error-code">too_large<' in response.text
    assert '<form class="analyze"' in response.text
    assert "/static/app.css" in response.text


def test_the_error_page_keeps_what_was_pasted() -> None:
    client = TestClient(app_for(max_bytes=1000), raise_server_exceptions=False)
    pasted = "Pasted <b>story</b> " * 100  # 2,000 bytes: over the article limit
    response = client.post(
        "/analyze", data={"text": pasted, "url": "https://example.org/a"}, headers=HTML
    )
    assert response.status_code == 413
    assert 'id="error-code">too_large<' in response.text
    assert "Pasted &lt;b&gt;story&lt;/b&gt; Pasted" in response.text  # escaped, kept
    assert 'value="https://example.org/a"' in response.text


def test_the_page_states_the_limits_it_enforces_in_one_unit() -> None:
    client = TestClient(app_for())
    page = client.get("/").text
    assert "up to 20 MiB and 1,000,000 characters" in page
    assert f'data-max-bytes="{DEFAULT_MAX_BYTES}"' in page
    health = client.get("/api/health").json()
    assert health["max_bytes"] == DEFAULT_MAX_BYTES
