"""Span shapes of attributions read off the parse: cue extents, quotations, contents.

Helpers of :mod:`newstrace.analyze.attribution`, kept apart because they only measure
text (where a quotation opens and closes, which words a cue or a source covers), never
decide who speaks.
"""

from __future__ import annotations

import re
from typing import Any

from newstrace.data import Span

QUOTES_OPEN = "\"“‘«"
QUOTES_CLOSE = "\"”’»"


def span_of(tokens: list[Any]) -> tuple[int, int] | None:
    toks = [t for t in tokens if not t.is_space]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


_NON_SPACE = re.compile(r"\S")
_OPENING = re.compile(r"[\"“]")
_CLOSING = re.compile(r"[\"”]")


def _quoted_length(s: str) -> int:
    """Characters inside quotation marks, marks included: what findall of
    ``["“][^"”]+["”]`` adds up, without that pattern rescanning from every "“" of a long
    text with no closing mark (quadratic)."""
    total = pos = 0
    while (opening := _OPENING.search(s, pos)) is not None:
        closing = _CLOSING.search(s, opening.end())
        if closing is None:
            break  # no later mark can close either
        if closing.start() == opening.end():
            pos = opening.end()  # an empty pair: the search goes on from the second mark
            continue
        total += closing.end() - opening.start()
        pos = closing.end()
    return total


def trim_span(text: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """Drop edge punctuation, but keep a quotation whole: a content that ends just inside
    a closing quotation mark ("… to do so.”") takes the mark and the stop before it.

    A leading "that" stays: it belongs to the reported clause (as PARC/PolNeAR mark it).
    """
    if span is None:
        return None
    start, end = span
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.—–-"):
        end -= 1
    if start >= end:
        return None
    opened = sum(text.count(q, start, end) for q in "“") - text.count("”", start, end)
    straight = text.count('"', start, end) % 2 == 1
    if opened > 0 or straight:
        m = re.match(r"[,.!?]?[”\"]", text[end : end + 2])
        if m:
            end += m.end()
    return start, end


def cue_extent(tok: Any) -> tuple[int, int]:
    """The cue with its auxiliaries and adverbs before it and a particle after it:
    "has announced", "had publicly stated", "has been reported", "pointed out"."""
    doc = tok.doc
    first = tok
    i = tok.i - 1
    while i >= 0 and doc[i].head.i == tok.i and doc[i].dep_ in ("aux", "auxpass", "neg",
                                                                   "advmod"):
        if doc[i].dep_ in ("aux", "auxpass", "neg"):
            first = doc[i]
        i -= 1
    last = tok
    if tok.i + 1 < len(doc) and doc[tok.i + 1].dep_ == "prt" and doc[tok.i + 1].head.i == tok.i:
        last = doc[tok.i + 1]
    return first.idx, last.idx + len(last.text)


def trim_source(text: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """A source without the appositive or clause that ends it with a comma
    ("Barkley, who said he votes …," → "Barkley")."""
    if span is None:
        return None
    start, end = span
    # A dateline glued to the subject ("Dec 29 (Reuters) - U.S. candidate X") is not
    # part of the source: keep what follows the last dash.
    dash = max(text.rfind(" - ", start, end), text.rfind(" — ", start, end),
               text.rfind(" – ", start, end))
    if dash != -1:
        start = dash + 3
    while end > start and text[end - 1] in " ,;:—–":
        end -= 1
    return start, end


def adjacent_quotation(tok: Any, source_tok: Any, quotes: Any) -> tuple[int, int] | None:
    """The quotation right before "…,” she said" or right after "she said: “…", marks
    included, from the article's quotations (analyze/quotations.py) — so a quotation
    opened with one kind of mark and closed with another is still one.

    “… .” She said …: a full stop closes the quotation's sentence, and what follows is a
    new statement. A quoted title after a preposition or article ("the broadcast of “Fox
    News Sunday,” X said …") names something; it is not what X said.
    """
    doc = tok.doc
    text = quotes.text  # (Doc.text rebuilds the whole text from its tokens on every call)
    left = min(tok.idx, source_tok.left_edge.idx)
    before = quotes.part_closing_before(left)
    if before is not None:
        start, end = before
        inside = text[start:end].rstrip()
        opener = doc.char_span(start - 1, start, alignment_mode="expand")
        word_before = doc[opener.start - 1] if opener is not None and opener.start > 0 else None
        titled = word_before is not None and word_before.pos_ in ("ADP", "DET")
        if inside and not inside.endswith(".") and not titled:
            return start - 1, end + 1 if text[end : end + 1] in QUOTES_CLOSE else end
    right_tok = doc[max(tok.i, source_tok.right_edge.i)]
    after = quotes.part_opening_after(right_tok.idx + len(right_tok.text))
    if after is not None:
        start, end = after
        closed = text[end : end + 1] in QUOTES_CLOSE  # an open part runs to its paragraph end
        return start - 1, end + 1 if closed else end
    return None


def after_colon(tok: Any, text: str) -> tuple[int, int] | None:
    """"Reporter X says:" at the end of a line: the next paragraph (or the rest of the
    line) is what is said."""
    doc = tok.doc
    j = tok.i + 1
    while j < len(doc) and doc[j].dep_ in ("prt", "advmod") and doc[j].head.i == tok.i:
        j += 1
    if j >= len(doc) or doc[j].text != ":":
        return None
    start = doc[j].idx + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    if text[start:line_end].strip():
        return trim_span(text, (start, line_end))
    # The next line with text, from its first non-space to its end. Found with \S and
    # find(): the pattern \n\s*\n?\s*([^\n]+) did the same but was cubic over blank lines.
    first = _NON_SPACE.search(text, line_end) if text.startswith("\n", line_end) else None
    if first is None:
        return None  # nothing follows
    next_end = text.find("\n", first.start())
    next_end = len(text) if next_end == -1 else next_end
    if not doc.text[first.start() : next_end].strip():
        return None  # the next line is page furniture (blanked)
    return trim_span(text, (first.start(), next_end))


def separated(doc: Any, left: int, right: int, marks: frozenset[str] | None = None) -> bool:
    """Whether a comma, dash or quotation mark (or one of ``marks``) sits between tokens
    left and right, both included."""
    lo, hi = min(left, right), max(left, right)
    marks = marks or frozenset({",", "—", "–", "-"})
    return any(
        doc[i].text in marks or doc[i].text in QUOTES_CLOSE
        or doc[i].text in QUOTES_OPEN
        for i in range(max(lo, 0), min(hi + 1, len(doc)))
    )


def ends_clause(doc: Any, i: int) -> bool:
    """Whether only punctuation follows token i up to the sentence end."""
    j = i + 1
    while j < len(doc) and not doc[j].is_sent_start:
        if not (doc[j].is_punct or doc[j].is_space):
            return False
        j += 1
    return True


def is_time(prep: Any) -> bool:
    return any(t.ent_type_ in ("DATE", "TIME") for t in prep.subtree)


def is_quoted(text: str, span: tuple[int, int]) -> bool:
    inner = text[span[0] : span[1]].strip()
    return len(inner) > 2 and inner[0] in QUOTES_OPEN and inner.rstrip(".,")[-1:] in (
        QUOTES_CLOSE
    )


def reported_style(doc: Any, sent: Span, text: str) -> bool:
    """A sentence in reported speech: its main verb carries "would"/"could"/"should", or
    it is (mostly) a quotation."""
    span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    aux = {c.lower_ for c in root.children if c.dep_ in ("aux", "auxpass")}
    if root.lower_ in ("would", "could") or aux & {"would"}:
        return True
    s = text[sent.start : sent.end]
    quoted = _quoted_length(s)
    # Mostly a quotation, or a short sentence carrying a quoted phrase.
    return quoted >= 0.6 * len(s) or (quoted > 0 and len(s.split()) <= 12)
