"""Train the cue model (src/newstrace/analyze/cue_model.py) on PolNeAR's training part.

    .venv/bin/python scripts/train_cue_model.py [--data ../shared/data] \
        [-o src/newstrace/resources/attribution/cue-model.npz]

Every verb of every training article (parsed as the pipeline parses it) is an example;
it is positive when it heads a gold cue span (the token of the span whose head lies
outside it). The last 15 % of the articles (sorted by name) choose the regularisation (best
F1 of "this verb heads a cue" on them); the model written is then fitted on all of them.
The threshold written is ``--threshold`` (see its help).
PolNeAR's dev compartment is never read here: bench/attribution.py reports on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from attribution import article_from_text, pick_annotations, read_gold  # noqa: E402
from newstrace.analyze import cue_model  # noqa: E402
from newstrace.analyze import nlp as nlp_annotator  # noqa: E402
from newstrace.config import Settings  # noqa: E402

DEFAULT_OUT = ROOT / "src" / "newstrace" / "resources" / "attribution" / "cue-model.npz"


def cue_heads(doc, quotes) -> set[int]:
    heads: set[int] = set()
    for q in quotes:
        span = doc.char_span(q.cue[0], q.cue[1], alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            if t.head.i == t.i or not span.start <= t.head.i < span.end:
                heads.add(t.i)
    return heads


def examples(split_dir: Path) -> list[tuple[list[list[int]], list[int]]]:
    """Per article: the hashed feature indices and the label of every candidate verb."""
    annotator = nlp_annotator.build(Settings())
    out = []
    for name, ann in sorted(pick_annotations(split_dir / "attributions").items()):
        path = split_dir / "text" / f"{name}.txt"
        if not path.is_file():
            continue
        article = annotator(article_from_text(path.read_text(encoding="utf-8")))
        doc = article.cache["doc"]
        heads = cue_heads(doc, read_gold(ann))
        tokens = [t for t in doc if cue_model.is_candidate(t)]
        feats = [sorted({cue_model.feature_index(f) for f in cue_model.token_features(t)})
                 for t in tokens]
        out.append((feats, [int(t.i in heads) for t in tokens]))
    return out


def matrix(rows: list[list[int]]) -> csr_matrix:
    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(indptr[-1]))
    return csr_matrix((np.ones(len(indices)), indices, indptr),
                      shape=(len(rows), cue_model.N_FEATURES))


def flatten(articles) -> tuple[csr_matrix, np.ndarray]:
    rows = [r for feats, _ in articles for r in feats]
    labels = np.array([y for _, ys in articles for y in ys])
    return matrix(rows), labels


def fit(x: csr_matrix, y: np.ndarray, c: float) -> LogisticRegression:
    # The features carry their own bias column ("bias"), so no separate intercept.
    return LogisticRegression(C=c, solver="liblinear", max_iter=3000,
                              fit_intercept=False).fit(x, y)


def best_threshold(p: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    best = (0.5, 0.0, 0.0, 0.0)
    for th in np.arange(0.3, 0.91, 0.05):
        pred = p >= th
        tp = float((pred & (y == 1)).sum())
        prec, rec = tp / max(1, pred.sum()), tp / max(1, y.sum())
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        if f1 > best[3]:
            best = (round(float(th), 2), prec, rec, f1)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--threshold", type=float, default=0.7,
        help="decision threshold written (default 0.7: on the held-out training articles "
             "the lowest whose pipeline source precision stays within half a point of the "
             "rules' alone; resources/attribution/NOTE.md)")
    args = parser.parse_args()
    train_dir = args.data / "polnear" / "train"
    if not train_dir.is_dir():
        print(f"PolNeAR training data not found at {train_dir}", file=sys.stderr)
        return 2
    articles = examples(train_dir)
    cut = int(len(articles) * 0.85)
    x_fit, y_fit = flatten(articles[:cut])
    x_val, y_val = flatten(articles[cut:])
    choice = None
    for c in (0.1, 0.3, 1.0):
        th, prec, rec, f1 = best_threshold(fit(x_fit, y_fit, c).predict_proba(x_val)[:, 1],
                                           y_val)
        print(f"C={c}: threshold {th} precision {prec:.3f} recall {rec:.3f} F1 {f1:.3f}")
        if choice is None or f1 > choice[4]:
            choice = (c, th, prec, rec, f1)
    c, th, prec, rec, f1 = choice
    if args.threshold is not None:
        th = args.threshold
    x_all, y_all = flatten(articles)
    model = fit(x_all, y_all, c)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    cue_model.save_model(args.out, model.coef_[0], 0.0, th, {
        "data": "PolNeAR train (networkdynamics/PolNeAR @ c3eee833), one annotator per "
                "article (the smallest id)",
        "articles": len(articles), "examples": len(y_all), "positives": int(y_all.sum()),
        "C": c, "validation": {"articles": len(articles) - cut, "precision": round(prec, 3),
                               "recall": round(rec, 3), "f1": round(f1, 3)},
        "trained": dt.date.today().isoformat(),
    })
    print(f"wrote {args.out} (C={c}, threshold {th})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
