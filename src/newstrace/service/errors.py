"""Errors at the HTTP boundary: every failure becomes a status and a JSON body.

A :class:`NewstraceError` answers with its own ``http_status`` and ``to_dict()`` (the same
``code`` the CLI prints); framework errors (validation, unknown route, wrong method) get the
same ``{"code", "message"}`` shape; anything unexpected is logged here with its traceback
and answers a bare 500, so a client never sees a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newstrace.errors import NewstraceError, NoCorpus, NotFound
from newstrace.service.limits import error_headers, send_error

log = logging.getLogger("newstrace.service")

HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_format",
    422: "bad_request",
}


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return body


async def _newstrace_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NewstraceError)
    return JSONResponse(exc.to_dict(), status_code=exc.http_status, headers=error_headers(exc))


def wants_html(request: Request) -> bool:
    """A person's browser on a page URL (not /api, not a static file)."""
    path = request.url.path
    if path.startswith(("/api/", "/static/")) or path == "/openapi.json":
        return False
    return "text/html" in request.headers.get("accept", "")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    if wants_html(request):
        from newstrace.service.pages import page

        return page(
            request,
            "error.html",
            status=exc.status_code,
            title=message,
            error=error_body(code, message),
        )
    return JSONResponse(
        error_body(code, message), status_code=exc.status_code, headers=exc.headers
    )


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg')}"
        for err in exc.errors()
    ]
    return JSONResponse(
        error_body("bad_request", "invalid request: " + "; ".join(problems)), status_code=422
    )


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NewstraceError, _newstrace_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)


class CatchAllMiddleware:
    """Innermost safety net: an unexpected exception is logged and answered with 500 JSON.

    It sits inside the security-headers middleware (Starlette's own last-resort handler
    sits outside every user middleware, so its responses would lack those headers).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if isinstance(exc, NewstraceError):
                # Raised outside a route (e.g. by the body limit): still a typed error.
                if not started:
                    await send_error(send, exc.http_status, exc.to_dict())
                return
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await send_error(send, 500, error_body("internal", "internal server error"))


__all__ = ["NoCorpus", "NotFound"]
