"""The honesty ruler: the report's sourcing verdicts against sentence-labelled real articles.

    .venv/bin/python bench/sourcing.py [--fold dev|report|all] [--data DIR] [--show KIND]
    .venv/bin/python bench/sourcing.py --fold dev --write-precision   # calibrate severities

Gold: ``../shared/data/sourcing-gold`` (26 real articles, every body sentence labelled for
whose voice it is and whether the text gives its source; labels in its GUIDELINES.md). Each
article is read as a user would give it: the saved HTML page where there is one, else the
CSV row (title + content, as ``newstrace corpus run`` reads FakeNewsCorpus) or the text
file with its title file (Horne 2017).

Gold sentences are matched to the report's text by their letters and digits (quotation
marks, spacing and dashes aside), in body order. Measured:

- writer's-voice precision / recall: sentences the report calls the writer's own
  (``unsourced``, ``hedged``, ``opinion``, ``question``) against gold ``writer-*``;
- false accusations: gold ``reported``/``quote``/``sourced-nearby`` sentences the report
  calls the writer's own;
- sourced sentences found: gold ``reported``/``quote`` the report calls attributed or quoted;
- speaker accuracy: of gold-sourced sentences the report attributes, those whose speaker
  is the gold speaker (names compared by their words; a pronoun is never a speaker);
- headline support: the report's headline verdict against the gold's, where the gold has
  a headline;
- every finding kind the labels can check, per severity the rules proposed
  (``proposed_severity``), as the share of findings whose every checkable evidence sentence
  the labels confirm.

Folds: articles sorted by id within each source set (FakeNewsCorpus, Horne, saved pages) and
dealt alternately: even positions are the development fold (rules may be written looking
at them), odd positions the report fold (only measured). ``--write-precision`` writes the
development fold's per-kind precision into the package
(``src/newstrace/resources/severity/precision.json``), which caps every finding's severity.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import re
import sys
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import newstrace  # noqa: E402
from newstrace.assess.severity import PRECISION_FILE, THRESHOLDS  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
WRITER = frozenset({"writer-fact", "writer-speculation", "writer-opinion", "writer-question"})
SOURCED = frozenset({"reported", "quote", "sourced-nearby"})
REPORT_WRITER = frozenset({"unsourced", "hedged", "opinion", "question"})
REPORT_SOURCED = frozenset({"attributed", "quoted"})
PRONOUNS = frozenset({"i", "he", "she", "they", "we", "it", "you", "him", "her", "them", "his",
                      "its", "their", "me", "us"})
_STOP = frozenset({"the", "a", "an", "one", "of", "for", "to", "in", "at", "on", "and", "by",
                   "with", "as", "from", "his", "her", "its", "their", "who", "which", "that",
                   "this", "these", "those", "s"})


# --------------------------------------------------------------------------- gold input


@dataclass
class Gold:
    id: str
    source: str
    url: str | None
    headline: str
    headline_is_question: bool
    headline_support: str
    chains: list[list[str]]
    sentences: list[dict[str, Any]]


def load_gold(folder: Path) -> list[Gold]:
    out = []
    for path in sorted((folder / "articles").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        out.append(Gold(raw["id"], raw["source"], raw.get("url"), raw.get("headline") or "",
                        bool(raw.get("headline_is_question")), raw.get("headline_support", ""),
                        raw.get("chains") or [], raw["sentences"]))
    return out


def folds(golds: list[Gold]) -> dict[str, list[Gold]]:
    by_set: dict[str, list[Gold]] = defaultdict(list)
    for gold in golds:
        by_set[gold.id.split("-")[0]].append(gold)
    out: dict[str, list[Gold]] = {"dev": [], "report": []}
    for members in by_set.values():
        for i, gold in enumerate(sorted(members, key=lambda g: g.id)):
            out["dev" if i % 2 == 0 else "report"].append(gold)
    return out


def user_input(gold: Gold, data: Path) -> dict[str, Any]:
    """What a user would hand newstrace for this article: content, format, url."""
    name, _, locator = gold.source.partition(":")
    path = data / name
    if name.endswith(".html.gz"):
        return {"source": gzip.decompress(path.read_bytes()), "format": "html", "url": gold.url}
    if name.endswith(".csv"):
        wanted = locator.removeprefix("id=")
        csv.field_size_limit(1 << 30)
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("id") == wanted:
                    title = " ".join((row.get("title") or "").split())
                    body = row.get("content") or ""
                    return {"source": f"{title}\n\n{body}" if title else body,
                            "format": "text", "url": row.get("url") or None}
        raise KeyError(gold.source)
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            body = archive.read(locator).decode("cp1252", errors="replace")
            title_name = locator.replace("/Fake/", "/Fake_titles/").replace(
                "/Real/", "/Real_titles/")
            try:
                title = archive.read(title_name).decode("cp1252", errors="replace").strip()
            except KeyError:
                title = ""
        return {"source": f"{title}\n\n{body}" if title else body, "format": "text",
                "url": None}
    raise ValueError(f"unknown gold source {gold.source}")


# --------------------------------------------------------------------------- alignment


def letters(text: str) -> tuple[str, list[int]]:
    """Lower-cased letters and digits of ``text`` with each one's offset in ``text``."""
    chars, offsets = [], []
    for i, ch in enumerate(text):
        if ch.isalnum():
            chars.append(ch.lower())
            offsets.append(i)
    return "".join(chars), offsets


def locate(sentences: list[dict[str, Any]], text: str) -> list[tuple[int, int] | None]:
    """Each gold sentence's (start, end) in the report's text, searched in body order."""
    norm, offsets = letters(text)
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for sentence in sentences:
        key, _ = letters(sentence["text"])
        if not key:
            spans.append(None)
            continue
        at = norm.find(key, cursor)
        if at < 0:
            at = norm.find(key)
        length = len(key)
        if at < 0 and len(key) >= 40:  # extraction differences inside: anchor both ends
            head, tail = norm.find(key[:30], cursor), -1
            if head >= 0:
                tail = norm.find(key[-30:], head, head + len(key) * 2)
            if head >= 0 and tail >= 0:
                at, length = head, tail + 30 - head
        if at < 0:
            spans.append(None)
            continue
        spans.append((offsets[at], offsets[at + length - 1] + 1))
        cursor = at + length
    return spans


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def best(span: tuple[int, int], items: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    scored = [(overlap(span, (it["start"], it["end"])), it) for it in items]
    scored = [(o, it) for o, it in scored if o > 0]
    return max(scored, key=lambda p: p[0])[1] if scored else None


# --------------------------------------------------------------------------- speakers


def name_words(name: str | None) -> set[str]:
    if not name:
        return set()
    name = re.sub(r"\([^)]*\)", " ", name.lower()).replace("’", "'")
    words = re.findall(r"[a-z0-9]+", name.replace("'s ", " "))
    return {w for w in words if w not in _STOP}


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _initials(name: str) -> str:
    """"United States" → "us": the acronym a name is also written as."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _STOP).lower()


def _same_person(pred: str, gold: str) -> bool:
    """"Patrick W. Carlineo" and "Patrick Carlineo Jr.": the same given name and surname,
    middle initials and suffixes aside."""
    p = [w for w in re.findall(r"[a-z]+", pred.lower()) if w not in _SUFFIXES]
    g = [w for w in re.findall(r"[a-z]+", gold.lower()) if w not in _SUFFIXES]
    return len(p) >= 2 and len(g) >= 2 and p[0] == g[0] and p[-1] == g[-1]


def _acronym(pred: str, gold: str) -> bool:
    """"US" and "the United States": one is the other's initials (two letters or more)."""
    for short, long in ((pred, gold), (gold, pred)):
        bare = re.sub(r"[^A-Za-z]", "", strip_the(short))
        if 2 <= len(bare) <= 5 and bare.isupper() and bare.lower() == _initials(long):
            return True
    return False


def strip_the(name: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE)


def same_speaker(pred: str | None, gold: str | None) -> bool:
    """Names agree when one's words hold the other's, when they are one person's given
    name and surname (middle initials and suffixes aside), or when one is the other's
    acronym ("US" / "United States")."""
    if not pred or not gold or pred.strip().lower() in PRONOUNS:
        return False
    p, g = name_words(pred), name_words(gold)
    if not p or not g:
        return False
    if p <= g or g <= p or _same_person(pred, gold) or _acronym(pred, gold):
        return True
    alternatives = [name_words(part) for part in re.split(r"\s*(?:/|\bor\b|;)\s*", gold)]
    return any(alt and (p <= alt or alt <= p) for alt in alternatives)


# --------------------------------------------------------------------------- one article


@dataclass
class Row:
    """One gold sentence with the report's reading of it."""

    gold: dict[str, Any]
    span: tuple[int, int] | None
    status: str | None = None  # the report's claim status; None when not a claim
    speaker: str | None = None


@dataclass
class Result:
    gold: Gold
    report: dict[str, Any]
    rows: list[Row]
    seconds: float = 0.0
    headline_pred: str | None = None
    finding_checks: list[tuple[str, str, str, bool | None, list[str]]] = field(
        default_factory=list)  # (kind, proposed, severity, confirmed, why)


def read_rows(gold: Gold, report: dict[str, Any]) -> list[Row]:
    spans = locate(gold.sentences, report["text"])
    claims, atts = report["claims"], report["attributions"]
    rows = []
    for sentence, span in zip(gold.sentences, spans, strict=True):
        row = Row(sentence, span)
        if span is not None:
            claim = best(span, claims)
            row.status = claim["status"] if claim else None
            if claim is not None and claim.get("role") == "headline":
                row.status = "headline"  # the gold labels the headline apart from the body
            att = None
            if claim is not None and claim.get("attribution") is not None:
                att = atts[claim["attribution"]]
            elif claim is not None and claim["status"] in REPORT_SOURCED:
                att = best(span, atts)
            if att and att.get("continues") is not None:
                att = atts[att["continues"]]  # a quotation's later sentence: its statement
            if att:  # the speaker resolved, else the source as the report writes it
                row.speaker = att.get("speaker") or (att.get("source") or {}).get("text")
        rows.append(row)
    return rows


def headline_verdict(report: dict[str, Any]) -> str | None:
    """The report's headline reading in the gold's four words (None: no headline)."""
    head = report.get("headline") or {}
    if not head.get("text"):
        return None
    clauses = [c for c in head.get("clauses") or [] if c.get("claim")]
    if not clauses:
        return "not-stated"
    made = [c for c in clauses if c.get("made_by_body")]
    if not made:
        return "not-stated"
    if len(made) < len(clauses):
        return "partly"
    attributed = any(s.get("status") in REPORT_SOURCED for c in made for s in c["support"])
    return "stated-attributed" if attributed else "stated-unsourced"


# --------------------------------------------------------------------------- findings


def evidence_rows(finding: dict[str, Any], rows: list[Row]) -> list[Row]:
    out = []
    for ev in finding.get("evidence") or []:
        span = (ev["start"], ev["end"])
        located = [(overlap(span, r.span), r) for r in rows if r.span is not None]
        located = [(o, r) for o, r in located if o > 0]
        if located:
            row = max(located, key=lambda p: p[0])[1]
            if row not in out:
                out.append(row)
    return out


def _all_labels(allowed: frozenset[str]) -> Callable[..., bool | None]:
    def check(finding: dict[str, Any], rows: list[Row], gold: Gold) -> bool | None:
        found = evidence_rows(finding, rows)
        if not found:
            return None
        return all(r.gold["label"] in allowed for r in found)
    return check


def _first_label(allowed: frozenset[str]) -> Callable[..., bool | None]:
    """The finding is about its first evidence sentence; the rest is context (the facts
    a speculation sits next to)."""
    def check(finding: dict[str, Any], rows: list[Row], gold: Gold) -> bool | None:
        found = evidence_rows(finding, rows)
        return found[0].gold["label"] in allowed if found else None
    return check


def _anonymous(finding: dict[str, Any], rows: list[Row], gold: Gold) -> bool | None:
    found = evidence_rows(finding, rows)
    if not found:
        return None
    return any(r.gold["label"] in SOURCED and r.gold.get("anonymous") for r in found)


def _chain(finding: dict[str, Any], rows: list[Row], gold: Gold) -> bool | None:
    chain = finding.get("chain") or []
    if len(chain) < 2:
        return None
    return any(len(g) >= 2 and same_speaker(chain[0], g[0]) and same_speaker(chain[-1], g[-1])
               for g in gold.chains)


def _headline(allowed: frozenset[str]) -> Callable[..., bool | None]:
    def check(finding: dict[str, Any], rows: list[Row], gold: Gold) -> bool | None:
        if not gold.headline:
            return None
        return gold.headline_support in allowed
    return check


def _question(finding: dict[str, Any], rows: list[Row], gold: Gold) -> bool | None:
    return gold.headline_is_question if gold.headline else None


#: What the labels can confirm of each finding kind.
CHECKS: dict[str, Callable[..., bool | None]] = {
    "unsourced_assertion": _all_labels(WRITER),
    "speculation": _first_label(frozenset({"writer-speculation", "writer-question",
                                            "writer-opinion"})),
    "loaded_language": _all_labels(WRITER),
    "anonymous_source": _anonymous,
    "second_hand_chain": _chain,
    "headline_unsupported": _headline(frozenset({"not-stated"})),
    "headline_unsourced_support": _headline(frozenset({"stated-unsourced", "partly"})),
    "headline_question": _question,
}


def check_findings(result: Result) -> None:
    for finding in result.report["findings"]:
        check = CHECKS.get(finding["kind"])
        verdict = check(finding, result.rows, result.gold) if check else None
        proposed = finding.get("proposed_severity", finding["severity"])
        why = [f"{r.gold['label']}: {r.gold['text'][:90]}"
               for r in evidence_rows(finding, result.rows)]
        result.finding_checks.append((finding["kind"], proposed, finding["severity"], verdict,
                                      why))


def run_article(gold: Gold, data: Path, analyzer: Any) -> Result:
    import time

    given = user_input(gold, data)
    start = time.perf_counter()
    report = newstrace.analyze(given["source"], format=given["format"], url=given["url"],
                               analyzer=analyzer).to_dict()
    result = Result(gold, report, read_rows(gold, report), time.perf_counter() - start)
    result.headline_pred = headline_verdict(report)
    check_findings(result)
    return result


# --------------------------------------------------------------------------- metrics


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def sentence_metrics(results: list[Result]) -> dict[str, Any]:
    rows = [r for res in results for r in res.rows]
    matched = [r for r in rows if r.span is not None]
    pred_w = [r for r in matched if r.status in REPORT_WRITER]
    gold_w = [r for r in matched if r.gold["label"] in WRITER]
    both = [r for r in pred_w if r.gold["label"] in WRITER]
    sourced = [r for r in matched if r.gold["label"] in SOURCED]
    direct = [r for r in matched if r.gold["label"] in {"reported", "quote"}]
    accused = [r for r in sourced if r.status in REPORT_WRITER]
    found = [r for r in direct if r.status in REPORT_SOURCED]
    with_speaker = [r for r in sourced if r.status in REPORT_SOURCED and r.gold.get("speaker")]
    right = [r for r in with_speaker if same_speaker(r.speaker, r.gold["speaker"])]
    heads = [res for res in results if res.gold.headline]
    head_ok = [res for res in heads if res.headline_pred == res.gold.headline_support]
    stated = [res for res in heads if ((res.headline_pred or "not-stated") != "not-stated"
              and res.gold.headline_support != "not-stated")
              or (res.headline_pred or "not-stated") == res.gold.headline_support == "not-stated"]
    return {
        "articles": len(results), "sentences": len(rows), "matched": len(matched),
        "writer_precision": ratio(len(both), len(pred_w)), "writer_called": len(pred_w),
        "writer_recall": ratio(len(both), len(gold_w)), "writer_gold": len(gold_w),
        "false_accusations": len(accused), "false_accusation_rate": ratio(len(accused),
                                                                          len(sourced)),
        "sourced_found": ratio(len(found), len(direct)), "sourced_gold": len(direct),
        "speaker_accuracy": ratio(len(right), len(with_speaker)),
        "speaker_checked": len(with_speaker),
        "headline_accuracy": ratio(len(head_ok), len(heads)),
        "headline_stated_accuracy": ratio(len(stated), len(heads)), "headlines": len(heads),
    }


def finding_precision(results: list[Result]) -> dict[tuple[str, str], tuple[int, int]]:
    """(kind, proposed severity) → (confirmed, checked)."""
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for res in results:
        for kind, proposed, _sev, verdict, _why in res.finding_checks:
            if verdict is None:
                continue
            tally[(kind, proposed)][1] += 1
            tally[(kind, proposed)][0] += int(verdict)
    return {k: (v[0], v[1]) for k, v in tally.items()}


def print_tables(name: str, results: list[Result]) -> None:
    m = sentence_metrics(results)
    print(f"\n## {name} fold: {m['articles']} articles, {m['sentences']} gold sentences, "
          f"{m['matched']} found in the report's text")
    print("\n| measure | value | of | target |\n|---|---:|---:|---:|")
    lines = [
        ("writer's-voice precision", m["writer_precision"], m["writer_called"], "≥ 0.95"),
        ("writer's-voice recall", m["writer_recall"], m["writer_gold"], "≥ 0.85"),
        ("false accusations (sourced called the writer's), rate", m["false_accusation_rate"],
         m["false_accusations"], "—"),
        ("sourced sentences found", m["sourced_found"], m["sourced_gold"], "≥ 0.95"),
        ("speaker accuracy", m["speaker_accuracy"], m["speaker_checked"], "≥ 0.92"),
        ("headline support, 4-way", m["headline_accuracy"], m["headlines"], "≥ 0.85"),
        ("headline support, stated or not", m["headline_stated_accuracy"], m["headlines"], "—"),
    ]
    for label, value, n, target in lines:
        print(f"| {label} | {fmt(value)} | {n} | {target} |")
    severities: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for res in results:
        for kind, proposed, sev, verdict, _ in res.finding_checks:
            if verdict is not None:
                severities[(kind, proposed)][sev] += 1
    print("\n| finding kind | proposed | confirmed / checked | precision | shown as |")
    print("|---|---|---:|---:|---|")
    for (kind, proposed), (ok, n) in sorted(finding_precision(results).items()):
        shown = ", ".join(f"{s} {c}" for s, c in severities[(kind, proposed)].items())
        print(f"| {kind} | {proposed} | {ok} / {n} | {ok / n:.3f} | {shown} |")
    shown_tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for res in results:
        for _kind, _proposed, sev, verdict, _ in res.finding_checks:
            if verdict is not None:
                shown_tally[sev][1] += 1
                shown_tally[sev][0] += int(verdict)
    print("\n| severity shown | confirmed / checked | precision | target |\n|---|---:|---:|---:|")
    for sev in ("high", "medium", "low", "info"):
        ok, n = shown_tally.get(sev, [0, 0])
        target = {"high": "≥ 0.95", "medium": "≥ 0.85"}.get(sev, "—")
        print(f"| {sev} | {ok} / {n} | {fmt(ratio(ok, n))} | {target} |")


def write_precision(results: list[Result], fold: str) -> None:
    table = {
        "measured_on": f"sourcing-gold, {fold} fold ({len(results)} articles)",
        "date": dt.date.today().isoformat(),
        "command": f"bench/sourcing.py --fold {fold} --write-precision",
        "thresholds": THRESHOLDS,
        "kinds": {},
    }
    for (kind, proposed), (ok, n) in sorted(finding_precision(results).items()):
        table["kinds"].setdefault(kind, {})[proposed] = {"confirmed": ok, "checked": n}
    PRECISION_FILE.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n",
                              encoding="utf-8")
    print(f"\nwrote {PRECISION_FILE.relative_to(ROOT)}")


def _disagrees(what: str, r: Row) -> bool:
    label, status = r.gold["label"], r.status
    if what == "accusations":
        return label in SOURCED and status in REPORT_WRITER
    if what == "precision":
        return status in REPORT_WRITER and label not in WRITER
    if what == "recall":
        return label in WRITER and status not in REPORT_WRITER
    if what == "missed":
        return label in {"reported", "quote"} and status not in REPORT_SOURCED
    if what == "speakers":
        return (label in SOURCED and status in REPORT_SOURCED and bool(r.gold.get("speaker"))
                and not same_speaker(r.speaker, r.gold["speaker"]))
    return False


def show(results: list[Result], what: str) -> None:
    """Print the disagreements behind one measure (for reading, not for tuning to)."""
    for res in results:
        for r in res.rows:
            label, status = r.gold["label"], r.status
            if _disagrees(what, r):
                print(f"[{res.gold.id}] gold={label} ({r.gold.get('speaker')}) "
                      f"report={status} ({r.speaker}): {r.gold['text'][:160]}")
        for kind, proposed, sev, verdict, why in res.finding_checks:
            if what == kind and verdict is False:
                print(f"[{res.gold.id}] {kind} {proposed}->{sev}: " + " | ".join(why)[:300])
        if what == "headline" and res.gold.headline:
            print(f"[{res.gold.id}] gold={res.gold.headline_support} "
                  f"report={res.headline_pred}: {res.gold.headline[:100]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--fold", choices=("dev", "report", "all"), default="report")
    parser.add_argument("--write-precision", action="store_true")
    parser.add_argument("--show", default=None,
                        help="accusations, precision, recall, missed, speakers, headline or a kind")
    args = parser.parse_args(argv)
    folder = args.data / "sourcing-gold"
    if not folder.is_dir():
        print(f"sourcing gold not found at {folder}: nothing to measure")
        return 0
    golds = load_gold(folder)
    chosen = golds if args.fold == "all" else folds(golds)[args.fold]
    if args.write_precision and args.fold == "report":
        parser.error("severity is calibrated on the development fold, never the report fold")
    analyzer = newstrace.Analyzer.default()
    results = [run_article(g, args.data, analyzer) for g in chosen]
    print(f"# sourcing-gold: {', '.join(g.id for g in chosen)}")
    print_tables(args.fold, results)
    secs = sorted(r.seconds for r in results)
    print(f"\nanalysis time per article: median {secs[len(secs) // 2]:.2f} s, "
          f"max {secs[-1]:.2f} s")
    if args.show:
        print()
        show(results, args.show)
    if args.write_precision:
        write_precision(results, args.fold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
