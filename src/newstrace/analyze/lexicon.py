"""Word lists and fast finders for hedges, loaded labels and opinion words.

The lists live in ``newstrace/resources/lexicons/*.txt`` (written for newstrace; see the
README there). Each finder compiles one alternation regex per list, longest entry first,
so a scan is one linear pass over the text; results are ``(start, end, term)`` with
``term`` the lexicon entry that matched (lower case), in text order, not overlapping.

Public helpers used by other annotators (the headline audit among them):
:func:`find_hedges`, :func:`find_loaded`, :func:`find_opinion`, :func:`terms`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

__all__ = ["find_hedges", "find_loaded", "find_opinion", "terms"]

Match = tuple[int, int, str]

#: Modal hedges that are also ordinary capitalised words ("in May this year").
_CAPITALISED_FALSE_FRIENDS = frozenset({"may"})


@cache
def terms(name: str) -> tuple[str, ...]:
    """Entries of ``resources/lexicons/<name>.txt`` (lower case, comments dropped)."""
    path = resources.files("newstrace.resources").joinpath("lexicons", f"{name}.txt")
    out: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if entry and entry not in out:
            out.append(entry)
    return tuple(out)


def _entry_pattern(entry: str) -> str:
    words = entry.split()
    parts = []
    for word in words:
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"\w*")
        else:
            parts.append(re.escape(word))
    return r"\s+".join(parts)


@cache
def _regex(name: str) -> re.Pattern[str]:
    # Longest first so "it is likely" wins over "likely"; lookarounds instead of \b so
    # entries that end in punctuation ("sen.") still match.
    entries = sorted(terms(name), key=len, reverse=True)
    body = "|".join(_entry_pattern(e) for e in entries)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def _find(name: str, text: str) -> list[Match]:
    out: list[Match] = []
    for m in _regex(name).finditer(text):
        found = m.group(0)
        term = " ".join(found.lower().split())
        if term in _CAPITALISED_FALSE_FRIENDS and found[0].isupper():
            # "May" mid-sentence is the month; at a sentence start it is ambiguous and
            # rare as a hedge, so a capitalised form is never taken as one.
            continue
        out.append((m.start(), m.end(), term))
    return out


def find_hedges(text: str) -> list[Match]:
    """Hedges and speculation markers ("it is likely", "reportedly", "may")."""
    return _find("hedges", text)


def find_loaded(text: str) -> list[Match]:
    """Loaded labels and charged words a report would normally attribute ("warmongers")."""
    return _find("loaded", text)


def find_opinion(text: str) -> list[Match]:
    """Evaluative words of the writer's own voice ("surprisingly", "obviously")."""
    return _find("opinion", text)
