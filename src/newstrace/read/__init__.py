"""Reading: a file, bytes or a string → an :class:`~newstrace.data.Article`.

``read_path`` and ``read_source`` check size and magic bytes before anything is parsed,
decode the bytes (BOMs, UTF-8, declared charset, detection, mojibake repair), pick a reader
(explicit ``format`` or sniffed) and lay the reader's pieces out as the article's text with
provisional blocks and link spans. :func:`newstrace.structure.structure` does the rest.
"""

from __future__ import annotations

from pathlib import Path

from newstrace.config import Settings
from newstrace.data import Article
from newstrace.errors import EmptyInput, InputIsDirectory, InputNotFound, UndecodableInput
from newstrace.read.pieces import Piece, assemble
from newstrace.read.sniff import (
    SUFFIX_FORMATS,
    check_size,
    decode,
    maybe_gunzip,
    normalise_format,
    refuse_magic,
    sniff_format,
)

__all__ = ["read_path", "read_source"]


def read_path(path: Path, *, settings: Settings, format: str | None = None) -> Article:
    """Read the article in the file at ``path``."""
    path = Path(path)
    fmt = normalise_format(format)
    what = str(path)
    try:
        if path.is_dir():
            raise InputIsDirectory(f"{what} is a directory, not an article file")
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise InputNotFound(f"{what} does not exist") from exc
    except OSError as exc:
        raise InputNotFound(f"{what} cannot be opened: {exc.strerror or exc}") from exc
    check_size(size, settings.max_bytes, what)
    try:
        with path.open("rb") as handle:
            # Bounded read: a file that grew since stat() still cannot exceed the limit.
            raw = handle.read(settings.max_bytes + 1)
    except IsADirectoryError as exc:
        raise InputIsDirectory(f"{what} is a directory, not an article file") from exc
    except OSError as exc:
        raise InputNotFound(f"{what} cannot be read: {exc.strerror or exc}") from exc
    check_size(len(raw), settings.max_bytes, what)
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    hint = SUFFIX_FORMATS.get(suffixes[-1]) if suffixes else None
    return _read_bytes(raw, settings=settings, fmt=fmt, hint=hint, source=what, url=None)


def read_source(
    source: str | bytes,
    *,
    settings: Settings,
    format: str | None = None,
    url: str | None = None,
) -> Article:
    """Read an article given as its content (bytes from stdin or a string)."""
    fmt = normalise_format(format)
    if isinstance(source, str):
        raw = source.encode("utf-8", errors="surrogatepass")
    elif isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
    else:
        raise UndecodableInput(f"cannot read an article from a {type(source).__name__}")
    check_size(len(raw), settings.max_bytes, "input")
    return _read_bytes(raw, settings=settings, fmt=fmt, hint=None, source="-", url=url)


def _read_bytes(
    raw: bytes,
    *,
    settings: Settings,
    fmt: str | None,
    hint: str | None,
    source: str | None,
    url: str | None,
) -> Article:
    what = "input" if source in (None, "-") else str(source)
    if not raw.strip():
        raise EmptyInput(f"{what} is empty")
    refuse_magic(raw, what)
    data = maybe_gunzip(raw, settings.max_bytes, what)
    if data is not raw:
        if not data.strip():
            raise EmptyInput(f"{what} is empty (after decompression)")
        refuse_magic(data, what)
    text = decode(data, what)
    fmt = fmt or sniff_format(text, hint)
    meta = None
    description = None
    pieces: list[Piece]
    if fmt == "html":
        from newstrace.read.html import read_html

        result = read_html(text, url=url)
        pieces, meta, description = result.pieces, result.meta, result.description
    elif fmt == "markdown":
        from newstrace.read.markdown import read_markdown

        pieces = read_markdown(text)
    else:
        from newstrace.read.text import read_text

        pieces = read_text(text)
    if not pieces:
        raise EmptyInput(f"{what} has no article text ({fmt})")
    article = assemble(pieces, raw=raw, fmt=fmt, source=source)
    if meta is not None:
        article.meta = meta
    if url and not article.meta.url:
        article.meta.url = url
    if description:
        article.cache["description"] = description
    return article
