"""Passage alignment of two articles: what they share, what only one has, what was rewritten.

Seeds are word 4-grams present in both articles' countable text (page furniture excluded,
see :mod:`newstrace.trace.shingles`). Seeds on the same diagonal merge across small gaps
(a typo or a changed number breaks a few seeds, not the passage), and runs on nearby
diagonals merge across small insertions and deletions. Each stretch of either text belongs
to at most one shared passage (longest first), so repeated sentences do not double count.
Offsets are characters in each article's ``text``; words are compared case-folded, so
whitespace, punctuation and case never matter.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newstrace.analyze.lexicon import find_hedges
from newstrace.data import Article
from newstrace.trace.shingles import paragraphs, shingle_hashes, word_hashes, word_spans


def _hedges(words: list[str]) -> set[str]:
    """Hedges (resources/lexicons/hedges.txt, the one list the claims annotator uses too)
    in a run of case-folded words; phrases ("it is believed") count as one."""
    return {term for _, _, term in find_hedges(" ".join(words))} if words else set()


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th|s|m|bn|k)?")


@dataclass(slots=True)
class Tokens:
    """An article's countable words: normalised form, character offsets, paragraph index and
    region (a region ends wherever excluded page furniture sat between two paragraphs)."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    para: list[int]
    region: list[int]
    para_roles: list[str]
    para_spans: list[tuple[int, int]]
    hashes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint32))


def tokenize(article: Article) -> Tokens:
    paras = paragraphs(article)
    text = article.text
    out = Tokens([], [], [], [], [], [p.role for p in paras], [(p.start, p.end) for p in paras])
    region = 0
    prev_end = 0
    excluded = [(b.start, b.end) for b in article.blocks if b.role not in _countable_roles(article)]
    for index, p in enumerate(paras):
        if any(prev_end <= s and e <= p.start for s, e in excluded):
            region += 1
        prev_end = p.end
        for word, start, end in word_spans(text, p.start, p.end):
            out.words.append(word)
            out.starts.append(start)
            out.ends.append(end)
            out.para.append(index)
            out.region.append(region)
    out.hashes = word_hashes(out.words)
    return out


def _countable_roles(article: Article) -> set[str]:
    from newstrace.trace.shingles import EXCLUDED_ROLES

    return {b.role for b in article.blocks} - EXCLUDED_ROLES


@dataclass(slots=True)
class Passage:
    """A stretch of text shared by both articles (or, with one side None, only in one)."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int
    similarity: float  # word-level similarity of the two sides (1.0 = identical words)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a_start": self.a_start,
            "a_end": self.a_end,
            "b_start": self.b_start,
            "b_end": self.b_end,
            "words": self.words,
            "similarity": round(self.similarity, 4),
        }


@dataclass(slots=True)
class Rewrite:
    """A change between the two sides: ``kind`` is headline, first_paragraph, number, name,
    hedge_added, hedge_removed (read from a to b) or wording."""

    kind: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str

    def flipped(self) -> Rewrite:
        kind = {"hedge_added": "hedge_removed", "hedge_removed": "hedge_added"}.get(
            self.kind, self.kind
        )
        return Rewrite(
            kind, self.b_start, self.b_end, self.a_start, self.a_end, self.b_text, self.a_text
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "a": {"text": self.a_text, "start": self.a_start, "end": self.a_end},
            "b": {"text": self.b_text, "start": self.b_start, "end": self.b_end},
        }


@dataclass(slots=True)
class Alignment:
    shared: list[Passage] = field(default_factory=list)
    only_a: list[tuple[int, int]] = field(default_factory=list)
    only_b: list[tuple[int, int]] = field(default_factory=list)
    rewrites: list[Rewrite] = field(default_factory=list)
    words_a: int = 0
    words_b: int = 0
    shared_words_a: int = 0
    shared_words_b: int = 0
    #: Shared words inside body-like paragraphs (body, dek, caption), the smaller side.
    shared_body_words: int = 0

    @property
    def shared_fraction_a(self) -> float:
        return self.shared_words_a / self.words_a if self.words_a else 0.0

    @property
    def shared_fraction_b(self) -> float:
        return self.shared_words_b / self.words_b if self.words_b else 0.0

    @property
    def shared_words(self) -> int:
        return min(self.shared_words_a, self.shared_words_b)


@dataclass(slots=True)
class _Run:
    a0: int
    a1: int  # exclusive, in words
    b0: int
    b1: int
    hits: int  # seed words covered


def align(
    a: Article,
    b: Article,
    *,
    seed: int = 4,
    gap: int = 8,
    min_words: int = 10,
    min_body_words: int = 0,
    tokens_a: Tokens | None = None,
    tokens_b: Tokens | None = None,
    rewrites: bool = True,
) -> Alignment:
    """Align ``a`` and ``b``: shared passages (≥ ``min_words`` words), one-sided passages
    and rewrites. When fewer than ``min_body_words`` body words are shared the result is
    returned early, with counts but no passages (the pair is not related). Pass
    pre-computed :class:`Tokens` when aligning one article many times."""
    ta = tokens_a or tokenize(a)
    tb = tokens_b or tokenize(b)
    result = Alignment(words_a=len(ta.words), words_b=len(tb.words))
    runs = _runs(ta.hashes, tb.hashes, seed, gap)
    runs = [r for r in runs if r.hits >= 0.5 * min(r.a1 - r.a0, r.b1 - r.b0)]
    runs = sorted(_one_to_one(runs), key=lambda r: r.a0)
    # Cheap first estimate from long runs only: most candidate pairs stop here.
    covered_a = np.zeros(len(ta.words), dtype=bool)
    covered_b = np.zeros(len(tb.words), dtype=bool)
    for r in runs:
        if min(r.a1 - r.a0, r.b1 - r.b0) < min_words:
            continue
        covered_a[r.a0 : r.a1] = True
        covered_b[r.b0 : r.b1] = True
    result.shared_words_a = int(covered_a.sum())
    result.shared_words_b = int(covered_b.sum())
    result.shared_body_words = min(_body_count(ta, covered_a), _body_count(tb, covered_b))
    if result.shared_body_words < min_body_words:
        return result
    covered_a[:] = False
    covered_b[:] = False
    for r in runs:
        matcher = difflib.SequenceMatcher(
            None, ta.words[r.a0 : r.a1], tb.words[r.b0 : r.b1], autojunk=False
        )
        for piece in _pieces(r, matcher.get_opcodes(), ta, tb):
            a0, a1, b0, b1, ops = piece
            # Short pieces count only when they are a whole paragraph on both sides (an
            # unchanged headline), never as a fragment of one.
            if min(a1 - a0, b1 - b0) < min_words and not (
                _is_paragraph(ta, a0, a1) and _is_paragraph(tb, b0, b1) and a1 - a0 >= 3
            ):
                continue
            same = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
            result.shared.append(
                Passage(
                    ta.starts[a0],
                    ta.ends[a1 - 1],
                    tb.starts[b0],
                    tb.ends[b1 - 1],
                    min(a1 - a0, b1 - b0),
                    2.0 * same / ((a1 - a0) + (b1 - b0)),
                )
            )
            covered_a[a0:a1] = True
            covered_b[b0:b1] = True
            if rewrites:
                result.rewrites.extend(_inline_rewrites(a, b, ta, tb, r, ops))
    result.shared_words_a = int(covered_a.sum())
    result.shared_words_b = int(covered_b.sum())
    result.shared_body_words = min(_body_count(ta, covered_a), _body_count(tb, covered_b))
    result.only_a = _uncovered(ta, covered_a)
    result.only_b = _uncovered(tb, covered_b)
    if rewrites and result.shared:
        result.rewrites[:0] = _block_rewrites(a, b, ta, tb)
    return result


def _runs(ha: np.ndarray, hb: np.ndarray, k: int, gap: int) -> list[_Run]:
    """Shared runs from word k-gram seeds, vectorised up to the chaining of segments."""
    if len(ha) < k or len(hb) < k:
        return []
    ga = shingle_hashes(ha, k)
    gb = shingle_hashes(hb, k)
    order_b = np.argsort(gb, kind="stable")
    sorted_b = gb[order_b]
    lo = np.searchsorted(sorted_b, ga, "left")
    hi = np.searchsorted(sorted_b, ga, "right")
    count = hi - lo
    count[count > 8] = 0  # a k-gram repeated more often carries no position
    if not count.any():
        return []
    i = np.repeat(np.arange(len(ga)), count)
    first = np.repeat(lo, count)
    within = np.arange(len(i)) - np.repeat(np.cumsum(count) - count, count)
    j = order_b[first + within]
    d = j - i
    order = np.lexsort((i, d))
    i, d = i[order], d[order]
    # Same-diagonal seeds merge across gaps of up to `gap` words (typos, changed numbers).
    step = np.diff(i)
    brk = np.concatenate(([True], (np.diff(d) != 0) | (step > gap)))
    contrib = np.where(brk, k, np.minimum(k, np.concatenate(([k], step))))
    starts = np.flatnonzero(brk)
    ends = np.concatenate((starts[1:], [len(i)])) - 1
    hits = np.add.reduceat(contrib, starts)
    segments = [
        _Run(int(i[s]), int(i[e]) + k, int(i[s] + d[s]), int(i[e] + d[s]) + k, int(h))
        for s, e, h in zip(starts.tolist(), ends.tolist(), hits.tolist(), strict=True)
    ]
    # Nearby diagonals merge across small insertions/deletions, in text order of a.
    segments.sort(key=lambda r: (r.a0, r.b0))
    chains: list[_Run] = []
    for s in segments:
        best = None
        for c in reversed(chains[-12:]):
            if (
                s.a0 <= c.a1 + gap
                and c.b0 <= s.b0 <= c.b1 + gap
                and abs((s.b0 - s.a0) - (c.b0 - c.a0)) <= 2 * gap
            ):
                best = c
                break
        if best is None:
            chains.append(_Run(s.a0, s.a1, s.b0, s.b1, s.hits))
        else:
            overlap = max(0, best.a1 - s.a0)
            best.hits += max(0, s.hits - overlap)
            best.a1 = max(best.a1, s.a1)
            best.b1 = max(best.b1, s.b1)
    return chains


def _one_to_one(runs: list[_Run]) -> list[_Run]:
    kept: list[_Run] = []
    for r in sorted(runs, key=lambda r: -(r.a1 - r.a0)):
        if any((r.a0 < k.a1 and k.a0 < r.a1) or (r.b0 < k.b1 and k.b0 < r.b1) for k in kept):
            continue
        kept.append(r)
    return kept


#: Paragraph roles whose shared text makes two articles related; a headline, byline or a
#: stock editor's note shared alone does not.
BODY_ROLES: frozenset[str] = frozenset({"body", "dek", "caption"})


def _body_count(t: Tokens, covered: np.ndarray) -> int:
    if not covered.any():
        return 0
    body = np.array([t.para_roles[p] in BODY_ROLES for p in range(len(t.para_roles))])
    return int(covered[body[np.asarray(t.para)]].sum())


def _uncovered(t: Tokens, covered: np.ndarray, min_words: int = 3) -> list[tuple[int, int]]:
    """Character spans of runs of uncovered words within one paragraph."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(t.words)
    while i < n:
        if covered[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and not covered[j + 1] and t.para[j + 1] == t.para[i]:
            j += 1
        if j - i + 1 >= min_words:
            spans.append((t.starts[i], t.ends[j]))
        i = j + 1
    return spans


Opcode = tuple[str, int, int, int, int]


def _pieces(
    r: _Run, opcodes: list[Opcode], ta: Tokens, tb: Tokens
) -> list[tuple[int, int, int, int, list[Opcode]]]:
    """Split a run where one side has a whole paragraph the other lacks (a byline, an
    inserted note, a replaced headline) or where page furniture sat between paragraphs on
    either side: a shared passage never contains such text. Each piece starts and ends on
    equal words; offsets are absolute word indexes."""
    out = []
    current: list[Opcode] = []
    for op in [*_region_split(r, opcodes, ta, tb), ("cut", 0, 0, 0, 0)]:
        tag, i1, i2, j1, j2 = op
        cut = tag in ("cut", "region") or (
            tag != "equal"
            and (
                _whole_paragraph(ta, r.a0 + i1, r.a0 + i2)
                or _whole_paragraph(tb, r.b0 + j1, r.b0 + j2)
            )
        )
        if not cut:
            current.append(op)
            continue
        while current and current[0][0] != "equal":
            current.pop(0)
        while current and current[-1][0] != "equal":
            current.pop()
        if current:
            out.append(
                (
                    r.a0 + current[0][1],
                    r.a0 + current[-1][2],
                    r.b0 + current[0][3],
                    r.b0 + current[-1][4],
                    current,
                )
            )
        current = []
    return out


def _region_split(r: _Run, opcodes: list[Opcode], ta: Tokens, tb: Tokens) -> list[Opcode]:
    """Opcodes with a ("region", …) marker wherever either side crosses page furniture."""
    out: list[Opcode] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "equal":
            crosses = _crosses(ta, r.a0 + i1, r.a0 + i2) or _crosses(tb, r.b0 + j1, r.b0 + j2)
            out.append(("region" if crosses else tag, i1, i2, j1, j2))
            continue
        start = 0
        for k in range(1, i2 - i1):
            if (
                ta.region[r.a0 + i1 + k] != ta.region[r.a0 + i1 + k - 1]
                or tb.region[r.b0 + j1 + k] != tb.region[r.b0 + j1 + k - 1]
            ):
                out.append(("equal", i1 + start, i1 + k, j1 + start, j1 + k))
                out.append(("region", i1 + k, i1 + k, j1 + k, j1 + k))
                start = k
        out.append(("equal", i1 + start, i2, j1 + start, j2))
    return out


def _crosses(t: Tokens, x: int, y: int) -> bool:
    lo, hi = max(x - 1, 0), min(y, len(t.region) - 1)
    return hi > lo and t.region[lo] != t.region[hi]


def _is_paragraph(t: Tokens, x: int, y: int) -> bool:
    """Are words ``[x, y)`` exactly one paragraph?"""
    return (
        y > x
        and t.para[x] == t.para[y - 1]
        and (x == 0 or t.para[x - 1] != t.para[x])
        and (y == len(t.para) or t.para[y] != t.para[y - 1])
    )


def _whole_paragraph(t: Tokens, x: int, y: int) -> bool:
    """Do words ``[x, y)`` include every word of some paragraph?"""
    if y <= x:
        return False
    first = x == 0 or t.para[x - 1] != t.para[x]
    if first and (y == len(t.para) or t.para[y] != t.para[y - 1]):
        return True
    # A paragraph strictly inside: the paragraph index changes at least twice.
    return t.para[y - 1] - t.para[x] >= 2 or (
        t.para[y - 1] - t.para[x] == 1 and (first or y == len(t.para) or t.para[y] != t.para[y - 1])
    )


def _inline_rewrites(
    a: Article, b: Article, ta: Tokens, tb: Tokens, r: _Run, opcodes: list[Opcode]
) -> list[Rewrite]:
    out: list[Rewrite] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        ia, ib = range(r.a0 + i1, r.a0 + i2), range(r.b0 + j1, r.b0 + j2)
        wa = [ta.words[i] for i in ia]
        wb = [tb.words[j] for j in ib]
        a_span = (ta.starts[ia[0]], ta.ends[ia[-1]]) if ia else _point(ta, r.a0 + i1)
        b_span = (tb.starts[ib[0]], tb.ends[ib[-1]]) if ib else _point(tb, r.b0 + j1)
        raw_a = [a.text[ta.starts[i] : ta.ends[i]] for i in ia]
        raw_b = [b.text[tb.starts[j] : tb.ends[j]] for j in ib]
        kind = _classify(wa, wb, raw_a, raw_b, ia, ib, ta, tb, a.text, b.text)
        out.append(Rewrite(kind, *a_span, *b_span, a.text[slice(*a_span)], b.text[slice(*b_span)]))
    return out


def _point(t: Tokens, i: int) -> tuple[int, int]:
    pos = t.starts[i] if i < len(t.starts) else (t.ends[-1] if t.ends else 0)
    return pos, pos


def _classify(
    wa: list[str],
    wb: list[str],
    raw_a: list[str],
    raw_b: list[str],
    ia: range,
    ib: range,
    ta: Tokens,
    tb: Tokens,
    text_a: str,
    text_b: str,
) -> str:
    # Whole numeric words only: "counc1l" is OCR damage, not a changed number.
    if any(_NUMBER.fullmatch(w) for w in (*wa, *wb)):
        return "number"
    hedges_a = _hedges(wa)
    hedges_b = _hedges(wb)
    if hedges_b - hedges_a:
        return "hedge_added"
    if hedges_a - hedges_b:
        return "hedge_removed"
    names_a = {w for w, i in zip(raw_a, ia, strict=True) if _is_name(w, i, ta, text_a)}
    names_b = {w for w, j in zip(raw_b, ib, strict=True) if _is_name(w, j, tb, text_b)}
    if names_a != names_b and (names_a or names_b):
        return "name"
    return "wording"


def _is_name(raw: str, i: int, t: Tokens, text: str) -> bool:
    """Capitalised and not at the start of a sentence or paragraph."""
    if not raw[:1].isupper():
        return False
    if i == 0 or t.para[i - 1] != t.para[i]:
        return False
    between = text[t.ends[i - 1] : t.starts[i]]
    return not any(c in between for c in ".!?")


def _block_rewrites(a: Article, b: Article, ta: Tokens, tb: Tokens) -> list[Rewrite]:
    """Headline and first paragraph: compared whole, whether or not they align."""
    out: list[Rewrite] = []
    for kind, pick in (("headline", _headline), ("first_paragraph", _first_paragraph)):
        pa, pb = pick(a, ta), pick(b, tb)
        if pa is None or pb is None:
            continue
        words_a = _words_in(ta, pa)
        words_b = _words_in(tb, pb)
        if words_a != words_b:
            out.append(Rewrite(kind, *pa, *pb, a.text[slice(*pa)], b.text[slice(*pb)]))
    return out


def _words_in(t: Tokens, span: tuple[int, int]) -> list[str]:
    return t.words[bisect_left(t.starts, span[0]) : bisect_left(t.starts, span[1])]


def _headline(article: Article, t: Tokens) -> tuple[int, int] | None:
    block = article.headline
    if block is not None:
        return block.start, block.end
    if article.blocks or not t.para_spans:
        return None
    # Plain text: a short first line without a closing full stop reads as a headline.
    start, end = t.para_spans[0]
    if len(t.para_spans) > 1 and len(article.text[start:end].split()) <= 25:
        return start, end
    return None


def _first_paragraph(article: Article, t: Tokens) -> tuple[int, int] | None:
    head = _headline(article, t)
    for span, role in zip(t.para_spans, t.para_roles, strict=True):
        # Skip what sits between headline and story in plain text: bylines, datelines.
        if role == "body" and span != head and len(article.text[slice(*span)].split()) >= 8:
            return span
    return None
