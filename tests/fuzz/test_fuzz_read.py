"""Property-based tests of the readers and the structure layer (``newstrace.load``):
hostile HTML, Markdown and text give an Article that keeps its invariants, or a typed
NewstraceError — never any other exception."""

from __future__ import annotations

import random
import time

import fuzzgen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newstrace
from newstrace.config import Settings
from newstrace.data import Article
from newstrace.errors import InputTooLarge, NewstraceError

FUZZ = settings.get_profile("newstrace-fuzz")
SETTINGS = Settings(max_bytes=2_000_000)
FORMATS = st.sampled_from([None, "html", "markdown", "text"])


def load_or_typed_error(source: str | bytes, fmt: str | None) -> Article | None:
    try:
        article = newstrace.load(source, format=fmt, settings=SETTINGS)
    except NewstraceError:
        return None
    check_article(article)
    return article


def check_article(article: Article) -> None:
    text = article.text
    previous_end = 0
    for block in article.blocks:
        assert previous_end <= block.start <= block.end <= len(text), "blocks overlap"
        previous_end = block.end
    for name, layer in article.spans.items():
        for span in layer:
            assert 0 <= span.start <= span.end <= len(text), f"{name} span outside text"
    for span in article.meta.evidence.values():
        assert span.end <= len(text)
    # What the CLI and the service write out must encode: no lone surrogates survive.
    text.encode("utf-8")


@settings(FUZZ, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1))
def test_generated_hostile_inputs(seed: int) -> None:
    source, fmt = fuzzgen.generate(random.Random(seed), max_size=200_000)
    load_or_typed_error(source, fmt)


@settings(FUZZ, max_examples=60)
@given(data=st.binary(max_size=3000), fmt=FORMATS)
def test_arbitrary_bytes(data: bytes, fmt: str | None) -> None:
    load_or_typed_error(data, fmt)


# Any code point, surrogates and controls included (hypothesis excludes Cs by default).
ANY_CHAR = st.characters(codec=None, exclude_categories=())


@settings(FUZZ, max_examples=60)
@given(text=st.text(ANY_CHAR, max_size=400), fmt=FORMATS)
def test_arbitrary_strings(text: str, fmt: str | None) -> None:
    load_or_typed_error(text, fmt)


@settings(FUZZ, max_examples=20)
@given(seed=st.integers(0, 2**32 - 1), fmt=FORMATS,
       kind=st.sampled_from(["html", "markdown", "text"]))
def test_mutated_seed_articles(seed: int, fmt: str | None, kind: str) -> None:
    rng = random.Random(seed)
    text = fuzzgen.mutate_text(fuzzgen.SEEDS[kind], rng, rng.randint(1, 30))
    load_or_typed_error(text, fmt)
    load_or_typed_error(fuzzgen.mutate_bytes(fuzzgen.to_bytes(text, rng), rng, 4), fmt)


MONSTERS = {
    "html nested 100 divs": fuzzgen.nested_html(100),
    "html nested 1000 tables, unclosed": fuzzgen.nested_html(1000, "table", close=False),
    "html 100 unclosed inline tags": "<b><i>" * 100 + "Officials said so.",
    "html 1 MB attribute": fuzzgen.giant_attribute(1_000_000),
    "markdown 100-level quote": "# H\n\n" + "> " * 100 + "He said it.\n",
    "markdown 100-level list": "# H\n\n" + "".join("  " * i + "- said\n" for i in range(100)),
    "markdown 100-level emphasis": "# H\n\n" + "*" * 100 + "x" + "*" * 100,
    "markdown 1000 open brackets": "# H\n\n" + "[" * 1000 + "x",
    "text 1 MB single line": "Headline\n\n" + "word " * 200_000,
    "text 1 MB of one letter": "a" * 1_000_000,
    "markdown 1 MB single line": "# H\n\n" + "said **x** " * 90_000,
    "text CR only": fuzzgen.SEED_TEXT.replace("\n", "\r"),
    "text CRLF/CR/LS mix": fuzzgen.SEED_TEXT.replace("\n\n", "\r\n\r\u2028").replace("\n", "\r"),
    "text NUL and controls": "Headline\x00\x01\n\n" + "Body\x07 said\x1b[31m red.\x00" * 50,
    "text RTL, bidi and combining": "\u202e" + fuzzgen.RTL * 50 + fuzzgen.COMBINING * 200,
    "text zero-width and emoji": (fuzzgen.ZERO_WIDTH + fuzzgen.EMOJI + " said ") * 300,
    "text lone surrogates": "Head\ud800line\n\nBody \udfff said the \ud83d mayor.",
    "bytes invalid UTF-8": b"Headline\n\nBody \xff\xfe said \xc0\xaf the \xed\xa0\x80 mayor.",
    "bytes UTF-16 without BOM": "Headline\n\nThe mayor said so.".encode("utf-16-le"),
}


@pytest.mark.parametrize("name", sorted(MONSTERS))
def test_structural_monsters(name: str) -> None:
    source = MONSTERS[name]
    natural = name.split()[0] if name.split()[0] in ("html", "markdown", "text") else None
    # Sniffed and read as what it is; the megabyte inputs only as what they are (markdown-it
    # alone spends several seconds on a 1 MB line: linear, but not free).
    for fmt in dict.fromkeys((natural,) if "1 MB" in name else (None, natural)):
        started = time.perf_counter()
        load_or_typed_error(source, fmt)
        # Linear work: a megabyte reads in seconds, not minutes, even on a loaded machine.
        assert time.perf_counter() - started < 60, (name, fmt)


def test_size_limit_applies_before_any_parsing(monkeypatch, tmp_path) -> None:
    import newstrace.read.html as html_reader
    import newstrace.read.markdown as md_reader
    import newstrace.read.text as text_reader

    def must_not_parse(*args, **kwargs):
        raise AssertionError("parsed an input over max_bytes")

    monkeypatch.setattr(html_reader, "read_html", must_not_parse)
    monkeypatch.setattr(md_reader, "read_markdown", must_not_parse)
    monkeypatch.setattr(text_reader, "read_text", must_not_parse)
    small = Settings(max_bytes=1000)
    page = "<html><body><p>" + "x" * 2000 + "</p></body></html>"
    for source in (page, page.encode(), "é" * 600):  # 600 chars but 1200 bytes
        with pytest.raises(InputTooLarge):
            newstrace.load(source, settings=small)
    path = tmp_path / "big.html"
    path.write_text(page)
    with pytest.raises(InputTooLarge):
        newstrace.load(path, settings=small)
    # A gzip bomb: small on disk, huge once inflated, refused while inflating.
    import gzip

    bomb = gzip.compress(b"<p>" + b"a" * 500_000)
    assert len(bomb) < 1000
    with pytest.raises(InputTooLarge):
        newstrace.load(bomb, settings=small)
