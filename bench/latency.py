"""Latency of the article-level analysis against one spaCy parse of the same text.

    .venv/bin/python bench/latency.py [--runs 15] [PATH]

Warm timings (models loaded, one untimed run first), median of ``--runs``:

- ``spaCy parse``: ``nlp(article.text)`` with the same pipeline newstrace loads: the
  bound the design aims at (the parse is the expensive part, done once per article);
- ``spaCy parse, content only``: the same over the text newstrace actually parses
  (headline, dek, body, notes and captions; furniture blanked to spaces);
- ``nlp → claims``: newstrace's annotators for sentences, entities, attributions and
  claims (one shared parse inside);
- ``full analysis``: read + structure + every annotator of the default Analyzer + the
  report, i.e. ``newstrace.analyze(path, analyzer=...)``. When some default annotator
  is not importable yet, the row says so and is left out.

Goal: full analysis ≤ 1.5 × the spaCy parse.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import newstrace  # noqa: E402
from newstrace.analyze.nlp import load_model  # noqa: E402
from newstrace.config import Settings  # noqa: E402


def timed(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path,
                    default=ROOT / "examples" / "germany-russia-coalition.md")
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    settings = Settings()
    article = newstrace.load(args.path, settings=settings)
    nlp = load_model(settings.spacy_model)
    text = article.text

    rows: list[tuple[str, float]] = []
    parse = timed(lambda: nlp(text), args.runs)
    rows.append(("spaCy parse (bound)", parse))
    # The same parse over the content blocks only (furniture blanked), which is what
    # newstrace parses: the stricter bound for the analysis overhead.
    from newstrace.analyze.nlp import analysed_ranges, masked_text

    content_only = masked_text(text, analysed_ranges(article))
    rows.append(("spaCy parse, content only", timed(lambda: nlp(content_only), args.runs)))

    from newstrace.analyze import attribution, claims, entities
    from newstrace.analyze import nlp as nlp_annotator

    mine = [m.build(settings) for m in (nlp_annotator, entities, attribution, claims)]

    def run_mine() -> None:
        art = newstrace.load(args.path, settings=settings)
        for annotator in mine:
            art = annotator(art)

    rows.append(("load + nlp → claims", timed(run_mine, args.runs)))

    note = ""
    try:
        analyzer = newstrace.Analyzer.default(settings)
    except ImportError as exc:
        note = f"full analysis skipped: default annotator not importable ({exc})"
    else:
        rows.append((
            "full analysis + report",
            timed(lambda: newstrace.analyze(args.path, analyzer=analyzer), args.runs),
        ))

    print(f"{args.path.name}: {len(text)} characters, {len(nlp.make_doc(text))} tokens; "
          f"median of {args.runs} warm runs")
    content_parse = rows[1][1]
    print(f"{'step':28} {'ms':>8} {'× parse':>8} {'× content parse':>16}")
    for name, secs in rows:
        print(f"{name:28} {1000 * secs:8.1f} {secs / parse:8.2f} "
              f"{secs / content_parse:16.2f}")
    if note:
        print(note)
    else:
        # Where the time goes inside the analyzer (one more warm run, medians).
        per: dict[str, list[float]] = {}
        for _ in range(args.runs):
            art = analyzer(newstrace.load(args.path, settings=settings))
            for name, secs in art.cache.get("timings", {}).items():
                per.setdefault(name, []).append(secs)
        print("per annotator (median ms): " + ", ".join(
            f"{name} {1000 * statistics.median(v):.1f}" for name, v in per.items()))


if __name__ == "__main__":
    main()
