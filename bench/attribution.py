"""Attribution extraction on PolNeAR, scored as BBC Citron scores PARC 3.0.

    .venv/bin/python bench/attribution.py [--split dev] [--limit N] [--data DIR]

PolNeAR (brat standoff) annotates each attribution as Source / Cue / Content spans joined
by an ``Attribution`` event. Articles with several annotators have several ``.ann``
files (``<name>_<annotator>.ann``); the bench takes the one with the smallest annotator id,
so the choice is deterministic. Develop on ``train``; report on ``dev``.

Metrics follow Citron's ``metrics.py`` (described, not copied):

- cue exact: predicted cue span equals a gold cue span;
- source / content exact: the cues overlap and the source (content) span lists are
  equal;
- overlap: summed token overlaps of every predicted/gold pair, over the predicted
  (precision) and gold (recall) token lengths.

A continuation sentence newstrace attaches to a statement adds to that statement's
content list (PolNeAR marks such content as one discontinuous span). The peer measured in
the same run is a cue-word baseline (say/tell/according to, source = the capitalised
words or pronoun before the cue, content = the rest of the sentence); Citron's published
PARC 3.0 test figures are printed beside for reference (another corpus).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newstrace.config import Settings  # noqa: E402
from newstrace.data import Article, Block  # noqa: E402

CITRON_PARC3 = {  # Citron en_2021-11-15 model card, PARC 3.0 test partition (F1, %)
    ("cue", "exact"): 82.3,
    ("source", "exact"): 82.0,
    ("content", "exact"): 59.3,
    ("content", "overlap"): 83.3,
}

Spans = tuple[tuple[int, int], ...]


@dataclass
class Quote:
    cue: tuple[int, int]
    sources: Spans = ()
    contents: Spans = ()


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    overlap: int = 0
    pred_len: int = 0
    gold_len: int = 0

    def exact(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def overlapping(self) -> tuple[float, float, float]:
        p = self.overlap / self.pred_len if self.pred_len else 0.0
        r = self.overlap / self.gold_len if self.gold_len else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Scores:
    parts: dict[str, Tally] = field(
        default_factory=lambda: {k: Tally() for k in ("cue", "source", "content")}
    )
    predicted: int = 0
    gold: int = 0


# --- data ----------------------------------------------------------------------------


def pick_annotations(folder: Path) -> dict[str, Path]:
    """One .ann per article: the smallest annotator id, for a deterministic choice."""
    chosen: dict[str, Path] = {}
    for ann in sorted(folder.glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        chosen.setdefault(name, ann)
    return chosen


def _offsets(field_text: str) -> Spans:
    out = []
    for part in field_text.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return tuple(out)


def read_gold(path: Path) -> list[Quote]:
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            label, _, offs = cols[1].partition(" ")
            spans[cols[0]] = (label, _offsets(offs))
        elif line.startswith("E") and len(cols) >= 2:
            args = dict(a.split(":", 1) for a in cols[1].split())
            events.append(args)
    quotes: list[Quote] = []
    for ev in events:
        if "Attribution" not in ev or "Cue" not in ev:
            continue
        cue = spans[ev["Cue"]][1]
        sources = spans[ev["Source"]][1] if "Source" in ev else ()
        contents = spans[ev["Content"]][1] if "Content" in ev else ()
        quotes.append(Quote((cue[0][0], cue[-1][1]), sources, contents))
    return quotes


def article_from_text(text: str) -> Article:
    """First line is the title (headline); blank-line separated paragraphs are body."""
    blocks: list[Block] = []
    for i, m in enumerate(re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text)):
        if m.group(0).strip():
            blocks.append(Block("headline" if i == 0 else "body", m.start(), m.end()))
    return Article(text=text, blocks=blocks)


# --- predictions ---------------------------------------------------------------------


def newstrace_quotes(article: Article) -> list[Quote]:
    spans = article.layer("attributions")
    # PolNeAR is univocal (a token belongs to at most one attribution): statements that
    # newstrace finds nested inside another's content are left out of the comparison.
    tops = [s for s in spans if not s.attrs.get("continuation")]
    spans = [
        s for s in spans
        if not any(
            o is not s and o.attrs.get("content") is not None
            and o.attrs["content"].start <= s.attrs["cue"].start < o.attrs["content"].end
            for o in tops
        )
    ]
    quotes: list[Quote] = []
    by_cue: dict[tuple[int, int], Quote] = {}
    for s in spans:
        a = s.attrs
        cue = (a["cue"].start, a["cue"].end)
        content = (a["content"].start, a["content"].end) if a.get("content") else None
        if a.get("continuation"):
            parent = by_cue.get(cue)
            if parent is not None and content:
                parent.contents = (*parent.contents, content)
            continue
        src = a.get("source")
        q = Quote(cue, ((src.start, src.end),) if src else (), (content,) if content else ())
        by_cue[cue] = q
        quotes.append(q)
    return quotes


_BASE_CUE = re.compile(r"\b(?:said|says|say|told|tells|according to)\b", re.IGNORECASE)
_BASE_SOURCE = re.compile(
    r"((?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*|\b(?:he|she|they|it|He|She|They|It))\s*$"
)


def baseline_quotes(article: Article) -> list[Quote]:
    """Cue-word baseline: one quote per cue word in a sentence-ish chunk."""
    text = article.text
    out: list[Quote] = []
    for m in re.finditer(r"[^.!?\n]+[.!?]?", text):
        chunk_start, chunk = m.start(), m.group(0)
        cue = _BASE_CUE.search(chunk)
        if not cue:
            continue
        cs, ce = chunk_start + cue.start(), chunk_start + cue.end()
        src = _BASE_SOURCE.search(text[chunk_start:cs])
        sources = ((chunk_start + src.start(1), chunk_start + src.end(1)),) if src else ()
        rest_start, rest_end = ce, chunk_start + len(chunk.rstrip(" .!?"))
        while rest_start < rest_end and text[rest_start] in " ,:":
            rest_start += 1
        if text.startswith("that ", rest_start):
            rest_start += 5
        contents = ((rest_start, rest_end),) if rest_end > rest_start else ()
        out.append(Quote((cs, ce), sources, contents))
    return out


# --- scoring -------------------------------------------------------------------------


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _tokens(text: str, spans: Spans) -> set[int]:
    """Token ids (start offsets of \\w+ runs and punctuation) inside ``spans``."""
    out: set[int] = set()
    for s, e in spans:
        out.update(m.start() + s for m in re.finditer(r"\w+|[^\w\s]", text[s:e]))
    return out


def score(text: str, predicted: list[Quote], gold: list[Quote], into: Scores) -> None:
    into.predicted += len(predicted)
    into.gold += len(gold)
    cue = into.parts["cue"]
    for p in predicted:
        if any(p.cue == g.cue for g in gold):
            cue.tp += 1
        else:
            cue.fp += 1
    cue.fn += sum(1 for g in gold if not any(p.cue == g.cue for p in predicted))
    for part in ("source", "content"):
        tally = into.parts[part]

        def spans(q: Quote, part: str = part) -> Spans:
            return q.sources if part == "source" else q.contents

        def match(p: Quote, g: Quote, part: str = part) -> bool:
            return _overlaps(p.cue, g.cue) and tuple(sorted(spans(p))) == tuple(
                sorted(spans(g))
            )

        for p in predicted:
            if any(match(p, g) for g in gold):
                tally.tp += 1
            else:
                tally.fp += 1
        tally.fn += sum(1 for g in gold if not any(match(p, g) for p in predicted))
    for part, get in (
        ("cue", lambda q: (q.cue,)),
        ("source", lambda q: q.sources),
        ("content", lambda q: q.contents),
    ):
        tally = into.parts[part]
        pred_tokens = [_tokens(text, get(q)) for q in predicted]
        gold_tokens = [_tokens(text, get(q)) for q in gold]
        tally.pred_len += sum(len(t) for t in pred_tokens)
        tally.gold_len += sum(len(t) for t in gold_tokens)
        for pt in pred_tokens:
            for gt in gold_tokens:
                tally.overlap += len(pt & gt)


def run(split_dir: Path, limit: int | None) -> tuple[Scores, Scores, float, int]:
    from newstrace.analyze import attribution, entities, nlp

    settings = Settings()
    annotators = [nlp.build(settings), entities.build(settings), attribution.build(settings)]
    ours, base = Scores(), Scores()
    chosen = pick_annotations(split_dir / "attributions")
    names = sorted(chosen)[:limit] if limit else sorted(chosen)
    elapsed = 0.0
    for name in names:
        text_path = split_dir / "text" / f"{name}.txt"
        if not text_path.is_file():
            continue
        text = text_path.read_text(encoding="utf-8")
        gold = read_gold(chosen[name])
        article = article_from_text(text)
        t0 = time.perf_counter()
        for annotator in annotators:
            article = annotator(article)
        elapsed += time.perf_counter() - t0
        score(text, newstrace_quotes(article), gold, ours)
        score(text, baseline_quotes(article), gold, base)
    return ours, base, elapsed, len(names)


def table(ours: Scores, base: Scores) -> Iterable[str]:
    yield f"{'span':8} {'match':8} {'P':>6} {'R':>6} {'F1':>6} | {'base F1':>7} {'ratio':>6}" \
          f" | {'Citron PARC3 F1':>15}"
    for part in ("source", "cue", "content"):
        for kind in ("exact", "overlap"):
            t, b = ours.parts[part], base.parts[part]
            p, r, f = t.exact() if kind == "exact" else t.overlapping()
            bf = (b.exact() if kind == "exact" else b.overlapping())[2]
            ratio = f"{f / bf:.2f}" if bf else "-"
            citron = CITRON_PARC3.get((part, kind))
            cit = f"{citron:.1f}" if citron is not None else "-"
            yield (f"{part:8} {kind:8} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f} | "
                   f"{100 * bf:7.1f} {ratio:>6} | {cit:>15}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=("train", "dev"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear")
    args = ap.parse_args()
    split_dir = args.data / args.split
    if not split_dir.is_dir():
        sys.exit(f"PolNeAR split not found: {split_dir}")
    ours, base, elapsed, n = run(split_dir, args.limit)
    print(f"PolNeAR {args.split}: {n} articles, {ours.gold} gold attributions, "
          f"{ours.predicted} predicted by newstrace, {base.predicted} by the baseline; "
          f"newstrace {elapsed:.1f}s ({1000 * elapsed / max(n, 1):.0f} ms/article)")
    for line in table(ours, base):
        print(line)


if __name__ == "__main__":
    main()
