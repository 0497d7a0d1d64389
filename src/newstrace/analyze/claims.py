"""The sourcing status of every content sentence, and what in it is worth checking.

Each sentence of the headline, dek, body and editor notes gets exactly one status:

- ``attributed``: it holds an attribution's cue or most of its content (``attribution``
  is the index into ``spans["attributions"]``);
- ``quoted``: inside quotation marks, someone's words, but no statement in the text says
  whose (it is never the writer's own voice);
- ``question``: a question, or an open question stated as such ("If … is still unknown",
  "It is unclear whether …", "remains to be seen");
- ``hedged``: the writer speculates in their own voice ("It is likely that …", "may",
  "reportedly"); ``hedge`` is the marker's span;
- ``opinion``: the writer's own evaluation or a loaded label, unattributed;
- ``unsourced``: an assertion with no source in the text.

An evaluative adverbial ("surprisingly", "of course") colours an assertion without
turning it into an evaluation: "X surprisingly left the alliance" still asserts that X
left, so the sentence stays ``unsourced`` and the adverbial is kept in ``opinion_terms``.
Only evaluative words that carry the sentence's meaning ("absurd", "hypocrisy") and loaded
labels make it ``opinion``.

Sentences without a verb (labels such as "Translator's comment:") are not claims, except
the headline. ``checkworthy`` marks sentences carrying numbers, quantities or dated
events, whatever their status; ``numbers`` are their spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

import newstrace.structure.furniture as F
from newstrace.analyze.analyzer import BaseAnnotator
from newstrace.analyze.lexicon import find_hedges, find_loaded, find_opinion, terms
from newstrace.analyze.quotations import OPENING_MARKS, quotation_index
from newstrace.config import Settings
from newstrace.data import Article, Span

#: Roles whose sentences are classified (captions describe pictures, not claims).
CLAIM_ROLES: frozenset[str] = frozenset({"headline", "dek", "body", "editor_note"})

_NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})
_VAGUE_QUANTITIES = re.compile(
    r"\b(?:dozens|scores|hundreds|thousands|tens of thousands|hundreds of thousands|"
    r"millions|billions|trillions)\s+of\b",
    re.IGNORECASE,
)
_NUMBER_MODIFIER = re.compile(
    r"\b(?:up\s+to|more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|about|around|"
    r"some|nearly|almost|over|under|roughly|approximately|an\s+estimated)\s+$",
    re.IGNORECASE,
)
_OPEN_QUESTION = re.compile(
    r"^(?:if|whether)\b.*\b(?:is|are|was|were|remains?)\s+(?:still\s+|yet\s+)?"
    r"(?:unknown|unclear|not\s+(?:known|clear)|uncertain|open)\b"
    r"|\bit\s+(?:is|remains)\s+(?:still\s+)?(?:unclear|unknown|not\s+clear|uncertain)\s+"
    r"(?:whether|if|why|how|who|what|when)\b"
    r"|\bremains\s+to\s+be\s+seen\b",
    re.IGNORECASE | re.DOTALL,
)


#: Score from which a sentence is check-worthy (tuned on ClaimBuster train and the
#: CheckThat 2019 training debates; see bench/checkworthy.py).
CHECKWORTHY_THRESHOLD = 1.5

_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LAW", "EVENT", "LOC", "FAC"})
#: Words of measurable public quantities ("percent", "deficit", "$").
_QUANTITY_WORDS = re.compile(
    r"\b(?:percent|per\s+cent|million|billion|trillion|jobs|tax|taxes|deficit|debt|rate|"
    r"unemployment|budget|dollars|euros)\b|[$€£%]",
    re.IGNORECASE,
)
#: Verbs of measurable change or recorded action ("cut", "doubled", "voted").
_CHANGE_LEMMAS = frozenset(
    {"increase", "decrease", "cut", "raise", "double", "triple", "grow", "fall", "drop",
     "rise", "lose", "create", "vote", "pass", "sign", "spend", "fund", "kill", "ban",
     "build", "invest", "reduce", "deploy", "deliver", "order"}
)
_SELF_VIEW = re.compile(
    r"\b(?:I|we)\s+(?:think|believe|feel|hope|want|will|would|wish|love|like|know)\b"
    r"|\bthank\s+you\b",
    re.IGNORECASE,
)


def checkworthiness(span: Any, ents: list[Any] | None = None) -> float:
    """How much a sentence (a spaCy Span) asserts something a fact-checker can check.

    Additive evidence, each part explainable: figures and quantities weigh most, then
    dated events (past-tense verbs with a date), comparisons, named actors; questions,
    very short sentences and first-person views or wishes weigh against.
    """
    tokens = [t for t in span if not t.is_space and not t.is_punct]
    if not tokens:
        return 0.0
    score = 0.0
    labels = [e.label_ for e in (span.ents if ents is None else ents)]
    if any(lab in _NUMBER_LABELS for lab in labels) or any(t.like_num for t in tokens):
        score += 2.0
    if _VAGUE_QUANTITIES.search(span.text):
        score += 1.5
    if _QUANTITY_WORDS.search(span.text):
        score += 0.75
    if any(t.lemma_.lower() in _CHANGE_LEMMAS for t in tokens):
        score += 0.5
    if "DATE" in labels:
        score += 0.5
    if any(t.tag_ in ("VBD", "VBN") for t in tokens):
        score += 0.5
    if any(t.tag_ in ("JJR", "JJS", "RBR", "RBS") for t in tokens):
        score += 0.5
    score += min(1.0, 0.35 * sum(1 for lab in labels if lab in _ENTITY_LABELS))
    if span.text.rstrip().endswith("?"):
        score -= 1.5
    if len(tokens) < 6:
        score -= 1.0
    if _SELF_VIEW.search(span.text):
        score -= 0.75
    return score


class ClaimAnnotator(BaseAnnotator):
    name = "claims"
    requires = ("doc", "spans.sentences", "spans.attributions")
    assigns = ("spans.claims",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @staticmethod
    def _attribution_for(
        sent: Span, attributions: list[Span], near: _NearIndex | None = None
    ) -> int | None:
        """The attribution whose cue is in the sentence, else the one whose content
        covers most of it. ``near`` narrows the search to the attributions that touch the
        sentence (all of them are tried without it)."""
        best: tuple[float, int] | None = None
        candidates = near.touching(sent.start, sent.end) if near else range(len(attributions))
        # A stance ("X wants to …", found by the cue model at a verb that quotes nobody)
        # is the writer's account of a position: it sources no sentence.
        candidates = [i for i in candidates if not attributions[i].attrs.get("stance")]
        for i in candidates:
            # A quotation's sentence is its speaker's even where it reports someone else
            # ("“… Jane Roe stated that … ,” said John Smith"): continuations come first.
            att = attributions[i]
            content = att.attrs.get("content")
            if att.attrs.get("continuation") and content is not None \
                    and sent.start <= content.start < sent.end:
                return i
        for i in candidates:
            att = attributions[i]
            cue: Span = att.attrs["cue"]
            content = att.attrs.get("content")
            if att.attrs.get("continuation"):
                continue
            if sent.start <= cue.start < sent.end:
                return _outer_statement(i, candidates, attributions)
            if content is not None:
                overlap = min(sent.end, content.end) - max(sent.start, content.start)
                share = overlap / max(1, sent.end - sent.start)
                if share > 0.5 and (best is None or share > best[0]):
                    best = (share, i)
        return best[1] if best else None

    @staticmethod
    def _numbers(ents: list[Any], sent: Span, text: str) -> list[Span]:
        out: list[Span] = []
        if ents:
            for ent in ents:
                if ent.label_ in _NUMBER_LABELS:
                    start = ent.start_char
                    # "Up to 4000": keep the modifier that bounds the number.
                    m = _NUMBER_MODIFIER.search(text, max(sent.start, start - 20), start)
                    if m:
                        start = m.start()
                    out.append(Span(start, ent.end_char, ent.label_.lower()))
        for m in _VAGUE_QUANTITIES.finditer(text, sent.start, sent.end):
            if not any(s.start <= m.start() < s.end for s in out):
                out.append(Span(m.start(), m.end() - 3, "quantity"))
        return sorted(out, key=lambda s: s.start)

    @staticmethod
    def _has_dated_event(span: Any, ents: list[Any]) -> bool:
        if span is None:
            return False
        has_date = any(e.label_ == "DATE" for e in ents)
        reporting = terms("reporting_verbs")
        return has_date and any(
            t.tag_ == "VBD" and t.lemma_.lower() not in reporting for t in span
        )

    @staticmethod
    def _has_verb(span: Any) -> bool:
        return span is not None and any(t.pos_ in ("VERB", "AUX") for t in span)

    def __call__(self, article: Article) -> Article:
        doc = article.cache["doc"]
        text = article.text
        attributions = article.layer("attributions")
        near = _NearIndex(attributions)
        quotes = quotation_index(article)
        claims: list[Span] = []
        all_ents = list(doc.ents)  # Doc.ents builds a new tuple on every access
        for sent in article.layer("sentences"):
            role = sent.attrs.get("role")
            if role not in CLAIM_ROLES:
                continue
            parsed = doc.char_span(sent.start, sent.end, alignment_mode="expand")
            sentence = text[sent.start : sent.end]
            quoted = _is_quoted(sentence, quotes.quoted_share(sent.start, sent.end))
            if role != "headline" and not self._has_verb(parsed) and not quoted \
                    and not sentence.rstrip().rstrip("”\"’'").endswith(("?", "!")):
                # A label ("Translator's comment:"); but "Prophetic?" is a question and
                # "Amen.”" someone's words.
                continue
            if role != "headline" and _is_furniture(sentence):
                continue
            ents = [e for e in all_ents if sent.start <= e.start_char < sent.end]
            attrs: dict[str, Any] = {"role": role, "attribution": None, "hedge": None}
            attrs["quoted"] = quoted
            att = self._attribution_for(sent, attributions, near)
            hedges = find_hedges(sentence)
            loaded = find_loaded(sentence)
            opinion = find_opinion(sentence)
            if att is not None:
                status = "attributed"
                attrs["attribution"] = att
            elif attrs["quoted"] and role != "headline":
                status = "quoted"
            elif sentence.rstrip().endswith("?") or _OPEN_QUESTION.search(sentence):
                status = "question"
            elif hedges:
                status = "hedged"
            elif loaded or any(
                not _is_adverbial(doc, sent.start + s, sent.start + e) for s, e, _ in opinion
            ):
                status = "opinion"
            else:
                status = "unsourced"
            if hedges:
                s, e, term = hedges[0]
                attrs["hedge"] = Span(sent.start + s, sent.start + e, "hedge", {"term": term})
            attrs["loaded_terms"] = [
                Span(sent.start + s, sent.start + e, "loaded", {"term": t}) for s, e, t in loaded
            ]
            attrs["opinion_terms"] = [
                Span(sent.start + s, sent.start + e, "opinion", {"term": t})
                for s, e, t in opinion
            ]
            numbers = self._numbers(ents, sent, text)
            attrs["numbers"] = numbers
            score = checkworthiness(parsed, ents) if parsed is not None else 0.0
            attrs["checkworthiness"] = round(score, 2)
            attrs["checkworthy"] = (
                bool(numbers) or self._has_dated_event(parsed, ents)
                or score >= CHECKWORTHY_THRESHOLD
            )
            attrs["status"] = status
            claims.append(Span(sent.start, sent.end, "claim", attrs))
        article.set_layer("claims", claims)
        return article


def _outer_statement(i: int, candidates: Iterable[int], attributions: list[Span]) -> int:
    """The statement whose quoted content holds statement ``i``'s cue, if any, else ``i``:
    "“… Jane Roe stated that … ,” said John Smith" is John Smith's sentence."""
    cue = attributions[i].attrs["cue"]
    for j in candidates:
        att = attributions[j]
        content = att.attrs.get("content")
        if j == i or att.attrs.get("continuation") or content is None \
                or not att.attrs.get("direct"):
            continue
        if content.start <= cue.start < content.end and not (
                content.start <= att.attrs["cue"].start < content.end):
            return j
    return i


class _NearIndex:
    """The attributions whose cue or content touches a stretch of text, in their order,
    found by bisection: trying every attribution for every sentence is quadratic on long
    texts full of statements."""

    def __init__(self, attributions: list[Span]) -> None:
        self._cues = sorted((a.attrs["cue"].start, i) for i, a in enumerate(attributions))
        self._cue_starts = [c for c, _ in self._cues]
        spans = sorted(
            (a.attrs["content"].start, a.attrs["content"].end, i)
            for i, a in enumerate(attributions)
            if a.attrs.get("content") is not None
        )
        self._contents = spans
        self._content_starts = [s for s, _, _ in spans]
        self._reach: list[int] = []
        reach = -1
        for _, end, _ in spans:
            reach = max(reach, end)
            self._reach.append(reach)

    def touching(self, start: int, end: int) -> list[int]:
        found = {i for _, i in self._cues[
            bisect_left(self._cue_starts, start) : bisect_left(self._cue_starts, end)
        ]}
        j = bisect_left(self._content_starts, end) - 1
        while j >= 0 and self._reach[j] >= start:
            c_start, c_end, i = self._contents[j]
            if c_end > start or c_start >= start:  # overlaps, or empty inside
                found.add(i)
            j -= 1
        return sorted(found)


#: Dependencies by which a word or phrase modifies a clause as an adverbial.
_ADVERBIAL_DEPS = frozenset({"advmod", "npadvmod", "prep", "intj", "parataxis", "advcl"})


def _is_adverbial(doc: Any, start: int, end: int) -> bool:
    """Whether the words at [start, end) attach to their clause as an adverbial (a
    sentence or manner adverb, "of course", "without doubt") rather than as a predicate,
    modifier or argument."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    return root.dep_ in _ADVERBIAL_DEPS or (root.pos_ == "ADV" and root.dep_ != "acomp")


def _is_furniture(sentence: str) -> bool:
    """Page furniture run into the text when a page was flattened: "Continued below...",
    a title or subheading with no sentence end ("Kremlin To Release 20,000 Emails")."""
    return F.is_boilerplate(sentence) or (
        F.words(sentence) >= 3 and F.is_title_line(sentence, short_words=0))


def _is_quoted(sentence: str, share: float) -> bool:
    """Someone's words: most of the sentence is inside quotation marks, or it opens one
    (a quotation's later sentences often close it only sentences on)."""
    return share >= 0.5 or (sentence.lstrip()[:1] in OPENING_MARKS and share > 0)


def build(settings: Settings) -> ClaimAnnotator:
    return ClaimAnnotator(settings)
