"""Bytes → text, and which reader should parse it.

Everything here runs before any parser sees the input, so that a bad input fails fast with a
typed error and one-line message: a PDF or a zip is refused by its magic bytes, binary data
by its NUL and control bytes, and text in an unknown encoding is decoded by BOM, UTF-8,
the page's own charset declaration or charset-normalizer (in that order), then repaired with
ftfy when it is mojibake (UTF-8 read as cp1252 and saved again, the commonest damage).
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import unicodedata
import zlib

import ftfy

from newstrace.errors import (
    BinaryInput,
    EmptyInput,
    InputTooLarge,
    UndecodableInput,
    UnsupportedFormat,
)

FORMATS: tuple[str, ...] = ("html", "markdown", "text")

#: Explicit format names people type, mapped to the reader that handles them.
FORMAT_ALIASES: dict[str, str] = {
    "html": "html",
    "htm": "html",
    "xhtml": "html",
    "markdown": "markdown",
    "md": "markdown",
    "text": "text",
    "txt": "text",
    "plain": "text",
}

#: File-name suffixes that say what a file is; content sniffing decides otherwise.
SUFFIX_FORMATS: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}

#: Magic bytes of formats newstrace does not read (checked at offset 0 unless noted).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "zip archive (docx, epub, odt …)"),
    (b"PK\x05\x06", "zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 document (doc, xls …)"),
    (b"{\\rtf", "RTF document"),
    (b"%!PS", "PostScript document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"BM", "BMP image"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,  # the HTML and Markdown parsers own entity decoding
    uncurl_quotes=False,  # keep the article's own typography
    fix_latin_ligatures=False,
    fix_character_width=False,
    normalization="NFC",
    explain=False,
)

# The tag stops at "<" too (each "<meta" scans to the next tag, not to the end), and
# \s*+(?:["']\s*+)? is \s*["']?\s* without two runs of spaces splitting one run every way.
_CHARSET_DECL = re.compile(rb"""<meta[^<>]+charset\s*=\s*+(?:["']\s*+)?([A-Za-z0-9_.:-]+)""", re.I)


def normalise_format(fmt: str | None) -> str | None:
    """The reader name for an explicit ``fmt`` (None stays None = sniff)."""
    if fmt is None:
        return None
    found = FORMAT_ALIASES.get(fmt.strip().lower())
    if found is None:
        raise UnsupportedFormat(
            f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})", format=fmt
        )
    return found


def check_size(size: int, max_bytes: int, what: str) -> None:
    if size > max_bytes:
        raise InputTooLarge(
            f"{what} is {size:,} bytes, over the {max_bytes:,}-byte limit (max_bytes)",
            size=size,
            max_bytes=max_bytes,
        )


def refuse_magic(data: bytes, what: str) -> None:
    """Raise :class:`UnsupportedFormat` when ``data`` starts like a non-text file format."""
    head = data[:16]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            # "MZ"/"BM" are two letters a text could start with: demand binary bytes too.
            if len(magic) == 2 and not _looks_binary(data[:512]):
                continue
            raise UnsupportedFormat(f"{what} is a {name}, not an article (HTML, Markdown or text)")
    if head[4:8] == b"ftyp":
        raise UnsupportedFormat(f"{what} is an MP4/QuickTime media file, not an article")
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        raise UnsupportedFormat(f"{what} is a RIFF media file, not an article")


def maybe_gunzip(data: bytes, max_bytes: int, what: str) -> bytes:
    """Decompress a gzip file (saved pages are often stored ``.html.gz``), bounded in size."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise UndecodableInput(f"{what} looks gzip-compressed but cannot be read: {exc}") from exc
    check_size(len(out), max_bytes, f"{what} (decompressed)")
    return out


def _looks_binary(data: bytes) -> bool:
    if not data:
        return False
    if b"\x00" in data:
        return True
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(data) > 0.05


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM: NULs in every other byte of ASCII-range text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    codec = None
    if odd_nul > 0.4 and even_nul < 0.05:
        codec = "utf-16-le"
    elif even_nul > 0.4 and odd_nul < 0.05:
        codec = "utf-16-be"
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode(data: bytes, what: str = "input") -> str:
    """Decode ``data`` to text; raise a typed error for binary or undecodable input."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(data[len(bom) :].decode(codec), what)
            except UnicodeDecodeError as exc:
                raise UndecodableInput(f"{what} has a {codec} BOM but is not {codec}") from exc
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise BinaryInput(f"{what} contains NUL bytes: binary data, not text")
        return _finish(text, what)
    if _looks_binary(data[:65536]):
        raise BinaryInput(f"{what} is mostly control bytes: binary data, not text")
    try:
        return _finish(data.decode("utf-8"), what)
    except UnicodeDecodeError:
        pass
    declared = _CHARSET_DECL.search(data[:4096])
    if declared:
        try:
            return _finish(data.decode(declared.group(1).decode("ascii")), what)
        except (LookupError, UnicodeDecodeError):
            pass
    western = _western(data)
    if western is not None:
        return _finish(western, what)
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is not None and best.encoding:
        try:
            return _finish(data.decode(best.encoding), what)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        # cp1252 is the commonest legacy encoding of saved web pages.
        return _finish(data.decode("cp1252"), what)
    except UnicodeDecodeError as exc:
        raise UndecodableInput(f"{what} is not in any text encoding newstrace can detect") from exc


#: A UTF-8 lead byte read as cp1252/latin-1 followed by a continuation byte read the same
#: way ("Ã©", "â€™"): the signature of mojibake. ftfy is slow on a whole page, so it runs
#: only where this shows up.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122]"
)


def _western(data: bytes) -> str | None:
    """``data`` as cp1252 when that reads as mostly-ASCII Western text (a few accented
    letters and curly quotes), the commonest legacy page encoding; detectors guess wrong
    on short Western texts. Cyrillic or Greek legacy text is mostly non-ASCII letters and
    is left to the detector."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if c.isalpha()]
    foreign = sum(1 for c in letters if not c.isascii())
    return text if letters and foreign <= 0.3 * len(letters) else None


def _finish(text: str, what: str) -> str:
    """Repair mojibake, normalise line ends; refuse text that is still binary-like."""
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_text(text, _FTFY)
    else:
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    sample = text[:65536]
    if sample and sum(1 for c in sample if c < " " and c not in "\t\n\f\x1b") / len(sample) > 0.05:
        raise BinaryInput(f"{what} is mostly control characters: binary data, not text")
    if not text.strip():
        raise EmptyInput(f"{what} is empty (only whitespace)")
    return text


# One lazy .*? spans any number of comments (it did in (<!--.*?-->\s*)* too): the repeated
# group split k comments 2**k ways before failing, exponential in the comments.
_HTML_START = re.compile(
    r"^\s*+(?:<!--.*?-->\s*+)?<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
# Attributes stop at "<" too, so a run of "<p " with no ">" is not rescanned from each one.
_HTML_TAG = re.compile(
    r"</?(p|div|span|a|br|h[1-6]|article|section|body|head|title|meta|img|ul|li|table)\b[^<>]*>",
    re.I,
)
# Link text holds no "[" (as in CommonMark, "[a [b](c)" links "b"), and a target ends at
# the next "](": a run of "[" or of "[a](" with no closer is then not rescanned from each
# of them (quadratic).
_MD_TARGET = r"[^)\s\]]*+(?:\](?!\()[^)\s\]]*+)*+"
_MD_SIGNALS = (
    re.compile(r"^#{1,6}\s+\S", re.M),
    re.compile(rf"\[[^\[\]\n]++\]\({_MD_TARGET}\)"),
    re.compile(r"(^|\s)(\*|_)[^*_\s][^*_\n]*(\*|_)(\s|[.,;:!?]|$)", re.M),
    re.compile(r"\*\*[^*\n]+\*\*"),
    re.compile(r"^\s{0,3}(---+|\*\*\*+|___+)\s*$", re.M),
    re.compile(r"^>\s", re.M),
    re.compile(r"^\s{0,3}[-*+]\s+\S", re.M),
    re.compile(rf"!\[[^\[\]\n]*+\]\({_MD_TARGET}\)"),
)


def sniff_format(text: str, name_hint: str | None = None) -> str:
    """Guess html / markdown / text from the content (and a file suffix as a tie-breaker)."""
    head = text[:65536]
    if _HTML_START.match(head) or len(_HTML_TAG.findall(head)) >= 5:
        return "html"
    if name_hint in ("markdown", "html"):
        return name_hint
    signals = sum(1 for pattern in _MD_SIGNALS if pattern.search(head))
    if signals >= 2 or (signals == 1 and name_hint is None and _MD_SIGNALS[0].search(head)):
        return "markdown"
    return name_hint or "text"
