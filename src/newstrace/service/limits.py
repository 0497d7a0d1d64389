"""Request body limit, enforced while the body is read (pure ASGI middleware).

A declared ``Content-Length`` over the limit is refused before a byte of the body is read;
a chunked or lying body is counted as it arrives and refused the moment it passes the
limit. Either way the client gets 413 with the JSON body of :class:`InputTooLarge` (a
styled page for a browser), even if the framework underneath would have turned the failed
read into a generic 400.

Ordinary HTTP clients (urllib, httpx, requests) send the whole body before they read the
answer; a server that answers and closes with the body unread resets the connection and
the client sees "connection reset", not the 413. So the answer is sent first, then the
rest of the body is read and thrown away (up to :func:`drain_cap` bytes and
:data:`DRAIN_SECONDS`), and only then is the response finished and the connection closed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from newstrace.errors import InputTooLarge, NewstraceError, ServiceBusy
from newstrace.limits import human_bytes

Scope = dict[str, Any]
Message = dict[str, Any]


#: Seconds spent at most reading and discarding an oversized body before closing.
DRAIN_SECONDS = 30.0


def drain_cap(limit: int) -> int:
    """Bytes of an oversized body read and discarded at most: enough for an ordinary
    client's mistake (twice the limit, at least 16 MiB), never unbounded."""
    return min(max(2 * limit, 16 * 1024 * 1024), 256 * 1024 * 1024)


def too_large(article_limit: int) -> InputTooLarge:
    return InputTooLarge(
        f"the request is larger than the service accepts: articles up to "
        f"{human_bytes(article_limit)}",
        max_bytes=article_limit,
    )


async def send_error(
    send: Any,
    status: int,
    body: dict[str, Any],
    *,
    receive: Any = None,
    drain: int = 0,
    html: str | None = None,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """Answer ``status`` with ``body`` as JSON (or ``html``); with ``receive`` and
    ``drain``, read and discard up to ``drain`` more body bytes before finishing, so the
    client reads the answer instead of a reset connection."""
    if html is not None:
        payload, ctype = html.encode("utf-8"), b"text/html; charset=utf-8"
    else:
        payload, ctype = json.dumps(body).encode(), b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", ctype),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
                *(headers or []),
            ],
        }
    )
    if receive is None or drain <= 0:
        await send({"type": "http.response.body", "body": payload})
        return
    await send({"type": "http.response.body", "body": payload, "more_body": True})
    await _discard_body(receive, drain)
    await send({"type": "http.response.body", "body": b""})


async def _discard_body(receive: Any, cap: int) -> None:
    read, stop_at = 0, time.monotonic() + DRAIN_SECONDS
    while read <= cap and time.monotonic() < stop_at:
        message = await receive()
        if message["type"] != "http.request":
            return
        read += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


#: Renders the error page for a browser: (path, accept header, error body) -> HTML or None.
HtmlError = Callable[[str, str, dict[str, Any]], "str | None"]


class BodyLimitMiddleware:
    """Refuse request bodies larger than ``limit`` bytes with 413.

    ``article_limit`` is the number stated to people (Settings.max_bytes); ``limit`` adds
    the request envelope (JSON quoting, form boundaries) to it.
    """

    def __init__(
        self,
        app: Any,
        limit: int,
        article_limit: int | None = None,
        html_error: HtmlError | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.article_limit = article_limit or limit
        self.html_error = html_error

    async def _refuse(self, scope: Scope, receive: Any, send: Any) -> None:
        error = too_large(self.article_limit)
        html = None
        if self.html_error is not None:
            accept = dict(scope.get("headers", [])).get(b"accept", b"").decode("latin-1")
            html = self.html_error(scope.get("path", ""), accept, error.to_dict())
        await send_error(
            send, error.http_status, error.to_dict(), receive=receive,
            drain=drain_cap(self.limit), html=html,
        )

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.limit:
                    await self._refuse(scope, receive, send)
                    return
        state = {"received": 0, "exceeded": False, "started": False}

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.limit:
                    state["exceeded"] = True
                    raise too_large(self.article_limit)
            return message

        async def guarded_send(message: Message) -> None:
            # Once the limit is passed, whatever the app answers (often a 400 "error
            # parsing the body") is dropped in favour of the 413 below.
            if state["exceeded"]:
                return
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not state["exceeded"]:
                raise
        if state["exceeded"] and not state["started"]:
            await self._refuse(scope, receive, send)


def error_headers(exc: NewstraceError) -> dict[str, str]:
    """Headers an error answers with: Retry-After when the service is busy."""
    if isinstance(exc, ServiceBusy):
        return {"retry-after": str(exc.retry_after_s)}
    return {}
