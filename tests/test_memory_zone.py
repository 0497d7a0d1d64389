"""Long runs do not grow the language model's vocabulary: every new word of an article is
forgotten once its report is built (Analyzer.memory_zone, used by corpus workers and the
service)."""

from __future__ import annotations

import random

import newstrace
from newstrace.analyze.analyzer import Analyzer
from newstrace.assess.report import build_report, report_dict


def _article_of_new_words(rng: random.Random) -> str:
    # Words no vocabulary has seen: each one would be interned for good outside a zone.
    words = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4))
             for _ in range(300)]
    body = " ".join(words)
    return f"Council meets\n\nThe mayor said that {body}. Officials said {words[0]} closed."


def _vocab_size(analyzer: Analyzer) -> int:
    nlp = next(a.nlp for a in analyzer.annotators if hasattr(a, "nlp"))
    return len(nlp.vocab.strings)


def test_vocabulary_stays_flat_inside_the_zone() -> None:
    analyzer = Analyzer.default()
    rng = random.Random(7)
    # A first article warms up the strings every report needs (labels, tags).
    with analyzer.memory_zone():
        report_dict(build_report(analyzer(newstrace.load(_article_of_new_words(rng)))))
    before = _vocab_size(analyzer)
    reports = []
    for _ in range(5):
        with analyzer.memory_zone():
            article = analyzer(newstrace.load(_article_of_new_words(rng)))
            reports.append(report_dict(build_report(article)))
    assert _vocab_size(analyzer) == before
    # The reports built inside the zones stay whole after it.
    assert all(r["attributions"] and r["claims"] for r in reports)
    assert any("mayor" in a["text"] or a["speaker_kind"] for a in reports[0]["attributions"])


def test_outside_the_zone_the_vocabulary_grows() -> None:
    # The check above can fail: without the zone the same articles add their words.
    analyzer = Analyzer.default()
    rng = random.Random(8)
    before = _vocab_size(analyzer)
    analyzer(newstrace.load(_article_of_new_words(rng)))
    assert _vocab_size(analyzer) > before + 100
