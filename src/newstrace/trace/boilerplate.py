"""Partial pairs made only of boilerplate: text that many articles of the corpus hold.

The anchors' cap (``LSHConfig.anchor_max_docs``) drops a verbatim run held by more than
that many articles, key by key. A run copied into hundreds of articles with its edges
varied (site CSS, a stock disclaimer, a widely re-posted line) keeps a few rarer anchors
at its edges in each copy, so pairs of unrelated articles still align on it. This rule
applies the same cap to the shared passage as a whole, over the table of related pairs:
a partial pair is dropped when, in every one of its shared passages, most of the word
5-grams are held by more than ``max_docs`` articles of the related pairs. Copies (whole
or near) are never dropped, and a story quoted by a few articles stays far below the cap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

_WORDS = re.compile(r"\w+")
#: Words per shingle of a shared passage (the trace's own shingle size).
SHINGLE = 5


def _shingles(text: str) -> np.ndarray:
    words = _WORDS.findall(text.casefold())
    grams = {
        hash(" ".join(words[i : i + SHINGLE])) for i in range(max(1, len(words) - SHINGLE + 1))
    }
    return np.fromiter(grams, dtype=np.int64, count=len(grams))


def boilerplate_pairs(
    pairs: Iterable[tuple[int, int, str, Sequence[str]]], max_docs: int = 20
) -> set[tuple[int, int]]:
    """``pairs``: ``(a, b, kind, shared passage texts)`` per related pair (article
    indexes); the ``(a, b)`` of the partial pairs made only of boilerplate. Held in numpy
    (one shingle hash and one article per entry), not one Python set per shingle."""
    keys: list[tuple[int, int, str]] = []
    passages: list[np.ndarray] = []
    grams, owners = [], []
    for a, b, kind, texts in pairs:
        for text in texts:
            s = _shingles(text)
            keys.append((a, b, kind))
            passages.append(s)
            grams += [s, s]
            owners += [np.full(len(s), a, np.int64), np.full(len(s), b, np.int64)]
    if not keys:
        return set()
    held = np.unique(np.stack([np.concatenate(grams), np.concatenate(owners)], axis=1), axis=0)
    gram, docs = np.unique(held[:, 0], return_counts=True)  # articles holding each shingle
    stock: dict[tuple[int, int], bool] = {}
    for (a, b, kind), s in zip(keys, passages, strict=True):
        if kind != "partial":
            continue
        common = float(np.median(docs[np.searchsorted(gram, s)])) > max_docs
        stock[(a, b)] = stock.get((a, b), True) and common
    return {pair for pair, only in stock.items() if only}
