"""`newstrace corpus stats`: what a run folder holds, from its stats files and tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newstrace.corpus.executor.base import STATS_DIR, collect_stats, read_run_file
from newstrace.corpus.tables import TABLES
from newstrace.errors import InputNotFound


def corpus_stats(output: str | Path) -> dict[str, Any]:
    output = Path(output)
    run = read_run_file(output)
    if run is None:
        # Tasks run on their own (run_task called by another scheduler) leave no run
        # file; their stats files still say how the corpus was split.
        sizes = {
            json.loads(p.read_text(encoding="utf-8")).get("world_size")
            for p in (output / STATS_DIR).glob("task-*.json")
        }
        if len(sizes) != 1 or None in sizes:
            raise InputNotFound(f"{output} is not a corpus run folder (no _run.json)")
        run = {"tasks": sizes.pop()}
    tasks = int(run["tasks"])
    summary = collect_stats(output, tasks)
    rows: dict[str, int] = {}
    findings: dict[str, int] = {}
    if summary.done:
        import pyarrow.parquet as pq

        from newstrace.corpus.query import query

        for table in TABLES:
            rows[table] = sum(
                pq.ParquetFile(p).metadata.num_rows
                for p in sorted((output / table).glob("part-*.parquet"))
            )
        if rows.get("findings"):
            _, found = query(
                output,
                "SELECT kind, count(*) AS n FROM findings "
                "GROUP BY kind ORDER BY n DESC, kind LIMIT 15",
            )
            findings = {str(k): int(n) for k, n in found}
    return {
        "tasks": tasks,
        "tasks_done": summary.done,
        "documents": summary.documents,
        "analysed": summary.analysed,
        "rejected": dict(summary.rejected.most_common()),
        "rows": rows,
        "findings": findings,
        "run": run,
    }
