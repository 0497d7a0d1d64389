"""Crashes the fuzzers found, each as its minimised input: the input must now give an
Article or a typed NewstraceError, never another exception."""

from __future__ import annotations

import pytest

import newstrace
from newstrace.config import Settings
from newstrace.errors import NewstraceError


@pytest.mark.parametrize("page", [
    "<a><a><article><h1><x)>e</h1><p>h",
    "<a><a><article><h1><x)>e</h1><p>Officials said the budget passed on Tuesday.</p>",
])
def test_trafilatura_xml_reparse_error_is_not_an_internal_error(page):
    # trafilatura.extract raised lxml XMLSyntaxError ("error parsing attribute name") when
    # re-reading its own XML output for a page with a tag named "x)"; read/html.py now
    # treats that as no extraction and falls back. (The fallback, html2txt, finds no text
    # on such a page either, so today this is a typed EmptyInput.)
    try:
        article = newstrace.load(page, format="html", settings=Settings())
    except NewstraceError as exc:
        assert exc.code == "empty"
    else:
        assert article.text.strip()


def test_text_nested_deeper_than_the_parser_limit_is_read() -> None:
    # bench/worst_case.py: a page whose text sits under 2,000 nested divs was "empty"
    # (libxml2 stops at 256 levels, so trafilatura and html2txt saw nothing); the reader's
    # last fallback now parses without the depth limit and keeps the text.
    nested = "<div>" * 2000 + "<p>The mayor said the bridge will reopen.</p>" + "</div>" * 2000
    head = "<head><title>Bridge</title><style>p {}</style></head>"
    page = f"<html>{head}<body>{nested}</body></html>"
    article = newstrace.load(page, format="html", settings=Settings())
    assert "The mayor said the bridge will reopen." in article.text
    assert "p {}" not in article.text
