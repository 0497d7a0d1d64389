"""Markdown → pieces, with markdown-it-py (CommonMark plus tables and strikethrough).

Headings keep their level, an all-italic paragraph is marked ``emphasis``, links become
link spans over their text, images are noted on the piece they sit in (or the next one),
and a horizontal rule is noted on the piece after it (``after_rule``): exports of web pages
put page furniture behind such rules.
"""

from __future__ import annotations

import html
import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from newstrace.read.pieces import Piece, PieceBuilder

_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# A tag holds no "<": "a < b <i>" loses only "<i>", and a run of "<" with no ">" is not
# rescanned from each of them (quadratic).
_TAG = re.compile(r"<[^<>]+>")
_BR = re.compile(r"<br\s*/?>", re.I)


def read_markdown(text: str) -> list[Piece]:
    return _Walker().walk(_MD.parse(text))


class _Walker:
    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.containers: list[str] = []  # "item", "quote"
        self.pending: dict[str, Any] = {}
        self.row: list[str] = []

    def _emit(self, piece: Piece | None) -> None:
        if piece is None:
            return
        if self.pending:
            for key, value in self.pending.items():
                if key == "images":
                    piece.attrs.setdefault("images_before", []).extend(value)
                else:
                    piece.attrs[key] = value
            self.pending = {}
        self.pieces.append(piece)

    def _kind(self) -> str:
        if "quote" in self.containers:
            return "quote"
        if "item" in self.containers:
            return "item"
        return "paragraph"

    def walk(self, tokens: list[Token]) -> list[Piece]:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                level = int(tok.tag[1])
                self._emit(_inline(tokens[i + 1], "heading", heading_level=level))
                i += 3
                continue
            if kind == "paragraph_open":
                piece = _inline(tokens[i + 1], self._kind())
                images = _images(tokens[i + 1])
                if piece is None and images:
                    self.pending.setdefault("images", []).extend(images)
                else:
                    if piece is not None and images:
                        piece.attrs["images"] = images
                    self._emit(piece)
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open", "list_item_open"):
                if kind == "list_item_open":
                    self.containers.append("item")
            elif kind == "list_item_close":
                self.containers.pop()
            elif kind == "blockquote_open":
                self.containers.append("quote")
            elif kind == "blockquote_close":
                self.containers.pop()
            elif kind == "hr":
                self.pending["after_rule"] = True
            elif kind in ("fence", "code_block"):
                code = tok.content.strip("\n")
                self._emit(Piece(code, kind="code") if code.strip() else None)
            elif kind == "html_block":
                body = html.unescape(_TAG.sub(" ", _BR.sub("\n", tok.content)))
                builder = PieceBuilder()
                for n, line in enumerate(body.split("\n")):
                    if n:
                        builder.line_break()
                    builder.add(line)
                self._emit(builder.build(self._kind()))
            elif kind in ("tr_open",):
                self.row = []
            elif kind == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
                piece = _inline(tok, "cell")
                if piece is not None:
                    self.row.append(piece.text)
            elif kind == "tr_close" and self.row:
                self._emit(Piece(" | ".join(self.row), kind="table"))
            i += 1
        return self.pieces


def _images(inline: Token) -> list[str]:
    return [
        str(child.attrs.get("src", ""))
        for child in inline.children or []
        if child.type == "image"
    ]


def _inline(inline: Token, kind: str, **attrs: Any) -> Piece | None:
    builder = PieceBuilder()
    emphasis = strong = 0
    for child in inline.children or []:
        ctype = child.type
        if ctype == "text" or ctype == "code_inline":
            builder.add(child.content, emphasis=emphasis > 0, strong=strong > 0)
        elif ctype == "softbreak":
            builder.add(" ", emphasis=emphasis > 0, strong=strong > 0)
        elif ctype == "hardbreak":
            builder.line_break()
        elif ctype == "em_open":
            emphasis += 1
        elif ctype == "em_close":
            emphasis -= 1
        elif ctype == "strong_open":
            strong += 1
        elif ctype == "strong_close":
            strong -= 1
        elif ctype == "link_open":
            builder.open_link(str(child.attrs.get("href", "")))
        elif ctype == "link_close":
            builder.close_link()
        elif ctype == "html_inline" and _BR.fullmatch(child.content.strip()):
            builder.line_break()
        # images are collected by _images; their alt text is not article text
    return builder.build(kind, **attrs)
