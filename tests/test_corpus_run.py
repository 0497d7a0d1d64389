"""Corpus runs: the task loop, rejects with reasons, kill-and-resume, tables and DuckDB.

Executor mechanics use the ``structure`` analyzer (reading + blocks, no spaCy) or a tiny
sleeping one so the tests stay fast; one test runs the real default Analyzer."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newstrace.analyze.analyzer import Analyzer, BaseAnnotator
from newstrace.config import Settings
from newstrace.corpus.executor.base import marker_path, run_task
from newstrace.corpus.executor.local import LocalExecutor
from newstrace.corpus.pipeline import build_pipeline
from newstrace.corpus.query import DATABASE, query, write_database
from newstrace.corpus.record import Doc, InputRecord
from newstrace.corpus.steps import Analyze
from newstrace.corpus.tables import TABLES
from newstrace.errors import ConfigError

pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("duckdb")

TESTS = Path(__file__).resolve().parent


class Sleep(BaseAnnotator):
    """Stands in for a slow annotator (a parse) without loading any model."""

    name = "sleep"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __call__(self, article):
        time.sleep(self.seconds)
        return article


class Boom(BaseAnnotator):
    name = "boom"

    def __call__(self, article):
        raise ValueError("annotator bug")


def slow_analyzer(settings: Settings) -> Analyzer:
    """Loaded by worker processes by name (--analyzer test_corpus_run:slow_analyzer)."""
    return Analyzer([Sleep(0.04)], settings)


def small_csv(shared: Path, path: Path, n: int) -> list[str]:
    """The first ``n`` FakeNewsCorpus rows as their own CSV; returns their ids."""
    csv.field_size_limit(sys.maxsize)
    src = shared / "fakenewscorpus-sample" / "news_sample.csv"
    with src.open(newline="") as handle, path.open("w", newline="") as out:
        reader = csv.DictReader(handle)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
        writer.writeheader()
        rows = [row for _, row in zip(range(n), reader, strict=False)]
        writer.writerows(rows)
    return [r["id"] for r in rows]


def table_ids(out: Path, table: str, column: str = "id") -> list[str]:
    ids: list[str] = []
    for part in sorted((out / table).glob("part-*.parquet")):
        ids.extend(pq.read_table(part, columns=[column]).column(column).to_pylist())
    return ids


def run_inline(pipeline, out: Path, tasks: int) -> None:
    for rank in range(tasks):
        run_task(pipeline, out, rank, tasks)
    write_database(out)


@pytest.mark.data
def test_local_executor_two_workers_every_article_once(tmp_path, shared_data):
    ids = small_csv(shared_data, tmp_path / "in.csv", 24)
    out = tmp_path / "out"
    pipeline = build_pipeline([tmp_path / "in.csv"], out, analyzer="structure")
    summary = LocalExecutor(pipeline, out, tasks=4, workers=2, progress=False).run()
    assert (summary.done, summary.documents, summary.analysed) == (4, 24, 24)
    assert not summary.failed and not summary.rejected
    assert sorted(table_ids(out, "articles")) == sorted(ids)
    for table in TABLES:  # one file per task per table, even when empty
        assert len(list((out / table).glob("part-*-of-00004.parquet"))) == 4
    # Two worker processes shared the four tasks.
    pids = {json.loads(p.read_text())["pid"] for p in (out / "_stats").glob("*.json")}
    assert 1 <= len(pids) <= 2 and os.getpid() not in pids
    # A second run finds every marker and does nothing.
    again = LocalExecutor(pipeline, out, tasks=4, workers=2, progress=False).run()
    assert again.skipped == 4 and again.new_documents == 0
    with pytest.raises(ConfigError):
        LocalExecutor(pipeline, out, tasks=5, workers=1, progress=False).prepare()


def test_resume_refuses_other_inputs(tmp_path):
    # The CLI records what the finished shards depend on; a rerun into the same folder
    # with other inputs would mix two corpora, so it is refused with the differing keys.
    from test_cli import assert_one_line_error, run_cli

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.txt").write_text(
            f"Headline {name}\n\nThe mayor said on Monday that plan {name} passed.\n")
    out = tmp_path / "out"
    args = ["corpus", "run", "-o", str(out), "--analyzer", "structure", "--no-progress"]
    assert run_cli(*args[:2], str(tmp_path / "a"), *args[2:]).returncode == 0
    assert run_cli(*args[:2], str(tmp_path / "a"), *args[2:]).returncode == 0  # resumes
    line = assert_one_line_error(run_cli(*args[:2], str(tmp_path / "b"), *args[2:]),
                                 ConfigError)
    assert "other inputs or parameters" in line and "inputs" in line


@pytest.mark.data
def test_tables_hold_meta_blocks_and_the_csv_title_as_headline(tmp_path, shared_data):
    small_csv(shared_data, tmp_path / "in.csv", 10)
    out = tmp_path / "out"
    run_inline(build_pipeline([tmp_path / "in.csv"], out, analyzer="structure"), out, 2)
    _, rows = query(
        out,
        "SELECT a.id, a.title, a.headline, a.domain, a.url, a.authors, "
        "a.n_blocks, (SELECT count(*) FROM blocks b WHERE b.article_id = a.id), "
        "a.text FROM articles a ORDER BY a.id",
    )
    assert len(rows) == 10
    with (tmp_path / "in.csv").open(newline="") as handle:
        source = {r["id"]: r for r in csv.DictReader(handle)}
    headlines = from_csv = 0
    for ident, title, headline, domain, url, authors, n_blocks, n_rows, text in rows:
        row = source[ident]
        assert title == row["title"].strip() or title == " ".join(row["title"].split())
        # The container's title is put on top of the text body; structure decides
        # whether it reads as a headline (an all-lowercase line may not).
        assert text.startswith(" ".join(row["title"].split()))
        assert headline in (None, " ".join(row["title"].split()))
        headlines += headline is not None
        assert (domain, url) == (row["domain"], row["url"])
        listed = [a.strip() for a in row["authors"].split(",") if a.strip()]
        # The page's own byline wins; the CSV's authors fill in where it has none.
        assert authors if listed else True
        from_csv += bool(listed) and authors == listed
        assert n_blocks == n_rows >= 1
    assert headlines >= 1 and from_csv >= 3
    # The database file names the same views and opens on its own.
    import duckdb

    con = duckdb.connect(str(out / DATABASE), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (10,)
    con.close()


def test_rejects_carry_id_location_and_reason(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "good.md").write_text("# A headline\n\nA body paragraph that says something.\n")
    (folder / "empty.txt").write_text("  \n")
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (folder / "huge.txt").write_text("word " * 1000)
    lines = tmp_path / "more.jsonl"
    lines.write_text(
        json.dumps({"id": "j1", "text": "Title\n\nSome body text here."})
        + "\n"
        + "{broken\n"
        + json.dumps({"id": "j3", "title": "no content"})
        + "\n"
    )
    out = tmp_path / "out"
    settings = Settings(max_bytes=3000)
    run_inline(
        build_pipeline([folder, lines], out, analyzer="structure", settings=settings), out, 2
    )
    assert sorted(table_ids(out, "articles")) == ["good", "j1"]
    _, rows = query(out, "SELECT id, location, reason, stage FROM rejects ORDER BY id")
    found = {r[0]: r for r in rows}
    assert {k: v[2] for k, v in found.items()} == {
        "empty": "empty",
        "image": found["image"][2],
        "huge": "too_large",
        "more:1": "malformed_data",
        "j3": "malformed_data",
    }
    assert found["image"][2] in ("binary", "unsupported_format")  # PNG bytes, not a page
    assert found["image"][1] == str(folder / "image.html")
    assert found["more:1"][1].endswith("more.jsonl#line=1")
    assert found["empty"][3] == "load" and found["more:1"][3] == "read"


def test_timeouts_and_annotator_bugs_become_rejects():
    def docs():
        return [Doc(InputRecord(f"d{i}", f"mem#{i}", "")) for i in range(2)]

    import newstrace

    def with_article(batch):
        for doc in batch:
            doc.article = newstrace.load("# Head\n\nBody text of the article.", format="markdown")
            yield doc

    from newstrace.corpus import steps

    steps._ANALYZERS[("slow-test", Settings(time_budget_s=0.1))] = Analyzer(
        [Sleep(0.3)], Settings(time_budget_s=0.1)
    )
    step = Analyze("slow-test", Settings(time_budget_s=0.1))
    out = list(step.run(with_article(docs()), 0, 1))
    assert [d.reject.reason for d in out] == ["timeout", "timeout"]
    assert all(d.seconds < 0.35 for d in out)

    steps._ANALYZERS[("boom-test", Settings())] = Analyzer([Boom()], Settings())
    out = list(Analyze("boom-test", Settings()).run(with_article(docs()), 0, 1))
    assert [d.reject.reason for d in out] == ["internal", "internal"]
    assert "ValueError: annotator bug" in out[0].reject.message


@pytest.mark.data
def test_unfinished_attempt_is_discarded(tmp_path, shared_data):
    ids = small_csv(shared_data, tmp_path / "in.csv", 8)
    out = tmp_path / "out"
    pipeline = build_pipeline([tmp_path / "in.csv"], out, analyzer="structure")
    # What a run killed between renaming its files and writing its marker leaves behind:
    # a complete-looking part with rows of its own, and a half-written temp folder.
    run_task(pipeline, out, 0, 2)
    marker_path(out, 0).unlink()
    ghost = pq.read_table(out / "articles" / "part-00000-of-00002.parquet")
    ghost = ghost.set_column(0, "id", [["ghost"] * ghost.num_rows])
    pq.write_table(ghost, out / "articles" / "part-00000-of-00002.parquet")
    (out / "_tmp" / "task-00000-deadbeef").mkdir(parents=True)
    (out / "_tmp" / "task-00000-deadbeef" / "articles.parquet").write_bytes(b"PAR1 partial")
    run_inline(pipeline, out, 2)
    assert sorted(table_ids(out, "articles")) == sorted(ids)
    assert not (out / "_tmp" / "task-00000-deadbeef").exists()


@pytest.mark.data
@pytest.mark.slow
def test_killed_run_resumes_with_every_article_exactly_once(tmp_path, shared_data):
    ids = small_csv(shared_data, tmp_path / "in.csv", 60)
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "newstrace",
        "corpus",
        "run",
        str(tmp_path / "in.csv"),
        "-o",
        str(out),
        "--workers",
        "1",
        "--tasks",
        "12",
        "--no-progress",
        "--analyzer",
        "test_corpus_run:slow_analyzer",
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), *sys.path])}
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None:
        if len(list((out / "_done").glob("task-*"))) >= 3:
            break
        time.sleep(0.02)
    assert first.poll() is None, first.stderr.read().decode()[-2000:]
    first.send_signal(signal.SIGKILL)
    first.wait()
    time.sleep(0.5)  # the worker dies with its driver; nothing may finish after this
    done_before = {p.name: p.stat().st_mtime_ns for p in (out / "_done").glob("task-*")}
    assert 3 <= len(done_before) < 12
    time.sleep(0.5)
    assert {p.name for p in (out / "_done").glob("task-*")} == set(done_before)

    second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr[-2000:]
    # Finished tasks were skipped (markers untouched), the rest were redone.
    assert all((out / "_done" / n).stat().st_mtime_ns == t for n, t in done_before.items())
    assert len(list((out / "_done").glob("task-*"))) == 12
    got = table_ids(out, "articles") + table_ids(out, "rejects")
    assert sorted(got) == sorted(ids)  # each article exactly once
    _, orphan = query(
        out, "SELECT count(*) FROM blocks WHERE article_id NOT IN (SELECT id FROM articles)"
    )
    assert orphan == [(0,)]


@pytest.mark.data
def test_cli_query_and_stats(tmp_path, shared_data):
    from typer.testing import CliRunner

    from newstrace.cli.corpus import app

    small_csv(shared_data, tmp_path / "in.csv", 6)
    out = tmp_path / "out"
    run_inline(build_pipeline([tmp_path / "in.csv"], out, analyzer="structure"), out, 1)
    runner = CliRunner()
    res = runner.invoke(
        app, ["query", str(out), "SELECT id, domain FROM articles ORDER BY id", "--format", "csv"]
    )
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert lines[0] == "id,domain" and len(lines) == 7
    res = runner.invoke(
        app, ["query", str(out), "SELECT count(*) AS n FROM articles", "--format", "json"]
    )
    assert json.loads(res.output) == [{"n": 6}]
    res = runner.invoke(app, ["stats", str(out), "--json"])
    data = json.loads(res.output)
    assert (data["tasks_done"], data["documents"], data["analysed"]) == (1, 6, 6)
    assert data["rows"]["articles"] == 6 and data["rows"]["rejects"] == 0
    from newstrace.errors import InvalidQuery
    from test_cli import assert_one_line_error, run_cli

    line = assert_one_line_error(
        run_cli("corpus", "query", str(out), "SELECT nope FROM articles"), InvalidQuery
    )
    assert "query failed" in line and "nope" in line


@pytest.mark.data
def test_default_analyzer_end_to_end(tmp_path, shared_data):
    """The real pipeline (every annotator of the registry) on a few real pages."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in sorted((shared_data / "article-extraction" / "html").glob("*.html.gz"))[:3]:
        (folder / page.name).write_bytes(page.read_bytes())
    out = tmp_path / "out"
    run_inline(build_pipeline([folder], out, analyzer="default"), out, 1)
    _, rows = query(out, "SELECT count(*), sum(n_entities), sum(n_claims) FROM articles")
    assert rows[0][0] == 3 and rows[0][1] > 0 and rows[0][2] > 0
    assert query(out, "SELECT count(*) FROM rejects")[1] == [(0,)]
