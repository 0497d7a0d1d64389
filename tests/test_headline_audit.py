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


def _clause(audit: HeadlineAudit, headline: str, sentences: list[tuple[str, str]],
            parsed: bool = False) -> dict[str, Any]:
    article = make_article(headline, [("body", sentences)])
    if parsed:  # the article's own parse, as the nlp annotator leaves it: lemmas
        article.cache["doc"] = audit.nlp(article.text)
    (clause,) = result(audit, article)["clauses"]
    return clause


def test_an_all_capitals_headline_reporting_a_claim(audit: HeadlineAudit) -> None:
    clause = _clause(audit, "SENATOR SAYS MAYOR TOOK BRIBES FROM BUILDERS", [
        ("The mayor took bribes from two builders, Senator Jane Ortiz told reporters.",
         "attributed"),
    ])
    # The claim is what the senator says; "SENATOR SAYS" is its source, and the
    # capitals are emphasis, not acronyms the body must repeat.
    assert clause["subject"] == "MAYOR"
    assert clause["made_by_body"] is True and clause["supported"] is True
    assert {"MAYOR", "BRIBES", "BUILDERS"} <= set(clause["support"][0]["shared"])


def test_a_trailing_speaker_is_the_source_not_the_subject(audit: HeadlineAudit) -> None:
    clause = _clause(audit, "Schools must stay open all winter, minister says", [
        ("The ministry published its budget on Monday.", "unsourced"),
        ("Schools must stay open all winter, Education Minister Ana Ruiz said.",
         "attributed"),
    ])
    assert clause["subject"] == "Schools" and clause["supported"] is True
    # "minister says" is the clause's source: shown when shared, never required.
    (parsed,) = audit.clauses("Schools must stay open all winter, minister says", 0, "")
    assert {u.word for u in parsed.units if u.source} == {"minister"}


def test_a_label_before_a_colon_is_not_required(audit: HeadlineAudit) -> None:
    clause = _clause(audit, "Video: Firefighters Rescue Dog From Frozen Lake", [
        ("Firefighters rescued a dog from a frozen lake on Sunday, the fire service said.",
         "attributed"),
    ])
    assert clause["made_by_body"] is True
    assert "Video" not in clause["support"][0]["shared"]


def test_numbers_as_words_and_digits_meet(audit: HeadlineAudit) -> None:
    clause = _clause(audit, "Police Arrest Three Men After Bank Robbery", [
        ("Police arrested 3 men after the robbery at a bank, officers said.", "attributed"),
    ])
    assert "Three" in clause["support"][0]["shared"]
    assert "1000" in sp_keys("The storm cut power to 1,000 homes.")
    assert "6" in sp_keys("Six people were hurt.")


def sp_keys(text: str) -> set[str]:
    from newstrace.stance import support as sp

    return sp.sentence_keys(text)


def test_lemmas_from_the_parse_join_irregular_forms(audit: HeadlineAudit) -> None:
    sentences = [("Two prisoners fled the county jail overnight, the sheriff said.",
                  "attributed")]
    clause = _clause(audit, "Prisoners Flee County Jail", sentences, parsed=True)
    assert "Flee" in clause["support"][0]["shared"]
    unparsed = _clause(audit, "Prisoners Flee County Jail", sentences)
    assert "Flee" not in (unparsed["support"] or unparsed["nearest_attributed"])[0]["shared"]


def test_a_country_and_its_adjective_are_one_name(audit: HeadlineAudit) -> None:
    clause = _clause(audit, "Chinese Firm Buys Greek Port", [
        ("A firm from China bought the port of Piraeus in Greece, officials said.",
         "attributed"),
    ])
    assert clause["supported"] is True
    assert {"Chinese", "Greek", "Buys"} <= set(clause["support"][0]["shared"])


def test_two_sentences_of_a_lede_make_a_clause_together(audit: HeadlineAudit) -> None:
    clause = _clause(audit, "Volcano Erupts On Island, Thousands Evacuated By Ferry", [
        ("A volcano erupted on the island of Sao Jorge on Friday.", "unsourced"),
        ("Thousands left by ferry overnight, officials said.", "attributed"),
        ("The last eruption there was in 1808.", "unsourced"),
    ])
    # Neither sentence holds half of the clause; the two together do.
    assert [s["text"] for s in clause["support"]] == [
        "A volcano erupted on the island of Sao Jorge on Friday.",
        "Thousands left by ferry overnight, officials said.",
    ]
    assert clause["supported"] is True


def test_site_furniture_posing_as_the_headline_is_not_audited(audit: HeadlineAudit) -> None:
    title = "Schools must stay open all winter, minister says"
    furniture = "Headline: Bitcoin Searches Exceed Trump! Stocks Are Next!"
    body = "Schools must stay open all winter, Education Minister Ana Ruiz said on Monday."
    text = f"{title}\n\n{furniture}\n\n{body}"
    t_end, f_start = len(title), len(title) + 2
    b_start = f_start + len(furniture) + 2
    article = Article(text=text, blocks=[Block("dek", 0, t_end),
                                         Block("headline", f_start, f_start + len(furniture)),
                                         Block("body", b_start, len(text))])
    article.set_layer("sentences", [Span(b_start, len(text), "sentence", {"role": "body"})])
    article.set_layer("claims", [Span(b_start, len(text), "claim", {"status": "attributed"})])
    res = result(audit, article)
    assert res["text"] == title and (res["start"], res["end"]) == (0, t_end)
    (clause,) = res["clauses"]
    assert clause["supported"] is True
