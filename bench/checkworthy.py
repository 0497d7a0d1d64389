"""Check-worthiness of sentences: ClaimBuster (F1 of the check-worthy class) and CLEF
CheckThat! 2019 task 1 (MAP over debates, the task's official measure).

    .venv/bin/python bench/checkworthy.py [--tune] [--data DIR]

newstrace scores each sentence with :func:`newstrace.analyze.claims.checkworthiness`
(rules, no training) and calls it check-worthy from ``CHECKWORTHY_THRESHOLD``. The
threshold was set on the training parts (``--tune`` prints F1 for several thresholds on
ClaimBuster train); the figures reported are on ClaimBuster ``test.json`` and CheckThat
``test_annotated``.

Peers measured in the same run:

- a word n-gram logistic regression trained on the training part (the kind of "simple
  ngram baseline" CheckThat ships; a supervised peer, so a ratio below 1 is expected);
- a seeded random scorer (the chance level).

MAP as CheckThat defines it: for each debate, rank its sentences by score and take the
average precision (mean of precision@k over the ranks k of the check-worthy
sentences); MAP is the mean over debates.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newstrace.analyze.claims import CHECKWORTHY_THRESHOLD, checkworthiness  # noqa: E402
from newstrace.analyze.nlp import load_model  # noqa: E402
from newstrace.config import Settings  # noqa: E402


def read_claimbuster(path: Path) -> tuple[list[str], list[int]]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [r["text"] for r in rows], [int(r["label"]) for r in rows]


def read_debates(folder: Path) -> dict[str, tuple[list[str], list[int]]]:
    out: dict[str, tuple[list[str], list[int]]] = {}
    for tsv in sorted(folder.glob("*.tsv")):
        texts, labels = [], []
        with tsv.open(encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) >= 4:
                    texts.append(row[2])
                    labels.append(int(row[3]))
        out[tsv.stem] = (texts, labels)
    return out


def newstrace_scores(nlp, texts: list[str]) -> list[float]:
    return [checkworthiness(doc[:]) for doc in nlp.pipe(texts, batch_size=256)]


def f1(labels: list[int], predicted: list[int]) -> tuple[float, float, float]:
    tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y and not p)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def average_precision(labels: list[int], scores: list[float]) -> float:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, i in enumerate(order, start=1):
        if labels[i]:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def ngram_peer(train_texts: list[str], train_labels: list[int]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        LogisticRegression(max_iter=1000, class_weight="balanced"),
    )
    model.fit(train_texts, train_labels)
    return model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--tune", action="store_true", help="F1 by threshold on train parts")
    args = ap.parse_args()
    cb, ct = args.data / "claimbuster", args.data / "checkthat2019-task1"
    if not cb.is_dir() or not ct.is_dir():
        sys.exit(f"data not found under {args.data}")
    nlp = load_model(Settings().spacy_model)
    rng = random.Random(13)

    train_x, train_y = read_claimbuster(cb / "train.json")
    test_x, test_y = read_claimbuster(cb / "test.json")
    if args.tune:
        scores = newstrace_scores(nlp, train_x)
        for thr in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0):
            p, r, f = f1(train_y, [int(s >= thr) for s in scores])
            print(f"ClaimBuster train threshold {thr}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
        aps = [average_precision(labels, newstrace_scores(nlp, texts))
               for texts, labels in read_debates(ct / "training").values()]
        print(f"CheckThat training debates MAP {sum(aps) / len(aps):.4f}")
        return
    t0 = time.perf_counter()
    ours = newstrace_scores(nlp, test_x)
    secs = time.perf_counter() - t0
    peer = ngram_peer(train_x, train_y)
    peer_pred = list(peer.predict(test_x))
    rand_pred = [int(rng.random() < 0.5) for _ in test_x]
    rows = []
    for name, pred in (
        ("newstrace rules", [int(s >= CHECKWORTHY_THRESHOLD) for s in ours]),
        ("n-gram LR (trained)", peer_pred),
        ("random", rand_pred),
    ):
        rows.append((name, *f1(test_y, pred)))
    print(f"ClaimBuster test.json: {len(test_x)} sentences ({sum(test_y)} check-worthy); "
          f"newstrace scored them in {secs:.1f}s")
    print(f"{'scorer':22} {'P':>6} {'R':>6} {'F1':>6} {'F1 ratio vs n-gram':>19}")
    base = rows[1][3]
    for name, p, r, f in rows:
        print(f"{name:22} {p:6.3f} {r:6.3f} {f:6.3f} {f / base if base else 0:19.2f}")

    train_debates = read_debates(ct / "training")
    test_debates = read_debates(ct / "test_annotated")
    peer = ngram_peer(
        [t for texts, _ in train_debates.values() for t in texts],
        [y for _, labels in train_debates.values() for y in labels],
    )
    maps = {"newstrace rules": [], "n-gram LR (trained)": [], "random": []}
    for texts, labels in test_debates.values():
        maps["newstrace rules"].append(average_precision(labels, newstrace_scores(nlp, texts)))
        maps["n-gram LR (trained)"].append(
            average_precision(labels, list(peer.predict_proba(texts)[:, 1]))
        )
        maps["random"].append(average_precision(labels, [rng.random() for _ in texts]))
    n_sent = sum(len(t) for t, _ in test_debates.values())
    print(f"\nCheckThat 2019 task 1 test: {len(test_debates)} debates, {n_sent} sentences")
    print(f"{'scorer':22} {'MAP':>6} {'ratio vs n-gram':>16}")
    base_map = sum(maps["n-gram LR (trained)"]) / len(test_debates)
    for name, values in maps.items():
        m = sum(values) / len(values)
        print(f"{name:22} {m:6.4f} {m / base_map if base_map else 0:16.2f}")
    print("(CheckThat 2019 best primary run, published: MAP .1660)")


if __name__ == "__main__":
    main()
