"""DuckDB over the corpus tables: a database file of views, and ad-hoc SQL.

The views read the Parquet parts with a glob, so the database holds no copy of the data
and stays valid as a resumed run adds parts. ``OUT/newstrace.duckdb`` names the folder by
its absolute path (open it from anywhere on this machine); :func:`connect` builds the same
views in memory relative to wherever the folder is now (copied, or mounted elsewhere).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newstrace.corpus.tables import TABLES
from newstrace.errors import InputNotFound, InvalidQuery, ResourceMissing

DATABASE = "newstrace.duckdb"


def _duckdb() -> Any:
    try:
        import duckdb
    except ModuleNotFoundError as exc:
        raise ResourceMissing(
            "corpus queries need duckdb: pip install 'newstrace[corpus]'"
        ) from exc
    return duckdb


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _create_views(con: Any, output: Path) -> list[str]:
    made = []
    for table in TABLES:
        folder = output / table
        if not any(folder.glob("part-*.parquet")):
            continue
        pattern = _sql_str(str(folder / "part-*.parquet"))
        con.execute(
            f'CREATE OR REPLACE VIEW "{table}" AS '
            f"SELECT * FROM read_parquet({pattern}, union_by_name = true)"
        )
        made.append(table)
    return made


def write_database(output: str | Path) -> Path | None:
    """(Re)write ``OUT/newstrace.duckdb`` with one view per table; None if no tables yet."""
    output = Path(output).resolve()
    if not any((output / t).is_dir() for t in TABLES):
        return None
    duckdb = _duckdb()
    path = output / DATABASE
    tmp = path.with_name(f".{DATABASE}.tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        _create_views(con, output)
    finally:
        con.close()
    tmp.replace(path)
    return path


def connect(output: str | Path) -> Any:
    """An in-memory DuckDB connection with a view per table of ``output``."""
    output = Path(output).resolve()
    if not output.is_dir():
        raise InputNotFound(f"corpus output {output} does not exist", path=str(output))
    con = _duckdb().connect()
    if not _create_views(con, output):
        raise InputNotFound(f"{output} holds no corpus tables (run `newstrace corpus run`)")
    return con


def query(output: str | Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run ``sql`` over the tables of ``output``; return (column names, rows)."""
    duckdb = _duckdb()
    con = connect(output)
    try:
        try:
            result = con.execute(sql)
        except duckdb.Error as exc:
            raise InvalidQuery(f"query failed: {exc}") from exc
        columns = [d[0] for d in result.description or []]
        return columns, result.fetchall()
    finally:
        con.close()
