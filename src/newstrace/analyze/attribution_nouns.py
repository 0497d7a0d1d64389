"""Statements that no verb of speech carries: noun cues and colons that introduce a paragraph.

- A reporting noun with its owner and a that-clause: "his claim that he visited Epstein",
  "the ministry's denial that troops crossed the border". The owner (a possessive) is the
  source, the noun the cue, the that-clause the content.
- A sentence that ends with a colon and names its source but says nothing yet: "According
  to the Times of Israel:", "Jeff Dunetz noted:". What follows, the next paragraph, is
  that source's account.
- A statement whose sentence ends its paragraph with a colon ("…,” he concluded, offering
  the following prayer:") goes on in the next paragraph.
- A quotation closed by a citation in parentheses at its paragraph's end ("“… on
  DACA.” (RedState, Jan. 18, 2018)", the blogger's convention for a block quote): the
  cited name is whose words they are.
- An embedded post signed below its text ("— Rep. Jane Roe (@roe) May 1, 2019", the line
  the HTML reader keeps from a social network's embed): the paragraph above is the
  poster's.
"""

from __future__ import annotations

import re
from typing import Any

from newstrace.analyze.attribution_spans import span_of, trim_span
from newstrace.analyze.attribution_speakers import Attribution, set_entity, strip_det
from newstrace.analyze.quotations import QuotationIndex
from newstrace.data import Article, Span

#: Nouns that report what their owner said.
REPORTING_NOUNS = frozenset({
    "claim", "allegation", "assertion", "denial", "admission", "insistence", "statement",
    "warning", "suggestion", "argument", "contention", "accusation", "charge", "complaint",
    "prediction", "promise", "pledge", "testimony",
})


def noun_cues(sent: Any, taken: list[Attribution], text: str) -> list[Attribution]:
    out: list[Attribution] = []
    for tok in sent:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in REPORTING_NOUNS:
            continue
        if any(a.cue[0] <= tok.idx < a.cue[1] or (a.content and a.content[0] <= tok.idx
                                                  < a.content[1]) for a in taken):
            continue  # inside another statement: that statement reports it
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        clause = _that_clause(tok) or _that_clause_after_frame(tok)
        if owner is None or clause is None:
            continue
        content = trim_span(text, span_of(list(clause.subtree)))
        source = span_of([t for t in owner.subtree if t.dep_ != "case"])
        if content is None or source is None:
            continue
        out.append(Attribution(cue=(tok.idx, tok.idx + len(tok.text)), content=content,
                               source=source, source_head=owner))
    return out


def _that_clause(tok: Any) -> Any | None:
    """The that-clause a noun governs ("his claim that he visited …")."""
    return next((c for c in tok.children if c.dep_ in ("acl", "ccomp")
                 and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)), None)


def _that_clause_after_frame(tok: Any) -> Any | None:
    """"his claim in the same interview that …": the parser hangs the clause on the frame
    ("interview") that sits between the noun and its clause; a frame of at most five words
    right after the noun, opened by a preposition."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is None or nxt.pos_ != "ADP" or nxt.lower_ not in ("in", "during", "at", "on"):
        return None
    for frame in doc[tok.i + 2 : min(len(doc), tok.i + 7)]:
        clause = _that_clause(frame)
        if clause is not None and frame.pos_ == "NOUN":
            return clause
    return None


def _next_paragraph(article: Article, at: int) -> tuple[int, int] | None:
    block = article.block_at(at)
    if block is None:
        return None
    following = [b for b in article.blocks if b.start >= block.end]
    if not following or following[0].role != "body":
        return None
    return following[0].start, following[0].end


def colon_introduced(article: Article, sent_span: Span, sent: Any,
                     reporting: frozenset[str]) -> Attribution | None:
    """ "According to X:" or "X noted:" ending its paragraph: the next paragraph is X's."""
    text = article.text
    written = text[sent_span.start : sent_span.end].rstrip()
    block = article.block_at(sent_span.start)
    if not written.endswith(":") or block is None or text[sent_span.end : block.end].strip():
        return None
    content = _next_paragraph(article, sent_span.start)
    if content is None:
        return None
    tokens = [t for t in sent if not t.is_space and not t.is_punct]
    if len(tokens) >= 3 and tokens[0].lower_ == "according" and tokens[1].lower_ == "to":
        pobj = next((c for c in tokens[1].children if c.dep_ == "pobj"), None)
        if pobj is not None:
            return Attribution(cue=(tokens[0].idx, tokens[1].idx + len(tokens[1].text)),
                               content=content, source=span_of(list(pobj.subtree)),
                               source_head=pobj)
    root = sent.root
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    has_object = any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in root.children)
    if root.lemma_.lower() in reporting and subj is not None and not has_object:
        return Attribution(cue=(root.idx, root.idx + len(root.text)), content=content,
                           source=span_of(list(subj.subtree)), source_head=subj)
    return None


#: The signature of an embedded post: a dash, the poster's name, the handle in brackets.
_SIGNATURE = re.compile(r"[—–-][ \t]*(?P<name>[^()\n]{2,80}?)[ \t]*\((?P<handle>@\w{1,40})\)")


def embedded_posts(article: Article) -> list[Attribution]:
    """The posts that a signature line closes: the paragraph above it is the poster's."""
    text = article.text
    entities = article.results.get("entities", [])
    out: list[Attribution] = []
    for before, block in zip(article.blocks, article.blocks[1:], strict=False):
        m = _SIGNATURE.match(text, block.start, block.end)
        if m is None or before.role not in ("body", "editor_note"):
            continue
        name = (m.start("name"), m.end("name"))
        att = Attribution(cue=(m.start("handle"), m.end("handle")),
                          content=(before.start, before.end), source=name,
                          speaker=strip_det(m.group("name")), speaker_kind="person")
        mention = next((e for e in article.layer("entities")
                        if name[0] <= e.start < name[1] and e.attrs["label"] == "person"), None)
        if mention is not None:
            set_entity(att, entities, mention.attrs["entity"])
        out.append(att)
    return out


def colon_continuations(article: Article, atts: list[Attribution]) -> list[Attribution]:
    """The paragraph after a statement that ends its own paragraph with a colon."""
    text = article.text
    cues = sorted(a.cue[0] for a in atts)
    out: list[Attribution] = []
    for idx, att in enumerate(atts):
        if att.continuation_of is not None:
            continue
        block = article.block_at(att.cue[0])
        if block is None or not text[block.start : block.end].rstrip().endswith(":"):
            continue
        sentence_end = text.rfind(".", att.cue[0], block.end)
        if sentence_end != -1 and text[sentence_end + 1 : block.end].strip(" \t”\"’):"):
            continue  # another sentence ends the paragraph, not this statement's colon
        following = _next_paragraph(article, att.cue[0])
        if following is None or any(following[0] <= c < following[1] for c in cues):
            continue
        if att.content and att.content[1] >= following[0]:
            continue  # the statement's content already runs on
        out.append(Attribution(cue=att.cue, content=following, source=None,
                               speaker=att.speaker, speaker_kind=att.speaker_kind,
                               speaker_entity=att.speaker_entity, continuation_of=idx,
                               medium=att.medium, medium_name=att.medium_name))
    return out


#: "(RedState, Jan. 18, 2018)", "(Reuters)", "(Lepanto Institute, Jan.12, 2018)": a name,
#: optionally a date with its year, in parentheses. Bounded: a name of at most six words.
_CITATION = re.compile(
    r"\((?P<name>[A-Z][\w.&'’-]*(?:[ ][A-Z&][\w.&'’-]*){0,5})"
    r"(?:,[ ]?(?P<date>[A-Z][a-z]{2,8}\.?[ ]?\d{1,2},?[ ]\d{4}|\d{4}))?\)"
)
#: Entity kinds that can be cited as a quotation's source.
_CITABLE = frozenset({"person", "organisation", "media"})


def cited_quotations(article: Article, atts: list[Attribution],
                     quotes: QuotationIndex) -> list[Attribution]:
    """Quotations that a parenthesised citation closes at the end of their paragraph. A
    quotation some statement already reports ("he said: “…” (Yahoo, …)") gets the citation
    as its medium instead: the outlet relayed it, the speaker said it."""
    text = article.text
    entities = article.results.get("entities", [])
    out: list[Attribution] = []
    for block in article.blocks:
        if block.role not in ("body", "editor_note"):
            continue
        tail = text[block.start : block.end].rstrip()
        if not tail.endswith(")"):
            continue
        m = _CITATION.search(text, max(block.start, block.start + len(tail) - 90),
                             block.start + len(tail))
        if m is None or m.end() != block.start + len(tail):
            continue
        quoted = quotes.part_closing_before(m.start()) or _open_part_at(quotes, m.start())
        name = (m.start("name"), m.end("name"))
        mention = next((e for e in article.layer("entities")
                        if name[0] <= e.start < name[1] and e.attrs["label"] in _CITABLE), None)
        if quoted is None or mention is None:
            continue
        # (A statement whose cue is inside the quotation is the quoted text reporting
        # someone else, not the one who reports the quotation.)
        reporter = next((a for a in atts if a.content and a.content[0] <= quoted[1]
                         and quoted[0] <= a.content[1]
                         and not quoted[0] <= a.cue[0] < quoted[1]), None)
        if reporter is not None:
            if reporter.medium is None:
                reporter.medium = (mention.start, mention.end)
            continue
        att = Attribution(cue=(m.start(), m.end()), content=(quoted[0] - 1, quoted[1]),
                          source=name, direct=True)
        set_entity(att, entities, mention.attrs["entity"])
        out.append(att)
    return out


def _open_part_at(quotes: QuotationIndex, at: int) -> tuple[int, int] | None:
    """The quoted part still open where a citation sits ("“… on DACA. (RedState, …)":
    the closing mark never came); the part is cut at the citation."""
    last = at - 1
    while last > 0 and not quotes.text[last].isalnum():
        last -= 1  # the last word before the citation
    quotation = quotes.quotation_of(last, last + 1)
    if quotation is None:
        return None
    part = next(((s, e) for s, e in quotation.parts if s <= last < e), None)
    return None if part is None else (part[0], at)
