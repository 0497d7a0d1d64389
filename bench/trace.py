"""Benchmark of ``newstrace trace`` on the labelled syndication corpus (bench/syndication.py).

Sections (each prints a table; ratios are against a baseline measured in the same run):

- ``quality``: pair recall/precision (whole-document copies, partial 1–3 paragraph reuse),
  passage character F1 and boundary F1, direction accuracy by evidence type, story
  cluster adjusted Rand index — newstrace, newstrace without passage-level LSH, and plain
  datasketch ``MinHashLSH`` at document level (threshold 0.5, 128 perms, word 5-gram
  shingles of the full text) as the baseline.
- ``minhash``: the same shingle sets signed by datasketch, rensa and newstrace's numpy
  code; time and candidate recall under identical banding.
- ``speed``: documents/s for candidate generation and for the whole trace at the given
  scales, peak memory (each scale in its own process); ``--million`` adds a 1 M-document
  candidate-generation run on synthetic token streams.
- ``executors``: ``trace run`` (sharded tasks) on the local executor and on Ray (a local
  cluster) over the same corpus file: wall and task CPU per stage, driver and worker
  memory, pair precision/recall, and whether both executors give identical pairs.

    python bench/trace.py quality minhash
    python bench/trace.py speed --scales 10000 100000 --million
    python bench/trace.py executors --executor-scales 20000 100000 --ray-scales 20000
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import syndication
from newstrace.trace import TraceConfig, trace_articles
from newstrace.trace.candidates import LSHConfig, Sketches, candidate_pairs
from newstrace.trace.inputs import article_from_record
from newstrace.trace.minhash import MinHasher
from newstrace.trace.shingles import passage_units, shingle_article
from newstrace.trace.stories import story_labels


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    print(f"\n## {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(_fmt(v) for v in row) + " |")


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def labelled(docs: int, hard: bool = False) -> tuple[list[Any], syndication.Truth]:
    records, generated = syndication.corpus(docs, hard=hard)
    truth = syndication.ground_truth(generated, records)
    articles = [article_from_record(r) for r in syndication.iter_records(records)]
    return articles, truth


# --- metrics ----------------------------------------------------------------------------


def _union_len(spans: list[tuple[int, int]]) -> int:
    total, end = 0, -1
    for s, e in sorted(spans):
        s = max(s, end)
        if e > s:
            total += e - s
            end = e
    return total


def _overlap(x: list[tuple[int, int]], y: list[tuple[int, int]]) -> int:
    marks = [(s, e) for s, e in x]
    total = 0
    for s, e in _merge(marks):
        for t, u in _merge(y):
            total += max(0, min(e, u) - max(s, t))
    return total


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _boundaries(spans: list[tuple[int, int]]) -> list[int]:
    return sorted({x for s, e in spans for x in (s, e)})


def _boundary_hits(pred: list[int], gold: list[int], tol: int) -> int:
    used: set[int] = set()
    hits = 0
    for p in pred:
        for g in gold:
            if g not in used and abs(p - g) <= tol:
                used.add(g)
                hits += 1
                break
    return hits


def evaluate(
    ids: list[str],
    pred: dict[tuple[str, str], dict[str, Any]],
    labels: list[int],
    truth: syndication.Truth,
) -> dict[str, Any]:
    """``pred``: (a, b) → {kind, passages_a, passages_b, source, evidence} (None allowed)."""
    from sklearn.metrics import adjusted_rand_score

    gold = truth.pairs
    tp = set(pred) & set(gold)
    out: dict[str, Any] = {
        "pairs": len(pred),
        "true_pairs": len(gold),
        "precision": len(tp) / len(pred) if pred else 0.0,
        "recall": len(tp) / len(gold) if gold else 0.0,
    }
    for kind in ("copy", "partial"):
        keys = [k for k, v in gold.items() if v["kind"] == kind]
        out[f"recall_{kind}"] = sum(k in pred for k in keys) / len(keys) if keys else 0.0
    whole = [k for k, v in pred.items() if v.get("kind") in (None, "duplicate", "near_duplicate")]
    out["precision_whole"] = (sum(k in gold for k in whole) / len(whole)) if whole else 0.0
    # Passages: character overlap and boundary agreement on both sides of found pairs.
    cp = cr = bp = br = 0.0
    n = 0
    for k in tp:
        if pred[k].get("passages_a") is None:
            continue
        n += 1
        for side in ("a", "b"):
            g, p = gold[k][f"passages_{side}"], pred[k][f"passages_{side}"]
            ov = _overlap(p, g)
            cp += ov / _union_len(p) if p else 0.0
            cr += ov / _union_len(g) if g else 0.0
            gb, pb = _boundaries(g), _boundaries(p)
            hits = _boundary_hits(pb, gb, 15)
            bp += hits / len(pb) if pb else 0.0
            br += hits / len(gb) if gb else 0.0
    if n:
        out["passage_char_f1"] = _f1(cp / (2 * n), cr / (2 * n))
        out["passage_boundary_f1"] = _f1(bp / (2 * n), br / (2 * n))
    # Direction, on found pairs whose truth has a source (an ancestor in the copy chain).
    by_evidence: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    decided = correct = with_source = 0
    for k in tp:
        src = gold[k]["source"]
        if src is None or "source" not in pred[k]:
            continue
        with_source += 1
        p = pred[k]
        if p["source"] is None:
            by_evidence["none"][0] += 1
            continue
        decided += 1
        ok = int(p["source"] == src)
        correct += ok
        by_evidence[p["evidence"]][0] += 1
        by_evidence[p["evidence"]][1] += ok
    if with_source:
        out["direction_coverage"] = decided / with_source
        out["direction_accuracy"] = correct / decided if decided else 0.0
        out["direction_by_evidence"] = {
            e: (c, ok / c if c else 0.0) for e, (c, ok) in sorted(by_evidence.items())
        }
    gold_labels = [truth.story[i] for i in ids]
    out["ari"] = adjusted_rand_score(gold_labels, labels)
    return out


def newstrace_predictions(
    articles: list[Any], config: TraceConfig
) -> tuple[dict, list[int], float]:
    t0 = time.process_time()
    result = trace_articles(articles, config)
    elapsed = time.process_time() - t0
    pred: dict[tuple[str, str], dict[str, Any]] = {}
    for p in result.pairs:
        a, b = articles[p.a].id, articles[p.b].id
        al, d = p.alignment, p.direction
        pa = [(x.a_start, x.a_end) for x in al.shared]
        pb = [(x.b_start, x.b_end) for x in al.shared]
        source = {"a": a, "b": b}.get(d.source or "")
        if a > b:
            a, b, pa, pb = b, a, pb, pa
        pred[(a, b)] = {
            "kind": p.kind,
            "passages_a": pa,
            "passages_b": pb,
            "source": source,
            "evidence": d.evidence,
        }
    return pred, result.stories, elapsed


def datasketch_predictions(
    articles: list[Any], threshold: float = 0.5
) -> tuple[dict, list[int], float]:
    from datasketch import MinHash, MinHashLSH

    t0 = time.process_time()
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    hashes = []
    for art in articles:
        words = art.text.casefold().split()
        grams = {" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))}
        m = MinHash(num_perm=128)
        m.update_batch(list(grams))
        lsh.insert(art.id, m)
        hashes.append(m)
    pred: dict[tuple[str, str], dict[str, Any]] = {}
    for art, m in zip(articles, hashes, strict=True):
        for other in lsh.query(m):
            if other != art.id:
                pred[(min(art.id, other), max(art.id, other))] = {}
    elapsed = time.process_time() - t0
    index = {a.id: i for i, a in enumerate(articles)}
    labels = story_labels(len(articles), [(index[a], index[b]) for a, b in pred])
    return pred, labels, elapsed


def run_quality(docs: int, hard: bool = False, plain: bool = True) -> None:
    articles, truth = labelled(docs, hard)
    ids = [a.id for a in articles]
    systems = []
    pred, labels, secs = datasketch_predictions(articles)
    systems.append(
        ("datasketch MinHashLSH (document level)", evaluate(ids, pred, labels, truth), secs)
    )
    no_passages = TraceConfig(lsh=LSHConfig(passage_min_words=10**9, anchor_rate=0))
    pred, labels, secs = newstrace_predictions(articles, no_passages)
    systems.append(("newstrace, document-level LSH only", evaluate(ids, pred, labels, truth), secs))
    no_anchors = TraceConfig(lsh=LSHConfig(anchor_rate=0))
    pred, labels, secs = newstrace_predictions(articles, no_anchors)
    systems.append(("newstrace, no anchors", evaluate(ids, pred, labels, truth), secs))
    # The same documents as plain text (no block roles): what the trace does when the
    # structure layer labelled nothing, furniture included.
    from newstrace.data import Article

    if plain:  # 19× the CPU of the others: --no-plain leaves it out
        as_text = [Article(text=a.text, id=a.id, meta=a.meta) for a in articles]
        pred, labels, secs = newstrace_predictions(as_text, TraceConfig())
        name = "newstrace, plain text (no roles)"
        systems.append((name, evaluate(ids, pred, labels, truth), secs))
    pred, labels, secs = newstrace_predictions(articles, TraceConfig())
    systems.append(("newstrace", evaluate(ids, pred, labels, truth), secs))
    base = systems[0][1]
    print(
        f"\ncorpus: {len(articles):,} documents, {len(truth.pairs):,} related pairs "
        f"({sum(v['kind'] == 'partial' for v in truth.pairs.values()):,} partial), "
        f"{len(set(truth.story.values())):,} stories"
    )
    metrics = [
        "precision",
        "recall",
        "recall_copy",
        "precision_whole",
        "recall_partial",
        "passage_char_f1",
        "passage_boundary_f1",
        "direction_accuracy",
        "direction_coverage",
        "ari",
    ]
    rows = []
    for metric in metrics:
        row: list[Any] = [metric]
        for _, m, _ in systems:
            row.append(m.get(metric, "n/a"))
        b, v = base.get(metric), systems[-1][1].get(metric)
        row.append(
            f"{v / b:.2f}×" if isinstance(b, float) and b and isinstance(v, float) else "n/a"
        )
        rows.append(row)
    rows.append(
        ["CPU seconds", *[s for *_, s in systems], f"{systems[-1][2] / systems[0][2]:.2f}×"]
    )
    table(
        "Trace quality (labelled syndication corpus)",
        ["metric", *[name for name, *_ in systems], "newstrace / baseline"],
        rows,
    )
    ev = systems[-1][1].get("direction_by_evidence", {})
    table(
        "Direction by evidence (newstrace; pairs whose truth has a source)",
        ["evidence", "pairs", "accuracy"],
        [[e, c, a] for e, (c, a) in ev.items()],
    )


# --- MinHash implementations ------------------------------------------------------------


def run_minhash(docs: int) -> None:
    articles, truth = labelled(docs)
    config = LSHConfig()
    shingled = [shingle_article(a, config.shingle) for a in articles]
    doc_sets = [s.shingles for s in shingled]
    unit_sets, owner = [], []
    for i, s in enumerate(shingled):
        units = passage_units(s, config.passage_min_words)
        if len(units) > 1:
            for a, b in units:
                unit_sets.append(s.shingles[s.para_offsets[a] : s.para_offsets[b]])
                owner.append(i)
    sets = doc_sets + unit_sets
    total = sum(len(x) for x in sets)

    def numpy_sigs() -> np.ndarray:
        return MinHasher(128, 1, "numpy").signatures(sets)

    def rensa_sigs() -> np.ndarray:
        return MinHasher(128, 1, "rensa").signatures(sets)

    def datasketch_sigs() -> np.ndarray:
        from datasketch import MinHash

        out = np.empty((len(sets), 128), dtype=np.uint32)
        for i, x in enumerate(sets):
            m = MinHash(num_perm=128, seed=1, hashfunc=int)
            m.update_batch(x.tolist())
            out[i] = m.hashvalues
        return out

    ids = [a.id for a in articles]
    gold = truth.pairs
    rows = []
    results = []
    for name, fn, repeats in (
        ("datasketch 2.0 (update_batch, per set)", datasketch_sigs, 1),
        ("newstrace numpy (multiply-shift, batched)", numpy_sigs, 3),
        ("rensa 0.5 RMinHash (flat hash buffer)", rensa_sigs, 3),
    ):
        best = float("inf")
        for _ in range(repeats):
            t0 = time.process_time()  # CPU time: steady on a shared machine, counts threads
            sigs = fn()
            best = min(best, time.process_time() - t0)
        sk = Sketches(
            sigs[: len(doc_sets)], sigs[len(doc_sets) :], np.asarray(owner, dtype=np.int64)
        )
        pairs = candidate_pairs(sk, config)
        found = {(min(ids[i], ids[j]), max(ids[i], ids[j])) for i, j in pairs.tolist()}
        rec = {
            k: sum(p in found for p, v in gold.items() if v["kind"] == k)
            / max(1, sum(v["kind"] == k for v in gold.values()))
            for k in ("copy", "partial")
        }
        results.append((name, best, rec, len(found)))
    base = results[0][1]
    for name, secs, rec, n in results:
        rows.append(
            [name, secs, total / secs, rec["copy"], rec["partial"], n, f"{base / secs:.1f}×"]
        )
    table(
        f"MinHash signatures (CPU s, best of runs): {len(sets):,} sets "
        f"({len(doc_sets):,} documents + "
        f"{len(unit_sets):,} passage units), {total:,} shingles, 128 permutations",
        [
            "implementation",
            "seconds",
            "shingles/s",
            "candidate recall (copies)",
            "candidate recall (partial)",
            "candidate pairs",
            "speed vs datasketch",
        ],
        rows,
    )


# --- speed ------------------------------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def speed_one(n: int) -> dict[str, Any]:
    from newstrace.trace.candidates import sketch
    from newstrace.trace.pipeline import verify_pairs

    t0 = time.perf_counter()
    records, _ = syndication.corpus(n, filler=True)
    articles = [article_from_record(r) for r in syndication.iter_records(records)]
    del records
    gen = time.perf_counter() - t0
    rss0 = _rss_mb()
    config = TraceConfig()
    clock = time.perf_counter
    cpu = time.process_time  # the dev machine is shared: CPU time is the steadier figure
    t0, c0 = clock(), cpu()
    sk = sketch(articles, config.lsh)
    t1, c1 = clock(), cpu()
    pairs = candidate_pairs(sk, config.lsh)
    t2, c2 = clock(), cpu()
    results = verify_pairs(articles, pairs, sk.doc_sigs, config)
    story_labels(len(articles), [(p.a, p.b) for p in results if p.kind != "partial"])
    t3, c3 = clock(), cpu()
    return {
        "docs": len(articles),
        "generate_s": gen,
        "sketch_s": t1 - t0,
        "candidates_s": t2 - t1,
        "verify_s": t3 - t2,
        "sketch_cpu": c1 - c0,
        "candidates_cpu": c2 - c1,
        "verify_cpu": c3 - c2,
        "candidates": len(pairs),
        "related": len(results),
        "rss_before_mb": rss0,
        "rss_peak_mb": _rss_mb(),
    }


def speed_million(n: int = 1_000_000, batch: int = 20_000) -> dict[str, Any]:
    """Candidate generation (signatures + banding + buckets) on synthetic token streams:
    no text is tokenised, so this measures the MinHash/LSH part alone."""
    from newstrace.trace.minhash import EMPTY, band_keys, bucket_pairs
    from newstrace.trace.shingles import shingle_hashes

    rng = np.random.default_rng(5)
    config = LSHConfig()
    b, r = config.doc_bands()
    hasher = MinHasher(config.num_perm, config.seed)
    keys = np.empty((n, b), dtype=np.uint64)
    vocab_hash = rng.integers(0, 2**32, size=50_000, dtype=np.uint64).astype(np.uint32)
    prev: list[np.ndarray] = []
    t_sig = 0.0
    for start in range(0, n, batch):
        docs = []
        for _ in range(min(batch, n - start)):
            if prev and rng.random() < 0.1:  # a near-copy of a recent document
                d = prev[rng.integers(len(prev))].copy()
                d[rng.integers(len(d), size=5)] = rng.integers(50_000, size=5)
            else:
                d = rng.zipf(1.3, size=int(rng.integers(150, 900))) % 50_000
            docs.append(d)
        prev = docs[-200:]
        t0 = time.process_time()
        sets = [shingle_hashes(vocab_hash[d], config.shingle) for d in docs]
        sigs = hasher.signatures(sets)
        keys[start : start + len(docs)] = band_keys(sigs, b, r)
        t_sig += time.process_time() - t0
    t0 = time.process_time()
    pairs = bucket_pairs(keys, keys[:, 0] != EMPTY, config.max_bucket)
    t_bucket = time.process_time() - t0
    return {
        "docs": n,
        "signature_s": t_sig,
        "bucket_s": t_bucket,
        "candidates": len(pairs),
        "rss_peak_mb": _rss_mb(),
    }


def run_speed(scales: list[int], million: bool) -> None:
    rows = []
    runs = []
    for n in scales:
        out = subprocess.run(
            [sys.executable, __file__, "_speed_one", str(n)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    base = None
    for m in runs:
        cand = m["sketch_cpu"] + m["candidates_cpu"]
        whole = cand + m["verify_cpu"]
        wall = m["sketch_s"] + m["candidates_s"] + m["verify_s"]
        per_doc_whole = whole / m["docs"]
        base = base or per_doc_whole
        rows.append(
            [
                m["docs"],
                m["docs"] / cand,
                m["docs"] / whole,
                m["docs"] / wall,
                m["candidates"],
                m["related"],
                round(m["rss_before_mb"]),
                round(m["rss_peak_mb"]),
                f"{per_doc_whole / base:.2f}×",
            ]
        )
    table(
        "Trace speed (whole trace = shingles + signatures + LSH + alignment + direction + "
        "stories; one process; docs/s from CPU time unless marked wall)",
        [
            "documents",
            "candidate docs/s",
            "whole-trace docs/s",
            "whole-trace docs/s (wall)",
            "candidate pairs",
            "related pairs",
            "RSS before trace MB",
            "peak RSS MB",
            "CPU per document vs first scale",
        ],
        rows,
    )
    if million:
        out = subprocess.run(
            [sys.executable, __file__, "_speed_million"], capture_output=True, text=True, check=True
        )
        m = json.loads(out.stdout.strip().splitlines()[-1])
        total = m["signature_s"] + m["bucket_s"]
        table(
            "Candidate generation at 1 M documents (synthetic token streams, document level, "
            "CPU time)",
            [
                "documents",
                "signatures + band keys s",
                "bucketing s",
                "docs/s",
                "candidate pairs",
                "peak RSS MB",
            ],
            [
                [
                    m["docs"],
                    m["signature_s"],
                    m["bucket_s"],
                    m["docs"] / total,
                    m["candidates"],
                    round(m["rss_peak_mb"]),
                ]
            ],
        )


# --- executors ----------------------------------------------------------------------------


def executor_one(
    corpus: str | list[str],
    out: str,
    executor: str,
    workers: int,
    tasks: int,
    check: bool = False,
) -> dict[str, Any]:
    """One sharded ``trace run`` (its own process: the driver's peak RSS is its own).

    ``check``: afterwards, band the index's signatures in memory the old way
    (``candidate_pairs``, what ``trace run`` did in its driver before the shuffle) and say
    whether the partitioned candidates are identical — measured after the driver's peak."""
    from newstrace.corpus.executor.base import peak_rss_mb
    from newstrace.trace.sharded import trace_corpus

    shutil.rmtree(out, ignore_errors=True)
    t0, c0 = time.perf_counter(), time.process_time()
    inputs = [corpus] if isinstance(corpus, str) else corpus
    s = trace_corpus(inputs, out, executor=executor, workers=workers, tasks=tasks, progress=False)
    wall = time.perf_counter() - t0
    driver_cpu, driver_rss = time.process_time() - c0, peak_rss_mb()
    if s.failed or s.read is None or s.verify is None or s.group is None:
        raise SystemExit(f"{executor}: failed tasks {s.failed}")

    def tasks_of(stage: str) -> tuple[float, float]:
        stats = [
            json.loads(p.read_text())
            for p in sorted((Path(out) / "_trace" / stage / "_stats").glob("*.json"))
        ]
        return sum(x["cpu_seconds"] for x in stats), max(x["peak_rss_mb"] or 0 for x in stats)

    result = {
        "executor": executor,
        "docs": s.articles,
        "wall_s": wall,
        "read_s": s.read.seconds,
        "group_s": s.group.seconds,
        "verify_s": s.verify.seconds,
        "read_cpu": tasks_of("read")[0],
        "group_cpu": tasks_of("candidates")[0],
        "verify_cpu": tasks_of("verify")[0],
        "read_rss": tasks_of("read")[1],
        "group_rss": tasks_of("candidates")[1],
        "verify_rss": tasks_of("verify")[1],
        "driver_cpu": driver_cpu,
        "driver_rss": driver_rss,
        "candidates": s.candidates,
        "pairs": s.pairs,
    }
    if check:
        from newstrace.trace.candidates import LSHConfig, Sketches, candidate_pairs

        index = Path(out) / "index"
        names = ("doc_sigs", "unit_sigs", "unit_owner", "anchor_keys", "anchor_owner")
        files = [f"{n}.npy" for n in names]
        sk = Sketches(*(np.load(index / f) for f in files))
        old = candidate_pairs(sk, LSHConfig())
        new = np.load(Path(out) / "_trace" / "verify" / "candidates.npy")
        result["identical_to_in_memory"] = bool(np.array_equal(old, new))
    return result


_DRIVER_PHASES = ("_gather_shards", "_candidates_stage", "_verify_stage", "_write_outputs")


def _sample_driver(peaks: dict[str, float], stop: Any) -> None:
    """Every 0.25 s: the driver's RSS, kept as the peak of the phase its main thread is in
    (the function of ``_DRIVER_PHASES`` on its stack; "read" before the first)."""
    import threading
    import traceback

    main = threading.main_thread().ident
    phase = "read"
    while not stop.is_set():
        frame = sys._current_frames().get(main)
        names = {f.name for f in traceback.extract_stack(frame)} if frame else set()
        phase = next((p for p in _DRIVER_PHASES if p in names), phase)
        with open("/proc/self/status", encoding="ascii") as status:
            kb = next(int(x.split()[1]) for x in status if x.startswith("VmRSS"))
        peaks[phase] = max(peaks.get(phase, 0.0), kb / 1024)
        stop.wait(0.25)


def corpus_one(corpus_dir: str, out: str, workers: int, tasks: int) -> dict[str, Any]:
    """``trace run`` (local executor) of a corpus written by ``bench/syndication.py --out
    DIR`` (or its ``corpus.jsonl`` split into ``DIR/parts/``): :func:`executor_one`'s
    figures, the driver's peak RSS by phase, every task's peak RSS and the pair precision
    and recall against ``DIR/truth.json``. The output is kept (delete it afterwards)."""
    import threading

    import pyarrow.parquet as pq

    peaks: dict[str, float] = {}
    stop = threading.Event()
    sampler = threading.Thread(target=_sample_driver, args=(peaks, stop), daemon=True)
    sampler.start()
    # A corpus split into files (``DIR/parts/*.jsonl``, at least one per task) is sharded
    # by whole files; one file would be read whole by every task, each keeping its share.
    parts = sorted(str(p) for p in (Path(corpus_dir) / "parts").glob("*.jsonl"))
    inputs = parts or str(Path(corpus_dir) / "corpus.jsonl")
    m = executor_one(inputs, out, "local", workers, tasks)
    stop.set()
    sampler.join()
    m["driver_rss_by_phase"] = {k: round(v, 1) for k, v in peaks.items()}
    m["task_rss"] = {
        stage: sorted(
            json.loads(p.read_text())["peak_rss_mb"] or 0.0
            for p in (Path(out) / "_trace" / stage / "_stats").glob("*.json")
        )[-3:]
        for stage in ("read", "candidates", "verify")
    }
    truth = json.loads((Path(corpus_dir) / "truth.json").read_text())
    gold = {tuple(sorted((p["a"], p["b"]))): p["kind"] for p in truth["pairs"]}
    found = {
        tuple(sorted((r["a"], r["b"])))
        for r in pq.read_table(Path(out) / "pairs.parquet", columns=["a", "b"]).to_pylist()
    }
    hits = found & set(gold)
    m["precision"] = len(hits) / len(found) if found else 0.0
    m["recall"] = len(hits) / len(gold) if gold else 0.0
    for kind in ("copy", "partial"):
        of_kind = {k for k, v in gold.items() if v == kind}
        m[f"recall_{kind}"] = len(hits & of_kind) / len(of_kind) if of_kind else None
    m["truth_pairs"], m["found_pairs"] = len(gold), len(found)
    return m


def run_executors(
    scales: list[int], ray_scales: list[int], workers: int, tasks: int, hard: bool = False
) -> None:
    """`trace run` on the local executor and on Ray (local cluster) over the same corpus
    file; checks that both give the same pairs and scores them against the truth."""
    import tempfile

    import pyarrow.parquet as pq

    rows = []
    checks = []
    with tempfile.TemporaryDirectory(prefix="trace-executors-") as tmp:
        for n in scales:
            records, generated = syndication.corpus(n, filler=True, hard=hard)
            truth = syndication.ground_truth(generated, records)
            corpus = Path(tmp) / f"corpus-{n}.jsonl"
            with corpus.open("w", encoding="utf-8") as f:
                for r in syndication.iter_records(records):
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
            del records, generated
            outs = {}
            for executor in ["local", *(["ray"] if n in ray_scales else [])]:
                out = str(Path(tmp) / f"out-{n}-{executor}")
                args = [corpus, out, executor, workers, tasks, int(executor == "local")]
                proc = subprocess.run(
                    [sys.executable, __file__, "_executor_one", *map(str, args)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                m = json.loads(proc.stdout.strip().splitlines()[-1])
                found = {
                    tuple(sorted((r["a"], r["b"])))
                    for r in pq.read_table(Path(out) / "pairs.parquet").to_pylist()
                }
                outs[executor] = sorted(
                    map(repr, pq.read_table(Path(out) / "pairs.parquet").to_pylist())
                )
                rows.append(
                    [
                        f"{m['docs']:,}",
                        executor,
                        m["wall_s"],
                        m["read_s"],
                        m["group_s"],
                        m["verify_s"],
                        f"{m['read_cpu']:.1f} + {m['group_cpu']:.1f} + {m['verify_cpu']:.1f}",
                        m["driver_cpu"],
                        round(m["driver_rss"]),
                        f"{m['read_rss']:.0f} / {m['group_rss']:.0f} / {m['verify_rss']:.0f}",
                        m["candidates"],
                        m["pairs"],
                        len(found & set(truth.pairs)) / len(found) if found else 0.0,
                        len(found & set(truth.pairs)) / len(truth.pairs),
                    ]
                )
                shutil.rmtree(out, ignore_errors=True)
                if "identical_to_in_memory" in m:
                    same = m["identical_to_in_memory"]
                    print(f"{n:,} documents: partitioned candidates identical to in-memory: {same}")
            if "ray" in outs:
                checks.append((n, outs["ray"] == outs["local"]))
    table(
        f"trace run on the executors ({workers} workers, {tasks} tasks; CPU from the tasks' stats)",
        [
            "documents",
            "executor",
            "wall s",
            "read stage s",
            "candidates stage s",
            "verify stage s",
            "task CPU s (read + candidates + verify)",
            "driver CPU s",
            "driver peak RSS MB",
            "worker peak RSS MB (read / candidates / verify)",
            "candidate pairs",
            "related pairs",
            "pair precision",
            "pair recall",
        ],
        rows,
    )
    for n, same in checks:
        print(f"\n{n:,} documents: Ray and local pairs.parquet identical (sorted rows): {same}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_executor_one":
        corpus, out, executor, workers, tasks, check = sys.argv[2:8]
        m = executor_one(corpus, out, executor, int(workers), int(tasks), check == "1")
        print(json.dumps(m))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "corpus_one":
        # bench/trace.py corpus_one CORPUS_DIR OUT WORKERS TASKS (a corpus of
        # bench/syndication.py --out CORPUS_DIR; 1 M documents: see docs/benchmarks.md)
        corpus_dir, out, workers, tasks = sys.argv[2:6]
        print(json.dumps(corpus_one(corpus_dir, out, int(workers), int(tasks))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_speed_one":
        print(json.dumps(speed_one(int(sys.argv[2]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_speed_million":
        print(json.dumps(speed_million()))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sections", nargs="+", choices=["quality", "minhash", "speed", "executors"])
    parser.add_argument(
        "--docs",
        type=int,
        default=6000,
        help="labelled corpus size (capped by the pool of real texts)",
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--million", action="store_true")
    parser.add_argument(
        "--executor-scales", type=int, nargs="+", default=[20_000, 100_000], help="executors"
    )
    parser.add_argument(
        "--ray-scales", type=int, nargs="*", default=[20_000], help="executors: also on Ray"
    )
    parser.add_argument("--workers", type=int, default=2, help="executors")
    parser.add_argument("--tasks", type=int, default=8, help="executors")
    parser.add_argument(
        "--no-plain", action="store_true", help="quality: skip the plain-text (no roles) run"
    )
    parser.add_argument(
        "--hard",
        action="store_true",
        help="quality, executors: quotations edited (excerpted, reordered, interleaved, "
        "reworded, re-paragraphed; bench/syndication.py edit_quote)",
    )
    args = parser.parse_args()
    print(f"# bench/trace.py {' '.join(sys.argv[1:])}")
    if "quality" in args.sections:
        run_quality(args.docs, args.hard, plain=not args.no_plain)
    if "minhash" in args.sections:
        run_minhash(args.docs)
    if "speed" in args.sections:
        run_speed(args.scales, args.million)
    if "executors" in args.sections:
        run_executors(args.executor_scales, args.ray_scales, args.workers, args.tasks, args.hard)


if __name__ == "__main__":
    main()
