"""Block roles on excerpts of real pages (tests/data/pages), checked against hand-checked
role lists, plus the metadata each page states."""

from __future__ import annotations

from pathlib import Path

import pytest

import newstrace
from newstrace.data import BLOCK_ROLES

PAGES = Path(__file__).resolve().parent / "data" / "pages"
FIXTURES = sorted(
    p for p in PAGES.iterdir() if p.suffix != ".roles" and p.with_suffix(".roles").is_file()
)


def _expected(path: Path) -> list[tuple[str, bool, str]]:
    out = []
    for line in path.with_suffix(".roles").read_text(encoding="utf-8").splitlines():
        role, prefix = line.split("\t", 1)
        known_miss = role.endswith("!")
        role = role.rstrip("!")
        assert role in BLOCK_ROLES, f"bad role {role!r} in {path.name}.roles"
        out.append((role, known_miss, prefix))
    return out


def test_enough_real_pages() -> None:
    assert len(FIXTURES) >= 10
    assert {p.suffix for p in FIXTURES} >= {".txt", ".html"}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_roles_on_real_page(path: Path) -> None:
    article = newstrace.load(path)
    expected = _expected(path)
    got = [(b.role, b.text_of(article.text)) for b in article.blocks]
    assert len(got) == len(expected), [r for r, _ in got]
    misses = []
    for (role, text), (want, known_miss, prefix) in zip(got, expected, strict=True):
        assert text.replace("\n", " ").startswith(prefix), (text[:60], prefix)
        if known_miss:
            misses.append((want, role, prefix))
            continue
        assert role == want, (prefix, role, want)
    if misses:
        print(f"{path.name}: known misses (want, got, text): {misses}")
    # Most of a page must be read right without exceptions.
    assert len(misses) <= len(expected) // 2


def test_html_pages_state_their_metadata() -> None:
    article = newstrace.load(PAGES / "html-credit-captions.html")
    meta = article.meta
    assert meta.publisher == "The Real Deal New York"
    assert meta.published == "2019-11-18"
    assert meta.domain == "therealdeal.com"
    assert meta.url and meta.url.startswith("https://therealdeal.com/")
    assert meta.language == "en"
    assert "David Jeans" in meta.authors


def test_wire_credit_names_the_reporters_not_the_editor() -> None:
    article = newstrace.load(PAGES / "polnear-wire-credit.txt")
    assert article.meta.authors == ["Valerie Volcovici", "Lawrence Hurley"]
    byline = next(article.blocks_with("byline"))
    assert article.text[article.meta.evidence["authors"].start :].startswith("(Reporting by")
    assert byline.attrs["names"] == article.meta.authors


def test_blog_repost_declares_its_source_and_aside() -> None:
    article = newstrace.load(PAGES / "fnc-blog-repost.txt")
    note = next(article.blocks_with("provenance_note"))
    assert note.text_of(article.text) == "from RT"
    aside = next(article.blocks_with("editor_note"))
    assert aside.text_of(article.text).startswith("(Imagine that")
    assert article.meta.authors == ["willyloman"]
    body = article.body_text()
    assert "Share this" not in body and "Filed under" not in body


def test_captions_are_not_body() -> None:
    for name in ("html-credit-captions.html", "fnc-photo-caption.txt", "html-wire-gallery.html"):
        article = newstrace.load(PAGES / name)
        body = article.body_text()
        assert "Getty Images" not in body and "Photo:" not in body and "(Photo" not in body
        assert list(article.blocks_with("caption"))
