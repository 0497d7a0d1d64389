"""Analyses in worker processes (service/workers.py): a job past its budget is killed and
its worker replaced, the waiting line is bounded, a crash is a typed error, and nobody
else waits on a hostile document beyond its own budget."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed")

from newstrace.config import Settings
from newstrace.limits import MAX_TEXT_CHARS
from newstrace.service.app import create_app
from newstrace.service.workers import WorkerPool
from service_worker_support import broken_analyzer, hostile_analyzer
from test_service_support import live_server

ARTICLE = "# Budget will pass\n\nThe finance minister said on Monday that it would pass.\n"
BUDGET = 3.0


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    runner = WorkerPool(
        Settings(), workers=2, timeout_s=BUDGET, max_queue=1, factory=hostile_analyzer
    )
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def url(pool: WorkerPool) -> Iterator[str]:
    with live_server(create_app(Settings(), runner=pool)) as base:
        yield base


def post(url: str, text: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.post(f"{url}/api/analyze", json={"text": text}, timeout=60)
    return response, time.monotonic() - started


def wait_for_workers(pool: WorkerPool, n: int) -> None:
    deadline = time.monotonic() + 60
    while pool._idle.qsize() < n and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_hostile_job_is_killed_at_its_budget_and_others_do_not_wait(
    url: str, pool: WorkerPool
) -> None:
    wait_for_workers(pool, 2)
    before = set(pool.pids())
    with ThreadPoolExecutor(2) as threads:
        hostile = threads.submit(post, url, "# Stall\n\nSTALL " + ARTICLE)
        time.sleep(0.3)
        small, small_s = post(url, ARTICLE)
        slow, slow_s = hostile.result()
    assert slow.status_code == 504 and slow.json()["code"] == "timeout"
    assert BUDGET - 0.5 < slow_s < BUDGET + 1.5
    # The small request ran on the other worker: it did not wait for the hostile one
    # (0.3 s after it started, it ended well before it).
    assert small.status_code == 200 and small_s + 0.3 < slow_s - 0.5
    assert pool.killed >= 1
    wait_for_workers(pool, 2)
    # The killed worker was replaced by a new process; the service still answers.
    assert set(pool.pids()) != before and len(pool.pids()) == 2
    assert post(url, ARTICLE)[0].status_code == 200


def test_a_full_waiting_line_is_503_with_retry_after(url: str, pool: WorkerPool) -> None:
    wait_for_workers(pool, 2)
    with ThreadPoolExecutor(4) as threads:
        stalls = [threads.submit(post, url, "STALL " + ARTICLE) for _ in range(3)]
        time.sleep(0.5)  # two running, one waiting: the line (1) is full
        refused, refused_s = post(url, ARTICLE)
        answers = [f.result()[0].status_code for f in stalls]
    assert refused.status_code == 503, refused.text
    assert refused.json()["code"] == "busy"
    assert int(refused.headers["retry-after"]) >= 1
    assert refused_s < 1.0
    assert answers == [504, 504, 504]


def test_a_crashed_worker_is_a_typed_error_and_is_replaced(url: str, pool: WorkerPool) -> None:
    wait_for_workers(pool, 2)
    crashed, _ = post(url, "CRASH " + ARTICLE)
    assert crashed.status_code == 500
    assert crashed.json()["code"] == "analysis_crashed"
    wait_for_workers(pool, 2)
    assert post(url, ARTICLE)[0].status_code == 200


def test_typed_errors_cross_the_process_boundary(url: str) -> None:
    empty, _ = post(url, "   ")
    assert (empty.status_code, empty.json()["code"]) == (422, "empty")
    long_text = "# Long\n\n" + ("word " * (MAX_TEXT_CHARS // 5 + 10))
    too_long, _ = post(url, long_text)
    assert too_long.status_code == 413
    assert too_long.json()["code"] == "too_long"
    assert f"{MAX_TEXT_CHARS:,}" in too_long.json()["message"]


def test_a_url_is_fetched_inside_the_worker() -> None:
    from fetch_support import page_server

    # Its own pool: the app closes its runner when it shuts down.
    own = WorkerPool(Settings(), workers=1, timeout_s=20, factory=hostile_analyzer)
    app = create_app(Settings(), runner=own, allow_private_urls=True)
    with page_server() as pages, live_server(app) as base:
        response = httpx.post(f"{base}/api/analyze", json={"url": f"{pages}/redirect"},
                              timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["meta"]["fetch"]["final_url"] == f"{pages}/article"


def test_a_worker_that_cannot_load_its_models_is_a_startup_error() -> None:
    from newstrace.errors import ResourceMissing

    started = time.monotonic()
    with pytest.raises(ResourceMissing, match="not installed"):
        WorkerPool(Settings(), workers=1, timeout_s=5, factory=broken_analyzer)
    assert time.monotonic() - started < 60
