"""Where quotations run, over sentences and paragraphs (analyze/quotations.py)."""

from __future__ import annotations

from newstrace.analyze.quotations import QuotationIndex, find_quotations


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for part in text.split("\n\n"):
        out.append((start, start + len(part)))
        start += len(part) + 2
    return out


def test_quotation_carried_over_paragraphs_is_one() -> None:
    text = ("“To be inclusive, we decided against it. We said no.\n\n"
            "“Not everything is about race,” added the spokesman.")
    quotations = find_quotations(text, _paragraphs(text))
    assert len(quotations) == 1
    assert [text[s:e] for s, e in quotations[0].parts] == [
        "To be inclusive, we decided against it. We said no.",
        "Not everything is about race,",
    ]


def test_open_paragraph_not_followed_by_a_mark_ends_there() -> None:
    text = "He said: “One thing.\n\nThe writer goes on. “Two,” she said."
    quotations = find_quotations(text, _paragraphs(text))
    assert [[text[s:e] for s, e in q.parts] for q in quotations] == [["One thing."], ["Two,"]]


def test_share_of_a_sentence_inside_marks() -> None:
    text = 'The best "antidote" is people. "All of this is quoted," she said.'
    index = QuotationIndex(text, find_quotations(text, [(0, len(text))]))
    first = text.index("The"), text.index("people.") + 7
    second = text.index('"All'), len(text)
    assert index.quoted_share(*first) < 0.5 and index.quotation_of(*first) is None
    assert index.quoted_share(*second) > 0.5 and index.quotation_of(*second) is not None


def test_apostrophes_do_not_open_quotations() -> None:
    text = "Trump’s camp isn’t done. ‘Crooked’ was his word."
    assert find_quotations(text, [(0, len(text))]) == []


def test_opener_inside_an_open_quotation_ends_it() -> None:
    text = "He said more: “Later in the day. “In addition, we agree,” he said."
    quotations = find_quotations(text, [(0, len(text))])
    assert [text[q.start : q.end] for q in quotations] == ["Later in the day. ",
                                                           "In addition, we agree,"]


def test_stray_mark_in_a_flattened_page_quotes_nothing_after_it() -> None:
    text = "It was “disgraceful. " + "The writer goes on at length about other things. " * 30
    index = QuotationIndex(text, find_quotations(text, [(0, len(text))]))
    assert index.quoted_share(len(text) - 60, len(text)) == 0.0


def test_quotation_closed_paragraphs_later_spans_the_unmarked_ones() -> None:
    text = ("He offered a prayer:\n\n“Lord, make us instruments of your peace.\n\n"
            "Help us to remove the venom from our judgements.\n\n"
            "where there is shouting, let us practice listening.\n\nAmen.”\n\n"
            "The writer resumes here.")
    quotations = find_quotations(text, _paragraphs(text))
    assert len(quotations) == 1
    index = QuotationIndex(text, quotations)
    for line in ("Help us to remove", "where there is shouting", "Amen"):
        at = text.index(line)
        assert index.quotation_of(at, at + len(line)) is quotations[0], line
    resumed = text.index("The writer resumes")
    assert index.quoted_share(resumed, len(text)) == 0.0


def test_unclosed_quotation_does_not_swallow_unmarked_paragraphs() -> None:
    text = "He said: “One thing.\n\nThe writer goes on.\n\nAnd on, with no mark at all."
    quotations = find_quotations(text, _paragraphs(text))
    assert [[text[s:e] for s, e in q.parts] for q in quotations] == [["One thing."]]


def test_mixed_marks_close_each_other() -> None:
    text = '“Specifically, he confirmed there was no linkage," she said. "Done,” he said.'
    quotations = find_quotations(text, [(0, len(text))])
    assert [text[q.start : q.end] for q in quotations] == [
        "Specifically, he confirmed there was no linkage,", "Done,"]


def test_typewriter_marks_quote_as_curly_ones_do() -> None:
    from newstrace.analyze.quotations import plain_marks
    from test_nlp_support import plain_article, run_pipeline

    body = "''Most people feel he was good at it,'' Mr. Begala said. ``Give me a break.''"
    plain = plain_marks(body)
    assert len(plain) == len(body) and plain.startswith('" Most')
    art = run_pipeline(plain_article("Notes", body), upto="attributions")
    said = next(s.attrs for s in art.layer("attributions")
                if s.attrs["cue"].text_of(art.text) == "said")
    assert said["speaker"] == "Begala"
    assert said["content"].text_of(art.text).strip("'\" ,") == \
        "Most people feel he was good at it"
