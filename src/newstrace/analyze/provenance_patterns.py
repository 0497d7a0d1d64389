"""The phrasings of declared provenance, and the small readers they share.

Every pattern here is general English (plus a few German/French cue words) publishing
boilerplate; none names an outlet. Each statement pattern ends where the named outlet
begins; :func:`read_outlet` then reads the name (from the outlet table first, then a URL
or domain, then a run of capitalised words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newstrace.datasets.domains import host_of
from newstrace.resources.outlets import Outlet, outlet_table

# --- dates --------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # September 18, 2015
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"  # 14 September 2015
    r"|\d{4}-\d{2}-\d{2}"  # 2015-09-14
    r"|\d{1,2}\.\d{1,2}\.\d{4})"  # 14.09.2015
)
DATE_RE = re.compile(DATE, re.IGNORECASE)


def parse_date(text: str) -> str | None:
    """An ISO date for one date expression in ``text`` (None when there is none)."""
    match = DATE_RE.search(text)
    if match is None:
        return None
    raw = match.group()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return raw
    if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", raw):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        year = int(re.search(r"\d{4}", raw).group())  # type: ignore[union-attr]
        month_word = re.search(r"[A-Za-z]{3,}", raw).group().lower()  # type: ignore[union-attr]
        month = _MONTHS.get(month_word[:4] if month_word.startswith("sept") else month_word[:3])
        days = [int(d) for d in re.findall(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", raw)]
        if month is None or not days:
            return None
        day = days[0]
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# --- languages ----------------------------------------------------------------------------

LANGUAGES = {
    "english": "en", "german": "de", "french": "fr", "spanish": "es", "italian": "it",
    "portuguese": "pt", "russian": "ru", "dutch": "nl", "polish": "pl", "ukrainian": "uk",
    "arabic": "ar", "chinese": "zh", "japanese": "ja", "korean": "ko", "turkish": "tr",
    "greek": "el", "swedish": "sv", "norwegian": "no", "danish": "da", "finnish": "fi",
    "czech": "cs", "hungarian": "hu", "romanian": "ro", "persian": "fa", "farsi": "fa",
    "hebrew": "he", "hindi": "hi", "serbian": "sr", "croatian": "hr", "bulgarian": "bg",
}  # fmt: skip
LANGUAGE_WORD = r"(?:" + "|".join(w.capitalize() for w in LANGUAGES) + r")"


# --- markup -------------------------------------------------------------------------------

# Link text holds no "[" (as in CommonMark, "[a [b](c)" links "b"), and a target ends at
# the next "](": a run of "[" or of "[a](" with no closer is then not rescanned from each
# of them (quadratic on a long line).
_MD_LINK = re.compile(r"\[([^\[\]\n]*+)\]\([^)\n\]]*+(?:\](?!\()[^)\n\]]*+)*+\)")


def masked(text: str) -> str:
    """``text`` with Markdown link syntax and emphasis blanked, offsets unchanged.

    Structured articles hold clean text already; this lets the same patterns read a raw
    Markdown export ("[Example.net](#)") without shifting a single evidence offset.
    """
    if "](" not in text and "*" not in text:
        return text
    chars = list(text)
    for match in _MD_LINK.finditer(text):
        chars[match.start()] = " "
        for i in range(match.end(1), match.end()):
            chars[i] = " "
    for i, ch in enumerate(chars):
        if ch == "*":
            chars[i] = " "
    return "".join(chars)


# --- reading a name after a cue -----------------------------------------------------------

_NOT_NAMES = frozenset(
    re.findall(
        r"\w+",
        "this that these it its the a an our we us you here there he she they his her their "
        "today yesterday monday tuesday wednesday thursday friday saturday sunday january "
        "february march april may june july august september october november december "
        "permission on in at by from for of as posted published updated written last date",
    )
)
#: Means of transmission, not outlets: "(via Google Translate)", "via satellite".
_TOOLS = frozenset(
    {
        "google translate",
        "deepl",
        "email",
        "e-mail",
        "phone",
        "telephone",
        "satellite",
        "video link",
        "videolink",
        "zoom",
        "skype",
        "rss",
    }
)
_CAP_WORD = r"[A-Z0-9][\w'’&]*(?:[.-][A-Za-z0-9][\w'’&]*)*"
_NEXT_WORD = r"[A-Z][\w'’&]*(?:[.-][A-Za-z0-9][\w'’&]*)*"
_CAP_RUN = re.compile(
    rf"(?:[Tt]he[ \t]+)?{_CAP_WORD}"
    rf"(?:[ \t]+(?:(?:of|for|and|the|de|der|die|des|du|la|le|el|di|&)[ \t]+)*{_NEXT_WORD}){{0,6}}"
)
# Read at the start of a name only (\A): searched, a long run of letters with no dot would be
# rescanned from each of them.
_URLISH = re.compile(
    r"\A(?:https?://)?(?:www\.)?[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)+(?:/[^\s)\]]*+)?",
    re.IGNORECASE,
)
# Spaces possessive, the particle's own spaces inside its group: [ \t]+(particle)?[ \t]*
# split one run of spaces every possible way (quadratic after "translated by X     ").
_PERSON = re.compile(
    r"[A-Z][\w'’-]+"
    r"(?:[ \t]++(?:(?:van|von|der|de|da|di|del|la|le|bin|al)[ \t]*+)?[A-Z][\w'’.-]*){0,3}"
)


@dataclass(slots=True)
class NameRef:
    """A name read from the text: its offsets, its text and the outlet it resolves to."""

    start: int
    end: int
    name: str
    outlet: Outlet | None
    domain: str | None


def _clean_end(view: str, start: int, end: int) -> int:
    while end > start and view[end - 1] in " \t.,;:!?)’'\"”":
        end -= 1
    return end


def read_outlet(view: str, pos: int, limit: int | None = None) -> NameRef | None:
    """The outlet named at ``view[pos:]`` (after spaces), or None.

    Order: a known outlet variant (longest), a URL or domain, then a capitalised run of
    words ("The Daily Example"). A name that is a date, a pronoun or a bare year is not
    an outlet.
    """
    # A name is short: never look further than a line's worth (keeps long texts linear).
    limit = min(len(view) if limit is None else limit, pos + 300)
    while pos < limit and view[pos] in " \t\"“‘'(":
        pos += 1
    if pos >= limit:
        return None
    table = outlet_table()
    window = view[pos:limit]
    line = window.split("\n", 1)[0]
    prefix = ""
    if re.match(r"the\s+", line, re.IGNORECASE):
        prefix = re.match(r"the\s+", line, re.IGNORECASE).group()  # type: ignore[union-attr]
    for skip in (0, len(prefix)) if prefix else (0,):
        known = table.pattern.match(line, skip)
        if known:
            start, end = pos + known.start(), pos + known.end()
            outlet = table.by_name(known.group())
            return NameRef(start, end, known.group(), outlet, outlet.domain if outlet else None)
    url = _URLISH.match(line)
    if url:
        host = host_of(url.group())
        if host is not None:
            end = _clean_end(view, pos, pos + url.end())
            outlet = table.by_domain(host)
            return NameRef(pos, end, view[pos:end], outlet, host)
    run = _CAP_RUN.match(line)
    if run is None:
        return None
    end = _clean_end(view, pos, pos + run.end())
    name = " ".join(view[pos:end].split())
    bare = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    if not bare or bare.lower() in _NOT_NAMES or re.fullmatch(r"[\d\W]+", bare):
        return None
    if DATE_RE.fullmatch(bare) or bare.split()[0].lower() in _NOT_NAMES:
        return None
    if bare.lower() in _TOOLS:
        return None
    if is_generic_source(bare):
        # "Source: News agencies", "Source: Agencies": a description, not a name. Keep the
        # whole description (its lowercase nouns too) so nothing reads as an outlet "News".
        tail = _GENERIC_TAIL.match(view, end, limit)
        if tail:
            end = tail.end()
        return NameRef(pos, end, " ".join(view[pos:end].split()), None, None)
    outlet = table.by_name(name)
    host = host_of(name) if "." in name else None
    return NameRef(pos, end, name, outlet, outlet.domain if outlet else host)


#: Words that describe kinds of sources rather than name one ("news agencies", "wires").
_GENERIC_SOURCE_WORDS = frozenset(
    re.findall(
        r"\w+",
        "news agency agencies wire wires service services media press staff reports report "
        "sources source outlets outlet internet web online newspapers newspaper papers local "
        "international foreign social various several other and",
    )
)
#: Lowercase generic words after a generic capitalised run ("News agencies"). Matched right
#: after the run (never after a space: (?<![ \t])), so searched it is not retried from every
#: space of a long run (quadratic).
_GENERIC_TAIL = re.compile(
    r"(?<![ \t])(?:[ \t]++(?:" + "|".join(sorted(_GENERIC_SOURCE_WORDS)) + r")\b)++"
)


def is_generic_source(name: str) -> bool:
    """Whether a name is only a description of sources ("News agencies", "Agencies",
    "wire services"): such a statement declares no particular outlet."""
    words = re.findall(r"[a-z]+", name.lower())
    return bool(words) and all(w in _GENERIC_SOURCE_WORDS for w in words) and any(
        w not in {"and", "local", "international", "foreign", "social", "various",
                  "several", "other", "online"} for w in words
    )


def read_person(view: str, pos: int) -> tuple[int, int, str] | None:
    while pos < len(view) and view[pos] in " \t":
        pos += 1
    match = _PERSON.match(view, pos)
    if match is None:
        return None
    end = _clean_end(view, pos, match.end())
    words = view[pos:end].split()
    # Stop before a following cue word written with a capital ("Exclusively For ...").
    while words and words[-1].lower() in {"for", "exclusively", "from", "at", "and"}:
        words.pop()
    if not words or words[0].lower() in _NOT_NAMES:
        return None
    text = " ".join(words)
    end = view.index(words[-1], pos) + len(words[-1])
    return pos, end, text


# --- statement cues -----------------------------------------------------------------------

_WS = r"[ \t]+(?:\n[ \t]*)?"
_ART = r"(?:article|story|piece|post|report|text|essay|column|op-ed|interview|item|version)"


def _cue(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace(" ", _WS), re.IGNORECASE)


#: cue → the role the named outlet plays. "original": where the text was first published;
#: "source": where this copy took it from (an earlier copy, perhaps the original).
CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Publisher: X", "Published by X" on a line of its own: the copy in hand.
    ("publisher", re.compile(
        r"(?:^|(?<=\n))[ \t]*(?:publisher|published[ \t]+by|herausgeber|éditeur)[ \t]*:?[ \t]+",
        re.I,
    )),
    ("original", _cue(
        r"\b(?:originally|first) (?:appeared|published|posted|ran|run|printed|broadcast|"
        r"aired|written|produced)(?: online| here)?(?: (?:at|in|on|by|with|for))\b"
    )),
    ("original", _cue(
        r"\b(?:appeared|published|posted|ran) (?:originally|first)(?: online)?"
        r" (?:at|in|on|by|with)\b"
    )),
    ("original", _cue(rf"\boriginal {_ART}(?: (?:at|in|on|from|by))?\s*:?(?=\s)")),
    ("original", _cue(r"\b(?:erstmals|zuerst|ursprünglich) (?:erschienen )?(?:in|bei|auf)\b")),
    ("original", _cue(r"\b(?:initialement|d'abord) (?:publié|paru)e? (?:dans|sur|par)\b")),
    ("source", _cue(rf"\bthe original source of this {_ART} is\b")),
    ("source", _cue(
        r"\b(?:re)?(?:published|printed|posted|produced) (?:here )?with (?:the )?(?:kind )?"
        r"permission (?:of|from|by)\b"
    )),
    ("source", _cue(r"\bby (?:kind )?permission of\b")),
    ("source", _cue(r"\b(?:republished|reprinted|reposted|reproduced) (?:here )?from\b")),
    ("source", _cue(r"\b(?:reprinted|republished) by arrangement with\b")),
    ("source", _cue(r"\bcross-?posted (?:from|with|at)\b")),
    ("source", _cue(r"\bsyndicated (?:from|by|via)\b")),
    ("source", _cue(
        rf"\b(?:this {_ART} )?(?:is |was )?(?:shared|adapted|excerpted) from"
        rf"(?: (?:an?|the) {_ART} (?:in|by|at|on|from))?\b"
    )),
    # "This story was produced by ProPublica": only an outlet the table or a domain
    # identifies counts (a person's name there is an author, not a source).
    ("produced", _cue(rf"\bthis {_ART} (?:was|is) (?:produced|reported|published) by\b")),
    ("source", re.compile(r"(?:^|(?<=\n)|(?<=\())[ \t]*(?:via|h/t:?|hat tip:?)[ \t]+", re.I)),
    ("source", re.compile(
        r"(?:^|(?<=\n))[ \t]*(?:sources?|quelle|article source|original source|"
        r"originally from)[ \t]*:[ \t]*", re.I
    )),
    ("source", _cue(r"(?<!photo\s)(?<!image\s)(?<!picture\s)(?<!video\s)\bcourtesy(?: of)?\b")),
)  # fmt: skip

TRANSLATION = re.compile(r"\b(?:translated|translation)\b", re.IGNORECASE)
COPYRIGHT = re.compile(r"(?:\bcopyright\b|©|\(c\)(?=\s*\d{4}))", re.IGNORECASE)
REPUBLISHED_WITH_PERMISSION = _cue(
    r"\b(?:republished|reprinted|reproduced|reposted|used) (?:here )?with (?:kind )?permission\b"
)
ORIGINAL_TITLE = re.compile(
    r"\b(?:original(?:ly)?[ \t]+(?:titled|headlined|entitled)|original[ \t]+(?:title|headline)"
    r"|under[ \t]+the[ \t]+(?:title|headline)|Originaltitel|titre[ \t]+original)\b",
    re.IGNORECASE,
)
NOTE_HEADING = re.compile(
    # [ \t]*+(?:\[[ \t]*+)? is [ \t]*\[?[ \t]* without two runs of spaces splitting one run
    # every possible way (quadratic on a long indented line).
    r"(?:^|(?<=\n))[ \t]*+(?:\[[ \t]*+)?(?P<label>(?:(?:the[ \t]+)?translator[’']?s?|editor[’']?s?|"
    r"publisher[’']?s?|republisher[’']?s?|anmerkung[ \t]+der[ \t]+(?:redaktion|übersetzer\w*)|"
    r"note[ \t]+(?:from|by)[ \t]+the[ \t]+(?:editor|translator)s?|n\.[ \t]*d\.[ \t]*[rt]\.?)"
    r"(?:[ \t]+(?:note|comment|commentary|remark|addendum|update|introduction|preface))?)"
    r"[ \t]*[:\-–—]",
    re.IGNORECASE,
)
