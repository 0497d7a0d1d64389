"""Countable text, tokens and word shingles.

Only text a republisher could have copied counts: blocks whose role is page furniture
(navigation, boilerplate, provenance notes, bylines, credits) are left out whenever the
structure layer has labelled them, so two articles never match on a shared site footer.
Without blocks, the text is cut into paragraphs at line breaks.

Hashes are computed with CRC-32 and fixed multipliers, never Python's salted ``hash()``,
so signatures written to an index in one process match queries in another.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

import numpy as np

from newstrace.data import Article

#: Block roles whose text never counts as shared story text: page furniture, provenance
#: notes, and the bylines and credits every outlet rewrites (they are metadata, not story).
EXCLUDED_ROLES: frozenset[str] = frozenset(
    {"navigation", "boilerplate", "provenance_note", "byline", "credit"}
)

_WORD = re.compile(r"\w+")
_PARAGRAPH = re.compile(r"[^\n]+")

# Fixed odd 64-bit multipliers: one per position in a shingle (up to 16 words), and a
# finaliser, so a shingle's hash depends on word order.
_MULT = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0x94D049BB133111EB,
        0xBF58476D1CE4E5B9,
        0x2545F4914F6CDD1D,
        0x9FB21C651E98DF25,
        0xA0761D6478BD642F,
        0xE7037ED1A0B428DB,
        0x8EBC6AF09C88C6E3,
        0x589965CC75374CC3,
        0x1D8E4E27C47D124F,
        0x5851F42D4C957F2D,
    ],
    dtype=np.uint64,
)
_FINAL = np.uint64(0xFF51AFD7ED558CCD)


@dataclass(slots=True)
class Paragraph:
    """A paragraph of countable text: ``text[start:end]`` with the role of its block."""

    start: int
    end: int
    role: str


def paragraphs(article: Article) -> list[Paragraph]:
    """The article's countable paragraphs, in text order.

    With blocks: every block whose role is not excluded, split at line breaks (a block may
    hold several lines). Without blocks: each non-empty line of the text.
    """
    text = article.text
    out: list[Paragraph] = []
    if article.blocks:
        for block in article.blocks:
            if block.role in EXCLUDED_ROLES:
                continue
            for m in _PARAGRAPH.finditer(text, block.start, block.end):
                if m.group().strip():
                    out.append(Paragraph(m.start(), m.end(), block.role))
        return out
    for m in _PARAGRAPH.finditer(text):
        if m.group().strip():
            out.append(Paragraph(m.start(), m.end(), "body"))
    return out


def words(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """Normalised words (case-folded ``\\w+`` runs) of ``text[start:end]``."""
    return [w.casefold() for w in _WORD.findall(text, start, len(text) if end is None else end)]


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """Normalised words of ``text[start:end]`` with their character offsets in ``text``."""
    stop = len(text) if end is None else end
    return [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text, start, stop)]


_HASH_CACHE: dict[str, int] = {}
_HASH_CACHE_MAX = 1 << 20


def _crc(token: str) -> int:
    value = zlib.crc32(token.encode("utf-8", "surrogatepass"))
    if len(_HASH_CACHE) >= _HASH_CACHE_MAX:  # bounded: a huge vocabulary starts over
        _HASH_CACHE.clear()
    _HASH_CACHE[token] = value
    return value


def word_hashes(tokens: list[str]) -> np.ndarray:
    """A stable 32-bit hash per word (CRC-32, memoised: news vocabulary repeats)."""
    get = _HASH_CACHE.get
    return np.fromiter(
        (h if (h := get(t)) is not None else _crc(t) for t in tokens),
        dtype=np.uint32,
        count=len(tokens),
    )


def shingle_hashes(hashes: np.ndarray, k: int) -> np.ndarray:
    """32-bit hashes of every run of ``k`` consecutive words (one for a shorter text).

    Duplicates are kept: MinHash of a multiset equals MinHash of its set, and skipping the
    sort is cheaper than removing them.
    """
    n = len(hashes)
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    if not 1 <= k <= len(_MULT):
        raise ValueError(f"shingle size must be 1..{len(_MULT)}, got {k}")
    return (_grams64(hashes, min(k, n)) >> np.uint64(32)).astype(np.uint32)


@dataclass(slots=True)
class Shingled:
    """One article's shingles, per paragraph, ready for signatures.

    ``shingles`` is every paragraph's shingles concatenated; ``para_offsets[i]`` is where
    paragraph ``i`` starts in it (one extra entry at the end); ``para_words[i]`` its words.
    """

    shingles: np.ndarray
    para_offsets: np.ndarray
    para_words: np.ndarray
    paragraphs: list[Paragraph]
    #: Anchors (:func:`anchors`): sorted unique 64-bit keys of sampled body word runs.
    anchors: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64))


#: Roles whose text relates two articles (trace/align.py counts shared words of these).
ANCHOR_ROLES: frozenset[str] = frozenset({"body", "dek", "caption"})


def _grams64(hashes: np.ndarray, k: int) -> np.ndarray:
    """64-bit hashes of every run of ``k`` consecutive words (none for a shorter text)."""
    count = len(hashes) - k + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    h64 = hashes.astype(np.uint64)
    acc = h64[:count] * _MULT[0]
    for i in range(1, k):
        acc += h64[i : i + count] * _MULT[i]
    # Finaliser (xorshift-multiply) so the top bits depend on every word.
    acc ^= acc >> np.uint64(31)
    acc *= _FINAL
    acc ^= acc >> np.uint64(29)
    return acc


def anchors(
    hashes: np.ndarray, para_of: np.ndarray, roles: list[str], k: int, rate: int
) -> np.ndarray:
    """Content-defined anchors: the ``k``-word runs of body text whose hash falls in one
    ``rate``-th of the hash space, as sorted unique 64-bit keys.

    Chosen by content, not position, so a run copied anywhere is chosen in both articles:
    a passage that was excerpted, reordered, interleaved with other sentences or split into
    other paragraphs keeps the anchors of every run of ``k`` words it kept verbatim (a
    40-word quotation in pieces of 15–20 words holds about 6 at k = 8, rate = 4), where a
    MinHash of the whole paragraph drifts below any similarity threshold. Runs never
    cross a paragraph."""
    grams = _grams64(hashes, k)
    if not len(grams) or rate < 1:
        return np.empty(0, dtype=np.uint64)
    body = np.array([r in ANCHOR_ROLES for r in roles], dtype=bool)
    inside = (para_of[: len(grams)] == para_of[k - 1 :]) & body[para_of[: len(grams)]]
    picked = grams[inside & ((grams >> np.uint64(58)) % np.uint64(rate) == 0)]
    return np.unique(picked)


def shingle_article(
    article: Article, k: int = 5, anchor_words: int = 8, anchor_rate: int = 4
) -> Shingled:
    """Shingles of each countable paragraph; shingles never cross a paragraph boundary, so
    a reordered or quoted paragraph keeps all of its shingles. Anchors as :func:`anchors`
    (``anchor_rate`` 0: none)."""
    paras = paragraphs(article)
    text = article.text
    tokens_per_para = [words(text, p.start, p.end) for p in paras]
    lengths = np.asarray([len(t) for t in tokens_per_para], dtype=np.int64)
    hashes = word_hashes([t for toks in tokens_per_para for t in toks])
    # All k-grams of the token stream at once, then keep those inside one paragraph; a
    # paragraph shorter than k words contributes one shingle of all its words.
    para_of = np.repeat(np.arange(len(paras)), lengths)
    grams = shingle_hashes(hashes, k)
    if len(hashes) >= k:
        inside = para_of[: len(grams)] == para_of[k - 1 :]
        grams, gram_para = grams[inside], para_of[: len(grams)][inside]
    else:
        grams, gram_para = grams[:0], para_of[:0]
    short = np.flatnonzero((lengths > 0) & (lengths < k))
    if len(short):
        ends = np.cumsum(lengths)
        extra = [shingle_hashes(hashes[ends[i] - lengths[i] : ends[i]], k) for i in short]
        grams = np.concatenate([grams, *extra])
        gram_para = np.concatenate([gram_para, short])
        order = np.argsort(gram_para, kind="stable")
        grams, gram_para = grams[order], gram_para[order]
    counts = np.bincount(gram_para, minlength=len(paras)) if len(paras) else lengths
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    roles = [p.role for p in paras]
    keys = anchors(hashes, para_of, roles, anchor_words, anchor_rate)
    return Shingled(grams, offsets, lengths, paras, keys)


def passage_units(shingled: Shingled, min_words: int = 15) -> list[tuple[int, int]]:
    """Paragraph ranges ``[i, j)`` used as passage-level LSH units.

    Every paragraph of at least ``min_words`` words is a unit; so is every pair of adjacent
    paragraphs of which at least one is shorter. A quoted paragraph, or a quoted run of
    short ones, then forms the same unit in the quoting article as in the source, whatever
    the surrounding paragraphs are (merging short paragraphs into fixed groups would not:
    the grouping would depend on the neighbours).
    """
    n = len(shingled.paragraphs)
    words = shingled.para_words
    units: list[tuple[int, int]] = []
    for i in range(n):
        if words[i] >= min_words:
            units.append((i, i + 1))
        if i + 1 < n and min(words[i], words[i + 1]) < min_words <= words[i] + words[i + 1]:
            units.append((i, i + 2))
    return units
