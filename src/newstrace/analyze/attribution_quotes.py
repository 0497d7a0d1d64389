"""Quotations that run over several sentences belong, every sentence of them, to one speaker.

"“You have always taken the lead. Your commitment … is second to none. So America is in a
better place,” the Rev. Samuel Rodriguez said." has one cue, in its last sentence; the two
sentences before it are his words too. Paragraphs that carry a quotation on (each opening
with a quotation mark) are his as well. This step gives every such sentence a continuation
of the statement that owns its quotation: the statement whose content lies in the
quotation, or whose cue follows its closing mark or introduces it in the same sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from newstrace.analyze.attribution_speakers import Attribution
from newstrace.analyze.quotations import Quotation, QuotationIndex
from newstrace.data import Article, Span

#: Speakers that can own a quotation (a pronoun left unresolved cannot).
_OWNER_KINDS = frozenset({"person", "organisation", "anonymous", "media"})
#: How far after a closing mark a cue still owns the quotation (", the minister said").
_CUE_AFTER = 60
#: A sentence end followed by more text: a further sentence.
_ANOTHER_SENTENCE = re.compile(r"[.!?][”\"’)]*\s+\S")


def _quoted_paragraph_after_quote(quotation: Quotation, article: Article,
                                  statements: list[tuple[int, Attribution]]) -> int | None:
    """A paragraph that is nothing but a quotation, right after a paragraph that ends with
    someone's direct quotation or a named speaker's reported statement, carries that
    speaker's words on (the news convention: "“…,” the Pope wrote. ¶ “Amid feeding
    frenzies …” ¶ “…,” he continued.")."""
    block = article.block_at(quotation.start)
    if block is None or block.role != "body":
        return None
    own = article.text[block.start : block.end]
    quoted = sum(e - s for s, e in quotation.parts if block.start <= s < block.end)
    if quoted < 0.9 * len(own.strip()) - 4:
        return None
    previous = [b for b in article.blocks if b.end <= block.start]
    if not previous or previous[-1].role != "body":
        return None
    prev = previous[-1]
    inside = [(i, a) for i, a in statements if prev.start <= a.cue[0] < prev.end]
    if not inside:
        return None
    idx, last = max(inside, key=lambda p: p[1].extent[1])
    tail = article.text[last.extent[1] : prev.end]
    named = last.speaker is not None and last.speaker_kind in ("person", "organisation")
    if (last.direct or named) and not _ANOTHER_SENTENCE.search(tail):
        # Its statement closes the paragraph before, quoted or reported: "Erekat said it
        # was only the latest move. ¶ “They wanted us on our knees …”" is Erekat's too.
        return idx
    return None


def _owner(quotation: Quotation, statements: list[tuple[int, Attribution]],
           article: Article) -> int | None:
    """The index of the statement that owns ``quotation``, or None. A statement whose cue
    lies inside the quotation is the quoted speaker reporting someone else, not its owner."""
    statements = [(idx, att) for idx, att in statements
                  if not any(s <= att.cue[0] < e for s, e in quotation.parts)
                  or (att.content is not None and att.content[0] < quotation.start)]
    best: tuple[int, int] | None = None
    for idx, att in statements:
        if att.content is not None:
            shared = sum(max(0, min(e, att.content[1]) - max(s, att.content[0]))
                         for s, e in quotation.parts)
            if shared > 0 and (best is None or shared > best[0]):
                best = (shared, idx)
    if best is not None:
        return best[1]
    for idx, att in statements:
        if quotation.end <= att.cue[0] <= quotation.end + _CUE_AFTER:
            return idx
    for idx, att in statements:
        # 'said Trump, “and she'll be terrific. …': the quotation goes on right after the
        # statement ends (or inside it), in the same sentence or as the next one ('said
        # Trump. “The …'); a statement that begins after the quotation never owns it.
        gap = article.text[att.extent[1] : quotation.start]
        if att.extent[0] <= quotation.start and len(gap) <= 6 \
                and not any(ch.isalnum() for ch in gap) and "\n" not in gap:
            return idx
    return _quoted_paragraph_after_quote(quotation, article, statements)


def _reports_inside(att: Attribution, index: QuotationIndex) -> bool:
    """Whether a statement is made inside a quotation (its cue quoted, its content after
    the quotation opens), not one that reports the quotation as a whole (a citation left
    inside a quotation whose closing mark never came)."""
    if not index.quoted_share(*att.cue):
        return False
    quotation = index.quotation_of(*att.cue)
    return quotation is None or att.content is None or att.content[0] >= quotation.start


def _mostly_covered(sentences: list[Span], starts: list[int],
                    contents: list[tuple[int, int]]) -> set[int]:
    """Starts of the sentences that some statement's content already covers for the most part."""
    out: set[int] = set()
    for c_start, c_end in contents:
        i = max(0, bisect_left(starts, c_start) - 1)
        while i < len(sentences) and sentences[i].start < c_end:
            sent = sentences[i]
            if min(sent.end, c_end) - max(sent.start, c_start) > (sent.end - sent.start) // 2:
                out.add(sent.start)
            i += 1
    return out


def quotation_members(article: Article, atts: list[Attribution],
                      index: QuotationIndex) -> list[Attribution]:
    """Continuations for the quoted sentences that no statement covers yet."""
    sentences: list[Span] = article.layer("sentences")
    starts = [s.start for s in sentences]
    # A statement made inside a quotation ("“… Ploumen stated that …” (Lepanto
    # Institute)") is the quoted speaker's report: its sentence is still the quotation's.
    outside = [a for a in atts if not _reports_inside(a, index)]
    cue_starts = sorted(a.cue[0] for a in outside)
    covered = _mostly_covered(sentences, starts, [a.content for a in outside if a.content])
    statements = [(i, a) for i, a in enumerate(atts)
                  if a.continuation_of is None and a.speaker_kind in _OWNER_KINDS]
    out: list[Attribution] = []
    for quotation in index.quotations:
        owner_idx: int | None = None
        first = max(0, bisect_left(starts, quotation.start) - 1)
        for sent in sentences[first:]:
            if sent.start >= quotation.end:
                break
            if index.quotation_of(sent.start, sent.end) is not quotation:
                continue
            k = bisect_left(cue_starts, sent.start)
            if k < len(cue_starts) and cue_starts[k] < sent.end:
                continue  # the sentence has a cue of its own
            if sent.start in covered:
                continue
            if owner_idx is None:
                owner_idx = _owner(quotation, statements, article)
                if owner_idx is None:
                    break
            owner = atts[owner_idx]
            out.append(Attribution(
                cue=owner.cue, content=(sent.start, sent.end), source=None,
                speaker=owner.speaker, speaker_kind=owner.speaker_kind,
                speaker_entity=owner.speaker_entity, continuation_of=owner_idx,
                medium=owner.medium, medium_name=owner.medium_name, direct=True))
    return out
