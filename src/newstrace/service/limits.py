"""Request body limit, enforced while the body is read (pure ASGI middleware).

A declared ``Content-Length`` over the limit is refused before a byte of the body is read;
a chunked or lying body is counted as it arrives and refused the moment it passes the
limit. Either way the client gets 413 with the JSON body of :class:`InputTooLarge`, even if
the framework underneath would have turned the failed read into a generic 400.
"""

from __future__ import annotations

import json
from typing import Any

from newstrace.errors import InputTooLarge

Scope = dict[str, Any]
Message = dict[str, Any]


def _too_large(limit: int) -> InputTooLarge:
    return InputTooLarge(
        f"request body is larger than the service accepts ({limit:,} bytes)", limit=limit
    )


async def send_error(send: Any, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class BodyLimitMiddleware:
    """Refuse request bodies larger than ``limit`` bytes with 413."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

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
                    error = _too_large(self.limit)
                    await send_error(send, error.http_status, error.to_dict())
                    return
        state = {"received": 0, "exceeded": False, "started": False}

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.limit:
                    state["exceeded"] = True
                    raise _too_large(self.limit)
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
            error = _too_large(self.limit)
            await send_error(send, error.http_status, error.to_dict())
