"""One article against a traced corpus: its copies, its likely origin, what changed."""

from __future__ import annotations

from typing import Any

from newstrace.data import Article
from newstrace.trace.candidates import sketch
from newstrace.trace.direction import parse_date
from newstrace.trace.graph import outlet_of
from newstrace.trace.index import TraceIndex
from newstrace.trace.minhash import jaccard
from newstrace.trace.pipeline import TraceConfig, verify_pair


def find(query: Article, index: TraceIndex, config: TraceConfig | None = None) -> dict[str, Any]:
    config = config or TraceConfig(lsh=index.config)
    query_sig = sketch([query], index.config).doc_sigs[0]
    matches: list[dict[str, Any]] = []
    for i in index.candidates(query):
        other = index.article(i)
        same_doc = other.id == query.id or (other.meta.url and other.meta.url == query.meta.url)
        if same_doc and other.text == query.text:
            continue  # the query itself, already in the index
        verified = verify_pair(query, other, config)
        if verified is None:
            continue
        al, d, kind = verified
        source = {"a": "query", "b": "match"}.get(d.source or "")
        # Rewrites read from the source to the copy (query → match when undecided).
        rewrites = [r if source != "match" else r.flipped() for r in al.rewrites]
        matches.append(
            {
                "id": other.id,
                "outlet": outlet_of(other.meta.domain, other.meta.publisher),
                "published": other.meta.published,
                "url": other.meta.url,
                "kind": kind,
                "similarity": round(jaccard(query_sig, index.doc_sigs[i]), 4),
                "shared_fraction_query": round(al.shared_fraction_a, 4),
                "shared_fraction_match": round(al.shared_fraction_b, 4),
                "source": source,
                "evidence": d.evidence,
                "confidence": round(d.confidence, 3),
                "detail": d.detail,
                "passages": [
                    {
                        "query": query.span_ref(p.a_start, p.a_end),
                        "match": other.span_ref(p.b_start, p.b_end),
                        "words": p.words,
                        "similarity": round(p.similarity, 4),
                    }
                    for p in al.shared
                ],
                "rewrites": [{"kind": r.kind, "from": r.a_text, "to": r.b_text} for r in rewrites],
                "only_in_query": [query.text[s:e] for s, e in al.only_a],
                "only_in_match": [other.text[s:e] for s, e in al.only_b],
            }
        )
    matches.sort(key=lambda m: (-m["shared_fraction_query"], m["id"]))
    return {
        "article": {
            "id": query.id,
            "outlet": outlet_of(query.meta.domain, query.meta.publisher),
            "published": query.meta.published,
        },
        "copies": [m for m in matches if m["kind"] != "partial"],
        "partial": [m for m in matches if m["kind"] == "partial"],
        "origin": likely_origin(matches),
    }


def likely_origin(matches: list[dict[str, Any]]) -> dict[str, Any]:
    """The match the query was most surely copied from (earliest on ties); else the query
    itself when others copied it; else unknown."""
    sources = [m for m in matches if m["source"] == "match"]
    if sources:
        best = min(sources, key=lambda m: (-m["confidence"], _date_key(m["published"])))
        return {
            "id": best["id"],
            "outlet": best["outlet"],
            "published": best["published"],
            "evidence": best["evidence"],
            "confidence": best["confidence"],
        }
    if any(m["source"] == "query" for m in matches):
        return {
            "id": None,
            "this_article": True,
            "evidence": "others copied it; none of its matches is its source",
        }
    return {"id": None, "this_article": False, "evidence": "undecided"}


def _date_key(value: str | None) -> str:
    parsed = parse_date(value)
    return parsed.isoformat() if parsed else "9999"


def report_copies(query: Article, index: TraceIndex, index_path: str) -> dict[str, Any]:
    """The ``copies`` object of the single-article report (docs/report-schema.md): what
    ``trace find`` says about the article, less the article's own summary (the report
    already has it), plus which index was asked and how large it is."""
    found = find(query, index)
    return {
        "index": index_path,
        "indexed_articles": len(index),
        "origin": found["origin"],
        "copies": found["copies"],
        "partial": found["partial"],
    }
