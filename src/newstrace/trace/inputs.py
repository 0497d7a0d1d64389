"""Reading a corpus for the trace: one function, :func:`read_articles`.

Two kinds of input:

- article JSONL that already carries structure (``text`` plus ``blocks`` of
  ``{role, start, end}``, and optionally ``published``, ``domain``, ``publisher``,
  ``title``, ``url``, ``provenance``) is taken as it is — this is also what
  ``newstrace trace run`` stores in its index, so an index can be traced again;
- anything else goes through the corpus readers (folders, JSONL, CSV, Parquet, WARC) and
  ``newstrace.load`` (read + structure, no NLP), one record at a time.

A document that cannot be read is never dropped silently: it is passed to ``on_reject``
with its typed error.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from newstrace.config import Settings
from newstrace.data import Article, Block, Meta
from newstrace.errors import InputNotFound, MalformedData, NewstraceError

Reject = Callable[[str, NewstraceError], None]


def article_from_record(record: dict[str, Any], default_id: str = "") -> Article:
    """A structured-JSONL record → Article (blocks validated against the text)."""
    text = record.get("text")
    if not isinstance(text, str):
        raise MalformedData("record has no text field", id=record.get("id", default_id))
    blocks = []
    for raw in record.get("blocks") or []:
        try:
            block = Block(str(raw["role"]), int(raw["start"]), int(raw["end"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise MalformedData(f"bad block {raw!r}: {exc}") from exc
        if not 0 <= block.start <= block.end <= len(text):
            raise MalformedData(f"block {raw!r} lies outside the text")
        blocks.append(block)
    meta = Meta(
        title=record.get("title"),
        published=record.get("published"),
        publisher=record.get("publisher"),
        domain=record.get("domain"),
        url=record.get("url"),
    )
    article = Article(
        text=text, id=str(record.get("id") or default_id), blocks=blocks, meta=meta, format="text"
    )
    if isinstance(record.get("provenance"), dict):
        article.results["provenance"] = record["provenance"]
    return article


def record_of(article: Article) -> dict[str, Any]:
    """The inverse of :func:`article_from_record` (what the index stores)."""
    out: dict[str, Any] = {
        "id": article.id,
        "text": article.text,
        "blocks": [{"role": b.role, "start": b.start, "end": b.end} for b in article.blocks],
        "title": article.meta.title,
        "published": article.meta.published,
        "publisher": article.meta.publisher,
        "domain": article.meta.domain,
        "url": article.meta.url,
    }
    provenance = article.results.get("provenance")
    if isinstance(provenance, dict) and provenance.get("declared"):
        out["provenance"] = {"declared": _plain(provenance["declared"])}
    return out


def _plain(value: Any) -> Any:
    # Declared entries may hold Span evidence; the index keeps only JSON values.
    if isinstance(value, dict):
        return {
            k: _plain(v)
            for k, v in value.items()
            if isinstance(v, str | int | float | dict | list | None)
        }
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _is_structured_jsonl(path: Path) -> bool:
    name = path.name.removesuffix(".gz")
    if not path.is_file() or not name.endswith((".jsonl", ".ndjson")):
        return False
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.strip():
                try:
                    first = json.loads(line)
                except ValueError:
                    return False
                return isinstance(first, dict) and "text" in first and "blocks" in first
    return False


def _read_structured(path: Path, on_reject: Reject) -> Iterator[Article]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        for index, line in enumerate(handle):
            if not line.strip():
                continue
            where = f"{path}#line={index}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise MalformedData("line is not a JSON object")
                yield article_from_record(record, default_id=f"{path.stem}:{index}")
            except ValueError as exc:
                on_reject(where, MalformedData(f"bad JSON: {exc}"))
            except NewstraceError as exc:
                on_reject(where, exc)


def read_articles(
    inputs: Sequence[str | Path],
    *,
    format: str = "auto",
    settings: Settings | None = None,
    on_reject: Reject | None = None,
    limit: int | None = None,
) -> Iterator[Article]:
    """Every readable document of ``inputs`` as a structured Article."""
    rejected: Reject = on_reject or (lambda where, exc: None)
    settings = settings or Settings()
    plain: list[Path] = []
    count = 0
    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise InputNotFound(f"trace input {raw} does not exist", path=str(raw))
        if format in ("auto", "jsonl") and _is_structured_jsonl(path):
            for article in _read_structured(path, rejected):
                yield article
                count += 1
                if limit is not None and count >= limit:
                    return
        else:
            plain.append(path)
    if plain:
        for article in _read_with_corpus_readers(plain, format, settings, rejected):
            yield article
            count += 1
            if limit is not None and count >= limit:
                return


def _read_with_corpus_readers(
    paths: list[Path], format: str, settings: Settings, on_reject: Reject
) -> Iterator[Article]:
    # The corpus readers are the one list of what a folder holds (suffixes, formats):
    # the trace reads exactly what `corpus run` reads.
    from newstrace.corpus.readers import make_reader
    from newstrace.corpus.steps import load_record

    reader = make_reader(paths, format=format, max_bytes=settings.max_bytes)
    for record in reader.run(None, 0, 1):
        if record.error is not None:
            on_reject(record.location, MalformedData(record.error.message))
            continue
        try:
            yield load_record(record, settings)
        except NewstraceError as exc:
            on_reject(record.location, exc)
