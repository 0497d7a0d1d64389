"""The one host-name pattern and the three questions asked of it (newstrace.textpatterns)."""

from __future__ import annotations

import time

from newstrace.textpatterns import DOMAIN_IN_TEXT, HOST_IN_TEXT, HOST_NAME


def test_a_whole_string_is_a_host_name_or_not() -> None:
    for name in ("Reuters.com", "www.bbc.co.uk", "news-24.de"):
        assert HOST_NAME.fullmatch(name), name
    for name in ("Reuters", "bbc.c0m", "www.", "a.b", "reuters.com/world"):
        assert not HOST_NAME.fullmatch(name), name


def test_the_host_of_an_address_in_running_text() -> None:
    text = "Write to news@harbourtimes.com or see https://www.harbourtimes.com/about."
    assert [m.group(1) for m in HOST_IN_TEXT.finditer(text)] == [
        "harbourtimes.com",
        "www.harbourtimes.com",
    ]
    # Ends at a word boundary: a hyphen after the host does not hide it.
    assert [m.group(1) for m in HOST_IN_TEXT.finditer("see example.com-style pages")] == [
        "example.com"
    ]


def test_a_written_domain_does_not_run_on_into_a_longer_word() -> None:
    text = "Reported by https://www.bbc.co.uk, not by mail@bbc.com or example.com-style sites."
    assert [m.group() for m in DOMAIN_IN_TEXT.finditer(text)] == ["https://www.bbc.co.uk"]


def test_a_run_of_labels_with_no_top_level_label_fails_fast() -> None:
    text = "a1." * 20_000 + "9"
    started = time.perf_counter()
    for pattern in (HOST_IN_TEXT, DOMAIN_IN_TEXT):
        assert list(pattern.finditer(text)) == []
    assert not HOST_NAME.fullmatch(text)
    assert time.perf_counter() - started < 2.0
