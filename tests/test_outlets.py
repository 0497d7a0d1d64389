"""Outlets of an article: roles, mentions, ratings, unknown names, no ratings data."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.analyze.outlets import OutletsAnnotator, build
from newstrace.analyze.provenance import ProvenanceAnnotator
from newstrace.config import Settings
from newstrace.data import Article, Block, Meta, Span


def _run(article: Article, data_dir: Path | None, ratings_file: Path | None = None) -> Article:
    article = ProvenanceAnnotator()(article)
    return OutletsAnnotator(Settings(data_dir=data_dir, ratings_file=ratings_file))(article)


@pytest.fixture(scope="module")
def example(example_path: Path, shared_data: Path) -> Article:
    from newstrace import load

    return _run(load(example_path), shared_data)


def _by_domain(article: Article) -> dict[str, dict]:
    return {o["domain"]: o for o in article.results["outlets"]}


def test_example_roles_and_bands(example: Article) -> None:
    outlets = _by_domain(example)
    expected = {
        "globalresearch.ca": (["publisher"], "low"),
        "southfront.org": (["republisher"], "low"),
        "sott.net": (["republisher"], "low"),
        "deutsche-wirtschafts-nachrichten.de": (["original"], "mixed"),
        "spiegel.de": (["cited"], "high"),
        "dpa.com": (["cited"], "high"),
    }
    for domain, (roles, band) in expected.items():
        assert (outlets[domain]["roles"], outlets[domain]["band"]) == (roles, band), domain
    assert outlets["deutsche-wirtschafts-nachrichten.de"]["band_basis"] == "imputed"
    assert all(r["imputed"] for r in outlets["deutsche-wirtschafts-nachrichten.de"]["ratings"])
    assert "note" not in example.results and "outlets_note" not in example.results
    # Publisher first, cited last.
    roles = [o["roles"][0] for o in example.results["outlets"]]
    assert roles.index("publisher") < roles.index("original") < roles.index("cited")


def test_example_mentions_are_spans_of_the_names(example: Article) -> None:
    outlets = _by_domain(example)
    spiegel = [m.text_of(example.text) for m in outlets["spiegel.de"]["mentions"]]
    assert spiegel == ["Der Spiegel"] * 3
    dpa = outlets["dpa.com"]["mentions"]
    assert [m.text_of(example.text) for m in dpa] == ["Deutsche Presse-Agentur"]
    assert "SouthFront" in outlets["southfront.org"]["written_as"]
    for outlet in example.results["outlets"]:
        for rating in outlet["ratings"]:
            assert {"source", "value", "scale", "label", "date", "imputed"} <= set(rating)


def test_no_ratings_data_installed(example_path: Path, tmp_path: Path) -> None:
    from newstrace import load

    article = _run(load(example_path), tmp_path)
    assert "No outlet ratings are installed" in article.results["outlets_note"]
    assert {o["band"] for o in article.results["outlets"]} == {"unrated"}
    assert all(o["ratings"] == [] for o in article.results["outlets"])
    assert _by_domain(article)["globalresearch.ca"]["roles"] == ["publisher"]


def test_unknown_cited_medium_stays_a_name(tmp_path: Path) -> None:
    text = "The minister told the Frobnitz Courier that talks would resume."
    start = text.index("Frobnitz Courier")
    medium = Span(start, start + len("Frobnitz Courier"))
    article = Article(
        text=text,
        blocks=[Block("body", 0, len(text))],
        spans={
            "attributions": [
                Span(
                    0,
                    len(text),
                    "attribution",
                    {"medium": "Frobnitz Courier", "medium_span": medium},
                )
            ]
        },
    )
    (outlet,) = _run(article, tmp_path).results["outlets"]
    assert outlet["name"] == "Frobnitz Courier" and outlet["domain"] is None
    assert outlet["roles"] == ["cited"] and outlet["band"] == "unrated"
    assert outlet["mentions"][0].text_of(text) == "Frobnitz Courier"


def test_media_entities_and_links_are_used_when_present(tmp_path: Path) -> None:
    text = "As the Sample Ledger reported, and as a linked report says, prices rose."
    s = text.index("Sample Ledger")
    link_start = text.index("a linked report")
    article = Article(
        text=text,
        blocks=[Block("body", 0, len(text))],
        results={
            "entities": [
                {
                    "name": "Sample Ledger",
                    "label": "media",
                    "mentions": [Span(s, s + len("Sample Ledger"))],
                }
            ]
        },
        spans={
            "links": [
                Span(
                    link_start, link_start + 15, "link", {"url": "https://www.reuters.com/world/x"}
                )
            ]
        },
    )
    outlets = {o["name"]: o for o in _run(article, tmp_path).results["outlets"]}
    assert outlets["Sample Ledger"]["domain"] is None
    assert outlets["Reuters"]["domain"] == "reuters.com"
    assert outlets["Reuters"]["roles"] == ["cited"]


def test_publisher_from_url_only(tmp_path: Path) -> None:
    text = "Body of a story that names no outlet at all."
    article = Article(text=text, meta=Meta(url="https://www.theguardian.com/world/2020/x"))
    (outlet,) = _run(article, tmp_path).results["outlets"]
    assert (outlet["name"], outlet["domain"], outlet["roles"]) == (
        "The Guardian",
        "theguardian.com",
        ["publisher"],
    )


def test_user_file_rates_an_unlisted_publisher(tmp_path: Path) -> None:
    user = tmp_path / "ours.csv"
    user.write_text("domain,band,label\nlocal-gazette-newstrace.org,high,our partner\n")
    article = Article(text="Body text.", meta=Meta(url="https://local-gazette-newstrace.org/a"))
    (outlet,) = _run(article, tmp_path / "nodata", user).results["outlets"]
    assert (outlet["band"], outlet["band_basis"]) == ("high", "user")
    assert outlet["ratings"][0]["source"] == "user ratings (ours.csv)"
    assert outlet["name"] == "local-gazette-newstrace.org"  # no table entry: the domain


def test_annotator_contract() -> None:
    annotator = build(Settings())
    assert (annotator.name, annotator.requires, annotator.assigns) == (
        "outlets",
        ("results.provenance",),
        ("results.outlets",),
    )


def test_links_to_platforms_are_not_cited_outlets(tmp_path: Path) -> None:
    text = "She wrote on social media that prices rose, as a wire report said."
    post = text.index("on social media")
    wire = text.index("a wire report")
    article = Article(
        text=text,
        blocks=[Block("body", 0, len(text))],
        spans={
            "links": [
                Span(post, post + 15, "link", {"url": "https://twitter.com/someone/status/1"}),
                Span(wire, wire + 13, "link", {"url": "https://apnews.com/article/x"}),
            ]
        },
    )
    outlets = _run(article, tmp_path).results["outlets"]
    assert [(o["domain"], o["roles"]) for o in outlets] == [("apnews.com", ["cited"])]


def test_a_described_source_is_no_outlet(tmp_path: Path) -> None:
    # "SOURCE: News agencies" under a wire story: the chain says so, the outlets list does
    # not invent an outlet called "News" (or "News agencies") to rate.
    text = "Two soldiers were killed on Tuesday, officials said.\n\nSOURCE: News agencies"
    article = Article(text=text, meta=Meta(url="https://www.aljazeera.com/news/2019/x"))
    article = _run(article, tmp_path)
    declared = article.results["provenance"]["declared"]
    assert (declared[0]["role"], declared[0]["outlet"]) == ("original", "News agencies")
    assert [o["domain"] for o in article.results["outlets"]] == ["aljazeera.com"]
