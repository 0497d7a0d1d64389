"""Light text processing for the stance model: tokens, stems, sentences and cue lexicons.

Pure Python and regexes on purpose: the stance features run over tens of thousands of
headline–body pairs in training, and over every article at analysis time, so they must
not depend on a parser. The stemmer is a crude suffix stripper; it only has to make
"denies"/"denied"/"deny" and "reports"/"reported" meet.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z])")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_CAPWORD = re.compile(r"\b[A-Z][a-zA-Z]{2,}\b")

def words(block: str) -> frozenset[str]:
    """A word list written as a block of text, one space apart, to keep it readable."""
    return frozenset(block.split())


_words = words


STOPWORDS: frozenset[str] = _words(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself no nor not now of off
    on once only or other our ours out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours says said say new one two after like get got just
    """
)

#: Words that deny, refute or debunk (the FNC-1 baseline's list, extended).
REFUTING: frozenset[str] = _words(
    """
    fake fraud hoax false deny denies denied denying not despite nope doubt doubts bogus
    debunk debunks debunked pranks prank retract retracts retracted untrue rumor rumour
    rumors rumours myth satire satirical fabricated misleading incorrect wrong refute
    refutes refuted dismiss dismissed dismisses never no none nothing neither baseless
    unfounded hoaxes spoof parody
    """
)

#: Words that report without endorsing: a 'discuss' body hedges, an 'agree' body asserts.
HEDGING: frozenset[str] = _words(
    """
    reportedly allegedly alleged claims claimed claim purportedly purported apparently
    appears appear appeared seems seem seemed may might could possibly possible perhaps
    unconfirmed unverified rumored rumoured suggest suggests suggested suspected suspect
    believed likely unclear speculation speculated speculate report reports reported
    according sources source supposedly if whether cannot confirm verify verified
    unknown
    """
)

#: Words that assert: confirmation language typical of 'agree' bodies.
ASSERTING: frozenset[str] = _words(
    """
    confirmed confirms confirm official officially announced announces revealed reveals
    shows showed proved proves proof evidence indeed definitely certainly actually true
    real fact facts
    """
)

NEGATION: frozenset[str] = _words(
    """
    not no never none nobody nothing neither nor without n't cannot isn't wasn't doesn't
    didn't aren't weren't won't
    """
)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A crude suffix stripper, enough to join inflected forms of the same word."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("edly", ""),
        ("ed", ""),
        ("ly", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + repl
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # stopp(ed) -> stop
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # denie -> deni, announce/announc
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, apostrophes kept inside words."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


def content_stems(text: str) -> list[str]:
    """Stems of the non-stopword tokens: what overlap features compare."""
    return [stem(t) for t in tokens(text) if t not in STOPWORDS and len(t) > 1]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets ``(start, end)`` by punctuation and line breaks."""
    out: list[tuple[int, int]] = []
    start = 0
    for match in _SENT_END.finditer(text):
        end = match.start()
        if text[start:end].strip():
            out.append(_trim(text, start, end))
        start = match.end()
    if text[start:].strip():
        out.append(_trim(text, start, len(text)))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


#: Number words as digits, so "six people" meets "6 people" (headlines write digits,
#: bodies often spell small numbers out).
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen "
_TEENS = "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
_TENS = "thirty forty fifty sixty seventy eighty ninety"
NUMBER_WORDS: dict[str, str] = {w: str(i) for i, w in enumerate((_UNITS + _TEENS).split(" "))}
NUMBER_WORDS |= {w: str(10 * i) for i, w in enumerate(_TENS.split(" "), start=3)}
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


def join_thousands(text: str) -> str:
    """"1,000" → "1000": one number, whichever way it is written."""
    return _THOUSANDS.sub("", text)


def numbers(text: str) -> set[str]:
    return {n.rstrip(".,").replace(",", "") for n in _NUMBER.findall(text)}


def capitalised(text: str) -> set[str]:
    """Capitalised words not at a sentence start: a cheap stand-in for named entities."""
    found = set()
    for match in _CAPWORD.finditer(text):
        i = match.start()
        before = text[max(0, i - 2) : i]
        if i == 0 or before.strip() in {".", "!", "?", '"', "“"} or before.endswith("\n"):
            continue
        found.add(match.group().lower())
    return found
