"""Decoding an analysis request (JSON, multipart form or a raw body) into a :class:`Job`.

The three shapes end in the same Job, so the API and the page treat input identically and
the reader (not this module) decides whether the content is usable: empty, binary,
too large and undecodable input get the reader's typed errors, as in the CLI.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from newstrace.errors import InputError, InputTooLarge, UnsupportedFormat
from newstrace.limits import human_bytes
from newstrace.service.runner import Job

FORMATS = ("html", "markdown", "text")
RAW_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": None,  # plain text may still be Markdown: let the reader sniff it
}
MAX_URL = 2048


def _format(value: Any) -> str | None:
    if value in (None, "", "auto"):
        return None
    if value not in FORMATS:
        raise UnsupportedFormat(
            f"format must be one of auto, {', '.join(FORMATS)}; got {str(value)[:40]!r}"
        )
    return str(value)


def _url(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > MAX_URL:
        raise InputError(f"url must be a string of at most {MAX_URL} characters")
    return value


def job_from_fields(fields: dict[str, Any], max_bytes: int | None = None) -> Job:
    """A Job from {text|html, format?, url?} (a JSON object or form fields); a URL with
    no text or html is a page to fetch."""
    text, markup = fields.get("text"), fields.get("html")
    url = _url(fields.get("url"))
    if text in (None, "") and markup in (None, "") and url:
        from newstrace.read.fetch import check_url

        check_url(url)  # a file: or ftp: URL is refused here, before any work
        return Job(content=b"", format=_format(fields.get("format")), url=url, fetch_url=url)
    if text is None and markup is None:
        raise InputError("no article given: send text, html, a url or a file")
    # An empty field next to a filled one is a form left blank, not a second article.
    if text == "" and markup is not None:
        text = None
    if markup == "" and text is not None:
        markup = None
    if text is not None and markup is not None:
        raise InputError("give either text or html, not both")
    # An empty article goes on to the reader, which refuses it as the CLI does (empty).
    content = markup if markup is not None else text
    if not isinstance(content, str):
        raise InputError("text and html must be strings")
    if max_bytes is not None and len(content) * 4 > max_bytes:  # cheap bound first
        size = len(content.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise InputTooLarge(
                f"the article is {human_bytes(size)}, over the {human_bytes(max_bytes)} limit",
                size=size,
                max_bytes=max_bytes,
            )
    fmt = _format(fields.get("format"))
    if markup is not None and fmt is None:
        fmt = "html"
    return Job(content=content, format=fmt, url=url)


async def job_from_request(request: Request, max_bytes: int, allow_private: bool = False) -> Job:
    """Decode the request body whatever its content type; ``allow_private`` lets a URL
    job fetch loopback and private addresses."""
    job = await _decode(request, max_bytes)
    if job.fetch_url is not None and allow_private:
        job = dataclasses.replace(job, allow_private=True)
    return job


async def _decode(request: Request, max_bytes: int) -> Job:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        try:
            payload = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"request body is not valid JSON: {exc}") from None
        if not isinstance(payload, dict):
            raise InputError("request body must be a JSON object")
        return job_from_fields(payload, max_bytes)
    if ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return await _job_from_form(request, max_bytes)
    if ctype in RAW_TYPES:
        body = await request.body()
        fmt = _format(request.query_params.get("format")) or RAW_TYPES[ctype]
        return Job(content=body, format=fmt, url=_url(request.query_params.get("url")))
    raise UnsupportedFormat(
        f"unsupported content type {ctype or '(none)'!r}: send application/json, "
        "multipart/form-data or a text/html, text/markdown or text/plain body"
    )


async def _job_from_form(request: Request, max_bytes: int) -> Job:
    # Starlette caps form fields at 1 MB by default; a pasted article may be larger. The
    # body limit already bounds the whole request: a field a little over the article
    # limit is parsed, so the error page can give the pasted text back.
    form = await request.form(max_files=1, max_fields=8, max_part_size=2 * max_bytes + 65536)
    upload = form.get("file")
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(max_bytes + 1)
        await upload.close()
        if len(data) > max_bytes:
            raise InputTooLarge(
                f"the file is larger than the {human_bytes(max_bytes)} limit",
                max_bytes=max_bytes,
            )
        if fields.get("text") or fields.get("html"):
            raise InputError("give either a file or pasted text, not both")
        fmt = _format(fields.get("format")) or _format_of_name(upload.filename)
        return Job(content=data, format=fmt, url=_url(fields.get("url")))
    return job_from_fields(fields, max_bytes)


def _format_of_name(filename: str) -> str | None:
    lower = filename.lower()
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lower.endswith((".md", ".markdown")):
        return "markdown"
    return None
