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
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import newstrace.service.api as api
import newstrace.service.pages as pages
from newstrace import __version__
from newstrace.config import Settings, load_settings
from newstrace.service.errors import CatchAllMiddleware, install_handlers
from newstrace.service.limits import BodyLimitMiddleware
from newstrace.service.runner import AnalysisRunner
from newstrace.service.security import SecurityHeadersMiddleware
from newstrace.service.state import ServiceState

if TYPE_CHECKING:
    from newstrace.service.workers import WorkerPool

#: Allowance on top of Settings.max_bytes for the request envelope (JSON quoting, form
#: boundaries, the url field); the article itself is still held to max_bytes by the reader.
ENVELOPE_BYTES = 64 * 1024

DEFAULT_TIMEOUT_S = 30.0


def create_app(
    settings: Settings | None = None,
    *,
    corpus: str | Path | None = None,
    trace: str | Path | None = None,
    runner: AnalysisRunner | WorkerPool | None = None,
    analyzers: int = 1,
    timeout_s: float | None = None,
    max_queue: int | None = None,
    allow_private_urls: bool = False,
    reports: Path | None = None,
    reports_max_bytes: int | None = None,
    reports_max_age_s: float | None = None,
) -> FastAPI:
    """Build the service. ``corpus`` is a corpus run's output folder; ``trace`` the trace's
    graph.json (or its folder) when it is not inside that folder. ``runner`` lets tests
    inject analyzers in-process; otherwise ``analyzers`` worker processes start now, each
    loading the default Analyzer once (service/workers.py), with ``max_queue`` requests
    allowed to wait for one. ``allow_private_urls`` lets URL jobs fetch addresses on this
    machine and its private network (refused otherwise: read/fetch.py). ``reports`` is the
    folder of the saved-report file behind permalinks (none kept without it)."""
    settings = settings or load_settings()
    if timeout_s is None:
        timeout_s = settings.time_budget_s or DEFAULT_TIMEOUT_S
    store, copies_folder = _open_corpus(corpus, trace)
    if runner is None:
        from newstrace.service.workers import WorkerPool

        runner = WorkerPool(
            settings,
            workers=analyzers,
            timeout_s=timeout_s,
            max_queue=max_queue,
            copies_folder=str(copies_folder) if copies_folder else None,
        )
    elif copies_folder is not None and isinstance(runner, AnalysisRunner):
        from newstrace.trace.index import TraceIndex

        runner.copies_index = (TraceIndex(copies_folder), str(copies_folder))
    state = ServiceState(
        settings=settings,
        runner=runner,
        corpus=store,
        allow_private_urls=allow_private_urls,
        reports=_report_store(reports, reports_max_bytes, reports_max_age_s),
    )
    return _assemble(state, settings)


def _open_corpus(corpus: str | Path | None, trace: str | Path | None) -> tuple[Any, Path | None]:
    """The corpus store to browse, and the traced folder to look every article up in."""
    if trace is not None and corpus is None:
        from newstrace.errors import ConfigError

        raise ConfigError("a trace graph is shown over a corpus: give --corpus too")
    if corpus is None:
        return None, None
    from newstrace.service.corpus_store import CorpusStore

    store = CorpusStore.open(Path(corpus), Path(trace) if trace else None)
    folder = store.trace_folder
    if folder is not None and (folder / "index" / "meta.json").is_file():
        # Every article analysed here is looked up in the traced corpus ("Copies and
        # origin"), as `newstrace analyze --trace-index` does.
        return store, folder
    return store, None


def _report_store(reports: Path | None, max_bytes: int | None,
                  max_age_s: float | None) -> Any:
    """The saved reports behind permalinks (none kept without a folder)."""
    if reports is None:
        return None
    import newstrace.service.reports as report_store

    return report_store.ReportStore(
        reports,
        max_bytes=max_bytes or report_store.DEFAULT_MAX_BYTES,
        max_age_s=max_age_s or report_store.DEFAULT_MAX_AGE_S,
    )


def _assemble(state: ServiceState, settings: Settings) -> FastAPI:
    """The FastAPI app over ``state``: routes, static files, error handlers, middleware."""

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
    app.add_middleware(
        BodyLimitMiddleware,
        limit=settings.max_bytes + ENVELOPE_BYTES,
        article_limit=settings.max_bytes,
        html_error=pages.html_error_renderer(settings.max_bytes, state.runner.timeout_s),
    )
    app.add_middleware(SecurityHeadersMiddleware)
    return app
