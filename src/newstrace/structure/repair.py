"""Layout repair: text that a page break or an export split across blocks.

Two kinds of damage are mended, each only between two plain paragraphs:

- a word hyphenated across a blank line ("newly-" / "arrived") is rejoined as one word
  ("newly-arrived"): the first block ends in letter + hyphen, the next starts lower-case;
- a sentence split across a blank line (a caption cut in two, say) is rejoined with a
  space: the first block ends without closing punctuation, the next starts lower-case.

Every repair leaves a mark (a ``repair`` span over the rejoined words, with the original
text) so the report can show what was changed.
"""

from __future__ import annotations

import re

from newstrace.data import Span
from newstrace.structure.layout import Unit

_JOINABLE = frozenset({"paragraph", "caption", "quote"})
# From the first letter of a word only: a bare [^\W\d_]+ is retried from every letter of a
# long word that does not end in "-" (quadratic).
_HYPHEN_END = re.compile(r"(?<![^\W\d_])([^\W\d_]++)-$")
_PLAIN_WORD = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*[,;]?$")  # a word, no dots
_FIRST_TOKEN = re.compile(r"^\w+")
_DANGLING = re.compile(r"^(?:and|or|but|nor|the|a|an|of|to|in|with|for|from|by|as)$", re.I)


def _joinable(a: Unit, b: Unit) -> bool:
    return (
        a.kind in _JOINABLE
        and b.kind == a.kind
        and "heading_level" not in a.attrs
        and "heading_level" not in b.attrs
        and not b.attrs.get("after_rule")
        and not b.attrs.get("images_before")
    )


def _glue(prev: Unit, unit: Unit) -> tuple[str, str, int, int] | None:
    """(glue, kind, mark start in prev, mark end in unit) when ``unit`` continues ``prev``."""
    if not _joinable(prev, unit):
        return None
    # Only plain words on both sides: "contact@site.org" / "www.site.org" are not
    # sentence halves.
    head = unit.text.split(None, 1)[0]
    tail = prev.text.rsplit(None, 1)[-1]
    first = _FIRST_TOKEN.match(unit.text)
    if first is None:
        return None
    lower_word = _PLAIN_WORD.match(head) is not None and head[0].islower()
    word_start = max(prev.text.rfind(" ", 0, len(prev.text) - 1) + 1, 0)
    if lower_word:
        hyphen = _HYPHEN_END.search(prev.text)
        if hyphen:
            return "", "hyphenation", hyphen.start(1), first.end()
        if _PLAIN_WORD.match(tail):
            return " ", "split_paragraph", word_start, first.end()
    elif _DANGLING.match(tail):
        # A block cannot end on "and" / "of": whatever follows completes it.
        return " ", "split_paragraph", word_start, first.end()
    return None


def repair(units: list[Unit]) -> list[Unit]:
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        found = _glue(prev, unit) if prev is not None else None
        if prev is None or found is None:
            out.append(unit)
            continue
        glue, kind, mark_start, head_end = found
        original = prev.text[mark_start:] + "\n\n" + unit.text[:head_end]
        merged = prev.join(unit, glue)
        mark_end = len(prev.text) + len(glue) + head_end
        merged.marks.append(
            Span(mark_start, mark_end, "repair", {"kind": kind, "original": original})
        )
        out[-1] = merged
    return out
