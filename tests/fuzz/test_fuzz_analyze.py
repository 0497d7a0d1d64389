"""Property-based tests of the whole analysis: hostile inputs through the default Analyzer
(every annotator), the report builder and the JSON, HTML and terminal renderers. Allowed
outcomes: a report that keeps its invariants, or a NewstraceError."""

from __future__ import annotations

import json
import random

import fuzzgen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newstrace
from newstrace.errors import NewstraceError
from newstrace.render.html import render_html
from newstrace.render.json import render_json
from newstrace.render.text import render_text

FUZZ = settings.get_profile("newstrace-fuzz")


def analyse_and_render(source: str | bytes, fmt: str | None, analyzer) -> dict | None:
    try:
        report = newstrace.analyze(source, format=fmt, analyzer=analyzer).to_dict()
    except NewstraceError:
        return None
    fuzzgen.check_report(report)
    out = render_json(report)
    assert json.loads(out) == json.loads(json.dumps(report))
    out.encode("utf-8")  # what the CLI writes must encode
    html = render_html(report)
    fuzzgen.check_html_escaped(html, report)
    html.encode("utf-8")
    render_text(report).encode("utf-8")
    return report


@settings(FUZZ, max_examples=10)
@given(seed=st.integers(0, 2**32 - 1))
def test_generated_inputs_through_every_annotator(seed: int, analyzer) -> None:
    source, fmt = fuzzgen.generate(random.Random(seed), max_size=20_000)
    analyse_and_render(source, fmt, analyzer)


@settings(FUZZ, max_examples=10)
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(["html", "markdown", "text"]))
def test_mutated_articles_through_every_annotator(seed: int, kind: str, analyzer) -> None:
    rng = random.Random(seed)
    text = fuzzgen.mutate_text(fuzzgen.SEEDS[kind], rng, rng.randint(1, 12))
    analyse_and_render(text, rng.choice([None, kind]), analyzer)


def test_seed_articles_give_reports_with_content(analyzer) -> None:
    # The invariants above must have something to bite on: the unmutated seeds analyse
    # into reports with blocks, sentences and attributions.
    for kind, text in fuzzgen.SEEDS.items():
        report = analyse_and_render(text, kind, analyzer)
        assert report is not None, kind
        assert report["blocks"] and report["attributions"], kind


def test_probe_in_article_text_is_escaped_in_html(analyzer) -> None:
    report = analyse_and_render(
        f"Headline {fuzzgen.INJECT_PROBE}\n\nThe mayor said {fuzzgen.INJECT_PROBE} it.",
        "text", analyzer)
    assert report is not None and fuzzgen.INJECT_PROBE in report["text"]
    assert "&lt;xss-probe" in render_html(report)


@pytest.mark.parametrize("source", [
    "Headline\x00\n\nThe mayor\x00 said\x07 \u202e\u200b it was \ud800 fine.\r\rHe left.",
    "# " + "\u0301" * 300 + "\n\n" + fuzzgen.EMOJI * 100 + ' "Yes," she said.',
    "Head\n\n" + ('"' * 500) + " said the mayor " + ("\u201c" * 500),
    "Head\n\n" + "Mr. " * 3000 + "said.",
    "<html><body>" + "<p>He said: \u201c" * 300 + "</body></html>",
])
def test_hostile_article_shapes_analyse(source: str, analyzer) -> None:
    analyse_and_render(source, None, analyzer)
