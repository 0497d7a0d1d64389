"""Side-by-side comparison of two copies of a story, paragraph by paragraph.

Paragraphs are aligned first (so a moved or dropped paragraph shows as a gap, not as a
wall of changes), then changed paragraph pairs are compared word by word. The output is
plain data — (text, changed) pieces — and the template escapes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

#: Longest text compared word by word; past it a paragraph pair is shown as replaced.
MAX_WORDS = 4000

Piece = tuple[str, bool]


@dataclass(slots=True)
class Row:
    tag: str  # equal, replace, delete (only left), insert (only right)
    left: list[Piece] = field(default_factory=list)
    right: list[Piece] = field(default_factory=list)


def paragraphs(text: str) -> list[str]:
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "")]
    return [p for p in parts if p]


def _words(paragraph: str) -> list[str]:
    return re.findall(r"\S+\s*", paragraph)


def _word_diff(left: str, right: str) -> tuple[list[Piece], list[Piece]]:
    a, b = _words(left), _words(right)
    if len(a) > MAX_WORDS or len(b) > MAX_WORDS:
        return [(left, True)], [(right, True)]
    out_a: list[Piece] = []
    out_b: list[Piece] = []
    # Compare the words without their trailing space (a paragraph's last word has none).
    keys_a, keys_b = [w.rstrip() for w in a], [w.rstrip() for w in b]
    for tag, i1, i2, j1, j2 in SequenceMatcher(
        None, keys_a, keys_b, autojunk=False
    ).get_opcodes():
        same = tag == "equal"
        if i2 > i1:
            out_a.append(("".join(a[i1:i2]), not same))
        if j2 > j1:
            out_b.append(("".join(b[j1:j2]), not same))
    return out_a, out_b


def side_by_side(left_text: str, right_text: str) -> list[Row]:
    left, right = paragraphs(left_text), paragraphs(right_text)
    rows: list[Row] = []
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(Row("equal", [(p, False)], [(p, False)]) for p in left[i1:i2])
            continue
        pairs = max(i2 - i1, j2 - j1)
        for k in range(pairs):
            lp = left[i1 + k] if i1 + k < i2 else None
            rp = right[j1 + k] if j1 + k < j2 else None
            if lp is not None and rp is not None:
                pieces_l, pieces_r = _word_diff(lp, rp)
                rows.append(Row("replace", pieces_l, pieces_r))
            elif lp is not None:
                rows.append(Row("delete", [(lp, True)], []))
            elif rp is not None:
                rows.append(Row("insert", [], [(rp, True)]))
    return rows


def similarity(rows: list[Row]) -> float:
    """Share of characters (both sides) that are unchanged, 0..1."""
    same = total = 0
    for row in rows:
        for text, changed in (*row.left, *row.right):
            total += len(text)
            same += 0 if changed else len(text)
    return same / total if total else 1.0
