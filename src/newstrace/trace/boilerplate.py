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
from collections.abc import Callable, Iterable, Sequence

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


#: ``(a, b, kind, shared passage texts)`` of each related pair (article indexes).
Passages = Iterable[tuple[int, int, str, Sequence[str]]]


def boilerplate_pairs(passages: Callable[[], Passages], max_docs: int = 20) -> set[tuple[int, int]]:
    """The ``(a, b)`` of the partial pairs made only of boilerplate. ``passages`` gives a
    fresh iterator over every related pair each call; it is read twice: the partial
    pairs' shingles first, then, over all pairs, how many articles hold each of those
    shingles. Held in numpy, and only for the partial pairs' shingles (few: a corpus's
    passages are mostly whole copies)."""
    keys: list[tuple[int, int]] = []
    grams: list[np.ndarray] = []
    for a, b, kind, texts in passages():
        if kind == "partial":
            for text in texts:
                keys.append((a, b))
                grams.append(_shingles(text))
    if not keys:
        return set()
    wanted = np.unique(np.concatenate(grams))
    held: list[np.ndarray] = []
    for a, b, _, texts in passages():
        for text in texts:
            s = _shingles(text)
            s = s[np.isin(s, wanted)]
            held += [np.stack([s, np.full(len(s), a)], 1), np.stack([s, np.full(len(s), b)], 1)]
    # Distinct (shingle, article) pairs, then articles per shingle.
    both = np.concatenate(held)
    both = both[np.lexsort((both[:, 1], both[:, 0]))]
    first = np.ones(len(both), dtype=bool)
    first[1:] = (both[1:] != both[:-1]).any(axis=1)
    gram, docs = np.unique(both[first, 0], return_counts=True)
    stock: dict[tuple[int, int], bool] = {}
    for key, s in zip(keys, grams, strict=True):
        common = float(np.median(docs[np.searchsorted(gram, s)])) > max_docs
        stock[key] = stock.get(key, True) and common
    return {pair for pair, only in stock.items() if only}
