"""Reading: bad input gets its typed error, encodings decode, formats are sniffed."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from newstrace import errors
from newstrace.config import Settings
from newstrace.read import read_path, read_source
from newstrace.read.sniff import sniff_format

SETTINGS = Settings()
ARTICLE = (
    "Ministers Meet in Paris\n\n"
    "By Jane Roe\n\n"
    "The foreign ministers met in Paris on Monday, officials said. "
    "The café was closed for the day.\n"
)


def _raises(cls: type[errors.NewstraceError], fn, *args, **kwargs) -> errors.NewstraceError:
    with pytest.raises(cls) as info:
        fn(*args, **kwargs)
    exc = info.value
    assert type(exc) is cls
    assert "\n" not in exc.one_line() and exc.one_line()
    return exc


# --- bad input ---------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    exc = _raises(errors.InputNotFound, read_path, tmp_path / "nope.md", settings=SETTINGS)
    assert "does not exist" in exc.message and "nope.md" in exc.message


def test_directory(tmp_path: Path) -> None:
    exc = _raises(errors.InputIsDirectory, read_path, tmp_path, settings=SETTINGS)
    assert "directory" in exc.message


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", "\ufeff  \n".encode()])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    exc = _raises(errors.EmptyInput, read_path, path, settings=SETTINGS)
    assert "empty" in exc.message


def test_empty_stdin() -> None:
    _raises(errors.EmptyInput, read_source, b"  \n", settings=SETTINGS)
    _raises(errors.EmptyInput, read_source, "", settings=SETTINGS)


def test_html_without_text_is_empty() -> None:
    _raises(errors.EmptyInput, read_source, b"<html><body>  </body></html>", settings=SETTINGS)


def test_binary_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"abc\x00\x01\x02\x03\xff\xfe\x00\x07" * 50)
    exc = _raises(errors.BinaryInput, read_path, path, settings=SETTINGS)
    assert "NUL" in exc.message


def test_binary_control_bytes() -> None:
    data = bytes(range(1, 9)) * 200
    exc = _raises(errors.BinaryInput, read_source, data, settings=SETTINGS)
    assert "binary" in exc.message


def test_too_large_file_checked_by_size(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300)
    exc = _raises(errors.InputTooLarge, read_path, path, settings=Settings(max_bytes=1000))
    assert "1,500 bytes" in exc.message and "1,000-byte limit" in exc.message


def test_too_large_stdin() -> None:
    exc = _raises(errors.InputTooLarge, read_source, b"x" * 1001, settings=Settings(max_bytes=1000))
    assert "limit" in exc.message


def test_too_large_after_gunzip(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<p>" + b"a " * 5000 + b"</p>"))
    assert os.path.getsize(path) < 1000
    exc = _raises(errors.InputTooLarge, read_path, path, settings=Settings(max_bytes=1000))
    assert "decompressed" in exc.message


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "zip"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "OLE2"),
    ],
)
def test_unsupported_formats_by_magic(tmp_path: Path, head: bytes, name: str) -> None:
    path = tmp_path / "file.txt"  # the suffix lies; the magic bytes decide
    path.write_bytes(head + b"\x00rest of the file" * 20)
    exc = _raises(errors.UnsupportedFormat, read_path, path, settings=SETTINGS)
    assert name in exc.message


def test_unknown_explicit_format() -> None:
    exc = _raises(errors.UnsupportedFormat, read_source, ARTICLE, settings=SETTINGS, format="docx")
    assert "docx" in exc.message and "html" in exc.message


def test_bad_gzip_is_undecodable() -> None:
    data = b"\x1f\x8b\x08\x00garbage"
    exc = _raises(errors.UndecodableInput, read_source, data, settings=SETTINGS)
    assert "gzip" in exc.message


def test_wrong_bom_is_undecodable() -> None:
    # A UTF-16 BOM followed by an odd number of bytes cannot be UTF-16.
    _raises(errors.UndecodableInput, read_source, b"\xff\xfeA\x00B", settings=SETTINGS)


def test_errors_have_distinct_exit_codes() -> None:
    classes = [
        errors.InputNotFound,
        errors.InputIsDirectory,
        errors.EmptyInput,
        errors.BinaryInput,
        errors.InputTooLarge,
        errors.UnsupportedFormat,
        errors.UndecodableInput,
    ]
    assert len({c.exit_code for c in classes}) == len(classes)


# --- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE.encode("utf-8"),
        b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"),
        ARTICLE.encode("utf-16"),  # with BOM
        ARTICLE.encode("utf-16-le"),  # no BOM: NULs in every other byte
        ARTICLE.encode("utf-16-be"),
        ARTICLE.encode("cp1252"),
        ARTICLE.encode("utf-8").decode("cp1252").encode("utf-8"),  # mojibake
        ARTICLE.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1252", "mojibake", "crlf"],
)
def test_encodings(data: bytes) -> None:
    article = read_source(data, settings=SETTINGS)
    assert "The café was closed" in article.text
    assert "\r" not in article.text and "\ufeff" not in article.text
    assert article.text.startswith("Ministers Meet in Paris")


def test_cp1252_curly_quotes_and_html_charset() -> None:
    html = (
        '<html><head><meta charset="windows-1252"><title>Quotes</title></head><body>'
        "<article><p>He said \x93we will not accept it\x94 and left the room at once, "
        "officials said on Monday in a statement.</p></article></body></html>"
    ).encode("latin-1")
    article = read_source(html, settings=SETTINGS)
    assert "\u201cwe will not accept it\u201d" in article.text


def test_cyrillic_legacy_encoding() -> None:
    text = "Министры встретились в Париже в понедельник, сообщили официальные лица."
    article = read_source(text.encode("cp1251"), settings=SETTINGS)
    assert text in article.text


# --- formats, sources, links -------------------------------------------------------------


def test_stdin_bytes_and_str_agree() -> None:
    from_bytes = read_source(ARTICLE.encode(), settings=SETTINGS)
    from_str = read_source(ARTICLE, settings=SETTINGS)
    assert from_bytes.text == from_str.text
    assert from_bytes.id == from_str.id and len(from_bytes.id) == 16
    assert from_bytes.source == "-"


def test_id_is_stable_and_content_bound(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert read_path(path, settings=SETTINGS).id == read_source(ARTICLE, settings=SETTINGS).id
    assert read_source(ARTICLE + "x", settings=SETTINGS).id != read_path(path, settings=SETTINGS).id


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>Hi</p></body></html>", None, "html"),
        ("# Title\n\nSome [link](http://x.org) here.", None, "markdown"),
        ("Title\n\nA plain paragraph of text.", None, "text"),
        ("Title\n\nA plain paragraph of text.", "markdown", "markdown"),
        ("<html><body><p>x</p></body></html>", "text", "html"),
    ],
)
def test_sniff(text: str, hint: str | None, expected: str) -> None:
    assert sniff_format(text, hint) == expected


def test_file_suffix_and_explicit_format(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("Plain title\n\nText with *stars* in it.", encoding="utf-8")
    assert read_path(path, settings=SETTINGS).format == "markdown"
    assert read_path(path, settings=SETTINGS, format="text").format == "text"
    assert "*stars*" in read_path(path, settings=SETTINGS, format="text").text


def test_markdown_links_hard_breaks_and_emphasis() -> None:
    md = (
        "# Head\n\nBy [Ann Lee](https://a.example/ann)\n\n"
        "Outlet One, May 2, 2019  \n[Outlet Two](#) 1 May 2019\n\n"
        "*An italic paragraph with a [link](https://b.example) inside it.*\n\n---\n\nAfter."
    )
    article = read_source(md, settings=SETTINGS)
    links = {article.text[s.start : s.end]: s.attrs["url"] for s in article.layer("links")}
    assert links == {"Ann Lee": "https://a.example/ann", "Outlet Two": "#", "link": "https://b.example"}
    texts = [b.text_of(article.text) for b in article.blocks]
    assert "Outlet One, May 2, 2019\nOutlet Two 1 May 2019" in texts
    italic = next(b for b in article.blocks if b.text_of(article.text).startswith("An italic"))
    assert italic.attrs.get("emphasis") is True
    after = next(b for b in article.blocks if b.text_of(article.text) == "After.")
    assert after.attrs.get("after_rule") is True


def test_html_reader_keeps_headings_links_and_metadata() -> None:
    body = "".join(
        f"<p>Paragraph {n} of the report says the council voted on the plan, "
        f"according to <a href='https://src.example/{n}'>the minutes</a>.</p>"
        for n in range(6)
    )
    html = (
        "<html lang='en'><head><title>Council Votes on Plan</title>"
        "<meta name='author' content='Sam Poe'></head><body><article>"
        f"<h1>Council Votes on Plan</h1>{body}</article></body></html>"
    )
    article = read_source(html, settings=SETTINGS, url="https://news.example.co.uk/a/1")
    assert article.format == "html"
    assert article.blocks[0].attrs.get("heading_level") == 1
    assert article.text.startswith("Council Votes on Plan\n\nParagraph 0")
    links = article.layer("links")
    assert [article.text[s.start : s.end] for s in links] == ["the minutes"] * 6
    assert links[3].attrs["url"] == "https://src.example/3"
    assert article.meta.url == "https://news.example.co.uk/a/1"
    assert article.meta.language == "en"
    assert article.meta.authors == ["Sam Poe"]


def test_plain_text_reflows_wrapped_lines_and_keeps_short_ones() -> None:
    text = (
        "Headline Here\n\n"
        "This paragraph was hard-wrapped by an old mail client so that every\n"
        "line is long, and the break falls in the middle of a sen-\n"
        "tence.\n\n"
        "By Ann Lee\nMay 2, 2019\n"
    )
    article = read_source(text, settings=SETTINGS)
    blocks = [b.text_of(article.text) for b in article.blocks]
    assert blocks[1].endswith("so that every line is long, and the break falls in the middle "
                              "of a sen-tence.")
    assert blocks[2] == "By Ann Lee\nMay 2, 2019"


def test_html_title_loses_site_suffix_and_is_not_repeated() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {n} explains the gadget market in some detail for readers.</p>"
        for n in range(6)
    )
    html = (
        "<html><head><title>Best gadgets of the year | Gadget Weekly</title>"
        "<meta property='og:site_name' content='Gadget Weekly'></head><body><article>"
        f"<h1>Best gadgets of the year</h1>{paragraphs}</article></body></html>"
    )
    article = read_source(html, settings=SETTINGS)
    assert article.meta.title == "Best gadgets of the year"
    assert article.text.count("Best gadgets of the year") == 1


def test_markdown_html_block_keeps_a_less_than_sign_before_a_tag() -> None:
    # A tag holds no "<": "a < b" is text, only "<i>" and "</i>" are markup.
    from newstrace.read.markdown import read_markdown

    texts = [p.text for p in read_markdown("<div>Rates a < b <i>mostly</i></div>\n\nNext.")]
    assert texts == ["Rates a < b mostly", "Next."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!-- a -->\n<!-- b -->\n<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"),
        ("<!---->" * 60 + "Title\n\nA plain paragraph of text.", "text"),  # was 2**60 steps
        ("Title\n\nSee [the [report](http://x.org) here.\n\n# Head", "markdown"),
    ],
)
def test_sniff_comments_and_nested_brackets(text: str, expected: str) -> None:
    assert sniff_format(text) == expected
