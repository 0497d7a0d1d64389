"""`newstrace analyze ARTICLE --trace-index OUT`: the single-article report gains its copies
in a traced corpus (JSON `copies`, terminal and HTML "Copies and origin"), end to end on
real PolNeAR articles; a bad index folder is one typed error before any analysis."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newstrace import errors
from newstrace.render.html import render_html
from newstrace.render.text import render_text

pytest.importorskip("pyarrow")
pytestmark = pytest.mark.data


REPOST_NOTE = (
    "Editor's note: this story first appeared on another site; republished with permission."
)


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "newstrace", *args], capture_output=True, timeout=300
    )


def _paragraphs(path: Path) -> list[str]:
    return [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> dict[str, Any]:
    """Four real articles traced: an original, a re-post that adds an editor's note, an
    unrelated article quoting one paragraph of the original, and an unrelated one; then
    the original analysed against the trace."""
    root = tmp_path_factory.mktemp("trace-report")
    texts = sorted((shared_data / "polnear" / "dev" / "text").glob("*.txt"))
    texts = [t for t in texts if len(_paragraphs(t)) >= 8][:3]
    original, host, other = (_paragraphs(t) for t in texts)
    quoted = max(original[2:-1], key=len)
    corpus = root / "corpus"
    corpus.mkdir()
    pieces = {
        "orig": original,
        "repost": [original[0], REPOST_NOTE, *original[1:]],
        "host": [*host[:4], quoted, *host[4:]],
        "other": other,
    }
    for name, paras in pieces.items():
        (corpus / f"{name}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    out = root / "out"
    proc = run_cli("trace", "run", str(corpus), "-o", str(out), "--no-progress")
    assert proc.returncode == 0, proc.stderr.decode()
    report_path, html_path = root / "report.json", root / "report.html"
    proc = run_cli(
        "analyze",
        str(corpus / "orig.txt"),
        "--trace-index",
        str(out),
        "--format",
        "json",
        "-o",
        str(report_path),
        "--html",
        str(html_path),
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return {
        "report": json.loads(report_path.read_text(encoding="utf-8")),
        "html": html_path.read_text(encoding="utf-8"),
        "out": out,
        "corpus": corpus,
        "quoted": quoted,
    }


def test_json_report_lists_copies_partial_reuse_and_origin(traced: dict[str, Any]) -> None:
    report = traced["report"]
    copies = report["copies"]
    assert copies["indexed_articles"] == 4
    # The article itself is in the index and is not its own copy.
    assert [m["id"] for m in copies["copies"]] == ["repost"]
    assert [m["id"] for m in copies["partial"]] == ["host"]
    repost = copies["copies"][0]
    assert repost["kind"] in ("duplicate", "near_duplicate")
    assert repost["shared_fraction_query"] == 1.0 and repost["shared_fraction_match"] < 1.0
    assert repost["only_in_match"] == [REPOST_NOTE.rstrip(".")]
    # The re-post adds an editor's note: the original is its source.
    assert repost["source"] == "query" and repost["evidence"] == "containment"
    # Plain-text files carry no dates, so the quoting article's direction rests on
    # containment alone; whatever it decides, the origin must agree with the matches.
    sources = [m["id"] for m in (*copies["copies"], *copies["partial"]) if m["source"] == "match"]
    origin = copies["origin"]
    assert origin["id"] in sources if sources else origin["this_article"] is True
    text = report["text"]
    for match in (*copies["copies"], *copies["partial"]):
        for passage in match["passages"]:
            span = passage["query"]
            assert text[span["start"] : span["end"]] == span["text"]
    host = copies["partial"][0]
    # The shared passage is the quoted paragraph: its words (the reader normalises spaces;
    # the final stop is no word).
    shared = [" ".join(p["match"]["text"].split()) for p in host["passages"]]
    assert shared == [" ".join(traced["quoted"].rstrip(".").split())]


def test_terminal_and_html_reports_show_the_section(traced: dict[str, Any]) -> None:
    report = traced["report"]
    terminal = render_text(report, width=160)
    assert "Copies and origin" in terminal
    assert "likely origin: " in terminal and "copied this article (containment)" in terminal
    assert "repost" in terminal and "host" in terminal
    page = traced["html"]
    assert '<section id="copies"><h2>Copies and origin</h2>' in page
    assert '<a href="#copies">Copies</a>' in page
    # Every piece of text is escaped: a rewrite carrying markup shows as text.
    hostile = json.loads(json.dumps(report))
    hostile["copies"]["copies"][0]["rewrites"] = [
        {"kind": "wording", "from": '<img src=x onerror="alert(1)">', "to": "</td>&"}
    ]
    hostile["copies"]["copies"][0]["id"] = "<b>id</b>"
    rendered = render_html(hostile)
    assert "<img" not in rendered and "<b>id</b>" not in rendered
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in rendered


def test_without_the_option_there_is_no_copies_section(traced: dict[str, Any]) -> None:
    report = dict(traced["report"])
    del report["copies"]
    assert "Copies and origin" not in render_text(report)
    assert 'id="copies"' not in render_html(report)


@pytest.mark.parametrize("damage", ["missing", "bad_meta", "lost_signatures"])
def test_bad_index_folder_is_one_typed_error(
    traced: dict[str, Any], tmp_path: Path, damage: str
) -> None:
    import shutil

    index = tmp_path / "out"
    expected: type[errors.NewstraceError] = errors.MalformedData
    if damage == "missing":
        index.mkdir()
        expected = errors.InputNotFound
    else:
        shutil.copytree(traced["out"] / "index", index / "index")
        if damage == "bad_meta":
            (index / "index" / "meta.json").write_text("[1, 2", encoding="utf-8")
        else:
            (index / "index" / "doc_sigs.npy").unlink()
    proc = run_cli("analyze", str(traced["corpus"] / "orig.txt"), "--trace-index", str(index))
    stderr = proc.stderr.decode("utf-8")
    assert proc.returncode == expected.exit_code, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("newstrace: error: "), stderr
    assert "Traceback" not in stderr
