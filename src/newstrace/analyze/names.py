"""Person-name helpers: split a name into given names and surname, compare spellings.

A news text writes one person several ways ("Anna Petrova", "Petrova", a misspelt
surname, a transliterated given name, "von der X" / "Von-der X"). These helpers reduce a
written name to comparable parts and decide whether two spellings can be the same name
(a small edit distance on long enough words), so the linker can merge them and flag the
inconsistency without merging two people who only share a surname.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Lower-case surname particles ("Ursula von der X", "Bashar al-X").
PARTICLES: frozenset[str] = frozenset(
    {"von", "van", "der", "den", "de", "di", "da", "du", "del", "della", "des", "dos",
     "das", "la", "le", "ter", "ten", "bin", "ibn", "al", "el", "zu"}
)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class NameParts:
    given: str  # as written, "" when only a surname is written
    surname: str  # as written, particles included
    key: str  # the surname's last word, case-folded: what mentions are matched on


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def split_name(name: str) -> NameParts:
    """Split ``name`` as written into given name(s) and surname (with its particles)."""
    name = re.sub(r"['’]s$", "", name.strip())
    tokens = name.split()
    if not tokens:
        return NameParts("", "", "")
    # The surname starts at the first particle (or at the last word when there is none).
    surname_start = len(tokens) - 1
    for i, tok in enumerate(tokens):
        first_part = re.split(r"[-‐]", tok, maxsplit=1)[0]
        if first_part.lower() in PARTICLES and i < len(tokens) - 1:
            surname_start = i
            break
    given = " ".join(tokens[:surname_start])
    surname = " ".join(tokens[surname_start:])
    words = _words(surname)
    key = words[-1].casefold() if words else surname.casefold()
    return NameParts(given, surname, key)


def normal_form(text: str) -> str:
    """Case-folded words joined by single spaces: hyphen/space/case differences vanish."""
    return " ".join(w.casefold() for w in _words(text))


def written_form(text: str) -> str:
    """The spelling that matters for consistency: case-folded, hyphens kept.

    Sentence-initial capitals are ordinary style, so case is ignored; a hyphen where
    another mention has a space is an inconsistency a reader notices.
    """
    return " ".join(text.split()).casefold()


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (transpositions count 1), capped at ``limit``."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if (
                i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return min(prev[len(b)], limit)


def similar_spelling(a: str, b: str) -> bool:
    """Whether two written words can be one name misspelt or transliterated.

    One edit for words of 5+ letters, two for 9+; shorter words must match exactly, since
    short surnames differ by one letter all the time (Kim/Lim, Bush/Rush).
    """
    a, b = normal_form(a), normal_form(b)
    if a == b:
        return True
    shortest = min(len(a), len(b))
    if shortest < 5 or a[0] != b[0]:
        return False
    allowed = 2 if shortest >= 9 else 1
    return edit_distance(a, b, allowed + 1) <= allowed


def given_compatible(a: str, b: str) -> bool:
    """Whether two given-name strings can belong to one person ("" fits anything)."""
    if not a or not b:
        return True
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return True
    # An initial fits a name with the same first letter ("J. Kerry" / "John Kerry").
    if len(wa[0]) == 1 or len(wb[0]) == 1:
        return wa[0][0].casefold() == wb[0][0].casefold()
    return similar_spelling(" ".join(wa), " ".join(wb)) or similar_spelling(wa[0], wb[0])
