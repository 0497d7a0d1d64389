"""A labelled syndication corpus built from real articles, for bench/trace.py.

Real article texts from the shared data folder (PolNeAR, FakeNewsCorpus sample, CoAID,
article-extraction ground-truth bodies) become the originals of stories. Each story gets a
chain of re-posts by synthetic outlets, each copy made from an earlier member with
realistic changes: another site's navigation and footer, a rewritten headline, truncation,
an inserted editor's or translator's note, a declared "originally published by" line, light
rewording (synonyms, reordered sentences, changed numbers, hedges), OCR-like noise. Other
articles quote one to three paragraphs of a story inside their own unrelated text. The
rest of the pool stays unrelated. Fixed seed; nothing is written unless asked.

Ground truth comes from where each paragraph came from: every paragraph carries an origin
id, so two documents are related exactly when they share an origin; shared passages are the
character spans of those paragraphs; the source of a pair is the ancestor in the copy chain.

Scale corpora (``filler`` > 0) add unrelated articles written by a word-bigram model of
the pool, so 10 k–1 M documents can be generated from a few thousand real texts.

    python bench/syndication.py --out /tmp/synd --docs 5000
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import re
import sys
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“])")
_WORDS = re.compile(r"\w+")


def data_dir() -> Path:
    import os

    env = os.environ.get("NEWSTRACE_DATA")
    for candidate in (Path(env) if env else None, ROOT.parent / "shared" / "data"):
        if candidate is not None and candidate.is_dir():
            return candidate
    sys.exit("shared data not found: set NEWSTRACE_DATA")


# --- the pool of real articles ----------------------------------------------------------


@dataclass
class Base:
    key: str
    title: str
    paragraphs: list[str]


def _chunk_sentences(text: str, target: int = 60) -> list[str]:
    """Blob text → paragraphs of about ``target`` words at sentence ends (or word ends)."""
    sentences = _SENT.split(text.strip())
    if len(sentences) <= 1:  # no sentence punctuation (CoAID is stripped): cut at words
        words = text.split()
        return [" ".join(words[i : i + target]) for i in range(0, len(words), target)]
    paras, cur, n = [], [], 0
    for s in sentences:
        cur.append(s)
        n += len(s.split())
        if n >= target:
            paras.append(" ".join(cur))
            cur, n = [], 0
    if cur:
        paras.append(" ".join(cur))
    return paras


def load_pool(root: Path, coaid_limit: int = 5000) -> list[Base]:
    csv.field_size_limit(1 << 30)
    pool: list[Base] = []
    for split in ("train", "dev"):
        for path in sorted((root / "polnear" / split / "text").glob("*.txt")):
            parts = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n")]
            parts = [p for p in parts if p]
            if len(parts) > 2:
                pool.append(Base(f"polnear:{path.stem}", parts[0], parts[1:]))
    with (root / "fakenewscorpus-sample" / "news_sample.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            paras = [p for line in row["content"].split("\n") for p in _chunk_sentences(line)]
            pool.append(Base(f"fnc:{row['id']}", row["title"] or "", [p for p in paras if p]))
    seen = 0
    for path in sorted((root / "coaid-news").glob("*/NewsRealCOVID-19.csv")):
        with path.open(encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                if seen >= coaid_limit or not row.get("content"):
                    continue
                seen += 1
                title = row.get("title") or row.get("newstitle") or ""
                # CoAID keeps at most ~100 words per article: short paragraphs.
                pool.append(
                    Base(
                        f"coaid:{path.parent.name}:{seen}",
                        title,
                        _chunk_sentences(row["content"], target=30),
                    )
                )
    truth = json.loads((root / "article-extraction" / "ground-truth.json").read_text())
    for key, item in sorted(truth.items()):
        paras = [p.strip() for p in item["articleBody"].split("\n") if p.strip()]
        if len(paras) > 2:
            pool.append(Base(f"extraction:{key}", paras[0][:120], paras[1:]))
    return _dedupe([b for b in pool if _usable(b)])


def _usable(b: Base) -> bool:
    b.paragraphs = [p for p in b.paragraphs if len(p.split()) >= 8]
    return len(b.paragraphs) >= 2 and sum(len(p.split()) for p in b.paragraphs) >= 60


def _dedupe(pool: list[Base]) -> list[Base]:
    """Drop articles sharing text with an earlier one (wire copies inside the sources), so
    the only related documents are those this generator makes."""
    index: dict[int, int] = {}
    kept: list[Base] = []
    for b in pool:
        words = [w.casefold() for w in _WORDS.findall(" ".join(b.paragraphs))]
        grams = {zlib.crc32(" ".join(words[i : i + 6]).encode()) for i in range(len(words) - 5)}
        hits: dict[int, int] = defaultdict(int)
        for g in grams:
            if g in index:
                hits[index[g]] += 1
        if hits and max(hits.values()) >= 5:
            continue
        for g in grams:
            index.setdefault(g, len(kept))
        kept.append(b)
    return kept


# --- documents --------------------------------------------------------------------------


@dataclass
class Para:
    text: str
    role: str
    origin: str | None  # shared-text identity; None for page furniture


@dataclass
class Doc:
    id: str
    outlet: int
    published: datetime | None
    paras: list[Para]
    story: str
    parent: str | None = None
    ancestors: list[str] = field(default_factory=list)
    declared: str | None = None  # outlet domain named in a provenance note
    transforms: list[str] = field(default_factory=list)
    quoted_from: str | None = None  # partial quotation host: the member it quotes


def outlet_domain(i: int) -> str:
    return f"outlet{i:03d}.example"


def outlet_name(i: int) -> str:
    return f"The Daily Outlet {i:03d}"


_SECTIONS = [
    "Home",
    "World",
    "Politics",
    "Business",
    "Tech",
    "Science",
    "Health",
    "Sports",
    "Culture",
    "Opinion",
    "Video",
]


def _furniture(rng: random.Random, outlet: int) -> tuple[str, str]:
    r = random.Random(outlet)  # each outlet keeps its own navigation and footer
    nav = " | ".join(r.sample(_SECTIONS, 6)) + " | Subscribe | Log in"
    footer = (
        f"© {r.randint(2015, 2020)} {outlet_name(outlet)}. All rights reserved. "
        f"Sign up for the {outlet_name(outlet)} newsletter to get our top stories every "
        f"{r.choice(['morning', 'evening', 'week'])}. Contact us | Privacy | Terms of use"
    )
    return nav, footer


SYNONYMS = {
    "said": "stated",
    "says": "states",
    "big": "large",
    "people": "individuals",
    "help": "assist",
    "show": "demonstrate",
    "shows": "demonstrates",
    "buy": "purchase",
    "start": "begin",
    "started": "began",
    "about": "roughly",
    "many": "numerous",
    "important": "significant",
    "get": "obtain",
    "use": "utilize",
    "need": "require",
    "try": "attempt",
    "also": "additionally",
    "told": "informed",
    "new": "fresh",
    "after": "following",
    "before": "prior to",
    "because": "since",
    "children": "kids",
    "house": "home",
    "job": "position",
    "country": "nation",
    "fast": "quick",
    "attack": "assault",
    "claim": "assertion",
    "law": "legislation",
    "asked": "questioned",
}
_HEDGE_IN = ["reportedly", "allegedly", "apparently"]


def reword(rng: random.Random, text: str) -> str:
    """Light rewording: synonyms, one reordered sentence pair, a changed number, a hedge."""
    words = text.split(" ")
    for i, w in enumerate(words):
        core = w.strip(".,;:!?\"'“”")
        if core.lower() in SYNONYMS and rng.random() < 0.5:
            words[i] = w.replace(core, SYNONYMS[core.lower()])
    text = " ".join(words)
    sentences = _SENT.split(text)
    if len(sentences) >= 3 and rng.random() < 0.5:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
        text = " ".join(sentences)
    numbers = list(re.finditer(r"\b\d+\b", text))
    if numbers and rng.random() < 0.6:
        m = rng.choice(numbers)
        text = text[: m.start()] + str(int(m.group()) + rng.randint(1, 9)) + text[m.end() :]
    if rng.random() < 0.3:
        m = re.search(r"\b(is|are|was|were|has|have) ", text)
        if m:
            text = text[: m.end()] + rng.choice(_HEDGE_IN) + " " + text[m.end() :]
    return text


_OCR = {"m": "rn", "l": "1", "o": "0", "e": "c", "i": "l", "h": "b", "s": "5", "a": "o"}


def ocr_noise(rng: random.Random, text: str, rate: float) -> str:
    """OCR-like damage: confused letters, dropped letters, joined and hyphen-broken words."""
    words = text.split(" ")
    out: list[str] = []
    for w in words:
        if len(w) > 3 and rng.random() < rate:
            op = rng.randrange(4)
            i = rng.randrange(1, len(w) - 1)
            if op == 0 and w[i] in _OCR:
                w = w[:i] + _OCR[w[i]] + w[i + 1 :]
            elif op == 1:
                w = w[:i] + w[i + 1 :]
            elif op == 2 and out:
                out[-1] += w
                continue
            else:
                w = w[:i] + "- " + w[i:]
        out.append(w)
    return " ".join(out)


def headline_variant(rng: random.Random, title: str) -> str:
    choice = rng.randrange(4)
    words = title.split()
    if choice == 0 and len(words) > 5:
        return " ".join(words[: max(4, len(words) * 2 // 3)])
    if choice == 1:
        return rng.choice(["BREAKING: ", "WATCH: ", "Report: ", "Exclusive: "]) + title
    if choice == 2:
        return " ".join(SYNONYMS.get(w.lower(), w) for w in words) + " — here is what we know"
    return title.upper() if len(title) < 90 else title + " (updated)"


NOTES = [
    "Editor's note: This story has been updated with additional reporting and a response "
    "from the officials named below.",
    "Translator's note: quotations below were translated from the original language and "
    "may differ slightly in wording.",
    "Editor's note: An earlier version of this article misstated a figure; it has been "
    "corrected below.",
    "Update: This article was revised after publication to add context from local sources.",
]


_NAMES = ["Alvarez", "Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Kowalski", "Reyes"]


def _sentences(paras: list[Para]) -> list[str]:
    return [s for p in paras for s in _SENT.split(p.text.strip()) if s]


def edit_quote(rng: random.Random, quoted: list[Para], host: list[Para]) -> list[Para] | None:
    """A quotation as re-users edit it (``hard`` corpora): sentences excerpted, reordered,
    interleaved with the host's own sentences, reworded, names and numbers changed, and
    the quoted paragraphs run together or split differently. None when too little of
    the quoted text survives verbatim to call the pair related (under 40 words).

    A block that holds sentences of several source paragraphs names all their origins
    (``a|b``), so the ground truth still knows what it shares."""
    sents = [(x, p.origin) for p in quoted for x in _SENT.split(p.text.strip()) if x]
    if len(sents) >= 3 and rng.random() < 0.6:  # excerpt: a run of at least 60 %
        keep = max(2, int(len(sents) * rng.uniform(0.6, 0.9)))
        start = rng.randrange(len(sents) - keep + 1)
        sents = sents[start : start + keep]
    if len(sents) >= 3 and rng.random() < 0.5:  # reorder: two sentences trade places
        i, j = rng.sample(range(len(sents)), 2)
        sents[i], sents[j] = sents[j], sents[i]
    if rng.random() < 0.5:  # names and numbers changed, words swapped
        sents = [(reword(rng, x), o) for x, o in sents]
        for k, (x, o) in enumerate(sents):
            caps = re.findall(r"(?<=\s)[A-Z][a-z]{3,}\b", x)
            if caps and rng.random() < 0.5:
                sents[k] = (x.replace(rng.choice(caps), rng.choice(_NAMES), 1), o)
    own = _sentences([p for p in host if p.role == "body"]) or ["The details remain disputed."]
    if len(sents) >= 2 and rng.random() < 0.6:  # interleaved with the host's commentary
        for _ in range(rng.randint(1, 2)):
            sents.insert(rng.randrange(1, len(sents)), (rng.choice(own), None))
    if sum(len(x.split()) for x, o in sents if o is not None) < 40:
        return None
    # Paragraphing of the re-user's own: one block, or split at a random sentence.
    parts = [sents]
    if len(sents) >= 4 and rng.random() < 0.5:
        cut = rng.randrange(2, len(sents) - 1)
        parts = [sents[:cut], sents[cut:]]
    out = []
    for part in parts:
        origins = list(dict.fromkeys(o for _, o in part if o is not None))
        out.append(Para(" ".join(x for x, _ in part), "body", "|".join(origins) or None))
    return out


class Generator:
    def __init__(
        self, pool: list[Base], seed: int = 13, outlets: int = 60, hard: bool = False
    ) -> None:
        self.hard = hard
        self.rng = random.Random(seed)
        self.pool = pool
        self.outlets = outlets
        self.docs: list[Doc] = []
        self.by_id: dict[str, Doc] = {}
        self._n = 0

    def _new_id(self) -> str:
        self._n += 1
        return f"d{self._n:07d}"

    def _add(self, doc: Doc) -> Doc:
        self.docs.append(doc)
        self.by_id[doc.id] = doc
        return doc

    def original(self, base_index: int, story: str | None = None) -> Doc:
        b = self.pool[base_index]
        key = f"b{base_index}"
        paras = [Para(b.title, "headline", f"{key}:h")]
        paras += [Para(p, "body", f"{key}:{i}") for i, p in enumerate(b.paragraphs)]
        date = datetime(2020, 1, 1) + timedelta(minutes=self.rng.randrange(365 * 24 * 60))
        doc_id = self._new_id()
        return self._add(
            Doc(doc_id, self.rng.randrange(self.outlets), date, paras, story or doc_id)
        )

    def copy(self, parent: Doc) -> Doc:
        rng = self.rng
        outlet = rng.choice([o for o in range(self.outlets) if o != parent.outlet])
        paras = [Para(p.text, p.role, p.origin) for p in parent.paras]
        transforms = ["repost"]
        if rng.random() < 0.5:
            title = headline_variant(rng, paras[0].text)
            # Only a change of words is a new headline (case alone is not).
            same = _WORDS.findall(title.casefold()) == _WORDS.findall(paras[0].text.casefold())
            paras[0] = Para(title, "headline", paras[0].origin if same else None)
            transforms.append("headline")
        body = [p for p in paras if p.role == "body"]
        if rng.random() < 0.25 and len(body) >= 5:
            keep = rng.randint(max(2, len(body) // 3), len(body) - 2)
            drop = {id(p) for p in body[keep:]}
            paras = [p for p in paras if id(p) not in drop]
            transforms.append("truncate")
        if rng.random() < 0.5:
            sel = [p for p in paras if p.role == "body"]
            for p in rng.sample(sel, max(1, len(sel) // 3)):
                p.text = reword(rng, p.text)
            transforms.append("reword")
        if rng.random() < 0.2:
            rate = rng.uniform(0.01, 0.04)
            for p in paras:
                if p.role == "body":
                    p.text = ocr_noise(rng, p.text, rate)
            transforms.append("ocr")
        if rng.random() < 0.3:
            paras.insert(1, Para(rng.choice(NOTES), "editor_note", f"note:{self._n}"))
            transforms.append("note")
        declared = None
        if rng.random() < 0.35:
            declared = outlet_domain(parent.outlet)
            line = rng.choice(
                [
                    f"This article originally appeared on {declared}.",
                    f"Republished with permission from {outlet_name(parent.outlet)} ({declared}).",
                ]
            )
            paras.append(Para(line, "provenance_note", None))
            transforms.append("declared")
        gap = timedelta(minutes=rng.randint(30, 5 * 24 * 60))
        date = parent.published + gap if parent.published else None
        doc = Doc(
            self._new_id(),
            outlet,
            date,
            paras,
            parent.story,
            parent.id,
            [parent.id, *parent.ancestors],
            declared,
            transforms,
        )
        return self._add(doc)

    def quote(self, host_index: int, member: Doc) -> Doc | None:
        """A new article (from an unused pool text) quoting 1–3 paragraphs of ``member``."""
        rng = self.rng
        body = [p for p in member.paras if p.role == "body"]
        n = rng.randint(1, 3)
        if len(body) < n + 1:
            return None
        start = rng.randrange(len(body) - n + 1)
        quoted = [Para(p.text, "body", p.origin) for p in body[start : start + n]]
        if sum(len(p.text.split()) for p in quoted) < 40:
            return None
        # The plain corpus draws exactly as it always did (its figures stay comparable).
        if not self.hard and rng.random() < 0.3:
            for p in quoted:
                p.text = reword(rng, p.text)
        host = self.original(host_index)
        if self.hard:
            edited = edit_quote(rng, quoted, host.paras)
            if edited is None:
                self.docs.remove(host)
                del self.by_id[host.id]
                return None
            quoted = edited
        pos = rng.randint(2, max(2, len(host.paras) - 1))
        intro = Para(f"As {outlet_name(member.outlet)} reported earlier:", "body", None)
        host.paras[pos:pos] = [intro, *quoted]
        host.published = (
            member.published + timedelta(hours=rng.randint(2, 240)) if member.published else None
        )
        host.quoted_from = member.id
        host.transforms = ["quote"]
        return host

    def filler(self, model: BigramModel, paragraphs: int) -> Doc:
        paras = [Para(model.sentence(self.rng, 8, 14), "headline", None)]
        paras += [Para(model.paragraph(self.rng), "body", None) for _ in range(paragraphs)]
        doc_id = self._new_id()
        date = datetime(2020, 1, 1) + timedelta(minutes=self.rng.randrange(365 * 24 * 60))
        return self._add(Doc(doc_id, self.rng.randrange(self.outlets), date, paras, doc_id))


class BigramModel:
    """Word bigrams of the pool: new, unrelated text with news-like vocabulary."""

    def __init__(self, pool: list[Base]) -> None:
        self.next: dict[str, list[str]] = defaultdict(list)
        for b in pool:
            for p in b.paragraphs:
                words = p.split()
                for x, y in itertools.pairwise(words):
                    self.next[x].append(y)
        self.starts = [w for w in self.next if w[:1].isupper()]

    def sentence(self, rng: random.Random, lo: int = 12, hi: int = 30) -> str:
        w = rng.choice(self.starts)
        out = [w]
        for _ in range(rng.randint(lo, hi)):
            options = self.next.get(w)
            w = rng.choice(options) if options else rng.choice(self.starts)
            out.append(w)
        return " ".join(out).rstrip(".,;:") + "."

    def paragraph(self, rng: random.Random) -> str:
        return " ".join(self.sentence(rng) for _ in range(rng.randint(2, 4)))


# --- assembling a corpus ----------------------------------------------------------------


def generate(
    pool: list[Base],
    docs: int,
    seed: int = 13,
    story_share: float = 0.45,
    quote_share: float = 0.08,
    filler: bool = False,
    hard: bool = False,
) -> list[Doc]:
    """About ``docs`` documents: stories with re-post chains, quoting articles, unrelated
    ones. Without ``filler`` the count is capped by the pool (each text used once).
    ``hard``: quotations edited as re-users edit them (:func:`edit_quote`)."""
    gen = Generator(pool, seed, hard=hard)
    rng = gen.rng
    order = list(range(len(pool)))
    rng.shuffle(order)
    n_quote = int(docs * quote_share)
    per_story = 3.0  # mean members per story (original + copies)
    n_stories = max(1, int(docs * story_share / per_story))
    if not filler:
        n_stories = min(n_stories, len(pool) // 3)
        n_quote = min(n_quote, len(pool) // 4)
    cursor = 0
    members_by_story: dict[str, list[Doc]] = {}
    for s in range(n_stories):
        original = gen.original(order[cursor % len(order)])
        cursor += 1
        members = [original]
        for _ in range(min(8, 1 + int(rng.expovariate(1 / (per_story - 1.5))))):
            # Prefer recent members as parents: re-posts of re-posts form chains.
            parent = members[-1] if rng.random() < 0.5 else rng.choice(members)
            members.append(gen.copy(parent))
        members_by_story[original.story] = members
        if filler and cursor >= len(order):
            break
        del s
    stories = list(members_by_story.values())
    for _ in range(n_quote):
        if cursor >= len(order):
            break
        member = rng.choice(rng.choice(stories))
        if gen.quote(order[cursor], member) is not None:
            cursor += 1
    model = BigramModel(pool) if filler else None
    while len(gen.docs) < docs:
        if cursor < len(order) and (model is None or cursor < len(order)):
            gen.original(order[cursor])
            cursor += 1
        elif model is not None:
            gen.filler(model, rng.randint(4, 12))
        else:
            break
    _dateless(gen)
    return gen.docs


def _dateless(gen: Generator) -> None:
    """Some pages carry no date: the trace must fall back to other evidence."""
    for doc in gen.docs:
        if gen.rng.random() < 0.2:
            doc.published = None


def render(doc: Doc) -> dict[str, Any]:
    """The document as a JSONL record with role-labelled blocks (what the structure layer
    gives the trace), plus the paragraph spans the ground truth needs."""
    rng = random.Random(doc.id)
    nav, footer = _furniture(rng, doc.outlet)
    pieces: list[tuple[str, str, str | None]] = [(nav, "navigation", None)]
    for p in doc.paras:
        pieces.append((p.text, p.role, p.origin))
        if p.role == "headline" and rng.random() < 0.7:
            pieces.append((f"By Staff Writer {rng.randint(1, 400)}", "byline", None))
    pieces.append((footer, "boilerplate", None))
    text, blocks, origins = "", [], []
    for body, role, origin in pieces:
        if text:
            text += "\n\n"
        start = len(text)
        text += body
        blocks.append({"role": role, "start": start, "end": len(text)})
        origins.append(origin)
    return {
        "id": doc.id,
        "text": text,
        "title": doc.paras[0].text if doc.paras and doc.paras[0].role == "headline" else None,
        "published": doc.published.isoformat() if doc.published else None,
        "domain": outlet_domain(doc.outlet),
        "publisher": outlet_name(doc.outlet),
        "url": f"https://{outlet_domain(doc.outlet)}/news/{doc.id}",
        "blocks": blocks,
        "_origins": origins,
    }


# --- ground truth -----------------------------------------------------------------------


@dataclass
class Truth:
    pairs: dict[tuple[str, str], dict[str, Any]]  # (a, b) with a < b
    story: dict[str, str]


def ground_truth(docs: list[Doc], records: list[dict[str, Any]], min_words: int = 20) -> Truth:
    by_id = {d.id: d for d in docs}
    rec = {r["id"]: r for r in records}
    holders: dict[str, list[str]] = defaultdict(list)
    for r in records:
        for origin, block in zip(r["_origins"], r["blocks"], strict=True):
            if origin is not None and block["role"] in ("headline", "body"):
                for one in origin.split("|"):  # an edited quotation may merge several
                    holders[one].append(r["id"])
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for origin, ids in holders.items():
        ids = sorted(set(ids))
        if len(ids) > 50:
            continue
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                shared[(ids[i], ids[j])].add(origin)
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for (a, b), origins in shared.items():
        spans_a, spans_b = _passages(rec[a], rec[b], origins)
        words = sum(len(rec[a]["text"][s:e].split()) for s, e in spans_a)
        if words < min_words:
            continue
        da, db = by_id[a], by_id[b]
        source = None
        if a in db.ancestors:
            source = a
        elif b in da.ancestors:
            source = b
        elif db.quoted_from and (db.quoted_from == a or a in by_id[db.quoted_from].ancestors):
            source = a
        elif da.quoted_from and (da.quoted_from == b or b in by_id[da.quoted_from].ancestors):
            source = b
        kind = "partial" if (da.quoted_from or db.quoted_from) and da.story != db.story else "copy"
        pairs[(a, b)] = {
            "passages_a": spans_a,
            "passages_b": spans_b,
            "source": source,
            "kind": kind,
        }
    return Truth(pairs, {d.id: d.story for d in docs})


def _passages(
    ra: dict[str, Any], rb: dict[str, Any], origins: set[str]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Shared paragraphs, merged into one passage where they follow each other in both
    documents with nothing but whitespace between them on either side."""
    where_b = {
        one: i
        for i, o in enumerate(rb["_origins"])
        if o is not None
        for one in o.split("|")
        if one in origins
    }
    out_a: list[tuple[int, int]] = []
    out_b: list[tuple[int, int]] = []
    prev: tuple[int, int] | None = None
    for i, o in enumerate(ra["_origins"]):
        mine = [x for x in (o or "").split("|") if x in origins and x in where_b]
        if not mine:
            continue
        j = where_b[mine[0]]
        ba, bb = ra["blocks"][i], rb["blocks"][j]
        if (
            prev is not None
            and j == prev[1] + 1
            and i == prev[0] + 1
            and not ra["text"][out_a[-1][1] : ba["start"]].strip()
            and not rb["text"][out_b[-1][1] : bb["start"]].strip()
        ):
            out_a[-1] = (out_a[-1][0], ba["end"])
            out_b[-1] = (out_b[-1][0], bb["end"])
        else:
            out_a.append((ba["start"], ba["end"]))
            out_b.append((bb["start"], bb["end"]))
        prev = (i, j)
    return out_a, out_b


def corpus(
    docs: int,
    seed: int = 13,
    filler: bool = False,
    root: Path | None = None,
    hard: bool = False,
) -> tuple[list[dict[str, Any]], list[Doc]]:
    pool = load_pool(root or data_dir())
    generated = generate(pool, docs, seed, filler=filler, hard=hard)
    return [render(d) for d in generated], generated


def iter_records(records: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for r in records:
        yield {k: v for k, v in r.items() if not k.startswith("_")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--filler", action="store_true")
    args = parser.parse_args()
    records, docs = corpus(args.docs, args.seed, args.filler)
    truth = ground_truth(docs, records)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "corpus.jsonl").open("w", encoding="utf-8") as f:
        for r in iter_records(records):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    (args.out / "truth.json").write_text(
        json.dumps(
            {
                "pairs": [{"a": a, "b": b, **v} for (a, b), v in truth.pairs.items()],
                "story": truth.story,
            }
        )
    )
    print(f"{len(records)} documents, {len(truth.pairs)} related pairs -> {args.out}")


if __name__ == "__main__":
    main()
