"""The JSON API: /api/analyze, /api/health and the read-only corpus endpoints."""

from __future__ import annotations

import json
import os
import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from newstrace import __version__
from newstrace.errors import NoCorpus, NotFound
from newstrace.service.inputs import job_from_request
from newstrace.service.state import ServiceState

router = APIRouter(prefix="/api")

_ANALYZE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "description": "Article as text/Markdown"},
                        "html": {"type": "string", "description": "Article as saved HTML"},
                        "format": {"type": "string", "enum": ["auto", "html", "markdown", "text"]},
                        "url": {"type": "string", "description": "The page's URL, if known"},
                    },
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "text": {"type": "string"},
                        "format": {"type": "string"},
                        "url": {"type": "string"},
                    },
                }
            },
            "text/html": {"schema": {"type": "string"}},
            "text/markdown": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
}


def state_of(request: Request) -> ServiceState:
    return request.app.state.newstrace


@router.post(
    "/analyze",
    openapi_extra=_ANALYZE_BODY,
    summary="Analyse one article",
    response_description="The JSON report (docs/report-schema.md)",
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
async def analyze(request: Request) -> Response:
    """Analyse an article sent as JSON ``{text|html, format?, url?}``, a multipart upload
    (``file``) or a raw text/html, text/markdown or text/plain body."""
    state = state_of(request)
    job = await job_from_request(request, state.settings.max_bytes, state.allow_private_urls)
    report = await state.keep(await state.runner.analyze(job))
    # Serialising a large report is CPU work too: off the event loop, in one pass.
    body = await state.in_thread(_dumps, report)
    return Response(body, media_type="application/json")


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@router.get("/health", summary="Liveness and what is loaded")
async def health(request: Request) -> dict[str, Any]:
    state = state_of(request)
    runner = state.runner
    return {
        "status": "ok",
        "version": __version__,
        "pid": os.getpid(),
        "uptime_s": round(time.monotonic() - state.started, 3),
        "analyzers": runner.size,
        "threads": runner.threads,
        "timeout_s": runner.timeout_s,
        "max_bytes": state.settings.max_bytes,
        "completed": runner.completed,
        "failed": runner.failed,
        "killed": getattr(runner, "killed", 0),
        "queued": getattr(runner, "queued", 0),
        "max_queue": getattr(runner, "max_queue", None),
        "corpus": str(state.corpus.root) if state.corpus else None,
        "reports": await state.in_thread(state.reports.stats) if state.reports else None,
    }


def saved_report(state: ServiceState, key: str) -> dict[str, Any]:
    """A saved report by key, or the service's 404."""
    report = state.reports.get(key) if state.reports is not None else None
    if report is None:
        raise NotFound(
            "no saved report has this address: it may have expired (reports are kept "
            f"{_kept_for(state)}) or the service does not keep reports"
        )
    return report


def _kept_for(state: ServiceState) -> str:
    if state.reports is None:
        return "not at all"
    return f"{state.reports.max_age_s / 86400:g} days"


@router.get("/reports/{key}", summary="A saved report (the permalink's JSON)")
async def report(request: Request, key: str) -> Response:
    state = state_of(request)
    found = await state.in_thread(saved_report, state, key)
    return Response(await state.in_thread(_dumps, found), media_type="application/json")


def _corpus(request: Request):  # -> CorpusStore
    corpus = state_of(request).corpus
    if corpus is None:
        raise NoCorpus("no corpus is loaded: start the service with --corpus OUT")
    return corpus


@router.get("/articles", summary="Search the corpus")
async def articles(
    request: Request,
    q: Annotated[str | None, Query(max_length=500, description="words in title or text")] = None,
    outlet: Annotated[str | None, Query(max_length=253, description="domain")] = None,
    finding: Annotated[str | None, Query(max_length=100, description="finding kind")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    corpus = _corpus(request)
    return await state_of(request).in_thread(
        corpus.search, q=q, outlet=outlet, finding=finding, limit=limit, offset=offset
    )


@router.get("/articles/{article_id}", summary="One article's stored report")
async def article(request: Request, article_id: str) -> dict[str, Any]:
    corpus = _corpus(request)
    return await state_of(request).in_thread(corpus.article, article_id)


@router.get("/stories/{story_id}", summary="A story family: its copies and their links")
async def story(request: Request, story_id: str) -> dict[str, Any]:
    corpus = _corpus(request)
    return await state_of(request).in_thread(corpus.story, story_id)


@router.get("/outlets/{domain}", summary="An outlet: its ratings and articles")
async def outlet(request: Request, domain: str) -> dict[str, Any]:
    corpus = _corpus(request)
    return await state_of(request).in_thread(corpus.outlet, domain)


@router.get("/graph", summary="The provenance graph (optionally around one outlet)")
async def graph(
    request: Request,
    outlet: Annotated[str | None, Query(max_length=253)] = None,
) -> dict[str, Any]:
    corpus = _corpus(request)
    return await state_of(request).in_thread(corpus.graph, outlet)
