"""The provenance graph: articles and outlets as nodes, copying as directed edges.

An article edge runs from the source to the copy (or, when undecided, is marked
undirected) and carries the shared fractions, the date gap and the evidence. Outlet edges
aggregate article edges: how often one outlet copied another and how fast (median gap).
Exported as GraphML (for Gephi, networkx, yEd) and as JSON.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr


def outlet_of(meta_domain: str | None, meta_publisher: str | None) -> str | None:
    name = meta_domain or meta_publisher
    return name.casefold().removeprefix("www.") if name else None


def build_graph(articles: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    """``articles``: {id, outlet, published}; ``edges``: {source, target, directed, kind,
    shared_fraction_source, shared_fraction_target, gap_hours, evidence, confidence}."""
    outlet_of_article = {a["id"]: a.get("outlet") for a in articles}
    nodes: list[dict[str, Any]] = [
        {
            "id": f"article:{a['id']}",
            "type": "article",
            "label": a["id"],
            "outlet": a.get("outlet") or "",
            "published": a.get("published") or "",
        }
        for a in articles
    ]
    outlets = sorted({o for o in outlet_of_article.values() if o})
    nodes += [{"id": f"outlet:{o}", "type": "outlet", "label": o} for o in outlets]
    graph_edges: list[dict[str, Any]] = []
    for a in articles:
        if a.get("outlet"):
            graph_edges.append(
                {
                    "source": f"outlet:{a['outlet']}",
                    "target": f"article:{a['id']}",
                    "type": "published",
                }
            )
    per_outlet: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in edges:
        graph_edges.append(
            {
                **e,
                "source": f"article:{e['source']}",
                "target": f"article:{e['target']}",
                "type": "copied",
            }
        )
        so, to = outlet_of_article.get(e["source"]), outlet_of_article.get(e["target"])
        if e.get("directed") and so and to and so != to:
            per_outlet[(so, to)].append(e)
    summary = []
    for (so, to), group in sorted(per_outlet.items()):
        gaps = [g["gap_hours"] for g in group if g.get("gap_hours") is not None]
        item = {
            "source": so,
            "target": to,
            "copies": len(group),
            "median_gap_hours": round(statistics.median(gaps), 2) if gaps else None,
            "mean_shared_fraction": round(
                statistics.fmean(g["shared_fraction_target"] for g in group), 4
            ),
        }
        summary.append(item)
        graph_edges.append(
            {
                "source": f"outlet:{so}",
                "target": f"outlet:{to}",
                "type": "copies_from",
                "directed": True,
                "copies": item["copies"],
                "median_gap_hours": item["median_gap_hours"],
            }
        )
    return {
        "nodes": nodes,
        "edges": graph_edges,
        "outlets": outlet_summary(summary),
        "outlet_pairs": summary,
    }


def outlet_summary(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per outlet: how many copies it took from others, how many of its stories others took,
    and from whom it copies most."""
    took: dict[str, int] = defaultdict(int)
    given: dict[str, int] = defaultdict(int)
    sources: dict[str, dict[str, int]] = defaultdict(dict)
    for p in pairs:
        took[p["target"]] += p["copies"]
        given[p["source"]] += p["copies"]
        sources[p["target"]][p["source"]] = p["copies"]
    out = []
    for outlet in sorted(set(took) | set(given)):
        top = sorted(sources[outlet].items(), key=lambda kv: -kv[1])[:5]
        out.append(
            {
                "outlet": outlet,
                "copied_from_others": took[outlet],
                "copied_by_others": given[outlet],
                "top_sources": [{"outlet": o, "copies": c} for o, c in top],
            }
        )
    return out


def write_json(graph: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(graph, ensure_ascii=False, indent=1), encoding="utf-8")


_KEYS = (
    # (name, for, type)
    ("type", "node", "string"),
    ("label", "node", "string"),
    ("outlet", "node", "string"),
    ("published", "node", "string"),
    ("type", "edge", "string"),
    ("kind", "edge", "string"),
    ("evidence", "edge", "string"),
    ("confidence", "edge", "double"),
    ("similarity", "edge", "double"),
    ("shared_fraction_source", "edge", "double"),
    ("shared_fraction_target", "edge", "double"),
    ("gap_hours", "edge", "double"),
    ("copies", "edge", "int"),
    ("median_gap_hours", "edge", "double"),
)


def write_graphml(graph: dict[str, Any], path: Path) -> None:
    """GraphML with typed attributes; article text never goes in (ids and numbers only)."""
    ids = {(name, kind): f"{kind[0]}_{name}" for name, kind, _ in _KEYS}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ]
    for name, kind, typ in _KEYS:
        lines.append(
            f'  <key id="{ids[(name, kind)]}" for="{kind}" attr.name="{name}" attr.type="{typ}"/>'
        )
    lines.append('  <graph id="newstrace" edgedefault="directed">')
    for node in graph["nodes"]:
        lines.append(f"    <node id={quoteattr(node['id'])}>")
        lines += _data(node, "node", ids)
        lines.append("    </node>")
    for i, edge in enumerate(graph["edges"]):
        directed = "true" if edge.get("directed", True) else "false"
        lines.append(
            f'    <edge id="e{i}" source={quoteattr(edge["source"])} '
            f'target={quoteattr(edge["target"])} directed="{directed}">'
        )
        lines += _data(edge, "edge", ids)
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _data(item: dict[str, Any], kind: str, ids: dict[tuple[str, str], str]) -> list[str]:
    out = []
    for name, k, _ in _KEYS:
        if k != kind or item.get(name) is None or item.get(name) == "":
            continue
        out.append(f'      <data key="{ids[(name, k)]}">{escape(str(item[name]))}</data>')
    return out
