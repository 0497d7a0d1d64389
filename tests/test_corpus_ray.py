"""The Ray executor runs the same pipeline on a local Ray cluster and gives the same tables
as the local executor."""

from __future__ import annotations

import pytest

from newstrace.corpus.executor.local import LocalExecutor
from newstrace.corpus.pipeline import build_pipeline
from newstrace.corpus.query import query
from newstrace.corpus.tables import TABLES

ray = pytest.importorskip("ray")
pytest.importorskip("pyarrow")

pytestmark = [pytest.mark.data, pytest.mark.slow]

from test_corpus_run import small_csv  # noqa: E402


def _dump(out, table: str) -> list[tuple]:
    order = "id" if table in ("articles", "rejects") else "article_id, 2"
    skip = {"seconds", "task"}  # timings and task numbers legitimately differ
    columns, rows = query(out, f"SELECT * FROM {table} ORDER BY {order}")
    keep = [i for i, c in enumerate(columns) if c not in skip]
    return [tuple(r[i] for i in keep) for r in rows]


def test_ray_local_cluster_gives_the_local_executors_tables(tmp_path, shared_data):
    from newstrace.corpus.executor.ray import RayExecutor

    ids = small_csv(shared_data, tmp_path / "in.csv", 16)
    (tmp_path / "in.jsonl").write_text('{"id": "bad"}\n')  # a reject, on both executors
    inputs = [tmp_path / "in.csv", tmp_path / "in.jsonl"]
    local_out, ray_out = tmp_path / "local", tmp_path / "ray"
    local = LocalExecutor(
        build_pipeline(inputs, local_out, analyzer="structure"),
        local_out,
        tasks=3,
        workers=1,
        progress=False,
    ).run()
    summary = RayExecutor(
        build_pipeline(inputs, ray_out, analyzer="structure"),
        ray_out,
        tasks=3,
        workers=2,
        progress=False,
    ).run()
    assert not ray.is_initialized()  # the local cluster it started is shut down again
    assert not summary.failed and summary.done == 3
    assert (summary.documents, summary.analysed) == (local.documents, local.analysed) == (17, 16)
    assert summary.rejected == local.rejected == {"malformed_data": 1}
    for table in TABLES:
        assert _dump(ray_out, table) == _dump(local_out, table), table
    assert sorted(r[0] for r in _dump(ray_out, "articles")) == sorted(ids)
