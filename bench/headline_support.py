"""Headline support: does the headline audit find the body sentences that state a headline?

    .venv/bin/python bench/headline_support.py [--split dev|test] [--pairs 1000] [--show N]
        [--no-gold] [--cache DIR]

Data: FNC-1 train (``../shared/data/fnc1``). Its ``agree`` pairs are headlines the body
states; its ``unrelated`` pairs are headlines of other stories, which the body does not
state (``discuss``/``disagree`` are neither and are only counted, never scored). Body IDs
are split in two by a seeded shuffle: ``dev`` bodies are the ones the method may be
tuned on, ``test`` bodies are only measured. From the chosen split a fixed sample (seed
fixed) of equally many agree and unrelated pairs is drawn.

Each body is read as a user would give it (``headline\\n\\nbody`` as text), parsed and
analysed once; every sampled headline of that body then goes through the real headline
audit. A pair counts as *stated* when every claim clause of the headline is
``made_by_body`` (the sourcing bench's ``stated-*`` verdicts) and as *touched* when any
is. Printed: precision / recall / F1 of both, for the audit and for a bag-of-words
baseline measured in the same run (a body sentence holding at least half of the
headline's idf-weighted content stems), then the sourcing-gold headline figures of both
folds (``bench/sourcing.py``'s ``headline_verdict``; the report fold is never tuned on).
"""

from __future__ import annotations

import argparse
import csv
import pickle
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import newstrace  # noqa: E402
from newstrace.analyze.headline import HeadlineAudit  # noqa: E402
from newstrace.data import Article, Block  # noqa: E402
from newstrace.stance import text as tx  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
SEED = 20261201


@dataclass
class Pair:
    headline: str
    body_id: str
    stance: str


def load_fnc(folder: Path) -> tuple[dict[str, str], list[Pair]]:
    csv.field_size_limit(1 << 30)
    with (folder / "train_bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with (folder / "train_stances.csv").open(encoding="utf-8", newline="") as handle:
        pairs = [Pair(r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(handle)]
    return bodies, pairs


def sample(bodies: dict[str, str], pairs: list[Pair], split: str, n: int) -> list[Pair]:
    """``n`` pairs from the bodies of ``split``: half agree; half unrelated, of which half
    drawn at random and half *near* (the headline shares at least three content stems
    with the body: a random unrelated headline is too easy to tell apart)."""
    ids = sorted(bodies, key=int)
    random.Random(SEED).shuffle(ids)
    wanted = set(ids[: len(ids) // 2] if split == "dev" else ids[len(ids) // 2 :])
    rng = random.Random(SEED + 1)
    agree = [p for p in pairs if p.stance == "agree" and p.body_id in wanted]
    unrelated = [p for p in pairs if p.stance == "unrelated" and p.body_id in wanted]
    out = rng.sample(agree, min(n // 2, len(agree)))
    stems = {i: set(tx.content_stems(bodies[i])) for i in wanted}
    near = [p for p in unrelated
            if len(set(tx.content_stems(p.headline)) & stems[p.body_id]) >= 3]
    picked = rng.sample(near, min(n // 4, len(near)))
    for pair in picked:
        pair.stance = "unrelated-near"
    chosen = {id(p) for p in picked}
    rest = [p for p in unrelated if id(p) not in chosen]
    return out + picked + rng.sample(rest, min(n // 2 - len(picked), len(rest)))


def analysed_body(analyzer: Any, body: str, width: int) -> Article:
    """The body analysed once behind a blank headline slot ``width`` characters wide.

    Each headline is then written into the slot (padded with spaces), so every body
    offset, and with them the sentence and claim layers, stays valid for all of them."""
    article = newstrace.load("H" * width + "\n\n" + body, format="text")
    article.blocks = [b for b in article.blocks if b.start > width]
    article.blocks.insert(0, Block("headline", 0, width))
    for annotator in analyzer.annotators:
        if not isinstance(annotator, HeadlineAudit):
            article = annotator(article)
    return article


def cached_body(analyzer: Any, body_id: str, body: str, width: int, cache: Path | None
                ) -> Article:
    """:func:`analysed_body`, kept in ``cache`` (a folder) between runs when one is given:
    for iterating on the audit alone. The parse is stored as spaCy's bytes."""
    if cache is None:
        return analysed_body(analyzer, body, width)
    from spacy.tokens import Doc

    nlp = analyzer.annotators[0].nlp
    path = cache / f"{body_id}-{width}.pickle"
    if path.exists():
        article, doc_bytes = pickle.loads(path.read_bytes())
        article.cache = {"doc": Doc(nlp.vocab).from_bytes(doc_bytes)}
        return article
    article = analysed_body(analyzer, body, width)
    doc = article.cache.pop("doc")
    saved, article.cache = article.cache, {}
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps((article, doc.to_bytes(exclude=["user_data"]))))
    article.cache = {**saved, "doc": doc}
    return article


def with_headline(article: Article, headline: str, width: int) -> Article:
    article.text = headline.ljust(width) + article.text[width:]
    article.blocks[0] = Block("headline", 0, len(headline))
    article.results.pop("headline", None)
    return article


def stated(result: dict[str, Any]) -> tuple[bool, bool]:
    """(every claim clause made by the body, any made)."""
    clauses = [c for c in result.get("clauses") or [] if c.get("claim")]
    made = [c for c in clauses if c.get("made_by_body")]
    return bool(clauses) and len(made) == len(clauses), bool(made)


def baseline(audit: HeadlineAudit, headline: str, sentences: list[str]) -> bool:
    """Bag of words: one sentence holds half the headline's idf-weighted content stems."""
    head = set(tx.content_stems(headline))
    total = sum(audit.idf(s) for s in head)
    if not total:
        return False
    for sentence in sentences:
        have = set(tx.content_stems(sentence))
        if sum(audit.idf(s) for s in head & have) / total >= 0.5:
            return True
    return False


def prf(pred: list[bool], gold: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    precision = tp / sum(pred) if any(pred) else 0.0
    recall = tp / sum(gold) if any(gold) else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_fnc(analyzer: Any, pairs: list[Pair], bodies: dict[str, str], show: int,
            cache: Path | None = None) -> None:
    audit = next(a for a in analyzer.annotators if isinstance(a, HeadlineAudit))
    by_body: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_body[pair.body_id].append(pair)
    rows: list[tuple[Pair, bool, bool, bool]] = []
    t_audit = 0.0
    for body_id, group in by_body.items():
        width = max(len(p.headline) for p in group)
        article = cached_body(analyzer, body_id, bodies[body_id], width, cache)
        texts = [s.text_of(article.text) for s in article.layer("sentences")
                 if (s.attrs.get("role") or article.role_at(s.start)) != "headline"]
        for pair in group:
            t0 = time.perf_counter()
            result = audit(with_headline(article, pair.headline, width)).results["headline"]
            t_audit += time.perf_counter() - t0
            all_made, any_made = stated(result)
            rows.append((pair, all_made, any_made, baseline(audit, pair.headline, texts)))
    gold = [p.stance == "agree" for p, *_ in rows]
    counts = Counter(p.stance for p, *_ in rows)
    print(f"\n{len(rows)} pairs ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}), "
          f"{len(by_body)} bodies; audit {1000 * t_audit / len(rows):.1f} ms per headline")
    print("\n| method | precision | recall | F1 | stated: unrelated-near | unrelated |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, col in (("audit: every claim clause made (stated)", 1),
                      ("audit: some clause made", 2), ("baseline: bag of words", 3)):
        p, r, f = prf([row[col] for row in rows], gold)
        rates = [sum(row[col] for row in rows if row[0].stance == s) / max(1, counts[s])
                 for s in ("unrelated-near", "unrelated")]
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {rates[0]:.3f} | {rates[1]:.3f} |")
    missed = [p for p, all_made, *_ in rows if p.stance == "agree" and not all_made]
    wrong = [p for p, all_made, *_ in rows if p.stance != "agree" and all_made]
    for label, items in (("agree not stated", missed), ("unrelated stated", wrong)):
        for pair in items[:show]:
            print(f"  {label} [{pair.body_id}]: {pair.headline[:110]}")


def run_gold(analyzer: Any, data: Path) -> None:
    import sourcing

    folder = data / "sourcing-gold"
    if not folder.is_dir():
        print(f"\nsourcing gold not found at {folder}")
        return
    golds = sourcing.folds(sourcing.load_gold(folder))
    print("\n| sourcing-gold fold | 4-way | stated or not | headline_unsupported confirmed |")
    print("|---|---:|---:|---:|")
    for fold in ("dev", "report"):
        results = [sourcing.run_article(g, data, analyzer) for g in golds[fold]]
        m = sourcing.sentence_metrics(results)
        checks = [v for res in results for kind, _p, _s, v, _w in res.finding_checks
                  if kind == "headline_unsupported" and v is not None]
        print(f"| {fold} | {sourcing.fmt(m['headline_accuracy'])} of {m['headlines']} | "
              f"{sourcing.fmt(m['headline_stated_accuracy'])} | "
              f"{sum(checks)} / {len(checks)} |")
        for res in results:
            # Only the development fold's verdicts are printed: the report fold is
            # measured, never read (bench/sourcing.py's folds).
            if res.gold.headline and fold == "dev":
                print(f"  {fold} [{res.gold.id}] gold={res.gold.headline_support} "
                      f"report={res.headline_pred}: {res.gold.headline[:90]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--show", type=int, default=0, help="print N misses of each kind")
    parser.add_argument("--no-gold", action="store_true", help="skip the sourcing gold")
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep analysed bodies in this folder (audit-only iterations)")
    args = parser.parse_args(argv)
    analyzer = newstrace.Analyzer.default()
    folder = args.data / "fnc1"
    if folder.is_dir():
        bodies, pairs = load_fnc(folder)
        chosen = sample(bodies, pairs, args.split, args.pairs)
        print(f"# FNC-1 {args.split} bodies, seed {SEED}")
        run_fnc(analyzer, chosen, bodies, args.show, args.cache)
    else:
        print(f"FNC-1 not found at {folder}")
    if not args.no_gold:
        run_gold(analyzer, args.data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
