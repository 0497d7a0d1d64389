"""Declared provenance: the example's chain, ≥10 other phrasings, conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.analyze.provenance import ProvenanceAnnotator, build, read_provenance
from newstrace.config import Settings
from newstrace.data import Article, Block, Meta


@pytest.fixture(scope="module")
def example(example_path: Path) -> Article:
    from newstrace import load

    return ProvenanceAnnotator()(load(example_path))


def _chain(article: Article) -> list[tuple]:
    return [
        (link["role"], link["domain"], link["date"])
        for link in article.results["provenance"]["declared"]
    ]


def test_example_chain_oldest_first(example: Article) -> None:
    chain = example.results["provenance"]["declared"]
    assert [link["order"] for link in chain] == [1, 2, 3, 4]
    assert _chain(example) == [
        ("original", "deutsche-wirtschafts-nachrichten.de", None),
        ("translation", "southfront.org", None),
        ("republication", "sott.net", "2015-09-14"),
        ("this_copy", "globalresearch.ca", "2015-09-18"),
    ]
    original, translation, sott, this_copy = chain
    assert original["language"] == "de" and original["language_basis"] == "outlet table"
    assert original["written_as"] == "DWN"
    assert translation["person"] == {"name": "Frank Jakob", "role": "translator"}
    assert translation["language"] == "en"
    text = example.text
    assert translation["evidence"].text_of(text) == (
        "translated by Frank Jakob exclusively for SouthFront"
    )
    assert sott["evidence"].text_of(text) == "The original source of this article is Sott.net"
    assert this_copy["evidence"].text_of(text).startswith("Global Research, September 18")
    assert example.results["provenance"]["conflicts"] == []


def test_example_added_translator_section(example: Article) -> None:
    sections = example.results["provenance"]["added_sections"]
    assert [s["kind"] for s in sections] == ["translator_note"]
    body = sections[0]["span"].text_of(example.text)
    assert body.startswith("Translators comment:") and "According to PNP magazine" in body
    assert example.results["provenance"]["original_title"] is None


def test_raw_markdown_without_structure_gives_same_chain(example_text: str) -> None:
    # Link syntax is masked without moving offsets; datelines are found by their shape.
    result = read_provenance(Article(text=example_text))
    roles = [(lk["role"], lk["domain"]) for lk in result["declared"]]
    assert roles == [
        ("original", "deutsche-wirtschafts-nachrichten.de"),
        ("translation", "southfront.org"),
        ("republication", "sott.net"),
        ("this_copy", "globalresearch.ca"),
    ]
    ev = result["declared"][0]["evidence"]
    assert "originally appeared" in ev.text_of(example_text)


PHRASINGS = [
    # (text, role, outlet as named, domain or None, date)
    ("Body.\n\nThis article was first published by The Daily Example on 3 May 2016.",
     "original", "The Daily Example", None, "2016-05-03"),
    ("Body.\n\nReprinted from The Conversation.", "original", "The Conversation",
     "theconversation.com", None),
    ("Body.\n\nSource: Reuters", "original", "Reuters", "reuters.com", None),
    ("Body.\n\nThis story was produced by ProPublica.", "original", "ProPublica",
     "propublica.org", None),
    ("Body.\n\nAdapted from an article in The Guardian.", "original", "The Guardian",
     "theguardian.com", None),
    # A wire agency's credit in the dateline that opens the body: wire copy.
    ("HANOI, Vietnam (AP) — The minister said on Wednesday the talks would go on.\n\nMore.",
     "original", "Associated Press", "apnews.com", None),
    # A description of sources, not a name: kept whole, never read as an outlet "News".
    ("Body.\n\nSOURCE: News agencies", "original", "News agencies", None, None),
    ("Body.\n\nSource: Agencies and staff", "original", "Agencies and staff", None, None),
    ("Body.\n\n© 2016 Truthout. Republished with permission.", "original", "Truthout",
     "truthout.org", None),
    ("Body.\n\nOriginally published at Consortium News.", "original", "Consortium News",
     "consortiumnews.com", None),
    ("Body.\n\nCross-posted from Common Dreams.", "original", "Common Dreams",
     "commondreams.org", None),
    ("Body.\n\nThis story originally appeared in ProPublica and is republished under a "
     "Creative Commons license.", "original", "ProPublica", "propublica.org", None),
    ("Body.\n\nRepublished with permission from Antiwar.com", "original", "Antiwar.com",
     "antiwar.com", None),
    ("Some words.\n\nvia Zero Hedge", "original", "ZeroHedge", "zerohedge.com", None),
    ("Body.\n\nCourtesy of Strategic Culture Foundation", "original",
     "Strategic Culture Foundation", "strategic-culture.org", None),
    ("Body.\n\nSyndicated from Inter Press Service.", "original", "Inter Press Service",
     None, None),
    ("Body.\n\nThis article was originally published on Al Jazeera.", "original",
     "Al Jazeera", "aljazeera.com", None),
    ("Dieser Artikel erschien zuerst bei Telepolis.\n\nText.", "original", "Telepolis",
     "heise.de", None),
    ("First published in Der Spiegel on 2 March 2020.\n\nBody.", "original", "Der Spiegel",
     "spiegel.de", "2020-03-02"),
    # A link written as a URL is shown by its domain; the URL stays in written_as.
    ("Body.\n\nOriginal article: https://www.example-news.org/2019/05/story",
     "original", "example-news.org", "example-news.org", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "role", "outlet", "domain", "date"), PHRASINGS)
def test_phrasings(text: str, role: str, outlet: str, domain: str | None, date: str | None):
    chain = read_provenance(Article(text=text))["declared"]
    assert len(chain) == 1, chain
    link = chain[0]
    assert (link["role"], link["outlet"], link["domain"], link["date"]) == (
        role,
        outlet,
        domain,
        date,
    )
    assert link["evidence"].text_of(text).strip()


def test_translation_with_languages_and_unknown_outlet() -> None:
    text = "Translated from German by Jane Roe for Example Post.\n\nBody."
    (link,) = read_provenance(Article(text=text))["declared"]
    assert link["role"] == "translation"
    assert link["outlet"] == "Example Post" and link["domain"] is None  # unresolved: a name
    assert link["person"] == {"name": "Jane Roe", "role": "translator"}
    assert link["translated_from"] == "de"


def test_author_of_original_and_this_copy_from_meta() -> None:
    text = "Body text.\n\nThis piece by John Doe originally ran in The Atlantic."
    article = Article(text=text, meta=Meta(publisher="Example Reposts", language="en"))
    chain = read_provenance(article)["declared"]
    assert [(lk["role"], lk["outlet"]) for lk in chain] == [
        ("original", "The Atlantic"),
        ("this_copy", "Example Reposts"),
    ]
    assert chain[0]["person"] == {"name": "John Doe", "role": "author"}


@pytest.mark.parametrize(
    "text",
    [
        "Photo courtesy of Reuters\n\nBody text.",
        "Body text about errors lost in translation.",
        "The president said he originally published in 2010 a book.",
        "Read it on the web, source: trust me",
        "© Example Photo Agency\n\nA caption.",
    ],
)
def test_non_statements(text: str) -> None:
    assert read_provenance(Article(text=text))["declared"] == []


def test_image_credit_block_is_not_provenance() -> None:
    text = "© 2015 Example Pictures\n\nBody."
    blocks = [Block("credit", 0, 23), Block("body", 25, len(text))]
    result = read_provenance(Article(text=text, blocks=blocks))
    assert result["declared"] == [] and result["rights_holders"] == []


def test_copyright_line_with_several_outlets_supports_links() -> None:
    text = (
        "Body.\n\nReprinted from Sample Gazette.\n\nCopyright © Sample Gazette, Other Daily, 2019"
    )
    result = read_provenance(Article(text=text))
    assert result["rights_holders"] == ["Other Daily", "Sample Gazette"]
    (link,) = result["declared"]
    assert link["statements"] == ["source", "copyright"]


def test_two_originals_conflict() -> None:
    text = (
        "Body text.\n\nThis article originally appeared at Outlet Alpha.\n\n"
        "First published by Outlet Beta."
    )
    result = read_provenance(Article(text=text))
    assert [c["kind"] for c in result["conflicts"]] == ["multiple_originals"]
    assert len(result["conflicts"][0]["evidence"]) == 2
    assert {lk["outlet"] for lk in result["declared"]} == {"Outlet Alpha", "Outlet Beta"}


def test_circular_chain_conflict() -> None:
    text = "Body.\n\nOriginally published at Example Herald.\n\nReprinted from Sample Gazette."
    result = read_provenance(Article(text=text, meta=Meta(publisher="Example Herald")))
    assert [c["kind"] for c in result["conflicts"]] == ["circular"]


def test_page_naming_itself_as_source_is_no_conflict() -> None:
    text = "Body.\n\nThe original source of this article is Example Herald."
    result = read_provenance(Article(text=text, meta=Meta(publisher="Example Herald")))
    assert result["conflicts"] == []
    assert [lk["role"] for lk in result["declared"]] == ["this_copy"]


def test_dates_running_backwards_conflict() -> None:
    text = "Alpha News, 3 May 2016\nBeta Daily, 9 June 2016\n\nBody of the article."
    result = read_provenance(Article(text=text, meta=Meta(publisher="Alpha News")))
    assert [(lk["role"], lk["outlet"]) for lk in result["declared"]] == [
        ("original", "Beta Daily"),
        ("this_copy", "Alpha News"),
    ]
    assert [c["kind"] for c in result["conflicts"]] == ["date_order"]


def test_annotator_contract() -> None:
    annotator = build(Settings())
    assert annotator.name == "provenance"
    assert annotator.assigns == ("results.provenance",)
    article = annotator(Article(text="Plain text with no statement at all."))
    assert article.results["provenance"]["declared"] == []
    assert article.results["provenance"]["conflicts"] == []


def test_name_and_url_of_one_outlet_make_one_link() -> None:
    text = (
        "Body.\n\nThe post Rates Rise Again appeared first on Example Wire.\n\n"
        "Source: http://www.examplewire.com/2016/05/rates-rise"
    )
    (link,) = read_provenance(Article(text=text))["declared"]
    assert (link["role"], link["outlet"], link["domain"]) == (
        "original",
        "Example Wire",
        "examplewire.com",
    )
    assert link["statements"] == ["original", "source"]


@pytest.mark.parametrize(
    "text",
    [
        "On September 5, 2013\n\nThe council met and voted.",
        "By Jane Roe and John Doe: April 4, 2016\n\nThe council met.",
        "As the report says (via Google Translate), the council met.",
    ],
)
def test_dates_and_bylines_are_not_outlets(text: str) -> None:
    assert read_provenance(Article(text=text))["declared"] == []


def test_page_declaring_itself_original_by_name() -> None:
    text = "Body.\n\nThis article was originally published on Example Science."
    article = Article(text=text, meta=Meta(url="https://www.examplescience.com/story"))
    result = read_provenance(article)
    assert [(lk["role"], lk["outlet"], lk["domain"]) for lk in result["declared"]] == [
        ("this_copy", "Example Science", "examplescience.com")
    ]
    assert result["conflicts"] == []


def test_long_text_without_line_breaks_stays_fast() -> None:
    import time

    unit = "Reprinted from Example Daily. Copyright 2019 Example Daily. via Example Wire "
    text = unit * 5000  # 390 kB, one line, 15,000 cue matches (was quadratic: minutes)
    started = time.perf_counter()
    result = read_provenance(Article(text=text))
    elapsed = time.perf_counter() - started
    assert result["declared"] and elapsed < 20, elapsed


def test_wire_byline_declares_the_source() -> None:
    text = "By Reuters\n\nMarkets fell on Monday."
    article = Article(
        text=text,
        blocks=[Block("byline", 0, 10), Block("body", 12, len(text))],
        meta=Meta(url="https://www.theguardian.com/business/x"),
    )
    chain = read_provenance(article)["declared"]
    assert [(lk["role"], lk["domain"]) for lk in chain] == [
        ("original", "reuters.com"),
        ("this_copy", "theguardian.com"),
    ]
    assert chain[0]["evidence"].text_of(text) == "By Reuters"
    person = "By Jane Roe\n\nMarkets fell on Monday."
    assert read_provenance(Article(text=person))["declared"] == []


def test_translation_made_for_this_copy() -> None:
    text = "Translated by Jane Roe exclusively for Example Post.\n\nBody."
    article = Article(text=text, meta=Meta(publisher="Example Post"))
    (link,) = read_provenance(article)["declared"]
    assert link["role"] == "this_copy" and "translation" in link["statements"]
    assert link["person"] == {"name": "Jane Roe", "role": "translator"}


def test_publisher_line_when_metadata_is_silent() -> None:
    text = "Publisher: Example Post\n\nBody.\n\nReprinted from Sample Gazette."
    chain = read_provenance(Article(text=text))["declared"]
    assert [(lk["role"], lk["outlet"]) for lk in chain] == [
        ("original", "Sample Gazette"),
        ("this_copy", "Example Post"),
    ]
    assert chain[1]["evidence"].text_of(text) == "Publisher: Example Post"


def test_masked_link_text_holds_no_bracket() -> None:
    # As in CommonMark, a stray "[" before a link is text: only "[Daily Example](…)" is link
    # syntax, and a line of unclosed "[a](" is left alone (and read in linear time).
    from newstrace.analyze.provenance_patterns import masked

    text = "Reprinted from [the wire [Daily Example](https://daily.example/a) with thanks."
    out = masked(text)
    assert out == "Reprinted from [the wire  Daily Example" + " " * 26 + " with thanks."
    assert masked("[a](" * 50_000) == "[a](" * 50_000


def test_read_person_before_a_long_run_of_spaces() -> None:
    # The name pattern split a run of spaces every possible way (quadratic: minutes here).
    from newstrace.analyze.provenance_patterns import read_person

    assert read_person("Translated by Ann" + " " * 100_000 + "x", 14) == (14, 17, "Ann")
    assert read_person("Translated by Ann de Vries.", 14) == (14, 26, "Ann de Vries")


def test_a_parenthesis_in_an_ordinary_opening_is_not_a_wire_credit() -> None:
    # Only an outlet the table knows, right before the dash, makes wire copy.
    for text in ("LONDON (Reuters) — Markets fell.", "PARIS (Jean Dupont) — He spoke."):
        chain = read_provenance(Article(text=text + "\n\nMore text."))["declared"]
        assert [lk["domain"] for lk in chain] == (["reuters.com"] if "Reuters" in text else [])
    assert read_provenance(Article(text="Lawmakers (mostly Democrats) voted no."))[
        "declared"] == []


def test_a_url_source_keeps_its_url_as_written() -> None:
    text = "Body.\n\nOriginal article: https://www.example-news.org/2019/05/story"
    (link,) = read_provenance(Article(text=text))["declared"]
    assert link["outlet"] == "example-news.org"
    assert link["written_as"] == "https://www.example-news.org/2019/05/story"


def test_a_person_who_produced_the_story_is_no_source() -> None:
    text = "Body.\n\nThis article was produced by Jane Roe."
    assert read_provenance(Article(text=text))["declared"] == []
