"""Entities: mentions linked to one entity, variants flagged, titles attached."""

from __future__ import annotations

from newstrace.analyze.names import edit_distance, given_compatible, similar_spelling
from test_nlp_support import example_article, plain_article, run_pipeline


def _by_variant(art, written: str) -> dict:
    hits = [e for e in art.results["entities"] if written in e["variants"]]
    assert len(hits) == 1, (written, [e["variants"] for e in art.results["entities"]])
    return hits[0]


def test_example_people_variants_and_titles(example_text: str) -> None:
    art = run_pipeline(example_article(example_text), upto="entities")
    lav = _by_variant(art, "Larvov")
    assert lav["label"] == "person" and lav["inconsistent_spelling"]
    assert {"Lavrov", "Sergey Lavrov", "Sergei Lavrov"} <= set(lav["variants"])
    assert any(t.lower() == "foreign minister" for t in lav["titles"])
    stein = _by_variant(art, "Frank-Walther Steinmeier")
    assert "Frank-Walter Steinmeier" in stein["variants"] and stein["inconsistent_spelling"]
    leyen = _by_variant(art, "Von-der Leyen")
    assert "Ursula von der Leyen" in leyen["variants"] and leyen["inconsistent_spelling"]
    assert "Minister of Defence" in leyen["titles"]
    fabius = _by_variant(art, "Fabius")
    assert fabius["label"] == "person" and "Laurent Fabius" in fabius["variants"]
    assert not fabius["inconsistent_spelling"]
    assert _by_variant(art, "Der Spiegel")["label"] == "media"
    assert _by_variant(art, "PNP magazine")["label"] == "media"
    assert _by_variant(art, "Deutsche Presse-Agentur")["label"] == "media"  # photo credit


def test_mention_spans_point_at_their_entity(example_text: str) -> None:
    art = run_pipeline(example_article(example_text), upto="entities")
    ents = art.results["entities"]
    for span in art.layer("entities"):
        ent = ents[span.attrs["entity"]]
        assert span in ent["mentions"] or any(
            (m.start, m.end) == (span.start, span.end) for m in ent["mentions"]
        )
        assert art.role_at(span.start) not in ("boilerplate", "navigation")


def test_people_sharing_a_surname_stay_apart() -> None:
    art = plain_article(
        "Brothers clash over policy",
        "Former governor Jeb Bush criticised the plan. George Bush, his brother, "
        "disagreed. Bush later said the family was united.",
    )
    art = run_pipeline(art, upto="entities")
    bushes = [e for e in art.results["entities"] if e["label"] == "person"]
    names = sorted(e["name"] for e in bushes)
    assert names == ["George Bush", "Jeb Bush"]
    assert not any(e["inconsistent_spelling"] for e in bushes)


def test_spelling_helpers() -> None:
    assert edit_distance("lavrov", "larvov") == 1  # a transposition
    assert similar_spelling("Sergey", "Sergei")
    assert not similar_spelling("Kim", "Lim")
    assert not similar_spelling("Martin", "Morgan")
    assert given_compatible("J.", "John") and not given_compatible("Jeb", "George")


def test_a_first_name_alone_is_not_an_inconsistent_spelling() -> None:
    from test_nlp_support import plain_article, run_pipeline

    art = run_pipeline(plain_article(
        "Team wins", "Coach Miguel Queiroz said the team played well. Later, Miguel said "
        "the fans were loud. Queiroz added that the season was long."), upto="entities")
    (coach,) = [e for e in art.results["entities"] if e["name"] == "Miguel Queiroz"]
    assert set(coach["variants"]) == {"Miguel Queiroz", "Miguel", "Queiroz"}
    assert coach["inconsistent_spelling"] is False


def test_plural_and_possessive_forms_are_not_other_spellings() -> None:
    from test_nlp_support import plain_article, run_pipeline

    art = run_pipeline(plain_article(
        "Sales", "Analyst Maria Lopez said sales rose, and Lopez’s report was praised. "
        "Lopez said more."), upto="entities")
    (lopez,) = [e for e in art.results["entities"] if e["name"] == "Maria Lopez"]
    assert lopez["inconsistent_spelling"] is False


def test_outlet_table_names_are_media_but_a_surname_stays_a_person() -> None:
    from test_nlp_support import plain_article, run_pipeline

    art = run_pipeline(plain_article(
        "Tax plan", "Steve Forbes said the flat tax would work. The Passauer Neue Presse "
        "reported the talks."), upto="entities")
    labels = {e["name"]: e["label"] for e in art.results["entities"]}
    assert labels["Steve Forbes"] == "person"
    assert labels["Passauer Neue Presse"] == "media"
