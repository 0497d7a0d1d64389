"""Candidates as a shuffle (trace/buckets.py): band keys partitioned by hash and grouped one
partition per task give exactly the in-memory banding's pairs — on synthetic keys with
large buckets, and end to end on real syndication copies traced on the local executor,
whose candidates must equal `candidate_pairs` over the same signatures."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from newstrace.trace.buckets import SignatureRows, grouped_pairs, partition_of
from newstrace.trace.candidates import LSHConfig, Sketches, candidate_pairs
from newstrace.trace.minhash import band_keys, bucket_pairs

ROOT = Path(__file__).resolve().parents[1]


def _partitioned(keys: np.ndarray, partitions: int, max_bucket: int) -> np.ndarray:
    part = partition_of(keys, partitions)
    rows = np.repeat(np.arange(keys.shape[0]), keys.shape[1])
    band = np.tile(np.arange(keys.shape[1]), keys.shape[0])
    found = []
    for p in range(partitions):
        take = np.flatnonzero(part.ravel() == p)
        # Shuffled: the grouping must not depend on the order the shards arrive in.
        take = np.random.default_rng(p).permutation(take)
        found.append(grouped_pairs(band[take], keys.ravel()[take], rows[take], max_bucket))
    pairs = np.concatenate(found)
    return np.unique(pairs, axis=0)


@pytest.mark.parametrize("partitions", [1, 3, 16])
def test_partitioned_grouping_equals_in_memory_banding(partitions: int) -> None:
    rng = np.random.default_rng(3)
    # Few distinct values per band: many collisions, and buckets above max_bucket.
    keys = rng.integers(0, 40, size=(900, 6)).astype(np.uint64)
    keys[:300, 2] = 7  # one huge bucket: only its three lowest rows pair with the rest
    expected = bucket_pairs(keys, np.ones(len(keys), dtype=bool), max_bucket=25)
    got = _partitioned(keys, partitions, max_bucket=25)
    assert len(expected) > 1000
    np.testing.assert_array_equal(got, expected)


def test_partitions_spread_the_keys() -> None:
    sigs = np.random.default_rng(1).integers(0, 2**32 - 2, size=(2000, 128), dtype=np.uint32)
    part = partition_of(band_keys(sigs, 25, 5), 8)
    counts = np.bincount(part.ravel(), minlength=8)
    assert counts.min() > 0.8 * counts.mean()


def test_signature_rows_read_single_rows(tmp_path: Path) -> None:
    sigs = np.arange(50 * 16, dtype=np.uint32).reshape(50, 16)
    np.save(tmp_path / "s.npy", sigs)
    rows = np.array([0, 49, 7, 7])
    np.testing.assert_array_equal(SignatureRows(tmp_path / "s.npy").take(rows), sigs[rows])


@pytest.mark.data
def test_sharded_candidates_equal_in_memory_candidates(
    tmp_path: Path, shared_data: Path
) -> None:
    pytest.importorskip("pyarrow")
    from newstrace.trace.sharded import trace_corpus

    sys.path.insert(0, str(ROOT / "bench"))
    import syndication

    records, _ = syndication.corpus(120, seed=11, root=shared_data)
    path = tmp_path / "copies.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in syndication.iter_records(records)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = trace_corpus([path], out, workers=2, tasks=3, partitions=5, progress=False)
    assert not summary.failed and summary.group is not None
    index = out / "index"
    names = ("doc_sigs", "unit_sigs", "unit_owner", "anchor_keys", "anchor_owner")
    sk = Sketches(*(np.load(index / f"{name}.npy") for name in names))
    assert len(sk.anchor_keys) > 1000
    expected = candidate_pairs(sk, LSHConfig())
    got = np.load(out / "_trace" / "verify" / "candidates.npy")
    assert len(expected) > 50
    np.testing.assert_array_equal(got, expected)
    # The group tasks recorded their work and their memory.
    stats = json.loads((out / "_trace" / "candidates" / "_stats" / "task-00000.json").read_text())
    assert stats["steps"]["group"]["doc_keys"] > 0 and stats["peak_rss_mb"] > 0
    assert summary.group.steps["group"]["pairs"] >= len(expected)
