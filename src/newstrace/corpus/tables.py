"""The corpus output tables: Arrow schemas and report dict → rows.

Each report (docs/report-schema.md) is flattened into one ``articles`` row plus rows in
the child tables, all keyed by ``article_id``. Column types are fixed here, not inferred,
so every task's files share one schema even when a shard has no rows of a kind (an empty
list infers nothing). The flattening reads the report defensively: a section may be
missing or empty while annotators are still landing, and values whose shape varies
(a span object, a string, a list) are reduced to plain columns by small helpers.
docs/corpus-schema.md describes every column.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from newstrace.corpus.record import Doc

S = pa.string()
N = pa.int64()
F = pa.float64()
B = pa.bool_()
LS = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("id", S),
            ("location", S),
            ("format", S),
            ("title", S),
            ("authors", LS),
            ("published", S),
            ("publisher", S),
            ("domain", S),
            ("url", S),
            ("language", S),
            ("headline", S),
            ("headline_is_question", B),
            ("headline_stance", S),
            ("headline_stance_probability", F),
            ("body", S),
            ("text", S),
            ("n_chars", N),
            ("n_blocks", N),
            ("n_body_blocks", N),
            ("n_findings", N),
            ("n_attributions", N),
            ("n_claims", N),
            ("n_unsourced_claims", N),
            ("n_entities", N),
            ("n_outlets", N),
            ("n_provenance", N),
            ("n_provenance_conflicts", N),
            ("max_severity", S),
            ("errors", LS),
            ("seconds", F),
            ("task", N),
        ]
    ),
    "blocks": pa.schema(
        [
            ("article_id", S),
            ("idx", N),
            ("role", S),
            ("start", N),
            ("end", N),
            ("text", S),
        ]
    ),
    "findings": pa.schema(
        [
            ("article_id", S),
            ("idx", N),
            ("kind", S),
            ("severity", S),
            ("message", S),
            ("evidence_text", S),
            ("evidence_start", N),
            ("evidence_end", N),
            ("n_evidence", N),
        ]
    ),
    "attributions": pa.schema(
        [
            ("article_id", S),
            ("idx", N),
            ("text", S),
            ("start", N),
            ("end", N),
            ("source", S),
            ("source_start", N),
            ("source_end", N),
            ("cue", S),
            ("content", S),
            ("content_start", N),
            ("content_end", N),
            ("speaker", S),
            ("speaker_kind", S),
            ("direct", B),
            ("medium", S),
            ("time", S),
            ("role", S),
        ]
    ),
    "claims": pa.schema(
        [
            ("article_id", S),
            ("idx", N),
            ("text", S),
            ("start", N),
            ("end", N),
            ("role", S),
            ("status", S),
            ("attribution_idx", N),
            ("hedge", S),
            ("loaded_terms", LS),
            ("checkworthy", B),
        ]
    ),
    "entities": pa.schema(
        [
            ("article_id", S),
            ("idx", N),
            ("name", S),
            ("label", S),
            ("variants", LS),
            ("inconsistent_spelling", B),
            ("n_mentions", N),
        ]
    ),
    "outlets": pa.schema(
        [
            ("article_id", S),
            ("idx", N),
            ("name", S),
            ("domain", S),
            ("roles", LS),
            ("band", S),
            ("n_ratings", N),
        ]
    ),
    "ratings": pa.schema(
        [
            ("article_id", S),
            ("outlet_idx", N),
            ("outlet_domain", S),
            ("source", S),
            ("value", F),
            ("value_text", S),
            ("scale", S),
            ("label", S),
            ("date", S),
            ("imputed", B),
        ]
    ),
    "provenance": pa.schema(
        [
            ("article_id", S),
            ("order", N),
            ("outlet", S),
            ("domain", S),
            ("role", S),
            ("person", S),
            ("language", S),
            ("date", S),
            ("evidence_text", S),
            ("evidence_start", N),
            ("evidence_end", N),
        ]
    ),
    "rejects": pa.schema(
        [
            ("id", S),
            ("location", S),
            ("reason", S),
            ("message", S),
            ("stage", S),
            ("task", N),
        ]
    ),
}
TABLES: tuple[str, ...] = tuple(SCHEMAS)

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}


# --- value helpers: one shape out, whatever shape came in -------------------------------


def _text(value: Any) -> str | None:
    """A span object's text, a string as is, anything else as compact JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        for key in ("text", "name", "label"):
            if isinstance(value.get(key), str):
                return value[key]
    if isinstance(value, bool | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _offset(value: Any, key: str) -> int | None:
    if isinstance(value, Mapping) and isinstance(value.get(key), int):
        return value[key]
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, Mapping):  # {"score": 0.7, …}
        for key in ("score", "value", "probability"):
            if isinstance(value.get(key), int | float):
                return float(value[key])
    return None


def _bool(value: Any) -> bool | None:
    return bool(value) if value is not None else None


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [t for t in (_text(v) for v in value) if t is not None]
    return [str(value)]


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


# --- flattening ---------------------------------------------------------------------------


def reject_row(doc: Doc, task: int) -> dict[str, Any]:
    assert doc.reject is not None
    return {
        "id": doc.record.id,
        "location": doc.record.location,
        "reason": doc.reject.reason,
        "message": doc.reject.message,
        "stage": doc.reject.stage,
        "task": task,
    }


def flatten(doc: Doc, task: int) -> dict[str, list[dict[str, Any]]]:
    """One document → rows per table (a rejected one → one ``rejects`` row)."""
    if doc.reject is not None or doc.report is None:
        if doc.reject is None:  # cannot happen through the steps; never drop a document
            from newstrace.corpus.record import Reject

            doc.reject = Reject("internal", "no report was produced", "write")
        return {"rejects": [reject_row(doc, task)]}
    report = doc.report
    aid = doc.record.id
    meta = _dict(report.get("meta"))
    headline = _dict(report.get("headline"))
    blocks = _list(report.get("blocks"))
    findings = _list(report.get("findings"))
    attributions = _list(report.get("attributions"))
    claims = _list(report.get("claims"))
    entities = _list(report.get("entities"))
    outlets = _list(report.get("outlets"))
    provenance = _dict(report.get("provenance"))
    declared = _list(provenance.get("declared"))
    text = report.get("text") or ""
    body = "\n\n".join(
        str(_dict(b).get("text") or "") for b in blocks if _dict(b).get("role") == "body"
    )
    severities = [SEVERITY_RANK.get(_dict(f).get("severity"), -1) for f in findings]
    top = max(severities, default=-1)
    stance = headline.get("stance")
    rows: dict[str, list[dict[str, Any]]] = {
        "articles": [
            {
                "id": aid,
                "location": doc.record.location,
                "format": report.get("format"),
                "title": _text(meta.get("title")),
                "authors": _texts(meta.get("authors")),
                "published": _text(meta.get("published")),
                "publisher": _text(meta.get("publisher")),
                "domain": _text(meta.get("domain")),
                "url": _text(meta.get("url")),
                "language": _text(meta.get("language")),
                "headline": _text(headline.get("text")),
                "headline_is_question": _bool(headline.get("is_question")),
                "headline_stance": _dict(stance).get("label")
                if isinstance(stance, Mapping)
                else _text(stance),
                "headline_stance_probability": _float(_dict(stance).get("probability")),
                "body": body,
                "text": text,
                "n_chars": len(text),
                "n_blocks": len(blocks),
                "n_body_blocks": sum(1 for b in blocks if _dict(b).get("role") == "body"),
                "n_findings": len(findings),
                "n_attributions": len(attributions),
                "n_claims": len(claims),
                "n_unsourced_claims": sum(
                    1 for c in claims if str(_dict(c).get("status") or "").startswith("unsourced")
                ),
                "n_entities": len(entities),
                "n_outlets": len(outlets),
                "n_provenance": len(declared),
                "n_provenance_conflicts": len(_list(provenance.get("conflicts"))),
                "max_severity": next((k for k, v in SEVERITY_RANK.items() if v == top), None),
                "errors": _texts(report.get("errors")),
                "seconds": doc.seconds,
                "task": task,
            }
        ],
        "blocks": [
            {
                "article_id": aid,
                "idx": i,
                "role": _text(b.get("role")),
                "start": _int(b.get("start")),
                "end": _int(b.get("end")),
                "text": _text(b.get("text")),
            }
            for i, b in enumerate(map(_dict, blocks))
        ],
        "findings": [],
        "attributions": [],
        "claims": [],
        "entities": [],
        "outlets": [],
        "ratings": [],
        "provenance": [],
    }
    for i, f in enumerate(map(_dict, findings)):
        ev = _list(f.get("evidence"))
        first = ev[0] if ev else None
        rows["findings"].append(
            {
                "article_id": aid,
                "idx": i,
                "kind": _text(f.get("kind")),
                "severity": _text(f.get("severity")),
                "message": _text(f.get("message")),
                "evidence_text": _text(first),
                "evidence_start": _offset(first, "start"),
                "evidence_end": _offset(first, "end"),
                "n_evidence": len(ev),
            }
        )
    for i, a in enumerate(map(_dict, attributions)):
        src, content = a.get("source"), a.get("content")
        rows["attributions"].append(
            {
                "article_id": aid,
                "idx": i,
                "text": _text(a.get("text")),
                "start": _int(a.get("start")),
                "end": _int(a.get("end")),
                "source": _text(src),
                "source_start": _offset(src, "start"),
                "source_end": _offset(src, "end"),
                "cue": _text(a.get("cue")),
                "content": _text(content),
                "content_start": _offset(content, "start"),
                "content_end": _offset(content, "end"),
                "speaker": _text(a.get("speaker")),
                "speaker_kind": _text(a.get("speaker_kind")),
                "direct": _bool(a.get("direct")),
                "medium": _text(a.get("medium")),
                "time": _text(a.get("time")),
                "role": _text(a.get("role")),
            }
        )
    for i, c in enumerate(map(_dict, claims)):
        rows["claims"].append(
            {
                "article_id": aid,
                "idx": i,
                "text": _text(c.get("text")),
                "start": _int(c.get("start")),
                "end": _int(c.get("end")),
                "role": _text(c.get("role")),
                "status": _text(c.get("status")),
                "attribution_idx": _int(c.get("attribution")),
                "hedge": _text(c.get("hedge")),
                "loaded_terms": _texts(c.get("loaded_terms")),
                "checkworthy": _bool(c.get("checkworthy")),
            }
        )
    for i, e in enumerate(map(_dict, entities)):
        mentions = e.get("mentions")
        rows["entities"].append(
            {
                "article_id": aid,
                "idx": i,
                "name": _text(e.get("name")),
                "label": _text(e.get("label")),
                "variants": _texts(e.get("variants")),
                "inconsistent_spelling": _bool(e.get("inconsistent_spelling")),
                "n_mentions": len(mentions) if isinstance(mentions, list) else _int(mentions),
            }
        )
    for i, o in enumerate(map(_dict, outlets)):
        ratings = _list(o.get("ratings"))
        rows["outlets"].append(
            {
                "article_id": aid,
                "idx": i,
                "name": _text(o.get("name")),
                "domain": _text(o.get("domain")),
                "roles": _texts(o.get("roles")),
                "band": _text(o.get("band")),
                "n_ratings": len(ratings),
            }
        )
        for r in map(_dict, ratings):
            value = r.get("value")
            rows["ratings"].append(
                {
                    "article_id": aid,
                    "outlet_idx": i,
                    "outlet_domain": _text(o.get("domain")),
                    "source": _text(r.get("source")),
                    "value": _float(value),
                    "value_text": _text(value),
                    "scale": _text(r.get("scale")),
                    "label": _text(r.get("label")),
                    "date": _text(r.get("date")),
                    "imputed": _bool(r.get("imputed")),
                }
            )
    for i, p in enumerate(map(_dict, declared)):
        ev = p.get("evidence")
        if isinstance(ev, list):
            ev = ev[0] if ev else None
        order = _int(p.get("order"))
        rows["provenance"].append(
            {
                "article_id": aid,
                "order": order if order is not None else i,
                "outlet": _text(p.get("outlet")),
                "domain": _text(p.get("domain")),
                "role": _text(p.get("role")),
                "person": _text(p.get("person")),
                "language": _text(p.get("language")),
                "date": _text(p.get("date")),
                "evidence_text": _text(ev),
                "evidence_start": _offset(ev, "start"),
                "evidence_end": _offset(ev, "end"),
            }
        )
    return rows
