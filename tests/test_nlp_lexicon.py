"""Lexicon finders: hedges, loaded labels, opinion words on real sentences."""

from __future__ import annotations

from newstrace.analyze.lexicon import find_hedges, find_loaded, find_opinion, terms


def test_hedge_phrases_win_over_their_parts() -> None:
    text = "It is likely that the government changed its mind, officials may say."
    found = find_hedges(text)
    assert [(text[s:e], t) for s, e, t in found] == [
        ("It is likely", "it is likely"),
        ("may", "may"),
    ]


def test_month_may_is_not_a_hedge() -> None:
    assert find_hedges("They met in Volgograd in May this year.") == []
    assert find_hedges("The talks may fail.")[0][2] == "may"


def test_hedge_spans_point_at_text_across_line_breaks() -> None:
    text = "It looks\nlike he is the only one."
    (start, end, term), = find_hedges(text)
    assert term == "it looks like" and text[start:end] == "It looks\nlike"


def test_loaded_labels_and_word_boundaries() -> None:
    text = "Especially the neocons warn; the neoconservatism debate is not a label."
    assert [t for _, _, t in find_loaded(text)] == ["neocons"]


def test_opinion_words() -> None:
    text = "Germany surprisingly left the alliance."
    assert [t for _, _, t in find_opinion(text)] == ["surprisingly"]


def test_lists_are_loaded_without_comments() -> None:
    for name in ("hedges", "loaded", "opinion", "reporting_verbs", "titles"):
        entries = terms(name)
        assert entries and all(not e.startswith("#") and e == e.lower() for e in entries)
