"""Readers: the first step of a pipeline, turning inputs into :class:`InputRecord` streams.

One class per container: a folder (or list) of HTML / Markdown / text files, JSONL, CSV,
Parquet and WARC. Every reader

- streams: one record in memory at a time (CSV fields, WARC payloads and gzip members are
  read incrementally), so memory does not grow with the corpus;
- shards deterministically by ``(rank, world_size)``: files are sorted; when there are at
  least ``world_size`` files each task takes whole files (``file_index % world_size``),
  otherwise each task takes every ``world_size``-th record of each file. The same inputs
  and task count always give the same partition, which is what makes resume exact;
- parses nothing: a record that cannot even be read (a JSONL line that is not JSON, a
  CSV row without content) is still yielded, carrying its error, so the to-article step
  sends it to ``rejects`` instead of losing it.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from newstrace.config import DEFAULT_MAX_BYTES
from newstrace.corpus.record import InputRecord, Reject
from newstrace.corpus.step import Step
from newstrace.errors import ConfigError, InputNotFound, MalformedData, UnsupportedFormat
from newstrace.read.sniff import FORMAT_ALIASES, SUFFIX_FORMATS

#: Our field → column names tried in order when the user gives no mapping. FakeNewsCorpus
#: (id, domain, url, content, title, authors) and common scraper exports work unmapped.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "doc_id", "uuid"),
    "content": ("html", "text", "content", "body", "article", "articleBody", "maintext"),
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url", "news_url"),
    "domain": ("domain", "source_domain", "site"),
    "published": ("published", "date_publish", "publish_date", "published_at", "date"),
    "authors": ("authors", "author", "byline"),
}
HINT_FIELDS = ("title", "url", "domain", "published", "authors")

#: Content columns whose values are HTML; any other content column is sniffed.
HTML_COLUMNS = frozenset({"html", "raw_html", "page"})

def _clean(value: str) -> str:
    # File names may carry undecodable bytes (surrogate escapes); Parquet needs UTF-8.
    return value.encode("utf-8", "replace").decode("utf-8")


def _strip_gz(name: str) -> str:
    return name[:-3] if name.endswith(".gz") else name


def _open_text(path: Path) -> IO[str]:
    # Bad bytes inside a text container become U+FFFD rather than stopping the file:
    # the rest of the file's documents must still be read.
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(
            gzip.open(path, "rb"), encoding="utf-8", errors="replace", newline=""
        )
    return path.open(encoding="utf-8", errors="replace", newline="")


def _read_capped(handle: IO[bytes], max_bytes: int) -> bytes:
    # Reading one byte past the limit is enough for the size check downstream; a gzip
    # bomb or a huge WARC payload never lands in memory whole.
    return handle.read(max_bytes + 1)


class Reader(Step):
    """Base reader: file listing, sharding and the per-file record loop."""

    name = "read"
    #: File name endings (after an optional .gz) this reader takes from a folder.
    suffixes: tuple[str, ...] = ()

    def __init__(
        self,
        paths: Sequence[str | Path],
        *,
        glob: str | None = None,
        limit: int | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        super().__init__()
        self.paths = [str(p) for p in paths]
        self.glob = glob
        self.limit = limit
        self.max_bytes = max_bytes

    # -- listing ---------------------------------------------------------------------

    def accepts(self, path: Path) -> bool:
        name = _strip_gz(path.name.lower())
        return any(name.endswith(s) for s in self.suffixes)

    def files(self) -> list[Path]:
        """Every input file, sorted, so each task sees the same order."""
        out: list[Path] = []
        for raw in self.paths:
            path = Path(raw)
            if path.is_dir():
                pattern = self.glob or "**/*"
                out.extend(
                    p
                    for p in path.glob(pattern)
                    if p.is_file() and (self.glob is not None or self.accepts(p))
                )
            elif path.is_file():
                out.append(path)
            else:
                raise InputNotFound(f"corpus input {raw} does not exist", path=raw)
        return sorted(set(out))

    # -- the loop ----------------------------------------------------------------------

    def run(self, items: Iterable[Any] | None, rank: int, world_size: int) -> Iterator[Any]:
        if items is not None:  # a reader after another reader: pass theirs on first
            yield from items
        files = self.files()
        whole_files = len(files) >= world_size
        emitted = 0
        for file_index, path in enumerate(files):
            if whole_files and file_index % world_size != rank:
                continue

            def keep(record_index: int, _fi: int = file_index) -> bool:
                return whole_files or (_fi + record_index) % world_size == rank

            self.stats["files"] += 1
            records = self.read_file(path, keep)
            while True:
                started = time.perf_counter()
                record = next(records, None)
                self.stats["seconds"] += time.perf_counter() - started
                if record is None:
                    break
                self.stats["records"] += 1
                yield record
                emitted += 1
                if self.limit is not None and emitted >= self.limit:
                    return

    def read_file(self, path: Path, keep: Callable[[int], bool]) -> Iterator[InputRecord]:
        """Yield the records of ``path`` whose index within the file ``keep`` accepts."""
        raise NotImplementedError


# --- a folder of article files ----------------------------------------------------------


class FolderReader(Reader):
    """HTML, Markdown and text files (optionally .gz), one article per file."""

    suffixes = tuple(SUFFIX_FORMATS)  # read/sniff.py: one list for every reader

    def __init__(
        self, paths: Sequence[str | Path], *, format: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(paths, **kwargs)
        self.format = FORMAT_ALIASES.get(format, format) if format else None

    def _root_of(self, path: Path) -> Path | None:
        for raw in self.paths:
            root = Path(raw)
            if root.is_dir() and path.is_relative_to(root):
                return root
        return None

    def read_file(self, path: Path, keep: Callable[[int], bool]) -> Iterator[InputRecord]:
        if not keep(0):
            return
        root = self._root_of(path)
        rel = path.relative_to(root) if root else Path(path.name)
        stem = _strip_gz(rel.as_posix())
        ident = stem.rsplit(".", 1)[0] if "." in Path(stem).name else stem
        fmt = self.format or SUFFIX_FORMATS.get(Path(_strip_gz(path.name.lower())).suffix)
        location = _clean(str(path))
        try:
            if path.name.endswith(".gz"):
                with gzip.open(path, "rb") as handle:
                    content = _read_capped(handle, self.max_bytes)
            else:
                with path.open("rb") as handle:
                    content = _read_capped(handle, self.max_bytes)
        except (OSError, EOFError) as exc:  # unreadable or a broken gzip member
            yield InputRecord(
                _clean(ident),
                location,
                b"",
                fmt,
                error=Reject("unreadable", f"{type(exc).__name__}: {exc}", "read"),
            )
            return
        yield InputRecord(_clean(ident), location, content, fmt)


# --- tabular containers -----------------------------------------------------------------


class FieldMapping:
    """Which column holds each of our fields; user entries override the defaults."""

    def __init__(self, mapping: Mapping[str, str] | None = None) -> None:
        mapping = dict(mapping or {})
        unknown = set(mapping) - set(DEFAULT_FIELDS)
        if unknown:
            raise ConfigError(
                f"unknown corpus field(s) {', '.join(sorted(unknown))}; "
                f"known: {', '.join(DEFAULT_FIELDS)}"
            )
        self.explicit = mapping

    def resolve(self, columns: Iterable[str]) -> dict[str, str | None]:
        """Our field → the column to read it from (None: absent) for these columns."""
        present = list(columns)
        lowered = {c.lower(): c for c in present}
        out: dict[str, str | None] = {}
        for field, candidates in DEFAULT_FIELDS.items():
            if field in self.explicit:
                out[field] = self.explicit[field]
                continue
            out[field] = next(
                (lowered[c.lower()] for c in candidates if c.lower() in lowered), None
            )
        return out


def _authors(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            parsed = json.loads(text)
            if isinstance(parsed, list):
                return _authors(parsed)
        except ValueError:
            pass
    return [part.strip() for part in text.split(",") if part.strip()]


def record_from_row(
    row: Mapping[str, Any],
    columns: Mapping[str, str | None],
    *,
    default_id: str,
    location: str,
    content_format: str | None,
) -> InputRecord:
    """One tabular row → an :class:`InputRecord` (carrying an error if it has no content)."""
    id_col = columns.get("id")
    raw_id = row.get(id_col) if id_col else None
    ident = _clean(str(raw_id)) if raw_id not in (None, "") else default_id
    hints: dict[str, Any] = {}
    for field in HINT_FIELDS:
        col = columns.get(field)
        value = row.get(col) if col else None
        if value in (None, ""):
            continue
        hints[field] = _authors(value) if field == "authors" else str(value)
    content_col = columns.get("content")
    if content_col is None or content_col not in row:
        return InputRecord(
            ident,
            location,
            "",
            content_format,
            hints,
            error=Reject(
                "malformed_data",
                "row has no content column (map one with --map content=COLUMN)",
                "read",
            ),
        )
    content = row.get(content_col)
    if content is None:
        content = ""
    if not isinstance(content, str | bytes):
        content = str(content)
    fmt = content_format or ("html" if content_col.lower() in HTML_COLUMNS else None)
    return InputRecord(ident, location, content, fmt, hints)


class _TabularReader(Reader):
    def __init__(
        self,
        paths: Sequence[str | Path],
        *,
        mapping: Mapping[str, str] | None = None,
        content_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(paths, **kwargs)
        self.mapping = dict(mapping or {})
        self.content_format = (
            FORMAT_ALIASES.get(content_format, content_format) if content_format else None
        )

    def _columns(self, names: Iterable[str]) -> dict[str, str | None]:
        return FieldMapping(self.mapping).resolve(names)


class JsonlReader(_TabularReader):
    """JSON Lines (optionally .gz): one object per line with id and html/text/content."""

    suffixes = (".jsonl", ".ndjson", ".jsonlines")

    def read_file(self, path: Path, keep: Callable[[int], bool]) -> Iterator[InputRecord]:
        stem = _strip_gz(path.name).rsplit(".", 1)[0]
        with _open_text(path) as handle:
            index = -1
            for line in handle:
                if not line.strip():
                    continue  # blank lines are not documents
                index += 1
                if not keep(index):
                    continue
                location = _clean(f"{path}#line={index}")
                default_id = _clean(f"{stem}:{index}")
                try:
                    row = json.loads(line)
                    if not isinstance(row, dict):
                        raise ValueError("line is not a JSON object")
                except ValueError as exc:
                    yield InputRecord(
                        default_id,
                        location,
                        "",
                        None,
                        error=Reject(MalformedData.code, f"bad JSON: {exc}", "read"),
                    )
                    continue
                yield self.record_of_row(row, default_id, location)

    def record_of_row(self, row: dict[str, Any], default_id: str, location: str) -> InputRecord:
        """One parsed line → its record (subclasses keep other shapes of line)."""
        return record_from_row(
            row,
            self._columns(row.keys()),
            default_id=default_id,
            location=location,
            content_format=self.content_format,
        )


class CsvReader(_TabularReader):
    """CSV with a header row; FakeNewsCorpus's columns work without a mapping."""

    suffixes = (".csv", ".tsv")

    def read_file(self, path: Path, keep: Callable[[int], bool]) -> Iterator[InputRecord]:
        # Article bodies in one CSV field easily pass the csv module's 128 KiB default.
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        stem = _strip_gz(path.name).rsplit(".", 1)[0]
        delimiter = "\t" if _strip_gz(path.name.lower()).endswith(".tsv") else ","
        with _open_text(path) as handle:
            reader = csv.DictReader(handle, delimiter=delimiter)
            columns = self._columns(reader.fieldnames or [])
            for index, row in enumerate(reader):
                if not keep(index):
                    continue
                yield record_from_row(
                    row,
                    columns,
                    default_id=_clean(f"{stem}:{index}"),
                    location=_clean(f"{path}#row={index}"),
                    content_format=self.content_format,
                )


class ParquetReader(_TabularReader):
    """Parquet files, read in small record batches (only the mapped columns)."""

    suffixes = (".parquet", ".pq")
    batch_size = 64

    def read_file(self, path: Path, keep: Callable[[int], bool]) -> Iterator[InputRecord]:
        import pyarrow.parquet as pq

        stem = path.name.rsplit(".", 1)[0]
        parquet = pq.ParquetFile(path)
        columns = self._columns(parquet.schema_arrow.names)
        wanted = sorted({c for c in columns.values() if c and c in parquet.schema_arrow.names})
        index = 0
        for batch in parquet.iter_batches(batch_size=self.batch_size, columns=wanted):
            for row in batch.to_pylist():
                if keep(index):
                    yield record_from_row(
                        row,
                        columns,
                        default_id=f"{stem}:{index}",
                        location=_clean(f"{path}#row={index}"),
                        content_format=self.content_format,
                    )
                index += 1


class WarcReader(Reader):
    """WARC / WARC.gz: each HTTP response record with an HTML payload is one article."""

    suffixes = (".warc", ".arc")

    def read_file(self, path: Path, keep: Callable[[int], bool]) -> Iterator[InputRecord]:
        from warcio.archiveiterator import ArchiveIterator

        with path.open("rb") as handle:
            iterator = ArchiveIterator(handle)
            index = -1
            for record in iterator:
                if record.rec_type != "response":
                    continue
                ctype = (
                    record.http_headers.get_header("Content-Type") or ""
                    if record.http_headers
                    else ""
                )
                if ctype and "html" not in ctype.lower():
                    self.stats["skipped_not_html"] += 1
                    continue
                index += 1
                if not keep(index):
                    continue
                content = _read_capped(record.content_stream(), self.max_bytes)
                # Only after the payload is read: asking for the offset first consumes it.
                offset = iterator.get_record_offset()
                url = record.rec_headers.get_header("WARC-Target-URI")
                rid = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
                ident = rid.removeprefix("urn:uuid:") or f"{path.name}@{offset}"
                hints = {"url": url} if url else {}
                yield InputRecord(_clean(ident), _clean(f"{path}@{offset}"), content, "html", hints)


class ChainReader(Step):
    """Several readers in sequence (inputs of different kinds in one run)."""

    name = "read"

    def __init__(self, readers: Sequence[Reader]) -> None:
        super().__init__()
        self.readers = list(readers)

    def begin_task(self, rank: int, world_size: int) -> None:
        super().begin_task(rank, world_size)
        for reader in self.readers:
            reader.begin_task(rank, world_size)

    def run(self, items: Iterable[Any] | None, rank: int, world_size: int) -> Iterator[Any]:
        for reader in self.readers:
            yield from reader.run(None, rank, world_size)
            self.stats.update(reader.stats)
            reader.stats.clear()


READERS: dict[str, type[Reader]] = {
    "folder": FolderReader,
    "jsonl": JsonlReader,
    "csv": CsvReader,
    "parquet": ParquetReader,
    "warc": WarcReader,
}
#: --format values: a container name, a file format for folders, or auto.
INPUT_FORMATS = ("auto", "html", "md", "txt", "jsonl", "csv", "parquet", "warc")


def detect_kind(path: Path) -> str:
    """Which reader takes ``path`` when --format is auto."""
    if path.is_dir():
        return "folder"
    name = _strip_gz(path.name.lower())
    for kind, cls in READERS.items():
        if any(name.endswith(s) for s in cls.suffixes):
            return kind
    raise UnsupportedFormat(
        f"cannot tell the corpus format of {path} from its name; pass --format",
        path=str(path),
    )


def make_reader(
    inputs: Sequence[str | Path],
    *,
    format: str = "auto",
    mapping: Mapping[str, str] | None = None,
    glob: str | None = None,
    limit: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Step:
    """The reader step for ``inputs`` (one reader per kind, chained in a fixed order)."""
    if format not in INPUT_FORMATS:
        raise UnsupportedFormat(f"unknown corpus format {format!r}; one of {INPUT_FORMATS}")
    if not inputs:
        raise ConfigError("no corpus inputs given")
    groups: dict[str, list[str]] = {}
    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise InputNotFound(f"corpus input {raw} does not exist", path=str(raw))
        if format in ("html", "md", "txt"):
            kind = "folder"
        elif format == "auto":
            kind = detect_kind(path)
        else:
            kind = format
        groups.setdefault(kind, []).append(str(path))
    readers: list[Reader] = []
    for kind in READERS:  # fixed order: the partition must not depend on argument order
        if kind not in groups:
            continue
        common: dict[str, Any] = {"glob": glob, "limit": limit, "max_bytes": max_bytes}
        if kind == "folder":
            fmt = format if format in ("html", "md", "txt") else None
            readers.append(FolderReader(groups[kind], format=fmt, **common))
        elif kind == "warc":
            readers.append(WarcReader(groups[kind], **common))
        else:
            readers.append(READERS[kind](groups[kind], mapping=mapping, **common))
    return readers[0] if len(readers) == 1 else ChainReader(readers)
