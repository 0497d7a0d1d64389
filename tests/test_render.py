"""Renderers: article text is escaped everywhere, highlights come from offsets."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

from newstrace.assess.report import Report, report_dict
from newstrace.data import Article, Block, Finding, Span
from newstrace.render.html import render_html
from newstrace.render.json import render_json
from newstrace.render.text import render_text

PAYLOADS = (
    "<script>document.title='pwned'</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "<svg onload=alert(1)><circle/></svg>",
    "<style>body{background:url(javascript:alert(1))}</style>",
)


def hostile_report() -> dict:
    headline = "Officials <b>deny</b> it?"
    body = "The minister said " + " ".join(PAYLOADS) + " was harmless."
    text = f"{headline}\n\n{body}"
    start = len(headline) + 2
    article = Article(
        text=text,
        blocks=[Block("headline", 0, len(headline)), Block("body", start, len(text))],
    )
    article.spans["claims"] = [
        Span(start, len(text), "claim", {"status": "unsourced", "loaded_terms": []})
    ]
    cue = text.index("said")
    article.spans["attributions"] = [
        Span(
            start,
            len(text),
            "attribution",
            {
                "source": Span(start, start + 12),
                "cue": Span(cue, cue + 4),
                "content": Span(cue + 5, len(text) - 1),
                "speaker": "The minister",
                "speaker_kind": "person",
                "direct": False,
                "medium": "<i>Gazette</i>",
                "time": None,
            },
        )
    ]
    finding = Finding("unsourced_assertion", "medium", "No source <given>", [Span(start, cue)])
    return report_dict(Report(article=article, findings=[finding]))


class ElementAudit(HTMLParser):
    """Collects what a browser would build from the page: tags and their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(name)
            if name in ("href", "src"):
                self.hrefs.append(value or "")


def test_html_escapes_every_payload() -> None:
    page = render_html(hostile_report())
    audit = ElementAudit()
    audit.feed(page)
    assert "script" not in audit.tags
    assert not {"img", "svg", "iframe", "object"} & set(audit.tags)
    assert audit.tags.count("style") == 1  # the report's own stylesheet
    assert audit.handlers == []
    assert all(href.startswith("#") for href in audit.hrefs)
    # The payload text is still shown to the reader, escaped.
    assert html.escape("<script>document.title='pwned'</script>") in page
    assert "&lt;i&gt;Gazette&lt;/i&gt;" in page


def test_html_forbids_script_by_policy() -> None:
    page = render_html(hostile_report())
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page)
    assert policy and "default-src 'none'" in policy.group(1)
    assert "script-src" not in policy.group(1)


def test_html_links_findings_to_their_evidence() -> None:
    page = render_html(hostile_report())
    assert 'href="#ev-0-0"' in page
    assert 'id="ev-0-0"' in page
    assert page.index('id="ev-0-0"') > page.index('id="article"')


def test_html_highlights_by_offset() -> None:
    report = hostile_report()
    page = render_html(report)
    cue = report["attributions"][0]["cue"]
    assert cue["text"] == "said"
    assert re.search(r'<span class="[^"]*a-cue[^"]*">said</span>', page)


def test_json_round_trips_text_offsets() -> None:
    report = json.loads(render_json(hostile_report()))
    for block in report["blocks"]:
        assert report["text"][block["start"] : block["end"]] == block["text"]
    assert report["headline"]["is_question"] is True
    for key in ("provenance", "attributions", "claims", "entities", "outlets"):
        assert key in report


def test_text_report_shows_sections() -> None:
    text = render_text(hostile_report())
    assert "Officials <b>deny</b> it?" in text
    assert "question headline" in text
    assert "Who said what" in text and "The minister" in text
    assert "No source <given>" in text
