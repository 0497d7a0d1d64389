"""Per-document isolation for corpus tasks: in-flight markers and poison lists.

A document can take its worker down with it: a hang no in-process alarm can stop (a C
extension that never returns), a memory blow-up the kernel answers with SIGKILL, a
segfault. Without help the whole task would fail again on every rerun. Two small files
per task let the executor isolate the one document instead:

- ``OUT/_tmp/inflight-RRRRR``: the location of the document the task is working on now,
  rewritten as each record enters the pipeline (its mtime says since when). Steps are
  one-in-one-out generators, so the record last pulled from the reader is the one being
  loaded and analysed.
- ``OUT/_poison/task-RRRRR.json``: ``{location: {"reason", "message"}}`` for documents
  that killed or hung a worker. When the executor restarts the task, these records skip
  every step and land in ``rejects`` with that reason (stage ``worker``); everything else
  in the shard is redone from scratch, so each document is still written exactly once.

The poison list lives in the output folder, so a resumed run skips the same documents.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newstrace.corpus.record import InputRecord, Reject
from newstrace.corpus.writers import TMP_DIR

POISON_DIR = "_poison"
#: Reject reasons for documents the executor had to take a worker down for.
TIMEOUT = "timeout"
CRASH = "crash"
STAGE = "worker"


def inflight_path(output: Path, rank: int) -> Path:
    return output / TMP_DIR / f"inflight-{rank:05d}"


def poison_path(output: Path, rank: int) -> Path:
    return output / POISON_DIR / f"task-{rank:05d}.json"


def read_poison(output: Path, rank: int) -> dict[str, dict[str, str]]:
    path = poison_path(output, rank)
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def add_poison(output: Path, rank: int, location: str, reason: str, message: str) -> None:
    """Record that the document at ``location`` of task ``rank`` must not run again."""
    poison = read_poison(output, rank)
    poison[location] = {"reason": reason, "message": message}
    path = poison_path(output, rank)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(poison, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def read_inflight(output: Path, rank: int) -> tuple[str, float] | None:
    """(location, seconds since it started) of task ``rank``'s current document."""
    path = inflight_path(output, rank)
    try:
        location = path.read_text(encoding="utf-8")
        started = path.stat().st_mtime
    except OSError:
        return None
    return (location, max(0.0, time.time() - started)) if location else None


def clear_inflight(output: Path, rank: int) -> None:
    inflight_path(output, rank).unlink(missing_ok=True)


def guard_records(records: Iterable[Any] | None, output: Path, rank: int) -> Iterator[Any]:
    """Pass the reader's records on, marking each as in flight and poisoned ones as
    rejects (their content is never parsed)."""
    poison = read_poison(output, rank)
    path = inflight_path(output, rank)
    path.parent.mkdir(parents=True, exist_ok=True)
    # One descriptor for the task: a document costs a seek, a write and a truncate, not an
    # open; the bytes reach the kernel at once, so they survive the process being killed.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for record in records or ():
            if isinstance(record, InputRecord):
                entry = poison.get(record.location)
                if entry is not None and record.error is None:
                    record.error = Reject(entry["reason"], entry["message"], STAGE)
                    record.content = ""
                data = record.location.encode("utf-8", "surrogateescape")
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, data)
                os.ftruncate(fd, len(data))
            yield record
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)
