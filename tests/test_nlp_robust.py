"""Any text goes through the four annotators without an exception, spans stay in bounds."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.data import Article
from test_nlp_support import plain_article, run_pipeline

_WORDS = st.sampled_from(
    ["said", "told", "“", "”", '"', ",", ".", ":", "according", "to", "the", "minister",
     "Anna", "Berg", "von", "der", "Leyen", "Reuters", "it", "has", "been", "reported",
     "that", "he", "she", "they", "officials", "may", "4000", "?", "\n", "\n\n", "-",
     "Spiegel", "Der", "magazine", "Lavrov", "Larvov", "Up", "thousands", "of"]
)


def _check(art: Article) -> None:
    n = len(art.text)
    for layer in ("sentences", "entities", "attributions", "claims"):
        for span in art.layer(layer):
            assert 0 <= span.start <= span.end <= n
            for value in span.attrs.values():
                if hasattr(value, "start"):
                    assert 0 <= value.start <= value.end <= n


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, min_size=0, max_size=60))
def test_word_salad_never_crashes(words: list[str]) -> None:
    text = " ".join(words)
    _check(run_pipeline(Article(text=text)))


def test_empty_and_blank_articles() -> None:
    for text in ("", "   ", "\n\n\n"):
        art = run_pipeline(Article(text=text))
        assert art.layer("claims") == [] and art.layer("attributions") == []


def test_unbalanced_quotes_and_long_paragraph() -> None:
    body = "“The mayor said it rained, " + "and then it rained again " * 200 + "she said."
    _check(run_pipeline(plain_article("Rain", body, "“Unclosed quote he said")))
