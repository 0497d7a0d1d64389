"""The stance model: headline + body → agree / disagree / discuss / unrelated.

Two stages, as in the strongest CPU systems of FNC-1:

1. related or unrelated: gradient-boosted trees over the relatedness features;
2. agree, disagree or discuss (for related pairs): gradient-boosted trees over all dense
   features plus the class probabilities of a linear model over the sparse TF-IDF of the
   headline and its best-matching body sentences (stacked; trained out of fold).

The model is stored as one ``.npz`` of plain arrays (vocabulary, idf, linear weights, trees)
plus a JSON header, so it loads with numpy alone in any library version. Anything wrong
with the file is :class:`ResourceMissing` with the path and the reason.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from newstrace.errors import ResourceMissing
from newstrace.stance.csvio import LABELS, RELATED
from newstrace.stance.features import FEATURE_NAMES, Headline, PairFeaturizer, Tfidf
from newstrace.stance.trees import Forest

FORMAT = "newstrace-stance/1"
DEFAULT_MODEL = "fnc1-stance.npz"


@dataclass(slots=True)
class Linear:
    """Multinomial logistic regression weights (features × classes)."""

    coef: np.ndarray
    intercept: np.ndarray

    def proba(self, X: sparse.csr_matrix) -> np.ndarray:
        z = np.asarray(X @ self.coef) + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


@dataclass(slots=True)
class Prediction:
    label: str
    probability: float
    probabilities: dict[str, float]


@dataclass
class StanceModel:
    featurizer: PairFeaturizer
    linear: Linear
    related: Forest
    stance: Forest
    info: dict[str, Any] = field(default_factory=dict)

    # -- features ------------------------------------------------------------------------

    def features(
        self, pairs: Sequence[tuple[str, str]], bodies: dict[str, str]
    ) -> tuple[np.ndarray, sparse.csr_matrix]:
        """Dense and sparse inputs for ``(headline, body_id)`` pairs, in their order."""
        return featurize(self.featurizer, pairs, bodies)

    def stage2_input(self, dense: np.ndarray, sparse_x: sparse.csr_matrix) -> np.ndarray:
        return np.hstack([dense, self.linear.proba(sparse_x)])

    # -- prediction ----------------------------------------------------------------------

    def proba(self, dense: np.ndarray, sparse_x: sparse.csr_matrix) -> np.ndarray:
        """P(label) per pair, columns in :data:`LABELS` order."""
        p_rel = self.related.proba(dense)[:, 1]
        p3 = self.stance.proba(self.stage2_input(dense, sparse_x))
        out = np.zeros((len(dense), len(LABELS)))
        for k, label in enumerate(RELATED):
            out[:, LABELS.index(label)] = p_rel * p3[:, k]
        out[:, LABELS.index("unrelated")] = 1.0 - p_rel
        return out

    def predict_pairs(
        self, pairs: Sequence[tuple[str, str]], bodies: dict[str, str]
    ) -> list[Prediction]:
        if not pairs:
            return []
        dense, sparse_x = self.features(pairs, bodies)
        return [_prediction(row) for row in self.proba(dense, sparse_x)]

    def predict(self, headline: str, body: str) -> Prediction:
        """The stance of one body towards one headline."""
        return self.predict_pairs([(headline, "0")], {"0": body})[0]

    # -- storage -------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {
            "vocab": np.array(self.featurizer.tfidf.vocab, dtype=str),
            "idf": self.featurizer.tfidf.idf.astype(np.float32),
            "avg_body_len": np.array(self.featurizer.avg_body_len),
            "lin_coef": self.linear.coef.astype(np.float32),
            "lin_intercept": self.linear.intercept.astype(np.float64),
        }
        arrays.update(self.related.to_arrays("rel_"))
        arrays.update(self.stance.to_arrays("st_"))
        header = {
            "format": FORMAT,
            "labels": list(LABELS),
            "features": list(FEATURE_NAMES),
            **self.info,
        }
        arrays["header"] = np.array(json.dumps(header, sort_keys=True))
        with path.open("wb") as handle:
            np.savez_compressed(handle, **arrays)

    @classmethod
    def load(cls, path: Path | None = None) -> StanceModel:
        """Load ``path``, or the model shipped in ``newstrace/resources/stance``."""
        if path is None:
            ref = resources.files("newstrace.resources") / "stance" / DEFAULT_MODEL
            with resources.as_file(ref) as shipped:
                return cls._load(Path(shipped))
        return cls._load(Path(path))

    @classmethod
    def _load(cls, path: Path) -> StanceModel:
        if not path.is_file():
            raise ResourceMissing(
                f"stance model {path} not found; train one with `newstrace stance train` "
                "or reinstall newstrace (the package ships one)"
            )
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(str(data["header"]))
                if header.get("format") != FORMAT:
                    raise ValueError(f"format {header.get('format')!r}, expected {FORMAT!r}")
                if header.get("features") != list(FEATURE_NAMES):
                    raise ValueError("written by a newstrace with different stance features")
                tfidf = Tfidf(data["vocab"].tolist(), data["idf"])
                featurizer = PairFeaturizer(tfidf, float(data["avg_body_len"]))
                linear = Linear(data["lin_coef"].astype(np.float64), data["lin_intercept"])
                related = Forest.from_arrays(data, "rel_")
                stance = Forest.from_arrays(data, "st_")
        except (OSError, KeyError, ValueError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
            raise ResourceMissing(f"stance model {path} cannot be loaded: {exc}") from exc
        info = {k: v for k, v in header.items() if k not in ("format", "labels", "features")}
        return cls(featurizer, linear, related, stance, info)


def _prediction(row: np.ndarray) -> Prediction:
    k = int(np.argmax(row[: len(RELATED)])) if row[LABELS.index("unrelated")] < 0.5 else 3
    return Prediction(
        LABELS[k], float(row[k]), {label: float(p) for label, p in zip(LABELS, row, strict=True)}
    )


def featurize(
    featurizer: PairFeaturizer, pairs: Sequence[tuple[str, str]], bodies: dict[str, str]
) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Features of every pair, computed body by body (one sparse product per body)."""
    by_body: dict[str, list[int]] = {}
    for i, (_headline, body_id) in enumerate(pairs):
        by_body.setdefault(body_id, []).append(i)
    heads: dict[str, Headline] = {}
    dense = np.zeros((len(pairs), len(FEATURE_NAMES)))
    blocks: list[sparse.csr_matrix] = []
    order: list[int] = []
    for body_id, idx in by_body.items():
        body = featurizer.body(bodies[body_id])
        hs = []
        for i in idx:
            text = pairs[i][0]
            if text not in heads:
                heads[text] = featurizer.headline(text)
            hs.append(heads[text])
        d, s = featurizer.pairs(body, hs)
        dense[idx] = d
        blocks.append(s)
        order.extend(idx)
    # Rows were stacked body by body; put them back in pair order.
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[np.array(order)] = np.arange(len(order))
    return dense, sparse.vstack(blocks).tocsr()[inverse]
