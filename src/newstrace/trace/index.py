"""A persisted LSH index of a traced corpus, for ``newstrace trace find``.

Layout under ``OUT/index/``: ``meta.json`` (parameters, MinHash backend), ``doc_sigs.npy``,
``unit_sigs.npy``, ``unit_owner.npy``, ``anchor_keys.npy``, ``anchor_owner.npy``,
``articles.jsonl`` (each article's text, blocks and metadata, so a query can be aligned
without the original inputs) and ``offsets.npy`` (byte offset of each line, for random
access). Band keys are recomputed on load: they are cheap and depend only on the stored
signatures and parameters.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import BinaryIO

import numpy as np

from newstrace.data import Article
from newstrace.errors import InputNotFound, MalformedData
from newstrace.trace.candidates import LSHConfig, Sketches, sketch
from newstrace.trace.inputs import article_from_record
from newstrace.trace.minhash import EMPTY, MinHasher, agreement, band_keys

FORMAT = "newstrace-trace-index/1"


def save_sketches(out: Path, sk: Sketches, config: LSHConfig, count: int) -> None:
    """The signature half of the index, and ``meta.json`` last: an index without it is
    refused, so one cut short by a kill is never queried."""
    root = out / "index"
    root.mkdir(parents=True, exist_ok=True)
    np.save(root / "doc_sigs.npy", sk.doc_sigs)
    np.save(root / "unit_sigs.npy", sk.unit_sigs)
    np.save(root / "unit_owner.npy", sk.unit_owner)
    np.save(root / "anchor_keys.npy", sk.anchor_keys)
    np.save(root / "anchor_owner.npy", sk.anchor_owner)
    write_meta(out, config, count)


def write_meta(out: Path, config: LSHConfig, count: int) -> None:
    """``index/meta.json``, written after every other index file (see :func:`save_sketches`)."""
    root = out / "index"
    backend = MinHasher(config.num_perm, config.seed, config.backend).backend
    meta = {
        "format": FORMAT,
        "count": count,
        "backend": backend,
        "config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(config).items()},
    }
    (root / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")


class TraceIndex:
    """A loaded index: band keys in memory, articles read from disk on demand."""

    def __init__(self, out: Path) -> None:
        root = out / "index"
        meta_path = root / "meta.json"
        if not meta_path.is_file():
            raise InputNotFound(
                f"no trace index in {out} (run `newstrace trace run` first)", path=str(out)
            )
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise MalformedData(f"trace index {meta_path} is not valid JSON: {exc}") from exc
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            found = meta.get("format") if isinstance(meta, dict) else type(meta).__name__
            raise MalformedData(f"{meta_path}: unknown index format {found!r}")
        # A damaged index (a file missing, cut short or from another version) is bad input:
        # one typed error, never a traceback from numpy or the dataclass.
        try:
            raw = dict(meta["config"])
            for key in ("bands", "passage_bands"):
                if raw.get(key) is not None:
                    raw[key] = tuple(raw[key])
            # Queries must be signed exactly like the corpus was.
            raw["backend"] = meta["backend"]
            self.config = LSHConfig(**raw)
            self.root = root
            self.doc_sigs = np.load(root / "doc_sigs.npy")
            self.unit_sigs = np.load(root / "unit_sigs.npy")
            self.unit_owner = np.load(root / "unit_owner.npy")
            self.offsets = np.load(root / "offsets.npy")
            self.anchor_keys = np.load(root / "anchor_keys.npy")
            self.anchor_owner = np.load(root / "anchor_owner.npy")
            if len(self.anchor_keys) != len(self.anchor_owner):
                raise ValueError("anchor keys and owners disagree")
            if not (len(self.offsets) == len(self.doc_sigs) == meta["count"]) or len(
                self.unit_owner
            ) != len(self.unit_sigs):
                raise ValueError("signature and article counts disagree")
            if not (root / "articles.jsonl").is_file():
                raise OSError("articles.jsonl is missing")
            self.doc_keys = band_keys(self.doc_sigs, *self.config.doc_bands())
            self.unit_keys = (
                band_keys(self.unit_sigs, *self.config.unit_bands())
                if len(self.unit_sigs)
                else None
            )
        except (KeyError, TypeError, ValueError, OSError, EOFError) as exc:
            raise MalformedData(f"trace index in {out} is damaged: {exc}") from exc

    def __len__(self) -> int:
        return len(self.offsets)

    def article(self, index: int) -> Article:
        with (self.root / "articles.jsonl").open("rb") as handle:
            return article_at(handle, int(self.offsets[index]))

    def candidates(self, query: Article) -> list[int]:
        """Indexed articles sharing a band with the query at document or passage level and
        whose signatures agree on at least floor × the target similarity."""
        cfg = self.config
        q = sketch([query], cfg)
        found: set[int] = set()
        if q.doc_sigs[0, 0] != EMPTY:
            qkeys = band_keys(q.doc_sigs, *cfg.doc_bands())[0]
            hits = np.flatnonzero((self.doc_keys == qkeys[None, :]).any(axis=1))
            found |= set(_agreeing(self.doc_sigs, q.doc_sigs[0], hits, cfg.floor * cfg.threshold))
        if self.unit_keys is not None and len(q.unit_sigs):
            qkeys = band_keys(q.unit_sigs, *cfg.unit_bands())
            for u in range(len(qkeys)):
                if q.unit_sigs[u, 0] == EMPTY:
                    continue
                hits = np.flatnonzero((self.unit_keys == qkeys[u][None, :]).any(axis=1))
                ok = _agreeing(
                    self.unit_sigs, q.unit_sigs[u], hits, cfg.floor * cfg.passage_threshold
                )
                found |= {int(self.unit_owner[h]) for h in ok}
        if len(q.anchor_keys) and len(self.anchor_keys):
            # Enough shared anchors (verbatim runs of body words) make a candidate, as in
            # the corpus trace; the alignment in `find` decides.
            hit = np.isin(self.anchor_keys, q.anchor_keys)
            owners, shared = np.unique(self.anchor_owner[hit], return_counts=True)
            found |= {int(o) for o in owners[shared >= cfg.anchor_min]}
        return sorted(found)


def article_at(handle: BinaryIO, offset: int) -> Article:
    """The article stored at ``offset`` of an index's ``articles.jsonl`` (opened binary)."""
    handle.seek(offset)
    return article_from_record(json.loads(handle.readline().decode("utf-8")))


def _agreeing(sigs: np.ndarray, query: np.ndarray, rows: np.ndarray, floor: float) -> list[int]:
    if not len(rows):
        return []
    stacked = np.vstack([query[None, :], sigs[rows]])
    pairs = np.stack([np.zeros(len(rows), dtype=np.int64), np.arange(1, len(rows) + 1)], axis=1)
    keep = agreement(stacked, pairs) >= floor
    return [int(r) for r in rows[keep]]
