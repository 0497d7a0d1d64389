"""The web page: paste/upload form, annotated report, corpus pages, API reference.

Server-rendered with Jinja2 (autoescape on: every value from an article is escaped); the
report sections come pre-escaped from :mod:`newstrace.render.html`. Pages work without
JavaScript; /static/app.js and /static/graph.js only add behaviour.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

import newstrace.service.diff as diff
import newstrace.service.report_view as report_view
from newstrace.errors import NewstraceError, NoCorpus
from newstrace.limits import MAX_TEXT_CHARS, human_bytes
from newstrace.service.api import saved_report, state_of
from newstrace.service.inputs import job_from_request
from newstrace.service.limits import error_headers

TEMPLATES = Environment(
    loader=FileSystemLoader(str(files("newstrace.service") / "templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

router = APIRouter(include_in_schema=False)

#: Form fields put back on the error page (a file cannot be: browsers forbid it).
FORM_FIELDS = ("text", "url", "format")


def limits_context(max_bytes: int, timeout_s: float | None) -> dict[str, Any]:
    """The limits every page states, in the units the errors use (one declaration each:
    Settings.max_bytes, limits.MAX_TEXT_CHARS, the runner's timeout)."""
    return {
        "max_bytes": max_bytes,
        "max_size": human_bytes(max_bytes),
        "max_chars": MAX_TEXT_CHARS,
        "timeout_text": f"{timeout_s:g} seconds" if timeout_s else "as long as it needs",
    }


def _render(request: Request, template: str, context: dict[str, Any]) -> str:
    state = state_of(request)
    return TEMPLATES.get_template(template).render(
        has_corpus=state.corpus is not None,
        **limits_context(state.settings.max_bytes, state.runner.timeout_s),
        **context,
    )


def html_error_renderer(max_bytes: int, timeout_s: float | None) -> Any:
    """For the body-limit middleware (no request object there): the styled error page
    for a browser on a page URL, None for an API client."""

    def render(path: str, accept: str, error: dict[str, Any]) -> str | None:
        if path.startswith(("/api/", "/static/")) or "text/html" not in accept:
            return None
        return TEMPLATES.get_template("error.html").render(
            title="Too large", error=error, show_form=True, form={},
            **limits_context(max_bytes, timeout_s),
        )

    return render


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A small page, rendered on the event loop (forms, errors, lists)."""
    return HTMLResponse(_render(request, template, context), status_code=status)


async def page_in_thread(
    request: Request, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A page whose size follows the article (a report, a diff): rendered off the loop."""
    body = await state_of(request).in_thread(_render, request, template, context)
    return HTMLResponse(body, status_code=status)


def error_page(
    request: Request, exc: NewstraceError, form: dict[str, str] | None = None
) -> HTMLResponse:
    """The styled error page; with ``form`` (what was sent), the form again, filled in."""
    response = page(
        request,
        "error.html",
        status=exc.http_status,
        title="Error",
        error=exc.to_dict(),
        show_form=form is not None,
        form=form or {},
        retry_after=getattr(exc, "retry_after_s", None),
    )
    response.headers.update(error_headers(exc))
    return response


async def sent_fields(request: Request) -> dict[str, str]:
    """The text fields of the form just posted (cached by Starlette once parsed), to put
    back on the error page; nothing when the body could not be read as a form."""
    try:
        form = await request.form()
    except Exception:  # a body that failed to parse already answered its own error
        return {}
    return {k: v for k, v in form.items() if isinstance(v, str) and k in FORM_FIELDS}


@router.get("/")
async def index(request: Request) -> HTMLResponse:
    return page(request, "index.html", title="Analyse an article")


@router.get("/analyze")
async def analyze_again() -> RedirectResponse:
    # Reloading the report page's URL (after the POST) goes back to the form.
    return RedirectResponse("/", status_code=303)


@router.post("/analyze")
async def analyze_page(request: Request) -> HTMLResponse:
    state = state_of(request)
    try:
        job = await job_from_request(
            request, state.settings.max_bytes, state.allow_private_urls
        )
        report = await state.keep(await state.runner.analyze(job))
    except NewstraceError as exc:
        return error_page(request, exc, await sent_fields(request))
    if "permalink" in report:
        # Post/redirect/get: the address bar holds the permalink, so reload and share work.
        return RedirectResponse(report["permalink"], status_code=303)
    return await report_page(request, report)


@router.get("/reports/{key}.json")
async def report_download(request: Request, key: str) -> Response:
    state = state_of(request)
    try:
        found = await state.in_thread(saved_report, state, key)
    except NewstraceError as exc:
        return error_page(request, exc)
    body = await state.in_thread(
        lambda: json.dumps(found, ensure_ascii=False, indent=1).encode("utf-8")
    )
    return Response(
        body,
        media_type="application/json",
        headers={"content-disposition": f'attachment; filename="newstrace-{key}.json"'},
    )


@router.get("/reports/{key}")
async def saved_report_page(request: Request, key: str) -> HTMLResponse:
    state = state_of(request)
    try:
        found = await state.in_thread(saved_report, state, key)
    except NewstraceError as exc:
        return error_page(request, exc)
    return await report_page(request, found)


async def report_page(request: Request, report: dict[str, Any], **extra: Any) -> HTMLResponse:
    def render() -> str:
        return _render(
            request,
            "report.html",
            {
                "title": report_view.title_of(report),
                "report": report,
                "facts": report_view.facts_of(report),
                "sections": report_view.sections(report),
                **extra,
            },
        )

    return HTMLResponse(await state_of(request).in_thread(render))


@router.get("/static/report.css")
async def report_css() -> Response:
    # The CLI renderer's stylesheet, served as a file so the CSP needs no inline style.
    return Response(
        report_view.REPORT_CSS,
        media_type="text/css",
        headers={"cache-control": "public, max-age=3600"},
    )


@router.get("/docs")
async def api_docs(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                (p.get("name"), p.get("in"), (p.get("schema") or {}).get("type"),
                 p.get("description") or "")
                for p in op.get("parameters", [])
            ]
            body = list((op.get("requestBody") or {}).get("content", {}).keys())
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary") or "",
                    "description": op.get("description") or "",
                    "params": params,
                    "body": body,
                }
            )
    return page(request, "docs.html", title="API", endpoints=endpoints)


# --- corpus pages -------------------------------------------------------------------------


def _corpus(request: Request):
    corpus = state_of(request).corpus
    if corpus is None:
        raise NoCorpus("no corpus is loaded: start the service with --corpus OUT")
    return corpus


@router.get("/corpus")
async def search_page(
    request: Request,
    q: str | None = None,
    outlet: str | None = None,
    finding: str | None = None,
    page_no: int = 1,
) -> HTMLResponse:
    try:
        corpus = _corpus(request)
        limit = 20
        page_no = max(1, min(page_no, 100_000))
        result = await state_of(request).in_thread(
            corpus.search,
            q=(q or None) and q[:500],
            outlet=(outlet or None) and outlet[:253],
            finding=(finding or None) and finding[:100],
            limit=limit,
            offset=(page_no - 1) * limit,
        )
        kinds = await state_of(request).in_thread(corpus.finding_kinds)
    except NewstraceError as exc:
        return error_page(request, exc)
    return page(
        request,
        "search.html",
        title="Corpus",
        q=q or "",
        outlet=outlet or "",
        finding=finding or "",
        kinds=kinds,
        result=result,
        page_no=page_no,
        pages=max(1, -(-result["total"] // limit)),
    )


@router.get("/corpus/articles/{article_id}")
async def corpus_article_page(request: Request, article_id: str) -> HTMLResponse:
    try:
        corpus = _corpus(request)
        report = await state_of(request).in_thread(corpus.article, article_id)
    except NewstraceError as exc:
        return error_page(request, exc)
    return await report_page(request, report, corpus_links=report.get("corpus") or {})


@router.get("/corpus/stories/{story_id}")
async def story_page(
    request: Request, story_id: str, a: str | None = None, b: str | None = None
) -> HTMLResponse:
    try:
        corpus = _corpus(request)
        story = await state_of(request).in_thread(corpus.story, story_id)
        members = story["articles"]
        ids = [m["id"] for m in members]
        left = a if a in ids else (ids[0] if ids else None)
        right = b if b in ids else next((i for i in ids if i != left), None)
        texts = await state_of(request).in_thread(
            corpus.texts, [i for i in (left, right) if i]
        )
    except NewstraceError as exc:
        return error_page(request, exc)
    rows = (
        await state_of(request).in_thread(
            diff.side_by_side, texts.get(left, ""), texts.get(right, "")
        )
        if right
        else []
    )
    return await page_in_thread(
        request,
        "story.html",
        title=(members[0].get("title") if members else None) or f"Story {story_id}",
        story=story,
        left=left,
        right=right,
        rows=rows,
        similarity=diff.similarity(rows),
    )


@router.get("/corpus/outlets/{domain}")
async def outlet_page(request: Request, domain: str) -> HTMLResponse:
    try:
        corpus = _corpus(request)
        outlet = await state_of(request).in_thread(corpus.outlet, domain)
    except NewstraceError as exc:
        return error_page(request, exc)
    return page(request, "outlet.html", title=outlet["domain"], outlet=outlet)


@router.get("/corpus/graph")
async def graph_page(request: Request, outlet: str | None = None) -> HTMLResponse:
    try:
        corpus = _corpus(request)
        graph = await state_of(request).in_thread(corpus.graph, outlet)
    except NewstraceError as exc:
        return error_page(request, exc)
    return page(request, "graph.html", title="Provenance graph", graph=graph, outlet=outlet or "")
