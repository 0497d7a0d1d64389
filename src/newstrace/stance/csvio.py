"""Reading and writing stance data in FNC-1's CSV formats.

Bodies: ``Body ID, articleBody``. Stances: ``Headline, Body ID[, Stance]`` (extra columns are
kept and written back unchanged). Every problem becomes :class:`MalformedData` naming the
file, the row (1-based, the header is row 1) and what is wrong, never a traceback.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from newstrace.errors import InputNotFound, MalformedData

LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
RELATED: tuple[str, ...] = ("agree", "disagree", "discuss")

# Bodies run to tens of thousands of characters; the csv module's default cap is 128 KiB.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(slots=True)
class StanceRow:
    """One headline–body pair, with the row it came from (kept for writing back)."""

    headline: str
    body_id: str
    stance: str | None
    row: dict[str, str]
    line: int


@dataclass(slots=True)
class StanceTable:
    header: list[str]
    rows: list[StanceRow]


def _read_text(path: Path) -> str:
    if not path.exists():
        raise InputNotFound(f"{path}: no such file")
    if path.is_dir():
        raise MalformedData(f"{path}: is a directory, not a CSV file")
    raw = path.read_bytes()
    try:
        # utf-8-sig: spreadsheets often prepend a BOM, which would corrupt the first header.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MalformedData(
            f"{path}: row {line}: not UTF-8 text (byte {raw[exc.start]:#04x} at offset "
            f"{exc.start})",
            file=str(path),
            row=line,
        ) from exc
    if not text.strip():
        raise MalformedData(f"{path}: file is empty", file=str(path), row=0)
    return text


def _records(path: Path, required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, dict]]]:
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise MalformedData(f"{path}: row 1: {exc}", file=str(path), row=1) from exc
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise MalformedData(
            f"{path}: row 1: missing column(s) {', '.join(missing)} "
            f"(header is {', '.join(header) or 'empty'})",
            file=str(path),
            row=1,
        )
    records: list[tuple[int, dict]] = []
    try:
        for values in reader:
            line = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue  # blank line
            if len(values) != len(header):
                raise MalformedData(
                    f"{path}: row {line}: {len(values)} field(s), header has {len(header)}",
                    file=str(path),
                    row=line,
                )
            records.append((line, dict(zip(header, values, strict=True))))
    except csv.Error as exc:
        raise MalformedData(
            f"{path}: row {reader.line_num}: {exc}", file=str(path), row=reader.line_num
        ) from exc
    if not records:
        raise MalformedData(f"{path}: no data rows after the header", file=str(path), row=1)
    return header, records


def read_bodies(path: Path) -> dict[str, str]:
    """``Body ID`` → article body text."""
    _header, records = _records(path, ("Body ID", "articleBody"))
    bodies: dict[str, str] = {}
    for line, rec in records:
        body_id = rec["Body ID"].strip()
        if not body_id:
            raise MalformedData(f"{path}: row {line}: empty Body ID", file=str(path), row=line)
        if body_id in bodies:
            raise MalformedData(
                f"{path}: row {line}: duplicate Body ID {body_id}", file=str(path), row=line
            )
        bodies[body_id] = rec["articleBody"]
    return bodies


def read_stances(
    path: Path, bodies: dict[str, str] | None = None, *, require_stance: bool = False
) -> StanceTable:
    """Read headline–body pairs; check Body IDs against ``bodies`` and labels if present."""
    required = ("Headline", "Body ID", "Stance") if require_stance else ("Headline", "Body ID")
    header, records = _records(path, required)
    rows: list[StanceRow] = []
    for line, rec in records:
        body_id = rec["Body ID"].strip()
        if bodies is not None and body_id not in bodies:
            raise MalformedData(
                f"{path}: row {line}: unknown Body ID {body_id!r} (not in the bodies file)",
                file=str(path),
                row=line,
            )
        stance: str | None = None
        if "Stance" in rec:
            stance = rec["Stance"].strip().lower() or None
            if require_stance and stance is None:
                raise MalformedData(f"{path}: row {line}: empty Stance", file=str(path), row=line)
            if stance is not None and stance not in LABELS:
                raise MalformedData(
                    f"{path}: row {line}: unknown Stance {rec['Stance']!r} "
                    f"(expected one of {', '.join(LABELS)})",
                    file=str(path),
                    row=line,
                )
        rows.append(StanceRow(rec["Headline"], body_id, stance, rec, line))
    return StanceTable(header, rows)


def write_stances(path: Path, table: StanceTable, predictions: list[str]) -> None:
    """Write ``table`` back with ``Stance`` set to ``predictions``; other columns unchanged."""
    header = list(table.header)
    if "Stance" not in header:
        header.append("Stance")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row, label in zip(table.rows, predictions, strict=True):
        values = dict(row.row)
        values["Stance"] = label
        writer.writerow([values.get(h, "") for h in header])
    path.write_text(buffer.getvalue(), encoding="utf-8")
