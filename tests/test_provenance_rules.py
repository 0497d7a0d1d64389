"""Provenance findings, each with evidence spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.analyze.outlets import OutletsAnnotator
from newstrace.analyze.provenance import ProvenanceAnnotator
from newstrace.assess.provenance_rules import RULES
from newstrace.config import Settings
from newstrace.data import Article, Block, Finding, Meta


def _findings(article: Article) -> list[Finding]:
    return [f for rule in RULES for f in rule(article)]


def _analyse(article: Article, data_dir: Path | None) -> Article:
    article = ProvenanceAnnotator()(article)
    return OutletsAnnotator(Settings(data_dir=data_dir))(article)


def test_rules_yield_nothing_without_layers() -> None:
    assert _findings(Article(text="Some text.")) == []


def test_example_findings(example_path: Path, shared_data: Path) -> None:
    from newstrace import load

    article = _analyse(load(example_path), shared_data)
    found = {f.kind: f for f in _findings(article)}
    assert set(found) >= {
        "low_reliability_publisher",
        "chain_through_low_reliability",
        "translation_without_original_title",
        "republisher_added_section",
        "imputed_rating_only",
    }
    assert "conflicting_provenance" not in found
    publisher = found["low_reliability_publisher"]
    assert publisher.severity == "high" and "globalresearch.ca" in publisher.message
    assert publisher.evidence[0].text_of(article.text) == "Global Research"
    chain = found["chain_through_low_reliability"]
    assert set(chain.attrs["outlets"]) == {"South Front", "Sott.net"}
    texts = [s.text_of(article.text) for s in chain.evidence]
    assert "The original source of this article is Sott.net" in texts
    note = found["republisher_added_section"]
    assert note.evidence[0].text_of(article.text).startswith("Translators comment:")
    for finding in found.values():
        assert finding.evidence, finding.kind


def test_no_ratings_data_is_said_once(example_path: Path, tmp_path: Path) -> None:
    from newstrace import load

    article = _analyse(load(example_path), tmp_path)
    kinds = [f.kind for f in _findings(article)]
    assert kinds.count("ratings_unavailable") == 1
    unrated = next(f for f in _findings(article) if f.kind == "ratings_unavailable")
    assert unrated.evidence  # the outlets that could not be rated
    assert "low_reliability_publisher" not in kinds
    assert "chain_through_low_reliability" not in kinds


def test_conflicts_become_findings(tmp_path: Path) -> None:
    text = (
        "Body text.\n\nThis article originally appeared at Outlet Alpha.\n\n"
        "First published by Outlet Beta."
    )
    article = _analyse(Article(text=text), tmp_path)
    (conflict,) = [f for f in _findings(article) if f.kind == "conflicting_provenance"]
    assert conflict.attrs["conflict"] == "multiple_originals"
    assert [s.text_of(text) for s in conflict.evidence] == [
        "This article originally appeared at Outlet Alpha.",
        "First published by Outlet Beta.",
    ]


def test_translation_with_original_title_is_not_flagged(tmp_path: Path) -> None:
    text = (
        "Translated from German by Jane Roe for Example Post. Original title: “Ein Titel”.\n\nBody."
    )
    article = _analyse(Article(text=text), tmp_path)
    assert "translation_without_original_title" not in [f.kind for f in _findings(article)]
    bare = _analyse(Article(text="Translated by Jane Roe for Example Post.\n\nBody."), tmp_path)
    (finding,) = [f for f in _findings(bare) if f.kind == "translation_without_original_title"]
    assert finding.evidence[0].text_of(bare.text) == "Translated by Jane Roe for Example Post."


@pytest.mark.parametrize(
    ("heading", "kind"),
    [("Editor's note:", "editor"), ("Translator’s comment:", "translator")],
)
def test_added_note_without_structure(tmp_path: Path, heading: str, kind: str) -> None:
    text = f"Body paragraph.\n\n{heading} This was added later.\n\nReprinted from Example Daily."
    article = _analyse(Article(text=text), tmp_path)
    (finding,) = [f for f in _findings(article) if f.kind == "republisher_added_section"]
    assert finding.attrs["note_kind"] == kind and finding.severity == "medium"
    assert finding.evidence[0].text_of(text).startswith(heading)


def test_low_rated_original_via_user_file(tmp_path: Path) -> None:
    user = tmp_path / "u.csv"
    user.write_text("domain,band\nold-source-newstrace.org,low\n")
    text = "Body.\n\nOriginally published at old-source-newstrace.org."
    article = ProvenanceAnnotator()(
        Article(
            text=text,
            blocks=[Block("body", 0, 5), Block("provenance_note", 7, len(text))],
            meta=Meta(publisher="Example Reposts"),
        )
    )
    article = OutletsAnnotator(Settings(data_dir=tmp_path, ratings_file=user))(article)
    (finding,) = [f for f in _findings(article) if f.kind == "low_reliability_original"]
    assert "rated by the user's ratings file" in finding.message
    assert finding.evidence[0].text_of(text) == "old-source-newstrace.org"


def test_a_described_source_is_flagged(tmp_path: Path) -> None:
    text = "Two soldiers were killed on Tuesday, officials said.\n\nSOURCE: News agencies"
    article = _analyse(Article(text=text), tmp_path)
    (finding,) = [f for f in _findings(article) if f.kind == "unnamed_declared_source"]
    assert finding.severity == "medium" and finding.attrs["described_as"] == "News agencies"
    assert finding.evidence[0].text_of(text) == "SOURCE: News agencies"
    named = _analyse(Article(text="Officials said so.\n\nSource: Reuters"), tmp_path)
    assert not [f for f in _findings(named) if f.kind == "unnamed_declared_source"]


def test_a_site_calling_itself_a_known_outlet_is_rated_as_itself(tmp_path: Path) -> None:
    # og:site_name says "Reuters"; the page is on another domain. The copy in hand is that
    # domain (unrated here), never Reuters with Reuters' ratings; a finding says so.
    text = "Shock claim about vaccines\n\nOfficials said the vaccine was withdrawn on Monday."
    article = Article(
        text=text,
        blocks=[Block("headline", 0, 26), Block("body", 28, len(text))],
        meta=Meta(publisher="Reuters", url="https://www.truth-patriot-news-example.com/x"),
    )
    article = _analyse(article, tmp_path)
    (this_copy,) = article.results["provenance"]["declared"]
    assert this_copy["domain"] == "truth-patriot-news-example.com"
    assert this_copy["outlet"] != "Reuters"
    outlets = article.results["outlets"]
    assert [o["domain"] for o in outlets] == ["truth-patriot-news-example.com"]
    assert outlets[0]["name"] != "Reuters"
    (finding,) = [f for f in _findings(article) if f.kind == "publisher_name_mismatch"]
    assert finding.attrs["claimed_domain"] == "reuters.com"
    assert finding.evidence[0].text_of(text) == "Shock claim about vaccines"
    # The outlet on its own domain raises nothing.
    own = Article(text=text, blocks=article.blocks,
                  meta=Meta(publisher="Reuters", url="https://www.reuters.com/world/x"))
    own = _analyse(own, tmp_path)
    assert not [f for f in _findings(own) if f.kind == "publisher_name_mismatch"]
    assert [o["domain"] for o in own.results["outlets"]] == ["reuters.com"]
