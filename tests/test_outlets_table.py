"""The shipped outlet table and offline domain handling."""

from __future__ import annotations

import socket

import pytest

from newstrace.datasets import domains
from newstrace.errors import MalformedData
from newstrace.resources.outlets import name_key, outlet_table, parse_table


def test_table_is_general_and_sourced() -> None:
    table = outlet_table()
    assert len(table) >= 300
    for outlet in table.outlets:
        assert outlet.source.startswith(("wikipedia:", "https://")), outlet
        assert outlet.language and outlet.country and outlet.kind, outlet
    kinds = {o.kind for o in table.outlets}
    assert {"agency", "newspaper", "broadcaster", "magazine", "website"} <= kinds
    assert len({o.country for o in table.outlets}) >= 40
    domains_seen = [o.domain for o in table.outlets]
    assert len(domains_seen) == len(set(domains_seen))


@pytest.mark.parametrize(
    ("query", "domain"),
    [
        ("AFP", "afp.com"),
        ("the Associated Press", "apnews.com"),
        ("NYT", "nytimes.com"),
        ("https://www.bbc.co.uk/news/world", "bbc.co.uk"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("Spiegel Online", "spiegel.de"),
        ("SOUTHFRONT", "southfront.org"),
        ("Sott.net", "sott.net"),
        ("PNP magazine", "pnp.de"),
    ],
)
def test_resolve(query: str, domain: str) -> None:
    outlet = outlet_table().resolve(query)
    assert outlet is not None and outlet.domain == domain


@pytest.mark.parametrize("query", ["Frobnitz Courier", "Focus", "the", ""])
def test_unknown_or_ambiguous_names_do_not_resolve(query: str) -> None:
    assert outlet_table().by_name(query) is None


def test_find_in_running_text_is_case_sensitive_and_bounded() -> None:
    text = (
        "Reuters and the BBC reported it; a reporter at Time said nothing. "
        "The Ministry of Foreign Affairs declined. Spiegel.de/x and APnews are not names."
    )
    found = [(text[s:e], o.domain) for s, e, o in outlet_table().find_in(text)]
    assert found == [("Reuters", "reuters.com"), ("BBC", "bbc.co.uk")]


def test_name_key() -> None:
    assert name_key("The South Front") == name_key("southfront") == "southfront"


def test_parse_errors_are_typed() -> None:
    with pytest.raises(MalformedData, match="line 1"):
        parse_table(["only\ttwo"])
    with pytest.raises(MalformedData, match="needs a name, a domain and a source"):
        parse_table(["X\tnot a domain\t\ten\tUS\tnewspaper\twikipedia:X"])


def test_tldextract_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    domains._extractor.cache_clear()
    domains.registered_domain.cache_clear()
    assert domains.registered_domain("a.b.example.co.uk") == "example.co.uk"
    assert domains.host_of("https://WWW.Example.com.au/path") == "example.com.au"
    assert domains.host_of("not a host") is None
    extractor = domains._extractor()
    assert extractor.suffix_list_urls == () and extractor.fallback_to_snapshot


def test_blog_on_a_shared_host_is_its_own_site() -> None:
    # The platform's rating (blogspot.com) must never be borrowed by a blog on it.
    assert domains.registered_domain("someone.blogspot.com") == "someone.blogspot.com"
    assert domains.candidate_hosts("news.someone.blogspot.com") == [
        "news.someone.blogspot.com",
        "someone.blogspot.com",
    ]
