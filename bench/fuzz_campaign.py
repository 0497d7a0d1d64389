"""The long fuzzing campaign (``make fuzz``): hostile inputs until a time or input budget
is spent; prints a table of inputs tried and unhandled exceptions.

Two engines, both feeding every input to the readers and the structure layer
(``newstrace.load``) and every ``--analyze-every``-th input further through the default
Analyzer (every annotator), the report builder, the span/block invariants and the three
renderers (JSON, HTML, terminal text):

- ``atheris`` (default when installed): coverage-guided. libFuzzer mutates bytes, seeded
  with the hostile inputs of tests/fuzz/fuzzgen.py; newstrace's own modules are
  instrumented, so inputs that reach new branches of the readers are kept and mutated.
- ``random``: a plain loop over ``fuzzgen.generate`` (structural monsters, mutated seeds,
  invalid encodings) with a fixed seed, for machines where atheris does not install.

An input passes when it gives a report (or an Article) or raises a NewstraceError; any
other exception is a crash, recorded once per (type, file, line) with its input under
``--crash-dir`` so it can be minimised into tests/fuzz/test_regressions.py.

    python bench/fuzz_campaign.py --seconds 600
    python bench/fuzz_campaign.py --engine random --inputs 100000 --analyze-every 50
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))

import fuzzgen  # noqa: E402  (the shared generator lives with the tests)


class Campaign:
    """Counters, crash records and the per-input work shared by both engines."""

    def __init__(self, crash_dir: Path, analyze_every: int, max_bytes: int) -> None:
        from newstrace.config import Settings

        self.settings = Settings(max_bytes=max_bytes)
        self.crash_dir = crash_dir
        self.analyze_every = analyze_every
        self.inputs = 0
        self.analysed = 0
        self.typed_errors = 0
        self.crashes: dict[str, dict[str, Any]] = {}
        self.crash_count = 0
        self.slowest: tuple[float, int, str] = (0.0, 0, "")
        self.started = time.perf_counter()
        self._analyzer: Any = None

    @property
    def analyzer(self) -> Any:
        if self._analyzer is None:  # spaCy loads once, on the first analysed input
            from newstrace import Analyzer

            self._analyzer = Analyzer.default(self.settings)
        return self._analyzer

    def one(self, source: str | bytes, fmt: str | None) -> None:
        import newstrace
        from newstrace.errors import NewstraceError

        self.inputs += 1
        full = self.analyze_every > 0 and self.inputs % self.analyze_every == 0
        t0 = time.perf_counter()
        self.analysed += full
        try:
            if full:
                self._full(source, fmt)
            else:
                newstrace.load(source, format=fmt, settings=self.settings)
        except NewstraceError:
            self.typed_errors += 1
        except Exception as exc:  # a crash: what the campaign is looking for
            self._record(exc, source, fmt, "analyze" if full else "load")
        took = time.perf_counter() - t0
        if took > self.slowest[0]:
            self.slowest = (took, len(source), "analyze" if full else "load")

    def _full(self, source: str | bytes, fmt: str | None) -> None:
        import newstrace
        from newstrace.render.html import render_html
        from newstrace.render.json import render_json
        from newstrace.render.text import render_text

        report = newstrace.analyze(source, format=fmt, settings=self.settings,
                                   analyzer=self.analyzer).to_dict()
        fuzzgen.check_report(report)
        json.loads(render_json(report))
        fuzzgen.check_html_escaped(render_html(report), report)
        render_text(report)

    def _record(self, exc: BaseException, source: str | bytes, fmt: str | None,
                stage: str) -> None:
        self.crash_count += 1
        frames = traceback.extract_tb(exc.__traceback__)
        # The deepest frame inside newstrace names the crash (the bug is ours to handle
        # even when a library raised it); the library's frame is kept in the record.
        ours = [f for f in frames if "/newstrace/" in f.filename] or frames
        where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
        key = f"{type(exc).__name__} at {where} ({stage})"
        if key in self.crashes:
            self.crashes[key]["count"] += 1
            return
        self.crash_dir.mkdir(parents=True, exist_ok=True)
        name = f"crash-{len(self.crashes):03d}"
        data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
        (self.crash_dir / f"{name}.bin").write_bytes(data)
        (self.crash_dir / f"{name}.txt").write_text(
            f"format: {fmt}\nstage: {stage}\n\n" + "".join(traceback.format_exception(exc)),
            encoding="utf-8")
        self.crashes[key] = {"count": 1, "file": name, "message": str(exc)[:200]}
        print(f"CRASH {key}: {str(exc)[:160]} -> {self.crash_dir / name}.bin",
              file=sys.stderr, flush=True)

    def summary(self, engine: str) -> dict[str, Any]:
        seconds = time.perf_counter() - self.started
        return {
            "engine": engine, "inputs": self.inputs, "analysed": self.analysed,
            "typed_errors": self.typed_errors, "unhandled": self.crash_count,
            "distinct_crashes": len(self.crashes), "seconds": round(seconds, 1),
            "inputs_per_s": round(self.inputs / seconds, 1) if seconds else 0.0,
            "slowest_s": round(self.slowest[0], 3), "slowest_bytes": self.slowest[1],
            "slowest_stage": self.slowest[2], "crashes": self.crashes,
        }

    def save(self, engine: str, path: Path | None) -> None:
        if path is not None:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.summary(engine), indent=1), encoding="utf-8")
            os.replace(tmp, path)


def print_table(summary: dict[str, Any]) -> None:
    rows = [
        ("engine", summary["engine"]),
        ("inputs tried", f"{summary['inputs']:,}"),
        ("  of which full analysis + renderers", f"{summary['analysed']:,}"),
        ("typed NewstraceError (allowed)", f"{summary['typed_errors']:,}"),
        ("unhandled exceptions", f"{summary['unhandled']:,}"),
        ("distinct crash sites", str(summary["distinct_crashes"])),
        ("wall seconds", str(summary["seconds"])),
        ("inputs / s", str(summary["inputs_per_s"])),
        ("slowest input", f"{summary['slowest_s']} s ({summary['slowest_bytes']:,} bytes, "
                          f"{summary['slowest_stage']})"),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"| {'measure':<{width}} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for key, value in rows:
        print(f"| {key:<{width}} | {value} |")
    for key, crash in summary["crashes"].items():
        print(f"crash ×{crash['count']}: {key}: {crash['message']} ({crash['file']})")


# --- engines -----------------------------------------------------------------------------


def run_random(campaign: Campaign, seconds: float, inputs: int, seed: int,
               stats: Path | None) -> None:
    deadline = time.perf_counter() + seconds if seconds else float("inf")
    case = 0
    while (not inputs or campaign.inputs < inputs) and time.perf_counter() < deadline:
        rng = random.Random(f"{seed}:{case}")
        source, fmt = fuzzgen.generate(rng, max_size=campaign.settings.max_bytes)
        campaign.one(source, fmt)
        case += 1
        if case % 500 == 0:
            campaign.save("random", stats)


FORMATS = (None, "html", "markdown", "text")


def _decode_input(data: bytes) -> tuple[str | bytes, str | None]:
    """libFuzzer bytes → (source, format): the first byte picks the format and whether
    the rest travels as bytes (the decoder's path) or as a str (surrogates allowed)."""
    if not data:
        return b"", None
    head, body = data[0], data[1:]
    fmt = FORMATS[head % 4]
    if head & 4:
        return body.decode("utf-8", "surrogateescape"), fmt
    return body, fmt


def write_seed_corpus(folder: Path, n: int, seed: int) -> None:
    """fuzzgen's hostile inputs as libFuzzer seeds (small ones: libFuzzer's max_len)."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in range(n):
        rng = random.Random(f"seed-corpus:{seed}:{case}")
        source, fmt = fuzzgen.generate(rng, max_size=20_000)
        body = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
        head = FORMATS.index(fmt) | (0 if isinstance(source, bytes) else 4)
        (folder / f"seed-{case:04d}").write_bytes(bytes([head]) + body[:60_000])


def run_atheris(campaign: Campaign, seconds: float, inputs: int, seed: int,
                stats: Path | None, corpus_dir: Path) -> None:
    import atheris

    # The readers and the structure layer are imported (lazily) only here, so they are
    # the instrumented code that guides the mutations; the annotators are exercised on
    # the sampled inputs without coverage feedback.
    with atheris.instrument_imports(include=["newstrace"]):
        import newstrace.read.html
        import newstrace.read.markdown
        import newstrace.read.text
        import newstrace.structure  # noqa: F401

    write_seed_corpus(corpus_dir, 400, seed)

    def one_input(data: bytes) -> None:
        source, fmt = _decode_input(data)
        campaign.one(source, fmt)
        if campaign.inputs % 100 == 0 or campaign.inputs == inputs:
            campaign.save("atheris", stats)

    args = [sys.argv[0], str(corpus_dir), f"-seed={seed}", "-max_len=65536",
            "-rss_limit_mb=4096", "-print_final_stats=1"]
    if seconds:
        args.append(f"-max_total_time={int(seconds)}")
    if inputs:
        args.append(f"-runs={inputs}")
    atheris.Setup(args, one_input)
    atheris.Fuzz()  # libFuzzer exits the process itself; stats are saved as it goes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=0.0, help="time budget (0: none)")
    parser.add_argument("--inputs", type=int, default=0, help="input budget (0: none)")
    parser.add_argument("--engine", default="auto",
                        choices=("auto", "atheris", "random", "atheris-child"))
    parser.add_argument("--analyze-every", type=int, default=50,
                        help="run the full Analyzer + renderers on every Nth input (0: never)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-bytes", type=int, default=2_000_000,
                        help="Settings.max_bytes for the run (bigger inputs: InputTooLarge)")
    parser.add_argument("--crash-dir", type=Path, default=ROOT / "tmp" / "fuzz" / "crashes")
    parser.add_argument("--corpus-dir", type=Path, default=ROOT / "tmp" / "fuzz" / "corpus")
    parser.add_argument("--stats", type=Path, default=ROOT / "tmp" / "fuzz" / "stats.json",
                        help="summary JSON, rewritten as the campaign goes")
    args = parser.parse_args()
    if not (args.seconds or args.inputs):
        args.seconds = 60.0
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "random"
    args.stats.parent.mkdir(parents=True, exist_ok=True)
    campaign = Campaign(args.crash_dir, args.analyze_every, args.max_bytes)
    if engine == "atheris-child":
        run_atheris(campaign, args.seconds, args.inputs, args.seed, args.stats,
                    args.corpus_dir)
        return
    if engine == "atheris":
        # libFuzzer ends the process itself (no Python shutdown), so it runs in a child
        # that keeps the stats file current; this process prints the table from it.
        import subprocess

        child = [sys.executable, __file__, "--engine", "atheris-child",
                 "--seconds", str(args.seconds), "--inputs", str(args.inputs),
                 "--analyze-every", str(args.analyze_every), "--seed", str(args.seed),
                 "--max-bytes", str(args.max_bytes), "--crash-dir", str(args.crash_dir),
                 "--corpus-dir", str(args.corpus_dir), "--stats", str(args.stats)]
        code = subprocess.run(child, check=False).returncode
        summary = json.loads(args.stats.read_text(encoding="utf-8"))
        print_table(summary)
        if code or summary["unhandled"]:
            raise SystemExit(1)
        return
    run_random(campaign, args.seconds, args.inputs, args.seed, args.stats)
    campaign.save("random", args.stats)
    print_table(campaign.summary("random"))
    if campaign.crash_count:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
