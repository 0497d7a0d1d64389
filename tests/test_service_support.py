"""Helpers for the service tests (tests/test_service*.py, tests/browser/)."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from newstrace.analyze.analyzer import Analyzer
from newstrace.config import Settings


def real_analyzer(settings: Settings) -> Analyzer:
    """The default Analyzer (all annotators, real models), built once per caller."""
    return Analyzer.default(settings)


class PageAudit(HTMLParser):
    """Collects what matters for script safety in a served HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.inline_script_text: list[str] = []
        self.event_attrs: list[tuple[str, str]] = []
        self.style_attrs: list[str] = []
        self.js_urls: list[str] = []
        self.tags: list[str] = []
        self.external: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "script":
            self.scripts.append(values)
            self._in_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.event_attrs.append((tag, name))
            if name == "style":
                self.style_attrs.append(tag)
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                low = value.strip().lower()
                if low.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.js_urls.append(value)
                if low.startswith(("http:", "https:", "//")):
                    self.external.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script_text.append(data)


def audit(page: str) -> PageAudit:
    parser = PageAudit()
    parser.feed(page)
    return parser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Run ``app`` under uvicorn on a free loopback port in a thread; yield its base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


# --- a small corpus: one story, two copies on other outlets, one unrelated article ------

STORY = [
    "Officials in the port city said on Monday that the new harbour bridge would open in "
    "March, two years later than planned, after months of delays on the main span.",
    "The mayor told reporters the delay was caused by winter flooding and a shortage of "
    "steel, and that the contractor had agreed to pay part of the extra cost of the work.",
    "Critics said the project had been mismanaged from the start and that its costs had "
    "doubled since the first estimate was published by the transport office in 2019.",
    "Engineers have inspected the main span three times this year, according to the city "
    "transport office, which said the structure was sound and ready for the final tests.",
    "Residents who live near the construction site complained about noise at night, and "
    "the contractor said work would continue through the winter months until it is done.",
]


def _md(title: str, paragraphs: list[str]) -> str:
    return f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"


DOCS = [
    {
        "id": "orig",
        "domain": "harbourtimes.example",
        "url": "https://harbourtimes.example/bridge",
        "published": "2024-05-03",
        "text": _md("Bridge opening delayed to March", STORY),
    },
    {
        "id": "copy1",
        "domain": "copycat.example",
        "url": "https://copycat.example/news/bridge",
        "published": "2024-05-04",
        "text": _md(
            "City bridge delayed again, officials admit",
            [*STORY[:4], STORY[4] + " Some shops nearby have <b>already</b> closed."],
        ),
    },
    {
        "id": "copy2",
        "domain": "www.thirdsite.example",
        "url": "https://www.thirdsite.example/bridge",
        "published": "2024-05-05",
        "text": _md("Harbour bridge late", STORY),
    },
    {
        "id": "sport",
        "domain": "sports.example",
        "url": "https://sports.example/cup",
        "published": "2024-05-06",
        "text": _md(
            "Local team wins cup final <script>document.title='pwned'</script>",
            [
                "The home side won the final 2-1 on Saturday after a late goal. The coach "
                "said the players had shown great character in the second half.",
                "Fans celebrated in the streets until midnight.",
            ],
        ),
    },
]


def _newstrace(*args: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "newstrace", *args], capture_output=True, text=True, timeout=180
    )
    if run.returncode != 0:
        raise RuntimeError(f"newstrace {args[0]} {args[1]} failed: {run.stderr[-2000:]}")


def make_corpus(base: Path) -> Path:
    """Run `newstrace corpus run` over DOCS (as JSONL) into OUT and `newstrace trace run`
    into OUT/trace (where the service finds it); return OUT."""
    source = base / "in.jsonl"
    source.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    out = base / "out"
    _newstrace("corpus", "run", str(source), "-o", str(out), "--tasks", "1", "--no-progress")
    _newstrace("trace", "run", str(source), "-o", str(out / "trace"))
    return out
