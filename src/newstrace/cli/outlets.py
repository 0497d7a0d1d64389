"""``newstrace outlets lookup NAME|DOMAIN``: what newstrace knows about one outlet.

A name is looked up in the shipped outlet table (variants and abbreviations included); a
domain or URL is used as given. Ratings come from the installed lists and the user's file.
An outlet that nothing knows is reported as such and the command exits 0: "not known" is
an answer, not an error. An empty query is a usage error (exit 2).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from newstrace.errors import EmptyQuery

app = typer.Typer(help="Outlets: names, domains and what the public ratings say.")


@app.callback()
def _group() -> None:
    """Outlets: names, domains and what the public ratings say."""
    # A callback keeps ``lookup`` a subcommand even when this app is run on its own.


def lookup(query: str, data_dir: Path | None = None, ratings_file: Path | None = None) -> dict:
    """Everything known about ``query`` (an outlet name, domain or URL)."""
    from newstrace.config import load_settings
    from newstrace.datasets.domains import host_of
    from newstrace.datasets.index import get_index
    from newstrace.resources.outlets import outlet_table

    if not query.strip():
        raise EmptyQuery("outlets lookup: give an outlet name or a domain")
    settings = load_settings(data_dir=data_dir, ratings_file=ratings_file)
    table = outlet_table()
    outlet = table.resolve(query)
    domain = outlet.domain if outlet else host_of(query) if "." in query else None
    index = get_index(settings)
    summary = index.lookup(domain) if domain else None
    known = outlet is not None or bool(summary and summary.ratings)
    return {
        "query": query,
        "known": known,
        "outlet": outlet.to_dict() if outlet else None,
        "domain": domain,
        "band": summary.band if summary else "unrated",
        "band_basis": summary.basis if summary else None,
        "rated_as": summary.matched if summary else None,
        "ratings": [r.to_dict() for r in summary.ratings] if summary else [],
        "lists_installed": list(index.lists_loaded),
        "user_file": str(index.user_file) if index.user_file else None,
        "note": index.note(),
        "index_load_seconds": round(index.load_seconds, 3),
    }


def _print(info: dict[str, Any], console: Console) -> None:
    if not info["known"] and info["domain"] is None:
        console.print(
            f"Unknown outlet: {info['query']!r} is not in the outlet table. "
            "Give its domain (example.com) to look up its ratings."
        )
        return
    head = Table(show_header=False, box=None, padding=(0, 1))
    outlet = info["outlet"] or {}
    head.add_row("name", outlet.get("name") or "(not in the outlet table)")
    if outlet.get("aliases"):
        head.add_row("also", ", ".join(outlet["aliases"]))
    head.add_row("domain", info["domain"] or "-")
    for key in ("language", "country", "kind"):
        if outlet.get(key):
            head.add_row(key, outlet[key])
    if outlet.get("source"):
        head.add_row("table source", outlet["source"])
    basis = f" ({info['band_basis']})" if info["band_basis"] else ""
    head.add_row("band", f"{info['band']}{basis}")
    console.print(head)
    if info["note"]:
        console.print(info["note"])
    if not info["ratings"]:
        if not info["note"]:
            console.print("No installed list rates this domain: unrated.")
        return
    table = Table(title=f"Ratings of {info['rated_as']}")
    # The scale of each value is in --json; the table keeps to what a reader scans.
    for column in ("source", "value", "label", "date", "imputed", "verdict"):
        table.add_column(column, overflow="fold")
    for rating in info["ratings"]:
        table.add_row(
            str(rating["source"]),
            str(rating["value"]),
            str(rating.get("label") or ""),
            str(rating.get("date") or ""),
            "yes" if rating.get("imputed") else "",
            str(rating.get("verdict") or ""),
        )
    console.print(table)


@app.command("lookup")
def lookup_command(
    query: Annotated[str, typer.Argument(help="Outlet name, abbreviation, domain or URL.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Data folder (default: NEWSTRACE_DATA).")
    ] = None,
    ratings_file: Annotated[
        Path | None, typer.Option("--ratings-file", help="Your own ratings CSV.")
    ] = None,
) -> None:
    """Show what is known about an outlet: names, domain, language, ratings, band."""
    info = lookup(query, data_dir=data_dir, ratings_file=ratings_file)
    if as_json:
        typer.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    _print(info, Console())
