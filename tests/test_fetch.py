"""Fetching a page by URL (read/fetch.py) against a loopback http.server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fetch_support import ARTICLE_HTML, page_server
from newstrace.errors import InputTooLarge, PageFetchFailed, UnsupportedFormat, UrlRefused
from newstrace.read.fetch import fetch, is_url, resolve


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with page_server() as base:
        yield base


def test_fetches_a_page_and_says_how(server: str) -> None:
    got = fetch(f"{server}/article", max_bytes=1 << 20, allow_private=True)
    assert got.content == ARTICLE_HTML
    assert (got.status, got.format, got.redirects) == (200, "html", 0)
    meta = got.meta()
    assert meta["final_url"] == f"{server}/article" and meta["fetched_at"].endswith("+00:00")


def test_follows_redirects_and_records_the_final_url(server: str) -> None:
    got = fetch(f"{server}/redirect", max_bytes=1 << 20, allow_private=True)
    assert got.final_url == f"{server}/article" and got.redirects == 1


def test_redirects_are_capped(server: str) -> None:
    with pytest.raises(PageFetchFailed, match="redirects"):
        fetch(f"{server}/loop0", max_bytes=1 << 20, allow_private=True, max_redirects=3)


def test_http_errors_and_non_article_types_are_typed(server: str) -> None:
    with pytest.raises(PageFetchFailed, match="404"):
        fetch(f"{server}/missing", max_bytes=1 << 20, allow_private=True)
    with pytest.raises(UnsupportedFormat):
        fetch(f"{server}/pdf", max_bytes=1 << 20, allow_private=True)


def test_size_is_capped_while_reading(server: str) -> None:
    with pytest.raises(InputTooLarge, match="1 MiB"):
        fetch(f"{server}/huge", max_bytes=1 << 20, allow_private=True)


def test_loopback_is_refused_without_the_flag(server: str) -> None:
    with pytest.raises(UrlRefused, match="private network"):
        fetch(f"{server}/article", max_bytes=1 << 20)
    with pytest.raises(UrlRefused):
        fetch(f"{server.replace('127.0.0.1', 'localhost')}/article", max_bytes=1 << 20)


def test_every_redirect_is_checked_again(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first hop passes (as a public host would); its redirect to localhost does not."""
    import newstrace.read.fetch as fetch_module

    real, calls = fetch_module.resolve, []

    def first_hop_public(host: str, port: int, allow_private: bool) -> str:
        calls.append(host)
        return real(host, port, allow_private or len(calls) == 1)

    monkeypatch.setattr(fetch_module, "resolve", first_hop_public)
    with pytest.raises(UrlRefused, match="localhost"):
        fetch(f"{server}/to-localhost", max_bytes=1 << 20)
    assert calls == ["127.0.0.1", "localhost"]


@pytest.mark.parametrize(
    "address", ["10.0.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "0.0.0.0"]
)
def test_private_and_link_local_addresses_are_refused(address: str) -> None:
    with pytest.raises(UrlRefused):
        resolve(address, 80, allow_private=False)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "http://"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(UrlRefused):
        fetch(url, max_bytes=1000, allow_private=True)


def test_is_url() -> None:
    assert is_url("https://example.org/a") and is_url("HTTP://x")
    assert not is_url("article.html") and not is_url("https:/broken")
