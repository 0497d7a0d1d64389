"""Story families: copies of one story, joined only through strong links.

A link is strong when one article is mostly made of text shared with the other (one side's
shared fraction at least ``story_fraction``): a re-post, a truncation, a rewording. A
quotation of a few paragraphs inside another story is a partial link; it is reported, but it
never merges two families, so a chain of weak links cannot pull unrelated stories together.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

import numpy as np

K = TypeVar("K", bound=Any)


class UnionFind(Generic[K]):
    """Disjoint sets over any ordered keys (article indexes, article ids); the one
    union-find of the project (story families here and in the service's read-back). The
    smaller key becomes the root, so a family's root does not depend on link order."""

    def __init__(self, items: Iterable[K] = ()) -> None:
        self.parent: dict[K, K] = {x: x for x in items}

    def find(self, x: K) -> K:
        parent = self.parent
        root = parent.setdefault(x, x)
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, x: K, y: K) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)

    def groups(self) -> dict[K, list[K]]:
        """Every set, keyed by its root, members in the order they were first seen."""
        out: dict[K, list[K]] = {}
        for x in list(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return out


def story_labels(n: int, strong_links: Iterable[tuple[int, int]]) -> list[int]:
    """A family label per article (0 … families-1, in order of first member); articles
    with no strong link are families of one."""
    uf: UnionFind[int] = UnionFind(range(n))
    for a, b in strong_links:
        uf.union(a, b)
    labels: dict[int, int] = {}
    return [labels.setdefault(uf.find(i), len(labels)) for i in range(n)]


def story_label_array(n: int, strong_links: Iterable[tuple[int, int]]) -> np.ndarray:
    """:func:`story_labels` as an int64 array, for a whole corpus: the union-find runs over
    the linked articles only (every other article is a family of one), so memory is
    8 bytes per article plus the links, not a Python object per article."""
    uf: UnionFind[int] = UnionFind()
    for a, b in strong_links:
        uf.union(a, b)
    root = np.arange(n, dtype=np.int64)
    if uf.parent:
        linked = np.fromiter(uf.parent, dtype=np.int64, count=len(uf.parent))
        root[linked] = [uf.find(int(x)) for x in linked]
    # A family's root is its smallest member, the member story_labels meets first: the
    # families numbered in order of their roots are its labels.
    label_of_root = np.cumsum(root == np.arange(n)) - 1
    return label_of_root[root]


def classify_pair(
    fraction_a: float, fraction_b: float, similarity: float, story_fraction: float = 0.7
) -> str:
    """duplicate (both sides almost all shared, nearly identical words), near_duplicate
    (one side mostly shared: a re-post, a truncation, a rewording) or partial."""
    if min(fraction_a, fraction_b) >= 0.9 and similarity >= 0.95:
        return "duplicate"
    if max(fraction_a, fraction_b) >= story_fraction:
        return "near_duplicate"
    return "partial"
