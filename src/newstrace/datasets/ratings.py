"""Loaders for the public outlet-rating lists, each read in its original format.

Every loader takes the list's folder and yields ``(host, Rating)``. A list whose folder is
absent is simply not installed; a file that is present but not in the expected shape is a
:class:`MalformedData` error naming the file (never a silent empty list).

Each rating keeps the list's own value and scale and adds a ``verdict`` (high, mixed, low or
None) by a fixed per-list mapping documented in docs/ratings.md; the summary band of an
outlet is computed from these verdicts in :mod:`newstrace.datasets.index`.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from newstrace.datasets.domains import host_of
from newstrace.errors import MalformedData

VERDICTS = ("high", "mixed", "low")


@dataclass(frozen=True, slots=True)
class Rating:
    source: str  # human name of the list (and of its upstream rater where relevant)
    list: str  # catalogue key: idiap, cred1, iffy, lasser, lin2023, opensources, user
    value: Any  # the list's own value, unchanged
    scale: str  # what the value means
    label: str | None = None
    date: str | None = None  # date of the list snapshot or of the rating
    imputed: bool = False  # estimated by a model rather than observed by a rater
    verdict: str | None = None  # high | mixed | low | None (no reliability judgement)
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if not out["detail"]:
            del out["detail"]
        return out


Loader = Callable[[Path], Iterator[tuple[str, Rating]]]


def _read_csv(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise MalformedData(f"cannot read ratings file {path}: {exc}") from exc
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise MalformedData(
                f"ratings file {path}: missing column(s) {', '.join(missing)} "
                f"(found {', '.join(h for h in header if h) or 'no header'})"
            )
        try:
            yield from reader
        except (csv.Error, UnicodeDecodeError) as exc:
            raise MalformedData(f"ratings file {path}: {exc}") from exc


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedData(f"ratings file {path}: not valid JSON ({exc})") from exc


def _site(value: str) -> str | None:
    """The host a list entry rates, or None for a page on a platform.

    "facebook.com/some-page" or "twitter.com/someone" rate one account, not the platform:
    such entries are skipped rather than pinned on facebook.com. "https://x.org/*" (Iffy's
    form) and a trailing slash are whole sites.
    """
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value.strip(), flags=re.IGNORECASE)
    text = re.sub(r"/\*?$", "", text)
    if "/" in text:
        return None
    return host_of(text)


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


# --- idiap News-Media-Reliability ---------------------------------------------------------

_IDIAP_LABELS = {1: "reliable", 0: "mixed", -1: "unreliable", -2: "Wikipedia-blacklisted"}
_IDIAP_VERDICTS = {1: "high", 0: "mixed", -1: "low", -2: "low"}
_MBFC_FACTUAL = {
    "very high": "high",
    "high": "high",
    "mostly factual": "mixed",
    "mixed": "mixed",
    "low": "low",
    "very low": "low",
}


def load_idiap(folder: Path) -> Iterator[tuple[str, Rating]]:
    gold = folder / "golden_truth_dataset.csv"
    if gold.is_file():
        for row in _read_csv(gold, ("domain", "reliability_label", "label_source")):
            host = _site(row["domain"])
            code = _float(row["reliability_label"])
            if host is None or code is None or int(code) not in _IDIAP_LABELS:
                continue
            code = int(code)
            detail = {"label_source": row["label_source"]}
            if row.get("newsguard_score"):
                detail["newsguard_score"] = _float(row["newsguard_score"])
            yield (
                host,
                Rating(
                    source=f"idiap News-Media-Reliability golden truth ({row['label_source']})",
                    list="idiap",
                    value=code,
                    scale="1 reliable, 0 mixed, -1 unreliable, -2 Wikipedia-blacklisted",
                    label=_IDIAP_LABELS[code],
                    verdict=_IDIAP_VERDICTS[code],
                    detail=detail,
                ),
            )
    mbfc = folder / "mbfc.csv"
    if mbfc.is_file():
        for row in _read_csv(mbfc, ("source", "factual_reporting", "bias")):
            host = _site(row["source"])
            factual = row["factual_reporting"].strip().lower()
            if host is None or factual not in _MBFC_FACTUAL:
                continue
            label = f"factual reporting: {factual}"
            if row["bias"]:
                label += f"; bias: {row['bias']}"
            yield (
                host,
                Rating(
                    source="Media Bias/Fact Check (idiap scrape)",
                    list="idiap",
                    value=factual,
                    scale="MBFC factual reporting: very high, high, mostly factual, mixed, low, "
                    "very low",
                    label=label,
                    verdict=_MBFC_FACTUAL[factual],
                    detail={"credibility": row.get("mbfc_credibility_rating") or None},
                ),
            )
    graph = folder / "reliability_scores.json"
    if graph.is_file():
        data = _read_json(graph)
        if not isinstance(data, dict):
            raise MalformedData(f"ratings file {graph}: expected an object of domains")
        for domain, scores in data.items():
            host = _site(domain)
            value = scores.get("p+fp-average") if isinstance(scores, dict) else None
            if host is None or not isinstance(value, int | float):
                continue
            verdict = "high" if value >= 0.5 else "low" if value <= -0.5 else "mixed"
            yield (
                host,
                Rating(
                    source="idiap News-Media-Reliability graph estimate",
                    list="idiap",
                    value=round(float(value), 4),
                    scale="-1 (unreliable) … 1 (reliable), estimated from the CC-NEWS link graph",
                    label="estimated reliability (p+fp average)",
                    imputed=True,  # a model estimate, not a rater's judgement
                    verdict=verdict,
                ),
            )


# --- CRED-1 ----------------------------------------------------------------------------------

_CRED1_VERDICTS = {"reliable": "high", "mixed": "mixed"}  # every other category: low


def load_cred1(folder: Path) -> Iterator[tuple[str, Rating]]:
    path = folder / "cred1_current.csv"
    if not path.is_file():
        return
    date = _cred1_date(folder)
    for row in _read_csv(path, ("domain", "category", "credibility_score")):
        host = _site(row["domain"])
        category = row["category"].strip().lower()
        if host is None or not category:
            continue
        detail = {k: row[k] for k in ("iffy_factual", "iffy_bias", "sources") if row.get(k)}
        yield (
            host,
            Rating(
                source="CRED-1",
                list="cred1",
                value=_float(row["credibility_score"]),
                scale="0–1 credibility score; the list holds only low-credibility domains",
                label=category,
                date=date,
                verdict=_CRED1_VERDICTS.get(category, "low"),
                detail=detail,
            ),
        )


def _cred1_date(folder: Path) -> str | None:
    """The newest dated heading of the changelog ("## 2026-08-04"), if shipped."""
    for name in ("changelog.md", "CHANGELOG.md"):
        path = folder / name
        if path.is_file():
            match = re.search(r"^##\s*(\d{4}-\d{2}-\d{2})", path.read_text("utf-8"), re.M)
            if match:
                return match.group(1)
    return None


# --- Iffy+ -----------------------------------------------------------------------------------


def _iffy_hosts(path: Path) -> set[str]:
    hosts = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        host = _site(line)
        if host is None:
            if host_of(line) is None:
                raise MalformedData(f"ratings file {path}: cannot read {line!r} as a site")
            continue  # a section of a site ("x.org/defender/*"), not the whole site
        hosts.add(host)
    return hosts


def load_iffy(folder: Path) -> Iterator[tuple[str, Rating]]:
    """Iffy+ snapshots: ``<date>__iffy_list.txt`` (MBFC factual low/very low) and
    ``<date>__iffy_list_incl_mixed.txt`` (also MBFC mixed). The newest low list rates a
    site low; a site only in a mixed-inclusive list is rated mixed (it may have been low
    then and dropped later: the date says which snapshot)."""
    if not folder.is_dir():
        return
    low = _listed_since(sorted(folder.glob("*__iffy_list.txt")))
    mixed = _listed_since(sorted(folder.glob("*__iffy_list_incl_mixed.txt")))
    for host, date in low.items():
        yield host, _iffy_rating(date, "low")
    for host, date in mixed.items():
        if host not in low:
            yield host, _iffy_rating(date, "mixed")


#: What each Iffy+ list says: (source, scale, label) by verdict.
_IFFY_LISTS = {
    "low": (
        "Iffy+ (Iffy.news)",
        "listed = MBFC factual reporting low or very low",
        "unreliable (Iffy+ index)",
    ),
    "mixed": (
        "Iffy+ incl. mixed (Iffy.news)",
        "listed = MBFC factual reporting mixed, low or very low",
        "mixed or lower (not in the low-only list)",
    ),
}


def _iffy_rating(date: str, verdict: str) -> Rating:
    source, scale, label = _IFFY_LISTS[verdict]
    return Rating(
        source=source,
        list="iffy",
        value="listed",
        scale=scale,
        label=label,
        date=date,
        verdict=verdict,
    )


def _listed_since(paths: list[Path]) -> dict[str, str]:
    """Host → date of the newest snapshot listing it (``paths`` oldest first)."""
    listed: dict[str, str] = {}
    for path in paths:
        date = path.name.split("__", 1)[0]
        for host in _iffy_hosts(path):
            listed[host] = date
    return listed


# --- Lasser et al. ---------------------------------------------------------------------------


def load_lasser(folder: Path) -> Iterator[tuple[str, Rating]]:
    path = folder / "clean" / "domain_list_clean.csv"
    if not path.is_file():
        return
    for row in _read_csv(path, ("url", "label", "source", "last_update", "accuracy")):
        host = _site(row["url"])
        accuracy = _float(row["accuracy"])
        if host is None or accuracy is None:
            continue
        verdict = "low" if accuracy <= 2 else "mixed" if accuracy < 4 else "high"
        yield (
            host,
            Rating(
                source=f"Lasser et al. misinformation domains ({row['source']})",
                list="lasser",
                value=accuracy,
                scale="accuracy 1 (lowest) … 5 (highest)",
                label=row["label"] or None,
                date=row["last_update"] or None,
                verdict=verdict,
                detail={"transparency": _float(row.get("transparency")), "type": row.get("type")},
            ),
        )


# --- Lin et al. 2023 -------------------------------------------------------------------------

#: The graded component rating sets of the ensemble. misinfome_bin is binary and always
#: filled, so it cannot tell an observed value from an imputed one; it is not counted.
_LIN_COMPONENTS = ("afm", "fc", "mbfc", "lewandowsky_mean")


def _observed(raw: str) -> bool:
    """Published ratings sit on coarse grids (MBFC in sixths rounded to 4 places, Ad Fontes
    to 4 places, Lewandowsky in halves); the ensemble's imputed values carry full float
    precision. So a value with at most 4 decimals was observed."""
    return "." not in raw or len(raw.split(".", 1)[1]) <= 4


def load_lin2023(folder: Path) -> Iterator[tuple[str, Rating]]:
    full = folder / "domain_ratings.csv"
    pc1_only = folder / "domain_pc1.csv"
    path = full if full.is_file() else pc1_only if pc1_only.is_file() else None
    if path is None:
        return
    has_components = path is full
    required = ("domain", "pc1", *_LIN_COMPONENTS) if has_components else ("domain", "pc1")
    for row in _read_csv(path, required):
        host = _site(row["domain"])
        pc1 = _float(row["pc1"])
        if host is None or pc1 is None:
            continue
        if has_components:
            observed = [c for c in _LIN_COMPONENTS if row[c] and _observed(row[c])]
            imputed = not observed
            detail: dict[str, Any] = {"observed_components": observed}
        else:
            imputed = True  # components unknown: cannot show the value was observed
            detail = {"observed_components": None}
        verdict = "high" if pc1 >= 0.7 else "low" if pc1 <= 0.4 else "mixed"
        yield (
            host,
            Rating(
                source="Lin et al. 2023 domain quality (pc1)",
                list="lin2023",
                value=round(pc1, 4),
                scale="0 (lowest quality) … 1 (highest); ensemble of six rating sets",
                label="imputed from other domains" if imputed else "aggregate quality",
                date="2023",
                imputed=imputed,
                verdict=verdict,
                detail=detail,
            ),
        )


# --- OpenSources -----------------------------------------------------------------------------

_OPENSOURCES_VERDICTS = {
    "reliable": "high",
    "bias": "mixed",
    "clickbait": "mixed",
    "political": "mixed",
    "state": "mixed",
    "satire": "low",
    "fake": "low",
    "fake news": "low",
    "conspiracy": "low",
    "junksci": "low",
    "hate": "low",
    "rumor": "low",
    "unreliable": "low",
}
_RANK = {"low": 0, "mixed": 1, "high": 2}


def load_opensources(folder: Path) -> Iterator[tuple[str, Rating]]:
    path = folder / "sources.json"
    if not path.is_file():
        return
    data = _read_json(path)
    if not isinstance(data, dict):
        raise MalformedData(f"ratings file {path}: expected an object of domains")
    for domain, entry in data.items():
        host = _site(domain)
        if host is None or not isinstance(entry, dict):
            continue
        tags = [str(entry.get(k) or "").strip().lower() for k in ("type", "2nd type", "3rd type")]
        tags = [t for t in tags if t]
        verdicts = [_OPENSOURCES_VERDICTS[t] for t in tags if t in _OPENSOURCES_VERDICTS]
        if not tags:
            continue
        yield (
            host,
            Rating(
                source="OpenSources",
                list="opensources",
                value=", ".join(tags),
                scale="tags: fake, satire, bias, conspiracy, junksci, hate, clickbait, "
                "unreliable, political, reliable, state, rumor",
                label=", ".join(tags),
                date="2017-04",
                verdict=min(verdicts, key=_RANK.__getitem__) if verdicts else None,
            ),
        )


LOADERS: dict[str, Loader] = {
    "idiap": load_idiap,
    "cred1": load_cred1,
    "iffy": load_iffy,
    "lasser": load_lasser,
    "lin2023": load_lin2023,
    "opensources": load_opensources,
}


# --- the user's own file ---------------------------------------------------------------------

USER_COLUMNS = ("domain", "band")


def load_user_ratings(path: Path) -> Iterator[tuple[str, Rating]]:
    """The user's CSV (docs/ratings.md): ``domain,band[,label,source,date,value,scale]``."""
    if not path.is_file():
        raise MalformedData(f"ratings file {path} (ratings_file) does not exist")
    default_source = f"user ratings ({path.name})"
    for number, row in enumerate(_read_csv(path, USER_COLUMNS), start=2):
        raw_domain = (row.get("domain") or "").strip()
        if not raw_domain or raw_domain.startswith("#"):
            continue
        host = host_of(raw_domain)
        band = (row.get("band") or "").strip().lower()
        if host is None:
            raise MalformedData(f"{path} line {number}: {raw_domain!r} is not a domain")
        if band not in VERDICTS:
            raise MalformedData(
                f"{path} line {number}: band must be one of {', '.join(VERDICTS)}, not {band!r}"
            )
        yield (
            host,
            Rating(
                source=(row.get("source") or "").strip() or default_source,
                list="user",
                value=(row.get("value") or "").strip() or band,
                scale=(row.get("scale") or "").strip() or "user band: high, mixed, low",
                label=(row.get("label") or "").strip() or None,
                date=(row.get("date") or "").strip() or None,
                verdict=band,
            ),
        )
