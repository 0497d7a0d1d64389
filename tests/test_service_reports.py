"""Permalinks: reports saved in a bounded SQLite file, served again by key."""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed")

from newstrace.analyze.analyzer import Analyzer
from newstrace.config import Settings
from newstrace.service.app import create_app
from newstrace.service.reports import ReportStore
from newstrace.service.runner import AnalysisRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ARTICLE = "# Bridge opening delayed\n\nThe mayor said on Monday that the bridge would open.\n"


def client_for(folder: Path) -> TestClient:
    settings = Settings()
    runner = AnalysisRunner([Analyzer([], settings)], settings, timeout_s=20)
    return TestClient(create_app(settings, runner=runner, reports=folder))


def test_api_returns_id_and_permalink_that_serve_the_same_report(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    report = client.post("/api/analyze", json={"text": ARTICLE}).json()
    key = report["report_id"]
    assert report["permalink"] == f"/reports/{key}"
    again = client.get(f"/api/reports/{key}").json()
    assert again == report
    page = client.get(report["permalink"])
    assert page.status_code == 200 and "Bridge opening delayed" in page.text
    download = client.get(f"/reports/{key}.json")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.json()["text"] == report["text"]
    assert (tmp_path / "reports.sqlite").is_file()


def test_the_form_redirects_to_the_permalink_so_reload_works(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    posted = client.post("/analyze", data={"text": ARTICLE}, follow_redirects=False)
    assert posted.status_code == 303
    location = posted.headers["location"]
    assert location.startswith("/reports/")
    for _ in range(2):  # a reload is the same GET
        page = client.get(location)
        assert page.status_code == 200 and "Bridge opening delayed" in page.text


def test_unknown_or_malformed_keys_are_404(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    for key in ("AAAAAAAAAAAAAAAAAAAAAA", "x", "..%2f..%2fetc"):
        api = client.get(f"/api/reports/{key}")
        assert api.status_code == 404 and api.json()["code"] == "not_found"
    page = client.get("/reports/AAAAAAAAAAAAAAAAAAAAAA", headers={"accept": "text/html"})
    assert page.status_code == 404 and 'id="error-code">not_found<' in page.text


def test_reports_past_the_age_cap_are_gone(tmp_path: Path) -> None:
    store = ReportStore(tmp_path, max_age_s=0.2)
    key = store.put_keyed({"text": "a"})
    assert store.get(key)["text"] == "a"
    time.sleep(0.3)
    assert store.get(key) is None
    store.put_keyed({"text": "b"})  # an insert prunes the expired row
    assert store.stats()["reports"] == 1


def test_the_size_cap_drops_the_oldest_first(tmp_path: Path) -> None:
    import random

    store = ReportStore(tmp_path, max_bytes=60_000)
    rng = random.Random(1)
    keys = []
    for _ in range(20):  # incompressible text: ~10 KB stored each
        keys.append(store.put_keyed({"text": "".join(rng.choices("abcdefghij", k=12_000))}))
    stats = store.stats()
    assert stats["bytes"] <= 60_000 and 3 <= stats["reports"] < 20
    assert store.get(keys[0]) is None and store.get(keys[-1]) is not None
