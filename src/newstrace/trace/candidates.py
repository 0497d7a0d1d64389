"""Candidate pairs: MinHash LSH at document level and at passage level.

Document signatures find re-posts and rewordings; passage signatures (paragraph units,
see :func:`newstrace.trace.shingles.passage_units`) find an article that quotes a few
paragraphs of another inside unrelated text, which whole-document similarity misses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newstrace.data import Article
from newstrace.trace.minhash import (
    EMPTY,
    MinHasher,
    agreement,
    band_keys,
    bucket_pairs,
    bucket_runs,
    optimal_bands,
)
from newstrace.trace.shingles import Shingled, passage_units, shingle_article


@dataclass(frozen=True, slots=True)
class LSHConfig:
    shingle: int = 5
    num_perm: int = 128
    #: Target Jaccard similarity of whole documents; bands/rows derive from it.
    threshold: float = 0.5
    #: Target Jaccard similarity of passage units (paragraphs).
    passage_threshold: float = 0.5
    #: Explicit (bands, rows) overriding the derived ones.
    bands: tuple[int, int] | None = None
    passage_bands: tuple[int, int] | None = None
    passage_min_words: int = 15
    #: Anchors (trace/shingles.py: anchors): runs of this many body words …
    anchor_words: int = 8
    #: … of which one in this many (by hash) is an anchor; 0 turns anchors off.
    anchor_rate: int = 4
    #: Anchors two documents must share: one 8-word run can be stock phrasing ("this
    #: report was posted online as an early release"); a copied passage, even edited,
    #: keeps several (a median of 10 on the hardened bench).
    anchor_min: int = 2
    #: An anchor more articles than this share is stock phrasing ("this report was posted
    #: online as an early release", "the virus that causes coronavirus disease 2019"): it
    #: pairs nobody. Reuse of one passage by more outlets is found by the passage MinHash.
    anchor_max_docs: int = 20
    max_bucket: int = 200
    #: MinHash backend: auto (rensa when installed, else numpy), rensa or numpy.
    backend: str = "auto"
    #: Keep a bucket collision only if the signatures agree on floor × threshold.
    floor: float = 0.6
    seed: int = 1

    def doc_bands(self) -> tuple[int, int]:
        return self.bands or optimal_bands(self.threshold, self.num_perm)

    def unit_bands(self) -> tuple[int, int]:
        return self.passage_bands or optimal_bands(self.passage_threshold, self.num_perm)


@dataclass(slots=True)
class Sketches:
    """Signatures of a batch of articles: one per document, one per passage unit."""

    doc_sigs: np.ndarray  # (docs, num_perm) uint32
    unit_sigs: np.ndarray  # (units, num_perm) uint32
    unit_owner: np.ndarray  # (units,) int64: index of the owning document
    anchor_keys: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    anchor_owner: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


def sketch(articles: Sequence[Article], config: LSHConfig) -> Sketches:
    hasher = MinHasher(config.num_perm, config.seed, config.backend)
    shingled = [
        shingle_article(a, config.shingle, config.anchor_words, config.anchor_rate)
        for a in articles
    ]
    return sketch_shingled(shingled, hasher, config)


def sketch_shingled(shingled: Sequence[Shingled], hasher: MinHasher, config: LSHConfig) -> Sketches:
    doc_sigs = hasher.signatures([s.shingles for s in shingled])
    unit_sets: list[np.ndarray] = []
    owner: list[int] = []
    for index, s in enumerate(shingled):
        units = passage_units(s, config.passage_min_words)
        if len(units) <= 1:
            continue  # the document signature already covers a one-unit article
        for i, j in units:
            unit_sets.append(s.shingles[s.para_offsets[i] : s.para_offsets[j]])
            owner.append(index)
    unit_sigs = (
        hasher.signatures(unit_sets)
        if unit_sets
        else np.empty((0, config.num_perm), dtype=np.uint32)
    )
    keys = [s.anchors for s in shingled]
    anchor_keys = np.concatenate(keys) if keys else np.empty(0, dtype=np.uint64)
    anchor_owner = np.repeat(np.arange(len(keys), dtype=np.int64), [len(k) for k in keys])
    return Sketches(
        doc_sigs, unit_sigs, np.asarray(owner, dtype=np.int64), anchor_keys, anchor_owner
    )


def candidate_pairs(sk: Sketches, config: LSHConfig) -> np.ndarray:
    """Sorted unique document index pairs (i < j) from any level: documents, passage
    units, anchors.

    Bucket collisions are checked against the full signatures: a pair is kept when its
    estimated similarity reaches ``floor`` × the target, which drops most of the
    single-band accidents before any (much dearer) alignment.
    """
    found = []
    b, r = config.doc_bands()
    valid = sk.doc_sigs[:, 0] != EMPTY
    pairs = bucket_pairs(band_keys(sk.doc_sigs, b, r), valid, config.max_bucket)
    keep = agreement(sk.doc_sigs, pairs) >= config.floor * config.threshold
    found.append(pairs[keep])
    if len(sk.unit_owner):
        b, r = config.unit_bands()
        valid = sk.unit_sigs[:, 0] != EMPTY
        units = bucket_pairs(band_keys(sk.unit_sigs, b, r), valid, config.max_bucket)
        units = units[sk.unit_owner[units[:, 0]] != sk.unit_owner[units[:, 1]]]
        keep = agreement(sk.unit_sigs, units) >= config.floor * config.passage_threshold
        docs = sk.unit_owner[units[keep]]
        docs.sort(axis=1)
        found.append(docs)
    if len(sk.anchor_owner):
        pairs, counts = anchor_pairs(sk.anchor_keys, sk.anchor_owner, config.anchor_max_docs)
        found.append(pairs[counts >= config.anchor_min])
    pairs = np.concatenate(found)
    return np.unique(pairs, axis=0) if len(pairs) else pairs


def anchor_pairs(
    keys: np.ndarray, owner: np.ndarray, max_bucket: int
) -> tuple[np.ndarray, np.ndarray]:
    """Document pairs sharing an anchor that at most ``max_bucket`` documents hold, and
    how many anchors each pair shares. No signature check: an anchor is a verbatim
    run of body words, and the alignment decides what the pair is worth."""
    order = np.lexsort((owner, keys))
    return count_pairs(bucket_runs(keys[order], owner[order], max_bucket, unique=False,
                                   keep_large=False))


def count_pairs(pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique pairs and how often each occurs."""
    if not len(pairs):
        return pairs.reshape(0, 2).astype(np.int64), np.empty(0, dtype=np.int64)
    unique, counts = np.unique(pairs, axis=0, return_counts=True)
    return unique, counts.astype(np.int64)
