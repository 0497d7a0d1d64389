"""Report section ⇄ corpus rows: one writer and one reader per report section.

:mod:`newstrace.sections` names these in each section's declaration (a section that
declares columns but names no writer or reader gets :func:`write_columns` and
:func:`read_columns`, which follow its columns); the corpus writer
(:func:`newstrace.corpus.tables.flatten`) and the service's read-back
(:func:`newstrace.service.corpus_store.report_from_rows`) only iterate the declarations.
A writer turns the section's report value into ``{"articles": {column: value},
<child table>: [row, …]}`` (child rows without ``article_id``, which the caller adds); a
reader turns the article's row, its child rows and the text back into the section's
report value. What the tables do not keep is named in each declaration (``corpus_lost``)
and in docs/corpus-schema.md.

Writers read the report defensively (values whose shape varies are reduced to plain
columns by the helpers below), so a report from a half-built annotator still writes.
Pure Python on purpose: no pyarrow here, so reports are laid out without the corpus extra.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from newstrace.data import SEVERITIES

if TYPE_CHECKING:  # the declarations name this module by string; no import at run time
    from newstrace.sections import Columns, Section, Table

Rows = dict[str, Any]  # "articles" → {column: value}; a child table → list of row dicts


# --- value helpers: one shape out, whatever shape came in -------------------------------


def text_of(value: Any) -> str | None:
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


def offset(value: Any, key: str) -> int | None:
    if isinstance(value, Mapping) and isinstance(value.get(key), int):
        return value[key]
    return None


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    return None


def as_float(value: Any) -> float | None:
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, Mapping):  # {"score": 0.7, …}
        for key in ("score", "value", "probability"):
            if isinstance(value.get(key), int | float):
                return float(value[key])
    return None


def as_bool(value: Any) -> bool | None:
    return bool(value) if value is not None else None


def texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [t for t in (text_of(v) for v in value) if t is not None]
    return [str(value)]


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def as_dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def span_columns(name: str, value: Any, text_column: str | None = None) -> dict[str, Any]:
    """A span-valued field as ``<name>`` (or ``text_column``), ``<name>_start``,
    ``<name>_end``."""
    return {
        text_column or name: text_of(value),
        f"{name}_start": offset(value, "start"),
        f"{name}_end": offset(value, "end"),
    }


def span_at(text: str, start: Any, end: Any) -> dict[str, Any] | None:
    """The span object at these offsets (None unless both are integers): spans are never
    found again by searching the text."""
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    return {"text": text[start:end], "start": start, "end": end}


def span_from(row: Mapping[str, Any], name: str, text: str) -> dict[str, Any] | None:
    return span_at(text, row.get(f"{name}_start"), row.get(f"{name}_end"))


def _items(value: Any) -> list[Mapping[str, Any]]:
    return [as_dict(v) for v in as_list(value)]


def _spanned(i: int, item: Mapping[str, Any]) -> dict[str, Any]:
    """The position and extent every span-like item's row starts with."""
    return {
        "idx": i,
        "text": text_of(item.get("text")),
        "start": as_int(item.get("start")),
        "end": as_int(item.get("end")),
    }


def _extent(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"text": row.get("text"), "start": row.get("start"), "end": row.get("end")}


def _has_offsets(row: Mapping[str, Any]) -> bool:
    return isinstance(row.get("start"), int) and isinstance(row.get("end"), int)


# --- one writer and one reader per section -----------------------------------------------


def write_meta(meta: Any, report: Mapping[str, Any]) -> Rows:
    meta = as_dict(meta)
    columns = {k: text_of(meta.get(k)) for k in ("title", "published", "publisher")}
    columns |= {k: text_of(meta.get(k)) for k in ("domain", "url", "language")}
    return {"articles": {**columns, "authors": texts(meta.get("authors"))}}


def read_meta(article: Mapping[str, Any], tables: Mapping[str, list], text: str) -> Any:
    keys = ("title", "authors", "published", "publisher", "domain", "url", "language")
    meta = {k: article.get(k) for k in keys}
    meta["authors"] = list(meta["authors"] or [])
    return meta


def write_headline(headline: Any, report: Mapping[str, Any]) -> Rows:
    headline = as_dict(headline)
    stance = headline.get("stance")
    label = as_dict(stance).get("label") if isinstance(stance, Mapping) else text_of(stance)
    return {
        "articles": {
            "headline": text_of(headline.get("text")),
            "headline_start": as_int(headline.get("start")),
            "headline_end": as_int(headline.get("end")),
            "headline_is_question": as_bool(headline.get("is_question")),
            "headline_stance": label,
            "headline_stance_probability": as_float(as_dict(stance).get("probability")),
        }
    }


def read_headline(article: Mapping[str, Any], tables: Mapping[str, list], text: str) -> Any:
    stance = None
    if article.get("headline_stance"):
        stance = {
            "label": article["headline_stance"],
            "probability": article.get("headline_stance_probability"),
        }
    return {
        "text": article.get("headline"),
        "start": article.get("headline_start"),
        "end": article.get("headline_end"),
        "is_question": bool(article.get("headline_is_question")),
        "stance": stance,
        "clauses": [],
    }


def write_text(value: Any, report: Mapping[str, Any]) -> Rows:
    text = value if isinstance(value, str) else ""
    return {"articles": {"text": text, "n_chars": len(text)}}


def read_text(article: Mapping[str, Any], tables: Mapping[str, list], text: str) -> Any:
    return text


def write_blocks(blocks: Any, report: Mapping[str, Any]) -> Rows:
    items = _items(blocks)
    body = [b for b in items if b.get("role") == "body"]
    return {
        "articles": {
            "body": "\n\n".join(str(b.get("text") or "") for b in body),
            "n_blocks": len(items),
            "n_body_blocks": len(body),
        },
        "blocks": [{**_spanned(i, b), "role": text_of(b.get("role"))} for i, b in enumerate(items)],
    }


def read_blocks(article: Mapping[str, Any], tables: Mapping[str, list], text: str) -> Any:
    return [{"role": b["role"], **_extent(b)} for b in tables["blocks"] if _has_offsets(b)]


_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def write_findings(findings: Any, report: Mapping[str, Any]) -> Rows:
    items = _items(findings)
    top = max((_RANK.get(f.get("severity"), -1) for f in items), default=-1)
    rows = []
    for i, f in enumerate(items):
        evidence = as_list(f.get("evidence"))
        rows.append(
            {
                "idx": i,
                "kind": text_of(f.get("kind")),
                "severity": text_of(f.get("severity")),
                "message": text_of(f.get("message")),
                **span_columns("evidence", evidence[0] if evidence else None, "evidence_text"),
                "n_evidence": len(evidence),
            }
        )
    return {
        "articles": {
            "n_findings": len(items),
            "max_severity": SEVERITIES[top] if top >= 0 else None,
        },
        "findings": rows,
    }


def read_findings(article: Mapping[str, Any], tables: Mapping[str, list], text: str) -> Any:
    out = []
    for f in tables["findings"]:
        evidence = span_from(f, "evidence", text)
        out.append(
            {
                "kind": f.get("kind"),
                "severity": f.get("severity") or "info",
                "message": f.get("message"),
                "evidence": [evidence] if evidence else [],
            }
        )
    return out


def write_provenance(provenance: Any, report: Mapping[str, Any]) -> Rows:
    provenance = as_dict(provenance)
    declared = _items(provenance.get("declared"))
    rows = []
    for i, p in enumerate(declared):
        evidence = p.get("evidence")
        if isinstance(evidence, list):
            evidence = evidence[0] if evidence else None
        order = as_int(p.get("order"))
        rows.append(
            {
                "order": order if order is not None else i,
                **{k: text_of(p.get(k)) for k in ("outlet", "domain", "role", "person")},
                **{k: text_of(p.get(k)) for k in ("language", "date")},
                **span_columns("evidence", evidence, "evidence_text"),
            }
        )
    return {
        "articles": {
            "n_provenance": len(declared),
            "n_provenance_conflicts": len(as_list(provenance.get("conflicts"))),
        },
        "provenance": rows,
    }


def read_provenance(article: Mapping[str, Any], tables: Mapping[str, list], text: str) -> Any:
    keys = ("order", "outlet", "domain", "role", "person", "language", "date")
    declared = [
        {**{k: p.get(k) for k in keys}, "evidence": span_from(p, "evidence", text)}
        for p in tables["provenance"]
    ]
    return {"declared": declared, "conflicts": []}


def _marks(row: Mapping[str, Any]) -> dict[str, Any]:
    """The keys a report writes only when they hold: a belief, a stance, a continued
    statement."""
    out: dict[str, Any] = {}
    for flag in ("belief", "stance"):
        if row.get(flag):
            out[flag] = True
    if row.get("continues") is not None:
        out["continuation"], out["continues"] = True, row["continues"]
    return out


def read_attributions(article: Mapping[str, Any], tables: Mapping[str, list], text: str) -> Any:
    keys = ("speaker", "speaker_kind", "direct", "medium", "time", "role")
    return [
        {
            **_extent(a),
            **{name: span_from(a, name, text) for name in ("source", "cue", "content")},
            **{k: a.get(k) for k in keys},
            **_marks(a),
        }
        for a in tables["attributions"]
    ]


def write_claims(claims: Any, report: Mapping[str, Any]) -> Rows:
    items = _items(claims)
    rows = [
        {
            **_spanned(i, c),
            "role": text_of(c.get("role")),
            "status": text_of(c.get("status")),
            "attribution_idx": as_int(c.get("attribution")),
            **span_columns("hedge", c.get("hedge")),
            "loaded_terms": texts(c.get("loaded_terms")),
            "checkworthy": as_bool(c.get("checkworthy")),
        }
        for i, c in enumerate(items)
    ]
    unsourced = sum(1 for c in items if str(c.get("status") or "").startswith("unsourced"))
    return {
        "articles": {"n_claims": len(items), "n_unsourced_claims": unsourced},
        "claims": rows,
    }


def read_claims(article: Mapping[str, Any], tables: Mapping[str, list], text: str) -> Any:
    return [
        {
            **_extent(c),
            "role": c.get("role"),
            "status": c.get("status"),
            "attribution": c.get("attribution_idx"),
            "hedge": span_from(c, "hedge", text),
            "loaded_terms": [],
            "checkworthy": c.get("checkworthy"),
        }
        for c in tables["claims"]
        if _has_offsets(c)
    ]


def write_entities(entities: Any, report: Mapping[str, Any]) -> Rows:
    items = _items(entities)
    rows = []
    for i, e in enumerate(items):
        mentions = e.get("mentions")
        rows.append(
            {
                "idx": i,
                "name": text_of(e.get("name")),
                "label": text_of(e.get("label")),
                "variants": texts(e.get("variants")),
                "inconsistent_spelling": as_bool(e.get("inconsistent_spelling")),
                "n_mentions": len(mentions) if isinstance(mentions, list) else as_int(mentions),
            }
        )
    return {"articles": {"n_entities": len(items)}, "entities": rows}


def read_entities(article: Mapping[str, Any], tables: Mapping[str, list], text: str) -> Any:
    return [
        {
            "name": e.get("name"),
            "label": e.get("label"),
            "variants": list(e.get("variants") or []),
            "inconsistent_spelling": e.get("inconsistent_spelling"),
        }
        for e in tables["entities"]
    ]


def write_outlets(outlets: Any, report: Mapping[str, Any]) -> Rows:
    items = _items(outlets)
    rows, ratings = [], []
    for i, o in enumerate(items):
        listed = _items(o.get("ratings"))
        rows.append(
            {
                "idx": i,
                **{k: text_of(o.get(k)) for k in ("name", "domain")},
                "roles": texts(o.get("roles")),
                "band": text_of(o.get("band")),
                "n_ratings": len(listed),
            }
        )
        for r in listed:
            value = r.get("value")
            ratings.append(
                {
                    "outlet_idx": i,
                    "outlet_domain": text_of(o.get("domain")),
                    "source": text_of(r.get("source")),
                    "value": as_float(value),
                    "value_text": text_of(value),
                    **{k: text_of(r.get(k)) for k in ("scale", "label", "date")},
                    "imputed": as_bool(r.get("imputed")),
                }
            )
    return {"articles": {"n_outlets": len(items)}, "outlets": rows, "ratings": ratings}


def read_outlets(article: Mapping[str, Any], tables: Mapping[str, list], text: str) -> Any:
    by_outlet: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in tables["ratings"]:
        by_outlet[r["outlet_idx"]].append(
            {
                "source": r.get("source"),
                # A rating that is not a number comes back as the text it was.
                "value": r["value_text"] if r.get("value") is None else r["value"],
                **{k: r.get(k) for k in ("scale", "label", "date", "imputed")},
            }
        )
    return [
        {
            "name": o.get("name"),
            "domain": o.get("domain"),
            "roles": list(o.get("roles") or []),
            "band": o.get("band"),
            "ratings": by_outlet.get(o["idx"], []),
        }
        for o in tables["outlets"]
    ]


def write_errors(errors: Any, report: Mapping[str, Any]) -> Rows:
    return {"articles": {"errors": texts(errors)}}


def read_errors(article: Mapping[str, Any], tables: Mapping[str, list], text: str) -> Any:
    return list(article.get("errors") or [])


# --- the generic writer and reader: what the declared columns say ------------------------

_CASTS: dict[str, Callable[[Any], Any]] = {
    "str": text_of,
    "int": as_int,
    "float": as_float,
    "bool": as_bool,
    "list[str]": texts,
}


def _span_part(name: str, names: set[str]) -> tuple[str, str] | None:
    """``("source", "start")`` for a ``source_start`` column beside a ``source`` one."""
    base, _, end = name.rpartition("_")
    return (base, end) if end in ("start", "end") and base in names else None


def _is_span(name: str, names: set[str]) -> bool:
    return f"{name}_start" in names and f"{name}_end" in names


def _row(columns: Columns, item: Mapping[str, Any], idx: int | None = None) -> dict[str, Any]:
    """One row of ``columns`` from an item: ``idx`` its position, a ``x``/``x_start``/
    ``x_end`` triple the span ``item[x]`` (its words and offsets), any other column the
    item's key of that name, cast to the column's type."""
    names = {name for name, _ in columns}
    row = {}
    for name, kind in columns:
        part = _span_part(name, names)
        if name == "idx":
            value: Any = idx
        elif part is not None:
            value = offset(item.get(part[0]), part[1])
        else:
            value = item.get(name)
        row[name] = _CASTS[kind](value)
    return row


def _item(columns: Columns, row: Mapping[str, Any], text: str) -> dict[str, Any]:
    """The inverse of :func:`_row`: spans from their stored offsets, never searched for."""
    names = {name for name, _ in columns}
    item: dict[str, Any] = {}
    for name, kind in columns:
        if name == "idx" or _span_part(name, names) is not None:
            continue  # a position, or part of a span read with its base column
        if _is_span(name, names):
            item[name] = span_from(row, name, text)
        else:
            value = row.get(name)
            item[name] = list(value or []) if kind == "list[str]" else value
    return item


def _only_table(section: Section) -> Table:
    if len(section.tables) != 1:
        raise ValueError(
            f"section {section.key!r}: the generic rows keep a list in one table; "
            "declare a writer and a reader for several"
        )
    return section.tables[0]


def _fields(section: Section) -> dict[str, str]:
    """An object section's ``articles`` columns (``<key>_<field>``) → its fields."""
    prefix = f"{section.key}_"
    return {name: name.removeprefix(prefix) for name, _ in section.columns}


def write_columns(value: Any, report: Mapping[str, Any], *, section: Section) -> Rows:
    """The rows a section's declared columns say: a list section (one with a table) one
    row per item, and ``n_<key>`` the count; an object section its fields in
    ``<key>_<field>`` columns of ``articles``."""
    if section.tables:
        table, items = _only_table(section), _items(value)
        counts = {f"n_{section.key}": len(items)}
        return {
            "articles": _row(section.columns, counts),
            table.name: [_row(table.columns, item, i) for i, item in enumerate(items)],
        }
    fields = _fields(section)
    value = as_dict(value)
    return {"articles": _row(section.columns, {c: value.get(f) for c, f in fields.items()})}


def read_columns(
    article: Mapping[str, Any], tables: Mapping[str, list], text: str, *, section: Section
) -> Any:
    """The section's value from the rows :func:`write_columns` wrote (item keys with no
    column are not kept: the declaration's ``corpus_lost`` names them)."""
    if section.tables:
        table = _only_table(section)
        return [_item(table.columns, row, text) for row in tables[table.name]]
    fields = _fields(section)
    return {fields[name]: value for name, value in _item(section.columns, article, text).items()}
