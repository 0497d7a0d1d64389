"""Plain text → pieces: paragraphs are separated by blank lines.

Inside a paragraph, hard-wrapped prose (every line but the last long) is re-flowed into one
line; short lines (a byline over a dateline, a list of tags) keep their line breaks, which
the structure layer reads line by line.
"""

from __future__ import annotations

import re

from newstrace.read.pieces import Piece, PieceBuilder

_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n+")
_WRAP_MIN = 55  # a line this long that ends mid-sentence is taken as hard-wrapped


def read_text(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    for chunk in _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        builder = PieceBuilder()
        wrapped = len(lines) > 1 and all(len(line) >= _WRAP_MIN for line in lines[:-1])
        for n, line in enumerate(lines):
            if n:
                prev = lines[n - 1]
                if not wrapped:
                    builder.line_break()
                elif not (prev.endswith("-") and line[:1].islower()):
                    builder.add(" ")
            builder.add(line)
        piece = builder.build("paragraph")
        if piece is not None:
            pieces.append(piece)
    return pieces
