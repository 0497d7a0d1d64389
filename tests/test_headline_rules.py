"""Headline findings: from the audit's result to findings with evidence spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.analyze.headline import build
from newstrace.assess.headline_rules import RULES, findings
from newstrace.config import Settings
from newstrace.data import Article, Span
from test_headline_audit import make_article


@pytest.fixture(scope="module")
def audit():
    return build(Settings())


def by_kind(article: Article) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in findings(article):
        out.setdefault(f.kind, []).append(f)
    return out


def test_question_clause_on_unsourced_and_clause_never_made(audit) -> None:
    article = audit(make_article(
        "Mayor Quits Over Budget Row. Joins Rival Party?",
        [("body", [
            ("Everyone knows the mayor quit because of the row over the city budget.",
             "unsourced"),
            ("The council said the budget would be voted on in May.", "attributed"),
        ])],
    ))
    found = by_kind(article)
    (question,) = found["headline_question"]
    assert question.evidence[0].text_of(article.text) == article.headline.text_of(article.text)
    (unsourced,) = found["headline_unsourced_support"]
    texts = [e.text_of(article.text) for e in unsourced.evidence]
    assert texts == [
        "Mayor Quits Over Budget Row.",
        "Everyone knows the mayor quit because of the row over the city budget.",
    ]
    assert unsourced.severity == "high" and unsourced.attrs["statuses"] == ["unsourced"]
    (never,) = found["headline_unsupported"]
    assert never.evidence[0].text_of(article.text) == "Joins Rival Party?"
    assert "Joins Rival Party?" in never.message
    # Nothing of "joins rival party" is anywhere in the body: it truly never says it.
    assert never.severity == "high" and "never states" in never.message


def test_a_clause_whose_words_the_body_holds_is_only_a_pointer(audit) -> None:
    article = audit(make_article(
        "Mayor Joins Rival Party Before Election",
        [("body", [
            ("The mayor has spoken to the rival party for months.", "unsourced"),
            ("Heavy rain fell on the town all week.", "unsourced"),
            ("Officials said the election would be held in May.", "attributed"),
        ])],
    ))
    (clause,) = article.results["headline"]["clauses"]
    assert clause["made_by_body"] is False and clause["coverage"] >= 0.5
    (pointer,) = by_kind(article)["headline_unsupported"]
    assert pointer.severity == "low" and "other words" in pointer.message


def test_supported_statement_headline_has_no_clause_findings(audit) -> None:
    article = audit(make_article(
        "Mayor Quits Over Budget Row",
        [("body", [
            ("The mayor quit on Monday after a row over the city budget, the council said.",
             "attributed"),
        ])],
    ))
    kinds = set(by_kind(article))
    assert not kinds & {"headline_question", "headline_unsourced_support",
                        "headline_unsupported"}


def test_unrelated_body_and_loaded_terms() -> None:
    article = make_article("Thugs Wreck Park", [("body", [("Rain fell.", "unsourced")])])
    article.results["headline"] = {
        "stance": {"label": "unrelated", "probability": 0.93},
        "clauses": [],
        "loaded_terms": [Span(0, 5, "loaded", {"term": "thugs"})],
    }
    found = by_kind(article)
    assert found["headline_stance"][0].severity == "high"
    assert "unrelated" in found["headline_stance"][0].message
    (loaded,) = found["headline_loaded_term"]
    assert loaded.evidence[0].text_of(article.text) == "Thugs"


def test_rules_yield_nothing_without_an_audit() -> None:
    article = make_article("Plain Statement Headline", [("body", [("Body.", "unsourced")])])
    assert [f for rule in RULES for f in rule(article)] == []


def _full_pipeline_available() -> bool:
    from importlib.util import find_spec

    from newstrace.analyze.registry import DEFAULT_ORDER

    return all(find_spec(module) is not None for module, _ in DEFAULT_ORDER)


@pytest.mark.skipif(not _full_pipeline_available(), reason="not every annotator has landed")
def test_example_headline_against_body(example_path: Path) -> None:
    from newstrace.analyze.analyzer import Analyzer
    from newstrace.assess.report import build_report
    from newstrace.read import read_path
    from newstrace.structure import structure

    settings = Settings()
    article = structure(read_path(example_path, settings=settings))
    report = build_report(Analyzer.default(settings)(article))
    text = report.article.text
    kinds: dict[str, list] = {}
    for f in report.findings:
        kinds.setdefault(f.kind, []).append(f)
    assert "headline_question" in kinds
    (rests,) = [f for f in kinds["headline_unsourced_support"]
                if "left" in " ".join(e.text_of(text) for e in f.evidence)]
    evidence = [e.text_of(text) for e in rests.evidence]
    assert any(e.startswith("Germany surprisingly left the alliance") for e in evidence)
    unsupported = [f.evidence[0].text_of(text) for f in kinds["headline_unsupported"]]
    assert any("Joins Forces with Russia in Coalition to Defeat ISIS" in u for u in unsupported)


def test_wh_question_is_info_and_topic_titles_get_no_clause_findings(audit) -> None:
    article = audit(make_article(
        "How Do Hand Sanitizers Work?",
        [("body", [("Alcohol breaks down the outer layer of many germs.", "unsourced")])],
    ))
    found = by_kind(article)
    assert found["headline_question"][0].severity == "info"
    assert "headline_unsupported" not in found
    assert "headline_unsourced_support" not in found


def test_a_doubtful_unrelated_verdict_is_medium() -> None:
    article = make_article("Greatest Writer Returns", [("body", [("Rain fell.", "unsourced")])])
    article.results["headline"] = {
        "stance": {"label": "unrelated", "probability": 0.58},
        "clauses": [],
        "loaded_terms": [],
    }
    (stance,) = by_kind(article)["headline_stance"]
    assert stance.severity == "medium" and "0.58" in stance.message


def test_findings_point_at_the_real_title_when_the_headline_block_is_furniture(audit) -> None:
    from newstrace.data import Block

    title = "Will Schools Stay Open All Winter?"
    furniture = "Related: Ten Gadgets You Need This Year"
    body = "Schools will stay open all winter, Education Minister Ana Ruiz said on Monday."
    text = f"{title}\n\n{furniture}\n\n{body}"
    f_start = len(title) + 2
    b_start = f_start + len(furniture) + 2
    article = Article(text=text, blocks=[Block("dek", 0, len(title)),
                                         Block("headline", f_start, f_start + len(furniture)),
                                         Block("body", b_start, len(text))])
    article.set_layer("sentences", [Span(b_start, len(text), "sentence", {"role": "body"})])
    article.set_layer("claims", [Span(b_start, len(text), "claim", {"status": "attributed"})])
    found = by_kind(audit(article))
    (question,) = found["headline_question"]
    assert question.evidence[0].text_of(text) == title
    assert "headline_unsupported" not in found
