"""A learned cue detector: which verbs carry an attribution, beyond the lexicon's.

The rules of :mod:`newstrace.analyze.attribution` find statements at verbs of the
reporting-verb lexicon. Writers report people with many more verbs ("denies using",
"shot back", "is pushing for", "wants to"), and a lexicon is always a step behind. This
model scores every verb of a document as the head of an attribution cue; the attribution
annotator then treats a verb the model is sure of as a cue, with the same rules for its
source and content.

It is a logistic regression over hashed features of the verb and its dependents (lemma,
tag, dependency, the subject's kind, prepositions, nearby quotation marks), trained on the
PolNeAR training compartment by ``scripts/train_cue_model.py`` (data and licence in
``resources/attribution/NOTE.md``). Features are hashed with CRC-32, so the shipped
weights load with numpy alone, independent of the scikit-learn used to train them.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from newstrace.errors import ResourceMissing

#: Bumped whenever :func:`token_features` changes: a model trained on other features
#: would score nonsense, so loading one raises instead.
FEATURE_VERSION = 2
N_FEATURES = 2**18
_QUOTE_MARKS = frozenset('"“”‘’«»')
_MODEL_FILE = "cue-model.npz"


def is_candidate(tok: Any) -> bool:
    """Tokens the model scores: verbs (nouns and "according to" are the rules' part)."""
    return tok.pos_ in ("VERB", "AUX")


def token_features(tok: Any) -> list[str]:
    """The features of one candidate token, as strings to hash."""
    lemma = tok.lemma_.lower()
    out = ["bias", "l:" + lemma, "p:" + tok.tag_, "d:" + tok.dep_,
           "ld:" + lemma + ":" + tok.dep_, "h:" + tok.head.lemma_.lower(),
           "hd:" + tok.head.pos_ + ":" + tok.dep_]
    deps: set[str] = set()
    for child in tok.children:
        deps.add(child.dep_)
        out += ["c:" + child.dep_, "lc:" + lemma + ":" + child.dep_]
        if child.dep_ in ("nsubj", "nsubjpass"):
            out += ["subj_ent:" + (child.ent_type_ or "none"), "subj_pos:" + child.pos_,
                    "subj_l:" + (child.lower_ if child.pos_ == "PRON" else "X")]
        elif child.dep_ == "prep":
            out += ["prep:" + child.lower_, "lprep:" + lemma + ":" + child.lower_]
        elif child.dep_ in ("dobj", "dative"):
            out.append("obj_ent:" + (child.ent_type_ or child.pos_))
        elif child.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that"
                                           for m in child.children):
            out += ["that_clause", "l_that:" + lemma]
    out += ["l_" + dep + ":" + lemma for dep in ("ccomp", "xcomp", "dobj") if dep in deps]
    doc = tok.doc
    if tok.i > 0:
        out.append("prev:" + doc[tok.i - 1].lower_)
    if tok.i + 1 < len(doc):
        out.append("next:" + doc[tok.i + 1].lower_)
    if any(t.text in _QUOTE_MARKS for t in doc[max(0, tok.i - 4) : tok.i + 4]):
        out.append("qnear")
    if any(t.text in _QUOTE_MARKS for t in doc[tok.sent.start : tok.i]):
        out.append("qbefore")
    return out


def feature_index(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % N_FEATURES


@dataclass(frozen=True)
class CueModel:
    """Weights of the hashed features, the bias and the decision threshold."""

    weights: np.ndarray
    bias: float
    threshold: float
    header: dict[str, Any]

    def probabilities(self, tokens: list[Any]) -> np.ndarray:
        """P(cue head) for each token."""
        scores = np.fromiter(
            (self.bias + float(self.weights[[feature_index(f) for f in token_features(t)]].sum())
             for t in tokens),
            dtype=np.float64, count=len(tokens),
        )
        return 1.0 / (1.0 + np.exp(-scores))

    def cues(self, doc: Any) -> frozenset[int]:
        """Indices of the verbs of ``doc`` the model takes for cue heads."""
        tokens = [t for t in doc if is_candidate(t)]
        if not tokens:
            return frozenset()
        probs = self.probabilities(tokens)
        return frozenset(t.i for t, p in zip(tokens, probs, strict=True)
                         if p >= self.threshold)


def save_model(path: Path, weights: np.ndarray, bias: float, threshold: float,
               header: dict[str, Any]) -> None:
    header = {**header, "feature_version": FEATURE_VERSION, "n_features": N_FEATURES}
    np.savez_compressed(path, weights=weights.astype(np.float32), bias=np.float64(bias),
                        threshold=np.float64(threshold), header=np.array(json.dumps(header)))


def load_model(path: Path | None = None) -> CueModel:
    """The shipped model, or the one at ``path``."""
    source = path or resources.files("newstrace.resources") / "attribution" / _MODEL_FILE
    try:
        with source.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            model = CueModel(data["weights"].astype(np.float64), float(data["bias"]),
                             float(data["threshold"]), header)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ResourceMissing(f"cue model {source} could not be read: {exc}") from exc
    if header.get("feature_version") != FEATURE_VERSION or \
            model.weights.shape != (N_FEATURES,):
        raise ResourceMissing(f"cue model {source} was trained on other features "
                              f"(version {header.get('feature_version')}, "
                              f"want {FEATURE_VERSION})")
    return model
