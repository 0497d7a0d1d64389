"""`newstrace data fetch ratings`: download the public rating lists, atomically.

Each list's files come from the pinned commit of its public GitHub repository (raw URLs;
the base is overridable for mirrors and tests). Everything is downloaded into a temporary
folder beside the destination, checked (sizes, sha256, and the list's own loader must read
it), and only then renamed into place, all lists together at the end. A failed download
raises :class:`FetchError` and leaves the data folder exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from newstrace.datasets.catalog import BY_KEY, LISTS, RATINGS_DIR, RatingList
from newstrace.datasets.ratings import LOADERS
from newstrace.errors import FetchError, NewstraceError

DEFAULT_BASE_URL = "https://raw.githubusercontent.com"
BASE_URL_ENV = "NEWSTRACE_FETCH_BASE_URL"
MANIFEST = "manifest.json"
MAX_FILE_BYTES = 64 * 1024 * 1024  # the largest list file is ~4 MB; refuse runaway bodies
_CHUNK = 1 << 16


def base_url(override: str | None = None) -> str:
    return (override or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def file_url(base: str, rating_list: RatingList, repo_path: str) -> str:
    return f"{base}/{rating_list.repo}/{rating_list.commit}/{quote(repo_path)}"


def _download(url: str, target: Path, timeout: float) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": "newstrace-data-fetch"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, target.open("wb") as out:
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise FetchError(f"download of {url} exceeds {MAX_FILE_BYTES} bytes", url=url)
                digest.update(chunk)
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise FetchError(
            f"download of {url} failed: HTTP {exc.code} {exc.reason}", url=url
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"download of {url} failed: {reason}", url=url) from exc
    if size == 0:
        raise FetchError(f"download of {url} returned an empty file", url=url)
    return {"bytes": size, "sha256": digest.hexdigest()}


def _verify(rating_list: RatingList, folder: Path) -> int:
    """The list's own loader must read the download and find ratings in it."""
    try:
        count = sum(1 for _ in LOADERS[rating_list.key](folder))
    except NewstraceError as exc:
        raise FetchError(
            f"{rating_list.key}: downloaded files are not in the expected format: {exc.message}"
        ) from exc
    if count == 0:
        raise FetchError(f"{rating_list.key}: downloaded files hold no ratings")
    return count


def _fetch_one(rating_list: RatingList, staging: Path, base: str, timeout: float) -> dict:
    folder = staging / rating_list.folder
    files = []
    for repo_path, local in rating_list.files:
        url = file_url(base, rating_list, repo_path)
        info = _download(url, folder / local, timeout)
        files.append({"path": local, "url": url, **info})
    ratings = _verify(rating_list, folder)
    manifest = {
        "list": rating_list.key,
        "title": rating_list.title,
        "licence": rating_list.licence,
        "repository": f"https://github.com/{rating_list.repo}",
        "commit": rating_list.commit,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "ratings": ratings,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def fetch_ratings(
    dest: Path,
    *,
    lists: Sequence[str] | None = None,
    base: str | None = None,
    timeout: float = 60.0,
) -> list[dict[str, Any]]:
    """Download ``lists`` (default: all) into ``dest/source-ratings/<folder>/``.

    Returns the manifests written. On any failure raises :class:`FetchError`; nothing in
    ``dest`` is changed.
    """
    keys = list(lists) if lists else [rl.key for rl in LISTS]
    unknown = [k for k in keys if k not in BY_KEY]
    if unknown:
        raise FetchError(
            f"unknown rating list(s): {', '.join(unknown)} "
            f"(known: {', '.join(rl.key for rl in LISTS)})"
        )
    root = dest / RATINGS_DIR
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(f"cannot create {root}: {exc}") from exc
    url_base = base_url(base)
    # Staging lives inside the destination so the final renames stay on one filesystem.
    staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=root))
    try:
        manifests = [_fetch_one(BY_KEY[k], staging, url_base, timeout) for k in keys]
        for key in keys:
            _swap_in(staging / BY_KEY[key].folder, root / BY_KEY[key].folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifests


def _swap_in(new: Path, final: Path) -> None:
    """Replace ``final`` by ``new``: the old folder is moved aside, then removed."""
    old = final.with_name(f".old-{final.name}")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)
