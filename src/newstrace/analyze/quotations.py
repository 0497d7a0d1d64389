"""Where quotations run: the stretches of text inside double quotation marks.

One definition of "inside a quotation" for the attribution and claims annotators. A
quotation may run over several sentences and, by the printing convention, over several
paragraphs: a paragraph that ends with the quotation still open and a next paragraph that
opens with a quotation mark are one quotation ("“… first paragraph. ¶ “… second,” she said").

Typewriter double marks (``…'' and ''…'', as wire services and some archives write
them) are read as straight marks: :func:`plain_marks` rewrites each as one straight mark
and a space, which keeps every offset.

Only double marks count (“ ” « » and straight "): a single curly mark is also the
apostrophe, so it cannot delimit anything reliably. Curly marks nest by depth (an opener
inside an open quotation opens an inner one); straight marks toggle. The scan is one pass
over the text, so it is linear in its length. An opener inside an open quotation ends the
open one (its closer went missing); a quotation still open after 1,000 characters at its
paragraph's end was a stray mark.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from newstrace.data import Article

_OPENERS = "“«„"
_CLOSERS = "”»"
OPENING_MARKS = _OPENERS + '"'
#: The longest stretch an unclosed quotation may cover to its paragraph's end (about five
#: long sentences); a mark left open longer than that is a stray one.
_LONGEST_OPEN = 1000


def plain_marks(text: str) -> str:
    """``text`` with each typewriter double mark (two backticks, two apostrophes)
    written as a straight double mark and a space: the same length, so offsets into it
    are offsets into ``text``."""
    if "''" not in text and "``" not in text:
        return text
    return text.replace("``", '" ').replace("''", '" ')


@dataclass(slots=True)
class Quotation:
    """One quotation: its stretches of text, one per paragraph it spans (marks excluded)."""

    parts: list[tuple[int, int]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


def _paragraph_quotes(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], bool]:
    """The quoted stretches of one paragraph, and whether it ends with one still open."""
    parts: list[tuple[int, int]] = []
    depth, straight, opened = 0, False, -1
    for i in range(start, end):
        ch = text[i]
        if ch in _OPENERS:
            if depth and not straight and text[opened:i].strip():
                # An opener inside an open quotation: English nests with single marks, so
                # this is the previous quotation's closer gone missing; end it here.
                parts.append((opened, i))
                depth = 0
            if depth == 0 and not straight:
                opened = i + 1
            depth = 1
        elif ch in _CLOSERS and straight and not depth:
            straight = False  # opened straight, closed curly: one quotation, mixed marks
            parts.append((opened, i))
        elif ch in _CLOSERS and depth:
            depth -= 1
            if depth == 0 and not straight:
                parts.append((opened, i))
        elif ch == '"' and depth and not straight:
            depth = 0  # opened curly, closed straight ("“… like that," she said)
            parts.append((opened, i))
        elif ch == '"':
            straight = not straight
            if straight and depth == 0:
                opened = i + 1
            elif not straight and depth == 0:
                parts.append((opened, i))
    still_open = depth > 0 or straight
    if still_open and end - opened > _LONGEST_OPEN:
        # A quotation left open for pages is a stray mark (flattened text has one paragraph
        # for the whole article): it quotes nothing beyond its own sentence's reach.
        still_open = False
    elif still_open:
        parts.append((opened, end))
    return [(a, b) for a, b in parts if a < b], still_open


def _leading_closer(text: str, start: int, end: int) -> int:
    """Where a paragraph closes a quotation it never opened (a curly closer before any
    opener or straight mark), or -1."""
    for i in range(start, end):
        ch = text[i]
        if ch in _OPENERS or ch == '"':
            return -1
        if ch in _CLOSERS:
            return i
    return -1


#: How many unmarked paragraphs a quotation may run over before the one that closes it
#: (a prayer or a letter quoted in full: "“Lord, … ¶ … ¶ … Amen.”").
_MAX_UNMARKED = 12


def find_quotations(text: str, paragraphs: Iterable[tuple[int, int]]) -> list[Quotation]:
    """Every quotation in ``text``, given its paragraphs as (start, end) in text order."""
    out: list[Quotation] = []
    carried: Quotation | None = None  # a quotation left open by the previous paragraph
    skipped: list[tuple[int, int]] = []  # unmarked paragraphs after ``carried``
    for start, end in paragraphs:
        segment = text[start:end]
        lead = start + len(segment) - len(segment.lstrip())
        scan = start
        if carried is not None and text[lead : lead + 1] not in OPENING_MARKS:
            closer = _leading_closer(text, lead, end)
            if closer >= 0:
                # The paragraph closes the quotation opened paragraphs before.
                carried.parts.extend(skipped)
                carried.parts.append((lead, closer))
                carried, skipped, scan = None, [], closer + 1
            elif len(skipped) < _MAX_UNMARKED and not any(
                    ch in segment for ch in _OPENERS + _CLOSERS + '"'):
                skipped.append((lead, end))
                continue
            else:
                carried, skipped = None, []
        parts, still_open = _paragraph_quotes(text, scan, end)
        opens_paragraph = text[lead : lead + 1] in OPENING_MARKS
        next_carried: Quotation | None = None
        for k, part in enumerate(parts):
            if k == 0 and carried is not None and opens_paragraph and part[0] == lead + 1:
                carried.parts.append(part)
                quotation = carried
            else:
                quotation = Quotation([part])
                out.append(quotation)
            if k == len(parts) - 1 and still_open:
                next_carried = quotation
        carried, skipped = next_carried, []
    return out


class QuotationIndex:
    """Which quotation covers a stretch of text, by bisection over the quoted parts."""

    def __init__(self, text: str, quotations: list[Quotation]) -> None:
        self.text = text
        self.quotations = quotations
        self._parts = sorted((s, e, qi) for qi, q in enumerate(quotations) for s, e in q.parts)
        self._starts = [s for s, _, _ in self._parts]

    def _overlapping(self, start: int, end: int) -> Iterable[tuple[int, int, int]]:
        i = max(0, bisect_right(self._starts, start) - 1)
        while i < len(self._parts) and self._parts[i][0] < end:
            s, e, qi = self._parts[i]
            if e > start:
                yield s, e, qi
            i += 1

    def part_closing_before(self, at: int, slack: int = 4) -> tuple[int, int] | None:
        """The quoted part whose closing mark ends at most ``slack`` characters of spacing
        and punctuation before ``at`` ("“…,” she said": the part before "she")."""
        i = bisect_right(self._starts, at) - 1
        while i >= 0:
            s, e, _ = self._parts[i]
            if e <= at:
                gap = self.text[e:at]
                if len(gap) <= slack and not any(ch.isalnum() or ch == "\n" for ch in gap):
                    return s, e
                return None
            i -= 1
        return None

    def part_opening_after(self, at: int, slack: int = 4) -> tuple[int, int] | None:
        """The quoted part whose opening mark starts at most ``slack`` characters of spacing
        and punctuation after ``at`` ("she said: “…")."""
        i = bisect_right(self._starts, at)
        if i < len(self._parts):
            s, e, _ = self._parts[i]
            gap = self.text[at:s]
            if len(gap) <= slack and not any(ch.isalnum() or ch == "\n" for ch in gap):
                return s, e
        return None

    def quoted_share(self, start: int, end: int) -> float:
        """The share of the stretch's letters and digits that lie inside quotation marks."""
        total = sum(ch.isalnum() for ch in self.text[start:end])
        if not total:
            return 0.0
        inside = sum(
            sum(ch.isalnum() for ch in self.text[max(s, start) : min(e, end)])
            for s, e, _ in self._overlapping(start, end)
        )
        return inside / total

    def quotation_of(self, start: int, end: int) -> Quotation | None:
        """The quotation holding most of the stretch, when most of it is quoted."""
        if self.quoted_share(start, end) < 0.5:
            return None
        best: tuple[int, int] | None = None
        for s, e, qi in self._overlapping(start, end):
            size = min(e, end) - max(s, start)
            if best is None or size > best[0]:
                best = (size, qi)
        return self.quotations[best[1]] if best else None


def quotation_index(article: Article) -> QuotationIndex:
    """The quotations of an article whose blocks are its paragraphs, found once per
    article (the attribution and claims annotators both ask) and kept in its run-time
    cache, keyed by the text and blocks they were found in."""
    key = (len(article.text), tuple((b.start, b.end) for b in article.blocks))
    cached = article.cache.get("_quotations")
    if cached is None or cached[0] != key or cached[2] is not article.text:
        text = plain_marks(article.text)
        index = QuotationIndex(text, find_quotations(text, sorted(key[1])))
        cached = article.cache["_quotations"] = (key, index, article.text)
    return cached[1]
