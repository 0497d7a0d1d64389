"""Headline clauses and the body sentences that make them.

A headline is split into clauses (its sentences: "X moves away from Y. Joins Z?" is two);
a clause without a subject of its own takes the previous clause's subject. Each clause
becomes weighted *units*: content-word stems, or a predicate concept when the words belong
to one of a few groups of common news predicates ("moves away" ≈ "left" ≈ "quits").
A body sentence *makes* the clause when it names the clause's subject and covers at least
half of the weight of the rest (predicate and arguments). Weights are the words' idf
(rare words matter more), halved for modifiers ("the *US* alliance").

Matching is deliberately lexical and explainable: every supported verdict can show the
sentence and the words it shares with the clause.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newstrace.stance import text as tx

#: Groups of predicates that say the same thing in news copy. Entries are words or short
#: phrases (matched on stems, so inflections follow); irregular forms are listed.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "LEAVE": (
        "leave", "left", "quit", "exit", "withdraw", "withdrew", "withdrawn", "move away",
        "moved away", "walk away", "walked away", "break away", "broke away", "pull out",
        "pulled out", "abandon", "ditch", "depart", "turn away", "turned away", "break with",
        "broke with", "split from", "resign", "step down", "stepped down",
    ),
    "JOIN": (
        "join", "join force", "team up", "teamed up", "ally", "allied", "side with",
        "sided with", "unite", "united with", "link up", "band together", "partner with",
    ),
    "DEFEAT": ("defeat", "beat", "vanquish", "crush", "rout", "wipe out"),
    "FIGHT": ("fight", "fought", "battle", "combat", "struggle"),
    "BACK": ("support", "back", "endorse", "welcome", "approve", "favour", "favor"),
    "OPPOSE": ("oppose", "reject", "condemn", "denounce", "criticise", "criticize"),
    "DENY": ("deny", "denial", "refute", "dismiss", "rebut"),
    "CONFIRM": ("confirm", "verify", "corroborate"),
    "KILL": ("kill", "slay", "slain", "murder", "assassinate"),
    "DIE": ("die", "died", "dead", "death"),
    "ARREST": ("arrest", "detain", "apprehend"),
    "BAN": ("ban", "prohibit", "outlaw", "forbid", "forbade"),
    "ATTACK": ("attack", "strike", "struck", "assault", "raid", "bomb"),
    "BUY": ("buy", "bought", "acquire", "purchase", "take over", "took over"),
}

_UPPER_DOTS = re.compile(r"\b(?:[A-Z]\.){2,}")
_CAP_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of\s+)?[A-Z][a-z]+)+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
SUPPORT_THRESHOLD = 0.5
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "nummod", "npadvmod"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})


def _phrase_table() -> dict[tuple[str, ...], str]:
    table: dict[tuple[str, ...], str] = {}
    for concept, entries in CONCEPTS.items():
        for entry in entries:
            table[tuple(tx.stem(w) for w in entry.split())] = concept
    return table


_PHRASES = _phrase_table()
_MAX_PHRASE = max(len(k) for k in _PHRASES)


@dataclass(slots=True)
class Unit:
    key: str  # a stem, an acronym or a CONCEPT name
    word: str  # the text it came from
    weight: float
    subject: bool = False


@dataclass(slots=True)
class Clause:
    start: int  # offsets in the text the clause was cut from
    end: int
    text: str
    units: list[Unit] = field(default_factory=list)
    subject: str | None = None
    subject_carried: bool = False
    question: bool = False
    claim: bool = True  # asserts (or asks about) something that could be true or false


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Sentence-like clauses of a headline: split after . ! ? ; before a capital or digit.

    Abbreviations ("U.S.", "Dr.") do not end a clause: the word before the stop must be
    longer than two letters and contain no inner stop.
    """
    out: list[tuple[int, int]] = []
    start = 0
    # A run of stops is read from its first one only ((?<!…)): a bare [.!?;]+ is retried
    # from each stop of a long run (quadratic).
    for m in re.finditer(r"(?<![.!?;])[.!?;]++(?=\s++[\"'“‘]?[A-Z0-9])", text):
        word = _word_before(text, start, m.start())
        if m.group()[0] == "." and (not word or len(word) <= 2 or "." in word):
            continue
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    return [_trim(text, s, e) for s, e in out if text[s:e].strip()]


def _word_before(text: str, start: int, end: int) -> str | None:
    """The word ending at ``end`` (or before a newline there), no further back than
    ``start``: what ``(\\S+)$`` finds in ``text[start:end]``, read backwards from the end.
    The pattern tried every position of the slice, and the slice itself grows with every
    abbreviation skipped (both quadratic on a long headline)."""
    if end > start and text[end - 1] == "\n":
        end -= 1  # $ also matches before a final newline
    begin = end
    while begin > start and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:end] if begin < end else None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _units_from_words(
    words: Sequence[tuple[str, str, float, bool]], idf: Callable[[str], float]
) -> list[Unit]:
    """(original word, lower word, weight factor, is_subject) → units, concepts merged."""
    stems = [tx.stem(lw) for _w, lw, _f, _s in words]
    units: list[Unit] = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
            concept = _PHRASES.get(tuple(stems[i : i + n]))
            if concept:
                text = " ".join(w for w, *_ in words[i : i + n])
                units.append(Unit(concept, text, idf(stems[i]), words[i][3]))
                i += n
                break
        else:
            word, low, factor, is_subject = words[i]
            keep = word.isupper() and len(word) >= 2  # acronyms ("US") even if stopwords
            if keep or (low not in tx.STOPWORDS and len(low) > 1):
                units.append(Unit(stems[i], word, idf(stems[i]) * factor, is_subject))
            i += 1
    return units


def clause_units_plain(text: str, idf: Callable[[str], float]) -> list[Unit]:
    """Units of a clause without a parse: every word, no subject."""
    words = [(w, w.lower(), 1.0, False) for w in _WORD.findall(_UPPER_DOTS.sub(_undot, text))]
    return _units_from_words(words, idf)


def clause_units_parsed(
    doc: Any, idf: Callable[[str], float], original: str
) -> tuple[list[Unit], str | None]:
    """Units from a spaCy parse of the clause, subject words marked; and the subject text.

    ``doc`` may be a re-cased copy of ``original`` (same length): words and the subject
    are reported as the headline writes them.
    """
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subject_tokens: set[int] = set()
    subject_text = None
    if root is not None:
        for child in root.children:
            if child.dep_ in SUBJECT_DEPS:
                sub = list(child.subtree)
                subject_tokens.update(t.i for t in sub)
                subject_text = original[sub[0].idx : sub[-1].idx + len(sub[-1].text)]
    words = []
    for t in doc:
        if t.is_punct or t.is_space or not any(c.isalnum() for c in t.text):
            continue
        factor = 0.5 if t.dep_ in MODIFIER_DEPS and t.head.pos_ in ("NOUN", "PROPN") else 1.0
        word = original[t.idx : t.idx + len(t.text)]
        words.append((word, word.lower(), factor, t.i in subject_tokens))
    return _units_from_words(words, idf), subject_text


def starts_without_subject(doc: Any) -> bool:
    """A clause whose root is a verb with no subject ("Joins forces with …")."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in ("VERB", "AUX"):
        return False
    return not any(c.dep_ in SUBJECT_DEPS for c in root.children)


FINITE_TAGS = frozenset({"VBZ", "VBD", "VBP", "MD"})
WH_WORDS = frozenset({"how", "why", "what", "who", "whom", "when", "where", "which", "whose"})


def is_claim(doc: Any, carried: bool) -> bool:
    """Whether a clause states a checkable proposition.

    Headlines drop auxiliaries ("Minister Caught Lying"), so a verb root counts when it is
    finite, has a subject, or has taken the previous clause's subject. Verbless titles
    ("Six Ways to …"), bare gerunds and imperatives ("Improving …", "Prepare for …") and
    wh-questions ("How Do … Work?") promise a topic, not a claim.
    """
    words = [t for t in doc if not t.is_punct and not t.is_space]
    if words and words[0].lower_ in WH_WORDS and doc.text.rstrip().endswith("?"):
        return False
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    verbs = [t for t in doc if t.pos_ in ("VERB", "AUX")]
    if root is None or not verbs:
        return False
    if root.pos_ not in ("VERB", "AUX"):
        # A noun-rooted title can still carry a finite clause ("…, Pope says").
        return any(t.tag_ in FINITE_TAGS for t in verbs)
    has_subject = any(c.dep_ in SUBJECT_DEPS for c in root.children)
    return carried or has_subject or root.tag_ in FINITE_TAGS


def repeats(sentence_tokens: list[str], headline_tokens: list[str], slack: int = 8) -> bool:
    """A body sentence that only repeats the headline (a title echoed in the page, "The
    post <title> appeared first on …"): it is not evidence for the headline."""
    n = len(headline_tokens)
    if not n or len(sentence_tokens) > n + slack:
        return False
    return any(
        sentence_tokens[i : i + n] == headline_tokens
        for i in range(len(sentence_tokens) - n + 1)
    )


def _undot(m: re.Match[str]) -> str:
    return m.group().replace(".", "")


def sentence_keys(text: str) -> set[str]:
    """Everything a clause unit can match in a sentence: stems, concepts, acronyms."""
    plain = _UPPER_DOTS.sub(_undot, text)
    words = [(w, w.lower(), 1.0, False) for w in _WORD.findall(plain)]
    keys = {u.key for u in _units_from_words(words, lambda _s: 1.0)}
    keys.update(tx.stem(w.lower()) for w, *_ in words)
    for m in _CAP_RUN.finditer(plain):
        initials = "".join(w[0] for w in m.group().split() if w[0].isupper()).lower()
        keys.add(initials)  # "United States" → "us"
    return keys


def _matches(key: str, keys: set[str]) -> bool:
    if key in keys:
        return True
    if key.isupper() or len(key) < 5:  # concepts and short stems match exactly only
        return False
    # Country and demonym forms: "russia"/"russian", "germany"/"german".
    return any(
        len(k) >= 5 and abs(len(k) - len(key)) <= 3 and (k.startswith(key) or key.startswith(k))
        for k in keys
    )


@dataclass(slots=True)
class Match:
    score: float  # weight share of the clause's non-subject units found in the sentence
    subject_found: bool
    shared: list[str]

    @property
    def makes_clause(self) -> bool:
        return self.subject_found and self.score >= SUPPORT_THRESHOLD


PRONOUNS = frozenset(["he", "she", "it", "they", "his", "her", "its", "their", "him", "them"])


def has_pronoun(text: str) -> bool:
    return any(t in PRONOUNS for t in tx.tokens(text))


def match(clause: Clause, keys: set[str], subject_keys: set[str] | None = None) -> Match:
    """How far a sentence (``keys``) makes ``clause``. ``subject_keys`` widens where the
    subject may be found: a pronoun's likely antecedent in the previous sentence."""
    subject = [u for u in clause.units if u.subject]
    rest = [u for u in clause.units if not u.subject]
    total = sum(u.weight for u in rest)
    hit = [u for u in rest if _matches(u.key, keys)]
    where = keys | subject_keys if subject_keys else keys
    subject_hit = [u for u in subject if _matches(u.key, where)]
    score = sum(u.weight for u in hit) / total if total else 0.0
    return Match(
        score=score,
        subject_found=not subject or bool(subject_hit),
        shared=[u.word for u in subject_hit + hit],
    )
