"""The structure layer: the example's document structure in full, repairs, recognisers,
invariants and structure-level findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newstrace
from newstrace.assess.structure_rules import RULES
from newstrace.data import BLOCK_ROLES, Article
from newstrace.errors import NewstraceError
from newstrace.structure import furniture as F
from newstrace.structure import structure
from newstrace.structure.dates import find_dates


@pytest.fixture(scope="module")
def example(example_path: Path) -> Article:
    return newstrace.load(example_path)


def _roles(article: Article) -> list[tuple[str, str]]:
    return [(b.role, b.text_of(article.text)) for b in article.blocks]


def check_invariants(article: Article) -> None:
    """Blocks in order, not overlapping, every block a known role, blank-line layout, and
    nothing but separators between blocks; link spans inside the text."""
    previous_end = 0
    for n, block in enumerate(article.blocks):
        assert block.role in BLOCK_ROLES
        assert block.start < block.end
        gap = article.text[previous_end : block.start]
        assert gap == ("" if n == 0 else "\n\n")
        previous_end = block.end
    assert previous_end == len(article.text)
    for link in article.layer("links"):
        assert 0 <= link.start < link.end <= len(article.text)
        assert "url" in link.attrs


def test_example_roles_in_order(example: Article) -> None:
    roles = _roles(example)
    check_invariants(example)
    head = [r for r, _ in roles[:9]]
    assert head == [
        "headline",
        "byline",
        "dateline",
        "dateline",
        "navigation",
        "navigation",
        "navigation",
        "provenance_note",
        "dek",
    ]
    assert roles[0][1].endswith("Defeat ISIS?")
    assert roles[1][1] == "By South Front"
    assert roles[8][1].startswith("In a surprise move")


def test_example_datelines(example: Article) -> None:
    datelines = list(example.blocks_with("dateline"))
    assert [(b.attrs["outlet"], b.attrs["date"]) for b in datelines] == [
        ("Global Research", "2015-09-18"),
        ("Sott.net", "2015-09-14"),
    ]
    assert datelines[0].attrs["this_copy"] is True
    assert datelines[1].attrs["earlier_copy"] is True
    byline = next(example.blocks_with("byline"))
    assert byline.attrs["names"] == ["South Front"]


def test_example_navigation_is_the_taxonomy(example: Article) -> None:
    nav = [b.text_of(example.text) for b in example.blocks_with("navigation")]
    assert [n.split(":")[0] for n in nav] == ["Region", "Theme", "In-depth Report"]
    assert "Russia and FSU" in nav[0]


def test_example_credit_and_one_caption(example: Article) -> None:
    credit = list(example.blocks_with("credit"))
    captions = list(example.blocks_with("caption"))
    assert [b.text_of(example.text) for b in credit] == ["© Deutsche Presse-Agentur"]
    assert len(captions) == 1
    caption = captions[0].text_of(example.text)
    assert caption.startswith("Frank-Walter") and caption.endswith("in May this year .")
    assert "The picture shows the two foreign ministers" in caption
    assert example.blocks.index(captions[0]) == example.blocks.index(credit[0]) + 1
    assert "The picture shows" not in example.body_text()


def test_example_repairs(example: Article) -> None:
    body = example.body_text()
    assert "newly-arrived refugees last weekend" in body
    assert "newly-\n" not in example.text
    kinds = {s.attrs["kind"]: example.text[s.start : s.end] for s in example.layer("repairs")}
    assert kinds == {"hyphenation": "newly-arrived", "split_paragraph": "shows the"}


def test_example_translator_note_and_tail(example: Article) -> None:
    roles = _roles(example)
    tail_start = next(i for i, (_, t) in enumerate(roles) if t == "Translators comment:")
    tail = roles[tail_start:]
    assert [r for r, _ in tail] == [
        "editor_note",
        "editor_note",
        "provenance_note",
        "provenance_note",
        "boilerplate",
        "boilerplate",
        "boilerplate",
        "boilerplate",
        "boilerplate",
        "boilerplate",
    ]
    assert tail[1][1].startswith("It has been reported")
    assert tail[2][1] == "The original source of this article is Sott.net"
    assert tail[3][1].startswith("Copyright ©")
    assert [t for _, t in tail[4:7]] == [
        "Comment on Global Research Articles on our Facebook page",
        "Become a Member of Global Research",
        "Articles by: South Front",
    ]
    assert tail[7][1].startswith("Disclaimer:")
    assert "fair use" in tail[8][1]
    assert tail[9][1].startswith("For media inquiries")
    assert all(r == "body" for r, _ in roles[9:tail_start] if r not in ("credit", "caption"))
    note = next(example.blocks_with("editor_note"))
    assert note.attrs["note_kind"] == "translator"


def test_example_meta_with_evidence(example: Article) -> None:
    meta = example.meta
    assert meta.title and meta.title.endswith("Defeat ISIS?")
    assert meta.authors == ["South Front"]
    assert meta.published == "2015-09-18"
    assert meta.publisher == "Global Research"
    assert meta.domain == "globalresearch.ca"
    assert meta.language == "en"
    assert meta.url is None
    ev = {k: example.text[s.start : s.end] for k, s in meta.evidence.items()}
    assert ev["published"] == "September 18, 2015"
    assert ev["publisher"] == "Global Research"
    assert ev["domain"] == "globalresearch.ca"
    assert example.format == "markdown" and len(example.id) == 16


def test_example_links_remapped(example: Article) -> None:
    texts = [example.text[s.start : s.end] for s in example.layer("links")]
    assert texts[:2] == ["South Front", "Sott.net"]
    assert "originally appeared" in texts and "PNP magazine" in texts
    assert "publications@globalresearch.ca" in texts


def test_example_findings(example: Article) -> None:
    findings = [f for rule in RULES for f in rule(example)]
    kinds = {f.kind: f for f in findings}
    assert kinds["added_section"].severity == "medium"
    note = [example.text[s.start : s.end] for s in kinds["added_section"].evidence]
    assert note[0] == "Translators comment:" and note[1].startswith("It has been reported")
    repairs = [f for f in findings if f.kind == "layout_repair"]
    assert len(repairs) == 2 and all(f.evidence for f in repairs)
    assert "earlier_copy" in kinds and "no_byline" not in kinds and "no_date" not in kinds
    for finding in findings:
        for span in finding.evidence:
            text = example.text[span.start : span.end]
            assert text and text == text.strip()


def test_structure_is_idempotent(example: Article) -> None:
    before = (example.text, [(b.role, b.start, b.end) for b in example.blocks])
    structure(example)
    assert (example.text, [(b.role, b.start, b.end) for b in example.blocks]) == before


# --- recognisers ---------------------------------------------------------------------------


def test_dates() -> None:
    found = find_dates("Posted Sept. 3rd, 2016 and 2019-11-20; not 2019-02-30 nor May 40, 2019")
    assert [iso for *_, iso in found] == ["2016-09-03", "2019-11-20"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Roe and John Smith", ["Jane Roe", "John Smith"]),
        ("By JANE ROE, Associated Press", ["JANE ROE", "Associated Press"]),
        ("Written by Ann Lee | Staff writer", ["Ann Lee"]),
        ("By ROBERT ROE, AP National Security Writer", ["ROBERT ROE"]),
        ("By Ann Lee, Senior Correspondent", ["Ann Lee"]),
        ("By the time the vote came, most had left.", None),
        ("by and large the plan worked", None),
    ],
)
def test_byline(line: str, names: list[str] | None) -> None:
    found = F.byline_names(line)
    assert (None if found is None else [n for *_, n in found]) == names


@pytest.mark.parametrize(
    ("line", "pairs"),
    [
        ("The Daily Star, March 3, 2018", [("The Daily Star", "2018-03-03")]),
        ("Published: 12 May 2020 10:31 BST", [(None, "2020-05-12")]),
        ("news.example.com 2019-01-02", [("news.example.com", "2019-01-02")]),
        ("On March 3, 2018, the council voted to close the school.", None),
    ],
)
def test_dateline(line: str, pairs: list[tuple[str | None, str]] | None) -> None:
    found = F.dateline_parts(line)
    assert (None if found is None else [(p.outlet, p.date) for p in found]) == pairs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Photo: Jane Roe/Reuters", "credit"),
        ("© Agence France-Presse", "credit"),
        ("© 2019 The Paper. All rights reserved.", "provenance"),
        ("This story originally appeared in The Other Paper.", "provenance"),
        ("Republished with permission from the author.", "provenance"),
        ("The study, first published in a journal last year, was later expanded by a team of "
         "researchers who repeated every measurement over a period of three years and then "
         "compared their results with national data from several countries in Europe.", None),
        ("Share this article", "boilerplate"),
        ("Sign up for our daily newsletter", "boilerplate"),
        ("The views expressed in this article are the author's own.", "boilerplate"),
        ("Tags: Politics, Europe, Elections", "navigation"),
        ("The minister said the talks would continue next week.", None),
    ],
)
def test_furniture(text: str, expected: str | None) -> None:
    found = (
        "credit" if F.is_credit(text)
        else "provenance" if F.is_provenance(text)
        else "boilerplate" if F.is_boilerplate(text)
        else "navigation" if F.is_navigation(text)
        else None
    )  # fmt: skip
    assert found == expected


@pytest.mark.parametrize(
    ("text", "label", "alone"),
    [
        ("Editor's note:", "Editor's note", True),
        ("Translator’s comment: the original used a stronger word.", "Translator’s comment", False),
        ("UPDATE (3pm): The ministry has responded.", "UPDATE", False),
        ("Update the software before the vote.", None, None),
    ],
)
def test_note_labels(text: str, label: str | None, alone: bool | None) -> None:
    found = F.note_label(text)
    assert (found or (None, None)) == (label, alone)


# --- repairs and roles on small inputs -------------------------------------------------------


def test_repairs_only_between_plain_paragraphs() -> None:
    md = (
        "# A Headline For Testing\n\n"
        "The council met on Monday to discuss the well-\n\nknown problem of traffic.\n\n"
        "## Sub-\n\nheading stays apart\n\n"
        "Contact: desk@paper.example\n\nwww.paper.example has more.\n\n"
        "A sentence that ends properly.\n\nand a new block that starts lower-case."
    )
    article = newstrace.load(md)
    check_invariants(article)
    texts = [b.text_of(article.text) for b in article.blocks]
    assert "The council met on Monday to discuss the well-known problem of traffic." in texts
    assert "Sub-" in texts
    assert "www.paper.example has more." in texts
    assert "and a new block that starts lower-case." in texts


def test_editor_note_section_stops_at_furniture() -> None:
    md = (
        "# Headline Of A Republished Story\n\nBy Ann Lee\n\n"
        "The first body paragraph is long enough to count as body text for sure.\n\n"
        "Editor's note:\n\n"
        "*We add this note to explain the context of the story to readers.*\n\n"
        "*A second italic paragraph of the same note.*\n\n"
        "This article was first published by The Other Paper.\n\n"
        "Share this article"
    )
    article = newstrace.load(md)
    roles = [b.role for b in article.blocks]
    assert roles == [
        "headline",
        "byline",
        "body",
        "editor_note",
        "editor_note",
        "editor_note",
        "provenance_note",
        "boilerplate",
    ]


def test_plain_text_headline_and_no_byline_finding() -> None:
    text = (
        "Council Closes Two Schools After Vote\n\n"
        "The council voted on Tuesday to close two schools, officials said.\n\n"
        "Parents protested outside the hall."
    )
    article = newstrace.load(text)
    assert [b.role for b in article.blocks] == ["headline", "body", "body"]
    kinds = {f.kind for rule in RULES for f in rule(article)}
    assert {"no_byline", "no_date"} <= kinds
    assert "added_section" not in kinds and "layout_repair" not in kinds


def test_sentence_first_line_is_not_a_headline() -> None:
    text = "the council voted on tuesday.\n\nParents protested outside the hall."
    article = newstrace.load(text)
    assert article.headline is None
    assert {b.role for b in article.blocks} == {"body"}


def test_added_section_defers_to_the_provenance_layer(example: Article) -> None:
    from newstrace.assess.structure_rules import added_sections

    assert list(added_sections(example))
    example.results["provenance"] = {"declared": [], "added_sections": [{"kind": "x"}]}
    try:
        assert not list(added_sections(example))
    finally:
        del example.results["provenance"]


_PIECES = st.sampled_from(
    [
        "# Head\n\n", "By Ann Lee\n\n", "Outlet, May 2, 2019  \nOther 1 May 2019\n\n",
        "*Italic standfirst of some length here.*\n\n", "© Agency\n\n", "word-\n\n",
        "continued text here.\n\n", "Editor's note:\n\n", "Share this\n\n", "---\n\n",
        "[a link](http://x.example) and more.\n\n", "Tags: a, b\n\n", "(aside in brackets)\n\n",
        "<p>html</p>", "\x00", "\r\n", "\ufeff", "  \n", "Body sentence. ",
    ]
)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=12))
def test_any_input_gives_an_article_or_a_typed_error(parts: list[str]) -> None:
    source = "".join(parts)
    try:
        article = newstrace.load(source)
    except NewstraceError:
        return
    check_invariants(article)
    for mark in article.layer("repairs"):
        assert 0 <= mark.start < mark.end <= len(article.text)


def test_breadcrumb_and_credit_patterns_on_long_or_nested_lines() -> None:
    # 39 separators after spaces: the old breadcrumb pattern tried 2**39 splits before
    # failing on the "!"; the trail is read in one pass now.
    assert F.is_navigation("Home" + " /News" * 39 + " !", link_chars=10) is False
    assert F.is_navigation("Home / News / World", link_chars=10) is True
    # A credit read from the last "(AP Photo" before its ")", as before.
    assert F.is_credit("Crowds (AP Photo (AP Photo/Ann Lee)") is True
