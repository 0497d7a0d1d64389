"""The same analysis on twelve other real articles, against hand-checked expectations.

Each article in tests/data/articles has an ``.expected.json`` (see the README there):
every expected attribution must be found with its cue, source, speaker, medium, time and
content; the listed sentences must get the listed sourcing status; listed entities must
be linked with the listed spellings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newstrace.assess.sourcing_rules import RULES
from newstrace.data import Article
from test_nlp_support import ARTICLES, plain_article, run_pipeline

CASES = sorted(p.name.removesuffix(".expected.json") for p in ARTICLES.glob("*.expected.json"))


def _load(name: str) -> tuple[Article, dict[str, Any]]:
    text = (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")
    title, _, rest = text.partition("\n")
    paragraphs = [p.strip() for p in rest.split("\n\n") if p.strip()]
    article = run_pipeline(plain_article(title.strip(), *paragraphs))
    expected = json.loads((ARTICLES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return article, expected


def _t(art: Article, span: Any) -> str | None:
    return None if span is None else span.text_of(art.text)


def _matches(art: Article, attrs: dict[str, Any], exp: dict[str, Any]) -> bool:
    content = _t(art, attrs["content"]) or ""
    source = _t(art, attrs["source"]) or ""
    checks = {
        "cue": lambda v: _t(art, attrs["cue"]) == v,
        "source": lambda v: source == v,
        "source_starts": lambda v: source.startswith(v),
        "source_contains": lambda v: v in source,
        "speaker": lambda v: attrs["speaker"] == v,
        "speaker_kind": lambda v: attrs["speaker_kind"] == v,
        "medium": lambda v: attrs["medium"] == v,
        "medium_contains": lambda v: v in (attrs["medium"] or ""),
        "time": lambda v: attrs["time"] == v,
        "content": lambda v: content == v,
        "content_starts": lambda v: content.startswith(v),
        "content_contains": lambda v: v in content,
        "direct": lambda v: attrs["direct"] == v,
    }
    return all(checks[key](value) for key, value in exp.items())


def test_there_are_at_least_ten_articles() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("name", CASES)
def test_expected_attributions(name: str) -> None:
    art, expected = _load(name)
    found = [s.attrs for s in art.layer("attributions")]
    for exp in expected["attributions"]:
        assert any(_matches(art, a, exp) for a in found), (
            exp,
            [(_t(art, a["cue"]), _t(art, a["source"]), a["speaker"],
              (_t(art, a["content"]) or "")[:50]) for a in found],
        )


@pytest.mark.parametrize("name", CASES)
def test_expected_claim_statuses(name: str) -> None:
    art, expected = _load(name)
    claims = art.layer("claims")
    for exp in expected.get("claims", []):
        hits = [c for c in claims if c.text_of(art.text).startswith(exp["starts"])]
        assert len(hits) == 1, exp["starts"]
        assert hits[0].attrs["status"] == exp["status"], (exp, hits[0].attrs["status"])
        if "checkworthy" in exp:
            assert hits[0].attrs["checkworthy"] == exp["checkworthy"]
    for c in claims:  # a sentence is attributed exactly when it points at an attribution
        assert (c.attrs["status"] == "attributed") == (c.attrs["attribution"] is not None)


@pytest.mark.parametrize("name", CASES)
def test_expected_entities_and_findings(name: str) -> None:
    art, expected = _load(name)
    for exp in expected.get("entities", []):
        hits = [e for e in art.results["entities"] if set(exp["variants"]) <= set(e["variants"])]
        assert len(hits) == 1, exp
        ent = hits[0]
        assert ent["label"] == exp["label"]
        if "inconsistent_spelling" in exp:
            assert ent["inconsistent_spelling"] == exp["inconsistent_spelling"]
        if "titles_contain" in exp:
            assert any(exp["titles_contain"] in t.lower() for t in ent["titles"])
    # Every finding the sourcing rules make points at real text of this article.
    for rule in RULES:
        for finding in rule(art):
            assert finding.evidence
            for span in finding.evidence:
                assert 0 <= span.start < span.end <= len(art.text)


def test_articles_dir_exists() -> None:
    assert Path(ARTICLES).is_dir()
