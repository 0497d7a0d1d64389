"""The FNC-1 score and F1 figures, checked against hand computations."""

from __future__ import annotations

import pytest

from newstrace.stance.score import fnc_score


def test_fnc_score_weights() -> None:
    gold = ["agree", "disagree", "discuss", "unrelated", "unrelated", "agree"]
    pred = ["agree", "discuss", "unrelated", "unrelated", "agree", "agree"]
    s = fnc_score(gold, pred)
    # agree right 1.0 + related-but-wrong 0.25 + missed related 0 + unrelated right 0.25
    # + unrelated called related 0 + agree right 1.0
    assert s.fnc == pytest.approx(2.5)
    assert s.fnc_max == pytest.approx(4 * 1.0 + 2 * 0.25)
    assert s.fnc_null == pytest.approx(0.5)
    assert s.relative == pytest.approx(100 * 2.5 / 4.5)
    assert s.confusion[0] == [2, 0, 0, 0]  # gold agree row
    assert s.confusion[3] == [1, 0, 0, 1]  # gold unrelated row
    # agree: tp 2, fp 1 → F1 = 4/5; disagree and discuss: tp 0.
    assert s.f1["agree"] == pytest.approx(0.8)
    assert s.f1["disagree"] == 0.0
    assert s.f1["unrelated"] == pytest.approx(0.5)  # tp 1, fp 1, fn 1
    assert s.accuracy == pytest.approx(3 / 6)


def test_perfect_predictions_score_100() -> None:
    gold = ["agree", "unrelated", "discuss", "disagree"]
    s = fnc_score(gold, gold)
    assert s.relative == 100.0 and s.macro_f1 == 100.0


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError):
        fnc_score(["agree"], [])
