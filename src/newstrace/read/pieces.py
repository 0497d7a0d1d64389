"""The readers' common output: pieces of text laid out into one Article.

Each reader (HTML, Markdown, plain text) turns its input into a list of :class:`Piece`:
a paragraph-like unit with its own text, the links inside it (offsets relative to the
piece) and layout hints (kind, heading level, emphasis, images). :func:`assemble` lays the
pieces out one after another, separated by a blank line, and gives every piece a
provisional ``body`` block; the structure layer then repairs and relabels them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from newstrace.data import Article, Block, Span

SEPARATOR = "\n\n"


@dataclass(slots=True)
class Piece:
    """A paragraph-like unit: ``text`` plus ``links`` as (start, end, url) within it."""

    text: str
    kind: str = "paragraph"  # paragraph, heading, item, quote, caption, table, code
    links: list[tuple[int, int, str]] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def clean_inline(text: str) -> str:
    """Collapse runs of spaces (keeping line breaks), drop zero-width and soft hyphens."""
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


class PieceBuilder:
    """Accumulates inline text and links for one piece, collapsing whitespace as it goes,
    so link offsets stay exact without a second pass."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self.links: list[tuple[int, int, str]] = []
        self._open: list[tuple[int, str]] = []
        self.emph_chars = 0
        self.strong_chars = 0
        self.visible_chars = 0

    @property
    def length(self) -> int:
        return self._len

    def _last_char(self) -> str:
        return self._parts[-1][-1] if self._parts and self._parts[-1] else ""

    def add(self, text: str, *, emphasis: bool = False, strong: bool = False) -> None:
        text = _SPACES.sub(" ", _ZERO_WIDTH.sub("", text.replace("\n", " ")))
        if not text:
            return
        last = self._last_char()
        if text.startswith(" ") and (not last or last in " \n"):
            text = text.lstrip(" ")
        if not text:
            return
        self._parts.append(text)
        self._len += len(text)
        visible = sum(1 for c in text if not c.isspace())
        self.visible_chars += visible
        if emphasis:
            self.emph_chars += visible
        if strong:
            self.strong_chars += visible

    def line_break(self) -> None:
        # A hard line break: drop trailing spaces first so lines stay clean.
        while self._parts and self._parts[-1].endswith(" "):
            self._parts[-1] = self._parts[-1][:-1]
            self._len -= 1
        if self._parts and self._last_char() != "\n":
            self._parts.append("\n")
            self._len += 1

    def open_link(self, url: str) -> None:
        self._open.append((self._len, url))

    def close_link(self) -> None:
        if not self._open:
            return
        start, url = self._open.pop()
        if self._len > start:
            self.links.append((start, self._len, url))

    def build(self, kind: str = "paragraph", **attrs: Any) -> Piece | None:
        raw = "".join(self._parts)
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if not text:
            return None
        links = []
        for s, e, u in self.links:
            # Trim whitespace at the link's edges so the span covers only its words.
            s, e = max(0, s - lead), min(len(text), e - lead)
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                links.append((s, e, u))
        if self.visible_chars and self.emph_chars >= 0.95 * self.visible_chars:
            attrs["emphasis"] = True
        if self.visible_chars and self.strong_chars >= 0.95 * self.visible_chars:
            attrs["strong"] = True
        return Piece(text=text, kind=kind, links=sorted(links), attrs=attrs)


def source_id(raw: bytes) -> str:
    """A stable article id: the first 16 hex digits of the SHA-1 of the raw input bytes."""
    return hashlib.sha1(raw).hexdigest()[:16]


def assemble(
    pieces: list[Piece],
    *,
    raw: bytes,
    fmt: str,
    source: str | None,
) -> Article:
    """Lay ``pieces`` out as one text; each becomes a provisional ``body`` block."""
    parts: list[str] = []
    blocks: list[Block] = []
    links: list[Span] = []
    offset = 0
    for piece in pieces:
        if not piece.text:
            continue
        if parts:
            parts.append(SEPARATOR)
            offset += len(SEPARATOR)
        parts.append(piece.text)
        attrs = {"kind": piece.kind, **piece.attrs}
        blocks.append(Block("body", offset, offset + len(piece.text), attrs))
        for start, end, url in piece.links:
            links.append(Span(offset + start, offset + end, "link", {"url": url}))
        offset += len(piece.text)
    article = Article(text="".join(parts), id=source_id(raw), source=source, format=fmt)
    article.blocks = blocks
    article.set_layer("links", links)
    return article
