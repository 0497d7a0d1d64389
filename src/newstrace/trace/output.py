"""Writing a trace: ``pairs.parquet``, ``passages.parquet``, ``stories.parquet``,
``graph.graphml`` and ``graph.json`` (columns in docs/trace.md).

Offsets in ``passages.parquet`` are characters of each article's ``text`` as stored in the
index (``index/articles.jsonl``), so every passage can be shown in place.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from newstrace.errors import ResourceMissing
from newstrace.trace.direction import parse_date
from newstrace.trace.graph import outlet_of, write_graphml, write_json
from newstrace.trace.pipeline import PairResult, TraceResult, edge_of


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ResourceMissing(
            "writing Parquet needs pyarrow: pip install 'newstrace[corpus]'"
        ) from exc
    return pa, pq


def pair_row(p: PairResult, result: TraceResult) -> dict[str, Any]:
    a, b = result.articles[p.a], result.articles[p.b]
    al, d = p.alignment, p.direction
    edge = edge_of(p, result.articles)
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
        "story": result.stories[p.a] if p.kind != "partial" else None,
    }


def passage_rows(p: PairResult, result: TraceResult) -> list[dict[str, Any]]:
    a, b = result.articles[p.a], result.articles[p.b]
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


def story_rows(result: TraceResult) -> list[dict[str, Any]]:
    """One row per article: its story, the story's size and whether it is the story's
    likely origin (a source to others and a copy of none; else the earliest dated)."""
    members: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(result.stories):
        members[label].append(i)
    is_copy: set[int] = set()
    is_source: set[int] = set()
    for p in result.pairs:
        if p.kind == "partial" or p.direction.source is None:
            continue
        src, dst = (p.a, p.b) if p.direction.source == "a" else (p.b, p.a)
        is_source.add(src)
        is_copy.add(dst)
    rows = []
    for label, idx in sorted(members.items()):
        origin = _origin(idx, is_copy, is_source, result)
        for i in idx:
            art = result.articles[i]
            rows.append(
                {
                    "story": label,
                    "id": art.id,
                    "size": len(idx),
                    "outlet": outlet_of(art.meta.domain, art.meta.publisher),
                    "published": art.meta.published,
                    "origin": i == origin,
                }
            )
    return rows


def _origin(
    idx: list[int], is_copy: set[int], is_source: set[int], result: TraceResult
) -> int | None:
    if len(idx) == 1:
        return idx[0]
    roots = [i for i in idx if i in is_source and i not in is_copy]
    if len(roots) == 1:
        return roots[0]
    dated = [(parse_date(result.articles[i].meta.published), i) for i in (roots or idx)]
    dated = [(d, i) for d, i in dated if d is not None]
    return min(dated)[1] if dated else None


def write_outputs(result: TraceResult, out: Path) -> dict[str, int]:
    pa, pq = _pyarrow()
    out.mkdir(parents=True, exist_ok=True)
    pairs = [pair_row(p, result) for p in result.pairs]
    passages = [r for p in result.pairs for r in passage_rows(p, result)]
    stories = story_rows(result)
    schemas = {
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
    for name, rows in (("pairs", pairs), ("passages", passages), ("stories", stories)):
        table = pa.Table.from_pylist(rows, schema=schemas[name])
        pq.write_table(table, out / f"{name}.parquet")
    graph = result.graph()
    write_graphml(graph, out / "graph.graphml")
    write_json(graph, out / "graph.json")
    return {
        "pairs": len(pairs),
        "passages": len(passages),
        "stories": len({r["story"] for r in stories}),
    }
