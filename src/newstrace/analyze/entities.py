"""People, organisations, places and media outlets, each mention linked to one entity.

spaCy's small NER is the starting point; general rules repair what it gets wrong in news
text, then a linker merges the mentions of one entity:

- names with particles ("Ursula von der X", "Von-der X") and names introduced by a title
  or a relational noun ("Foreign Minister A B", "his colleague A B") are people;
- a bare capitalised word that spells (or misspells) a known person's surname is that
  person, whatever label the NER gave it;
- a name found in the media table, or ending in a media noun ("X magazine"), is a medium;
- person mentions link on the surname, allowing a small spelling difference, and only
  when the given names agree (so two people sharing a surname stay apart); differing
  spellings are kept as variants and flagged.

Titles written before the name ("Minister of Defence", "Foreign Minister") or in an
appositive after it (", the foreign minister,") are attached to the person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from newstrace.analyze.analyzer import BaseAnnotator
from newstrace.analyze.lexicon import terms
from newstrace.analyze.names import (
    PARTICLES,
    given_compatible,
    normal_form,
    similar_spelling,
    split_name,
    written_form,
)
from newstrace.config import Settings
from newstrace.data import Article, Span

_NER_LABELS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}

#: A few name aliases so that a country written two ways is one entity.
_ALIASES = {
    "us": "united states",
    "u s": "united states",
    "usa": "united states",
    "u s a": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "u k": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
}

_NAME_WORD = r"[A-Z][^\W\d_]+(?:[-‐][A-Z][^\W\d_]+)?"
_PARTICLE = (
    r"(?:(?:" + "|".join(sorted(PARTICLES - {"der", "den"})) + r")(?:[ -](?:der|den|de|la|le))?"
    r"|(?:Von|Van)(?:[ -](?:der|den|de))?)"
)
#: "Ursula von der X", "Von-der X", "Bashar al-X": a particle marks a person's name.
_PARTICLE_NAME = re.compile(
    rf"(?<![\w-])(?:{_NAME_WORD}\s+)?{_PARTICLE}[ -]{_NAME_WORD}(?![\w-])"
)


@cache
def _title_alternation() -> str:
    entries = sorted(terms("titles"), key=len, reverse=True)
    return "|".join(re.escape(e).replace(r"\ ", r"\s+") for e in entries)


@cache
def _title_before() -> re.Pattern[str]:
    """A title phrase that ends right before a name: "Minister of Defence ", "Foreign
    Minister ", "US-President "."""
    return re.compile(
        rf"(?<![\w])((?i:{_title_alternation()})"
        r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:and\s+)?[A-Z][\w-]*)*)?)"
        r"[\s,]*$"
    )


@cache
def _title_after() -> re.Pattern[str]:
    """An appositive title right after a name: ", the foreign minister," / ", Russia's
    foreign minister,"."""
    return re.compile(
        r"^\s*,\s*(?:the\s+|an?\s+|[A-Z][\w-]*['’]s\s+)?"
        rf"((?:[A-Za-z-]+\s+){{0,2}}?(?i:{_title_alternation()})"
        r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?)\s*[,.;]"
    )


@cache
def _name_after_cue() -> re.Pattern[str]:
    """A capitalised name right after a title or a relational noun ("colleague A B")."""
    cues = sorted(set(terms("titles")) | set(terms("person_cues")), key=len, reverse=True)
    alt = "|".join(re.escape(e).replace(r"\ ", r"\s+") for e in cues)
    return re.compile(
        rf"(?<![\w])(?i:{alt})\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})(?![\w-])"
    )


def _uninflected(name: str) -> str:
    """A name without a possessive or plural ending ("Googles", "Roe's"): inflection
    is not a second spelling."""
    return re.sub(r"(?:['’]s|s['’]?)$", "", name) or name


@cache
def _media_names() -> frozenset[str]:
    """Names of news media: the hand-written list of widely cited ones plus the outlet
    table's names of two words or more, so a medium the table knows is never a person.
    (Its one-word variants, "Forbes", "France", "Vice", are also surnames and places.)"""
    from newstrace.resources.outlets import outlet_table

    table_names = (
        n for outlet in outlet_table().outlets for n in outlet.names if len(n.split()) > 1
    )
    return frozenset(normal_form(t) for t in (*terms("media_outlets"), *table_names))


@cache
def _media_nouns() -> frozenset[str]:
    return frozenset(terms("media"))


#: Words inside a proper name that mark a news medium in several languages.
_MEDIA_NAME_WORDS = frozenset(
    {"magazine", "news", "times", "post", "journal", "gazette", "herald", "tribune",
     "telegraph", "press", "presse", "agentur", "agency", "zeitung", "nachrichten",
     "radio", "tv", "television", "broadcasting", "daily", "weekly", "chronicle",
     "courier", "monitor", "express", "mirror", "observer", "dispatch"}
)


def is_media_name(name: str) -> bool:
    """Whether ``name`` (as written) names a news medium, from the table or its words."""
    norm = normal_form(name)
    if norm.startswith("the "):
        norm = norm[4:]
    if norm in _media_names() or f"the {norm}" in _media_names():
        return True
    words = norm.replace("-", " ").split()
    return any(w in _MEDIA_NAME_WORDS for w in words)


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    kind: str  # person, organisation, place, media, group
    source: str  # ner, particle, cue, surname, media
    entity: int = -1
    titles: list[str] = field(default_factory=list)


def _strip_the(text: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace, markup and a possessive from a mention span."""
    while start < end and (text[start].isspace() or text[start] in "*_\"'“”‘’([<"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "*_\"'“”‘’.,;:)]>"):
        end -= 1
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end


class EntityAnnotator(BaseAnnotator):
    name = "entities"
    requires = ("doc", "spans.sentences")
    assigns = ("spans.entities", "results.entities")

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # --- mention finding ---------------------------------------------------------------

    def _ner_mentions(self, article: Article, doc: Any) -> list[Mention]:
        text = doc.text
        out: list[Mention] = []
        for ent in doc.ents:
            kind = _NER_LABELS.get(ent.label_)
            if kind is None:
                continue
            if kind == "group" and not any(t.tag_ in ("NNPS", "NNS") for t in ent):
                continue  # "Russian" adjectives are not actors; "the Americans" are
            end = ent.end_char
            cut = text.find("\n", ent.start_char, end)
            if cut != -1:
                # The NER ran over a line break: keep the part before it (the next line's
                # names are found on their own).
                end = cut
            start, end = _trim(text, ent.start_char, end)
            if cut != -1 and " " not in text[start:end] and "-" not in text[start:end]:
                continue  # a lone word cut off a longer, mislabelled name
            if start < end:
                out.append(Mention(start, end, kind, "ner"))
        return out

    def _rule_mentions(self, doc: Any) -> list[Mention]:
        text = doc.text
        out: list[Mention] = []
        for m in _PARTICLE_NAME.finditer(text):
            start, end = m.start(), m.end()
            first = text[start:end].split()[0]
            if first.casefold() in set(terms("titles")):
                start = start + len(first) + 1
            out.append(Mention(*_trim(text, start, end), "person", "particle"))
        titles = set(terms("titles"))
        for m in _name_after_cue().finditer(text):
            name = m.group(1)
            words = name.split()
            # Stop the name where a word is itself a title or a media/common noun.
            keep: list[str] = []
            for w in words:
                if w.casefold() in titles or w.casefold() in _media_nouns():
                    break
                keep.append(w)
            if not keep:
                continue
            start = m.start(1)
            end = start + len(" ".join(keep))
            if text[start:end] != " ".join(keep):
                continue  # the name spans a line break; leave it to the NER
            out.append(Mention(start, end, "person", "cue"))
        return out

    # --- resolution --------------------------------------------------------------------

    @staticmethod
    def _resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
        """Keep one mention per stretch of text: rule-found people beat NER labels, then
        longer beats shorter."""
        rank = {"particle": 0, "cue": 1, "ner": 2}
        ordered = sorted(
            mentions, key=lambda m: (rank.get(m.source, 3), -(m.end - m.start), m.start)
        )
        kept: list[Mention] = []
        for m in ordered:
            if any(m.start < k.end and k.start < m.end for k in kept):
                continue
            kept.append(m)
        return sorted(kept, key=lambda m: m.start)

    @staticmethod
    def _join_hyphenated(text: str, mentions: list[Mention]) -> list[Mention]:
        """"Anne" + "-" + "Marie X": the tokenizer splits hyphenated given names; two
        person mentions joined by a hyphen are one name."""
        out: list[Mention] = []
        for m in mentions:
            prev = out[-1] if out else None
            if (
                prev is not None
                and "person" in (prev.kind, m.kind)
                and text[prev.end : m.start] in ("-", "‐")
            ):
                prev.end = m.end
                prev.kind = "person"
                continue
            out.append(m)
        return out

    @staticmethod
    def _extend_media(text: str, mentions: list[Mention]) -> None:
        """"Harbour Times magazine": a name followed by a media noun is a medium, noun included."""
        nouns = _media_nouns()
        for m in mentions:
            # \A, possessive spaces: read at the start only (searched, quadratic on spaces).
            follow = re.match(r"\A[ \t]++([A-Za-z]+)", text[m.end : m.end + 20])
            if (
                m.kind in ("organisation", "person", "group")
                and follow
                and follow.group(1).islower()
                and follow.group(1) in nouns
            ):
                m.end = m.end + follow.end()
                m.kind = "media"
            if (
                m.kind in ("organisation", "person")
                and m.source == "ner"
                and is_media_name(text[m.start : m.end])
            ):
                m.kind = "media"

    def _surname_mentions(self, doc: Any, mentions: list[Mention]) -> list[Mention]:
        """Capitalised words that spell a known person's surname are that person."""
        text = doc.text
        keys = {
            split_name(text[m.start : m.end]).key
            for m in mentions
            if m.kind == "person"
        }
        keys.discard("")
        if not keys:
            return mentions
        # A NER non-person whose last word is a known surname is that person
        # ("A-B Surname" tagged ORG in a caption).
        for m in mentions:
            written = text[m.start : m.end]
            if (
                m.kind in ("organisation", "place")
                and len(written.split()) <= 3
                and written[:1].isupper()
                and split_name(written).key in keys
            ):
                m.kind = "person"
        taken = [(m.start, m.end) for m in mentions]
        extra: list[Mention] = []
        # Capitalised words recur (names, places, sentence starts): each spelling is
        # compared with the surnames once, not once per occurrence.
        spells_a_surname: dict[str, bool] = {}
        for tok in doc:
            word = tok.text
            if not word[:1].isupper() or len(word) < 3:
                continue
            folded = word.casefold()
            if tok.is_sent_start and folded not in keys:
                continue  # a capital at a sentence start says nothing; need an exact match
            known = spells_a_surname.get(word)
            if known is None:
                known = folded in keys or any(similar_spelling(k, word) for k in keys)
                spells_a_surname[word] = known
            if not known:
                continue
            start, end = tok.idx, tok.idx + len(word)
            inside = [m for m in mentions if m.start <= start and end <= m.end]
            if inside:
                # A NER non-person over just this word ("Moreau" as ORG) becomes a person.
                for m in inside:
                    if m.kind != "person" and (m.start, m.end) == (start, end):
                        m.kind = "person"
                continue
            if any(s < end and start < e for s, e in taken):
                continue
            extra.append(Mention(start, end, "person", "surname"))
        return sorted(mentions + extra, key=lambda m: m.start)

    def _attach_titles(self, text: str, sentences: list[Span], m: Mention) -> None:
        sent = next((s for s in sentences if s.start <= m.start < s.end), None)
        left = sent.start if sent else max(0, m.start - 80)
        right = sent.end if sent else min(len(text), m.end + 80)
        before = text[max(left, m.start - 80) : m.start]
        found = _title_before().search(before)
        if found:
            m.titles.append(" ".join(found.group(1).split()))
        after = _title_after().match(text[m.end : min(right + 1, m.end + 80)])
        if after:
            m.titles.append(" ".join(after.group(1).split()))

    def _link(self, text: str, mentions: list[Mention]) -> list[dict[str, Any]]:
        entities: list[dict[str, Any]] = []
        people: list[tuple[int, str, str]] = []  # (entity index, given, key)
        by_key: dict[tuple[str, str], int] = {}
        # Full names first, so that a bare surname written before the full name still
        # finds its person; then everything in text order.
        order = sorted(
            range(len(mentions)),
            key=lambda i: (
                0 if mentions[i].kind == "person"
                and split_name(text[mentions[i].start : mentions[i].end]).given else 1,
                mentions[i].start,
            ),
        )
        for i in order:
            m = mentions[i]
            written = text[m.start : m.end]
            if m.kind == "person":
                parts = split_name(written)
                candidates = [
                    (idx, given, key)
                    for idx, given, key in people
                    if (key == parts.key or similar_spelling(key, parts.key))
                    and given_compatible(given, parts.given)
                ]
                if not candidates and not parts.given:
                    # A bare word that is no one's surname but exactly one person's given
                    # name ("Prince Alwaleed" after "Alwaleed Bin Talal").
                    # Only after that person was named in full: a bare given name written
                    # first ("Pope Francis" before a "Francis de Sales") is someone else.
                    by_given = [
                        c for c in people
                        if c[1] and c[1].split()[0].casefold() == parts.key
                        and not any(k == parts.key for _, _, k in people)
                        and entities[c[0]]["_first"] <= m.start
                    ]
                    if len(by_given) == 1:
                        candidates = by_given
                if candidates:
                    exact = [c for c in candidates if c[2] == parts.key]
                    pool = exact or candidates
                    # The latest person with that name mentioned before this point.
                    before = [
                        c for c in pool
                        if entities[c[0]]["_first"] <= m.start
                    ]
                    idx = (before or pool)[-1][0]
                    m.entity = idx
                    entities[idx]["_first"] = min(entities[idx]["_first"], m.start)
                    if parts.given and not entities[idx]["_given"]:
                        entities[idx]["_given"] = parts.given
                    continue
                idx = len(entities)
                people.append((idx, parts.given, parts.key))
                entities.append(
                    {"_kind": "person", "_given": parts.given, "_mentions": [], "_first": m.start}
                )
                m.entity = idx
                continue
            norm = normal_form(_strip_the(written))
            norm = _ALIASES.get(norm, norm)
            key = (m.kind if m.kind != "media" else "media", norm)
            if key not in by_key:
                by_key[key] = len(entities)
                entities.append(
                    {"_kind": m.kind, "_given": "", "_mentions": [], "_first": m.start}
                )
            m.entity = by_key[key]
        for m in mentions:
            entities[m.entity]["_mentions"].append(m)
        return entities

    @staticmethod
    def _describe(text: str, raw: dict[str, Any]) -> dict[str, Any]:
        mentions: list[Mention] = sorted(raw["_mentions"], key=lambda m: m.start)
        variants: list[str] = []
        for m in mentions:
            written = _strip_the(text[m.start : m.end])
            if written not in variants:
                variants.append(written)
        inconsistent = False
        if raw["_kind"] == "person":
            names = [split_name(v) for v in variants]
            givens = {written_form(n.given) for n in names if n.given}
            # A one-word mention that is a fuller variant's given name ("Miguel" beside
            # "Miguel Roe") calls the person by first name; it is no other surname.
            first_names = {written_form(n.given.split()[0]) for n in names if n.given}
            surnames = {
                _uninflected(written_form(n.surname)) for n in names
                if n.surname and (n.given or written_form(n.surname) not in first_names)
            }
            inconsistent = len(surnames) > 1 or len(givens) > 1
            # The entity's name: the most complete, most frequent spelling.
            counts = {v: sum(1 for m in mentions if text[m.start : m.end].endswith(v))
                      for v in variants}
            name = max(variants, key=lambda v: (len(split_name(v).given) > 0, counts[v],
                                                 -variants.index(v)))
        else:
            name = max(variants, key=lambda v: (len(v), -variants.index(v)))
        titles: list[str] = []
        for m in mentions:
            for t in m.titles:
                if t.casefold() not in {x.casefold() for x in titles}:
                    titles.append(t)
        return {
            "name": name,
            "label": raw["_kind"],
            "variants": variants,
            "inconsistent_spelling": inconsistent,
            "mentions": [Span(m.start, m.end, "mention") for m in mentions],
            "titles": titles,
        }

    def __call__(self, article: Article) -> Article:
        doc = article.cache["doc"]
        text = doc.text  # analysed text: same offsets as article.text, furniture blanked
        mentions = self._ner_mentions(article, doc) + self._rule_mentions(doc)
        mentions = self._join_hyphenated(text, self._resolve_overlaps(mentions))
        self._extend_media(text, mentions)
        mentions = self._surname_mentions(doc, mentions)
        sentences = article.layer("sentences")
        for m in mentions:
            if m.kind == "person":
                self._attach_titles(text, sentences, m)
        raw = self._link(text, mentions)
        # Number entities by first mention, so the list reads in text order.
        order = sorted(range(len(raw)), key=lambda i: min(m.start for m in raw[i]["_mentions"]))
        renumber = {old: new for new, old in enumerate(order)}
        results = [self._describe(text, raw[i]) for i in order]
        spans = [
            Span(m.start, m.end, "entity", {"entity": renumber[m.entity], "label": m.kind})
            for m in mentions
        ]
        article.set_layer("entities", spans)
        article.results["entities"] = results
        return article


def build(settings: Settings) -> EntityAnnotator:
    return EntityAnnotator(settings)
