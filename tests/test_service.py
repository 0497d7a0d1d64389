"""The HTTP API: input shapes, typed errors, limits, timeouts, headers, concurrency.

These tests run the real service stack (middleware, routes, runner) with small analyzers
built here — an empty pipeline, or annotators that sleep, fail or watch for concurrent
use — so each behaviour is checked on its own and fast. tests/test_service_analysis.py
runs the real default Analyzer.
"""

from __future__ import annotations

import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed")

from newstrace.analyze.analyzer import Analyzer, BaseAnnotator
from newstrace.config import Settings
from newstrace.data import Article
from newstrace.service.app import ENVELOPE_BYTES, create_app
from newstrace.service.runner import AnalysisRunner
from newstrace.service.security import CSP
from test_service_support import audit, live_server

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ARTICLE = (
    "# Minister says budget will pass\n\nBy Jane Doe\n\n"
    "The finance minister said on Monday that the budget would pass. "
    "Critics claimed the plan was reckless.\n"
)


class Sleep(BaseAnnotator):
    name = "sleep"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __call__(self, article: Article) -> Article:
        time.sleep(self.seconds)
        return article


class Boom(BaseAnnotator):
    name = "boom"

    def __call__(self, article: Article) -> Article:
        raise RuntimeError("secret internal detail")


class Watch(BaseAnnotator):
    """Records the most threads ever inside this one annotator at once."""

    name = "watch"

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, article: Article) -> Article:
        with self._lock:
            self.inside += 1
            self.calls += 1
            self.most = max(self.most, self.inside)
        time.sleep(0.05)
        with self._lock:
            self.inside -= 1
        return article


def make_client(
    *annotators: BaseAnnotator, max_bytes: int = 50_000, timeout_s: float = 10.0
) -> TestClient:
    settings = Settings(max_bytes=max_bytes)
    runner = AnalysisRunner([Analyzer(list(annotators), settings)], settings, timeout_s=timeout_s)
    return TestClient(create_app(settings, runner=runner), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return make_client()


# --- input shapes ----------------------------------------------------------------------


def test_health(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["analyzers"] == 1 and body["threads"] >= 1
    assert body["corpus"] is None


def test_analyze_json_text_returns_report(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"text": ARTICLE, "url": "https://ex.org/a"})
    assert response.status_code == 200
    report = response.json()
    assert report["headline"]["text"] == "Minister says budget will pass"
    assert "finance minister said" in report["text"]
    assert {b["role"] for b in report["blocks"]} >= {"headline", "body"}
    assert report["meta"]["url"] == "https://ex.org/a"


def test_analyze_html_field_is_read_as_html(client: TestClient) -> None:
    page = (
        "<html><head><title>T</title></head><body><article><h1>Storm hits coast</h1>"
        "<p>The storm hit the coast on Tuesday, officials said, and thousands lost power "
        "across the region as the wind rose.</p></article></body></html>"
    )
    report = client.post("/api/analyze", json={"html": page}).json()
    assert report["format"] == "html"
    assert "<p>" not in report["text"] and "storm hit the coast" in report["text"]


def test_analyze_multipart_upload(client: TestClient) -> None:
    files = {"file": ("story.md", ARTICLE.encode(), "text/markdown")}
    response = client.post("/api/analyze", files=files)
    assert response.status_code == 200
    assert response.json()["format"] == "markdown"


def test_analyze_raw_body(client: TestClient) -> None:
    response = client.post(
        "/api/analyze", content=ARTICLE.encode(), headers={"content-type": "text/markdown"}
    )
    assert response.status_code == 200
    assert response.json()["headline"]["text"] == "Minister says budget will pass"


# --- bad input → typed errors ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"json": {"text": ""}}, 422, "empty"),
        ({"json": {"text": "   \n  "}}, 422, "empty"),
        ({"json": {}}, 400, "bad_input"),
        ({"json": ["not", "an", "object"]}, 400, "bad_input"),
        ({"json": {"text": "a", "html": "<p>b</p>"}}, 400, "bad_input"),
        ({"json": {"text": 42}}, 400, "bad_input"),
        ({"json": {"text": "x", "format": "pdf"}}, 415, "unsupported_format"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400,
         "bad_input"),
        ({"content": b"\x00\x01\x02PK\x03\x04" * 50, "headers": {"content-type": "text/plain"}},
         415, "binary"),
        ({"content": b"abc", "headers": {"content-type": "image/png"}}, 415,
         "unsupported_format"),
    ],
)
def test_bad_input_gets_typed_error(
    client: TestClient, kwargs: dict, status: int, code: str
) -> None:
    response = client.post("/api/analyze", **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert body["message"]


def test_unknown_route_and_method_are_json(client: TestClient) -> None:
    assert client.get("/api/nope").json()["code"] == "not_found"
    response = client.get("/api/analyze")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_people_get_html_errors_and_a_way_back(client: TestClient) -> None:
    response = client.get("/no-such-page", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert 'id="error-code">not_found<' in response.text
    assert client.get("/api/nope", headers={"accept": "text/html"}).json()["code"] == (
        "not_found"
    )
    back = client.get("/analyze", follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == "/"


def test_query_validation_is_json(client: TestClient) -> None:
    response = client.get("/api/articles", params={"limit": 0})
    assert response.status_code in (404, 422)
    assert response.json()["code"] in ("bad_request", "no_corpus")


# --- limits ----------------------------------------------------------------------------


def test_declared_oversized_body_refused_before_reading() -> None:
    client = make_client(max_bytes=1000)
    big = b"x" * (1000 + ENVELOPE_BYTES + 1)
    response = client.post("/api/analyze", content=big, headers={"content-type": "text/plain"})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_article_over_max_bytes_is_413_even_inside_the_envelope() -> None:
    client = make_client(max_bytes=1000)
    response = client.post("/api/analyze", json={"text": "word " * 400})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_streamed_body_is_cut_off_while_reading() -> None:
    """A chunked body with no Content-Length: the server answers 413 long before the
    client has sent everything (it would send 64 MB)."""
    settings = Settings(max_bytes=10_000)
    runner = AnalysisRunner([Analyzer([], settings)], settings, timeout_s=10)
    sent = {"chunks": 0}

    def body():
        for _ in range(1024):
            sent["chunks"] += 1
            yield b"y" * 65536

    with live_server(create_app(settings, runner=runner)) as url:
        try:
            response = httpx.post(
                f"{url}/api/analyze", content=body(), headers={"content-type": "text/plain"},
                timeout=20,
            )
        except httpx.HTTPError:
            response = None  # the server may close while we are still writing
        if response is not None:
            assert response.status_code == 413
            assert response.json()["code"] == "too_large"
    assert sent["chunks"] < 1024
    assert runner.completed == 0


def test_timeout_is_504_and_fast() -> None:
    client = make_client(Sleep(3.0), timeout_s=0.3)
    started = time.monotonic()
    response = client.post("/api/analyze", json={"text": ARTICLE})
    assert time.monotonic() - started < 2.5
    assert response.status_code == 504
    assert response.json()["code"] == "timeout"
    assert "0.3" in response.json()["message"]


def test_unexpected_error_is_500_without_traceback() -> None:
    client = make_client(Boom())
    response = client.post("/api/analyze", json={"text": ARTICLE})
    assert response.status_code == 500
    assert response.json() == {"code": "internal", "message": "internal server error"}
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


# --- headers and page safety -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/docs", "/api/health", "/static/app.css", "/nope"])
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert csp == CSP
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
    assert "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/docs"])
def test_pages_have_no_inline_script_style_or_external_assets(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.headers["content-type"].startswith("text/html")
    page = audit(response.text)
    assert page.scripts and all(s.get("src", "").startswith("/static/") for s in page.scripts)
    assert not page.inline_script_text and not page.event_attrs and not page.style_attrs
    assert not page.external
    for asset in [s["src"] for s in page.scripts] + ["/static/report.css", "/static/app.css"]:
        assert client.get(asset).status_code == 200, asset


def test_openapi_is_local_and_lists_endpoints(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/api/analyze", "/api/health", "/api/articles", "/api/articles/{article_id}",
                 "/api/stories/{story_id}", "/api/outlets/{domain}", "/api/graph"):
        assert path in schema["paths"]
    assert "multipart/form-data" in schema["paths"]["/api/analyze"]["post"]["requestBody"][
        "content"
    ]
    docs = client.get("/docs").text
    assert "/api/analyze" in docs and "cdn" not in docs.lower()


XSS = """# Headline <script>document.title='pwned'</script> <img src=x onerror="alert(1)">

By <a href="javascript:alert(2)">Evil</a>

The minister said <svg onload="alert(3)"><script>alert(4)</script></svg> that it was fine.
<style>body{display:none}</style> <iframe src="javascript:alert(5)"></iframe>
"It works," she said. <a href="javascript:alert(6)">click</a> " onmouseover="alert(7)
"""


def test_page_escapes_hostile_article(client: TestClient) -> None:
    response = client.post("/analyze", data={"text": XSS, "format": "text"})
    assert response.status_code == 200
    page = audit(response.text)
    assert [s.get("src") for s in page.scripts] == ["/static/app.js"]
    assert not page.inline_script_text
    assert not page.event_attrs and not page.js_urls and not page.style_attrs
    assert not {"svg", "iframe", "style", "img"} & set(page.tags)
    assert "&lt;script&gt;" in response.text  # shown as text, not dropped


def test_page_form_error_is_an_html_page_with_status(client: TestClient) -> None:
    response = client.post("/analyze", data={"text": "   "})
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert 'id="error-code">empty<' in response.text


# --- concurrency -----------------------------------------------------------------------


def test_an_analyzer_is_never_used_by_two_threads_at_once() -> None:
    settings = Settings()
    watches = [Watch(), Watch()]
    runner = AnalysisRunner(
        [Analyzer([w], settings) for w in watches], settings, threads=4, timeout_s=20
    )
    client = TestClient(create_app(settings, runner=runner))
    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(lambda _: client.post("/api/analyze", json={"text": ARTICLE}).status_code,
                     range(16))
        )
    assert statuses == [200] * 16
    assert sum(w.calls for w in watches) == 16
    assert all(w.most == 1 for w in watches)  # each analyzer: one job at a time
    assert all(w.calls > 0 for w in watches)  # and both were used
