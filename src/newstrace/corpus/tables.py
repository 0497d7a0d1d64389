"""The corpus output tables: Arrow schemas and report dict → rows.

Each report (docs/report-schema.md) is flattened into one ``articles`` row plus rows in
the child tables, all keyed by ``article_id``. Which columns and tables there are, and
how each section's value becomes rows, is declared per section in
:mod:`newstrace.sections` (writers in :mod:`newstrace.corpus.rows`, the generic one for a
section that declares its columns but no writer); this module only assembles them.
Column types are fixed, not inferred, so every task's files share one schema even when a
shard has no rows of a kind (an empty list infers nothing).
docs/corpus-schema.md describes every column.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from newstrace.corpus.record import Doc, Reject
from newstrace.sections import SECTIONS, Columns

ARROW_TYPES: dict[str, pa.DataType] = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "list[str]": pa.list_(pa.string()),
}

#: The ``articles`` columns that come from the run, not from a report section.
DOCUMENT_COLUMNS: Columns = (("id", "str"), ("location", "str"), ("format", "str"))
RUN_COLUMNS: Columns = (("seconds", "float"), ("task", "int"))
REJECT_COLUMNS: Columns = (
    ("id", "str"),
    ("location", "str"),
    ("reason", "str"),
    ("message", "str"),
    ("stage", "str"),
    ("task", "int"),
)


def _schema(columns: Columns) -> pa.Schema:
    return pa.schema([(name, ARROW_TYPES[kind]) for name, kind in columns])


def _schemas() -> dict[str, pa.Schema]:
    article_columns = [*DOCUMENT_COLUMNS]
    for section in SECTIONS:
        article_columns.extend(section.columns)
    schemas = {"articles": _schema((*article_columns, *RUN_COLUMNS))}
    for section in SECTIONS:
        for table in section.tables:
            schemas[table.name] = _schema((("article_id", "str"), *table.columns))
    schemas["rejects"] = _schema(REJECT_COLUMNS)
    return schemas


SCHEMAS: dict[str, pa.Schema] = _schemas()
TABLES: tuple[str, ...] = tuple(SCHEMAS)


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
            doc.reject = Reject("internal", "no report was produced", "write")
        return {"rejects": [reject_row(doc, task)]}
    report = doc.report
    aid = doc.record.id
    article: dict[str, Any] = {
        "id": aid,
        "location": doc.record.location,
        "format": report.get("format"),
    }
    rows: dict[str, list[dict[str, Any]]] = {}
    for section in SECTIONS:
        write = section.writer()
        if write is None:
            continue
        written = write(report.get(section.key), report)
        article.update(written.pop("articles", {}))
        for table, items in written.items():
            rows[table] = [{"article_id": aid, **item} for item in items]
    article.update(seconds=doc.seconds, task=task)
    return {"articles": [article], **rows}
