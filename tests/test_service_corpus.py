"""Corpus endpoints and pages over a real corpus output.

The corpus is made here with the engines' own CLIs from a small JSONL file (a story, two
copies of it on other outlets, one lightly edited, and an unrelated article):
`newstrace corpus run` into OUT and `newstrace trace run` into OUT/trace
(test_service_support.make_corpus).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed")
pytest.importorskip("duckdb", reason="the corpus extra is not installed")

from newstrace.analyze.analyzer import Analyzer
from newstrace.config import Settings
from newstrace.errors import InputNotFound
from newstrace.service.app import create_app
from newstrace.service.runner import AnalysisRunner
from test_service_support import audit, make_corpus

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def client(corpus_out: Path) -> TestClient:
    settings = Settings()
    runner = AnalysisRunner([Analyzer([], settings)], settings, timeout_s=10)
    return TestClient(create_app(settings, runner=runner, corpus=corpus_out))


def test_search_lists_and_pages(client: TestClient) -> None:
    everything = client.get("/api/articles").json()
    assert everything["total"] == 4
    assert {i["id"] for i in everything["items"]} == {"orig", "copy1", "copy2", "sport"}
    page2 = client.get("/api/articles", params={"limit": 3, "offset": 3}).json()
    assert page2["total"] == 4 and len(page2["items"]) == 1


def test_search_words_outlet_and_finding(client: TestClient) -> None:
    found = client.get("/api/articles", params={"q": "bridge STEEL"}).json()
    assert {i["id"] for i in found["items"]} == {"orig", "copy1", "copy2"}
    # LIKE wildcards in the query are literal text, not patterns.
    assert client.get("/api/articles", params={"q": "%"}).json()["total"] == 0
    by_outlet = client.get("/api/articles", params={"outlet": "thirdsite.example"}).json()
    assert [i["id"] for i in by_outlet["items"]] == ["copy2"]
    kinds = {k for item in client.get("/api/articles/orig").json()["findings"]
             for k in [item["kind"]]}
    if kinds:
        kind = sorted(kinds)[0]
        hits = client.get("/api/articles", params={"finding": kind}).json()
        assert "orig" in {i["id"] for i in hits["items"]}
    none = client.get("/api/articles", params={"finding": "no_such_kind"}).json()
    assert none["total"] == 0


def test_article_report_from_tables(client: TestClient) -> None:
    report = client.get("/api/articles/orig").json()
    assert report["headline"]["text"] == "Bridge opening delayed to March"
    assert "harbour bridge" in report["text"]
    for block in report["blocks"]:
        assert report["text"][block["start"]:block["end"]].strip()
    for finding in report["findings"]:
        for span in finding["evidence"]:
            assert report["text"][span["start"]:span["end"]] == span["text"]
    assert report["corpus"]["domain"] == "harbourtimes.example"
    missing = client.get("/api/articles/nope")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_story_groups_the_copies(client: TestClient) -> None:
    report = client.get("/api/articles/copy1").json()
    stories = report["corpus"]["stories"]
    assert len(stories) == 1
    story = client.get(f"/api/stories/{stories[0]}").json()
    assert {a["id"] for a in story["articles"]} == {"orig", "copy1", "copy2"}
    assert story["edges"]
    assert client.get("/api/stories/nope").status_code == 404


def test_story_roles_come_from_the_trace(client: TestClient) -> None:
    story = client.get("/api/stories/" + client.get("/api/articles/orig").json()["corpus"][
        "stories"][0]).json()
    roles = {a["id"]: a["role"] for a in story["articles"]}
    assert roles == {"orig": "origin", "copy1": "copy", "copy2": "copy"}
    # The unrelated article is a story of one: not a family, no story link.
    assert client.get("/api/articles/sport").json()["corpus"]["stories"] == []


def test_explicit_trace_folder(corpus_out: Path) -> None:
    settings = Settings()
    runner = AnalysisRunner([Analyzer([], settings)], settings, timeout_s=10)
    with_trace = TestClient(
        create_app(settings, runner=runner, corpus=corpus_out, trace=corpus_out / "trace")
    )
    assert with_trace.get("/api/graph").json()["edges"]
    missing = corpus_out / "no-such-trace"
    with pytest.raises(InputNotFound):
        create_app(settings, runner=runner, corpus=corpus_out, trace=missing)


def test_outlet_and_graph(client: TestClient) -> None:
    outlet = client.get("/api/outlets/www.harbourtimes.example").json()
    assert outlet["domain"] == "harbourtimes.example"
    assert [a["id"] for a in outlet["articles"]] == ["orig"]
    assert client.get("/api/outlets/unknown.example").status_code == 404
    graph = client.get("/api/graph").json()
    ids = {n["id"] for n in graph["nodes"]}
    assert {"harbourtimes.example", "copycat.example", "thirdsite.example"} <= ids
    assert any(
        e["source"] == "harbourtimes.example" and e["target"] == "copycat.example"
        for e in graph["edges"]
    )
    around = client.get("/api/graph", params={"outlet": "copycat.example"}).json()
    assert all("copycat.example" in (e["source"], e["target"]) for e in around["edges"])
    assert "sports.example" not in {n["id"] for n in around["nodes"]}


def test_corpus_pages_render_and_escape(client: TestClient) -> None:
    story_id = client.get("/api/articles/copy1").json()["corpus"]["stories"][0]
    pages = {
        "/corpus": "4 article(s)",
        "/corpus?q=cup": "1 article(s)",
        "/corpus/articles/sport": "Local team wins cup final",
        f"/corpus/stories/{story_id}?a=orig&b=copy1": "Side by side",
        "/corpus/outlets/copycat.example": "copycat.example",
        "/corpus/graph": "Provenance graph",
    }
    for path, expected in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert expected in response.text, path
        page = audit(response.text)
        assert not page.inline_script_text and not page.event_attrs and not page.style_attrs
        assert all(s.get("src", "").startswith("/static/") for s in page.scripts)
    sport = client.get("/corpus/articles/sport").text
    assert "<script>document" not in sport


def test_story_diff_marks_the_edit(client: TestClient) -> None:
    story_id = client.get("/api/articles/copy1").json()["corpus"]["stories"][0]
    page = client.get(f"/corpus/stories/{story_id}", params={"a": "orig", "b": "copy1"}).text
    # The copy's added sentence is marked as changed on the right; shared text is not.
    assert '<span class="d-chg">Some shops nearby' in page
    assert "diff-equal" in page


def test_no_corpus_pages_say_so() -> None:
    settings = Settings()
    runner = AnalysisRunner([Analyzer([], settings)], settings, timeout_s=10)
    bare = TestClient(create_app(settings, runner=runner))
    assert bare.get("/api/graph").json()["code"] == "no_corpus"
    response = bare.get("/corpus")
    assert response.status_code == 404 and "--corpus" in response.text


def test_a_pasted_article_is_looked_up_in_the_traced_corpus(client: TestClient) -> None:
    # The corpus has a traced index: every analysed article gets its copies and origin,
    # in the JSON and on the page ("where else is this?").
    from test_service_support import DOCS

    story = next(d for d in DOCS if d["id"] == "copy2")
    report = client.post("/api/analyze", json={"text": story["text"]}).json()
    copies = report["copies"]
    assert copies["indexed_articles"] == 4
    found = {m["id"] for m in copies["copies"]}
    assert {"orig", "copy1"} <= found and "sport" not in found
    page = client.post("/analyze", data={"text": story["text"]}).text
    assert 'id="copies"' in page and "orig" in page
    unrelated = client.post("/api/analyze", json={"text": "Rates rise\n\nThe central bank "
                                                  "raised rates on Tuesday, it said."}).json()
    assert unrelated["copies"]["copies"] == [] and unrelated["copies"]["partial"] == []
