"""MinHash signatures and LSH banding.

Two backends compute signatures over 32-bit shingle hashes, chosen by measurement
(bench/trace.py, docs/benchmarks.md: datasketch, rensa and numpy at equal recall):

- ``rensa`` (the ``trace`` extra): rensa's Rust ``RMinHash`` over one flat buffer of
  pre-hashed shingles with row offsets — the fastest measured;
- ``numpy``: the multiply-shift family ``h(x) = (a·x + b) mod 2⁶⁴ >> 32``, one uint64
  multiply-add per (shingle, permutation) for thousands of documents at once, reduced per
  document with ``np.minimum.reduceat`` — the fallback when rensa is not installed.

The two give different signatures: an index records its backend and is only queried with
the same one.

Banding parameters (b bands of r rows) are derived from a target similarity the way the
LSH literature does it: minimise the weighted area of false positives below the threshold
and false negatives above it on the S-curve ``1 - (1 - s^r)^b``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from newstrace.errors import ConfigError, ResourceMissing

EMPTY = np.uint32(0xFFFFFFFF)
_CHUNK = 1 << 15  # shingles per vectorised block: 32 K × 128 perms × 8 B = 32 MiB


def available_backend() -> str:
    try:
        import rensa  # noqa: F401
    except ImportError:
        return "numpy"
    return "rensa"


class MinHasher:
    """Computes MinHash signatures of ``num_perm`` permutations for batches of shingle sets."""

    def __init__(self, num_perm: int = 128, seed: int = 1, backend: str = "auto") -> None:
        if num_perm < 2:
            raise ValueError("num_perm must be at least 2")
        if backend == "auto":
            backend = available_backend()
        if backend not in ("rensa", "numpy"):
            raise ConfigError(f"unknown MinHash backend {backend!r} (auto, rensa or numpy)")
        if backend == "rensa" and available_backend() != "rensa":
            # An index signed with rensa cannot be queried with other signatures.
            raise ResourceMissing(
                "MinHash backend rensa is not installed: pip install 'newstrace[trace]'"
            )
        rng = np.random.default_rng(seed)
        self.backend = backend
        self.num_perm = num_perm
        self.seed = seed
        # Odd multipliers make a·x a bijection mod 2⁶⁴; the top 32 bits are then a
        # 2-universal hash of x (Dietzfelbinger's multiply-shift).
        self.a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
        self.b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)

    def signatures(self, sets: Sequence[np.ndarray]) -> np.ndarray:
        """One signature row (uint32, ``num_perm`` wide) per shingle array; empty arrays
        get an all-``EMPTY`` row (callers skip them)."""
        n = len(sets)
        if self.backend == "rensa":
            return self._rensa(sets)
        out = np.full((n, self.num_perm), EMPTY, dtype=np.uint32)
        i = 0
        while i < n:
            # Gather a run of documents that fits one block (a huge document gets its own).
            j, total = i, 0
            while j < n and (total == 0 or total + len(sets[j]) <= _CHUNK):
                total += len(sets[j])
                j += 1
            self._fill(sets, i, j, out)
            i = j
        return out

    def _rensa(self, sets: Sequence[np.ndarray]) -> np.ndarray:
        from rensa import RMinHash

        out = np.full((len(sets), self.num_perm), EMPTY, dtype=np.uint32)
        # Bounded batches: rensa's row list is converted to one uint32 matrix per batch.
        step = 4096
        for s in range(0, len(sets), step):
            batch = sets[s : s + step]
            lengths = np.fromiter((len(x) for x in batch), dtype=np.uint64, count=len(batch))
            if not lengths.any():
                continue
            flat = np.concatenate([np.asarray(x, dtype=np.uint64) for x in batch])
            offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.uint64)
            matrix = RMinHash.digest_matrix_from_flat_token_hashes(
                flat, offsets, num_perm=self.num_perm, seed=self.seed
            )
            rows = np.asarray(matrix.to_rows(), dtype=np.uint32)
            filled = lengths > 0
            out[s : s + len(batch)][filled] = rows[filled]
        return out

    def signature(self, shingles: np.ndarray) -> np.ndarray:
        return self.signatures([shingles])[0]

    def _fill(self, sets: Sequence[np.ndarray], i: int, j: int, out: np.ndarray) -> None:
        members = [k for k in range(i, j) if len(sets[k])]
        if not members:
            return
        if len(members) == 1 and len(sets[members[0]]) > _CHUNK:
            x = sets[members[0]]
            best = np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
            for s in range(0, len(x), _CHUNK):
                np.minimum(best, self._hash(x[s : s + _CHUNK]).min(axis=1), out=best)
            out[members[0]] = best.astype(np.uint32)
            return
        x = np.concatenate([sets[k] for k in members])
        starts = np.cumsum([0] + [len(sets[k]) for k in members[:-1]])
        # (perms, shingles) layout: reduceat along contiguous rows is ~5× faster than
        # along axis 0 of the transposed array.
        out[members] = np.minimum.reduceat(self._hash(x), starts, axis=1).T.astype(np.uint32)

    def _hash(self, x: np.ndarray) -> np.ndarray:
        buf = np.multiply(self.a[:, None], x.astype(np.uint64)[None, :])
        np.add(buf, self.b[:, None], out=buf)
        np.right_shift(buf, np.uint64(32), out=buf)
        return buf


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if sig_a[0] == EMPTY and sig_b[0] == EMPTY:
        return 0.0
    return float(np.mean(sig_a == sig_b))


@lru_cache(maxsize=64)
def optimal_bands(
    threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5
) -> tuple[int, int]:
    """(bands, rows) with ``bands·rows ≤ num_perm`` minimising weighted FP + FN area."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold}")
    lo = np.linspace(0.0, threshold, 201)
    hi = np.linspace(threshold, 1.0, 201)
    best = (float("inf"), 1, num_perm)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = np.trapezoid(1 - (1 - lo**r) ** b, lo)
            fn = np.trapezoid((1 - hi**r) ** b, hi)
            err = fp_weight * fp + fn_weight * fn
            if err < best[0]:
                best = (err, b, r)
    return best[1], best[2]


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 key per (row of ``signatures``, band): the band's values mixed with fixed
    odd multipliers, so equal bands give equal keys and unequal ones almost never do."""
    n = signatures.shape[0]
    if bands * rows > signatures.shape[1]:
        raise ValueError("bands × rows exceeds the signature width")
    mult = np.random.default_rng(7).integers(1, 2**63, size=bands * rows, dtype=np.uint64)
    mult |= np.uint64(1)
    keys = np.empty((n, bands), dtype=np.uint64)
    # In row chunks: the uint64 products take 2 × the signatures' memory, which for the
    # passage units of a large corpus would otherwise double the driver's peak.
    for s in range(0, n, _KEY_CHUNK):
        sig = signatures[s : s + _KEY_CHUNK, : bands * rows].astype(np.uint64) * mult[None, :]
        keys[s : s + _KEY_CHUNK] = sig.reshape(-1, bands, rows).sum(axis=2, dtype=np.uint64)
    keys ^= keys >> np.uint64(29)
    return keys


_KEY_CHUNK = 1 << 16


def bucket_pairs(keys: np.ndarray, valid: np.ndarray, max_bucket: int = 200) -> np.ndarray:
    """Row pairs ``(i, j)``, ``i < j``, that share a key in at least one band.

    ``keys`` is (rows, bands); ``valid`` masks out empty rows. Each band is sorted and its
    buckets paired by :func:`bucket_runs`.
    """
    idx = np.flatnonzero(valid)
    found: list[np.ndarray] = []
    for band in range(keys.shape[1]):
        col = keys[idx, band]
        order = np.argsort(col, kind="stable")
        found.append(bucket_runs(col[order], idx[order], max_bucket, unique=False))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    return np.unique(pairs, axis=0) if len(pairs) else pairs


def bucket_runs(
    label: np.ndarray, rows: np.ndarray, max_bucket: int = 200, *, unique: bool = True,
    keep_large: bool = True,
) -> np.ndarray:
    """Row pairs ``(i < j)`` within runs of equal ``label`` (sorted by label, rows
    ascending inside a run): the one bucket rule of the in-memory banding and of the
    partitioned one (trace/buckets.py).

    Vectorised: rows ``k`` apart in the same run are paired for k = 1, 2, … up to the
    largest run. A run larger than ``max_bucket`` (a quote everyone repeats, furniture the
    structure layer missed) pairs its members with its first three only, so one common
    paragraph cannot make the pair count quadratic. With ``keep_large`` false such a run
    pairs nobody (an anchor that many articles share is stock phrasing, not reuse).
    """
    found: list[np.ndarray] = []
    if len(label) >= 2:
        change = np.flatnonzero(label[1:] != label[:-1]) + 1
        starts = np.concatenate(([0], change))
        lengths = np.diff(np.concatenate((starts, [len(label)])))
        small = np.repeat(lengths, lengths) <= max_bucket
        longest = int(lengths[lengths <= max_bucket].max(initial=1))
        for k in range(1, longest):
            same = (label[:-k] == label[k:]) & small[:-k]
            if not same.any():
                break
            hit = np.flatnonzero(same)
            found.append(np.stack([rows[hit], rows[hit + k]], axis=1))
        for m in np.flatnonzero(lengths > max_bucket) if keep_large else ():
            members = rows[starts[m] : starts[m] + lengths[m]]
            for h in members[:3]:
                rest = members[members != h]
                found.append(np.stack([np.full(len(rest), h), rest], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    pairs.sort(axis=1)
    return np.unique(pairs, axis=0) if unique else pairs


def agreement(signatures: np.ndarray, pairs: np.ndarray, chunk: int = 1 << 16) -> np.ndarray:
    """Estimated Jaccard similarity of each row pair (fraction of equal signature values)."""
    out = np.empty(len(pairs), dtype=np.float32)
    for s in range(0, len(pairs), chunk):
        p = pairs[s : s + chunk]
        out[s : s + chunk] = (signatures[p[:, 0]] == signatures[p[:, 1]]).mean(axis=1)
    return out
