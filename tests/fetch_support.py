"""A loopback http.server for the URL tests: an article, redirects, errors, a huge body."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE_HTML = (
    b"<html><head><title>Port bridge delayed</title></head><body><article>"
    b"<h1>Port bridge delayed to March</h1><p>The mayor said on Monday that the bridge "
    b"would open in March, two years late.</p><p>Critics claimed the project had been "
    b"mismanaged from the start.</p></article></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *_args: object) -> None:  # quiet tests
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/article":
            self._send(200, ARTICLE_HTML)
        elif path == "/redirect":
            self._send(302, b"", headers={"location": "/article"})
        elif path == "/to-localhost":
            port = self.server.server_address[1]
            self._send(302, b"", headers={"location": f"http://localhost:{port}/article"})
        elif path.startswith("/loop"):
            n = int(path[5:] or 0)
            self._send(302, b"", headers={"location": f"/loop{n + 1}"})
        elif path == "/missing":
            self._send(404, b"not here")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4", ctype="application/pdf")
        elif path == "/huge":
            # No Content-Length: the size is only known while reading.
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
        else:
            self._send(404, b"")


@contextlib.contextmanager
def page_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
