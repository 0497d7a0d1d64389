"""`newstrace serve`: the web service and page (needs the ``service`` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newstrace.cli.app import app
from newstrace.errors import ResourceMissing

# The command's options, declared apart so `serve` reads as what it does.
_CorpusOption = Annotated[
    Path | None,
    typer.Option("--corpus", help="A corpus run's output folder to browse (read-only)."),
]
_TraceOption = Annotated[
    Path | None,
    typer.Option(
        "--trace",
        help="The trace's graph.json (or its folder), if not in the corpus folder.",
    ),
]
_HostOption = Annotated[
    str, typer.Option("--host", help="Address to bind; loopback unless you say otherwise.")
]
_PortOption = Annotated[int, typer.Option("--port", min=0, max=65535)]
_AnalyzersOption = Annotated[
    int,
    typer.Option(
        "--analyzers",
        "--workers",
        min=1,
        max=16,
        help="Analysis worker processes (each loads its own models, ~210 MiB). Two by "
        "default, so one document running to its time budget never holds up the rest.",
    ),
]
_MaxQueueOption = Annotated[
    int | None,
    typer.Option(
        "--queue",
        min=0,
        help="Requests that may wait for a worker; more get 503 (default 16 per worker).",
    ),
]
_TimeoutOption = Annotated[
    float | None,
    typer.Option("--timeout", min=0.0, help="Seconds one analysis may take (default 30)."),
]
_MaxBytesOption = Annotated[
    int | None, typer.Option("--max-bytes", help="Largest request accepted (default 20 MB).")
]
_AllowPrivateUrlsOption = Annotated[
    bool,
    typer.Option(
        "--allow-private-urls",
        help="Let URL analyses fetch loopback, private and link-local addresses "
        "(refused by default: the server would otherwise reach its own network).",
    ),
]
_ReportsOption = Annotated[
    Path | None,
    typer.Option(
        "--reports",
        help="Folder for saved reports (permalinks); default DATA_HOME/newstrace/service.",
    ),
]
_ReportsMaxMibOption = Annotated[
    int, typer.Option("--reports-max-mib", min=1, help="Size cap of saved reports.")
]
_ReportsMaxDaysOption = Annotated[
    float, typer.Option("--reports-max-days", min=0.01, help="Age cap of saved reports.")
]
_LogLevelOption = Annotated[str, typer.Option("--log-level")]


@app.command()
def serve(
    corpus: _CorpusOption = None,
    trace: _TraceOption = None,
    host: _HostOption = "127.0.0.1",
    port: _PortOption = 8000,
    analyzers: _AnalyzersOption = 2,
    max_queue: _MaxQueueOption = None,
    timeout: _TimeoutOption = None,
    max_bytes: _MaxBytesOption = None,
    allow_private_urls: _AllowPrivateUrlsOption = False,
    reports: _ReportsOption = None,
    reports_max_mib: _ReportsMaxMibOption = 256,
    reports_max_days: _ReportsMaxDaysOption = 30.0,
    log_level: _LogLevelOption = "info",
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
