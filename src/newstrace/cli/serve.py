"""`newstrace serve`: the web service and page (needs the ``service`` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newstrace.cli.app import app
from newstrace.errors import ResourceMissing


@app.command()
def serve(
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="A corpus run's output folder to browse (read-only)."),
    ] = None,
    trace: Annotated[
        Path | None,
        typer.Option(
            "--trace",
            help="The trace's graph.json (or its folder), if not in the corpus folder.",
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; loopback unless you say otherwise.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535)] = 8000,
    analyzers: Annotated[
        int,
        typer.Option(
            "--analyzers",
            "--workers",
            min=1,
            max=16,
            help="Analysis worker processes (each loads its own models, ~210 MiB). Two by "
            "default, so one document running to its time budget never holds up the rest.",
        ),
    ] = 2,
    max_queue: Annotated[
        int | None,
        typer.Option(
            "--queue",
            min=0,
            help="Requests that may wait for a worker; more get 503 (default 16 per worker).",
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", min=0.0, help="Seconds one analysis may take (default 30)."),
    ] = None,
    max_bytes: Annotated[
        int | None, typer.Option("--max-bytes", help="Largest request accepted (default 20 MB).")
    ] = None,
    allow_private_urls: Annotated[
        bool,
        typer.Option(
            "--allow-private-urls",
            help="Let URL analyses fetch loopback, private and link-local addresses "
            "(refused by default: the server would otherwise reach its own network).",
        ),
    ] = False,
    reports: Annotated[
        Path | None,
        typer.Option(
            "--reports",
            help="Folder for saved reports (permalinks); default DATA_HOME/newstrace/service.",
        ),
    ] = None,
    reports_max_mib: Annotated[
        int, typer.Option("--reports-max-mib", min=1, help="Size cap of saved reports.")
    ] = 256,
    reports_max_days: Annotated[
        float, typer.Option("--reports-max-days", min=0.01, help="Age cap of saved reports.")
    ] = 30.0,
    log_level: Annotated[str, typer.Option("--log-level")] = "info",
) -> None:
    """Serve the API (/api, OpenAPI at /docs) and the web page on HOST:PORT."""
    try:
        import uvicorn

        from newstrace.service.app import create_app
    except ModuleNotFoundError as exc:
        raise ResourceMissing(
            f"newstrace serve needs the service extra ({exc.name} is missing): "
            "pip install 'newstrace[service]'"
        ) from exc
    from newstrace.config import default_data_dir, load_settings

    settings = load_settings(max_bytes=max_bytes)
    application = create_app(
        settings,
        corpus=corpus,
        trace=trace,
        analyzers=analyzers,
        max_queue=max_queue,
        timeout_s=timeout,
        allow_private_urls=allow_private_urls,
        reports=reports or default_data_dir() / "service",
        reports_max_bytes=reports_max_mib * 1024 * 1024,
        reports_max_age_s=reports_max_days * 86400,
    )
    typer.echo(f"newstrace: serving on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(application, host=host, port=port, log_level=log_level, access_log=False)
