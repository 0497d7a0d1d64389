"""The extraction benchmark's metric (bench/extraction.py) and a small run of it."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "extraction.py"


def _load():
    spec = importlib.util.spec_from_file_location("bench_extraction", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_extraction"] = module
    spec.loader.exec_module(module)
    return module


ext = _load()


def test_shingles_are_a_multiset_of_word_4grams() -> None:
    grams = ext.shingles("a b c d a b c d")
    assert grams[("a", "b", "c", "d")] == 2
    assert sum(grams.values()) == 5
    # Punctuation is not a token; short texts are one shingle.
    assert ext.shingles("Hi, there!") == {("Hi", "there"): 1}
    assert not ext.shingles("")


def test_page_scores() -> None:
    true = "one two three four five six seven"
    assert ext.page_scores(true, true) == (1.0, 1.0)
    assert ext.page_scores(true, "") == (0.0, 0.0)
    assert ext.page_scores("", "") == (1.0, 1.0)
    # Prediction adds a tail: 4 true shingles found of 4, 4 of 7 predicted are right.
    precision, recall = ext.page_scores(true, true + " eight nine ten")
    assert recall == 1.0 and precision == pytest.approx(4 / 7)
    # Prediction misses the tail: every predicted shingle is right, 1 of 4 found.
    precision, recall = ext.page_scores(true, "one two three four")
    assert precision == 1.0 and recall == pytest.approx(1 / 4)


def test_corpus_scores_average_pages_then_f1() -> None:
    pairs = [("a b c d e", "a b c d e"), ("a b c d e", "a b c d x y z")]
    precision, recall, f1 = ext.corpus_scores(pairs)
    # Page 2: one shingle of 4 predicted right, one of 2 true found.
    assert precision == pytest.approx((1 + 1 / 4) / 2)
    assert recall == pytest.approx((1 + 1 / 2) / 2)
    assert f1 == pytest.approx(2 * precision * recall / (precision + recall))


def test_bench_runs_on_a_few_pages(shared_data: Path, tmp_path: Path, capsys) -> None:
    data = shared_data / "article-extraction"
    if not (data / "ground-truth.json").is_file():
        pytest.skip("article-extraction data not present")
    dump = tmp_path / "scores.json"
    assert ext.main(["--data", str(data), "--limit", "3", "--dump", str(dump)]) == 0
    out = capsys.readouterr().out
    assert "newstrace (body)" in out and "trafilatura (direct)" in out
    scores = json.loads(dump.read_text())
    assert len(scores["newstrace (body)"]) == 3
    assert all(0.5 <= p <= 1 for p, _ in scores["newstrace (body)"].values())
