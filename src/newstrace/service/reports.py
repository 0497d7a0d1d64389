"""Saved reports behind permalinks: one bounded SQLite file in the service's data folder.

Every report the service produces is stored under a random key (``/reports/KEY``), so a
reload or a shared link shows the same report. The file is bounded twice: reports older
than ``max_age_s`` are deleted, and past ``max_bytes`` (compressed bodies) the oldest go
first. Pruning runs with every insert, so the bound holds without a background job.
Bodies are zlib-compressed JSON (a report compresses about 8:1).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
import zlib
from pathlib import Path
from typing import Any

from newstrace.errors import OutputError

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_AGE_S = 30 * 24 * 3600.0
FILE_NAME = "reports.sqlite"
#: Keys are 16 random bytes, URL-safe: unguessable, so a permalink is shared on purpose.
KEY_BYTES = 16

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    key TEXT PRIMARY KEY,
    created REAL NOT NULL,
    size INTEGER NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_created ON reports(created);
"""


def permalink(key: str) -> str:
    """The page's path for a saved report."""
    return f"/reports/{key}"


def valid_key(key: str) -> bool:
    return 8 <= len(key) <= 64 and all(c.isalnum() or c in "-_" for c in key)


class ReportStore:
    """Store and fetch report dicts by key; thread-safe (one connection, one lock)."""

    def __init__(
        self,
        folder: Path,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_age_s: float = DEFAULT_MAX_AGE_S,
    ) -> None:
        self.path = Path(folder) / FILE_NAME
        self.max_bytes = max_bytes
        self.max_age_s = max_age_s
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"cannot open the report store {self.path}: {exc}") from exc
        self._lock = threading.Lock()

    def put_keyed(self, report: dict[str, Any]) -> str:
        """Save ``report`` with its own ``report_id`` and ``permalink`` in it; the key."""
        key = secrets.token_urlsafe(KEY_BYTES)
        self._insert(key, {**report, "report_id": key, "permalink": permalink(key)})
        return key

    def _insert(self, key: str, report: dict[str, Any]) -> None:
        body = zlib.compress(
            json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6
        )
        with self._lock:
            self._db.execute(
                "INSERT INTO reports(key, created, size, body) VALUES (?, ?, ?, ?)",
                (key, time.time(), len(body), body),
            )
            self._prune()

    def get(self, key: str) -> dict[str, Any] | None:
        if not valid_key(key):
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT body, created FROM reports WHERE key = ?", (key,)
            ).fetchone()
        if row is None or row[1] < time.time() - self.max_age_s:
            return None
        return json.loads(zlib.decompress(row[0]))

    def stats(self) -> dict[str, Any]:
        with self._lock:
            count, size = self._db.execute(
                "SELECT count(*), coalesce(sum(size), 0) FROM reports"
            ).fetchone()
        return {"reports": count, "bytes": size, "max_bytes": self.max_bytes,
                "max_age_s": self.max_age_s}

    def _prune(self) -> None:
        """Delete what is past the age cap, then the oldest until under the size cap."""
        self._db.execute("DELETE FROM reports WHERE created < ?", (time.time() - self.max_age_s,))
        (total,) = self._db.execute("SELECT coalesce(sum(size), 0) FROM reports").fetchone()
        if total <= self.max_bytes:
            return
        over = total - self.max_bytes
        doomed, freed = [], 0
        for key, size in self._db.execute("SELECT key, size FROM reports ORDER BY created"):
            doomed.append((key,))
            freed += size
            if freed >= over:
                break
        self._db.executemany("DELETE FROM reports WHERE key = ?", doomed)

    def close(self) -> None:
        with self._lock:
            self._db.close()
