"""The whole trace over a list of articles: candidates → alignment → direction → stories.

Every candidate pair is verified by alignment; only pairs that share at least
``min_shared_words`` words of countable text are reported, so LSH false positives never
reach the output.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newstrace.data import Article
from newstrace.trace.align import Alignment, Tokens, align, tokenize
from newstrace.trace.boilerplate import boilerplate_pairs
from newstrace.trace.candidates import LSHConfig, Sketches, candidate_pairs, sketch
from newstrace.trace.direction import Direction, infer_direction, parse_date
from newstrace.trace.graph import build_graph, outlet_of
from newstrace.trace.minhash import jaccard
from newstrace.trace.stories import classify_pair, story_labels


@dataclass(frozen=True, slots=True)
class TraceConfig:
    lsh: LSHConfig = field(default_factory=LSHConfig)
    #: A pair is related only if alignment finds this many shared words of body text.
    min_shared_words: int = 20
    #: Shortest shared passage, in words.
    min_passage_words: int = 10
    #: A pair is a copy of the same story when one side's shared fraction reaches this.
    story_fraction: float = 0.7


@dataclass(slots=True)
class PairResult:
    a: int  # article indexes, a < b
    b: int
    similarity: float  # MinHash estimate of whole-document Jaccard similarity
    kind: str
    alignment: Alignment
    direction: Direction


@dataclass(slots=True)
class TraceResult:
    articles: Sequence[Article]
    pairs: list[PairResult]
    stories: list[int]
    candidates: int
    sketches: Sketches | None = None

    def graph(self) -> dict:
        return build_graph(
            [
                {
                    "id": a.id,
                    "outlet": outlet_of(a.meta.domain, a.meta.publisher),
                    "published": a.meta.published,
                }
                for a in self.articles
            ],
            [edge_of(p, self.articles) for p in self.pairs],
        )


def trace_articles(articles: Sequence[Article], config: TraceConfig | None = None) -> TraceResult:
    config = config or TraceConfig()
    sk = sketch(articles, config.lsh)
    pairs = candidate_pairs(sk, config.lsh)
    results = verify_pairs(articles, pairs, sk.doc_sigs, config)
    stock = boilerplate_pairs(
        lambda: ((p.a, p.b, p.kind, shared_texts(p, articles)) for p in results),
        config.lsh.anchor_max_docs,
    )
    results = [p for p in results if (p.a, p.b) not in stock]
    strong = [(p.a, p.b) for p in results if p.kind != "partial"]
    return TraceResult(articles, results, story_labels(len(articles), strong), len(pairs), sk)


def shared_texts(p: PairResult, articles: Sequence[Article]) -> list[str]:
    """The text of each shared passage of a pair, on its first article's side."""
    text = articles[p.a].text
    return [text[s.a_start : s.a_end] for s in p.alignment.shared]


def verify_pairs(
    articles: Sequence[Article], pairs: np.ndarray, doc_sigs: np.ndarray, config: TraceConfig
) -> list[PairResult]:
    cache: OrderedDict[int, Tokens] = OrderedDict()

    def tokens(i: int) -> Tokens:
        if i in cache:
            cache.move_to_end(i)
            return cache[i]
        cache[i] = tokenize(articles[i])
        if len(cache) > 4096:  # bounded: pairs arrive sorted by a, so reuse is local
            cache.popitem(last=False)
        return cache[i]

    out: list[PairResult] = []
    for i, j in pairs.tolist():
        result = verify_pair(articles[i], articles[j], config, tokens(i), tokens(j))
        if result is None:
            continue
        al, direction, kind = result
        out.append(PairResult(i, j, jaccard(doc_sigs[i], doc_sigs[j]), kind, al, direction))
    return out


def verify_pair(
    a: Article,
    b: Article,
    config: TraceConfig,
    tokens_a: Tokens | None = None,
    tokens_b: Tokens | None = None,
) -> tuple[Alignment, Direction, str] | None:
    al = align(
        a,
        b,
        min_words=config.min_passage_words,
        min_body_words=config.min_shared_words,
        tokens_a=tokens_a,
        tokens_b=tokens_b,
    )
    if al.shared_body_words < config.min_shared_words:
        return None
    similarity = _word_similarity(al)
    kind = classify_pair(
        al.shared_fraction_a, al.shared_fraction_b, similarity, config.story_fraction
    )
    return al, infer_direction(a, b, al), kind


def _word_similarity(al: Alignment) -> float:
    total = sum(p.words for p in al.shared)
    return sum(p.similarity * p.words for p in al.shared) / total if total else 0.0


def edge_of(p: PairResult, articles: Sequence[Article]) -> dict:
    a, b = articles[p.a], articles[p.b]
    al, d = p.alignment, p.direction
    src, dst, fs, ft = a, b, al.shared_fraction_a, al.shared_fraction_b
    if d.source == "b":
        src, dst, fs, ft = b, a, al.shared_fraction_b, al.shared_fraction_a
    ds, dt = parse_date(src.meta.published), parse_date(dst.meta.published)
    gap = (dt - ds).total_seconds() / 3600.0 if ds and dt else None
    return {
        "source": src.id,
        "target": dst.id,
        "directed": d.source is not None,
        "kind": p.kind,
        "similarity": round(p.similarity, 4),
        "shared_fraction_source": round(fs, 4),
        "shared_fraction_target": round(ft, 4),
        "gap_hours": round(gap, 2) if gap is not None else None,
        "evidence": d.evidence,
        "confidence": round(d.confidence, 3),
    }
