"""Writing a trace: ``pairs.parquet``, ``passages.parquet``, ``stories.parquet``,
``graph.graphml`` and ``graph.json`` (columns in docs/trace.md).

Offsets in ``passages.parquet`` are characters of each article's ``text`` as stored in the
index (``index/articles.jsonl``), so every passage can be shown in place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from newstrace.data import Article
from newstrace.errors import ResourceMissing
from newstrace.trace.direction import parse_date
from newstrace.trace.graph import (
    article_nodes,
    copied_edges,
    outlet_edges,
    outlet_nodes,
    outlet_of,
    outlet_pairs,
    outlet_summary,
    published_edges,
    write_graph_streams,
)
from newstrace.trace.pipeline import PairResult, edge_of

#: Articles by index: the whole list in memory, or just the pair's two in a sharded task.
Articles = Sequence[Article] | Mapping[int, Article]


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ResourceMissing(
            "writing Parquet needs pyarrow: pip install 'newstrace[corpus]'"
        ) from exc
    return pa, pq


def pair_row(p: PairResult, articles: Articles, story: int | None) -> dict[str, Any]:
    """``articles`` maps indexes to articles (a list, or a dict holding just the two)."""
    a, b = articles[p.a], articles[p.b]
    al, d = p.alignment, p.direction
    edge = edge_of(p, articles)
    return {
        "a": a.id,
        "b": b.id,
        "similarity": round(p.similarity, 4),
        "kind": p.kind,
        "shared_fraction_a": round(al.shared_fraction_a, 4),
        "shared_fraction_b": round(al.shared_fraction_b, 4),
        "shared_words": al.shared_words,
        "passages": len(al.shared),
        "direction": {"a": "a->b", "b": "b->a"}.get(d.source or "", "unknown"),
        "source": {"a": a.id, "b": b.id}.get(d.source or ""),
        "evidence": d.evidence,
        "confidence": round(d.confidence, 3),
        "detail": d.detail,
        "gap_hours": edge["gap_hours"],
        "story": story if p.kind != "partial" else None,
    }


def edge_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The graph edge of a ``pairs.parquet`` row: the same values :func:`edge_of` gives, so
    a sharded trace can build its graph from rows without holding the articles."""
    flipped = row["direction"] == "b->a"
    return {
        "source": row["b"] if flipped else row["a"],
        "target": row["a"] if flipped else row["b"],
        "directed": row["direction"] != "unknown",
        "kind": row["kind"],
        "similarity": row["similarity"],
        "shared_fraction_source": row["shared_fraction_b" if flipped else "shared_fraction_a"],
        "shared_fraction_target": row["shared_fraction_a" if flipped else "shared_fraction_b"],
        "gap_hours": row["gap_hours"],
        "evidence": row["evidence"],
        "confidence": row["confidence"],
    }


def doc_info(article: Article) -> dict[str, Any]:
    """What the stories table and the graph need of an article."""
    return {
        "id": article.id,
        "outlet": outlet_of(article.meta.domain, article.meta.publisher),
        "published": article.meta.published,
    }


def passage_rows(p: PairResult, articles: Articles) -> list[dict[str, Any]]:
    a, b = articles[p.a], articles[p.b]
    al = p.alignment
    rows: list[dict[str, Any]] = []

    def row(
        kind: str,
        detail: str,
        sa: tuple[int, int] | None,
        sb: tuple[int, int] | None,
        words: int,
        similarity: float | None,
    ) -> None:
        rows.append(
            {
                "a": a.id,
                "b": b.id,
                "type": kind,
                "rewrite": detail,
                "a_start": sa[0] if sa else None,
                "a_end": sa[1] if sa else None,
                "b_start": sb[0] if sb else None,
                "b_end": sb[1] if sb else None,
                "words": words,
                "similarity": similarity,
                "a_text": a.text[sa[0] : sa[1]] if sa else None,
                "b_text": b.text[sb[0] : sb[1]] if sb else None,
            }
        )

    for s in al.shared:
        row(
            "shared",
            "",
            (s.a_start, s.a_end),
            (s.b_start, s.b_end),
            s.words,
            round(s.similarity, 4),
        )
    for s, e in al.only_a:
        row("only_a", "", (s, e), None, len(a.text[s:e].split()), None)
    for s, e in al.only_b:
        row("only_b", "", None, (s, e), len(b.text[s:e].split()), None)
    for r in al.rewrites:
        row(
            "rewrite",
            r.kind,
            (r.a_start, r.a_end),
            (r.b_start, r.b_end),
            max(len(r.a_text.split()), len(r.b_text.split())),
            None,
        )
    return rows


def story_rows(
    stories: Sequence[int],
    docs: Sequence[dict[str, Any]],
    links: Iterable[tuple[int, int, str, str | None]],
) -> list[dict[str, Any]]:
    """One row per article: its story, the story's size and whether it is the story's
    likely origin (a source to others and a copy of none; else the earliest dated).

    ``docs``: :func:`doc_info` per article; ``links``: ``(a, b, kind, source)`` per
    related pair, ``source`` being "a", "b" or None."""
    members: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(stories):
        members[label].append(i)
    is_copy, is_source = _copy_roles(links)
    rows = []
    for label, idx in sorted(members.items()):
        origin = _origin(idx, is_copy, is_source, docs)
        for i in idx:
            rows.append(
                {
                    "story": label,
                    "id": docs[i]["id"],
                    "size": len(idx),
                    "outlet": docs[i]["outlet"],
                    "published": docs[i]["published"],
                    "origin": i == origin,
                }
            )
    return rows


def _copy_roles(
    links: Iterable[tuple[int, int, str, str | None]],
) -> tuple[set[int], set[int]]:
    """Articles that are a copy in some strong link, and those that are a source."""
    is_copy: set[int] = set()
    is_source: set[int] = set()
    for a, b, kind, source in links:
        if kind == "partial" or source is None:
            continue
        src, dst = (a, b) if source == "a" else (b, a)
        is_source.add(src)
        is_copy.add(dst)
    return is_copy, is_source


def _origin(
    idx: list[int],
    is_copy: set[int],
    is_source: set[int],
    docs: Sequence[dict[str, Any]] | Mapping[int, dict[str, Any]],
) -> int | None:
    if len(idx) == 1:
        return idx[0]
    roots = [i for i in idx if i in is_source and i not in is_copy]
    if len(roots) == 1:
        return roots[0]
    dated = [(parse_date(docs[i]["published"]), i) for i in (roots or idx)]
    dated = [(d, i) for d, i in dated if d is not None]
    return min(dated)[1] if dated else None


def schemas() -> dict[str, Any]:
    pa, _ = _pyarrow()
    return {
        "pairs": pa.schema(
            [
                ("a", pa.string()),
                ("b", pa.string()),
                ("similarity", pa.float64()),
                ("kind", pa.string()),
                ("shared_fraction_a", pa.float64()),
                ("shared_fraction_b", pa.float64()),
                ("shared_words", pa.int64()),
                ("passages", pa.int64()),
                ("direction", pa.string()),
                ("source", pa.string()),
                ("evidence", pa.string()),
                ("confidence", pa.float64()),
                ("detail", pa.string()),
                ("gap_hours", pa.float64()),
                ("story", pa.int64()),
            ]
        ),
        "passages": pa.schema(
            [
                ("a", pa.string()),
                ("b", pa.string()),
                ("type", pa.string()),
                ("rewrite", pa.string()),
                ("a_start", pa.int64()),
                ("a_end", pa.int64()),
                ("b_start", pa.int64()),
                ("b_end", pa.int64()),
                ("words", pa.int64()),
                ("similarity", pa.float64()),
                ("a_text", pa.string()),
                ("b_text", pa.string()),
            ]
        ),
        "stories": pa.schema(
            [
                ("story", pa.int64()),
                ("id", pa.string()),
                ("size", pa.int64()),
                ("outlet", pa.string()),
                ("published", pa.string()),
                ("origin", pa.bool_()),
            ]
        ),
    }


#: Rows of the stories table and of the graph's article nodes built at a time: the driver
#: holds the corpus's articles as Arrow columns, never as one Python object per article.
ROW_CHUNK = 65_536


def write_tables(
    out: Path,
    pairs: list[dict[str, Any]],
    passage_parts: Iterable[Any],
    stories: CorpusStories,
) -> dict[str, int]:
    """Write ``pairs.parquet``, ``passages.parquet`` (streamed from ``passage_parts``, Arrow
    tables, so a sharded trace never holds every passage at once), ``stories.parquet`` and
    the graph, the last two chunk by chunk from ``stories`` (a corpus's articles as
    columns)."""
    pa, pq = _pyarrow()
    out.mkdir(parents=True, exist_ok=True)
    schema = schemas()
    pq.write_table(pa.Table.from_pylist(pairs, schema=schema["pairs"]), out / "pairs.parquet")
    with pq.ParquetWriter(out / "stories.parquet", schema["stories"]) as writer:
        for table in stories.tables(schema["stories"]):
            writer.write_table(table)
    passages = 0
    with pq.ParquetWriter(out / "passages.parquet", schema["passages"]) as writer:
        for table in passage_parts:
            writer.write_table(table.select(schema["passages"].names).cast(schema["passages"]))
            passages += table.num_rows
            # Arrow's allocator keeps freed batches for reuse; the driver's peak would
            # grow with the passages read, not with the largest batch.
            pa.default_memory_pool().release_unused()
    edges = [edge_from_row(r) for r in pairs]
    summary = outlet_pairs(edges, stories.outlet_by_id())
    outlets = stories.outlets()
    docs = stories.doc_rows
    write_graph_streams(
        lambda: chain(article_nodes(docs()), outlet_nodes(outlets)),
        lambda: chain(published_edges(docs()), copied_edges(edges), outlet_edges(summary)),
        outlet_summary(summary),
        summary,
        out,
    )
    return {"pairs": len(pairs), "passages": passages, "stories": stories.count}


class CorpusStories:
    """Story families of a whole corpus in columns: ``docs`` an Arrow table (id, outlet,
    published; one row per article), ``labels`` a story label per article (numpy), and
    ``links`` ``(a, b, kind, source)`` per related pair as :func:`story_rows` takes them.
    Gives the rows :func:`story_rows` would, in chunks; only the articles of related pairs
    are ever turned into Python objects."""

    def __init__(
        self, docs: Any, labels: np.ndarray, links: Sequence[tuple[int, int, str, str | None]]
    ) -> None:
        self.docs = docs
        self.labels = labels
        self.sizes = np.bincount(labels) if len(labels) else np.zeros(0, dtype=np.int64)
        linked = sorted({i for a, b, _, _ in links for i in (a, b)})
        # Articles of related pairs: the only members of families of more than one.
        self.linked = dict(zip(linked, docs.take(linked).to_pylist(), strict=True))
        self.origin = self.sizes[labels] == 1  # an article alone is its story's origin
        members: dict[int, list[int]] = defaultdict(list)
        for i in linked:
            if self.sizes[labels[i]] > 1:
                members[int(labels[i])].append(i)
        is_copy, is_source = _copy_roles(links)
        for idx in members.values():
            origin = _origin(idx, is_copy, is_source, self.linked)
            if origin is not None:
                self.origin[origin] = True

    @property
    def count(self) -> int:
        return len(self.sizes)

    def tables(self, schema: Any) -> Iterator[Any]:
        """``stories.parquet`` chunk by chunk: by story, members in corpus order."""
        pa, _ = _pyarrow()
        order = np.argsort(self.labels, kind="stable")
        for start in range(0, len(order), ROW_CHUNK):
            idx = order[start : start + ROW_CHUNK]
            part = self.docs.take(idx)
            labels = self.labels[idx]
            columns = {
                "story": labels.astype(np.int64),
                "id": part["id"],
                "size": self.sizes[labels].astype(np.int64),
                "outlet": part["outlet"],
                "published": part["published"],
                "origin": self.origin[idx],
            }
            yield pa.table(columns, schema=schema)

    def doc_rows(self) -> Iterator[dict[str, Any]]:
        """:func:`doc_info` of every article in corpus order, a chunk at a time."""
        for batch in self.docs.to_batches(max_chunksize=ROW_CHUNK):
            yield from batch.to_pylist()

    def outlet_by_id(self) -> dict[str, str | None]:
        return {d["id"]: d["outlet"] for d in self.linked.values()}

    def outlets(self) -> list[str]:
        import pyarrow.compute as pc

        return sorted(o for o in pc.unique(self.docs["outlet"]).to_pylist() if o)
