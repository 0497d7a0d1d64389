"""Headline audit on articles built by hand: clauses, support and its sourcing, stance."""

from __future__ import annotations

from typing import Any

import pytest

from newstrace.analyze.headline import HeadlineAudit, build
from newstrace.config import Settings
from newstrace.data import Article, Block, Span


def make_article(headline: str, paragraphs: list[tuple[str, list[tuple[str, str]]]]) -> Article:
    """``paragraphs``: (role, [(sentence, claim status), …]); one claim per sentence."""
    text = headline
    blocks = [Block("headline", 0, len(headline))]
    sentences = [Span(0, len(headline), "sentence", {"role": "headline"})]
    claims: list[Span] = []
    for role, sents in paragraphs:
        text += "\n\n"
        start = len(text)
        for i, (sent, status) in enumerate(sents):
            if i:
                text += " "
            s = len(text)
            text += sent
            sentences.append(Span(s, len(text), "sentence", {"role": role}))
            claims.append(Span(s, len(text), "claim", {"status": status}))
        blocks.append(Block(role, start, len(text)))
    article = Article(text=text, blocks=blocks)
    article.set_layer("sentences", sentences)
    article.set_layer("claims", claims)
    return article


@pytest.fixture(scope="module")
def audit() -> HeadlineAudit:
    return build(Settings())


def result(audit: HeadlineAudit, article: Article) -> dict[str, Any]:
    return audit(article).results["headline"]


def test_declares_name_and_layers(audit: HeadlineAudit) -> None:
    assert audit.name == "headline"
    assert audit.assigns == ("results.headline",)
    assert set(audit.requires) == {"spans.sentences", "spans.claims"}


def test_two_clauses_subject_carried_and_supported_only_by_attribution(
    audit: HeadlineAudit,
) -> None:
    article = make_article(
        "Mayor Quits Over Budget Row. Joins Rival Party?",
        [
            ("body", [
                ("The mayor quit on Monday after a row over the city budget, the council "
                 "said in a statement.", "attributed"),
                ("Everyone in town knows he is now joining the rival party.", "unsourced"),
            ]),
            ("body", [("The budget had been debated for months.", "unsourced")]),
        ],
    )
    res = result(audit, article)
    assert res["question_form"] is True
    first, second = res["clauses"]
    assert first["text"] == "Mayor Quits Over Budget Row."
    assert article.text[second["start"] : second["end"]] == "Joins Rival Party?"
    assert second["subject"] == "Mayor" and second["subject_carried"] is True
    assert first["subject_carried"] is False and second["question"] is True

    assert first["supported"] is True
    assert [s["status"] for s in first["support"]] == ["attributed"]
    assert first["support"][0]["text"].startswith("The mayor quit on Monday")

    assert second["supported"] is False and second["made_by_body"] is True
    assert [s["text"] for s in second["support"]] == [
        "Everyone in town knows he is now joining the rival party."
    ]
    assert second["support"][0]["status"] == "unsourced"


def test_clause_the_body_never_makes(audit: HeadlineAudit) -> None:
    article = make_article(
        "Minister Bans Cars From City Centre",
        [("body", [
            ("The minister visited two schools on Friday, her office said.", "attributed"),
            ("She spoke about teacher pay and new classrooms.", "unsourced"),
        ])],
    )
    (clause,) = result(audit, article)["clauses"]
    assert clause["supported"] is False and clause["made_by_body"] is False
    assert clause["support"] == []


def test_a_different_subject_does_not_make_the_clause(audit: HeadlineAudit) -> None:
    article = make_article(
        "France Joins Alliance Against Piracy",
        [("body", [
            ("Spain joined the alliance against piracy last week, officials said.",
             "attributed"),
            ("France has not said whether it will take part.", "attributed"),
        ])],
    )
    (clause,) = result(audit, article)["clauses"]
    assert clause["subject"] == "France"
    assert clause["supported"] is False
    # What the sources did say is shown, closest first.
    assert clause["nearest_attributed"][0]["text"].startswith("Spain joined the alliance")


def test_synonyms_acronyms_and_demonyms_count_as_the_same_claim(audit: HeadlineAudit) -> None:
    article = make_article(
        "Canada Pulls Out of US Trade Pact",
        [("body", [
            ("Canadian ministers announced that Canada withdrew from the trade pact with "
             "the United States, a government spokesman said.", "attributed"),
        ])],
    )
    (clause,) = result(audit, article)["clauses"]
    assert clause["supported"] is True
    assert {"Canada", "Pulls Out", "US", "Trade", "Pact"} <= set(clause["support"][0]["shared"])


def test_abbreviations_do_not_split_clauses(audit: HeadlineAudit) -> None:
    article = make_article(
        "U.S. Bans Imports of Steel From Two Countries",
        [("body", [("Washington said it would ban steel imports.", "attributed")])],
    )
    assert len(result(audit, article)["clauses"]) == 1


def test_stance_and_no_headline(audit: HeadlineAudit) -> None:
    article = make_article(
        "Central Bank Holds Interest Rates As Inflation Slows",
        [("body", [
            ("A humpback whale washed up on the beach on Sunday, marine biologists said.",
             "attributed"),
            ("Volunteers kept it wet for hours before it was returned to the sea.",
             "unsourced"),
        ])],
    )
    stance = result(audit, article)["stance"]
    assert stance["label"] == "unrelated" and stance["probability"] > 0.5
    bare = Article(text="Just a body.", blocks=[Block("body", 0, 12)])
    bare.set_layer("sentences", [])
    bare.set_layer("claims", [])
    assert result(audit, bare)["clauses"] == []


@pytest.mark.parametrize(
    ("headline", "claim"),
    [
        ("Minister Caught Lying About Budget", True),  # headlinese: auxiliary dropped
        ("Mission must be at the heart of journalism, Pope says", True),
        ("Six Ways to Handle a Stressful Commute", False),  # a topic, not a claim
        ("How Do Hand Sanitizers Work?", False),
        ("Improving Security in Harsh Environments", False),
        ("Does Coffee Cause Cancer?", True),  # yes/no question: insinuates a claim
    ],
)
def test_which_clauses_are_claims(audit: HeadlineAudit, headline: str, claim: bool) -> None:
    article = make_article(headline, [("body", [("Unrelated filler text.", "unsourced")])])
    (clause,) = result(audit, article)["clauses"]
    assert clause["claim"] is claim


def test_a_title_echoed_in_the_body_is_not_support(audit: HeadlineAudit) -> None:
    article = make_article(
        "Mayor Quits Over Budget Row",
        [
            ("body", [("Mayor Quits Over Budget Row", "unsourced")]),
            ("body", [("The post Mayor Quits Over Budget Row appeared first on Town News.",
                       "unsourced")]),
        ],
    )
    (clause,) = result(audit, article)["clauses"]
    assert clause["support"] == [] and clause["made_by_body"] is False
