"""Stance benchmark on the FNC-1 body-ID hold-out: newstrace against the FNC-1 baseline.

Both systems are scored on the same held-out bodies (``split_bodies``: 20 %, seed 2017).
newstrace uses the shipped model (trained on the training part only). The baseline is
re-implemented here from the FNC-1 organisers' description of their baseline: word
overlap, refuting-word and polarity features, and n-gram "hits" of the headline in the
body, fed to scikit-learn's GradientBoostingClassifier (200 trees); it is trained in this
run on the same training part. Throughput is labelling pairs end to end (features +
model) on one core.

    .venv/bin/python bench/stance.py [--data ../shared/data/fnc1]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core, for both systems

import argparse  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from sklearn.ensemble import GradientBoostingClassifier  # noqa: E402

from newstrace.stance.csvio import LABELS, read_bodies, read_stances  # noqa: E402
from newstrace.stance.model import StanceModel  # noqa: E402
from newstrace.stance.score import Scores, fnc_score  # noqa: E402
from newstrace.stance.text import STOPWORDS, stem  # noqa: E402
from newstrace.stance.train import split_bodies  # noqa: E402

# --- the FNC-1 baseline, from its description ------------------------------------------

BASELINE_REFUTING = (
    "fake", "fraud", "hoax", "false", "deny", "denies", "not", "despite", "nope", "doubt",
    "doubts", "bogus", "debunk", "pranks", "retract",
)
_WORD = re.compile(r"\w+", re.UNICODE)


def _clean(text: str) -> str:
    return " ".join(_WORD.findall(text)).lower()


def _lemmas(text: str) -> list[str]:
    return [stem(t) for t in _clean(text).split()]


def _grams(seq: str | list[str], n: int) -> list:
    return [seq[i : i + n] for i in range(len(seq) - n + 1)]


def baseline_features(headline: str, body: str) -> list[float]:
    h_clean, b_clean = _clean(headline), _clean(body)
    h_lem, b_lem = _lemmas(headline), _lemmas(body)
    feats: list[float] = []
    # Word overlap: |H ∩ B| / |H ∪ B| of lemmas.
    union = set(h_lem) | set(b_lem)
    feats.append(len(set(h_lem) & set(b_lem)) / len(union) if union else 0.0)
    # Refuting words in the headline (one binary feature each).
    feats += [float(w in h_lem) for w in (stem(r) for r in BASELINE_REFUTING)]
    # Polarity: parity of refuting-word counts in headline and body.
    refute = {stem(r) for r in BASELINE_REFUTING}
    feats.append(float(sum(t in refute for t in h_lem) % 2))
    feats.append(float(sum(t in refute for t in b_lem) % 2))
    # Hits: headline tokens, character n-grams and word n-grams found in the body and
    # in its first 255 characters.
    lead = b_clean[:255]
    h_tokens = h_clean.split()
    feats.append(float(sum(t in b_clean for t in h_tokens)))
    feats.append(float(sum(t in lead for t in h_tokens)))
    content = [t for t in h_tokens if t not in STOPWORDS]
    feats.append(float(sum(t in b_clean for t in content)))
    feats.append(float(sum(t in lead for t in content)))
    h_joined = " ".join(content)
    for n in (2, 4, 8, 16):
        grams = _grams(h_joined, n)
        feats.append(float(sum(g in b_clean for g in grams)))
        feats.append(float(sum(g in lead for g in grams)))
    for n in (2, 3, 4, 5, 6):
        grams = [" ".join(g) for g in _grams(h_tokens, n)]
        feats.append(float(sum(g in b_clean for g in grams)))
        feats.append(float(sum(g in lead for g in grams)))
    return feats


def baseline_matrix(pairs: list[tuple[str, str]], bodies: dict[str, str]) -> np.ndarray:
    return np.array([baseline_features(h, bodies[b]) for h, b in pairs])


# --- run ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "data" / "fnc1"
    parser.add_argument("--data", type=Path, default=default)
    args = parser.parse_args()

    bodies = read_bodies(args.data / "train_bodies.csv")
    rows = read_stances(args.data / "train_stances.csv", bodies, require_stance=True).rows
    keep, held = split_bodies(list(bodies))
    train_rows = [r for r in rows if r.body_id in keep]
    test_rows = [r for r in rows if r.body_id in held]
    test_pairs = [(r.headline, r.body_id) for r in test_rows]
    gold = [r.stance or "" for r in test_rows]
    console = Console(width=150)  # the table is wide; keep it whole in logs
    console.print(
        f"FNC-1 body-ID hold-out: {len(held)} bodies, {len(test_rows)} pairs "
        f"(training part {len(keep)} bodies, {len(train_rows)} pairs)"
    )

    model = StanceModel.load()
    t0 = time.perf_counter()
    ours = [p.label for p in model.predict_pairs(test_pairs, bodies)]
    ours_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    x_train = baseline_matrix([(r.headline, r.body_id) for r in train_rows], bodies)
    gbdt = GradientBoostingClassifier(n_estimators=200, random_state=14128)
    gbdt.fit(x_train, [r.stance for r in train_rows])
    console.print(f"baseline trained in {time.perf_counter() - t0:.0f}s")
    t0 = time.perf_counter()
    base = list(gbdt.predict(baseline_matrix(test_pairs, bodies)))
    base_s = time.perf_counter() - t0

    results = [
        ("newstrace (shipped model)", fnc_score(gold, ours), len(gold) / ours_s),
        ("FNC-1 baseline (re-implemented)", fnc_score(gold, base), len(gold) / base_s),
    ]
    ref = results[1]
    table = Table(title="Stance on the FNC-1 body-ID hold-out (one core)")
    for col in ("system", "FNC-1 rel. %", "× baseline", "macro-F1",
                *(f"F1 {x}" for x in LABELS), "pairs/s", "× baseline"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for name, s, speed in results:
        table.add_row(
            name,
            f"{s.relative:.2f}",
            f"{s.relative / ref[1].relative:.3f}",
            f"{s.macro_f1:.2f}",
            *(f"{100 * s.f1[x]:.2f}" for x in LABELS),
            f"{speed:.0f}",
            f"{speed / ref[2]:.2f}",
        )
    console.print(table)
    _null(console, results[0][1])


def _null(console: Console, s: Scores) -> None:
    console.print(f"all-unrelated reference: {100 * s.fnc_null / s.fnc_max:.2f} % relative")


if __name__ == "__main__":
    main()
