"""Real headless Chromium (Debian's chromium + chromium-driver) against a live service.

Skips with a reason when chromium or chromedriver is missing and cannot be installed
(scripts/install-browser.sh installs them where it can). Screenshots of every page go to
tmp/artefacts/service/ (override with NEWSTRACE_ARTEFACTS).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
)


def _browser_missing() -> str | None:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        script = ROOT / "scripts" / "install-browser.sh"
        try:
            subprocess.run(["bash", str(script)], check=False, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"chromium is not installed and installing it failed ({exc})"
    if not CHROMIUM.exists():
        return "chromium is not installed and could not be (scripts/install-browser.sh)"
    if not CHROMEDRIVER.exists():
        return "chromedriver is not installed and could not be (scripts/install-browser.sh)"
    try:
        import selenium  # noqa: F401
    except ModuleNotFoundError:
        return "selenium is not installed (pip install 'newstrace[service]')"
    return None


@pytest.fixture(scope="session")
def artefacts() -> Path:
    folder = Path(os.environ.get("NEWSTRACE_ARTEFACTS", ROOT / "tmp" / "artefacts")) / "service"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="newstrace-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,1000")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: Selenium Manager never tries to download anything.
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
