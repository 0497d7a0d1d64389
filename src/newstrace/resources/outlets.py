"""The shipped outlet table: names, variants and abbreviations → domain, language, country.

``outlets.tsv`` (beside this module) is written by the project itself, one outlet a line,
each with the source its facts were taken from (see ``outlets.NOTE.md``). It is general
data: news agencies, newspapers, broadcasters and websites of many countries, reliable and
not. It carries no ratings; those come from the third-party lists in the data folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newstrace.datasets.domains import candidate_hosts, host_of
from newstrace.errors import MalformedData

TABLE_FILE = "outlets.tsv"
_COLUMNS = ("name", "domain", "aliases", "language", "country", "kind", "source")


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    domain: str
    aliases: tuple[str, ...]
    language: str | None
    country: str | None
    kind: str | None
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "domain": self.domain,
            "aliases": list(self.aliases),
            "language": self.language,
            "country": self.country,
            "kind": self.kind,
            "source": self.source,
        }


def name_key(name: str) -> str:
    """Loose key for outlet names: case, a leading "the", spaces and punctuation ignored.

    "North Star", "NorthStar" and "northstar" meet; so do "Example.net" and "EXAMPLE.NET".
    """
    text = name.casefold().strip()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[\W_]+", "", text)


class OutletTable:
    """Lookup by name variant or domain, and a matcher for outlet names in running text."""

    def __init__(self, outlets: list[Outlet]):
        self.outlets = outlets
        self._by_domain: dict[str, Outlet] = {}
        self._by_key: dict[str, Outlet] = {}
        for outlet in outlets:
            self._by_domain.setdefault(outlet.domain, outlet)
            for variant in outlet.names:
                key = name_key(variant)
                if key:
                    self._by_key.setdefault(key, outlet)
            self._by_key.setdefault(name_key(outlet.domain), outlet)
        self._pattern: re.Pattern[str] | None = None

    def __len__(self) -> int:
        return len(self.outlets)

    def by_domain(self, value: str) -> Outlet | None:
        host = host_of(value)
        if host is None:
            return None
        for candidate in candidate_hosts(host):
            if candidate in self._by_domain:
                return self._by_domain[candidate]
        return None

    def by_name(self, name: str) -> Outlet | None:
        key = name_key(name)
        if not key:
            return None
        found = self._by_key.get(key)
        if found is None:
            # "Harbour Times magazine", "the BBC website": a known name plus a generic noun.
            # The spaces are taken from the start of their run only ((?<!\s)): a bare \s+
            # is retried from each space of a long run (quadratic).
            stripped = re.sub(
                r"(?<!\s)\s++(?:magazine|newspaper|news\s*paper|website|web\s*site|online|daily|"
                r"weekly|news\s+agency|agency|tv|radio|channel|network|blog|portal)\.?$",
                "",
                name.strip(),
                flags=re.IGNORECASE,
            )
            if stripped != name.strip():
                found = self._by_key.get(name_key(stripped))
        return found

    def resolve(self, value: str) -> Outlet | None:
        """A name variant or a domain/URL → the outlet, or None (never a guess)."""
        return self.by_name(value) or (self.by_domain(value) if "." in value else None)

    @property
    def pattern(self) -> re.Pattern[str]:
        """One regex over every matchable variant, longest first, case-sensitive.

        Variants with a parenthesis ("ABC (Spain)") are lookup names only: they never occur
        in running text. Case matters: "Time", "Focus" and "AP" are outlets only when
        written as such, so the table lists only variants that are safe to match.
        """
        if self._pattern is None:
            variants = {v for o in self.outlets for v in o.names if "(" not in v and len(v) >= 2}
            alternation = "|".join(
                re.escape(v) for v in sorted(variants, key=lambda v: (-len(v), v))
            )
            self._pattern = re.compile(rf"(?<![\w.@/-])(?:{alternation})(?![\w@]|\.\w|-\w)")
        return self._pattern

    def find_in(self, text: str) -> list[tuple[int, int, Outlet]]:
        """Every outlet name variant in ``text`` as (start, end, outlet)."""
        out = []
        for match in self.pattern.finditer(text):
            outlet = self._by_key.get(name_key(match.group()))
            if outlet is not None:
                out.append((match.start(), match.end(), outlet))
        return out


def parse_table(lines: list[str], origin: str = TABLE_FILE) -> list[Outlet]:
    outlets: list[Outlet] = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\n").split("\t")
        if len(cells) != len(_COLUMNS):
            raise MalformedData(
                f"{origin} line {number}: expected {len(_COLUMNS)} tab-separated columns "
                f"({', '.join(_COLUMNS)}), found {len(cells)}"
            )
        name, domain, aliases, language, country, kind, source = (c.strip() for c in cells)
        host = host_of(domain)
        if not name or host is None or not source:
            raise MalformedData(f"{origin} line {number}: needs a name, a domain and a source")
        outlets.append(
            Outlet(
                name=name,
                domain=host,
                aliases=tuple(a.strip() for a in aliases.split("|") if a.strip()),
                language=language or None,
                country=country or None,
                kind=kind or None,
                source=source,
            )
        )
    return outlets


@lru_cache(maxsize=1)
def outlet_table() -> OutletTable:
    """The shipped table, parsed once per process."""
    text = resources.files("newstrace.resources").joinpath(TABLE_FILE).read_text("utf-8")
    return OutletTable(parse_table(text.splitlines()))
