"""Read-only access to a corpus output folder for the service.

The corpus engine writes ``OUT/<table>/part-*.parquet`` (docs/corpus-schema.md) and
:func:`newstrace.corpus.query.connect` gives DuckDB views over them; `newstrace trace run`
writes ``graph.json`` and ``stories.parquet`` into its own folder (given with --trace, or
found at ``OUT/graph.json`` / ``OUT/trace/graph.json``). This module answers the
service's questions from those outputs only — it never writes into the folder — and
rebuilds a report dict from the flattened tables so the article page uses the same
renderer as a fresh analysis.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

from newstrace.errors import InputNotFound, MalformedData, NotFound
from newstrace.sections import SECTIONS
from newstrace.trace.stories import UnionFind

#: Where a trace's graph may sit relative to the corpus folder, first found wins.
GRAPH_PLACES = ("graph.json", "trace/graph.json")


def _bare(column: str) -> str:
    """SQL for ``column`` as :func:`_norm_domain` makes a domain (lower case, no www.)."""
    return f"lower(regexp_replace(coalesce({column}, ''), '^www\\.', ''))"


def _norm_domain(domain: str | None) -> str | None:
    if not domain:
        return None
    return domain.strip().casefold().removeprefix("www.")


def find_graph(root: Path, trace: Path | None) -> Path | None:
    if trace is not None:
        candidate = trace / "graph.json" if trace.is_dir() else trace
        if not candidate.is_file():
            raise InputNotFound(f"no graph.json at {trace}", path=str(trace))
        return candidate
    for place in GRAPH_PLACES:
        if (root / place).is_file():
            return root / place
    return None


class CorpusStore:
    """Queries over one corpus output (and its trace graph, when there is one)."""

    def __init__(
        self,
        root: Path,
        con: Any,
        graph: dict[str, Any] | None,
        stories: dict[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        self.root = root
        #: The trace's output folder (graph, stories, index) when the corpus has one.
        self.trace_folder: Path | None = None
        self._con = con
        self._lock = threading.Lock()  # one DuckDB connection, used by one thread at a time
        self.tables = {
            row[0] for row in con.execute("SELECT table_name FROM information_schema.tables")
            .fetchall()
        }
        self._graph = graph or {"nodes": [], "edges": []}
        # The trace's own story table when it wrote one; else families from the graph.
        self._origins: set[str] = set()
        if stories is not None:
            self._stories = {k: [m["id"] for m in v] for k, v in stories.items()}
            self._origins = {m["id"] for v in stories.values() for m in v if m.get("origin")}
        else:
            self._stories = _stories_from_graph(self._graph)
        self._story_of: dict[str, list[str]] = defaultdict(list)
        for story_id, members in self._stories.items():
            for member in members:
                self._story_of[member].append(story_id)

    @classmethod
    def open(cls, root: Path, trace: Path | None = None) -> CorpusStore:
        from newstrace.corpus.query import connect

        root = root.resolve()
        con = connect(root)  # raises InputNotFound for a missing or empty folder
        graph_path = find_graph(root, trace)
        graph = None
        if graph_path is not None:
            try:
                graph = json.loads(graph_path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise MalformedData(f"cannot read {graph_path}: {exc}") from exc
            if not isinstance(graph, dict) or not isinstance(graph.get("nodes"), list):
                raise MalformedData(f"{graph_path} is not a newstrace graph")
        stories = None
        if graph_path is not None and (graph_path.parent / "stories.parquet").is_file():
            stories = read_stories(graph_path.parent / "stories.parquet")
        store = cls(root, con, graph, stories)
        store.trace_folder = graph_path.parent if graph_path is not None else None
        return store

    @property
    def has_trace(self) -> bool:
        return bool(self._graph.get("nodes"))

    def _rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            result = self._con.execute(sql, list(params))
            names = [d[0] for d in result.description or []]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    def close(self) -> None:
        with self._lock:
            self._con.close()

    # --- search ---------------------------------------------------------------------------

    def search(
        self,
        *,
        q: str | None = None,
        outlet: str | None = None,
        finding: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> dict[str, Any]:
        where: list[str] = []
        params: list[Any] = []
        for word in (q or "").split()[:10]:
            # contains() takes the word literally: no LIKE wildcards from user input.
            where.append(
                "contains(lower(coalesce(a.title, '') || ' ' || coalesce(a.headline, '') "
                "|| ' ' || coalesce(a.text, '')), lower(?))"
            )
            params.append(word)
        if outlet:
            where.append(f"{_bare('a.domain')} = ?")
            params.append(_norm_domain(outlet))
        if finding:
            if "findings" not in self.tables:
                return {"total": 0, "limit": limit, "offset": offset, "items": []}
            where.append(
                "EXISTS (SELECT 1 FROM findings f WHERE f.article_id = a.id AND f.kind = ?)"
            )
            params.append(finding)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        total = self._rows(f"SELECT count(*) AS n FROM articles a {clause}", params)[0]["n"]
        items = self._rows(
            "SELECT a.id, a.title, a.headline, a.domain, a.publisher, a.published, "
            "a.n_findings, a.max_severity, a.n_unsourced_claims "
            f"FROM articles a {clause} ORDER BY a.published NULLS LAST, a.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        for item in items:
            item["title"] = item.get("headline") or item.get("title")
            item["stories"] = self._story_of.get(item["id"], [])
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    def finding_kinds(self) -> list[str]:
        if "findings" not in self.tables:
            return []
        return [
            r["kind"]
            for r in self._rows(
                "SELECT DISTINCT kind FROM findings WHERE kind IS NOT NULL ORDER BY kind"
            )
        ]

    # --- one article ----------------------------------------------------------------------

    def _child(self, table: str, article_id: str, order: str = "idx") -> list[dict[str, Any]]:
        if table not in self.tables:
            return []
        return self._rows(
            f'SELECT * FROM "{table}" WHERE article_id = ? ORDER BY "{order}"', [article_id]
        )

    def article(self, article_id: str) -> dict[str, Any]:
        rows = self._rows("SELECT * FROM articles WHERE id = ?", [article_id])
        if not rows:
            raise NotFound(f"no article {article_id!r} in this corpus")
        row = rows[0]
        report = report_from_rows(
            row,
            {
                table.name: self._child(table.name, article_id, order=table.order_by)
                for section in SECTIONS
                for table in section.tables
            },
        )
        report["corpus"] = {
            "domain": _norm_domain(row.get("domain")),
            "stories": self._story_of.get(article_id, []),
            "location": row.get("location"),
        }
        return report

    def texts(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self._rows(
            f"SELECT id, coalesce(nullif(body, ''), text) AS t FROM articles WHERE id IN ({marks})",
            ids,
        )
        return {r["id"]: r["t"] or "" for r in rows}

    # --- stories, outlets, graph ----------------------------------------------------------

    def story(self, story_id: str) -> dict[str, Any]:
        members = self._stories.get(story_id)
        if not members:
            raise NotFound(f"no story {story_id!r} in this corpus")
        marks = ", ".join("?" for _ in members)
        rows = self._rows(
            "SELECT id, coalesce(headline, title) AS title, domain, published FROM articles "
            f"WHERE id IN ({marks}) ORDER BY published NULLS LAST, id",
            members,
        )
        member_set = set(members)
        edges = []
        copied_from: set[str] = set()
        for edge in self._graph.get("edges", []):
            if edge.get("type") != "copied":
                continue
            source, target = _article_id(edge["source"]), _article_id(edge["target"])
            if source in member_set and target in member_set:
                edges.append(
                    {
                        "source": source,
                        "target": target,
                        "directed": edge.get("directed", True),
                        "kind": edge.get("kind"),
                        "evidence": edge.get("evidence"),
                        "confidence": edge.get("confidence"),
                    }
                )
                if edge.get("directed", True):
                    copied_from.add(target)
        label = {row["id"]: row.get("domain") or row["id"] for row in rows}
        for edge in edges:
            edge["source_label"] = label.get(edge["source"], edge["source"])
            edge["target_label"] = label.get(edge["target"], edge["target"])
        for row in rows:
            if row["id"] in self._origins:
                row["role"] = "origin"
            else:
                row["role"] = "copy" if row["id"] in copied_from else "earliest / source"
        return {"id": story_id, "articles": rows, "edges": edges}

    def outlet(self, domain: str) -> dict[str, Any]:
        key = _norm_domain(domain)
        articles = self._rows(
            "SELECT id, coalesce(headline, title) AS title, published FROM articles "
            f"WHERE {_bare('domain')} = ? "
            "ORDER BY published NULLS LAST, id LIMIT 500",
            [key],
        )
        named = []
        if "outlets" in self.tables:
            named = self._rows(
                f"SELECT name, band FROM outlets WHERE {_bare('domain')} = ? LIMIT 1",
                [key],
            )
        ratings = []
        if "ratings" in self.tables:
            ratings = self._rows(
                "SELECT DISTINCT source, value, value_text, scale, label, date, imputed "
                f"FROM ratings WHERE {_bare('outlet_domain')} = ? ORDER BY source",
                [key],
            )
        if not articles and not named:
            raise NotFound(f"no outlet {domain!r} in this corpus")
        summary = next(
            (o for o in self._graph.get("outlets", []) if o.get("outlet") == key), None
        )
        return {
            "domain": key,
            "name": named[0]["name"] if named else None,
            "band": named[0]["band"] if named else None,
            "ratings": [
                {**r, "value": r["value_text"] if r.get("value") is None else r["value"]}
                for r in ratings
            ],
            "n_articles": len(articles),
            "articles": articles,
            "copying": summary,
        }

    def graph(self, outlet: str | None = None) -> dict[str, Any]:
        """Outlets as nodes and "copies from" as weighted edges, optionally only the
        neighbourhood of one outlet."""
        counts = {
            r["d"]: r["n"]
            for r in self._rows(
                f"SELECT {_bare('domain')} AS d, count(*) AS n "
                "FROM articles WHERE domain IS NOT NULL GROUP BY d"
            )
        }
        bands: dict[str, str] = {}
        if "outlets" in self.tables:
            for r in self._rows(
                f"SELECT {_bare('domain')} AS d, any_value(band) AS b "
                "FROM outlets WHERE domain IS NOT NULL GROUP BY d"
            ):
                bands[r["d"]] = r["b"]
        edges = [
            {
                "source": e["source"].removeprefix("outlet:"),
                "target": e["target"].removeprefix("outlet:"),
                "weight": e.get("copies") or 1,
                "median_gap_hours": e.get("median_gap_hours"),
            }
            for e in self._graph.get("edges", [])
            if e.get("type") == "copies_from"
        ]
        names = set(counts) | {e["source"] for e in edges} | {e["target"] for e in edges}
        key = _norm_domain(outlet)
        if key:
            edges = [e for e in edges if key in (e["source"], e["target"])]
            names = {key} | {e["source"] for e in edges} | {e["target"] for e in edges}
            if key not in counts and not edges:
                raise NotFound(f"no outlet {outlet!r} in this corpus")
        nodes = [
            {"id": n, "label": n, "band": bands.get(n) or "unrated", "n_articles": counts.get(n, 0)}
            for n in sorted(names)
        ]
        return {"nodes": nodes, "edges": edges, "traced": self.has_trace}


def read_stories(path: Path) -> dict[str, list[dict[str, Any]]]:
    """``stories.parquet`` of `newstrace trace run` (story, id, size, outlet, published,
    origin) → members per story id, stories of one article left out (not a family)."""
    import pyarrow.parquet as pq

    try:
        rows = pq.read_table(path, columns=["story", "id", "size", "origin"]).to_pylist()
    except (OSError, KeyError, ValueError) as exc:
        raise MalformedData(f"cannot read {path}: {exc}") from exc
    stories: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row.get("story") is not None and (row.get("size") or 0) > 1:
            stories[str(row["story"])].append(row)
    return dict(stories)


def _article_id(node_id: str) -> str:
    return node_id.removeprefix("article:")


def _stories_from_graph(graph: dict[str, Any]) -> dict[str, list[str]]:
    """Story families: articles joined by copy edges (not mere partial overlaps).

    A family's id is the id of its earliest article (then the smallest id): stable across
    loads of the same graph.
    """
    families: UnionFind[str] = UnionFind()
    for edge in graph.get("edges", []):
        if edge.get("type") != "copied" or edge.get("kind") == "partial":
            continue
        families.union(_article_id(edge["source"]), _article_id(edge["target"]))
    published = {
        _article_id(n["id"]): n.get("published") or "~"  # undated sorts last
        for n in graph.get("nodes", [])
        if n.get("type") == "article"
    }
    stories = {}
    for members in families.groups().values():
        if len(members) > 1:
            # Named after its earliest copy: the story as it started.
            first = min(members, key=lambda m: (published.get(m, "~"), m))
            stories[first] = sorted(members)
    return stories


def report_from_rows(
    article: dict[str, Any], tables: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """A report dict (docs/report-schema.md) rebuilt from one article's corpus rows, each
    section by its declared reader.

    The tables keep what search and statistics need, so some details are not kept (each
    section's ``corpus_lost``, listed in docs/corpus-schema.md); spans come back from
    their stored offsets, never by searching the text.
    """
    text = article.get("text") or ""
    report: dict[str, Any] = {"id": article["id"], "format": article.get("format")}
    for section in SECTIONS:
        read = section.reader()
        if read is not None:
            report[section.key] = read(article, tables, text)
    return report
