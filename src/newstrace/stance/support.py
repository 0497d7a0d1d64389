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
from collections.abc import Callable, Container, Sequence
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

#: Names written in more than one way in news copy: a country, its adjective and its
#: people; an organisation and its acronyms. Entries in capitals match a word written in
#: capitals only ("US", never the pronoun "us"); the rest match on stems like CONCEPTS.
NAMES: dict[str, tuple[str, ...]] = {
    "N:US": ("US", "USA", "united states", "america", "american", "americans"),
    "N:UK": ("UK", "britain", "british", "united kingdom", "brit", "brits"),
    "N:ISIS": ("ISIS", "ISIL", "IS", "islamic state", "daesh"),
    "N:CHINA": ("china", "chinese"),
    "N:FRANCE": ("france", "french"),
    "N:SPAIN": ("spain", "spanish"),
    "N:NETHERLANDS": ("netherlands", "dutch", "holland"),
    "N:JAPAN": ("japan", "japanese"),
    "N:MEXICO": ("mexico", "mexican", "mexicans"),
    "N:CANADA": ("canada", "canadian", "canadians"),
    "N:IRAN": ("iran", "iranian", "iranians"),
    "N:IRAQ": ("iraq", "iraqi", "iraqis"),
    "N:AFGHANISTAN": ("afghanistan", "afghan", "afghans"),
    "N:KOREA": ("korea", "korean", "koreans"),
    "N:TURKEY": ("turkish",),  # "turkey" is also a bird: only the adjective is sure
    "N:GREECE": ("greece", "greek", "greeks"),
    "N:SWITZERLAND": ("switzerland", "swiss"),
    "N:SWEDEN": ("sweden", "swedish"),
    "N:PHILIPPINES": ("philippines", "filipino", "filipinos", "philippine"),
    "N:SAUDI": ("saudi arabia", "saudi"),
    "N:UN": ("UN", "united nations"),
    "N:EU": ("EU", "european union"),
}

_UPPER_DOTS = re.compile(r"\b(?:[A-Z]\.){2,}")
_DOTTED = re.compile(r"(?:[A-Z]\.)+[A-Z]?\.?")
_DECADE = re.compile(r"\d{3}0['’]?s")  # "1990s": any year of the decade makes it
#: Words that carry no claim in a headline although the stance features keep them.
CLAUSE_STOPWORDS: frozenset[str] = tx.STOPWORDS | tx.words(
    "must may might shall ought cannot can't won't don't doesn't didn't isn't aren't"
)
_CAP_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of\s+)?[A-Z][a-z]+)+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
#: "Obama: …", "Graphic Photo: …", "BREAKING – …": a source or a label before the claim,
#: at most four words.
_PREFIX = re.compile(r"\A[^:–—\s]+(?:\s+[^:–—\s]+){0,3}\s*(?::|\s[–—])\s+(?=\S)")
SUPPORT_THRESHOLD = 0.5
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "nummod", "npadvmod"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
#: Verbs that report what someone said ("…, Pope says", "X claims Y"): the claim a
#: headline makes is then their finite complement, and the speaker is its source.
#: "deny" is not one: "X denies Y" is made only by a denial.
SPEECH_LEMMAS: frozenset[str] = tx.words(
    "say claim tell report suggest warn insist admit allege reveal announce confirm "
    "believe think argue declare state show"
)


def _phrase_table() -> tuple[dict[tuple[str, ...], str], dict[str, str]]:
    """Phrases (tuples of stems) → concept or name; and capitals-only words → name."""
    table: dict[tuple[str, ...], str] = {}
    capitals: dict[str, str] = {}
    for concept, entries in (CONCEPTS | NAMES).items():
        for entry in entries:
            if entry.isupper():
                capitals[entry.lower()] = concept
            else:
                table[tuple(tx.stem(w) for w in entry.split())] = concept
    return table, capitals


_PHRASES, _CAPITALS = _phrase_table()
_MAX_PHRASE = max(len(k) for k in _PHRASES)


@dataclass(slots=True)
class Unit:
    key: str  # a stem, an acronym or a CONCEPTS / NAMES key
    word: str  # the text it came from
    weight: float
    subject: bool = False
    alt: str = ""  # the stem of its lemma where that differs ("bought" → "buy")
    source: bool = False  # who says it, or a label ("…, Pope says", "Video:"): not the claim


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


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a clause or a sentence, as :func:`units_of` reads it."""

    text: str  # as written
    low: str  # lower-cased, numbers as digits
    factor: float = 1.0  # weight factor (modifiers count half)
    subject: bool = False
    lemma: str = ""  # lower-cased lemma, when a parse gave one
    source: bool = False
    capital: bool = False  # written in capitals (an acronym, in a text not all capitals)


def word_of(text: str, lemma: str = "", capital: bool | None = None, **kw: Any) -> Word:
    """A :class:`Word`: number words become digits ("six" → "6", "1,000" → "1000"),
    dotted acronyms lose their dots ("U.S." → "US")."""
    if _DOTTED.fullmatch(text):
        text = text.replace(".", "")
    low = text.lower()
    low = tx.NUMBER_WORDS.get(low, tx.join_thousands(low))
    lem = tx.NUMBER_WORDS.get(lemma.lower(), lemma.lower()) if lemma else ""
    cap = text.isupper() and len(text) >= 2 if capital is None else capital
    return Word(text, low, lemma=lem, capital=cap, **kw)


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


def _concept_at(words: Sequence[Word], stems: list[str], i: int) -> tuple[str, int] | None:
    """The concept or name that starts at word ``i``, and its length in words."""
    if words[i].capital and words[i].low in _CAPITALS:
        return _CAPITALS[words[i].low], 1
    for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
        concept = _PHRASES.get(tuple(stems[i : i + n]))
        if concept:
            return concept, n
    if words[i].lemma:  # irregular forms the lists do not spell out ("fought" → fight)
        concept = _PHRASES.get((tx.stem(words[i].lemma),))
        if concept:
            return concept, 1
    return None


def units_of(words: Sequence[Word], idf: Callable[[str], float]) -> list[Unit]:
    """Words → weighted units: concepts and names merged, stopwords dropped."""
    stems = [tx.stem(w.low) for w in words]
    units: list[Unit] = []
    i = 0
    while i < len(words):
        w = words[i]
        found = _concept_at(words, stems, i)
        if found:
            concept, n = found
            text = " ".join(x.text for x in words[i : i + n])
            units.append(Unit(concept, text, idf(stems[i]) * w.factor, w.subject,
                              source=w.source))
            i += n
            continue
        number = w.low.isdigit() and w.low != "1"  # "one" is as often a pronoun
        if w.capital or number or (w.low not in CLAUSE_STOPWORDS and len(w.low) > 1):
            alt = tx.stem(w.lemma) if w.lemma else ""
            units.append(Unit(stems[i], w.text, idf(stems[i]) * w.factor, w.subject,
                              alt if alt != stems[i] else "", w.source))
        i += 1
    return units


def _plain_words(text: str, **kw: Any) -> list[Word]:
    plain = tx.join_thousands(_UPPER_DOTS.sub(_undot, text))
    return [word_of(w, **kw) for w in _WORD.findall(plain)]


def clause_units_plain(text: str, idf: Callable[[str], float]) -> list[Unit]:
    """Units of a clause without a parse: every word, no subject."""
    return units_of(_plain_words(text), idf)


def claim_start(text: str) -> int:
    """Where a clause's claim starts after a source or label prefix ("Obama: …",
    "Video: …", "BREAKING – …"); 0 when it has none."""
    m = _PREFIX.match(text)
    return m.end() if m and m.end() < len(text) else 0


def source_units(text: str, idf: Callable[[str], float]) -> list[Unit]:
    """Units of a source or label prefix: shown, never required of a body sentence."""
    return units_of(_plain_words(text, source=True), idf)


def _claim_root(doc: Any) -> tuple[Any, set[int]]:
    """The root of the claim and the tokens that only say who claims it: in "X says Y"
    and "Y, X says" the claim is Y, X and "says" its source."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.lemma_.lower() not in SPEECH_LEMMAS:
        return root, set()
    comp = next((c for c in root.children if c.dep_ in ("ccomp", "parataxis")), None)
    if comp is None:
        return root, set()
    inside = {t.i for t in comp.subtree}
    return comp, {t.i for t in doc if t.i not in inside}


def clause_units_parsed(
    doc: Any, idf: Callable[[str], float], original: str
) -> tuple[list[Unit], str | None]:
    """Units from a spaCy parse of the clause, subject and source words marked; and the
    subject text.

    ``doc`` may be a re-cased copy of ``original`` (same length): words and the subject
    are reported as the headline writes them, acronyms judged on the re-cased text.
    """
    root, source = _claim_root(doc)
    subject_tokens: set[int] = set()
    subject_text = None
    if root is not None:
        for child in root.children:
            if child.dep_ in SUBJECT_DEPS:
                sub = list(child.subtree)
                subject_tokens.update(t.i for t in sub)
                subject_text = original[sub[0].idx : sub[-1].idx + len(sub[-1].text)]
    words = []
    depth = 0
    for t in doc:
        depth += (t.text == "(") - (t.text == ")")
        if t.is_punct or t.is_space or not any(c.isalnum() for c in t.text):
            continue
        factor = 0.5 if t.dep_ in MODIFIER_DEPS and t.head.pos_ in ("NOUN", "PROPN") else 1.0
        word = original[t.idx : t.idx + len(t.text)]
        capital = t.text.isupper() and len(t.text) >= 2
        words.append(word_of(word, t.lemma_, capital=capital, factor=factor,
                             subject=t.i in subject_tokens,
                             source=t.i in source or depth > 0))  # "(video)" is a label
    return units_of(words, idf), subject_text


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
        # A noun-rooted title can still carry a finite clause ("…, Pope says") or be a
        # passive with its auxiliary dropped ("Batmobile stolen in Detroit").
        passive = any(c.dep_ == "acl" and c.tag_ == "VBN" for c in root.children)
        return passive or any(t.tag_ in FINITE_TAGS for t in verbs)
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


def sentence_keys(text: str, lemmas: Sequence[str] = ()) -> set[str]:
    """Everything a clause unit can match in a sentence: stems, lemma stems, concepts,
    names, acronyms and the initials of capitalised runs."""
    words = _plain_words(text)
    keys = {u.key for u in units_of(words, lambda _s: 1.0)}
    keys.update(tx.stem(w.low) for w in words)
    for lemma in lemmas:
        low = tx.NUMBER_WORDS.get(lemma.lower(), lemma.lower())
        keys.add(tx.stem(low))
        concept = _PHRASES.get((tx.stem(low),))
        if concept:
            keys.add(concept)  # "fought" → FIGHT
    for m in _CAP_RUN.finditer(text):
        initials = "".join(w[0] for w in m.group().split() if w[0].isupper()).lower()
        keys.add(initials)  # "United States" → "us"
    return keys


def _matches(unit: Unit, keys: set[str]) -> bool:
    key = unit.key
    if key in keys or (unit.alt and unit.alt in keys):
        return True
    if _DECADE.fullmatch(unit.word):
        return any(len(k) == 4 and k.isdigit() and k[:3] == key[:3] for k in keys)
    if key.isupper() or ":" in key or len(key) < 5:  # concepts, names, short stems: exact
        return False
    # Country and demonym forms: "russia"/"russian", "germany"/"german".
    return any(
        len(k) >= 5 and abs(len(k) - len(key)) <= 3 and (k.startswith(key) or key.startswith(k))
        for k in keys
    )


def _earlier(unit: Unit, keys: Container[str] | None) -> bool:
    return keys is not None and (unit.key in keys or bool(unit.alt and unit.alt in keys))


@dataclass(slots=True)
class Match:
    score: float  # weight share of the clause's claim units (not subject) in the sentence
    subject_found: bool
    shared: list[str]

    @property
    def makes_clause(self) -> bool:
        return self.subject_found and self.score >= SUPPORT_THRESHOLD


PRONOUNS = frozenset(["he", "she", "it", "they", "his", "her", "its", "their", "him", "them"])


def has_pronoun(text: str) -> bool:
    return any(t in PRONOUNS for t in tx.tokens(text))


def match(
    clause: Clause, keys: set[str], subject_keys: Container[str] | None = None
) -> Match:
    """How far a sentence (``keys``) makes ``clause``. ``subject_keys`` widens where the
    subject may be found (exact keys only): what the body said before the sentence, where
    a pronoun's referent is. Source units (who the headline says claims it) are shown
    when shared, never required."""
    claim = [u for u in clause.units if not u.source]
    subject = [u for u in claim if u.subject]
    rest = [u for u in claim if not u.subject]
    total = sum(u.weight for u in rest)
    hit = [u for u in rest if _matches(u, keys)]
    subject_hit = [u for u in subject if _matches(u, keys) or _earlier(u, subject_keys)]
    sources = [u for u in clause.units if u.source and _matches(u, keys)]
    score = sum(u.weight for u in hit) / total if total else 0.0
    return Match(
        score=score,
        subject_found=not subject or bool(subject_hit),
        shared=[u.word for u in sources + subject_hit + hit],
    )
