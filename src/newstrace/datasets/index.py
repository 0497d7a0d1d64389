"""The domain → ratings index: built once per process from the installed lists.

Band rule (docs/ratings.md):

1. A rating from the user's own file decides the band (it overrides the public lists).
2. Otherwise the verdicts of the *observed* ratings (not imputed) are scored high = 1,
   mixed = 0.5, low = 0 and averaged: ≥ 0.75 is ``high``, ≤ 0.25 is ``low``, anything
   between is ``mixed``.
3. With only imputed ratings the same average is taken, and ``band_basis`` says
   ``imputed`` so a reader knows it is weak evidence.
4. No rating at all: ``unrated``. Absence from a list is never read as a rating (CRED-1 and
   Iffy list only unreliable sites).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newstrace.config import Settings
from newstrace.datasets.catalog import LISTS, RATINGS_DIR
from newstrace.datasets.domains import candidate_hosts, host_of
from newstrace.datasets.ratings import LOADERS, Rating, load_user_ratings

_SCORE = {"high": 1.0, "mixed": 0.5, "low": 0.0}
BANDS = ("high", "mixed", "low", "unrated")


@dataclass(slots=True)
class Summary:
    band: str
    basis: str | None  # user | observed | imputed | None
    ratings: list[Rating]
    matched: str | None = None  # the host the ratings were found under

    def to_dict(self) -> dict[str, Any]:
        return {
            "band": self.band,
            "band_basis": self.basis,
            "rated_as": self.matched,
            "ratings": [r.to_dict() for r in self.ratings],
        }


def summarise(ratings: list[Rating]) -> tuple[str, str | None]:
    """(band, basis) for one outlet's ratings, by the rule in the module docstring."""
    user = [r for r in ratings if r.list == "user" and r.verdict]
    if user:
        return user[-1].verdict or "unrated", "user"
    for basis, pool in (
        ("observed", [r for r in ratings if r.verdict and not r.imputed]),
        ("imputed", [r for r in ratings if r.verdict and r.imputed]),
    ):
        if pool:
            mean = sum(_SCORE[r.verdict or "mixed"] for r in pool) / len(pool)
            band = "high" if mean >= 0.75 else "low" if mean <= 0.25 else "mixed"
            return band, basis
    return "unrated", None


@dataclass(slots=True)
class RatingIndex:
    by_host: dict[str, list[Rating]] = field(default_factory=dict)
    lists_loaded: list[str] = field(default_factory=list)
    user_file: Path | None = None
    load_seconds: float = 0.0

    @property
    def installed(self) -> bool:
        """Whether any ratings data (public lists or a user file) was found."""
        return bool(self.lists_loaded or self.user_file)

    def add(self, host: str, rating: Rating) -> None:
        self.by_host.setdefault(host, []).append(rating)

    def lookup(self, domain: str | None) -> Summary:
        """Every rating of ``domain`` (the most specific rated host) and its band."""
        host = host_of(domain) if domain else None
        if host is None:
            return Summary("unrated", None, [])
        for candidate in candidate_hosts(host):
            ratings = self.by_host.get(candidate)
            if ratings:
                # The user's ratings first: they are the ones that decide.
                ordered = sorted(ratings, key=lambda r: r.list != "user")
                band, basis = summarise(ordered)
                return Summary(band, basis, ordered, candidate)
        return Summary("unrated", None, [])

    def note(self) -> str | None:
        if self.installed:
            return None
        return (
            "No outlet ratings are installed: every outlet is reported as unrated. "
            "Run `newstrace data fetch ratings` or set NEWSTRACE_DATA."
        )


def build_index(data_dir: Path | None, ratings_file: Path | None = None) -> RatingIndex:
    """Read every installed list under ``data_dir/source-ratings`` and the user's file."""
    started = time.perf_counter()
    index = RatingIndex()
    root = data_dir / RATINGS_DIR if data_dir is not None else None
    if root is not None and root.is_dir():
        for rating_list in LISTS:
            folder = root / rating_list.folder
            if not folder.is_dir():
                continue
            count = 0
            for host, rating in LOADERS[rating_list.key](folder):
                index.add(host, rating)
                count += 1
            if count:
                index.lists_loaded.append(rating_list.key)
    if ratings_file is not None:
        for host, rating in load_user_ratings(ratings_file):
            index.add(host, rating)
        index.user_file = ratings_file
    index.load_seconds = time.perf_counter() - started
    return index


_CACHE: dict[tuple[Any, ...], RatingIndex] = {}
_LOCK = threading.Lock()


def _stamp(path: Path | None) -> tuple[str, float] | None:
    if path is None:
        return None
    try:
        return (str(path.resolve()), path.stat().st_mtime)
    except OSError:
        return (str(path), -1.0)


def get_index(settings: Settings) -> RatingIndex:
    """The index for these settings, built on first use and cached for the process.

    The cache key includes the folder's and the user file's modification times, so a
    fetch or an edited user file is picked up without a restart.
    """
    key = (_stamp(settings.data_dir), _stamp(settings.ratings_file))
    with _LOCK:
        index = _CACHE.get(key)
        if index is None:
            index = build_index(settings.data_dir, settings.ratings_file)
            _CACHE[key] = index
        return index


