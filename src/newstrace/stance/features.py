"""Features of a headline–body pair for the stance model.

Two groups, one dense vector per pair (names in :data:`FEATURE_NAMES`):

- relatedness: TF-IDF cosine of headline and body, body lead and best sentences; stem,
  bigram, number and capitalised-word overlap; a BM25 score;
- stance: refuting / hedging / asserting / negation cue counts in the whole body, in the
  sentences most similar to the headline, in the lead, and within a few words of the
  headline's key terms; the headline's own cues; question marks and quotes.

Plus the sparse inputs of the stacked linear model (:meth:`PairFeaturizer.sparse`): the
TF-IDF of the headline and of the two body sentences most similar to it.

Work is organised per body: all headlines paired with one body are scored against its
sentences in one sparse product, which keeps training on FNC-1 to seconds.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from newstrace.stance import text as tx

LEXICONS: dict[str, frozenset[str]] = {
    "ref": tx.REFUTING,
    "hedge": tx.HEDGING,
    "assert": tx.ASSERTING,
    "neg": tx.NEGATION,
}
WINDOW = 10  # tokens either side of a headline key term that count as "near" it
TOP_K = 3  # best-matching sentences whose cues are counted


def _names() -> list[str]:
    names = [
        "cos_body",
        "cos_lead",
        "cos_sent_max",
        "cos_sent_top3",
        "cos_sent_second",
        "best_sent_pos",
        "jaccard",
        "h_in_body",
        "h_in_lead",
        "h_bigram_in_body",
        "bm25",
        "num_h",
        "num_in_body",
        "num_missing",
        "cap_h",
        "cap_in_body",
        "h_len",
        "b_len_log",
        "n_sent_match",
        "b_question",
        "b_quotes",
        "h_question",
        "h_quote",
    ]
    for lex in LEXICONS:
        names += [
            f"{lex}_h",
            f"{lex}_body",
            f"{lex}_top",
            f"{lex}_best",
            f"{lex}_lead",
            f"{lex}_near",
        ]
    names += ["polarity_h", "polarity_top", "key_hits"]
    return names


FEATURE_NAMES: tuple[str, ...] = tuple(_names())


def terms(text: str) -> list[str]:
    """Stems and stem bigrams: the TF-IDF vocabulary's units."""
    stems = tx.content_stems(text)
    return stems + [f"{a}_{b}" for a, b in itertools.pairwise(stems)]


class Tfidf:
    """A TF-IDF space (sublinear tf, smoothed idf, L2 rows) stored as plain arrays."""

    def __init__(self, vocab: Sequence[str], idf: np.ndarray) -> None:
        self.vocab = list(vocab)
        self.index = {t: i for i, t in enumerate(self.vocab)}
        self.idf = np.asarray(idf, dtype=np.float64)

    @classmethod
    def fit(cls, docs: Iterable[list[str]], min_df: int = 2, max_terms: int = 40_000) -> Tfidf:
        df: Counter[str] = Counter()
        n = 0
        for doc in docs:
            df.update(set(doc))
            n += 1
        kept = [(c, t) for t, c in df.items() if c >= min_df]
        kept.sort(key=lambda ct: (-ct[0], ct[1]))  # deterministic: frequent first, then a-z
        vocab = sorted(t for _c, t in kept[:max_terms])
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in vocab])
        return cls(vocab, idf)

    def transform(self, docs: Sequence[list[str]]) -> sparse.csr_matrix:
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        index = self.index
        for doc in docs:
            counts = Counter(index[t] for t in doc if t in index)
            for col, c in sorted(counts.items()):
                indices.append(col)
                data.append((1.0 + math.log(c)) * self.idf[col])
            indptr.append(len(indices))
        mat = sparse.csr_matrix(
            (np.array(data), np.array(indices, dtype=np.int64), np.array(indptr)),
            shape=(len(docs), len(self.vocab)),
        )
        norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ mat)


@dataclass(slots=True)
class Body:
    text: str
    stems: list[str]
    stem_set: set[str]
    stem_bigrams: set[tuple[str, str]]
    tf: Counter
    n_tokens: int
    token_stems: np.ndarray  # stem of every token, stopwords included, in order
    lex_pos: dict[str, np.ndarray]  # token positions of each lexicon's cues
    sent_lex: dict[str, np.ndarray]  # cue counts per sentence
    sent_vecs: sparse.csr_matrix
    sent_len: np.ndarray
    vec: sparse.csr_matrix
    lead_vec: sparse.csr_matrix
    lead_stems: set[str]
    numbers: set[str]
    caps: set[str]
    sent_terms: list[list[str]]
    questions: int
    quotes: int


@dataclass(slots=True)
class Headline:
    text: str
    stems: list[str]
    stem_set: set[str]
    bigrams: set[tuple[str, str]]
    vec: sparse.csr_matrix
    numbers: set[str]
    caps: set[str]
    lex: dict[str, int]


class PairFeaturizer:
    """Turns headline–body pairs into the model's dense and sparse inputs."""

    def __init__(self, tfidf: Tfidf, avg_body_len: float) -> None:
        self.tfidf = tfidf
        self.avg_body_len = avg_body_len

    # -- per text ------------------------------------------------------------------------

    def body(self, text: str) -> Body:
        spans = tx.sentences(text) or [(0, len(text))]
        sent_texts = [text[s:e] for s, e in spans]
        sent_terms = [terms(s) for s in sent_texts]
        sent_vecs = self.tfidf.transform(sent_terms)
        toks = tx.tokens(text)
        token_stems = np.array([tx.stem(t) for t in toks] or [""], dtype=object)
        lex_pos = {
            name: np.array([i for i, t in enumerate(toks) if t in lex], dtype=np.int64)
            for name, lex in LEXICONS.items()
        }
        sent_tokens = [tx.tokens(s) for s in sent_texts]
        sent_lex = {
            name: np.array([sum(t in lex for t in st) for st in sent_tokens], dtype=np.float64)
            for name, lex in LEXICONS.items()
        }
        stems = tx.content_stems(text)
        lead = " ".join(sent_texts[:2])
        return Body(
            text=text,
            stems=stems,
            stem_set=set(stems),
            stem_bigrams=set(itertools.pairwise(stems)),
            tf=Counter(stems),
            n_tokens=len(toks),
            token_stems=token_stems,
            lex_pos=lex_pos,
            sent_lex=sent_lex,
            sent_vecs=sent_vecs,
            sent_len=np.array([max(1, len(st)) for st in sent_tokens], dtype=np.float64),
            vec=self.tfidf.transform([terms(text)]),
            lead_vec=self.tfidf.transform([terms(lead)]),
            lead_stems=set(tx.content_stems(lead)),
            numbers=tx.numbers(text),
            caps=tx.capitalised(text),
            sent_terms=sent_terms,
            questions=text.count("?"),
            quotes=sum(text.count(q) for q in ('"', "“", "”")),
        )

    def headline(self, text: str) -> Headline:
        stems = tx.content_stems(text)
        toks = tx.tokens(text)
        return Headline(
            text=text,
            stems=stems,
            stem_set=set(stems),
            bigrams=set(itertools.pairwise(stems)),
            vec=self.tfidf.transform([terms(text)]),
            numbers=tx.numbers(text),
            caps=tx.capitalised(" " + text),
            lex={name: sum(t in lex for t in toks) for name, lex in LEXICONS.items()},
        )

    # -- per body, all its headlines -----------------------------------------------------

    def pairs(
        self, body: Body, headlines: Sequence[Headline]
    ) -> tuple[np.ndarray, sparse.csr_matrix]:
        """Dense features (len(headlines) × len(FEATURE_NAMES)) and sparse inputs."""
        hmat = sparse.vstack([h.vec for h in headlines]).tocsr()
        sims = (body.sent_vecs @ hmat.T).toarray()  # sentences × headlines
        cos_body = (hmat @ body.vec.T).toarray().ravel()
        cos_lead = (hmat @ body.lead_vec.T).toarray().ravel()
        n_sent = sims.shape[0]
        rows = np.zeros((len(headlines), len(FEATURE_NAMES)))
        top_rows: list[sparse.csr_matrix] = []
        for j, h in enumerate(headlines):
            col = sims[:, j]
            order = np.argsort(-col, kind="stable")
            top = order[:TOP_K]
            best = int(order[0])
            rows[j] = self._pair(body, h, col, top, best, n_sent, cos_body[j], cos_lead[j])
            top2 = body.sent_vecs[order[:2]].sum(axis=0)
            top_rows.append(sparse.csr_matrix(top2))
        topmat = sparse.vstack(top_rows).tocsr()
        return rows, sparse.hstack([hmat, topmat]).tocsr()

    def _pair(
        self,
        body: Body,
        h: Headline,
        col: np.ndarray,
        top: np.ndarray,
        best: int,
        n_sent: int,
        cos_body: float,
        cos_lead: float,
    ) -> list[float]:
        hs = h.stem_set
        n_h = max(1, len(hs))
        in_body = len(hs & body.stem_set)
        union = len(hs | body.stem_set) or 1
        sorted_sims = np.sort(col)[::-1]
        bm25 = self._bm25(h, body)
        num_in = len(h.numbers & body.numbers)
        cap_in = len(h.caps & body.caps)
        feats: list[float] = [
            cos_body,
            cos_lead,
            float(sorted_sims[0]),
            float(sorted_sims[:TOP_K].mean()),
            float(sorted_sims[1]) if n_sent > 1 else 0.0,
            best / max(1, n_sent - 1),
            in_body / union,
            in_body / n_h,
            len(hs & body.lead_stems) / n_h,
            len(h.bigrams & body.stem_bigrams) / max(1, len(h.bigrams)),
            bm25 / n_h,
            len(h.numbers),
            num_in,
            len(h.numbers) - num_in,
            len(h.caps),
            cap_in / max(1, len(h.caps)),
            len(h.stems),
            math.log1p(body.n_tokens),
            float((col > 0.2).sum()),
            body.questions / max(1, n_sent),
            body.quotes / max(1, n_sent),
            float(h.text.rstrip().endswith("?")),
            float(any(q in h.text for q in ('"', "“", "'"))),
        ]
        # Positions of the headline's key terms in the body, for the "near" counts.
        key_pos = np.flatnonzero(np.isin(body.token_stems, list(hs))) if hs else np.array([])
        for name in LEXICONS:
            per_sent = body.sent_lex[name]
            pos = body.lex_pos[name]
            if len(key_pos) and len(pos):
                idx = np.searchsorted(key_pos, pos)
                left = np.abs(pos - key_pos[np.clip(idx - 1, 0, len(key_pos) - 1)])
                right = np.abs(key_pos[np.clip(idx, 0, len(key_pos) - 1)] - pos)
                near = float((np.minimum(left, right) <= WINDOW).sum())
            else:
                near = 0.0
            feats += [
                float(h.lex[name]),
                100.0 * len(pos) / max(1, body.n_tokens),
                float(per_sent[top].sum()),
                float(per_sent[best]),
                float(per_sent[:2].sum()),
                near / max(1.0, math.sqrt(len(key_pos))),
            ]
        ref_top = float(body.sent_lex["ref"][top].sum() + body.sent_lex["neg"][top].sum())
        feats += [
            float((h.lex["ref"] + h.lex["neg"]) % 2),
            float(ref_top % 2),
            float(len(key_pos)) / max(1, body.n_tokens) * 100.0,
        ]
        return feats

    def _bm25(self, h: Headline, body: Body, k1: float = 1.2, b: float = 0.75) -> float:
        score = 0.0
        norm = k1 * (1 - b + b * len(body.stems) / max(1.0, self.avg_body_len))
        index = self.tfidf.index
        for s in h.stem_set:
            f = body.tf.get(s, 0)
            if not f:
                continue
            idf = self.tfidf.idf[index[s]] if s in index else self.tfidf.idf.max()
            score += idf * f * (k1 + 1) / (f + norm)
        return score
