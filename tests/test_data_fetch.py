"""`newstrace data fetch ratings` against a local HTTP server: success and failures."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli.data import app as data_app
from newstrace.datasets.catalog import BY_KEY
from newstrace.datasets.fetch import fetch_ratings
from newstrace.datasets.index import build_index
from newstrace.errors import FetchError

CRED1 = "domain,category,credibility_score,sources\nbad-site-newstrace.org,fake,0.1,2\n"
IFFY = "https://www.bad-site-newstrace.org/*\n"
IFFY_FILES = {"2024-08-01__iffy_list.txt": IFFY, "2023-04-01__iffy_list_incl_mixed.txt": IFFY}


def _publish(root: Path, key: str, contents: dict[str, str]) -> None:
    """Lay files out as raw.githubusercontent.com does: <repo>/<commit>/<path>."""
    rating_list = BY_KEY[key]
    for repo_path, local in rating_list.files:
        target = root / rating_list.repo / rating_list.commit / repo_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(contents.get(local, f"{local} text\n"), encoding="utf-8")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "mirror"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_fetch_success_writes_files_and_manifest(server, tmp_path: Path) -> None:
    base, mirror = server
    _publish(mirror, "cred1", {"cred1_current.csv": CRED1})
    _publish(mirror, "iffy", IFFY_FILES)
    dest = tmp_path / "data"
    manifests = fetch_ratings(dest, lists=["cred1", "iffy"], base=base)
    assert [m["list"] for m in manifests] == ["cred1", "iffy"]
    folder = dest / "source-ratings" / "cred1"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["commit"] == BY_KEY["cred1"].commit and manifest["licence"] == "CC-BY-4.0"
    entry = next(f for f in manifest["files"] if f["path"] == "cred1_current.csv")
    assert entry["url"].startswith(base + "/aloth/cred-1/")
    assert entry["sha256"] == hashlib.sha256(CRED1.encode()).hexdigest()
    assert entry["bytes"] == len(CRED1)
    # No staging leftovers; the fetched lists are read like any installed data.
    assert [p.name for p in (dest / "source-ratings").iterdir() if p.name.startswith(".")] == []
    index = build_index(dest)
    assert index.lists_loaded == ["cred1", "iffy"]
    assert index.lookup("bad-site-newstrace.org").band == "low"


def test_failed_download_leaves_nothing(server, tmp_path: Path) -> None:
    base, mirror = server
    _publish(mirror, "cred1", {"cred1_current.csv": CRED1})
    _publish(mirror, "iffy", IFFY_FILES)
    missing = mirror / BY_KEY["iffy"].repo / BY_KEY["iffy"].commit / "data/README.md"
    missing.unlink()
    dest = tmp_path / "data"
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_ratings(dest, lists=["cred1", "iffy"], base=base)
    assert _listing(dest / "source-ratings") == []  # not even cred1, which had succeeded


def test_failed_update_keeps_the_old_data(server, tmp_path: Path) -> None:
    base, mirror = server
    _publish(mirror, "cred1", {"cred1_current.csv": CRED1})
    dest = tmp_path / "data"
    fetch_ratings(dest, lists=["cred1"], base=base)
    before = {p: p.read_bytes() for p in (dest / "source-ratings").rglob("*") if p.is_file()}
    # The mirror now serves a file in the wrong shape: verification must refuse it.
    _publish(mirror, "cred1", {"cred1_current.csv": "site,score\nx.org,1\n"})
    with pytest.raises(FetchError, match="not in the expected format"):
        fetch_ratings(dest, lists=["cred1"], base=base)
    after = {p: p.read_bytes() for p in (dest / "source-ratings").rglob("*") if p.is_file()}
    assert after == before


def test_unreachable_server_and_unknown_list(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="failed"):
        fetch_ratings(tmp_path, lists=["cred1"], base="http://127.0.0.1:9", timeout=5)
    with pytest.raises(FetchError, match="unknown rating list"):
        fetch_ratings(tmp_path, lists=["nope"])
    assert _listing(tmp_path / "source-ratings") == []


def test_cli_fetch_uses_env_base_url(server, tmp_path: Path, monkeypatch) -> None:
    base, mirror = server
    _publish(mirror, "cred1", {"cred1_current.csv": CRED1})
    monkeypatch.setenv("NEWSTRACE_FETCH_BASE_URL", base)
    dest = tmp_path / "cli-data"
    result = CliRunner().invoke(
        data_app, ["fetch", "ratings", "--dest", str(dest), "--list", "cred1"]
    )
    assert result.exit_code == 0, result.output
    assert "cred1" in result.output and "CC-BY-4.0" in result.output
    assert (dest / "source-ratings" / "cred1" / "manifest.json").is_file()
