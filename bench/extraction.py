"""Article body extraction: newstrace's body blocks against trafilatura, readability-lxml and
newspaper4k on the scrapinghub article-extraction benchmark (the even half shipped in
``$NEWSTRACE_DATA/article-extraction``; the odd half is held out and not used here).

Metric (the benchmark's evaluate.py, re-implemented): tokens are ``\\w+`` runs, each text is
a multiset of 4-token shingles; per page TP/FP/FN are the multiset overlaps normalised to
sum to 1; precision and recall are averaged over pages and F1 is computed from those means.

    .venv/bin/python bench/extraction.py            # the table
    .venv/bin/python bench/extraction.py --roles    # also newstrace with other role sets

The figures go in docs/benchmarks.md ("Extraction").
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def page_scores(true: str, pred: str) -> tuple[float, float]:
    """(precision, recall) of ``pred`` against ``true`` on one page."""
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    if fp == fn == 0:
        return 1.0, 1.0
    if tp == 0:
        return 0.0, 0.0
    # Normalising TP/FP/FN to sum to 1 (as evaluate.py does) leaves these ratios unchanged.
    return tp / (tp + fp), tp / (tp + fn)


def corpus_scores(pairs: Iterable[tuple[str, str]]) -> tuple[float, float, float]:
    """Mean precision, mean recall, and F1 of the two means, over (true, pred) pairs."""
    scores = [page_scores(t, p) for t, p in pairs]
    if not scores:
        return 0.0, 0.0, 0.0
    precision = sum(s[0] for s in scores) / len(scores)
    recall = sum(s[1] for s in scores) / len(scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# --- extractors ----------------------------------------------------------------------------


def newstrace_roles(roles: tuple[str, ...]) -> Callable[[str], str]:
    import newstrace
    from newstrace.config import Settings

    settings = Settings()

    def run(html: str) -> str:
        article = newstrace.load(html, format="html", settings=settings)
        return "\n\n".join(b.text_of(article.text) for b in article.blocks_with(*roles))

    return run


def trafilatura_direct(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def readability(html: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


def newspaper4k(html: str) -> str:
    import newspaper

    # fetch_images=False: newspaper4k otherwise downloads images to rank them (offline here).
    article = newspaper.Article("https://example.com/article", fetch_images=False)
    article.download(input_html=html)
    article.parse()
    return article.text or ""


def _data_dir() -> Path:
    env = os.environ.get("NEWSTRACE_DATA")
    base = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"
    return base / "article-extraction"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=_data_dir())
    parser.add_argument("--roles", action="store_true", help="also other newstrace role sets")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--dump", type=Path, help="write per-page scores as JSON here")
    args = parser.parse_args(argv)
    truth_file = args.data / "ground-truth.json"
    if not truth_file.is_file():
        print(f"extraction benchmark: {truth_file} not found; skipped", file=sys.stderr)
        return 0
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    keys = sorted(truth)[: args.limit or None]
    pages = {
        k: gzip.decompress((args.data / "html" / f"{k}.html.gz").read_bytes()).decode("utf-8")
        for k in keys
    }
    extractors: dict[str, Callable[[str], str]] = {
        "newstrace (body)": newstrace_roles(("body",)),
        "trafilatura (direct)": trafilatura_direct,
        "readability-lxml": readability,
        "newspaper4k": newspaper4k,
    }
    if args.roles:
        extractors["newstrace (body+dek)"] = newstrace_roles(("body", "dek"))
        extractors["newstrace (all content)"] = newstrace_roles(
            ("body", "dek", "editor_note", "caption")
        )
        # Every block, headline and furniture included: trafilatura with newstrace's
        # options, before any role is used; the gap to "body" is what the roles add.
        from newstrace.data import BLOCK_ROLES

        extractors["newstrace (all blocks)"] = newstrace_roles(BLOCK_ROLES)
    rows = []
    per_page: dict[str, dict[str, list[float]]] = {}
    warnings.simplefilter("ignore")
    for name, extract in extractors.items():
        started = time.perf_counter()
        pairs = []
        failed = 0
        for key in keys:
            try:
                pred = extract(pages[key])
            except Exception as exc:  # a peer failing on a page scores 0 there, as upstream
                print(f"{name}: {key}: {type(exc).__name__}: {exc}", file=sys.stderr)
                pred = ""
                failed += 1
            pairs.append((truth[key].get("articleBody", ""), pred))
            per_page.setdefault(name, {})[key] = list(page_scores(*pairs[-1]))
        elapsed = time.perf_counter() - started
        rows.append((name, *corpus_scores(pairs), elapsed / len(keys), failed))
    base_f1 = next(r[3] for r in rows if r[0] == "trafilatura (direct)")
    print(f"article-extraction dev half: {len(keys)} pages (odd half held out, not used)")
    print(
        f"{'extractor':26} {'precision':>9} {'recall':>7} {'F1':>6} {'F1/traf':>8} "
        f"{'s/page':>7} {'failed':>6}"
    )
    for name, p, r, f, secs, failed in rows:
        print(
            f"{name:26} {p:9.3f} {r:7.3f} {f:6.3f} {f / base_f1:8.3f} {secs:7.3f} {failed:6d}"
        )
    if args.dump:
        args.dump.write_text(json.dumps(per_page, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
