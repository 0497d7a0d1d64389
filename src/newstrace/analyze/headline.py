"""Headline audit: does the body say what the headline says, and who says it?

For the article's headline this annotator records, in ``article.results["headline"]``:

- ``stance``: the stance model's label for the body towards the headline (agree, disagree,
  discuss, unrelated) with its probability;
- ``clauses``: each clause of the headline, the body sentences that make it (``support``,
  each with its sourcing ``status`` from the claims layer), whether an *attributed*
  statement backs it (``supported``), and, when none does, the closest attributed
  statements (``nearest_attributed``) so a reader sees what sources actually said;
- ``loaded_terms``: loaded words in the headline; ``question_form``: a question headline.
"""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Any

from newstrace.analyze.analyzer import BaseAnnotator
from newstrace.analyze.lexicon import find_loaded
from newstrace.config import Settings
from newstrace.data import CONTENT_ROLES, Article, Block, Span
from newstrace.stance import support as sp
from newstrace.stance import text as tx
from newstrace.stance.model import StanceModel

#: Roles whose sentences may carry a headline's claim (the headline itself excluded).
SUPPORT_ROLES: frozenset[str] = CONTENT_ROLES - {"headline"}
NEAREST_MIN = 0.2  # weight share below which a sentence is not shown as "nearest"
MAX_SUPPORT = 4
JOINT_MIN = 0.2  # share of a clause each of two sentences must hold to make it together
_LETTERS = re.compile(r"([A-Za-z]+)")
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
#: A "headline" that is a page's label for something else ("Headline: Bitcoin …", a
#: promoted link): site furniture, never the article's own headline.
_FURNITURE = re.compile(
    r"(?i)^\s*(?:headline|related|read more|read also|see also|sponsored|advertisement|"
    r"promoted|recommended|trending|most popular|you may also like|more from)\b\s*[:|–—-]"
)
TITLE_MAX = 200  # characters: longer than this a block is no stand-in headline


class HeadlineAudit(BaseAnnotator):
    name = "headline"
    requires = ("spans.sentences", "spans.claims")
    assigns = ("results.headline",)

    def __init__(self, model: StanceModel | None, nlp: Any | None) -> None:
        self.model = model
        self.nlp = nlp
        idf = model.featurizer.tfidf if model is not None else None
        self._idf_index = idf.index if idf is not None else {}
        self._idf = idf.idf if idf is not None else None

    # -- weights -------------------------------------------------------------------------

    def idf(self, stem: str) -> float:
        # Rare words carry a claim; frequent ones ("new", "say") hardly do. Unknown words
        # are treated as rare-ish, clipped so no single word dominates a clause.
        if self._idf is None or stem not in self._idf_index:
            return 4.0
        return float(min(6.0, max(1.0, self._idf[self._idf_index[stem]])))

    # -- annotator -----------------------------------------------------------------------

    def __call__(self, article: Article) -> Article:
        block = headline_block(article)
        if block is None:
            article.results["headline"] = {"stance": None, "clauses": [], "loaded_terms": []}
            return article
        head = block.text_of(article.text)
        head_tokens = tx.tokens(head)
        sentences = [
            s
            for s in self._body_sentences(article)
            if not sp.repeats(tx.tokens(s.text_of(article.text)), head_tokens)
        ]
        body = "\n\n".join(
            b.text_of(article.text)
            for b in article.blocks
            if b.role in SUPPORT_ROLES and b is not block
        )
        clauses = self.clauses(head, block.start, body)
        keyed = _keyed(article, sentences)
        everything: set[str] = set().union(*(keys for _s, keys, _c in keyed))
        result: dict[str, Any] = {
            "stance": self._stance(head, body),
            "question_form": head.rstrip().endswith("?"),
            "clauses": [self._clause_result(article, c, keyed, everything) for c in clauses],
            "loaded_terms": self._loaded(head, block.start),
        }
        if block is not article.headline:
            # The page's headline block is furniture: the audit reads the real one.
            result.update(article.span_ref(block.start, block.end))
            result["is_question"] = head.rstrip().endswith("?")
        article.results["headline"] = result
        return article

    def _stance(self, head: str, body: str) -> dict[str, Any] | None:
        if self.model is None or not body.strip():
            return None
        pred = self.model.predict(head, body)
        return {
            "label": pred.label,
            "probability": round(pred.probability, 4),
            "probabilities": {k: round(v, 4) for k, v in pred.probabilities.items()},
        }

    def _body_sentences(self, article: Article) -> list[Span]:
        out = []
        for s in article.layer("sentences"):
            role = s.attrs.get("role") or article.role_at(s.start)
            if role in SUPPORT_ROLES:
                out.append(s)
        if out or article.layer("sentences"):
            return out
        # No sentence layer at all (a pipeline without the parser): split body blocks.
        for b in article.blocks:
            if b.role in SUPPORT_ROLES:
                for s, e in tx.sentences(b.text_of(article.text)):
                    out.append(Span(b.start + s, b.start + e, "sentence", {"role": b.role}))
        return out

    # -- clauses -------------------------------------------------------------------------

    def clauses(self, head: str, offset: int, body: str) -> list[sp.Clause]:
        """The headline's clauses with their units; subjects carried into subjectless ones.

        A source or label before a colon ("Obama: …") is kept apart from the claim."""
        case = _Casing(tx.capitalised(body), set(_ACRONYM.findall(body)))
        out: list[sp.Clause] = []
        for start, end in sp.split_clauses(head):
            text = head[start:end]
            clause = sp.Clause(offset + start, offset + end, text, question=text.endswith("?"))
            k = sp.claim_start(text)
            prefix, claim = sp.source_units(text[:k], self.idf), text[k:]
            if self.nlp is None:
                clause.units = prefix + sp.clause_units_plain(claim, self.idf)
            else:
                doc = self.nlp(case.apply(claim))
                units, clause.subject = sp.clause_units_parsed(doc, self.idf, claim)
                clause.units = prefix + units
                previous = out[-1] if out else None
                if previous and previous.subject and sp.starts_without_subject(doc):
                    carried = [u for u in previous.units if u.subject]
                    clause.units = carried + clause.units
                    clause.subject, clause.subject_carried = previous.subject, True
                clause.claim = sp.is_claim(doc, clause.subject_carried)
            out.append(clause)
        return out

    def _clause_result(
        self, article: Article, clause: sp.Clause, keyed: list[Keyed], everything: set[str]
    ) -> dict[str, Any]:
        makes: list[tuple[float, Span, sp.Match]] = []
        near: list[tuple[float, Span, sp.Match]] = []
        single = [sp.match(clause, keys, subject_keys) for _s, keys, subject_keys in keyed]
        for (sent, _k, _c), m in zip(keyed, single, strict=True):
            if m.makes_clause:
                makes.append((m.score, sent, m))
            elif m.score >= NEAREST_MIN:
                near.append((m.score, sent, m))
        if not makes:
            makes = self._joint(clause, keyed, single)
        makes.sort(key=lambda t: -t[0])
        support = [self._support(article, s, m) for _sc, s, m in makes[:MAX_SUPPORT]]
        supported = any(x["status"] == "attributed" for x in support)
        result: dict[str, Any] = {
            "text": clause.text,
            "start": clause.start,
            "end": clause.end,
            "subject": clause.subject,
            "subject_carried": clause.subject_carried,
            "question": clause.question,
            "claim": clause.claim,
            "supported": supported,
            "made_by_body": bool(support),
            "support": support,
            # How much of the clause the body holds anywhere, in any sentences: a clause
            # the body never makes in one sentence may still be all there.
            "coverage": round(sp.match(clause, everything).score, 3),
        }
        if not supported:
            attributed = [
                (sc, s, m)
                for sc, s, m in sorted(near + makes, key=lambda t: -t[0])
                if sentence_status(article, s) == "attributed"
            ]
            result["nearest_attributed"] = [
                self._support(article, s, m) for _sc, s, m in attributed[:2]
            ]
        return result

    def _joint(
        self, clause: sp.Clause, keyed: list[Keyed], single: list[sp.Match]
    ) -> list[tuple[float, Span, sp.Match]]:
        """Two consecutive sentences that make the clause together when neither does
        alone: a headline condenses a lede ("X died on Monday. Police say he was shot").
        Each must hold part of the claim; the best pair is the support."""
        best: tuple[float, int] | None = None
        for i in range(len(keyed) - 1):
            if single[i].score < JOINT_MIN or single[i + 1].score < JOINT_MIN:
                continue
            keys = keyed[i][1] | keyed[i + 1][1]
            m = sp.match(clause, keys, keyed[i][2])
            if m.makes_clause and (best is None or m.score > best[0]):
                best = (m.score, i)
        if best is None:
            return []
        score, i = best
        return [(score, keyed[j][0], sp.Match(score, True, single[j].shared)) for j in (i, i + 1)]

    def _support(self, article: Article, sent: Span, m: sp.Match) -> dict[str, Any]:
        return {
            **article.span_ref(sent.start, sent.end),
            "status": sentence_status(article, sent),
            "role": sent.attrs.get("role") or article.role_at(sent.start),
            "score": round(m.score, 3),
            "shared": m.shared,
        }

    def _loaded(self, head: str, offset: int) -> list[Span]:
        return [
            Span(offset + s, offset + e, "loaded", {"term": term})
            for s, e, term in find_loaded(head)
        ]


Keyed = tuple[Span, set[str], Container[str] | None]


class _Earlier:
    """The keys of the body sentences before sentence ``index`` (shared first-seen
    indexes, so building it for every sentence stays linear in the text)."""

    __slots__ = ("first", "index")

    def __init__(self, first: dict[str, int], index: int) -> None:
        self.first, self.index = first, index

    def __contains__(self, key: object) -> bool:
        return self.first.get(key, self.index) < self.index  # type: ignore[arg-type]


def _keyed(article: Article, sentences: list[Span]) -> list[Keyed]:
    """Each sentence with its match keys (its words and, from the article's parse, their
    lemmas), and the keys of every body sentence before it: a headline's subject, once
    the body has named it, is what later sentences' pronouns and descriptions most
    likely refer to ("The mayor quit. He joins …", "The 22-year-old was arrested")."""
    lemmas = _lemmas(article.cache.get("doc"), sentences, len(article.text))
    out: list[Keyed] = []
    first: dict[str, int] = {}
    for i, sent in enumerate(sentences):
        keys = sp.sentence_keys(sent.text_of(article.text), lemmas[i])
        out.append((sent, keys, _Earlier(first, i) if i else None))
        for key in keys:
            first.setdefault(key, i)
    return out


def _lemmas(doc: Any, sentences: list[Span], length: int) -> list[list[str]]:
    """The parse's lemmas of each sentence (in text order), in one pass over the parse:
    a ``char_span`` per sentence walks the whole document each time."""
    out: list[list[str]] = [[] for _ in sentences]
    if doc is None or len(doc.text) != length or not sentences:
        return out  # no parse of this text (a pipeline without the parser)
    i = 0
    for t in doc:
        while i < len(sentences) and t.idx >= sentences[i].end:
            i += 1
        if i == len(sentences):
            break
        if t.idx >= sentences[i].start and (t.is_alpha or t.like_num):
            out[i].append(t.lemma_)
    return out


def headline_block(article: Article) -> Block | None:
    """The block the audit reads as the headline: the page's headline block, unless that
    is site furniture ("Headline: …", "Related: …"); then the first short dek or body
    block before it (a page's title written again above its promoted links), or none."""
    block = article.headline
    if block is None or not _FURNITURE.match(block.text_of(article.text)):
        return block
    for other in article.blocks:
        if other.start >= block.start:
            break
        if other.role in ("dek", "body") and other.end - other.start <= TITLE_MAX:
            return other
    return None


def sentence_status(article: Article, sent: Span) -> str:
    """The sourcing status of a sentence: that of the claim overlapping it most."""
    best, best_overlap = None, 0
    for claim in article.layer("claims"):
        if claim.start >= sent.end:
            break
        overlap = min(claim.end, sent.end) - max(claim.start, sent.start)
        if overlap > best_overlap:
            best, best_overlap = claim, overlap
    if best is not None:
        return str(best.attrs.get("status", "unknown"))
    if any(a.overlaps(sent) for a in article.layer("attributions")):
        return "attributed"
    return "unknown"


class _Casing:
    """Re-cases a headline clause so the parser sees a sentence, not a list of names:
    words the body does not capitalise are lower-cased, the body's proper nouns are
    capitalised, and only words the body also writes in capitals stay in capitals
    ("ISIS", not the emphatic "TIMES" or an all-capitals headline's "TRUMP"). The length
    never changes, so parse offsets are clause offsets."""

    def __init__(self, proper: set[str], acronyms: set[str]) -> None:
        self.proper, self.acronyms = proper, acronyms

    def word(self, word: str) -> str:
        low = word.lower()
        if len(low) != len(word) or len(word) == 1:
            return word  # single letters: initials and dotted acronyms ("U.S.")
        if word.isupper() and len(word) > 1 and word in self.acronyms:
            return word  # an acronym the body writes too; other capitals are emphasis
        if low in self.proper:
            return word[0].upper() + low[1:]
        return low

    def apply(self, text: str) -> str:
        return "".join(self.word(w) if w.isalpha() else w for w in _LETTERS.split(text))


def build(settings: Settings) -> HeadlineAudit:
    from newstrace.analyze.nlp import load_model

    model = StanceModel.load(settings.stance_model)
    return HeadlineAudit(model, load_model(settings.spacy_model))
