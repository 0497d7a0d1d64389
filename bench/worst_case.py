"""Worst-case time per document: hostile documents through the whole analysis, before and
after the hardening work.

Each document is built deterministically (shapes the fuzzers and the regex bench found
costly: provenance cues repeated on one line, thousands of links in one paragraph, a
1 MB line, deep nesting, unbalanced quotes) and analysed by ``newstrace.analyze`` with
the default Analyzer in a fresh subprocess, so one slow document cannot skew the next and
a hang is cut at ``--limit`` seconds. ``--src`` puts another checkout's ``src`` first on
the path, which is how the "before" column is measured: a git worktree of the commit
before the hardening work, run with the same virtual environment.

    python bench/worst_case.py                       # this checkout
    git worktree add /tmp/before 6171229~1
    python bench/worst_case.py --src /tmp/before/src --label before

Prints one table row per document: bytes, wall and CPU seconds (CPU is what the document
costs when it has a core to itself), and the outcome (report, typed error code, or
"cut" when the limit was reached).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def documents() -> dict[str, tuple[str, str]]:
    """name → (format, text). Sizes stay under the default 20 MB limit and under spaCy's
    1,000,000-character parse limit, so each one reaches every annotator."""
    words = ["the", "council", "said", "on", "Monday", "that", "the", "budget", "would", "pass"]
    line = " ".join(words[i % len(words)] for i in range(160_000))[:990_000]
    cue = "Reprinted from Example Daily. Copyright 2019 Example Daily. via Example Wire "
    links = "".join(f'<a href="https://e{i}.example/p">link {i}</a> ' for i in range(8000))
    nested = "<div>" * 2000 + "<p>Deep text said the mayor.</p>" + "</div>" * 2000
    quotes = ("He said “it is " + "very " * 20 + "\n") * 3000
    return {
        "provenance cues, one 390 kB line": ("text", cue * 5000),
        "8,000 links in one paragraph (HTML)": (
            "html",
            f"<html><head><title>Links</title></head><body><article><h1>Links</h1><p>{links}"
            "</p></article></body></html>",
        ),
        "one 990 kB line of words": ("text", "Budget passes\n\n" + line),
        "2,000-level nested divs (HTML)": (
            "html", f"<html><head><title>Deep</title></head><body>{nested}</body></html>"
        ),
        "3,000 unclosed quotations": ("text", "Quotes\n\n" + quotes),
    }


CHILD = r"""
import json, resource, sys, time
fmt, path = sys.argv[1], sys.argv[2]
import newstrace
from newstrace.config import Settings
from newstrace.errors import NewstraceError
text = open(path, encoding="utf-8").read()
settings = Settings()
newstrace.analyze("Warm up\n\nThe mayor said the road will open.", format="text")
r0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
try:
    newstrace.analyze(text, format=fmt)
    outcome = "report"
except NewstraceError as exc:
    outcome = "typed error: " + exc.code
except Exception as exc:  # an unhandled exception is what the bench looks for
    outcome = "crash: " + type(exc).__name__
r1 = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall": time.perf_counter() - t0, "outcome": outcome,
                  "cpu": (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)}))
"""


def run_one(fmt: str, text: str, src: Path, limit: float, scratch: Path) -> dict:
    path = scratch / "doc.txt"
    path.write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(src), OMP_NUM_THREADS="1")
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, fmt, str(path)],
            capture_output=True, text=True, timeout=limit, env=env, check=False,
        )
    except subprocess.TimeoutExpired:
        return {"wall": None, "cpu": None, "outcome": f"cut at {limit:g} s"}
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"wall": None, "cpu": None, "outcome": f"process failed: {tail[:80]}"}
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src",
                        help="the src folder of the checkout to measure")
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--limit", type=float, default=300.0, help="seconds per document")
    parser.add_argument("--only", default=None, help="run documents whose name has this")
    args = parser.parse_args()
    scratch = ROOT / "tmp" / "worst-case"
    scratch.mkdir(parents=True, exist_ok=True)
    print(f"code: {args.label} ({args.src})")
    print("| document | bytes | wall s | CPU s | outcome |")
    print("|---|---:|---:|---:|---|")
    for name, (fmt, text) in documents().items():
        if args.only and args.only not in name:
            continue
        r = run_one(fmt, text, args.src, args.limit, scratch)
        wall = "–" if r["wall"] is None else f"{r['wall']:.2f}"
        cpu = "–" if r["cpu"] is None else f"{r['cpu']:.2f}"
        size = len(text.encode("utf-8"))
        print(f"| {name} | {size:,} | {wall} | {cpu} | {r['outcome']} |", flush=True)


if __name__ == "__main__":
    main()
