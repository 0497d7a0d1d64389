"""Training the stance model on FNC-1-style data, with a body-ID hold-out.

The hold-out is drawn by Body ID (a fixed-seed shuffle of the sorted IDs), so no body is
on both sides: the hold-out score measures the model on bodies it has never seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from newstrace.errors import MalformedData
from newstrace.stance import text as tx
from newstrace.stance.csvio import LABELS, RELATED, StanceRow
from newstrace.stance.features import PairFeaturizer, Tfidf, terms
from newstrace.stance.model import Linear, StanceModel, featurize
from newstrace.stance.trees import export_hgb

DEFAULT_SEED = 2017
DEFAULT_HOLDOUT = 0.2

#: Boosting settings: found on the body-ID hold-out; small enough to ship in ~1 MB.
STAGE1 = {"max_iter": 200, "learning_rate": 0.1, "max_leaf_nodes": 31, "l2_regularization": 1.0}
STAGE2 = {"max_iter": 300, "learning_rate": 0.06, "max_leaf_nodes": 31, "l2_regularization": 1.0}
LINEAR_C = 2.0


def split_bodies(
    body_ids: Sequence[str], fraction: float = DEFAULT_HOLDOUT, seed: int = DEFAULT_SEED
) -> tuple[set[str], set[str]]:
    """(training IDs, held-out IDs): ``fraction`` of the bodies, drawn with ``seed``."""
    if not 0.0 < fraction < 1.0:
        raise ValueError("hold-out fraction must be between 0 and 1")
    ids = sorted(set(body_ids), key=lambda b: (len(b), b))
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(ids))
    n_out = max(1, round(fraction * len(ids)))
    held = {ids[i] for i in order[:n_out]}
    return set(ids) - held, held


def train(
    bodies: dict[str, str],
    rows: Sequence[StanceRow],
    *,
    seed: int = DEFAULT_SEED,
    log: Callable[[str], None] = lambda _msg: None,
    info: dict[str, Any] | None = None,
) -> StanceModel:
    """Fit both stages on ``rows`` (every row must carry a Stance)."""
    _check_trainable(rows)
    t0 = time.perf_counter()
    used = sorted({r.body_id for r in rows})
    docs = [terms(bodies[b]) for b in used] + [terms(h) for h in sorted({r.headline for r in rows})]
    tfidf = Tfidf.fit(docs)
    avg_len = float(np.mean([len(tx.content_stems(bodies[b])) for b in used]))
    featurizer = PairFeaturizer(tfidf, avg_len)
    pairs = [(r.headline, r.body_id) for r in rows]
    dense, sparse_x = featurize(featurizer, pairs, bodies)
    log(f"features: {dense.shape[0]} pairs × {dense.shape[1]} dense, "
        f"{sparse_x.shape[1]} sparse ({time.perf_counter() - t0:.0f}s)")

    labels = np.array([r.stance for r in rows])
    groups = np.array([r.body_id for r in rows])
    related = np.isin(labels, RELATED)

    # Stage 1: related vs unrelated, on every pair.
    stage1 = HistGradientBoostingClassifier(random_state=seed, **STAGE1)
    stage1.fit(dense, related.astype(int))
    log(f"stage 1 fitted ({time.perf_counter() - t0:.0f}s)")

    # Stage 2 on related pairs: a linear model over sparse TF-IDF, stacked out of fold
    # (grouped by body, so its probabilities are as honest in training as at run time).
    y2 = np.array([RELATED.index(s) for s in labels[related]])
    X2s = sparse_x[related]
    g2 = groups[related]
    oof = np.zeros((len(y2), len(RELATED)))
    folds = GroupKFold(n_splits=min(5, len(set(g2))))
    for fit_idx, out_idx in folds.split(X2s, y2, g2):
        lr = _linear(seed).fit(X2s[fit_idx], y2[fit_idx])
        oof[out_idx] = lr.predict_proba(X2s[out_idx])
    lr = _linear(seed).fit(X2s, y2)
    linear = Linear(lr.coef_.T.copy(), lr.intercept_.copy())
    log(f"linear stage fitted ({time.perf_counter() - t0:.0f}s)")

    stage2 = HistGradientBoostingClassifier(random_state=seed, **STAGE2)
    stage2.fit(np.hstack([dense[related], oof]), y2)
    log(f"stage 2 fitted ({time.perf_counter() - t0:.0f}s)")

    meta = {
        "trained_pairs": len(rows),
        "trained_bodies": len(used),
        "seed": seed,
        "stage1": STAGE1,
        "stage2": STAGE2,
        "linear_C": LINEAR_C,
        **(info or {}),
    }
    return StanceModel(featurizer, linear, export_hgb(stage1), export_hgb(stage2), meta)


def _check_trainable(rows: Sequence[StanceRow]) -> None:
    # Both stages need every label, and out-of-fold stacking needs a few related bodies.
    found = {r.stance for r in rows}
    missing = [label for label in LABELS if label not in found]
    if missing:
        raise MalformedData(f"training data has no pair labelled {', '.join(missing)}")
    related_bodies = {r.body_id for r in rows if r.stance in RELATED}
    if len(related_bodies) < 2:
        raise MalformedData("training data needs related pairs from at least two bodies")


def _linear(seed: int) -> LogisticRegression:
    return LogisticRegression(C=LINEAR_C, max_iter=400, random_state=seed)
