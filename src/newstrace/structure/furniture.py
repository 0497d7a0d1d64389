"""Recognisers for the short lines and paragraphs pages wrap around an article.

Each function looks at one piece of text and answers only from its wording (the position
rules live in :mod:`newstrace.structure.roles`): a byline, a dateline with its outlet and
date, a taxonomy/navigation line, an image credit, a provenance statement, a boilerplate
prompt or notice, a republisher's note label. They are general English page conventions;
nothing here knows any particular site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newstrace.read.html import JOB_TITLE
from newstrace.structure.dates import find_dates
from newstrace.textpatterns import HOST_NAME

_WORD = re.compile(r"\w+")


def words(text: str) -> int:
    return len(_WORD.findall(text))


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# --- byline ------------------------------------------------------------------------------

# (?:\s*+:)?\s++ is \s*:?\s+ without its two runs of spaces splitting one run every
# possible way (quadratic when the line then fails).
_BYLINE = _rx(
    r"^(?:by|written by|words by|story by|reporting by|report by|text by|"
    r"posted(?:\s+on)?(?:\s+[\w,]+){0,4}?\s+by|"  # "Posted on <date> by" (date often lost)
    r"author|authors|written and reported by)(?:\s*+:)?\s++(?P<names>\S.*)$"
)
# Spaces before a separator are taken only from the start of their run ((?<!\s)): a bare
# leading \s* is retried from every position of a long run of spaces (quadratic).
_NAME_SPLIT = re.compile(r"(?:(?<!\s)\s++)?(?:,|;|\band\b|&|\|)\s*+")
# "| Staff writer", a date after. The names are one line, so the tail may run to the end
# with (?s): a plain .* stops at any newline and each later start would rescan to it.
_NAME_TAIL = re.compile(r"(?<!\s)\s++(?:[|•·–—-]\s+|\d)(?s:.*?)$")


def byline_names(line: str) -> list[tuple[int, int, str]] | None:
    """Names in a byline ("By A and B, Agency") with their offsets, or None."""
    match = _BYLINE.match(line.strip())
    if not match or words(line) > 14 or "\n" in line.strip():
        return None
    offset = line.index(match.group("names"))
    names_text = _NAME_TAIL.sub("", match.group("names")).rstrip(" .,")
    # "Posted by" is followed by a user name as often as by a person's name.
    handles = line.strip().lower().startswith("posted")
    out = []
    pos = 0
    for part in _NAME_SPLIT.split(names_text):
        part = part.strip()
        if not part:
            continue
        idx = names_text.find(part, pos)
        pos = idx + len(part)
        handle = handles and re.fullmatch(r"[\w.-]{2,40}", part) is not None
        if JOB_TITLE.search(part):
            continue  # "By A, AP National Security Writer": a job, not a second author
        if part[0].isupper() or part[0].isdigit() or handle:
            out.append((offset + idx, offset + idx + len(part), part))
    if not out or not all(_name_like(n) or handles for *_, n in out):
        return None
    return out


_WIRE_CREDIT = _rx(r"^\(?\s*(?:additional\s+)?(?:reporting|writing|reported|written)\s+by\b")
# Possessive spaces before the names: a greedy \s+ would hand them back one by one to .+
# (quadratic on a long run before a line that fails). A tail of spaces alone then no longer
# matches, where it matched as a blank name before: either way no name is read.
_WIRE_PART = _rx(
    r"^\s*+(?:additional\s++)?(?:reporting|writing|reported|written|compiled)\s++by\s++"
    r"(?P<n>.+)$"
)
_WIRE_SPLIT = re.compile(r"(?:(?<!\s)\s++)?(?:,|\band\b|&)\s*+")  # as _NAME_SPLIT


def wire_credit_names(text: str) -> list[str] | None:
    """Reporters named in a wire credit line, "(Reporting by A; Editing by B)": the
    reporters are the authors; editors are not."""
    body = text.strip()
    if not _WIRE_CREDIT.match(body) or words(body) > 50:
        return None
    body = body.strip("().; ")
    names: list[str] = []
    for part in body.split(";"):
        match = _WIRE_PART.match(part)
        if match:
            for name in _WIRE_SPLIT.split(match.group("n").strip(" .")):
                if name and _name_like(name) and name not in names:
                    names.append(name)
    return names or None


def _name_like(name: str) -> bool:
    tokens = name.split()
    return 1 <= len(tokens) <= 6 and sum(t[:1].isupper() for t in tokens) >= len(tokens) / 2


# --- dateline ----------------------------------------------------------------------------

_DATE_WORDS = _rx(
    r"\b(?:published|updated|last updated|posted|first published|modified|date|dated|"
    r"on|at|am|pm|a\.m\.|p\.m\.|gmt|utc|bst|cet|cest|est|edt|pst|pdt|et)\b"
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?\b", re.I)
_WEEKDAY = _rx(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b,?")
_OUTLET_OK = re.compile(r"^[A-Z0-9][\w.'’&-]*(?:\s+(?:[A-Z0-9&][\w.'’&-]*|of|the|and|for|de))*$")


@dataclass(slots=True)
class DatelinePart:
    outlet: str | None
    outlet_start: int
    outlet_end: int
    date: str
    date_start: int
    date_end: int


def dateline_parts(line: str) -> list[DatelinePart] | None:
    """The (outlet, date) pairs of a dateline such as "Outlet, September 18, 2015".

    A dateline is a short line made of dates, at most one outlet name per date, and
    connecting words (published, updated, times); anything else means it is prose.
    """
    if words(line) > 16 or "\n" in line.strip():
        return None
    dates = find_dates(line)
    if not dates:
        return None
    parts: list[DatelinePart] = []
    cursor = 0
    for n, (start, end, iso) in enumerate(dates):
        # The outlet, when there is one, precedes its date ("Outlet, date" / "Outlet date").
        before = line[cursor:start]
        outlet = _outlet_in(before)
        if outlet is None:
            return None
        name, rel = outlet
        o_start = cursor + rel if name else start
        parts.append(DatelinePart(name or None, o_start, o_start + len(name), iso, start, end))
        cursor = end
        if n == len(dates) - 1 and _outlet_in(line[end:]) is None:
            return None
        if n == len(dates) - 1:
            trailing = _outlet_in(line[end:])
            if trailing and trailing[0] and parts[-1].outlet is None:
                # "September 18, 2015 | Outlet": the outlet follows the date.
                parts[-1].outlet = trailing[0]
                parts[-1].outlet_start = end + trailing[1]
                parts[-1].outlet_end = end + trailing[1] + len(trailing[0])
    return parts


def _outlet_in(segment: str) -> tuple[str, int] | None:
    """("", 0) for a segment of only connectors; (name, offset) for one name; else None."""
    cleaned = _WEEKDAY.sub(" ", _TIME.sub(" ", segment))
    cleaned = _DATE_WORDS.sub(" ", cleaned)
    name = re.sub(r"^[\s,;:|•·–—()\[\]-]+|[\s,;:|•·–—()\[\]-]+$", "", cleaned)
    if not name:
        return ("", 0)
    if words(name) > 5 or not (_OUTLET_OK.match(name) or HOST_NAME.fullmatch(name)):
        return None
    return (name, segment.find(name)) if name in segment else None


# --- navigation --------------------------------------------------------------------------

_TAXONOMY = _rx(
    r"^(?:regions?|themes?|topics?|tags?|tagged|categor(?:y|ies)|sections?|filed under|"
    r"in-depth reports?|keywords?|subjects?|more on|related topics|countr(?:y|ies)|series|"
    r"posted in|labels?|departments?)\s*:"
)
_LABEL = re.compile(r"^([A-Z][\w'’-]*(?:\s+[\w'’-]+){0,2})\s*:\s*(\S.*)$", re.S)
# Items and spaces possessive: an item could end before or after its trailing spaces, two
# ways per separator, so a long trail that then failed was exponential ("a / a / … !").
_BREADCRUMB = re.compile(
    r"^\s*+\w[\w\s&'’-]{0,30}+(?:\s*+[›»>/|]\s*+\w[\w\s&'’-]{0,30}+){2,}$"
)


def is_navigation(line: str, link_chars: int = 0) -> bool:
    """A taxonomy line ("Region: A, B"), a label over a list of links, or a breadcrumb."""
    text = line.strip()
    if not text or words(text) > 40:
        return False
    if _TAXONOMY.match(text):
        rest = text.split(":", 1)[1]
        items = [i for i in re.split(r"[,;|•·]", rest) if i.strip()]
        return bool(items) and all(words(i) <= 8 for i in items)
    match = _LABEL.match(text)
    if match and link_chars:
        rest = match.group(2)
        items = [i for i in re.split(r"[,;|•·]", rest) if i.strip()]
        letters = sum(1 for c in rest if not c.isspace() and c not in ",;|•·")
        return bool(items) and all(words(i) <= 6 for i in items) and link_chars >= 0.8 * letters
    return bool(_BREADCRUMB.match(text)) and words(text) <= 15 and link_chars > 0


# --- credits -----------------------------------------------------------------------------

_CREDIT = _rx(
    r"^(?:©|\(c\)\s|copyright\b|(?:photo(?:graph)?s?|images?|pictures?|illustrations?|"
    r"graphics?|videos?|credits?|photo credit|image credit|image source|picture credit)"
    r"\s*(?::|/|by\b|credit\b|courtesy\b))"
)
# "(AP Photo/…)" reads up to the next "(AP Photo" at most: one that fails is not rescanned
# from every later "(AP Photo" before the same ")" (quadratic); the later one is tried.
_CREDIT_TAIL = _rx(
    r"(?:/\s*(?:getty images|ap|afp|reuters|epa|shutterstock|alamy)|\((?:ap|afp|reuters)\s+photo"
    r"(?:[^()]++|\((?!(?:ap|afp|reuters)\s+photo))*+\)|\bgetty images|\bap photo\b)\s*\.?\)?$"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_RIGHTS = _rx(r"\ball rights reserved\b|\bcreative commons\b|\bcopyright\b")


_CREDIT_IN_PARENS = re.compile(
    r"\(\s*(?:(?i:(?:photo(?:graph)?|image|picture|illustration|video)s?(?:\s+credit)?|credit|"
    r"(?:ap|afp|reuters|getty|epa)\s+photo)\b[^()]{0,80}|[A-Z]{2,}[\w.]*\s*/[^()]{1,60})\)"
)


def credit_parenthetical(text: str) -> tuple[int, int] | None:
    """Where a picture credit in parentheses sits: "(Photo: Name/Agency)", "(AP Photo/Name)",
    "( AGENCY/Name )"; None when there is none."""
    match = _CREDIT_IN_PARENS.search(text)
    return (match.start(), match.end()) if match else None


_CREDIT_AT_END = _rx(
    r"\s(?:photo(?:graph)?|image|picture|credit)s?\s*(?::|by)\s*[^.:;()]{2,60}$"
)


def has_trailing_credit(text: str) -> bool:
    """Text that ends by crediting a picture: "Name speaks in Hanoi. (AP Photo/Name)",
    "… in Hanoi. Photo: Name, AP"."""
    text = text.strip()
    tail = _CREDIT_AT_END.search(text)
    if tail and words(text[: tail.start()]) >= 3 and words(tail.group(0)) <= 8:
        return True
    found = credit_parenthetical(text)
    return (
        found is not None
        and not text[found[1] :].strip(" .")
        and words(text[: found[0]]) >= 3
    )


def is_credit(line: str) -> bool:
    """A photo/image credit line: "© Agency", "Photo: Name/Agency", "… / Getty Images"."""
    text = line.strip()
    if words(text) > 14:
        return False
    if _CREDIT.match(text):
        # A copyright line with a year or "all rights reserved" is a rights statement.
        return not (_YEAR.search(text) or _RIGHTS.search(text))
    return bool(_CREDIT_TAIL.search(text)) and words(text) <= 10


# --- provenance statements ---------------------------------------------------------------

_SELF = r"this (?:article|story|piece|post|essay|report|column|interview|op-?ed|commentary|text)"
_PROVENANCE = (
    _rx(r"\b(?:originally|first)\s+(?:appeared|published|posted|ran|printed|aired)\b"),
    _rx(r"\bthe original (?:source|version|article|post)\b"),
    _rx(r"\b(?:re-?published|reprinted|re-?posted|cross-?posted|syndicated)\s+"
        r"(?:here\s+)?(?:with|by|from|under|courtesy|on|at)\b"),
    _rx(rf"\b{_SELF}\b.{{0,80}}\b(?:published|appeared|written|produced|translated|adapted|"
        r"excerpted|republished|reproduced)\b"),
    _rx(r"\b(?:translated|adapted|excerpted)\s+(?:from|by)\b"),
    _rx(r"^(?:source|sources|via|h/t|hat tip|courtesy of|originally at)\s*[:\-–—]"),
)
# A short line naming where the text was taken from: "from RT", "via The Other Paper".
_FROM_LINE = re.compile(r"^(?i:from|via|source:?|h/t)\s+[A-Z0-9][\w.&'’ -]{0,40}$")  # fmt: skip
_COPYRIGHT = _rx(r"^(?:copyright|©|\(c\))|\ball rights reserved\b|\bcreative commons licen[cs]e\b")


def is_provenance(text: str, *, emphasis: bool = False) -> bool:
    """A statement of where the text came from (originally at, reprinted from, ©…)."""
    n = words(text)
    if n > 70:
        return False
    if _COPYRIGHT.search(text) and n <= 40:
        return True
    if n <= 6 and _FROM_LINE.match(text.strip()):
        return True
    if not any(p.search(text) for p in _PROVENANCE):
        return False
    # Prose may mention that a report "first appeared" somewhere; a provenance statement
    # speaks of the text itself, is set apart (italic), or is short.
    return bool(re.search(_SELF, text, re.I)) or emphasis or n <= 30


# --- boilerplate -------------------------------------------------------------------------

_BOILERPLATE: tuple[tuple[re.Pattern[str], int], ...] = (
    (_rx(r"^(?:legal\s+)?disclaimer\b|^terms of (?:use|service)\b|^privacy policy\b"), 400),
    (_rx(r"\bfair[ -]use\b"), 400),
    (_rx(r"\bcontains copyrighted material\b"), 400),
    (_rx(r"\bthe (?:views|opinions) expressed\b.{0,120}\b(?:author|authors|contributors?)\b"), 120),
    (_rx(r"\bsole responsibility of the author"), 200),
    (_rx(r"^(?:share|tweet|pin|email|e-mail|print|like)(?:\s+(?:this|on|it|the|via))?\b"), 8),
    (_rx(r"^(?:leave a (?:comment|reply)|join the (?:discussion|conversation)|"
         r"add (?:a|your) comment|\d+\s+comments?|comments?\b)"), 15),
    (_rx(r"\bcomment\b.{0,60}\b(?:facebook|twitter|page|below)\b"), 15),
    (_rx(r"\b(?:become a (?:member|patron|subscriber|supporter)|subscribe (?:to|now|today|for)|"
         r"newsletter|donate\b|make a donation|support (?:us|our)\b)"), 40),
    (_rx(r"^sign up\b|\bsign up (?:here|now|today)\b"), 10),
    (_rx(r"^(?:more|older|other|recent|latest)?\s*(?:articles?|posts?|stories) by\b"), 12),
    (_rx(r"^rss feed\b|\bcomment(?:ing|s)? policy\b"), 80),
    (_rx(r"\b(?:see|spot|spotted|found|report) an? (?:error|typo|mistake)\b|"
         r"\bsend us a correction\b"), 20),
    (_rx(r"^like this\s*:"), 10),
    (_rx(r"^(?:affiliate\s+)?disclosure\s*:|\bmay (?:earn|receive) (?:a )?(?:commission|"
         r"compensation)\b|\baffiliate (?:links?|commission)\b"), 60),
    (_rx(r"\bfree shipping\b"), 50),  # shop promotions
    (_rx(r"^(?:facebook|twitter|x|email|e-mail|tumblr|pinterest|whatsapp|reddit|linkedin|"
         r"google\+?|telegram|print|flipboard|pocket|vk|messenger|sms|copy link|more)\W*$"), 2),
    (_rx(r"^(?:for\s+)?(?:media|press|general)?\s*(?:inquiries|enquiries)\b|"
         r"^contact(?: us)?\s*:"), 20),
    (_rx(r"^(?:related|read more|see also|more from|recommended|you may also like|trending|"
         r"most (?:popular|read)|more stories|also read|read next|further reading|"
         r"related (?:articles|stories|posts|coverage))\b"), 25),
    (_rx(r"^(?:follow|like) (?:us|me)\b|^(?:click|tap) here\b"), 25),
    (_rx(r"^(?:advertisements?|sponsored(?: content)?|story continues below|continue reading|"
         r"continued below|scroll to continue|skip (?:to|ad))\b"), 6),
    (_rx(r"\bcookies?\b.{0,80}\b(?:accept|policy|consent)\b"), 50),
    (_rx(r"\benable javascript\b|\bjavascript (?:is )?(?:disabled|required)\b"), 40),
    # An e-mail address alone: the first "@" after the first character splits it, so the
    # two \S+ never trade "@"s back and forth (quadratic on a long run of them).
    (_rx(r"^\S[^\s@]*+@\S+\.\w+$"), 1),
    # Expand/collapse toggles and prompts a page leaves in its text.
    (_rx(r"^(?:\.{3}\s*)?(?:less|more|show (?:more|less)|read (?:more|less)|expand|collapse|"
         r"explore further|view (?:comments|gallery|photos))\W*$"), 3),
    (_rx(r"\b(?:by )?click(?:ing)? here\b"), 30),
    (_rx(r"^(?:citation|more information|journal information|provided by|doi)\s*:"), 60),
)  # fmt: skip


def title_case(text: str) -> bool:
    """Most longer words capitalised, as in a title ("Kremlin To Release 20,000 Emails")."""
    long_words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) >= 4]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


#: How a line that is a sentence ends; a title or subheading ends without any of these.
SENTENCE_END = tuple(".!?:;…\"”’)")


def is_title_line(text: str, *, short_words: int = 5) -> bool:
    """One line that reads as a title, not a sentence: no sentence end, capitalised, at most
    12 words, title-cased or at most ``short_words`` words ("Hostage swap")."""
    text = text.strip()
    if "\n" in text or not text or text.endswith(SENTENCE_END) or not text[:1].isupper():
        return False
    n = words(text)
    return 1 <= n <= 12 and (n <= short_words or title_case(text))


def is_boilerplate(text: str) -> bool:
    """Page furniture around an article: notices, prompts, related-links headers."""
    n = words(text)
    text = text.strip().strip("[]()*_ ")  # "[read more here]" reads as "read more here"
    return any(n <= limit and pattern.search(text) for pattern, limit in _BOILERPLATE)


# --- republisher's notes -----------------------------------------------------------------

_NOTE_LABEL = _rx(
    r"^\W{0,2}(?P<label>(?:(?:editor|translator|author|publisher|moderator|reviewer)s?['’]?s?"
    r"|editorial|translation|translator)\s+(?:note|notes|comment|comments|remark|remarks|"
    r"introduction|preface|addendum|update|postscript|commentary)|"
    r"ed\.\s*note|update|correction|clarification|postscript)\b\s*(?:\([^)]{0,40}\))?"
    r"\s*(?P<sep>[:.\-–—]|$)"
)


def note_label(text: str) -> tuple[str, bool] | None:
    """The label of an editor's/translator's note and whether the label stands alone
    (a section heading, the note follows) or opens a one-paragraph note."""
    match = _NOTE_LABEL.match(text.strip())
    if not match:
        return None
    label = match.group("label")
    short = label.lower() in ("update", "correction", "clarification", "postscript")
    if short and not match.group("sep"):
        return None  # "Update the software…" is prose
    rest = text.strip()[match.end() :].strip(" *_]")
    return label, not rest


def note_kind(label: str) -> str:
    low = label.lower()
    for kind in ("translat", "editor", "author", "publisher"):
        if low.startswith(kind) or kind in low:
            return {"translat": "translator"}.get(kind, kind)
    return "editor"
