"""End-to-end in headless Chromium: paste the example, read the annotated page, follow a
finding to its evidence, browse the corpus pages and the graph, keyboard and narrow
widths, and an XSS suite proving no article payload ever runs.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the service extra is not installed")
pytest.importorskip("selenium", reason="the service extra is not installed")

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from newstrace.config import Settings
from newstrace.service.app import create_app
from newstrace.service.runner import AnalysisRunner
from test_service_support import live_server, make_corpus, real_analyzer


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings()
    analyzer = real_analyzer(settings)
    runner = AnalysisRunner([analyzer], settings, timeout_s=60)
    corpus = make_corpus(tmp_path_factory.mktemp("browser-corpus"))
    with live_server(create_app(settings, runner=runner, corpus=corpus)) as url:
        yield url


def wait(browser: Any, condition: Any, seconds: float = 30) -> Any:
    return WebDriverWait(browser, seconds).until(condition)


def shot(browser: Any, artefacts: Path, name: str, full: bool = True) -> Path:
    """Screenshot of the page; full height when asked (window resized to the page)."""
    path = artefacts / f"{name}.png"
    size = browser.get_window_size()
    if full:
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(size["width"], min(max(height, 600), 6000))
    browser.save_screenshot(str(path))
    browser.set_window_size(size["width"], size["height"])
    return path


def paste_and_submit(browser: Any, base_url: str, text: str, fmt: str = "auto") -> None:
    browser.get(base_url + "/")
    area = wait(browser, ec.presence_of_element_located((By.ID, "text")))
    # WebDriver sets the value directly (typing 8 kB key by key only costs time).
    browser.execute_script("arguments[0].value = arguments[1];", area, text)
    browser.find_element(By.CSS_SELECTOR, f"#format option[value='{fmt}']").click()
    browser.find_element(By.ID, "analyze").click()
    wait(browser, lambda b: b.find_elements(By.ID, "article")
         or b.find_elements(By.ID, "error-code"))


def no_horizontal_scroll(browser: Any) -> bool:
    return browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def test_paste_example_then_follow_findings(
    browser: Any, base_url: str, artefacts: Path, example_text: str
) -> None:
    paste_and_submit(browser, base_url, example_text)
    assert "Germany Moves Away" in browser.find_element(By.ID, "report-title").text
    for section in ("findings", "provenance", "attributions", "article"):
        assert browser.find_element(By.ID, section).is_displayed()
    shot(browser, artefacts, "report")

    links = browser.find_elements(By.CSS_SELECTOR, "#findings a[href^='#ev-']")
    assert links, "the example has findings with evidence"
    # Groups start collapsed: open the last one, then follow its last quote.
    browser.find_elements(By.CSS_SELECTOR, "#findings details.fgroup > summary")[-1].click()
    target = links[-1].get_attribute("href").split("#", 1)[1]
    links[-1].click()
    wait(browser, lambda b: b.execute_script("return location.hash") == "#" + target)
    # app.js flashes the evidence, opens any collapsed block around it and scrolls to it.
    flashed = wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".flash")))
    assert browser.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return r.bottom > 0 && r.top < window.innerHeight;",
        flashed,
    )
    anchor = browser.find_element(By.ID, target)
    # The link's target holds the first piece of the quoted words, and it is flashed.
    assert browser.execute_script("return arguments[0].contains(arguments[1])", anchor, flashed)
    shot(browser, artefacts, "report-evidence", full=False)


def test_keyboard_reaches_a_finding(browser: Any, base_url: str, example_text: str) -> None:
    paste_and_submit(browser, base_url, example_text)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "skip"
    # Tab on until the summary's first finding link has focus, press Enter: its group
    # opens and the finding takes focus; the next Tab reaches its quote.
    for _ in range(40):
        active = browser.switch_to.active_element
        if (active.get_attribute("href") or "").split("#")[-1].startswith("f-"):
            break
        active.send_keys(Keys.TAB)
    else:
        pytest.fail("no finding link reachable by keyboard from the summary")
    finding = active.get_attribute("href").split("#", 1)[1]
    active.send_keys(Keys.ENTER)
    wait(browser, lambda b: b.switch_to.active_element.get_attribute("id") == finding)
    for _ in range(10):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        active = browser.switch_to.active_element
        if (active.get_attribute("href") or "").split("#")[-1].startswith("ev-"):
            break
    else:
        pytest.fail("the finding's quote is not reachable by keyboard")
    target = active.get_attribute("href").split("#", 1)[1]
    active.send_keys(Keys.ENTER)
    wait(browser, lambda b: b.execute_script("return location.hash") == "#" + target)


def test_upload_a_saved_page(browser: Any, base_url: str, tmp_path: Path) -> None:
    saved = tmp_path / "saved-page.html"
    saved.write_text(
        "<html><head><title>Port strike ends | Harbour Times</title></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Port strike ends after nine days</h1>"
        "<p>Dock workers returned to work on Friday after the union accepted a new offer, "
        "a union spokesperson said. The strike had halted most container traffic.</p>"
        "<p>Shipping companies said it would take a week to clear the backlog.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    browser.get(base_url + "/")
    wait(browser, ec.presence_of_element_located((By.ID, "file"))).send_keys(str(saved))
    browser.find_element(By.ID, "analyze").click()
    title = wait(browser, ec.presence_of_element_located((By.ID, "report-title")))
    assert title.text == "Port strike ends after nine days"
    assert "backlog" in browser.find_element(By.ID, "article").text


def test_narrow_width_is_readable(browser: Any, base_url: str, artefacts: Path,
                                  example_text: str) -> None:
    size = browser.get_window_size()
    try:
        browser.set_window_size(390, 900)
        paste_and_submit(browser, base_url, example_text)
        assert no_horizontal_scroll(browser)
        shot(browser, artefacts, "report-narrow", full=False)
        browser.get(base_url + "/")
        assert no_horizontal_scroll(browser)
    finally:
        browser.set_window_size(size["width"], size["height"])


PAYLOADS = [
    "<script>document.title='pwned';window.__xss=1</script>",
    "<img src=x onerror=\"document.title='pwned';window.__xss=2\">",
    "<svg onload=\"window.__xss=3\"><script>window.__xss=4</script></svg>",
    "<svg><animate onbegin=\"window.__xss=5\" attributeName=x dur=1s></svg>",
    "<a id=\"jslink\" href=\"javascript:window.__xss=6\">click me</a>",
    "<iframe srcdoc=\"<script>parent.__xss=7</script>\"></iframe>",
    "<details open ontoggle=\"window.__xss=8\">x</details>",
    "<style>@import url(/static/app.css);body{background:url(javascript:window.__xss=9)}</style>",
    "\"><script>window.__xss=10</script><p title=\"",
    "<body onload=\"window.__xss=11\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__xss=12\"></style>",
    "<div id=\"xss-marker\">marker</div><object data=\"javascript:window.__xss=13\"></object>",
]


def hostile_article(kind: str) -> str:
    lines = [f"The minister said the plan was {p} ready, officials said." for p in PAYLOADS]
    if kind == "html":
        body = "".join(f"<p>{line}</p>" for line in lines)
        return (
            "<html><head><title>Hostile <script>window.__xss=20</script></title></head><body>"
            f"<article><h1>Storm <img src=x onerror=\"window.__xss=21\"> warning</h1>{body}"
            "</article></body></html>"
        )
    return "# Storm <script>window.__xss=30</script> warning\n\n" + "\n\n".join(lines) + "\n"


def assert_nothing_ran(browser: Any) -> None:
    # Give any deferred handler (onload, onerror, animations) the chance to fire.
    time.sleep(0.5)
    assert browser.execute_script("return window.__xss === undefined && parent.__xss === undefined")
    assert "pwned" not in browser.title
    # Article markup arrived as text: no element it tried to create exists.
    assert not browser.find_elements(By.CSS_SELECTOR, "#article script, #article img, "
                                     "#article svg, #article iframe, #article style, "
                                     "#article object, #xss-marker, #jslink")


@pytest.mark.parametrize("kind", ["text", "markdown", "html"])
def test_xss_payloads_never_run(browser: Any, base_url: str, artefacts: Path, kind: str) -> None:
    paste_and_submit(browser, base_url, hostile_article(kind), fmt=kind)
    assert browser.find_elements(By.ID, "article"), browser.page_source[:500]
    assert_nothing_ran(browser)
    # Clicking everything clickable in the article and the findings runs nothing either.
    for link in browser.find_elements(By.CSS_SELECTOR, "#findings a, #article a[href]")[:20]:
        if link.is_displayed():
            link.click()
    assert_nothing_ran(browser)
    if kind == "text":
        shot(browser, artefacts, "xss-text")


def test_csp_blocks_injected_inline_script(browser: Any, base_url: str) -> None:
    """The backstop works: a script element added at run time (as an escaping bug would
    add one) is refused by the Content-Security-Policy."""
    browser.get(base_url + "/")
    browser.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.__xss = 99';"
        "document.body.appendChild(s);"
        "var d = document.createElement('div');"
        "d.innerHTML = '<img src=x onerror=\"window.__xss=98\">';"
        "document.body.appendChild(d);"
    )
    time.sleep(0.3)
    assert browser.execute_script("return window.__xss === undefined")


def test_corpus_search_article_story_and_graph(
    browser: Any, base_url: str, artefacts: Path
) -> None:
    browser.get(base_url + "/corpus")
    box = wait(browser, ec.presence_of_element_located((By.ID, "q")))
    box.send_keys("bridge", Keys.ENTER)
    wait(browser, ec.text_to_be_present_in_element((By.ID, "result-count"), "3 article(s)"))
    shot(browser, artefacts, "corpus-search")

    browser.find_elements(By.CSS_SELECTOR, "a.result")[0].click()
    wait(browser, ec.presence_of_element_located((By.ID, "article")))
    shot(browser, artefacts, "corpus-article")
    story_links = browser.find_elements(By.CSS_SELECTOR, ".corpus-links a[href*='/stories/']")
    assert story_links
    story_links[0].click()
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".diff")))
    rows = browser.find_elements(By.CSS_SELECTOR, ".diff-row")
    assert rows and browser.find_elements(By.CSS_SELECTOR, ".diff-row .diff-cell")
    shot(browser, artefacts, "corpus-story")

    browser.get(base_url + "/corpus/graph")
    wait(browser, lambda b: b.find_element(By.ID, "graph").get_attribute("data-ready") == "1")
    nodes = browser.find_elements(By.CSS_SELECTOR, "#graph g.node")
    assert len(nodes) >= 3
    assert browser.find_elements(By.CSS_SELECTOR, "#graph line.edge")
    # Keyboard: focus a node and press Enter: its links are listed, the rest dims.
    target = next(n for n in nodes if n.get_attribute("data-id") == "copycat.example")
    browser.execute_script("arguments[0].focus()", target)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    detail = wait(browser, ec.text_to_be_present_in_element((By.ID, "graph-detail"),
                                                             "took text from"))
    assert detail
    assert "harbourtimes.example" in browser.find_element(By.ID, "graph-detail").text
    assert browser.find_elements(By.CSS_SELECTOR, "#graph line.edge.hl")
    shot(browser, artefacts, "corpus-graph")

    browser.get(base_url + "/corpus/outlets/copycat.example")
    assert "copycat.example" in browser.find_element(By.TAG_NAME, "h1").text
    shot(browser, artefacts, "corpus-outlet")


def test_api_docs_page_is_local(browser: Any, base_url: str, artefacts: Path) -> None:
    browser.get(base_url + "/docs")
    assert "/api/analyze" in browser.page_source
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(function (r) { return r.name; })"
    )
    assert all(url.startswith(base_url) for url in resources), resources
    shot(browser, artefacts, "api-docs")
