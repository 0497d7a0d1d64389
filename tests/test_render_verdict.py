"""The HTML report, verdict first (render/summary.py, render/html.py), checked without a
browser on the example: the summary card, findings grouped by kind with certainty in
words, every quote's pieces spelling exactly its words, back-links, labels, no ids twice."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import lxml.html
import pytest

import newstrace
from newstrace.render.html import render_html
from newstrace.render.labels import FINDING_LABELS


@pytest.fixture(scope="module")
def report(example_text: str) -> dict[str, Any]:
    return newstrace.analyze(example_text).to_dict()


@pytest.fixture(scope="module")
def page(report: dict[str, Any]) -> Any:
    return lxml.html.fromstring(render_html(report))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_summary_comes_first(page: Any) -> None:
    sections = page.xpath("//main/section/@id")
    assert sections[0] == "summary" and sections[-1] == "glossary"
    card = page.get_element_by_id("summary").text_content()
    for words in ("This copy's outlet", "Where it came from", "Headline", "Sentences",
                  "Deutsche Wirtschafts Nachrichten", "Read these first", "no source"):
        assert words in card


def test_findings_are_grouped_by_kind_with_plain_labels(
    report: dict[str, Any], page: Any
) -> None:
    groups = page.xpath("//section[@id='findings']/details[@class='fgroup']")
    kinds = {f["kind"] for f in report["findings"]}
    assert len(groups) == len(kinds)
    labels = [g.xpath("./summary/strong")[0].text_content() for g in groups]
    assert all(label in FINDING_LABELS.values() for label in labels)
    assert all(g.get("open") is not None for g in groups)  # static report: no script


def test_certainty_in_words_is_shown_when_present(report: dict[str, Any], page: Any) -> None:
    for i, finding in enumerate(report["findings"]):
        words = (finding.get("certainty") or {}).get("in_words")
        item = page.get_element_by_id(f"f-{i}")
        shown = item.xpath(".//p[@class='certainty']")
        assert bool(shown) == bool(words)
        if words:
            assert words in shown[0].text_content()


def test_every_quote_spells_its_exact_words(report: dict[str, Any], page: Any) -> None:
    links = page.xpath("//section[@id='findings']//a[starts-with(@href, '#ev-')]")
    assert len(links) >= 60
    for link in links:
        token = link.get("href")[4:]
        i, j = map(int, token.split("-"))
        words = report["findings"][i]["evidence"][j]["text"]
        target = page.get_element_by_id(f"ev-{token}")
        pieces = page.xpath(f"//*[contains(concat(' ', @data-ev, ' '), ' {token} ')]")
        assert squash("".join(p.text_content() for p in pieces)) == squash(words), token
        assert squash(words).startswith(squash(target.text_content()))


def test_sentences_link_back_to_their_findings(report: dict[str, Any], page: Any) -> None:
    back = page.xpath("//section[@id='article']//a[@class='back']")
    assert back
    n = len(report["findings"])
    for link in back:
        i = int(link.get("href")[3:])
        assert 0 <= i < n and link.get("data-reason")


def test_sentence_types_have_visible_labels(report: dict[str, Any], page: Any) -> None:
    tags = Counter(
        t.get("class").split()[1]
        for t in page.xpath("//section[@id='article']/div//span[starts-with(@class, 'tag ')]")
    )
    statuses = Counter(c["status"] for c in report["claims"])
    assert tags["tag-unsourced"] == statuses["unsourced"] > 0
    assert tags["tag-hedged"] == statuses["hedged"]


def test_no_id_is_used_twice(page: Any) -> None:
    ids = Counter(page.xpath("//@id"))
    assert [k for k, v in ids.items() if v > 1] == []
