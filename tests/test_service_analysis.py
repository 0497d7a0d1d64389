"""The service with the real default Analyzer, on the example article fact-checkers paste."""

from __future__ import annotations

import re
import warnings

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
    analyzer, _note = real_analyzer(settings)
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
