"""Corpus throughput and memory: newstrace corpus runs next to a spaCy parse-only bound.

Corpus: the real samples (FakeNewsCorpus's 250 CSV rows as text with their title, URL and
authors; the article-extraction benchmark's 91 HTML pages with their URL), cycled with
fresh ids up to each size and written as one JSONL file.

Bound: the same spaCy pipeline the ``nlp`` annotator loads, parsing the same article
texts (read and structured beforehand, untimed) in one process: no reading, no other
annotators, no report, no output. A corpus run with two workers would ideally reach twice
that rate; the goal is ≥ 0.8 of it.

Memory: each task records its worker's peak RSS; the table shows the largest per worker.
It must not grow with corpus size (1 k vs 20 k articles).

Usage: python bench/corpus.py [--size 1000] [--workers 1,2] [--analyzer default] [--ray]
       [--memory-sizes 1000,20000] [--memory-analyzer structure] [--bound-docs 300]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import shared_data_dir  # noqa: E402
from newstrace.config import load_settings  # noqa: E402
from newstrace.corpus.executor.factory import make_executor  # noqa: E402
from newstrace.corpus.pipeline import build_pipeline  # noqa: E402
from newstrace.corpus.record import InputRecord  # noqa: E402
from newstrace.corpus.steps import build_analyzer, load_record, zone  # noqa: E402


def base_rows(shared: Path) -> list[dict[str, Any]]:
    """The real articles: FakeNewsCorpus rows (text) and extraction pages (HTML)."""
    csv.field_size_limit(sys.maxsize)
    rows: list[dict[str, Any]] = []
    with (shared / "fakenewscorpus-sample" / "news_sample.csv").open(newline="") as handle:
        for r in csv.DictReader(handle):
            rows.append(
                {
                    "id": r["id"],
                    "text": r["content"],
                    "title": r["title"],
                    "url": r["url"],
                    "domain": r["domain"],
                    "authors": r["authors"],
                }
            )
    truth = json.loads((shared / "article-extraction" / "ground-truth.json").read_text())
    for page in sorted((shared / "article-extraction" / "html").glob("*.html.gz")):
        ident = page.name.removesuffix(".html.gz")
        rows.append(
            {
                "id": ident,
                "html": gzip.decompress(page.read_bytes()).decode("utf-8"),
                "url": truth.get(ident, {}).get("url"),
            }
        )
    return rows


def write_corpus(rows: list[dict[str, Any]], n: int, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            row = dict(rows[i % len(rows)])
            row["id"] = f"{i:06d}-{row['id']}"
            handle.write(json.dumps(row) + "\n")


def parse_bound(rows: list[dict[str, Any]], docs: int) -> tuple[float, float, int]:
    """Articles per second and per CPU-second of spaCy alone on the corpus's texts."""
    from newstrace.analyze.nlp import load_model

    settings = load_settings()
    texts = []
    for row in rows:
        content = row.get("html") or row.get("text") or ""
        record = InputRecord(
            row["id"],
            "bench",
            content,
            "html" if "html" in row else None,
            {"title": row.get("title"), "url": row.get("url")},
        )
        try:
            texts.append(load_record(record, settings).text)
        except Exception:  # the corpus run rejects these too; the bound skips them
            continue
    nlp = load_model(settings.spacy_model)
    nlp(texts[0])  # warm up
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(docs):
        nlp(texts[i % len(texts)])
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return docs / wall, docs / cpu, len(texts)


def corpus_run(
    corpus: Path,
    out: Path,
    workers: int,
    analyzer: str,
    executor: str = "local",
    tasks: int | None = None,
) -> dict[str, Any]:
    pipeline = build_pipeline([corpus], out, analyzer=analyzer, settings=load_settings())
    runner = make_executor(executor, pipeline, out, workers=workers, tasks=tasks, progress=False)
    started = time.perf_counter()
    summary = runner.run()
    wall = time.perf_counter() - started
    stats = [json.loads(p.read_text()) for p in sorted((out / "_stats").glob("*.json"))]
    cpu = sum(s["cpu_seconds"] for s in stats)
    busy: dict[int, float] = {}
    rss: dict[int, float] = {}
    steps: dict[str, float] = {}
    for s in stats:
        for name, counters in s["steps"].items():
            for key in ("seconds", "build_seconds"):
                if key in counters:
                    label = name if key == "seconds" else "model load"
                    steps[label] = steps.get(label, 0.0) + counters[key]
        busy[s["pid"]] = busy.get(s["pid"], 0.0) + s["wall_seconds"]
        rss[s["pid"]] = max(rss.get(s["pid"], 0.0), s.get("peak_rss_mb") or 0.0)
    if summary.failed:
        raise SystemExit(f"tasks failed: {summary.failed}")
    return {
        "docs": summary.documents,
        "analysed": summary.analysed,
        "rejected": sum(summary.rejected.values()),
        "wall": wall,
        "rate": summary.documents / wall,
        # Steady rate: documents over the busiest worker's task time (no start-up).
        "steady": summary.documents / max(busy.values()),
        "cpu_rate": summary.documents / cpu,
        "rss": max(rss.values()),
        "rss_all": sorted(rss.values()),
        "startup": wall - max(busy.values()),
        # Where task time went, in ms per document (model load: total seconds).
        "breakdown": {
            k: (v if k == "model load" else 1000 * v / max(summary.documents, 1))
            for k, v in steps.items()
        },
    }


def profile_analysis(rows: list[dict[str, Any]], docs: int, analyzer_spec: str) -> None:
    """Where one worker's CPU goes beyond the parse: ``docs`` articles read, structured and
    analysed in this process (what a corpus task does per article, less the Parquet
    write). Prints CPU-ms per article for reading and structure, for each annotator (the
    ``nlp`` annotator is the parse of the content blocks, what the bound times) and inside
    spaCy's ``Language.__call__`` / ``pipe`` (re-parses by other annotators, the headline
    audit's), then the largest functions of a cProfile pass over a few of the articles
    (profiling inflates Python code)."""
    import cProfile
    import pstats

    from spacy.language import Language

    from newstrace.analyze.nlp import load_model

    settings = load_settings()
    analyzer = build_analyzer(analyzer_spec, settings)
    bound_nlp = load_model(settings.spacy_model)  # the bound's own pipeline (parse_bound)
    records = [
        InputRecord(
            row["id"],
            "bench",
            row.get("html") or row.get("text") or "",
            "html" if "html" in row else None,
            {"title": row.get("title"), "url": row.get("url")},
        )
        for row in rows
    ]
    spent: dict[str, float] = {}
    depth = [0]

    def timed(method: Any) -> Any:
        def wrapper(self: Any, *a: Any, **k: Any) -> Any:
            if depth[0]:  # a parse inside a parse is counted once
                return method(self, *a, **k)
            depth[0] += 1
            t0, key = time.process_time(), "of which re-parses (Language.__call__/pipe)"
            try:
                result = method(self, *a, **k)
                if k.get("as_tuples") or not hasattr(result, "__next__"):
                    return result
                return list(result)  # pipe is lazy: parse here, inside the timer
            finally:
                spent[key] = spent.get(key, 0.0) + time.process_time() - t0
                depth[0] -= 1

        return wrapper

    def one(i: int) -> None:
        t0 = time.process_time()
        try:
            article = load_record(records[i % len(records)], settings)
        except Exception:  # rejected by a corpus run too
            return
        spent["read + structure"] = spent.get("read + structure", 0.0) + time.process_time() - t0
        with zone(analyzer):
            t0 = time.process_time()
            analyzer(article, time_budget_s=0)
            spent["analysis"] = spent.get("analysis", 0.0) + time.process_time() - t0
        # The bound on the same article, right after it: a shared machine's load drifts.
        depth[0] += 1  # not a re-parse of the analysis
        t0 = time.process_time()
        bound_nlp(article.text)
        spent["bound"] = spent.get("bound", 0.0) + time.process_time() - t0
        depth[0] -= 1
        spent["articles"] = spent.get("articles", 0.0) + 1

    class Timed:
        """An annotator timed in CPU seconds (the analyzer's own timings are wall time,
        which a shared machine inflates)."""

        def __init__(self, inner: Any) -> None:
            self.inner, self.name = inner, inner.name

        def __getattr__(self, attr: str) -> Any:
            return getattr(self.inner, attr)

        def __call__(self, article: Any) -> Any:
            t0 = time.process_time()
            try:
                return self.inner(article)
            finally:
                key = f"annotator {self.name}"
                spent[key] = spent.get(key, 0.0) + time.process_time() - t0

    call, pipe = Language.__call__, Language.pipe
    Language.__call__, Language.pipe = timed(call), timed(pipe)  # type: ignore[method-assign]
    annotators = analyzer.annotators
    analyzer.annotators = [Timed(a) for a in annotators]
    try:
        cpu = time.process_time()
        for i in range(docs):
            one(i)
        cpu = time.process_time() - cpu
    finally:
        Language.__call__, Language.pipe = call, pipe  # type: ignore[method-assign]
        analyzer.annotators = annotators
    done = spent.pop("articles", 0.0)
    ms = 1000 / max(done, 1)
    bound = spent.pop("bound", 0.0)
    work = spent["read + structure"] + spent["analysis"]
    print(
        f"profile: {done:.0f} articles; per article {work * ms:.1f} CPU-ms read, structure "
        f"and analysis, {bound * ms:.1f} CPU-ms the bound's parse of the same text: "
        f"{bound / work:.2f} of the bound ({cpu * ms:.1f} CPU-ms in all, both included)"
    )
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name}: {seconds * ms:.1f} ms")
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(min(docs, 40)):
        one(i)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="corpus size of the throughput runs")
    parser.add_argument(
        "--memory-sizes",
        default="1000,20000",
        help="corpus sizes of the memory runs (1 worker); '' for none",
    )
    parser.add_argument("--analyzer", default="default")
    parser.add_argument(
        "--memory-analyzer", default=None, help="analyzer for the memory runs (default: --analyzer)"
    )
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--ray", action="store_true", help="also run under Ray (local)")
    parser.add_argument("--bound-docs", type=int, default=300)
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        help="only profile this many articles' analysis in one process (cProfile)",
    )
    args = parser.parse_args()
    shared = shared_data_dir()
    if shared is None:
        raise SystemExit("shared data not found (set NEWSTRACE_DATA)")
    if args.profile:
        rows = base_rows(shared)
        print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        bound, bound_cpu, usable = parse_bound(rows, args.bound_docs)
        print(f"bound: {1000 / bound_cpu:.1f} CPU-ms per parse ({args.bound_docs} parses)")
        profile_analysis(rows, args.profile, args.analyzer)
        return
    memory_sizes = [int(x) for x in args.memory_sizes.split(",") if x]
    workers = [int(w) for w in args.workers.split(",") if w]
    rows = base_rows(shared)
    analyzer = build_analyzer(args.analyzer, load_settings())
    print(f"annotators in the pipeline ({args.analyzer}): {', '.join(analyzer.names) or 'none'}")
    print(
        f"base articles: {len(rows)} (250 FakeNewsCorpus text rows, "
        f"{len(rows) - 250} extraction HTML pages), cycled with fresh ids"
    )

    print(
        f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} CPUs"
    )
    bound, bound_cpu, usable = parse_bound(rows, args.bound_docs)
    print(
        f"bound: spaCy parse only, 1 process, {args.bound_docs} parses of {usable} texts: "
        f"{bound:.2f} articles/s wall, {bound_cpu:.2f} articles per CPU-second\n"
    )

    results: list[tuple[str, dict[str, Any], str]] = []
    with tempfile.TemporaryDirectory(prefix="newstrace-bench-") as tmp:
        tmpdir = Path(tmp)
        corpora = {}
        for n in sorted({args.size, *memory_sizes}):
            corpora[n] = tmpdir / f"corpus-{n}.jsonl"
            write_corpus(rows, n, corpora[n])
        first = args.size
        rates: dict[int, dict[str, Any]] = {}
        for w in workers:
            r = corpus_run(corpora[first], tmpdir / f"out-local-{w}", w, args.analyzer)
            rates[w] = r
            # On idle cores each worker has one CPU: its throughput is cpu_rate per worker,
            # w × cpu_rate in all, against w × the bound's CPU rate. The wall ratio is
            # printed too; on a shared machine it mostly measures the neighbours.
            results.append(
                (
                    f"local, {w} worker{'s' if w > 1 else ''}, {first:,}",
                    r,
                    f"{r['cpu_rate'] / bound_cpu:.2f} (CPU), "
                    f"{r['steady'] / (w * bound):.2f} (wall) of {w}× bound",
                )
            )
        if 1 in rates and 2 in rates:
            print(
                f"scaling 1→2 workers: CPU cost per article "
                f"{rates[1]['cpu_rate'] / rates[2]['cpu_rate']:.2f}× of 1 worker's; wall "
                f"{rates[2]['rate'] / (2 * rates[1]['rate']):.2f} of linear"
            )
        if args.ray:
            w = max(workers)
            r = corpus_run(corpora[first], tmpdir / "out-ray", w, args.analyzer, "ray")
            results.append(
                (
                    f"ray local, {w} workers, {first:,}",
                    r,
                    f"{r['rate'] / rates[w]['rate']:.2f} of local wall rate, "
                    f"{r['cpu_rate'] / rates[w]['cpu_rate']:.2f} of its CPU rate",
                )
            )
        mem_analyzer = args.memory_analyzer or args.analyzer
        mem: list[dict[str, Any]] = []
        for n in memory_sizes:
            r = corpus_run(corpora[n], tmpdir / f"out-mem-{n}", 1, mem_analyzer, tasks=4)
            mem.append(r)
            results.append(
                (
                    f"memory: {mem_analyzer}, 1 worker, {n:,}",
                    r,
                    f"RSS {r['rss'] / mem[0]['rss']:.2f}× of {memory_sizes[0]:,}",
                )
            )

    header = (
        "run",
        "docs",
        "rejected",
        "wall s",
        "start-up s",
        "art/s wall",
        "art/s steady",
        "art/CPU-s",
        "peak RSS/worker MiB",
        "ratio",
    )
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for name, r, ratio in results:
        print(
            " | ".join(
                [
                    name,
                    f"{r['docs']:,}",
                    str(r["rejected"]),
                    f"{r['wall']:.1f}",
                    f"{r['startup']:.1f}",
                    f"{r['rate']:.2f}",
                    f"{r['steady']:.2f}",
                    f"{r['cpu_rate']:.2f}",
                    f"{r['rss']:.0f}",
                    ratio,
                ]
            )
        )
    print("\ntime per article by step, ms (model load: s per run, all workers):")
    for name, r, _ in results:
        parts = ", ".join(f"{k} {v:.1f}" for k, v in r["breakdown"].items())
        print(f"  {name}: {parts}")
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"\nbound (parse only, 1 process): {bound:.2f} articles/s, "
        f"{bound_cpu:.2f} per CPU-s; "
        f"median RSS per worker over all runs "
        f"{statistics.median(x for _, r, _ in results for x in r['rss_all']):.0f} MiB"
    )


if __name__ == "__main__":
    main()
