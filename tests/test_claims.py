"""Sourcing status of every content sentence; hedges, loaded terms, numbers."""

from __future__ import annotations

import pytest

from newstrace.assess.sourcing_rules import RULES
from newstrace.data import Article
from test_nlp_support import loaded_example, plain_article, run_pipeline


@pytest.fixture(scope="module")
def example(example_path, example_text: str) -> Article:
    return run_pipeline(loaded_example(example_path, example_text))


def _claim(art: Article, start: str) -> dict:
    for c in art.layer("claims"):
        if c.text_of(art.text).startswith(start):
            return c.attrs
    raise AssertionError(f"no claim starting {start!r}")


def test_unsourced_assertions(example: Article) -> None:
    for start in ("Germany surprisingly left the alliance", "Under no circumstances would",
                  "Especially the neocons"):
        c = _claim(example, start)
        assert c["status"] in ("unsourced", "opinion") and c["attribution"] is None


def test_speculation_and_open_questions(example: Article) -> None:
    likely = _claim(example, "It is likely that the US-government")
    assert likely["status"] == "hedged" and likely["hedge"].text_of(example.text) == "It is likely"
    looks = _claim(example, "It looks like he is the only one")
    assert looks["status"] == "hedged"
    assert _claim(example, "If this was done because of the refugees")["status"] == "question"


def test_loaded_label(example: Article) -> None:
    c = _claim(example, "Especially the neocons")
    assert [s.text_of(example.text) for s in c["loaded_terms"]] == ["neocons"]


def test_attributed_sentences_point_at_their_attribution(example: Article) -> None:
    atts = example.layer("attributions")
    c = _claim(example, "Larvov explained furthermore")
    assert c["status"] == "attributed"
    assert atts[c["attribution"]].attrs["speaker"] == "Sergey Lavrov"
    note = _claim(example, "According to PNP magazine he stated")
    assert note["status"] == "attributed" and note["role"] == "editor_note"


def test_numbers_worth_checking_keep_their_attribution(example: Article) -> None:
    for start, number in (("Up to 100 Bundeswehr soldiers", "Up to 100"),
                          ("Up to 4000 soldiers", "Up to 4000"),
                          ("Von-der Leyen also ordered thousands", "thousands"),
                          ("Hundreds of soldiers were deployed", "Hundreds")):
        c = _claim(example, start)
        assert c["checkworthy"], start
        assert number in [n.text_of(example.text) for n in c["numbers"]]
        assert c["status"] == "unsourced" and c["attribution"] is None
    said = _claim(example, "The order was given to the troops")
    assert said["status"] == "attributed"


def test_no_sentence_is_both_attributed_and_unsourced(example: Article) -> None:
    spans = [(c.start, c.end) for c in example.layer("claims")]
    assert len(spans) == len(set(spans))
    for c in example.layer("claims"):
        assert (c.attrs["status"] == "attributed") == (c.attrs["attribution"] is not None)
        assert c.attrs["role"] in ("headline", "dek", "body", "editor_note")


def test_sourcing_findings_on_the_example(example: Article) -> None:
    findings = [f for rule in RULES for f in rule(example)]
    kinds = {f.kind for f in findings}
    assert {"anonymous_source", "second_hand_chain", "inconsistent_name_spelling",
            "speculation", "unsourced_assertion", "loaded_language"} <= kinds
    spelled = {f.attrs["entity"] for f in findings if f.kind == "inconsistent_name_spelling"}
    assert spelled == {"Sergey Lavrov", "Frank-Walter Steinmeier", "Ursula von der Leyen"}
    chains = [f for f in findings if f.kind == "second_hand_chain"]
    assert ["PNP magazine", "Sergey Lavrov", "concerned colleagues"] in [
        f.attrs["chain"] for f in chains
    ]
    for f in findings:
        assert f.evidence and all(0 <= e.start < e.end <= len(example.text) for e in f.evidence)
    unsourced = [e.text_of(example.text) for f in findings
                 if f.kind == "unsourced_assertion" for e in f.evidence]
    grouped = [f for f in findings if f.kind == "unsourced_assertion" and f.severity == "low"]
    assert len(grouped) <= 1  # the plain ones come as one finding
    assert all(f.attrs["count"] == len(f.evidence) for f in grouped)
    assert any(u.startswith("Germany surprisingly left") for u in unsourced)
    assert not any("Larvov explained" in u for u in unsourced)


def test_hedge_and_plain_fact_in_a_short_text() -> None:
    art = plain_article(
        "Bridge closed",
        "The bridge was closed on Tuesday after 3 cracks were found. "
        "Repairs may take months.",
    )
    art = run_pipeline(art)
    fact = _claim(art, "The bridge was closed")
    assert fact["status"] == "unsourced" and fact["checkworthy"]
    assert _claim(art, "Repairs may take months")["status"] == "hedged"


def test_sourcing_rules_yield_nothing_without_their_layers() -> None:
    bare = Article(text="Officials said the bridge is closed.")
    assert [f for rule in RULES for f in rule(bare)] == []


def test_many_unsourced_figures_make_one_finding() -> None:
    body = (
        "The plant employed 1,200 workers in 2019. Output fell by 14 percent last year. "
        "The company lost $3 million in the third quarter. About 400 jobs were cut in May. "
        "Exports dropped to 2,000 tonnes."
    )
    art = run_pipeline(plain_article("Plant struggles", body))
    figures = [f for rule in RULES for f in rule(art)
               if f.kind == "unsourced_assertion" and f.severity == "medium"]
    assert len(figures) == 1, [f.message for f in figures]
    assert figures[0].attrs["count"] == len(figures[0].evidence) >= 4
    assert "state figures" in figures[0].message


def test_quoted_sentences_are_not_the_writers_voice() -> None:
    body = ("“We will fight this,” the mayor said. “What do you have to lose? Maybe the "
            "council will listen.” The vote is on Friday.\n\n"
            "Could the plan fail? It might. Perhaps the money runs out. Who knows?")
    art = run_pipeline(plain_article("Mayor vows fight", body))
    claims = {c.text_of(art.text).strip("“”"): c.attrs for c in art.layer("claims")}
    assert claims["What do you have to lose?"]["quoted"] is True
    assert claims["Maybe the council will listen."]["quoted"] is True
    assert claims["Could the plan fail?"]["quoted"] is False
    findings = [f for rule in RULES for f in rule(art) if f.kind == "speculation"]
    flagged = [e.text_of(art.text) for f in findings for e in f.evidence]
    assert not any("have to lose" in t or "council will listen" in t for t in flagged)
    # The writer's own questions and guesses, alone in their paragraph: one grouped finding.
    (grouped,) = findings
    assert grouped.severity == "low" and grouped.attrs["count"] >= 3


def test_a_repeated_loaded_label_is_one_finding() -> None:
    body = ("The Deep State runs the agency. Everyone knows the Deep State lies. "
            "The Deep State plot goes on.")
    art = run_pipeline(plain_article("Agency news", body))
    loaded = [f for rule in RULES for f in rule(art) if f.kind == "loaded_language"]
    assert len(loaded) == 1 and loaded[0].attrs["count"] == 3
    assert "(3 times)" in loaded[0].message
    assert [e.text_of(art.text) for e in loaded[0].evidence].count("Deep State") == 3
