"""End to end on the example article: the report must surface what the hand-written reading
(germany-russia-coalition.expected.md) lists, each with its evidence span.

The package's rules are general (a hook checks that src/ names none of this article's
people or outlets); these tests pin the reading of this one article, and the annotators'
own tests run the same rules on other real articles.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import newstrace


@pytest.fixture(scope="module")
def report(example_path: Path) -> dict[str, Any]:
    return newstrace.analyze(example_path).to_dict()


def blocks(report: dict[str, Any], role: str) -> list[str]:
    return [b["text"] for b in report["blocks"] if b["role"] == role]


def role_of(report: dict[str, Any], needle: str) -> str:
    roles = {b["role"] for b in report["blocks"] if needle in b["text"]}
    assert len(roles) == 1, f"{needle!r} is in blocks with roles {roles}"
    return roles.pop()


def assert_span(report: dict[str, Any], span: dict[str, Any] | None) -> None:
    assert span is not None
    assert report["text"][span["start"] : span["end"]] == span["text"]


def sentence_claim(report: dict[str, Any], start: str) -> dict[str, Any]:
    found = [c for c in report["claims"] if c["text"].lstrip("*_ ").startswith(start)]
    assert found, f"no claim starts with {start!r}"
    return found[0]


# --- structure ---------------------------------------------------------------------------


def test_headline_is_a_question(report: dict[str, Any]) -> None:
    headline = report["headline"]
    assert headline["text"].startswith("Germany Moves Away from the US Anti-Putin Alliance.")
    assert headline["text"].endswith("Defeat ISIS?")
    assert headline["is_question"] is True
    assert_span(report, headline)


def test_byline_publisher_and_dates(report: dict[str, Any]) -> None:
    meta = report["meta"]
    assert meta["authors"] == ["South Front"]
    assert meta["publisher"] == "Global Research"
    assert meta["domain"] == "globalresearch.ca"
    assert meta["published"] == "2015-09-18"
    assert role_of(report, "By South Front") == "byline"
    datelines = [b for b in report["blocks"] if b["role"] == "dateline"]
    pairs = {
        (entry.get("outlet"), entry.get("date"))
        for block in datelines
        for entry in (block.get("outlets") or [block])
    }
    assert ("Sott.net", "2015-09-14") in pairs or any(
        "Sott.net 14 September 2015" in b["text"] for b in datelines
    )


def test_taxonomy_is_navigation(report: dict[str, Any]) -> None:
    for needle in ("Region:", "Theme:", "In-depth Report:"):
        assert role_of(report, needle) == "navigation"


def test_standfirst_caption_and_credit(report: dict[str, Any]) -> None:
    assert role_of(report, "In a surprise move Germany left") == "dek"
    assert role_of(report, "© Deutsche Presse-Agentur") == "credit"
    captions = blocks(report, "caption")
    assert len(captions) == 1
    assert "his Russian counterpart" in captions[0]
    assert "the two foreign ministers during the visit" in captions[0]
    assert not any("The picture shows" in b for b in blocks(report, "body"))


def test_hyphenation_across_blank_line_is_repaired(report: dict[str, Any]) -> None:
    assert "accommodate newly-arrived refugees last weekend" in report["text"]
    assert role_of(report, "newly-arrived refugees") == "body"


def test_translator_note_is_a_section_of_its_own(report: dict[str, Any]) -> None:
    notes = " ".join(blocks(report, "editor_note"))
    assert "Translators comment" in notes
    assert "It has been reported that" in notes
    assert not any("It has been reported" in b for b in blocks(report, "body"))


@pytest.mark.parametrize(
    "needle",
    [
        "The original source of this article is",
        "Copyright ©",
        "Comment on Global Research Articles",
        "Become a Member of Global Research",
        "Articles by:",
        "The contents of this article are of sole responsibility",
        "fair use",
        "For media inquiries",
    ],
)
def test_page_furniture_is_not_content(report: dict[str, Any], needle: str) -> None:
    assert role_of(report, needle) in {"boilerplate", "provenance_note"}


def test_provenance_statements_are_notes(report: dict[str, Any]) -> None:
    assert role_of(report, "originally appeared") == "provenance_note"


# --- declared provenance ------------------------------------------------------------------


def test_declared_chain_oldest_first(report: dict[str, Any]) -> None:
    chain = report["provenance"]["declared"]
    outlets = [link["outlet"] for link in chain]
    roles = [link["role"] for link in chain]
    assert len(chain) == 4, chain
    assert outlets[0] in {"DWN", "Deutsche Wirtschafts Nachrichten"}
    assert roles[0] == "original"
    assert chain[0]["language"] in {"de", "German"}
    assert roles[1] == "translation"
    assert chain[1]["person"] == {"name": "Frank Jakob", "role": "translator"}
    assert "SouthFront" in outlets[1] or "South Front" in outlets[1]
    assert outlets[2] == "Sott.net" and chain[2]["date"] == "2015-09-14"
    assert outlets[3] == "Global Research" and roles[3] == "this_copy"
    assert chain[3]["date"] == "2015-09-18"
    for link in chain:
        assert_span(report, link["evidence"])


# --- who said what ------------------------------------------------------------------------


def attributions_with(report: dict[str, Any], content: str) -> list[dict[str, Any]]:
    found = [a for a in report["attributions"] if content in (a["content"] or {}).get("text", "")]
    assert found, f"no attribution has content containing {content!r}"
    for attribution in found:
        for part in ("cue", "content"):
            assert_span(report, attribution[part])
    return found


def test_defence_minister_via_magazine(report: dict[str, Any]) -> None:
    a = attributions_with(report, "welcomed president Putin")[0]
    assert "Leyen" in a["speaker"]
    assert a["speaker_kind"] == "person"
    assert a["cue"]["text"] == "told"
    assert a["medium"] == "Der Spiegel"
    assert a["direct"] is False


def test_pronoun_resolves_to_the_minister(report: dict[str, Any]) -> None:
    a = attributions_with(report, "matter of mutual interests")[0]
    assert a["source"]["text"].lower() == "she"
    assert "Leyen" in a["speaker"]


def test_anonymous_ministry_speakers(report: dict[str, Any]) -> None:
    a = attributions_with(report, "additional efforts of Russia")[0]
    assert a["speaker_kind"] == "anonymous"
    assert "speaker of the Ministry" in a["source"]["text"]
    b = attributions_with(report, "given to the troops a day before")[0]
    assert b["speaker_kind"] == "anonymous"
    assert b["medium"] == "Der Spiegel"
    assert "Friday" in (b["time"] or "")


def test_foreign_ministers(report: dict[str, Any]) -> None:
    a = attributions_with(report, "joint venture")[0]
    assert "Steinmeier" in a["speaker"] and a["cue"]["text"] == "announced"
    b = attributions_with(report, "reinstate the previously ceased")[0]
    assert "Lavrov" in b["speaker"] and "Friday" in (b["time"] or "")
    c = attributions_with(report, "keep delivering weapons")[0]
    assert "Lavrov" in c["speaker"]  # written "Larvov": same person
    assert c["source"]["text"] == "Larvov"
    d = attributions_with(report, "coordinate their efforts")[0]
    assert "Lavrov" in d["speaker"]


def test_governments_as_sources(report: dict[str, Any]) -> None:
    a = attributions_with(report, "worsening in the refugee crisis")[0]
    assert a["speaker_kind"] == "organisation"
    b = attributions_with(report, "participation in the battle against IS was crucial")[0]
    assert "Austria" in b["source"]["text"] and "Spain" in b["source"]["text"]


def test_bundeswehr_statement_via_magazine_on_saturday(report: dict[str, Any]) -> None:
    a = attributions_with(report, "continue its successful work")[0]
    assert "Leyen" in a["speaker"]
    assert a["medium"] == "Der Spiegel"
    assert "Saturday" in (a["time"] or "")


def test_second_hand_chain_in_translator_note(report: dict[str, Any]) -> None:
    a = attributions_with(report, "concerned colleagues")[0]
    assert a["medium"] == "PNP magazine"
    assert "Lavrov" in a["speaker"]
    vague = [
        x
        for x in report["attributions"]
        if x["source"] is None or "reported" in (x["cue"] or {}).get("text", "")
    ]
    assert any(x["speaker_kind"] in {"anonymous", "unknown"} for x in vague)


# --- unsourced and speculative ------------------------------------------------------------


def test_unsourced_assertions(report: dict[str, Any]) -> None:
    for start in (
        "Germany surprisingly left the alliance",
        "Under no circumstances would the US",
    ):
        assert sentence_claim(report, start)["status"] == "unsourced"
    neocons = sentence_claim(report, "Especially the neocons")
    assert neocons["status"] in {"unsourced", "opinion"}
    assert any(t["text"].lower() == "neocons" for t in neocons["loaded_terms"])


def test_speculation_and_open_questions(report: dict[str, Any]) -> None:
    likely = sentence_claim(report, "It is likely that the US-government")
    assert likely["status"] == "hedged" and likely["hedge"]["text"].lower() == "it is likely"
    looks = sentence_claim(report, "It looks like he is the only one")
    assert looks["status"] == "hedged" and "looks like" in looks["hedge"]["text"].lower()
    unknown = sentence_claim(report, "If this was done because of the refugees")
    assert unknown["status"] == "question"


def test_no_sentence_is_both_attributed_and_unsourced(report: dict[str, Any]) -> None:
    # (A stance, "Germany has ordered …" at a learned cue, is the writer's own account.)
    attributed_spans = [(a["start"], a["end"]) for a in report["attributions"]
                        if not a.get("stance")]
    for claim in report["claims"]:
        if claim["status"] == "attributed":
            assert claim["attribution"] is not None
        if claim["status"] == "unsourced":
            assert claim["attribution"] is None
            inside = [
                (s, e) for s, e in attributed_spans if s >= claim["start"] and e <= claim["end"]
            ]
            assert not inside, claim["text"]


def test_numbers_worth_checking(report: dict[str, Any]) -> None:
    for start in (
        "Up to 100 Bundeswehr soldiers",
        "Up to 4000 soldiers",
        "Von-der Leyen also ordered thousands",
        "Hundreds of soldiers were deployed",
    ):
        assert sentence_claim(report, start)["checkworthy"] is True


def test_inconsistent_name_spellings(report: dict[str, Any]) -> None:
    variants = [set(e["variants"]) for e in report["entities"] if e["inconsistent_spelling"]]
    text = " | ".join(sorted(" / ".join(sorted(v)) for v in variants))

    def merged(*forms: str) -> bool:
        return any(all(any(f in v for v in group) for f in forms) for group in variants)

    assert merged("Lavrov", "Larvov"), text
    assert merged("Sergey", "Sergei"), text
    assert merged("Frank-Walter", "Frank-Walther"), text
    assert merged("von der Leyen", "Von-der Leyen"), text


# --- headline against body ----------------------------------------------------------------


def test_headline_audit(report: dict[str, Any]) -> None:
    clauses = report["headline"]["clauses"]
    assert len(clauses) >= 2
    left = next(c for c in clauses if re.search(r"moves away|alliance", c["text"], re.I))
    joins = next(c for c in clauses if re.search(r"joins forces", c["text"], re.I))
    assert left["supported"] is False
    assert any(
        s["status"] == "unsourced" and "surprisingly left the alliance" in s["text"]
        for s in left["support"]
    )
    assert joins["supported"] is False
    assert report["headline"]["stance"]["label"] in {"agree", "disagree", "discuss", "unrelated"}


# --- outlets ------------------------------------------------------------------------------


def outlet(report: dict[str, Any], domain: str) -> dict[str, Any]:
    found = [o for o in report["outlets"] if o["domain"] == domain]
    assert found, f"{domain} not among {[o['domain'] for o in report['outlets']]}"
    return found[0]


@pytest.mark.parametrize("domain", ["globalresearch.ca", "sott.net", "southfront.org"])
def test_low_reliability_outlets(report: dict[str, Any], domain: str) -> None:
    o = outlet(report, domain)
    assert o["band"] == "low"
    assert o["ratings"] and all(r["source"] for r in o["ratings"])


def test_cited_mainstream_outlet(report: dict[str, Any]) -> None:
    spiegel = outlet(report, "spiegel.de")
    assert "cited" in spiegel["roles"]
    assert spiegel["band"] == "high"


def test_weakly_covered_original(report: dict[str, Any]) -> None:
    dwn = outlet(report, "deutsche-wirtschafts-nachrichten.de")
    assert "original" in dwn["roles"]
    assert dwn["band"] == "unrated" or any(r["imputed"] for r in dwn["ratings"])


# --- findings -----------------------------------------------------------------------------


def test_every_finding_has_evidence(report: dict[str, Any]) -> None:
    assert report["findings"]
    kinds = {f["kind"] for f in report["findings"]}
    assert len(kinds) >= 6, kinds
    for finding in report["findings"]:
        assert finding["evidence"], finding
        for span in finding["evidence"]:
            assert_span(report, span)
