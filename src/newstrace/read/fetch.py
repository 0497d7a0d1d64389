"""Fetching an article by URL: the one place newstrace goes on the network for a page.

http and https only; connect and read timeouts and an overall deadline; the body is
counted while it is read and refused past ``max_bytes``; redirects are followed by hand,
at most :data:`MAX_REDIRECTS`, so every hop is checked again. Proxies from the
environment are ignored (they would hide where a request really goes).

``allow_private=False`` (the service's default) refuses any host whose addresses are
loopback, private, link-local, multicast or otherwise not public, after DNS resolution
and on every redirect; the connection then goes to the address that was checked (the
name is sent as Host and TLS server name), so a second DNS answer cannot swap in an
internal address. The CLI allows them: it runs as its user, on the user's own network.
Analysis after the fetch is offline as always.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from newstrace.errors import InputTooLarge, PageFetchFailed, UnsupportedFormat, UrlRefused
from newstrace.limits import human_bytes

MAX_REDIRECTS = 5
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 15.0
TOTAL_TIMEOUT_S = 30.0
USER_AGENT = "newstrace (+https://github.com/newstrace; article analysis)"
#: Content types read as an article; anything else (PDF, images, video) is refused.
TEXT_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": None,
}


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched page and how it was fetched (what the report's ``meta.fetch`` says)."""

    content: bytes
    url: str
    final_url: str
    status: int
    content_type: str
    format: str | None
    redirects: int
    fetched_at: str
    elapsed_s: float

    def meta(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "content_type": self.content_type,
            "redirects": self.redirects,
            "bytes": len(self.content),
            "fetched_at": self.fetched_at,
            "elapsed_s": round(self.elapsed_s, 3),
        }


def is_url(value: str) -> bool:
    """True for what should be fetched rather than opened as a file."""
    return value[:8].lower().startswith(("http://", "https://"))


def check_url(url: str) -> httpx.URL:
    """The parsed URL, or :class:`UrlRefused` for anything but http(s) with a host."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise UrlRefused(f"not a usable URL: {str(url)[:200]!r} ({exc})") from None
    if parsed.scheme not in ("http", "https"):
        raise UrlRefused(f"only http and https pages are fetched, not {parsed.scheme or '?'}:")
    if not parsed.host:
        raise UrlRefused(f"the URL has no host: {str(url)[:200]!r}")
    return parsed


def resolve(host: str, port: int, allow_private: bool) -> str:
    """One address for ``host`` to connect to, after checking all of them."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise PageFetchFailed(f"cannot resolve {host!r}: {exc}") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise PageFetchFailed(f"cannot resolve {host!r}")
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if getattr(ip, "ipv4_mapped", None):
                ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
            if not ip.is_global or ip.is_multicast:
                raise UrlRefused(
                    f"{host} resolves to {address}, an address on this machine or a "
                    "private network; the service does not fetch those (start it with "
                    "--allow-private-urls to allow them)",
                    host=host,
                    address=address,
                )
    return addresses[0]


def _pinned(url: httpx.URL, address: str) -> tuple[httpx.URL, dict[str, str], dict[str, Any]]:
    """The request to ``url`` sent to the checked ``address``: same Host and TLS name."""
    target = url.copy_with(host=address)
    port = url.port
    host_header = url.host if port is None else f"{url.host}:{port}"
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    return target, {"host": host_header}, extensions


def fetch(
    url: str,
    *,
    max_bytes: int,
    allow_private: bool = False,
    total_timeout_s: float = TOTAL_TIMEOUT_S,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET ``url`` within the limits above; typed errors for every way it can fail."""
    started = time.monotonic()
    deadline = started + total_timeout_s
    current = check_url(url)
    timeout = httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
    with httpx.Client(
        follow_redirects=False, timeout=timeout, trust_env=False,
        headers={"user-agent": USER_AGENT, "accept": "text/html,text/plain;q=0.9,*/*;q=0.5"},
    ) as client:
        for hops in range(max_redirects + 1):
            port = current.port or (443 if current.scheme == "https" else 80)
            address = resolve(current.host, port, allow_private)
            target, headers, extensions = _pinned(current, address)
            request = client.build_request("GET", target, headers=headers, extensions=extensions)
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException:
                raise PageFetchFailed(f"{current.host} did not answer in time") from None
            except httpx.HTTPError as exc:
                raise PageFetchFailed(f"cannot fetch {current}: {exc}") from None
            try:
                if response.is_redirect and "location" in response.headers:
                    current = check_url(str(current.join(response.headers["location"])))
                    continue
                body = _read_body(response, str(current), max_bytes, deadline)
            finally:
                response.close()
            return _fetched(url, current, response, body, hops, started)
    raise PageFetchFailed(f"more than {max_redirects} redirects from {url[:200]}")


def _read_body(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    if response.status_code >= 400:
        raise PageFetchFailed(
            f"{url[:200]} answered HTTP {response.status_code}", status=response.status_code
        )
    too_large = InputTooLarge(
        f"the page at {url[:200]} is larger than the {human_bytes(max_bytes)} limit",
        max_bytes=max_bytes,
    )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            if time.monotonic() > deadline:
                raise PageFetchFailed(f"fetching {url[:200]} took too long")
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise PageFetchFailed(f"{url[:200]} stopped sending") from None
    except httpx.HTTPError as exc:
        raise PageFetchFailed(f"cannot read {url[:200]}: {exc}") from None
    return b"".join(chunks)


def _fetched(
    url: str, final: httpx.URL, response: httpx.Response, body: bytes, hops: int, started: float
) -> Fetched:
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype and ctype not in TEXT_TYPES:
        raise UnsupportedFormat(f"{str(final)[:200]} is {ctype}, not an article page")
    return Fetched(
        content=body,
        url=url,
        final_url=str(final),
        status=response.status_code,
        content_type=ctype,
        format=TEXT_TYPES.get(ctype),
        redirects=hops,
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        elapsed_s=time.monotonic() - started,
    )
