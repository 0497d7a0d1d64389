"""The last step: Parquet tables, one file per task per table, committed atomically.

While a task runs, its rows go to ``OUT/_tmp/task-RRRRR-<attempt>/<table>.parquet`` in
row groups of ``batch_docs`` documents (memory stays bounded). Only when the whole shard
is through does :meth:`ParquetWriter.commit` rename each file to
``OUT/<table>/part-RRRRR-of-WWWWW.parquet``; the executor writes the task's completion
marker after that. A task killed at any point therefore leaves either nothing visible or
complete files without a marker, which the next attempt replaces — never half a shard, and
never a document twice.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newstrace.corpus.record import Doc, Reject
from newstrace.corpus.step import Step
from newstrace.corpus.tables import SCHEMAS, TABLES, flatten, reject_row

TMP_DIR = "_tmp"


def part_name(rank: int, world_size: int) -> str:
    return f"part-{rank:05d}-of-{world_size:05d}.parquet"


class ParquetWriter(Step):
    """Write every document's rows (or its reject) to the task's Parquet files."""

    name = "write"

    def __init__(
        self, output: str | Path, *, batch_docs: int = 256, compression: str = "zstd"
    ) -> None:
        super().__init__()
        self.output = str(output)
        self.batch_docs = batch_docs
        self.compression = compression
        self._attempt_dir: Path | None = None

    def final_path(self, table: str, rank: int, world_size: int) -> Path:
        return Path(self.output) / table / part_name(rank, world_size)

    def run(self, items: Iterable[Any] | None, rank: int, world_size: int) -> Iterator[Doc]:
        import pyarrow.parquet as pq

        # A fresh folder per attempt: an orphaned earlier attempt still writing can never
        # interleave its bytes with ours.
        attempt = Path(self.output) / TMP_DIR / f"task-{rank:05d}-{uuid.uuid4().hex[:8]}"
        attempt.mkdir(parents=True, exist_ok=True)
        self._attempt_dir = attempt
        writers = {
            t: pq.ParquetWriter(attempt / f"{t}.parquet", SCHEMAS[t], compression=self.compression)
            for t in TABLES
        }
        pending: list[tuple[Doc, dict[str, list[dict[str, Any]]]]] = []
        try:
            for doc in items or ():
                started = time.perf_counter()
                pending.append((doc, flatten(doc, rank)))
                if len(pending) >= self.batch_docs:
                    self._flush(pending, writers, rank)
                    pending = []
                self.stats["seconds"] += time.perf_counter() - started
                yield doc
            started = time.perf_counter()
            self._flush(pending, writers, rank)
            self.stats["seconds"] += time.perf_counter() - started
        finally:
            for writer in writers.values():
                writer.close()

    def _flush(
        self,
        pending: list[tuple[Doc, dict[str, list[dict[str, Any]]]]],
        writers: dict[str, Any],
        rank: int,
    ) -> None:
        import pyarrow as pa

        try:
            tables = {
                t: pa.Table.from_pylist(
                    [r for _, rows in pending for r in rows.get(t, ())], schema=SCHEMAS[t]
                )
                for t in TABLES
            }
        except (pa.ArrowException, TypeError, ValueError, UnicodeError):
            # Some document's values do not fit the schema (a bug upstream, odd text):
            # find it, and send just that one to rejects.
            tables = {t: pa.Table.from_pylist([], schema=SCHEMAS[t]) for t in TABLES}
            parts: dict[str, list[Any]] = {t: [] for t in TABLES}
            for doc, rows in pending:
                try:
                    built = {
                        t: pa.Table.from_pylist(rows.get(t, []), schema=SCHEMAS[t]) for t in rows
                    }
                except (pa.ArrowException, TypeError, ValueError, UnicodeError) as exc:
                    doc.reject = Reject(
                        "unwritable", f"{type(exc).__name__}: {exc}"[:2000], self.name
                    )
                    doc.report = None
                    row = reject_row(doc, rank)
                    for key in ("id", "location", "message"):
                        row[key] = str(row[key]).encode("utf-8", "replace").decode("utf-8")
                    built = {"rejects": pa.Table.from_pylist([row], schema=SCHEMAS["rejects"])}
                for t, table in built.items():
                    parts[t].append(table)
            tables = {t: pa.concat_tables(parts[t]) if parts[t] else tables[t] for t in TABLES}
        for doc, _ in pending:
            self.stats["rejected" if doc.reject else "written"] += 1
            if doc.reject:
                self.stats[f"rejected:{doc.reject.reason}"] += 1
        for t, table in tables.items():
            if table.num_rows:
                writers[t].write_table(table)
            self.stats[f"rows:{t}"] += table.num_rows

    def commit(self, rank: int, world_size: int) -> None:
        attempt = self._attempt_dir
        if attempt is None:
            raise RuntimeError("commit before run")
        for t in TABLES:
            final = self.final_path(t, rank, world_size)
            final.parent.mkdir(parents=True, exist_ok=True)
            _fsync_file(attempt / f"{t}.parquet")
            os.replace(attempt / f"{t}.parquet", final)
        shutil.rmtree(attempt, ignore_errors=True)
        self._attempt_dir = None

    def discard(self, rank: int, world_size: int) -> None:
        tmp = Path(self.output) / TMP_DIR
        if tmp.is_dir():
            for stale in tmp.glob(f"task-{rank:05d}-*"):
                shutil.rmtree(stale, ignore_errors=True)
        for t in TABLES:
            self.final_path(t, rank, world_size).unlink(missing_ok=True)


def _fsync_file(path: Path) -> None:
    # The rename must not become visible before the bytes are on disk (power loss on a
    # shared file system would otherwise leave an empty part behind a marker).
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
