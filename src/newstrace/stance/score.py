"""FNC-1 scoring: the competition's weighted score, macro-F1, per-class F1, confusion.

The FNC-1 score gives 0.25 for each pair whose related/unrelated decision is right and
another 0.75 when a related pair's exact label (agree, disagree, discuss) is right; it is
reported relative to the best possible score on the same gold labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newstrace.stance.csvio import LABELS, RELATED


@dataclass(slots=True)
class Scores:
    fnc: float
    fnc_max: float
    fnc_null: float  # what predicting "unrelated" everywhere would earn
    accuracy: float
    f1: dict[str, float]
    confusion: list[list[int]]  # rows gold, columns predicted, in LABELS order
    n: int

    @property
    def relative(self) -> float:
        return 100.0 * self.fnc / self.fnc_max if self.fnc_max else 0.0

    @property
    def macro_f1(self) -> float:
        return 100.0 * sum(self.f1.values()) / len(self.f1)


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> Scores:
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    score = best = null = 0.0
    confusion = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, predicted, strict=True):
        confusion[LABELS.index(g)][LABELS.index(p)] += 1
        g_rel, p_rel = g in RELATED, p in RELATED
        if g == p:
            score += 0.25
            if g_rel:
                score += 0.75
        elif g_rel and p_rel:
            score += 0.25
        best += 1.0 if g_rel else 0.25
        null += 0.0 if g_rel else 0.25
    f1: dict[str, float] = {}
    for k, label in enumerate(LABELS):
        tp = confusion[k][k]
        fp = sum(confusion[j][k] for j in range(len(LABELS))) - tp
        fn = sum(confusion[k]) - tp
        f1[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    correct = sum(confusion[k][k] for k in range(len(LABELS)))
    return Scores(
        fnc=score,
        fnc_max=best,
        fnc_null=null,
        accuracy=correct / len(gold) if gold else 0.0,
        f1=f1,
        confusion=confusion,
        n=len(gold),
    )
