"""The FastAPI application: API, page, static files, limits and security headers.

``create_app`` builds everything once — the Analyzer(s) load here, at start-up, and are
shared by all requests through :class:`~newstrace.service.runner.AnalysisRunner`.
Interactive API docs are served locally (/docs renders /openapi.json on the server);
FastAPI's default Swagger/ReDoc pages load their assets from a CDN and are disabled.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from newstrace import __version__
from newstrace.config import Settings, load_settings
from newstrace.service import api, pages
from newstrace.service.errors import CatchAllMiddleware, install_handlers
from newstrace.service.limits import BodyLimitMiddleware
from newstrace.service.runner import AnalysisRunner
from newstrace.service.security import SecurityHeadersMiddleware
from newstrace.service.state import ServiceState

#: Allowance on top of Settings.max_bytes for the request envelope (JSON quoting, form
#: boundaries, the url field); the article itself is still held to max_bytes by the reader.
ENVELOPE_BYTES = 64 * 1024

DEFAULT_TIMEOUT_S = 30.0


def create_app(
    settings: Settings | None = None,
    *,
    corpus: str | Path | None = None,
    trace: str | Path | None = None,
    runner: AnalysisRunner | None = None,
    analyzers: int = 1,
    threads: int | None = None,
    timeout_s: float | None = None,
) -> FastAPI:
    """Build the service. ``corpus`` is a corpus run's output folder; ``trace`` the trace's
    graph.json (or its folder) when it is not inside that folder. ``runner`` lets tests
    inject analyzers; otherwise ``analyzers`` default Analyzers are built now (models load
    once, here)."""
    settings = settings or load_settings()
    if timeout_s is None:
        timeout_s = settings.time_budget_s or DEFAULT_TIMEOUT_S
    if runner is None:
        runner = AnalysisRunner.build(
            settings, analyzers=analyzers, threads=threads, timeout_s=timeout_s
        )
    store = None
    if trace is not None and corpus is None:
        from newstrace.errors import ConfigError

        raise ConfigError("a trace graph is shown over a corpus: give --corpus too")
    if corpus is not None:
        from newstrace.service.corpus_store import CorpusStore

        store = CorpusStore.open(Path(corpus), Path(trace) if trace else None)
        folder = store.trace_folder
        if folder is not None and (folder / "index" / "meta.json").is_file():
            from newstrace.trace.index import TraceIndex

            # Every article analysed here is looked up in the traced corpus ("Copies and
            # origin"), as `newstrace analyze --trace-index` does.
            runner.copies_index = (TraceIndex(folder), str(folder))
    state = ServiceState(settings=settings, runner=runner, corpus=store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        yield
        state.close()

    app = FastAPI(
        title="newstrace",
        version=__version__,
        description="Read news critically: provenance, attribution, unsourced claims, "
        "headline audit and outlet ratings, offline.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.newstrace = state
    install_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount(
        "/static",
        StaticFiles(directory=str(files("newstrace.service") / "static")),
        name="static",
    )
    # Added innermost first: CatchAll < BodyLimit < SecurityHeaders (outermost).
    app.add_middleware(CatchAllMiddleware)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_bytes + ENVELOPE_BYTES)
    app.add_middleware(SecurityHeadersMiddleware)
    return app
