"""The trace of a corpus as sharded tasks on the corpus executors (local processes or Ray).

The per-document work and the pair verification run as tasks of the corpus task loop
(:func:`~newstrace.corpus.executor.base.run_task`), so ``trace run`` resumes, isolates bad
documents and scales out exactly like ``corpus run``; the driver keeps only what needs
the whole corpus at once and is cheap:

1. **read** (executor, one task per shard): read → load (``newstrace.load``: structure, no
   NLP) → shingles → MinHash signatures of every document and passage unit. Each task
   writes ``_trace/read/shards/part-RRRRR/`` (articles, signatures, rejects) and is
   committed with a directory rename before its completion marker.
2. **candidates** (driver): every shard's signatures in rank order, ids made unique, the
   index written (``OUT/index/``), then LSH banding over all signatures (numpy).
3. **verify** (executor, one task per chunk of candidate pairs, in candidate order so a
   task reuses the articles it has read): alignment, direction and pair kind; each task
   writes its pair and passage rows to ``_trace/verify/parts/part-RRRRR/``.
4. **outputs** (driver): story families from the pair rows, ``pairs.parquet``,
   ``passages.parquet`` (streamed part by part), ``stories.parquet``, the graph and
   ``rejects.jsonl``.

Everything under ``OUT/_trace/`` is bookkeeping for resume; it may be deleted once a run
has finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from newstrace.config import Settings
from newstrace.corpus.executor.base import RunSummary
from newstrace.corpus.readers import ChainReader, JsonlReader, make_reader
from newstrace.corpus.record import Doc, InputRecord, Reject
from newstrace.corpus.step import Step
from newstrace.corpus.steps import ToArticle
from newstrace.corpus.writers import TMP_DIR
from newstrace.data import Article
from newstrace.errors import ConfigError, InputNotFound, MalformedData, OutputError
from newstrace.trace.align import Tokens, tokenize
from newstrace.trace.boilerplate import boilerplate_pairs
from newstrace.trace.buckets import (
    SignatureRows,
    agreeing,
    grouped_pairs,
    owners_of,
    read_partition,
    write_band_partitions,
    write_key_partitions,
)
from newstrace.trace.candidates import LSHConfig, Sketches, count_pairs, sketch_shingled
from newstrace.trace.index import article_at
from newstrace.trace.inputs import _is_structured_jsonl, article_from_record, record_of
from newstrace.trace.minhash import MinHasher, jaccard
from newstrace.trace.output import (
    CorpusStories,
    _pyarrow,
    doc_info,
    pair_row,
    passage_rows,
    schemas,
    write_tables,
)
from newstrace.trace.pipeline import PairResult, TraceConfig, verify_pair
from newstrace.trace.stories import story_label_array

TRACE_DIR = "_trace"
READ_DIR = "read"
CANDIDATES_DIR = "candidates"
#: The record of what a finished trace holds (shards, verified parts), for ``trace add``.
CORPUS_FILE = "corpus.json"
VERIFY_DIR = "verify"
#: ``InputRecord.format`` of a structured-JSONL line; the parsed record rides in ``hints``.
RECORD_FORMAT = "trace-record"


# --- stage 1: read, load, sketch -----------------------------------------------------------


class StructuredJsonlReader(JsonlReader):
    """Structured article JSONL (``text`` + ``blocks``), sharded like any corpus JSONL.

    The corpus JSONL reader would keep only the text and re-derive the structure; here each
    line is parsed once and handed on whole, as :func:`~newstrace.trace.inputs.read_articles`
    does in memory.
    """

    def record_of_row(self, row: dict[str, Any], default_id: str, location: str) -> InputRecord:
        return InputRecord(default_id, location, "", RECORD_FORMAT, hints={"record": row})


def make_trace_reader(
    inputs: Sequence[str | Path], *, format: str = "auto", settings: Settings | None = None
) -> Step:
    """Structured JSONL read as it is, everything else through the corpus readers (the
    same split as :func:`~newstrace.trace.inputs.read_articles`)."""
    settings = settings or Settings()
    if not inputs:
        raise ConfigError("no trace inputs given")
    structured: list[str] = []
    plain: list[str] = []
    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise InputNotFound(f"trace input {raw} does not exist", path=str(raw))
        if format in ("auto", "jsonl") and _is_structured_jsonl(path):
            structured.append(str(path))
        else:
            plain.append(str(path))
    readers: list[Any] = []
    if structured:
        readers.append(StructuredJsonlReader(structured, max_bytes=settings.max_bytes))
    if plain:
        reader = make_reader(plain, format=format, max_bytes=settings.max_bytes)
        readers.extend(reader.readers if isinstance(reader, ChainReader) else [reader])
    return readers[0] if len(readers) == 1 else ChainReader(readers)


class TraceLoad(ToArticle):
    """Record → structured Article, as the corpus load step does; structured JSONL taken
    as it is. ``limit``: stop after this many loaded articles (per task; the CLI runs one
    task when a limit is given)."""

    def __init__(self, settings: Settings | None = None, limit: int | None = None) -> None:
        super().__init__(settings)
        self.limit = limit

    def load(self, record: InputRecord) -> Article:
        if record.format == RECORD_FORMAT:
            return article_from_record(record.hints["record"], default_id=record.id)
        return super().load(record)

    def run(self, items: Iterable[Any] | None, rank: int, world_size: int) -> Iterator[Doc]:
        loaded = 0
        for doc in super().run(items, rank, world_size):
            doc.record.hints = {}  # a structured record's copy is no longer needed
            yield doc
            if doc.reject is None:
                loaded += 1
                if self.limit is not None and loaded >= self.limit:
                    return


def _part(rank: int) -> str:
    return f"part-{rank:05d}"


def _replace_dir(src: Path, dst: Path) -> None:
    # A committed folder from an attempt killed before its marker is replaced whole.
    if dst.exists():
        shutil.rmtree(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)


class _PartStep(Step):
    """A step that writes one folder per task under ``root/parts_dir`` and commits it by
    renaming a per-attempt temporary folder (the corpus writer's protocol)."""

    parts_dir = "parts"

    def __init__(self, root: str) -> None:
        super().__init__()
        self.root = root
        self._attempt: Path | None = None

    def final_dir(self, rank: int) -> Path:
        return Path(self.root) / self.parts_dir / _part(rank)

    def new_attempt(self, rank: int) -> Path:
        attempt = Path(self.root) / TMP_DIR / f"{_part(rank)}-{uuid.uuid4().hex[:8]}"
        attempt.mkdir(parents=True, exist_ok=True)
        self._attempt = attempt
        return attempt

    def commit(self, rank: int, world_size: int) -> None:
        if self._attempt is None:
            raise RuntimeError("commit before run")
        _replace_dir(self._attempt, self.final_dir(rank))
        self._attempt = None

    def discard(self, rank: int, world_size: int) -> None:
        tmp = Path(self.root) / TMP_DIR
        if tmp.is_dir():
            for stale in tmp.glob(f"{_part(rank)}-*"):
                shutil.rmtree(stale, ignore_errors=True)
        shutil.rmtree(self.final_dir(rank), ignore_errors=True)


class SketchShard(_PartStep):
    """Shingle and sign every loaded article of the shard; write the shard's articles
    (``articles.jsonl``), a light ``docs.jsonl`` (id, outlet, date), the signatures,
    their band keys split into ``partitions`` files (trace/buckets.py) and
    ``rejects.jsonl``."""

    name = "sketch"
    parts_dir = "shards"

    def __init__(
        self, root: str, config: LSHConfig, partitions: int = 1, batch_docs: int = 512
    ) -> None:
        super().__init__(root)
        self.config = config
        self.partitions = partitions
        self.batch_docs = batch_docs

    def run(self, items: Iterable[Any] | None, rank: int, world_size: int) -> Iterator[Doc]:
        attempt = self.new_attempt(rank)
        hasher = MinHasher(self.config.num_perm, self.config.seed, self.config.backend)
        sketches: list[Sketches] = []
        batch: list[Any] = []
        count = 0

        def flush() -> None:
            nonlocal count, batch
            if not batch:
                return
            started = time.perf_counter()
            sk = sketch_shingled(batch, hasher, self.config)
            sk.unit_owner += count  # shard-local document indexes
            sk.anchor_owner += count
            sketches.append(sk)
            count += len(batch)
            batch = []
            self.stats["sketch_seconds"] += time.perf_counter() - started

        from newstrace.trace.shingles import shingle_article

        with (
            (attempt / "articles.jsonl").open("wb") as articles,
            (attempt / "docs.jsonl").open("w", encoding="utf-8") as docs,
            (attempt / "rejects.jsonl").open("w", encoding="utf-8") as rejects,
        ):
            offsets: list[int] = []
            for doc in items or ():
                if doc.reject is not None or doc.article is None:
                    reject = doc.reject or Reject("internal", "no article", self.name)
                    row = {
                        "location": doc.record.location,
                        "reason": reject.reason,
                        "message": reject.message,
                    }
                    rejects.write(json.dumps(row, ensure_ascii=False) + "\n")
                    self.stats["rejected"] += 1
                    self.stats[f"rejected:{reject.reason}"] += 1
                    yield doc
                    continue
                article = doc.article
                offsets.append(articles.tell())
                line = json.dumps(record_of(article), ensure_ascii=False) + "\n"
                articles.write(line.encode("utf-8"))
                docs.write(json.dumps(doc_info(article), ensure_ascii=False) + "\n")
                cfg = self.config
                batch.append(
                    shingle_article(article, cfg.shingle, cfg.anchor_words, cfg.anchor_rate)
                )
                doc.article = None  # the shingles are all the sketch needs from here on
                self.stats["written"] += 1
                if len(batch) >= self.batch_docs:
                    flush()
                yield doc
            flush()
        merged = _concat_sketches(sketches, self.config.num_perm)
        np.save(attempt / "offsets.npy", np.asarray(offsets, dtype=np.int64))
        np.save(attempt / "doc_sigs.npy", merged.doc_sigs)
        np.save(attempt / "unit_sigs.npy", merged.unit_sigs)
        np.save(attempt / "unit_owner.npy", merged.unit_owner)
        np.save(attempt / "anchor_keys.npy", merged.anchor_keys)
        np.save(attempt / "anchor_owner.npy", merged.anchor_owner)
        started = time.perf_counter()
        for level, sigs, bands in (
            ("doc", merged.doc_sigs, self.config.doc_bands()),
            ("unit", merged.unit_sigs, self.config.unit_bands()),
        ):
            self.stats[f"{level}_keys"] += write_band_partitions(
                attempt, level, sigs, bands, self.partitions
            )
        zeros = np.zeros(len(merged.anchor_keys), dtype=np.int16)
        self.stats["anchor_keys"] += write_key_partitions(
            attempt, "anchor", zeros, merged.anchor_keys, merged.anchor_owner, self.partitions
        )
        self.stats["band_seconds"] += time.perf_counter() - started


def _concat_sketches(parts: Sequence[Sketches], num_perm: int) -> Sketches:
    if not parts:
        empty = np.empty((0, num_perm), dtype=np.uint32)
        return Sketches(empty, empty.copy(), np.empty(0, dtype=np.int64))
    return Sketches(
        np.concatenate([p.doc_sigs for p in parts]),
        np.concatenate([p.unit_sigs for p in parts]),
        np.concatenate([p.unit_owner for p in parts]).astype(np.int64),
        np.concatenate([p.anchor_keys for p in parts]).astype(np.uint64),
        np.concatenate([p.anchor_owner for p in parts]).astype(np.int64),
    )


# --- stage 2: candidates, one task per band-key partition ---------------------------------


class GroupPartition(_PartStep):
    """Group one partition of every shard's band keys into buckets, check each collision
    against the full signatures and write the partition's document pairs (``pairs.npy``,
    sorted, unique). ``doc_bases`` / ``unit_bases``: the first corpus row of each shard
    (in ``shards`` order). ``new_from``: keep only pairs with a document at or after this
    index (``trace add``: the pairs among earlier documents are known already)."""

    name = "group"

    def __init__(
        self,
        root: str,
        shards: Sequence[str],
        index_dir: str,
        config: LSHConfig,
        doc_bases: Sequence[int],
        unit_bases: Sequence[int],
        new_from: int = 0,
    ) -> None:
        super().__init__(root)
        self.shards = list(shards)
        self.index_dir = index_dir
        self.config = config
        self.doc_bases = list(doc_bases)
        self.unit_bases = list(unit_bases)
        self.new_from = new_from

    def run(self, items: Iterable[Any] | None, rank: int, world_size: int) -> Iterator[Any]:
        attempt = self.new_attempt(rank)
        cfg, index = self.config, Path(self.index_dir)
        shards = [Path(s) for s in self.shards]
        band, key, row = read_partition(shards, "doc", rank, self.doc_bases)
        self.stats["doc_keys"] += len(row)
        pairs = grouped_pairs(band, key, row, cfg.max_bucket)
        pairs = pairs[pairs[:, 1] >= self.new_from]  # i < j: j is the later document
        self.stats["doc_collisions"] += len(pairs)
        doc_sigs = SignatureRows(index / "doc_sigs.npy")
        found = [pairs[agreeing(pairs, doc_sigs, cfg.floor * cfg.threshold)]]
        band, key, row = read_partition(shards, "unit", rank, self.unit_bases)
        self.stats["unit_keys"] += len(row)
        units = grouped_pairs(band, key, row, cfg.max_bucket)
        del band, key, row
        if len(units):
            owners = owners_of(index / "unit_owner.npy", units)
            apart = (owners[:, 0] != owners[:, 1]) & (owners.max(axis=1) >= self.new_from)
            units, owners = units[apart], owners[apart]
            self.stats["unit_collisions"] += len(units)
            unit_sigs = SignatureRows(index / "unit_sigs.npy")
            docs = owners[agreeing(units, unit_sigs, cfg.floor * cfg.passage_threshold)]
            docs.sort(axis=1)
            found.append(docs)
        band, key, row = read_partition(shards, "anchor", rank, self.doc_bases)
        self.stats["anchor_keys"] += len(row)
        anchored = grouped_pairs(band, key, row, cfg.anchor_max_docs, unique=False,
                                 keep_large=False)
        # Counted here, summed over partitions by the driver: the anchors two documents
        # share fall in different partitions.
        anchor, counts = count_pairs(anchored[anchored[:, 1] >= self.new_from])
        self.stats["anchor_pairs"] += len(anchor)
        np.save(attempt / "anchor_pairs.npy", anchor)
        np.save(attempt / "anchor_counts.npy", counts)
        merged = np.concatenate(found) if found else np.empty((0, 2), np.int64)
        merged = np.unique(merged, axis=0) if len(merged) else merged.reshape(0, 2)
        self.stats["pairs"] += len(merged)
        np.save(attempt / "pairs.npy", merged.astype(np.int64))
        yield from ()


# --- stage 3: verify candidate pairs -------------------------------------------------------


class _IndexArticles:
    """Random access to ``OUT/index/articles.jsonl`` (ids already unique), with a bounded
    cache of articles and their tokens: pairs arrive sorted by their first article."""

    def __init__(self, index_dir: Path, cache: int = 4096) -> None:
        self.offsets = np.load(index_dir / "offsets.npy", mmap_mode="r")
        self.handle = (index_dir / "articles.jsonl").open("rb")
        self.cache: OrderedDict[int, tuple[Article, Tokens]] = OrderedDict()
        self.size = cache

    def get(self, i: int) -> tuple[Article, Tokens]:
        hit = self.cache.get(i)
        if hit is not None:
            self.cache.move_to_end(i)
            return hit
        article = article_at(self.handle, int(self.offsets[i]))
        hit = (article, tokenize(article))
        self.cache[i] = hit
        if len(self.cache) > self.size:
            self.cache.popitem(last=False)
        return hit

    def close(self) -> None:
        self.handle.close()


def chunk_bounds(total: int, rank: int, world_size: int) -> tuple[int, int]:
    """Contiguous slice ``[start, end)`` of ``total`` candidates for task ``rank``."""
    return total * rank // world_size, total * (rank + 1) // world_size


class VerifyChunk(_PartStep):
    """Align every candidate pair of the task's chunk; keep the related ones as
    ``pairs.parquet`` rows (story left empty, plus the article indexes ``i``, ``j`` and
    the decided source side for the driver) and ``passages.parquet`` rows."""

    name = "verify"

    def __init__(self, root: str, index_dir: str, config: TraceConfig) -> None:
        super().__init__(root)
        self.index_dir = index_dir
        self.config = config

    def run(self, items: Iterable[Any] | None, rank: int, world_size: int) -> Iterator[Any]:
        pa, pq = _pyarrow()
        attempt = self.new_attempt(rank)
        candidates = np.load(Path(self.root) / "candidates.npy", mmap_mode="r")
        start, end = chunk_bounds(len(candidates), rank, world_size)
        chunk = np.asarray(candidates[start:end])
        sigs = np.load(Path(self.index_dir) / "doc_sigs.npy", mmap_mode="r")
        store = _IndexArticles(Path(self.index_dir))
        pairs: list[dict[str, Any]] = []
        passages: list[dict[str, Any]] = []
        try:
            for i, j in chunk.tolist():
                started = time.perf_counter()
                a, tokens_a = store.get(i)
                b, tokens_b = store.get(j)
                found = verify_pair(a, b, self.config, tokens_a, tokens_b)
                self.stats["candidates"] += 1
                if found is not None:
                    al, direction, kind = found
                    p = PairResult(i, j, jaccard(sigs[i], sigs[j]), kind, al, direction)
                    both = {i: a, j: b}
                    row = pair_row(p, both, None)
                    row.update(i=i, j=j, side=direction.source)
                    pairs.append(row)
                    passages.extend(passage_rows(p, both))
                    self.stats["related"] += 1
                self.stats["seconds"] += time.perf_counter() - started
                yield (i, j)
        finally:
            store.close()
        schema = schemas()["pairs"]
        extra = [("i", pa.int64()), ("j", pa.int64()), ("side", pa.string())]
        for name, rows, s in (
            ("pairs", pairs, pa.schema([*schema, *extra])),
            ("passages", passages, schemas()["passages"]),
        ):
            pq.write_table(pa.Table.from_pylist(rows, schema=s), attempt / f"{name}.parquet")


# --- the driver -----------------------------------------------------------------------------


@dataclass(slots=True)
class TraceRunSummary:
    """What a sharded trace did; ``failed`` holds ``{stage: {rank: error}}``."""

    articles: int = 0
    candidates: int = 0
    pairs: int = 0
    passages: int = 0
    stories: int = 0
    rejected: int = 0
    read: RunSummary | None = None
    group: RunSummary | None = None
    verify: RunSummary | None = None
    failed: dict[str, dict[int, str]] = field(default_factory=dict)
    seconds: float = 0.0


def _read_description(
    inputs: Sequence[str | Path], format: str, lsh: LSHConfig, settings: Settings, limit: int | None
) -> dict[str, Any]:
    """What stage 1's shards depend on; a resumed run must match it."""
    backend = MinHasher(lsh.num_perm, lsh.seed, lsh.backend).backend
    return {
        "inputs": [str(Path(p).resolve()) for p in inputs],
        "format": format,
        "max_bytes": settings.max_bytes,
        "limit": limit,
        "shingle": lsh.shingle,
        "num_perm": lsh.num_perm,
        "seed": lsh.seed,
        "backend": backend,
        "passage_min_words": lsh.passage_min_words,
    }


def _unique(ids: list[str]) -> list[str]:
    # Ids key every output table; a repeated id gets a suffix rather than losing a document.
    seen: dict[str, int] = {}
    out = []
    for i, raw in enumerate(ids):
        base = raw or f"doc{i}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(base if n == 0 else f"{base}~{n}")
    return out


def _unique_ids(ids: Any) -> tuple[Any, dict[int, str]]:
    """:func:`_unique` over an Arrow column of a whole corpus: ``(unique ids, {row: new
    id})``. Only the rows with an empty or repeated id become Python strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    empty = np.asarray(pc.fill_null(pc.equal(ids, ""), True), dtype=bool)
    renamed = {int(i): f"doc{i}" for i in np.flatnonzero(empty)}
    base = _replaced(ids, renamed)
    counts = pc.value_counts(base)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    if len(repeated):
        rows = np.flatnonzero(np.asarray(pc.is_in(base, value_set=repeated), dtype=bool))
        values = base.take(pa.array(rows)).to_pylist()
        seen: dict[str, int] = {}
        for i, value in zip(rows.tolist(), values, strict=True):
            n = seen.get(value, 0)
            seen[value] = n + 1
            if n:
                renamed[i] = f"{value}~{n}"
    return _replaced(ids, renamed), renamed


def _replaced(ids: Any, values: dict[int, str]) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    if not values:
        return ids
    mask = np.zeros(len(ids), dtype=bool)
    rows = sorted(values)
    mask[rows] = True
    return pc.replace_with_mask(ids, pa.array(mask), pa.array([values[r] for r in rows]))


@dataclass(slots=True)
class _Gathered:
    """What the driver keeps of the read stage: the articles' ids, outlets and dates as
    Arrow columns (about 50 bytes an article, not a Python object each) and each shard's
    first corpus row (documents, passage units) — never a signature."""

    docs: Any  # pyarrow.Table: id (unique), outlet, published
    doc_bases: list[int]
    unit_bases: list[int]
    rejected: int


def _npy_rows(path: Path) -> tuple[int, int]:
    """``(rows, header bytes)`` of a ``.npy`` file, read from its header alone."""
    with path.open("rb") as handle:
        version = np.lib.format.read_magic(handle)
        read = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        shape, _, _ = read(handle)
        return int(shape[0]) if shape else 0, handle.tell()


def _concat_npy(
    sources: Sequence[Path], dest: Path, dtype: Any, width: int | None, add: Sequence[int] = ()
) -> None:
    """Concatenate ``.npy`` arrays on disk in chunks (``add``: a per-source offset added
    to every value), so the driver never holds the signatures."""
    counts = [_npy_rows(p)[0] for p in sources]
    shape = (sum(counts), width) if width else (sum(counts),)
    row_bytes = np.dtype(dtype).itemsize * (width or 1)
    chunk = max(1, (16 << 20) // row_bytes)
    with dest.open("wb") as out:
        header = {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False}
        np.lib.format.write_array_header_1_0(out, {**header, "shape": shape})
        for n, src in enumerate(sources):
            rows, offset = _npy_rows(src)
            with src.open("rb") as handle:
                handle.seek(offset)
                for _ in range(0, rows, chunk):
                    data = handle.read(chunk * row_bytes)
                    if add:
                        data = (np.frombuffer(data, dtype=dtype) + add[n]).astype(dtype).tobytes()
                    out.write(data)


def _gather_shards(shard_dirs: Sequence[Path], out: Path, config: LSHConfig) -> _Gathered:
    """Concatenate the shards in order into ``OUT/index/`` (articles with unique ids,
    signatures, by streaming copies) and ``OUT/rejects.jsonl``. Rebuilt whole each time
    (``trace add`` too), so a killed run that is started again never appends twice."""
    from newstrace.trace.index import write_meta

    index_dir = out / "index"
    index_dir.mkdir(parents=True, exist_ok=True)
    (index_dir / "meta.json").unlink(missing_ok=True)  # never a valid meta over new files
    docs, doc_bases = _read_docs(shard_dirs)
    unit_counts = [_npy_rows(s / "unit_owner.npy")[0] for s in shard_dirs]
    unit_bases = [int(x) for x in np.cumsum([0, *unit_counts])[:-1]]
    ids, renamed = _unique_ids(docs["id"])
    docs = docs.set_column(0, "id", ids)
    offsets = _copy_articles(shard_dirs, index_dir / "articles.jsonl", renamed)
    if len(offsets) != len(docs):
        raise ValueError("shard articles and records disagree")
    np.save(index_dir / "offsets.npy", offsets)
    for name in ("doc_sigs.npy", "unit_sigs.npy"):
        sources = [s / name for s in shard_dirs]
        _concat_npy(sources, index_dir / name, np.uint32, config.num_perm)
    for name, dtype, add in (
        ("unit_owner.npy", np.int64, doc_bases),
        ("anchor_keys.npy", np.uint64, []),
        ("anchor_owner.npy", np.int64, doc_bases),
    ):
        sources = [s / name for s in shard_dirs]
        _concat_npy(sources, index_dir / name, dtype, None, add=add)
    if _npy_rows(index_dir / "doc_sigs.npy")[0] != len(docs):
        raise ValueError("shard articles and signatures disagree")
    rejected = 0
    with (out / "rejects.jsonl").open("wb") as rejects:
        for shard in shard_dirs:
            with (shard / "rejects.jsonl").open("rb") as handle:
                for line in handle:
                    rejects.write(line)
                    rejected += 1
    write_meta(out, config, len(docs))
    return _Gathered(docs, doc_bases, unit_bases, rejected)


def _read_docs(shard_dirs: Sequence[Path]) -> tuple[Any, list[int]]:
    """Every shard's ``docs.jsonl`` as one Arrow table (id, outlet, published) and each
    shard's first row; a shard at a time is held as Python objects."""
    pa, _ = _pyarrow()
    schema = pa.schema([(name, pa.string()) for name in ("id", "outlet", "published")])
    tables, bases, count = [], [], 0
    for shard in shard_dirs:
        bases.append(count)
        columns: dict[str, list[Any]] = {name: [] for name in schema.names}
        with (shard / "docs.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                for name, values in columns.items():
                    values.append(row[name])
        tables.append(pa.table(columns, schema=schema))
        count += tables[-1].num_rows
    docs = pa.concat_tables(tables) if tables else schema.empty_table()
    return docs.combine_chunks(), bases


def _copy_articles(shard_dirs: Sequence[Path], dest: Path, renamed: dict[int, str]) -> np.ndarray:
    """``articles.jsonl`` of every shard into one file, ``renamed`` ids (by corpus row)
    rewritten; the byte offset of each line."""
    offsets = array("q")
    k = 0
    with dest.open("wb") as articles:
        for shard in shard_dirs:
            with (shard / "articles.jsonl").open("rb") as handle:
                for line in handle:
                    offsets.append(articles.tell())
                    if k in renamed:
                        record = json.loads(line)
                        record["id"] = renamed[k]
                        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
                    articles.write(line)
                    k += 1
    return np.frombuffer(offsets, dtype=np.int64) if len(offsets) else np.zeros(0, np.int64)


@dataclass
class _Run:
    """One ``trace run``: where its stages write and how their executors are built."""

    out: Path
    config: TraceConfig
    settings: Settings
    executor: str
    workers: int
    tasks: int
    partitions: int
    options: dict[str, Any]

    @property
    def root(self) -> Path:
        return self.out / TRACE_DIR

    def stage(self, pipeline: list[Step], folder: Path, tasks: int, identity: Any) -> RunSummary:
        from newstrace.corpus.executor.factory import make_executor

        return make_executor(
            self.executor,
            pipeline,
            folder,
            workers=self.workers,
            tasks=tasks,
            description={"executor": self.executor},
            # A resumed stage must read the same inputs with the same parameters.
            identity=identity,
            **self.options,
        ).run()


def _make_run(
    out: str | Path,
    config: TraceConfig,
    *,
    executor: str,
    workers: int,
    tasks: int | None,
    partitions: int | None,
    settings: Settings | None,
    limit: int | None,
    **options: Any,
) -> _Run:
    from newstrace.corpus.executor.factory import EXECUTORS, default_tasks

    if executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r}: local or ray")
    if partitions is not None and partitions < 1:
        raise ConfigError("partitions must be at least 1")
    path = Path(out).resolve()
    if path.exists() and not path.is_dir():
        raise OutputError(f"trace output {path} exists and is not a folder")
    n_tasks = 1 if limit is not None else default_tasks(workers, tasks)
    return _Run(
        path, config, settings or Settings(), executor, workers, n_tasks,
        partitions or n_tasks, options,
    )  # fmt: skip


def _in_session(run: _Run, work: Any) -> TraceRunSummary:
    if run.executor != "ray":
        return work()
    from newstrace.corpus.executor.ray import ray_session

    # One Ray session for every stage: starting a local cluster costs seconds.
    with ray_session(run.options.get("ray_address"), workers=run.workers):
        return work()


def trace_corpus(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    config: TraceConfig | None = None,
    executor: str = "local",
    workers: int = 1,
    tasks: int | None = None,
    partitions: int | None = None,
    ray_address: str | None = None,
    format: str = "auto",
    settings: Settings | None = None,
    limit: int | None = None,
    progress: bool = True,
    doc_timeout_s: float = 600.0,
    memory_limit_mb: int | None = None,
) -> TraceRunSummary:
    """Trace ``inputs`` into ``out`` on the local or Ray executor (module docstring).

    Resumable: rerun with the same arguments and finished tasks of every stage are
    skipped. ``limit`` runs a single task, so it counts documents over the whole corpus.
    ``partitions``: band-key partitions, one candidate task each (default: the tasks).
    """
    run = _make_run(
        out, config or TraceConfig(), executor=executor, workers=workers, tasks=tasks,
        partitions=partitions, settings=settings, limit=limit, progress=progress,
        ray_address=ray_address, doc_timeout_s=doc_timeout_s, memory_limit_mb=memory_limit_mb,
    )  # fmt: skip
    record = run.root / CORPUS_FILE
    if record.is_file() and json.loads(record.read_text(encoding="utf-8")).get("adds"):
        # Redoing the first run would drop what later adds brought in.
        raise ConfigError(
            f"{run.out} has grown by `newstrace trace add`; trace into a new folder instead"
        )
    corpus = {"shards": [], "verify": [], "partitions": run.partitions, "adds": 0}
    return _in_session(
        run, lambda: _trace_stages(run, run.root, corpus, inputs, format, limit)
    )


def add_to_trace(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    executor: str = "local",
    workers: int = 1,
    tasks: int | None = None,
    ray_address: str | None = None,
    format: str = "auto",
    settings: Settings | None = None,
    progress: bool = True,
    doc_timeout_s: float = 600.0,
    memory_limit_mb: int | None = None,
) -> TraceRunSummary:
    """``trace add``: sign and band only the documents of ``inputs``, group their band
    keys with the existing shards' (same partitions), verify the new pairs only, and
    rewrite the index and every output table. Parameters are the traced corpus's own.
    Resumable like ``trace run``; a finished add is recorded in ``_trace/corpus.json``."""
    corpus, config = _load_corpus(Path(out).resolve())
    wanted = [str(Path(p).resolve()) for p in inputs]
    if any(done == wanted for done in corpus.get("added", [])):
        # A finished add is never repeated: its documents would be in the corpus twice.
        raise ConfigError(f"{', '.join(map(str, inputs))} were already added to {out}")
    run = _make_run(
        out, config, executor=executor, workers=workers, tasks=tasks,
        partitions=None, settings=settings, limit=None, progress=progress,
        ray_address=ray_address, doc_timeout_s=doc_timeout_s, memory_limit_mb=memory_limit_mb,
    )  # fmt: skip
    run.partitions = int(corpus["partitions"])
    folder = run.root / f"add-{int(corpus['adds']) + 1:04d}"
    corpus["adding"] = wanted
    return _in_session(run, lambda: _trace_stages(run, folder, corpus, inputs, format, None))


def _load_corpus(out: Path) -> tuple[dict[str, Any], TraceConfig]:
    path = out / TRACE_DIR / CORPUS_FILE
    if not path.is_file():
        raise InputNotFound(
            f"{out} holds no finished trace to add to (run `newstrace trace run` first)",
            path=str(out),
        )
    try:
        corpus = json.loads(path.read_text(encoding="utf-8"))
        raw = dict(corpus["config"])
        lsh = dict(raw.pop("lsh"))
        for key in ("bands", "passage_bands"):
            if lsh.get(key) is not None:
                lsh[key] = tuple(lsh[key])
        return corpus, TraceConfig(lsh=LSHConfig(**lsh), **raw)
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedData(f"{path} is damaged: {exc}") from exc


def _trace_stages(
    run: _Run,
    folder: Path,
    corpus: dict[str, Any],
    inputs: Sequence[str | Path],
    format: str,
    limit: int | None,
) -> TraceRunSummary:
    """Read ``inputs`` into new shards under ``folder``, then candidates (pairs that
    involve a new document), verification and every output over the whole corpus."""
    started = time.perf_counter()
    summary = TraceRunSummary()
    lsh = run.config.lsh
    read_dir = folder / READ_DIR
    description = _read_description(inputs, format, lsh, run.settings, limit)
    description["partitions"] = run.partitions
    reader = make_trace_reader(inputs, format=format, settings=run.settings)
    stage1 = [
        reader,
        TraceLoad(run.settings, limit),
        SketchShard(str(read_dir), lsh, partitions=run.partitions),
    ]
    summary.read = run.stage(stage1, read_dir, run.tasks, description)
    if summary.read.failed:
        summary.failed["read"] = summary.read.failed
        return summary
    new_shards = [read_dir / "shards" / _part(r) for r in range(run.tasks)]
    shards = [run.root / s for s in corpus["shards"]] + new_shards
    try:
        gathered = _gather_shards(shards, run.out, lsh)
    except (OSError, ValueError, KeyError) as exc:
        raise _damaged(run.root, exc) from exc
    summary.articles, summary.rejected = len(gathered.docs), gathered.rejected
    new_from = gathered.doc_bases[len(corpus["shards"])]
    candidates = _candidates_stage(run, folder, shards, gathered, new_from, summary)
    if candidates is None:
        return summary
    summary.candidates = len(candidates)
    verify_dir = folder / VERIFY_DIR
    if not _verify_stage(run, verify_dir, candidates, len(gathered.docs), summary):
        return summary
    verify_dirs = [run.root / v for v in corpus["verify"]] + [verify_dir]
    try:
        counts = _write_outputs(run.out, verify_dirs, gathered.docs, lsh.anchor_max_docs)
    except (OSError, ValueError, KeyError) as exc:
        raise _damaged(run.root, exc) from exc
    summary.pairs, summary.passages = counts["pairs"], counts["passages"]
    summary.stories = counts["stories"]
    _record_corpus(run, corpus, folder, shards, verify_dirs)
    summary.seconds = time.perf_counter() - started
    return summary


def _verify_stage(
    run: _Run, verify_dir: Path, candidates: np.ndarray, articles: int, summary: TraceRunSummary
) -> bool:
    plan = {
        "candidates": hashlib.sha1(candidates.tobytes()).hexdigest(),
        "count": len(candidates),
        "articles": articles,
        "config": json.loads(json.dumps(asdict(run.config))),
    }
    _plan_verify(verify_dir, plan, candidates)
    stage: list[Step] = [VerifyChunk(str(verify_dir), str(run.out / "index"), run.config)]
    summary.verify = run.stage(stage, verify_dir, run.tasks, {"plan": plan["candidates"]})
    if summary.verify.failed:
        summary.failed["verify"] = summary.verify.failed
        return False
    return True


def _record_corpus(
    run: _Run, corpus: dict[str, Any], folder: Path, shards: list[Path], verify: list[Path]
) -> None:
    """``_trace/corpus.json``: which shards and verified parts make up the traced corpus
    (what ``trace add`` grows); written last, so an add cut short is simply redone."""
    record = {
        "shards": [str(s.relative_to(run.root)) for s in shards],
        "verify": [str(v.relative_to(run.root)) for v in verify],
        "partitions": run.partitions,
        "adds": int(corpus["adds"]) + (folder != run.root),
        "added": [*corpus.get("added", []), *([corpus["adding"]] if "adding" in corpus else [])],
        "config": json.loads(json.dumps(asdict(run.config))),
    }
    tmp = run.root / f".{CORPUS_FILE}.tmp"
    tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
    os.replace(tmp, run.root / CORPUS_FILE)


def _candidates_stage(
    run: _Run,
    folder: Path,
    shards: Sequence[Path],
    gathered: _Gathered,
    new_from: int,
    summary: TraceRunSummary,
) -> np.ndarray | None:
    """Stage 2 on the executor; the sorted unique candidate pairs (None if a task
    failed). The driver only concatenates the partitions' pairs."""
    lsh = run.config.lsh
    stage_dir = folder / CANDIDATES_DIR
    plan = {
        "shards": [str(s) for s in shards],
        "doc_bases": gathered.doc_bases,
        "unit_bases": gathered.unit_bases,
        "new_from": new_from,
        "partitions": run.partitions,
        "lsh": json.loads(json.dumps(asdict(lsh))),
    }
    _reset_if_changed(stage_dir, plan)
    step = GroupPartition(
        str(stage_dir),
        [str(s) for s in shards],
        str(run.out / "index"),
        lsh,
        gathered.doc_bases,
        gathered.unit_bases,
        new_from,
    )
    identity = {"plan": hashlib.sha1(json.dumps(plan).encode()).hexdigest()}
    summary.group = run.stage([step], stage_dir, run.partitions, identity)
    if summary.group.failed:
        summary.failed["group"] = summary.group.failed
        return None
    try:
        folders = [step.final_dir(p) for p in range(run.partitions)]
        parts = [np.load(f / "pairs.npy") for f in folders]
        anchor = np.concatenate([np.load(f / "anchor_pairs.npy") for f in folders])
        counts = np.concatenate([np.load(f / "anchor_counts.npy") for f in folders])
    except (OSError, ValueError) as exc:
        raise _damaged(run.root, exc) from exc
    if len(anchor):
        keys, where = np.unique(_pair_keys(anchor), return_inverse=True)
        shared = np.bincount(where.ravel(), weights=counts, minlength=len(keys))
        parts.append(_key_pairs(keys[shared >= lsh.anchor_min]))
    pairs = np.concatenate(parts) if parts else np.empty((0, 2), np.int64)
    return _key_pairs(np.unique(_pair_keys(pairs)))


def _pair_keys(pairs: np.ndarray) -> np.ndarray:
    """Pairs ``(i, j)`` as one int64 each, ordered as the pairs are (by i, then j): a 1-D
    unique sorts in place where ``np.unique(axis=0)`` copies the rows several times."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return (pairs[:, 0] << 32) | pairs[:, 1]


def _key_pairs(keys: np.ndarray) -> np.ndarray:
    return np.stack([keys >> 32, keys & 0xFFFFFFFF], axis=1).astype(np.int64)


def _damaged(root: Path, exc: BaseException) -> MalformedData:
    # A finished task's files went missing or were cut short after its marker was written
    # (deleted by hand, a full disk): the marker cannot be trusted any more.
    return MalformedData(
        f"the trace's task files under {root} are damaged ({type(exc).__name__}: {exc}); "
        "delete that folder and run again"
    )


def _reset_if_changed(folder: Path, plan: dict[str, Any]) -> None:
    """A stage folder holds the work of one plan (``plan.json``); a different plan (other
    thresholds, new shards) voids it."""
    plan_file = folder / "plan.json"
    if plan_file.exists():
        try:
            previous = json.loads(plan_file.read_text(encoding="utf-8"))
        except ValueError:
            previous = None
        if previous != plan:
            shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    plan_file.write_text(json.dumps(plan, indent=1), encoding="utf-8")


def _plan_verify(verify_dir: Path, plan: dict[str, Any], candidates: np.ndarray) -> None:
    """Write stage 3's candidates; a plan that differs from an earlier run's (other
    thresholds, say) voids that run's verified chunks."""
    _reset_if_changed(verify_dir, plan)
    tmp = verify_dir / ".candidates.npy"
    with tmp.open("wb") as handle:
        np.save(handle, candidates)
    os.replace(tmp, verify_dir / "candidates.npy")


def _stock_pairs(
    parts: Sequence[Path], pairs: list[dict[str, Any]], max_docs: int
) -> set[tuple[str, str]]:
    """``(a, b)`` ids of the partial pairs made only of boilerplate (trace/boilerplate.py),
    from the shared passages' texts, read part by part (the texts are never all held)."""
    import pyarrow.compute as pc

    _, pq = _pyarrow()
    index = {(r["a"], r["b"]): (r["i"], r["j"], r["kind"]) for r in pairs}

    def passages() -> Iterator[tuple[int, int, str, list[str]]]:
        for part in parts:
            columns = ["a", "b", "type", "a_text"]
            table = pq.read_table(part / "passages.parquet", columns=columns)
            table = table.filter(pc.equal(table["type"], "shared"))
            texts: dict[tuple[str, str], list[str]] = {}
            cols = [table[c].to_pylist() for c in ("a", "b", "a_text")]
            for a, b, text in zip(*cols, strict=True):
                texts.setdefault((a, b), []).append(text)
            for key, found in texts.items():
                if key in index:
                    yield (*index[key], found)

    stock = boilerplate_pairs(passages, max_docs)
    return {(r["a"], r["b"]) for r in pairs if (r["i"], r["j"]) in stock}


def _not_in(table: Any, pairs: set[tuple[str, str]]) -> Any:
    """Mask of the passage rows whose pair is not in ``pairs``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = pc.binary_join_element_wise(table["a"], table["b"], "\x00")
    drop = pa.array(["\x00".join(p) for p in pairs], pa.string())
    return pc.invert(pc.is_in(keys, value_set=drop))


def _write_outputs(
    out: Path, verify_dirs: Sequence[Path], docs: Any, max_docs: int = 20
) -> dict[str, int]:
    """Every output table from the verified parts of ``verify_dirs`` (the run's, then each
    ``trace add``'s); story families by union-find over the pair table. ``docs``: the
    Arrow table of :class:`_Gathered`; what is held per article is a few numpy values."""
    _, pq = _pyarrow()
    parts = [
        part
        for folder in verify_dirs
        for part in sorted((folder / "parts").glob("part-*"))
    ]
    pairs = [row for part in parts for row in pq.read_table(part / "pairs.parquet").to_pylist()]
    pairs.sort(key=lambda r: (r["i"], r["j"]))  # the same order however the pairs were found
    stock = _stock_pairs(parts, pairs, max_docs)
    pairs = [r for r in pairs if (r["a"], r["b"]) not in stock]
    strong = [(r["i"], r["j"]) for r in pairs if r["kind"] != "partial"]
    labels = story_label_array(len(docs), strong)
    links = [(r["i"], r["j"], r["kind"], r["side"]) for r in pairs]
    for row in pairs:
        row["story"] = int(labels[row["i"]]) if row["kind"] != "partial" else None
        del row["i"], row["j"], row["side"]

    def passage_parts() -> Iterator[Any]:
        pa, _ = _pyarrow()
        for part in parts:
            # Batch by batch: a part's passages carry both texts of every shared span.
            for batch in pq.ParquetFile(part / "passages.parquet").iter_batches(8192):
                table = pa.Table.from_batches([batch])
                yield table.filter(_not_in(table, stock)) if stock else table

    return write_tables(out, pairs, passage_parts(), CorpusStories(docs, labels, links))
