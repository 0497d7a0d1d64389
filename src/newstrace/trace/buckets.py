"""LSH candidates as a shuffle: band keys partitioned by hash, grouped one partition per task.

The in-memory :func:`~newstrace.trace.candidates.candidate_pairs` bands every signature of
the corpus in one process. Here no process holds more than a slice:

1. every read task writes the band keys of its own signatures, split by a hash of
   ``(band, key)`` into ``partitions`` Parquet files (``band``, ``key``, ``row``: the row
   within the shard) — :func:`write_band_partitions`;
2. one task per partition reads that partition's file from every shard, turns shard rows
   into corpus rows (the shards' row offsets come from the driver), groups rows by
   ``(band, key)`` with the same bucket rule as the in-memory banding, checks each
   collision against the two full signatures (read row by row from the index files, never
   loaded whole) and writes the surviving document pairs — :func:`partition_pairs`;
3. the driver concatenates the partitions' pairs and removes repeats.

A bucket ``(band, key)`` lives in exactly one partition, so the pairs are the same as the
in-memory banding's (tests/test_trace_buckets.py checks it; docs/benchmarks.md at 20 k).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newstrace.trace.minhash import EMPTY, agreement, band_keys, bucket_runs

LEVELS = ("doc", "unit", "anchor")
_MIX = np.uint64(0x9E3779B97F4A7C15)


def partition_of(keys: np.ndarray, partitions: int) -> np.ndarray:
    """Partition of every ``(row, band)`` key of a ``(rows, bands)`` key matrix.

    The band number is mixed in, so equal keys of different bands (which are different
    buckets) spread over partitions too."""
    band = np.arange(keys.shape[1], dtype=np.uint64)[None, :]
    mixed = (keys ^ (band * _MIX)) * _MIX
    return ((mixed >> np.uint64(40)) % np.uint64(partitions)).astype(np.int64)


def band_file(shard_dir: Path, level: str, partition: int) -> Path:
    return shard_dir / "bands" / f"{level}-{partition:05d}.parquet"


def write_band_partitions(
    shard_dir: Path, level: str, sigs: np.ndarray, bands: tuple[int, int], partitions: int
) -> int:
    """Write one Parquet file per partition with the band keys of ``sigs`` (empty
    signatures left out, as the in-memory banding does); return the keys written."""
    valid = np.flatnonzero(sigs[:, 0] != EMPTY) if len(sigs) else np.empty(0, np.int64)
    if not len(valid):
        empty = np.empty(0, np.uint64)
        return write_key_partitions(shard_dir, level, empty, empty, empty, partitions)
    keys = band_keys(np.asarray(sigs[valid]), *bands)
    part = partition_of(keys, partitions).ravel()
    band = np.tile(np.arange(keys.shape[1], dtype=np.int16), len(valid))
    row = np.repeat(valid.astype(np.int64), keys.shape[1])
    return write_key_partitions(shard_dir, level, band, keys.ravel(), row, partitions, part)


def write_key_partitions(
    shard_dir: Path,
    level: str,
    band: np.ndarray,
    key: np.ndarray,
    row: np.ndarray,
    partitions: int,
    part: np.ndarray | None = None,
) -> int:
    """``(band, key, row)`` triples split into one Parquet file per partition (``part``:
    each triple's partition, by default from its key and band)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    (shard_dir / "bands").mkdir(parents=True, exist_ok=True)
    if part is None:
        part = partition_of(key.reshape(-1, 1), partitions).ravel() if len(key) else row
    schema = pa.schema([("band", pa.int16()), ("key", pa.uint64()), ("row", pa.int64())])
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(partitions + 1))
    for p in range(partitions):
        take = order[bounds[p] : bounds[p + 1]]
        table = pa.table(
            {
                "band": np.asarray(band, dtype=np.int16)[take],
                "key": np.asarray(key, dtype=np.uint64)[take],
                "row": np.asarray(row, dtype=np.int64)[take],
            },
            schema=schema,
        )
        pq.write_table(table, band_file(shard_dir, level, p), compression="zstd")
    return len(key)


def read_partition(
    shard_dirs: Sequence[Path], level: str, partition: int, bases: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(band, key, corpus row)`` of one partition over every shard."""
    import pyarrow.parquet as pq

    bands, keys, rows = [], [], []
    for shard, base in zip(shard_dirs, bases, strict=True):
        table = pq.read_table(band_file(shard, level, partition))
        bands.append(table.column("band").to_numpy())
        keys.append(table.column("key").to_numpy())
        rows.append(table.column("row").to_numpy() + base)
    if not bands:
        return np.empty(0, np.int16), np.empty(0, np.uint64), np.empty(0, np.int64)
    return np.concatenate(bands), np.concatenate(keys), np.concatenate(rows)


def grouped_pairs(
    band: np.ndarray, key: np.ndarray, row: np.ndarray, max_bucket: int, unique: bool = True,
    keep_large: bool = True,
) -> np.ndarray:
    """Row pairs ``(i < j)`` sharing a bucket ``(band, key)``, by the rule of
    :func:`~newstrace.trace.minhash.bucket_pairs` (a bucket over ``max_bucket`` pairs its
    members with its three lowest rows only)."""
    if len(row) < 2:
        return np.empty((0, 2), dtype=np.int64)
    # Rows ascending inside a bucket, as the in-memory banding's stable sort leaves them:
    # "the first three" of a large bucket must be the same three.
    order = np.lexsort((row, key, band))
    b, k, r = band[order], key[order], row[order]
    new = np.concatenate(([True], (b[1:] != b[:-1]) | (k[1:] != k[:-1])))
    label = np.cumsum(new)
    return bucket_runs(label, r, max_bucket, unique=unique, keep_large=keep_large)


class SignatureRows:
    """Rows of a ``.npy`` signature matrix read with ``pread``, row by row: a task
    that checks a few hundred thousand collisions never maps or loads the whole file."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            version = np.lib.format.read_magic(handle)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(handle)
            self.offset = handle.tell()
        if fortran or len(shape) != 2:
            raise ValueError(f"{path}: not a C-ordered matrix")
        self.shape, self.dtype = shape, np.dtype(dtype)
        self.row_bytes = shape[1] * self.dtype.itemsize
        self.path = path

    def take(self, rows: np.ndarray) -> np.ndarray:
        out = np.empty((len(rows), self.shape[1]), dtype=self.dtype)
        fd = os.open(self.path, os.O_RDONLY)
        try:
            for n, r in enumerate(rows.tolist()):
                data = os.pread(fd, self.row_bytes, self.offset + r * self.row_bytes)
                out[n] = np.frombuffer(data, dtype=self.dtype)
        finally:
            os.close(fd)
        return out


def agreeing(pairs: np.ndarray, sigs: SignatureRows, floor: float) -> np.ndarray:
    """Mask of the pairs whose full signatures agree on at least ``floor``."""
    if not len(pairs):
        return np.zeros(0, dtype=bool)
    unique, inverse = np.unique(pairs, return_inverse=True)
    local = sigs.take(unique)
    return agreement(local, inverse.reshape(pairs.shape)) >= floor


def owners_of(path: Path, rows: np.ndarray) -> np.ndarray:
    """``unit_owner[rows]`` without loading the owner array (memory-mapped, read once)."""
    owner = np.load(path, mmap_mode="r")
    out = np.asarray(owner[rows])
    del owner
    return out
