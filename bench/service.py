"""Load test of the service on loopback: /api/analyze under concurrent clients.

Starts `newstrace serve` (the real CLI, real default Analyzer) on a free 127.0.0.1 port for
each analyzer-pool size asked for, runs ``--clients`` client threads posting the article
for ``--duration`` seconds (and at most ``--max-requests`` requests), then stops it.
Reports requests/s, p50/p99 latency, errors and the resident memory of the server and its
analysis worker processes at start and end, next to the in-process library rate
(``newstrace.analyze`` in a loop, one thread) as the bound the service is measured against
(30 s by default).

With ``--hostile`` every pool size runs twice: as above, then with one hostile request
beside the clients (the unclosed-quotes text of issue 13, ~150 KB, posted 2 s into the
run): the clients' p99 with and without it, how long the hostile request took and what it
answered (it must end at the service's time budget with 504).

    .venv/bin/python bench/service.py                      # 8 clients, 60 s, pools 1 and 2
    .venv/bin/python bench/service.py --duration 10 --analyzers 1
    .venv/bin/python bench/service.py --hostile --analyzers 2 --timeout 30

Traffic goes only to 127.0.0.1; every loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ARTICLE = ROOT / "examples" / "germany-russia-coalition.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mib(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants (the analysis workers)."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += rss_mib(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo.extend(int(c) for c in (task / "children").read_text().split())
    return total


def hostile_text() -> str:
    """Issue 13's hostile paste: ~150 KB of quotations that never close."""
    return "Quotes\n\n" + ("He said “it is " + "very " * 20 + "\n") * 1270


@dataclass
class Result:
    label: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    rss_start: float = float("nan")
    rss_end: float = float("nan")

    @property
    def ok(self) -> int:
        return len(self.latencies)

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def start_server(port: int, analyzers: int, timeout: float | None, reports: str
                 ) -> subprocess.Popen:
    command = [sys.executable, "-m", "newstrace", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--analyzers", str(analyzers), "--log-level", "warning",
               "--reports", reports]
    if timeout:
        command += ["--timeout", str(timeout)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited: {server.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("server did not become healthy within 120 s")


def load(url: str, body: bytes, clients: int, duration: float, max_requests: int,
         result: Result) -> None:
    deadline = time.monotonic() + duration
    lock = threading.Lock()
    issued = [0]

    def client() -> None:
        with httpx.Client(timeout=120) as http:
            while time.monotonic() < deadline:
                with lock:
                    if issued[0] >= max_requests:
                        return
                    issued[0] += 1
                t0 = time.perf_counter()
                retry = 0.0
                try:
                    response = http.post(url, content=body,
                                         headers={"content-type": "application/json"})
                    key = None if response.status_code == 200 else str(response.status_code)
                    if response.status_code == 503:
                        # A polite client waits as told instead of hammering the server.
                        retry = min(5.0, float(response.headers.get("retry-after", 1)))
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                elapsed = time.perf_counter() - t0
                if retry:
                    time.sleep(retry)
                with lock:
                    if key is None:
                        result.latencies.append(elapsed)
                    else:
                        result.errors[key] = result.errors.get(key, 0) + 1

    started = time.monotonic()
    workers = [threading.Thread(target=client) for _ in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    result.seconds = time.monotonic() - started


@dataclass
class Hostile:
    seconds: float = float("nan")
    answer: str = "not sent"


def send_hostile(url: str, delay: float, out: Hostile) -> threading.Thread:
    def run() -> None:
        time.sleep(delay)
        body = json.dumps({"text": hostile_text()}).encode()
        t0 = time.perf_counter()
        try:
            response = httpx.post(url, content=body, timeout=600,
                                  headers={"content-type": "application/json"})
            out.answer = f"{response.status_code} {response.json().get('code', 'report')}"
        except httpx.HTTPError as exc:
            out.answer = type(exc).__name__
        out.seconds = time.perf_counter() - t0

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def run_service(article: str, analyzers: int, args: argparse.Namespace,
                hostile: Hostile | None = None) -> Result:
    import tempfile

    port = free_port()
    reports = tempfile.mkdtemp(prefix="newstrace-bench-reports-")
    server = start_server(port, analyzers, args.timeout, reports)
    label = f"service, {analyzers} worker(s), {args.clients} clients"
    result = Result(label + (" + 1 hostile" if hostile else ""))
    url = f"http://127.0.0.1:{port}/api/analyze"
    try:
        body = json.dumps({"text": article}).encode()
        # One warm-up request per worker: first-call costs (lazy imports, caches) are
        # not load.
        for _ in range(analyzers):
            httpx.post(url, content=body, headers={"content-type": "application/json"},
                       timeout=120)
        result.rss_start = tree_rss_mib(server.pid)
        thread = send_hostile(url, 2.0, hostile) if hostile is not None else None
        load(url, body, args.clients, args.duration, args.max_requests, result)
        if thread is not None:
            thread.join()
            time.sleep(5)  # the replacement worker loads its models
        result.rss_end = tree_rss_mib(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    return result


def run_library(article: str, duration: float) -> Result:
    import newstrace
    from newstrace.analyze.analyzer import Analyzer

    analyzer = Analyzer.default()
    newstrace.analyze(article, analyzer=analyzer)  # warm-up
    result = Result("library, in process, 1 thread (bound)")
    result.rss_start = rss_mib(os.getpid())
    deadline = time.monotonic() + duration
    started = time.monotonic()
    while time.monotonic() < deadline:
        t0 = time.perf_counter()
        newstrace.analyze(article, analyzer=analyzer).to_dict()
        result.latencies.append(time.perf_counter() - t0)
    result.seconds = time.monotonic() - started
    result.rss_end = rss_mib(os.getpid())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--article", type=Path, default=DEFAULT_ARTICLE)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--analyzers", default="1,2", help="pool sizes to measure, comma list")
    parser.add_argument("--timeout", type=float, default=None,
                        help="the server's --timeout (its time budget; default 30)")
    parser.add_argument("--hostile", action="store_true",
                        help="also run each pool with one hostile request beside the clients")
    parser.add_argument("--library-seconds", type=float, default=30.0)
    args = parser.parse_args()
    article = args.article.read_text(encoding="utf-8")

    results = [run_library(article, args.library_seconds)]
    hostiles: list[tuple[str, Hostile, Result]] = []
    for size in (int(x) for x in args.analyzers.split(",")):
        baseline = run_service(article, size, args)
        results.append(baseline)
        if args.hostile:
            hostile = Hostile()
            results.append(run_service(article, size, args, hostile))
            hostiles.append((baseline.label, hostile, results[-1]))

    bound = results[0].ok / results[0].seconds
    print(f"\narticle: {args.article.name} ({len(article.encode()):,} bytes); "
          f"cores: {os.cpu_count()}; duration {args.duration:g}s per service run\n")
    header = (f"{'configuration':<42} {'req/s':>7} {'vs lib':>7} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'ok':>6} {'errors':>7} {'RSS start':>10} {'RSS end':>9}")
    print(header)
    print("-" * len(header))
    for r in results:
        rate = r.ok / r.seconds if r.seconds else float("nan")
        errors = sum(r.errors.values())
        print(f"{r.label:<42} {rate:>7.2f} {rate / bound:>6.2f}x {r.pct(0.5) * 1000:>8.0f} "
              f"{r.pct(0.99) * 1000:>8.0f} {r.ok:>6} {errors:>7} {r.rss_start:>8.0f}Mi "
              f"{r.rss_end:>7.0f}Mi")
        if r.errors:
            print(f"    errors: {r.errors}")
    print(f"\nmedian library latency: {statistics.median(results[0].latencies) * 1000:.0f} ms")
    for label, hostile, with_it in hostiles:
        without = next(r for r in results if r.label == label)
        ratio = with_it.pct(0.99) / without.pct(0.99)
        print(f"{label}: hostile request answered {hostile.answer} after "
              f"{hostile.seconds:.1f} s; clients' p99 with it / without it = {ratio:.2f}")


if __name__ == "__main__":
    main()
