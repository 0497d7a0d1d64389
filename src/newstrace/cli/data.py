"""``newstrace data fetch ratings``: download the public rating lists into the data folder.

The files come from the pinned commits of their public repositories (docs/ratings.md);
``--base-url`` (or NEWSTRACE_FETCH_BASE_URL) points at a mirror laid out the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Third-party data sets: download them once, read them offline.")
fetch_app = typer.Typer(help="Download a data set into your data folder.")
app.add_typer(fetch_app, name="fetch")


@fetch_app.command("ratings")
def fetch_ratings_command(
    dest: Annotated[
        Path | None,
        typer.Option(
            "--dest",
            help="Data folder (default: NEWSTRACE_DATA / settings, else ~/.local/share/newstrace).",
        ),
    ] = None,
    base: Annotated[
        str | None,
        typer.Option("--base-url", help="Mirror of raw.githubusercontent.com (testing, proxies)."),
    ] = None,
    lists: Annotated[
        list[str] | None, typer.Option("--list", help="Only this list (repeatable).")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 60.0,
) -> None:
    """Download the outlet rating lists (idiap, CRED-1, Iffy+, Lasser, Lin 2023, OpenSources)."""
    from newstrace.config import default_data_dir, load_settings
    from newstrace.datasets.fetch import fetch_ratings

    settings = load_settings()
    target = dest or settings.data_dir or default_data_dir()
    manifests = fetch_ratings(target, lists=lists, base=base, timeout=timeout)
    for manifest in manifests:
        size = sum(f["bytes"] for f in manifest["files"])
        typer.echo(
            f"{manifest['list']:<12} {manifest['ratings']:>7} ratings  {size / 1e6:6.2f} MB  "
            f"{manifest['licence']}"
        )
    typer.echo(f"written to {target / 'source-ratings'} (manifest.json in each folder)")
    if settings.data_dir is None or settings.data_dir.resolve() != target.resolve():
        typer.echo(f"to use them: export NEWSTRACE_DATA={target}")
