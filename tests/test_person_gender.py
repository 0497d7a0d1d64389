"""He and she agree with the person the article names."""

from __future__ import annotations

from newstrace.analyze.person_gender import agrees, person_gender, pronoun_gender
from test_nlp_support import plain_article, run_pipeline


def _speakers(*body: str) -> list[tuple[str, str | None]]:
    art = run_pipeline(plain_article("Notes", *body), upto="attributions")
    return [(s.attrs["cue"].text_of(art.text), s.attrs["speaker"])
            for s in art.layer("attributions")]


def test_he_after_a_woman_spoke_is_the_man_named_before() -> None:
    got = _speakers("The BBC's Emily Maitlis pressed Prince Andrew on his story. Maitlis "
                    "repeatedly demanded how Andrew could be so sure.",
                    "“Going there is an unusual thing for me to do,” he said.")
    assert got[-1] == ("said", "Andrew")


def test_she_skips_a_man_and_titles_decide_before_given_names() -> None:
    got = _speakers("Ms. Robin Hale met John Smith on Monday. Smith said the deal was off.",
                    "She said the talks would go on.")
    assert got[-1][1] == "Robin Hale"


def test_evidence_comes_from_titles_and_unambiguous_given_names_only() -> None:
    art = run_pipeline(plain_article("Notes", "Mr. Jordan Lee and Taylor Swift met Emily "
                                     "Jones and Sir Alex Brown."), upto="entities")
    by_name = {e["name"]: person_gender(art, e) for e in art.results["entities"]
               if e["label"] == "person"}
    assert by_name.get("Emily Jones") == "f" and by_name.get("Alex Brown") == "m"
    assert by_name.get("Jordan Lee") == "m"  # the title, not the name
    assert by_name.get("Taylor Swift") is None  # a name given to both: no guess
    emily = next(e for e in art.results["entities"] if e["name"] == "Emily Jones")
    assert agrees(art, emily, "she") and not agrees(art, emily, "He")
    assert agrees(art, emily, "they") and pronoun_gender("his") == "m"


def test_both_men_are_the_two_people_named_together_before() -> None:
    got = _speakers("The Taliban freed Kevin King and Timothy Weeks on Tuesday. Both men "
                    "claimed at the time that they were being treated well.")
    assert got[-1] == ("claimed", "Kevin King and Timothy Weeks")
