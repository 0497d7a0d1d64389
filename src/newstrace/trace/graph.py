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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr


def outlet_of(meta_domain: str | None, meta_publisher: str | None) -> str | None:
    name = meta_domain or meta_publisher
    return name.casefold().removeprefix("www.") if name else None


def article_nodes(articles: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for a in articles:
        yield {
            "id": f"article:{a['id']}",
            "type": "article",
            "label": a["id"],
            "outlet": a.get("outlet") or "",
            "published": a.get("published") or "",
        }


def outlet_nodes(outlets: Iterable[str]) -> Iterator[dict[str, Any]]:
    """``outlets``: every outlet of the corpus, sorted."""
    for o in outlets:
        yield {"id": f"outlet:{o}", "type": "outlet", "label": o}


def published_edges(articles: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for a in articles:
        if a.get("outlet"):
            yield {
                "source": f"outlet:{a['outlet']}",
                "target": f"article:{a['id']}",
                "type": "published",
            }


def copied_edges(edges: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for e in edges:
        yield {
            **e,
            "source": f"article:{e['source']}",
            "target": f"article:{e['target']}",
            "type": "copied",
        }


def outlet_pairs(
    edges: Iterable[dict[str, Any]], outlet_of_article: Mapping[str, str | None]
) -> list[dict[str, Any]]:
    """How often one outlet copied another and how fast, from the directed article edges
    (``outlet_of_article`` needs to hold only the articles of ``edges``)."""
    per_outlet: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in edges:
        so, to = outlet_of_article.get(e["source"]), outlet_of_article.get(e["target"])
        if e.get("directed") and so and to and so != to:
            per_outlet[(so, to)].append(e)
    summary = []
    for (so, to), group in sorted(per_outlet.items()):
        gaps = [g["gap_hours"] for g in group if g.get("gap_hours") is not None]
        summary.append(
            {
                "source": so,
                "target": to,
                "copies": len(group),
                "median_gap_hours": round(statistics.median(gaps), 2) if gaps else None,
                "mean_shared_fraction": round(
                    statistics.fmean(g["shared_fraction_target"] for g in group), 4
                ),
            }
        )
    return summary


def outlet_edges(summary: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in summary:
        yield {
            "source": f"outlet:{item['source']}",
            "target": f"outlet:{item['target']}",
            "type": "copies_from",
            "directed": True,
            "copies": item["copies"],
            "median_gap_hours": item["median_gap_hours"],
        }


def build_graph(articles: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    """``articles``: {id, outlet, published}; ``edges``: {source, target, directed, kind,
    shared_fraction_source, shared_fraction_target, gap_hours, evidence, confidence}.
    The pieces are generators so that :func:`write_graph_streams` can write a corpus's
    graph without holding it; this puts them together in memory."""
    outlet_of_article = {a["id"]: a.get("outlet") for a in articles}
    outlets = sorted({o for o in outlet_of_article.values() if o})
    summary = outlet_pairs(edges, outlet_of_article)
    return {
        "nodes": [*article_nodes(articles), *outlet_nodes(outlets)],
        "edges": [*published_edges(articles), *copied_edges(edges), *outlet_edges(summary)],
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


def write_json_stream(path: Path, sections: Sequence[tuple[str, Iterable[Any]]]) -> None:
    """The bytes :func:`write_json` writes for ``{key: list(items), ...}``, item by item:
    a corpus's graph is never held as one object or one string."""
    with path.open("w", encoding="utf-8") as out:
        out.write("{")
        for k, (key, items) in enumerate(sections):
            out.write(("," if k else "") + "\n " + json.dumps(key, ensure_ascii=False) + ": ")
            first = True
            for item in items:
                out.write("[\n" if first else ",\n")
                text = json.dumps(item, ensure_ascii=False, indent=1)
                # indent=1 at depth 2 of the whole: every line of the item two spaces in.
                out.write("\n".join("  " + line for line in text.split("\n")))
                first = False
            out.write("[]" if first else "\n ]")
        out.write("\n}" if sections else "}")


def write_graph_streams(
    nodes: Callable[[], Iterable[dict[str, Any]]],
    edges: Callable[[], Iterable[dict[str, Any]]],
    outlets: list[dict[str, Any]],
    pairs: list[dict[str, Any]],
    out: Path,
) -> None:
    """``graph.graphml`` and ``graph.json`` from node and edge streams (each callable gives
    a fresh iterator: the files are written one after the other), as :func:`build_graph`,
    :func:`write_graphml` and :func:`write_json` would write them."""
    with (out / "graph.graphml").open("w", encoding="utf-8") as handle:
        for line in graphml_lines(nodes(), edges()):
            handle.write(line + "\n")
    sections = [
        ("nodes", nodes()),
        ("edges", edges()),
        ("outlets", outlets),
        ("outlet_pairs", pairs),
    ]
    write_json_stream(out / "graph.json", sections)


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
    lines = graphml_lines(graph["nodes"], graph["edges"])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def graphml_lines(
    nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]]
) -> Iterator[str]:
    ids = {(name, kind): f"{kind[0]}_{name}" for name, kind, _ in _KEYS}
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
    for name, kind, typ in _KEYS:
        yield f'  <key id="{ids[(name, kind)]}" for="{kind}" attr.name="{name}" attr.type="{typ}"/>'
    yield '  <graph id="newstrace" edgedefault="directed">'
    for node in nodes:
        yield f"    <node id={quoteattr(node['id'])}>"
        yield from _data(node, "node", ids)
        yield "    </node>"
    for i, edge in enumerate(edges):
        directed = "true" if edge.get("directed", True) else "false"
        yield (
            f'    <edge id="e{i}" source={quoteattr(edge["source"])} '
            f'target={quoteattr(edge["target"])} directed="{directed}">'
        )
        yield from _data(edge, "edge", ids)
        yield "    </edge>"
    yield "  </graph>"
    yield "</graphml>"


def _data(item: dict[str, Any], kind: str, ids: dict[tuple[str, str], str]) -> list[str]:
    out = []
    for name, k, _ in _KEYS:
        if k != kind or item.get(name) is None or item.get(name) == "":
            continue
        out.append(f'      <data key="{ids[(name, k)]}">{escape(str(item[name]))}</data>')
    return out
