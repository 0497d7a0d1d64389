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
_HYPHEN_END = re.compile(r"([^\W\d_]+)-$")
_PLAIN_WORD = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*[,;]?$")  # a word, no dots
_LOWER_START = re.compile(r"^([^\W\d_]+)")


def _joinable(a: Unit, b: Unit) -> bool:
    return (
        a.kind in _JOINABLE
        and b.kind == a.kind
        and "heading_level" not in a.attrs
        and "heading_level" not in b.attrs
        and not b.attrs.get("after_rule")
        and not b.attrs.get("images_before")
    )


def repair(units: list[Unit]) -> list[Unit]:
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        start = _LOWER_START.match(unit.text)
        if prev is None or start is None or not start.group(1)[0].islower():
            out.append(unit)
            continue
        if not _joinable(prev, unit):
            out.append(unit)
            continue
        # Only plain words on both sides: "contact@site.org" / "www.site.org" are not
        # sentence halves.
        head = unit.text.split(None, 1)[0]
        tail = prev.text.rsplit(None, 1)[-1]
        if not _PLAIN_WORD.match(head):
            out.append(unit)
            continue
        hyphen = _HYPHEN_END.search(prev.text)
        if hyphen:
            glue, kind = "", "hyphenation"
            mark_start = hyphen.start(1)
        elif _PLAIN_WORD.match(tail):
            glue, kind = " ", "split_paragraph"
            # Mark the last word before the break through the first word after it.
            mark_start = max(prev.text.rfind(" ", 0, len(prev.text) - 1) + 1, 0)
        else:
            out.append(unit)
            continue
        original = prev.text[mark_start:] + "\n\n" + start.group(1)
        merged = prev.join(unit, glue)
        mark_end = len(prev.text) + len(glue) + start.end(1)
        merged.marks.append(
            Span(mark_start, mark_end, "repair", {"kind": kind, "original": original})
        )
        out[-1] = merged
    return out
