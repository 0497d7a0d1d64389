"""Gradient-boosted trees as plain arrays, so a trained model outlives the library version.

scikit-learn's pickles only load in the version that wrote them. Training uses
``HistGradientBoostingClassifier``; :func:`export_hgb` copies its fitted trees into flat
numpy arrays (saved in an ``.npz``), and :class:`Forest` evaluates them with numpy alone:
every tree is walked for every row at once, one level per step.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Forest:
    """The additive tree ensemble of a fitted binary or multiclass boosting classifier."""

    FIELDS = ("feature", "threshold", "left", "right", "leaf", "value", "missing_left")

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.feature = arrays["feature"].astype(np.int64)
        self.threshold = arrays["threshold"].astype(np.float64)
        self.left = arrays["left"].astype(np.int64)
        self.right = arrays["right"].astype(np.int64)
        self.leaf = arrays["leaf"].astype(bool)
        self.value = arrays["value"].astype(np.float64)
        self.missing_left = arrays["missing_left"].astype(bool)
        self.roots = arrays["roots"].astype(np.int64)
        self.tree_out = arrays["tree_out"].astype(np.int64)
        self.baseline = arrays["baseline"].astype(np.float64)
        self.n_features = int(arrays["n_features"])

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        names = (*self.FIELDS, "roots", "tree_out", "baseline")
        out = {f"{prefix}{name}": getattr(self, name) for name in names}
        out[f"{prefix}n_features"] = np.array(self.n_features)
        return out

    @classmethod
    def from_arrays(cls, arrays: Any, prefix: str) -> Forest:
        names = (*cls.FIELDS, "roots", "tree_out", "baseline", "n_features")
        return cls({name: np.asarray(arrays[f"{prefix}{name}"]) for name in names})

    def raw(self, X: np.ndarray) -> np.ndarray:
        """Raw scores (n_rows × n_outputs): baseline plus the leaf values of every tree."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} features, got shape {X.shape}")
        node = np.broadcast_to(self.roots, (X.shape[0], len(self.roots))).copy()
        rows = np.arange(X.shape[0])[:, None]
        while True:
            active = ~self.leaf[node]
            if not active.any():
                break
            x = X[rows, self.feature[node]]
            go_left = np.where(
                np.isnan(x), self.missing_left[node], x <= self.threshold[node]
            )
            nxt = np.where(go_left, self.left[node], self.right[node])
            node = np.where(active, nxt, node)
        leaf_values = self.value[node]  # rows × trees
        n_out = len(self.baseline)
        out = np.tile(self.baseline, (X.shape[0], 1))
        for k in range(n_out):
            out[:, k] += leaf_values[:, self.tree_out == k].sum(axis=1)
        return out

    def proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities: sigmoid for one output (columns [neg, pos]), else softmax."""
        raw = self.raw(X)
        if raw.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-raw[:, 0]))
            return np.column_stack([1.0 - p, p])
        raw = raw - raw.max(axis=1, keepdims=True)
        e = np.exp(raw)
        return e / e.sum(axis=1, keepdims=True)


def export_hgb(model: Any) -> Forest:
    """Copy a fitted ``HistGradientBoostingClassifier`` (numeric features only) into arrays."""
    fields: dict[str, list[np.ndarray]] = {name: [] for name in Forest.FIELDS}
    roots: list[int] = []
    tree_out: list[int] = []
    offset = 0
    for iteration in model._predictors:
        for k, predictor in enumerate(iteration):
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported by the exporter")
            roots.append(offset)
            tree_out.append(k)
            fields["feature"].append(nodes["feature_idx"])
            fields["threshold"].append(nodes["num_threshold"])
            fields["left"].append(nodes["left"].astype(np.int64) + offset)
            fields["right"].append(nodes["right"].astype(np.int64) + offset)
            fields["leaf"].append(nodes["is_leaf"].astype(bool))
            fields["value"].append(nodes["value"])
            fields["missing_left"].append(nodes["missing_go_to_left"].astype(bool))
            offset += len(nodes)
    arrays = {name: np.concatenate(parts) for name, parts in fields.items()}
    arrays["roots"] = np.array(roots)
    arrays["tree_out"] = np.array(tree_out)
    arrays["baseline"] = np.asarray(model._baseline_prediction, dtype=np.float64).ravel()
    arrays["n_features"] = np.array(model.n_features_in_)
    return Forest(arrays)
