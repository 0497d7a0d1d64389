"""Who an attribution's source is: named entity, pronoun, description or anonymous.

Used by :mod:`newstrace.analyze.attribution`. A source resolves, in this order, to the
entity mention at its head ("Jonh Roe explained" → the entity its spelling links to), a
he/she pronoun (the last person who spoke, else the last person subject, else the last
person named), a plural pronoun (the nearest plural subject before it in the paragraph),
a description ("the minister": the last person with that title), an anonymous or vague
noun ("a speaker of the ministry", "officials"), or an organisation noun ("the
government").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

from newstrace.analyze.lexicon import terms
from newstrace.analyze.person_gender import agrees
from newstrace.analyze.quotations import QuotationIndex
from newstrace.data import Article, Span

#: Head nouns of organisations that speak as one ("the government warned").
ORG_NOUNS = frozenset(
    {"government", "ministry", "administration", "department", "agency", "army", "military",
     "police", "court", "parliament", "congress", "senate", "committee", "company", "party",
     "commission", "council", "office", "embassy", "kremlin", "cabinet", "campaign",
     "union", "bank", "firm", "group", "organization", "organisation",
     "authorities", "authority", "coalition", "alliance", "board", "team", "state"}
)
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
_PLURAL_PRONOUNS = frozenset({"they", "them"})
#: Determiners that point back at someone the text has in view ("both men", "the two").
_ANAPHORIC = frozenset({"both", "the", "these", "those", "this", "that", "each"})
#: What joins two names into a pair: "A and B", "A, 38, and B".
_PAIRED = re.compile(r"(?:,[^,\n]{0,40},)?\s+and\s+")
#: Determiners that point back to people the text has named ("both witnesses", "these
#: officials"): such a source is in view, not hidden.
_BACK_REFERENCES = frozenset({"both", "these", "those", "each"})
_INDEFINITE = frozenset(
    {"a", "an", "some", "several", "many", "unnamed", "anonymous", "one", "two", "three",
     "various", "other", "senior", "certain"}
)


@cache
def _anonymous_nouns() -> frozenset[str]:
    return frozenset(terms("anonymous"))


@cache
def _title_words() -> frozenset[str]:
    # The head noun of each title: "minister" in "foreign minister" and in "minister of
    # defence", "staff" nowhere ("chief of staff" → "chief").
    words: set[str] = set()
    for t in terms("titles"):
        parts = t.split(" of ")[0].split(" for ")[0].split()
        if parts:
            words.add(parts[-1].strip("."))
    return frozenset(words)


@dataclass(slots=True)
class Attribution:
    cue: tuple[int, int]
    content: tuple[int, int] | None
    source: tuple[int, int] | None
    source_head: Any = None  # spaCy token
    medium: tuple[int, int] | None = None
    medium_name: str | None = None
    time: str | None = None
    place: str | None = None
    speaker: str | None = None
    speaker_kind: str = "unknown"
    speaker_entity: int | None = None
    direct: bool = False
    continuation_of: int | None = None
    chain: list[dict[str, Any]] = field(default_factory=list)
    affiliation: str | None = None
    #: Where a plural-pronoun source points ("They" → "concerned colleagues").
    referent: tuple[int, int] | None = None
    #: Found at a verb the cue model knows and the reporting-verb lexicon does not.
    learned: bool = False
    #: Its content is a clause of its cue verb ("that the plan was reckless").
    clausal: bool = False

    @property
    def stance(self) -> bool:
        """A learned cue that neither quotes nor reports a clause ("wants to", "is pushing
        for", "has ordered"): the writer's account of a position or act, no statement."""
        return self.learned and not self.direct and not self.clausal \
            and self.continuation_of is None

    @property
    def extent(self) -> tuple[int, int]:
        parts = [p for p in (self.cue, self.content, self.source) if p]
        return min(p[0] for p in parts), max(p[1] for p in parts)


#: How many statements back a pronoun looks for the last person who spoke.
_RECENT_STATEMENTS = 40


class SpeakerResolver:
    """Resolves the speaker of each attribution, in text order, against the entity layer."""

    def __init__(self, quotes: QuotationIndex | None = None) -> None:
        self._referent: tuple[int, int] | None = None
        # Who speaks inside a quotation is reported by the quoted speaker: never the "last
        # speaker" a pronoun outside it refers to ("… Jesus can say: ‘…’,” he concluded).
        self._quotes = quotes

    def _quoted(self, start: int, end: int) -> bool:
        return self._quotes is not None and self._quotes.quoted_share(start, end) >= 0.5

    def resolve(self, article: Article, att: Attribution, done: list[Attribution]) -> None:
        self._referent = None
        self._resolve(article, att, done)
        att.referent = self._referent


    def _entity_at(self, article: Article, start: int, end: int) -> list[Span]:
        return [m for m in article.layer("entities") if m.start < end and start < m.end]

    def _resolve(self, article: Article, att: Attribution, done: list[Attribution]) -> None:
        if att.speaker_entity is not None:
            return  # resolved where it was found
        if att.speaker_kind == "anonymous" and att.source_head is None:
            return
        head = att.source_head
        if att.source is None or head is None:
            return
        mentions = _outside_clauses(self._entity_at(article, *att.source), head)
        if any(m.start <= head.idx < m.end for m in mentions):
            self._named(article, att, head, mentions)
        elif head.lower_ in PERSON_PRONOUNS:
            self._resolve_person(article, att, head.idx, done)
        elif head.lower_ in _PLURAL_PRONOUNS:
            self._resolve_plural(article, att, head, done)
        elif head.lower_ == "it":
            if att.speaker_kind != "anonymous":
                # "It did not reveal … and said …": the organisation that spoke last.
                self._resolve_it(article, att, head.idx, done)
        else:
            self._described(article, att, head, mentions, done)

    @staticmethod
    def _named(article: Article, att: Attribution, head: Any, mentions: list[Span]) -> None:
        """A source that is a name; coordinated subjects ("A and B signalled") give every
        conjunct's entity."""
        entities = article.results.get("entities", [])
        ents: list[tuple[int, str]] = []
        for h in [head, *head.conjuncts]:
            m = next((x for x in mentions if x.start <= h.idx < x.end), None)
            if m is not None and m.attrs["entity"] not in [e for e, _ in ents]:
                ents.append((m.attrs["entity"], m.attrs["label"]))
        att.speaker = " and ".join(entities[e]["name"] for e, _ in ents)
        att.speaker_entity = ents[0][0]
        att.speaker_kind = kind_of(ents[0][1])

    def _described(self, article: Article, att: Attribution, head: Any,
                   mentions: list[Span], done: list[Attribution]) -> None:
        """A source that is a description: "the minister", "a Trump spokesman", "officials"."""
        text = article.text
        entities = article.results.get("entities", [])
        if head.pos_ == "PROPN" and any(
                c.dep_ == "appos" or (c.dep_ == "compound" and c.pos_ == "PROPN")
                for c in head.children):
            # "Kurt Volker, former special envoy to Kyiv": a name the entity layer missed
            # is who speaks, not the place named in the description after it.
            names = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
            att.speaker = " ".join(t.text for t in sorted([*names, head], key=lambda t: t.i))
            return
        head_lemma = head.lemma_.lower()
        dets = {c.lower_ for c in head.children if c.dep_ in ("det", "amod", "nummod")}
        person_in_source = [m for m in mentions if m.attrs["label"] == "person"]
        anon = head_lemma in _anonymous_nouns() or head.lower_ in _anonymous_nouns()
        definite = bool(dets & {"the", "this", "that"}) or any(
            c.dep_ == "poss" for c in head.children
        )
        if definite and head_lemma in _VAGUE_DOCUMENTS | _RELEASES:
            # "“…,” the statement said" after "X said in a statement": X's statement.
            issuer = self._issuer_of(article, head_lemma, att, done)
            if issuer is not None:
                att.speaker, att.speaker_entity = issuer.speaker, issuer.speaker_entity
                att.speaker_kind = issuer.speaker_kind
                return
        if head_lemma in _title_words() and definite and not anon and not person_in_source:
            # "the minister said", "Venezuela's president tells …": a described person.
            self._resolve_description(article, att, head_lemma, done)
            return
        if definite and not person_in_source and head_lemma not in ORG_NOUNS \
                and self._same_noun_before(att, head, text, done):
            return  # "the spokesman" after "President Putin's spokesman": that source again
        if anon and definite and head_lemma in _VAGUE_DOCUMENTS:
            att.speaker_kind = "unknown"  # "the report": one the article has in view
            return
        if "both" in dets and head.tag_ == "NNS" and self._named_pair(article, att, head):
            return  # "Both men claimed …" after "Kevin King and Timothy Weeks …"
        if anon and not person_in_source and not dets & _BACK_REFERENCES:
            _unnamed(att, head, mentions, entities)
            return
        role_noun = anon or head_lemma in _title_words()
        if role_noun and person_in_source and all(m.end <= head.idx for m in person_in_source):
            # "a Trump spokesman", "Putin's lawyer": the person named modifies the one who
            # speaks; the speaker is the spokesman, not Trump.
            att.speaker_kind = "anonymous" if anon and not definite else "person"
            att.affiliation = entities[person_in_source[0].attrs["entity"]]["name"]
            if att.speaker_kind == "person":
                att.speaker = np_text(head, text)
            return
        if person_in_source:
            set_entity(att, entities, person_in_source[0].attrs["entity"])
            att.speaker_kind = "person"
            return
        if head_lemma in ORG_NOUNS or head.lower_ in ORG_NOUNS or mentions:
            _organisation(article, att, head, mentions, definite)
            return
        if dets & _ANAPHORIC or (head_lemma in _VAGUE_DOCUMENTS and head.tag_ == "NN") or (
                head.pos_ == "PROPN" and head.i > head.sent.start):
            # "both men", "the protesters", "a new poll" (named next): in view, not hidden;
            # "polls show" stays vague. A capitalised name the entity layer missed ("Doctor
            # asks") is not anonymous either.
            return
        if (dets & _INDEFINITE or head.tag_ in ("NNS",)) and _speaks(head_lemma):
            att.speaker_kind = "anonymous"

    def _resolve_person(self, article: Article, att: Attribution, at: int,
                        done: list[Attribution]) -> None:
        """A he/she source: the last person who spoke, else the last person subject, else
        the last person named — within the last few blocks."""
        entities = article.results.get("entities", [])
        word = re.match(r"\w+", article.text[at : at + 10])
        pronoun = word.group(0) if word else ""

        def fits(index: int) -> bool:  # "he" is no woman the article named, "she" no man
            return agrees(article, entities[index], pronoun)

        same = self._subject_before_in_sentence(article, at, att.content)
        if same is not None and fits(same.attrs["entity"]):
            # "When Carlineo was approached, he told police …": a person who is the subject
            # earlier in the pronoun's own sentence is who "he" is, whoever spoke last.
            set_entity(att, entities, same.attrs["entity"])
            return
        window_start = self._window_start(article, at)
        # In text order: the statements before the window end the search, and a pronoun
        # reaches back over the last few dozen statements at most (linear, not quadratic,
        # on a text of thousands of statements).
        for prev in reversed(done[-_RECENT_STATEMENTS:]):
            if prev.cue[0] < window_start:
                break
            if prev.cue[0] >= at or self._quoted(*prev.cue):
                continue
            if prev.speaker_kind == "person" and prev.speaker_entity is not None \
                    and fits(prev.speaker_entity):
                set_entity(att, entities, prev.speaker_entity)
                return
        persons = [
            m for m in article.layer("entities")
            if m.attrs["label"] == "person" and window_start <= m.start < at
            and not self._quoted(m.start, m.end) and fits(m.attrs["entity"])
        ]
        if not persons:
            return
        doc = article.cache["doc"]
        subjects = [m for m in persons if is_subject(doc, m)]
        chosen = (subjects or persons)[-1]
        set_entity(att, entities, chosen.attrs["entity"])

    @staticmethod
    def _same_noun_before(att: Attribution, head: Any, text: str,
                          done: list[Attribution]) -> bool:
        """Take the speaker of the last source written with the same head noun whose words
        include this one's ("the spokesman" → "President Putin's spokesman"; "the French
        ministry" is not "Russia's foreign ministry")."""
        noun = head.lemma_.lower()
        mine = {t.lower_ for t in head.subtree if t.dep_ not in ("det", "case", "punct")}
        for prev in reversed(done):
            prev_head = prev.source_head
            if prev_head is None or prev is att or prev_head.lemma_.lower() != noun:
                continue
            written = text[prev.source[0] : prev.source[1]].lower() if prev.source else ""
            if not mine - {head.lower_} <= set(re.findall(r"[\w'’]+", written)):
                continue
            att.speaker, att.speaker_kind = prev.speaker, prev.speaker_kind
            att.speaker_entity, att.affiliation = prev.speaker_entity, prev.affiliation
            return True
        return False

    def _issuer_of(self, article: Article, noun: str, att: Attribution,
                   done: list[Attribution]) -> Attribution | None:
        """The statement whose speaker issued the document "the <noun>" names: the last
        statement made "in a <noun>" (its medium or its cue's words name the document)
        within the last few blocks."""
        text = article.text
        window_start = self._window_start(article, att.cue[0])
        for prev in reversed(done[-_RECENT_STATEMENTS:]):
            if prev.cue[0] < window_start:
                break
            if prev.cue[0] >= att.cue[0] or prev.speaker is None \
                    or prev.speaker_kind not in ("person", "organisation", "media"):
                continue
            lo, hi = prev.cue[0], (prev.content[0] if prev.content and
                                   prev.content[0] > prev.cue[0] else prev.cue[1] + 40)
            words = re.findall(r"[a-z]+", text[lo : hi + 40].lower())
            if any(w in (noun, noun + "s") for w in words):
                return prev
        return None

    def _resolve_it(self, article: Article, att: Attribution, at: int,
                    done: list[Attribution]) -> None:
        entities = article.results.get("entities", [])
        window_start = self._window_start(article, at)
        for prev in reversed(done):
            if window_start <= prev.cue[0] < at and prev.speaker \
                    and prev.speaker_kind in ("organisation", "media"):
                # (an organisation the entity layer missed, "the US military", too)
                if prev.speaker_entity is not None:
                    set_entity(att, entities, prev.speaker_entity)
                else:
                    att.speaker, att.speaker_kind = prev.speaker, prev.speaker_kind
                return

    @staticmethod
    def _subject_before_in_sentence(article: Article, at: int,
                                    content: tuple[int, int] | None) -> Span | None:
        """The last person subject before ``at`` in its sentence, outside the statement's
        own content (in "“Pat is passionate,” she said" Pat is spoken of, not speaking)."""
        doc = article.cache["doc"]
        token = doc.char_span(at, at + 1, alignment_mode="expand")
        if token is None or not len(token):
            return None
        sent_start = token[0].sent.start_char
        lo, hi = content or (at, at)
        persons = [m for m in article.layer("entities")
                   if m.attrs["label"] == "person" and sent_start <= m.start < at
                   and not lo <= m.start < hi and not _quoted_before(article.text, m.start, at)]
        subjects = [m for m in persons if is_subject(doc, m)]
        return subjects[-1] if subjects else None

    def _resolve_description(self, article: Article, att: Attribution, noun: str,
                             done: list[Attribution]) -> bool:
        """"the minister said": the last person whose titles include that noun."""
        entities = article.results.get("entities", [])
        at = att.source[0] if att.source else att.cue[0]
        people = [m for m in article.layer("entities") if m.attrs["label"] == "person"]
        # The last such person before the description; in a headline, which comes
        # before any name, the first one after it.
        earlier = [m for m in people if m.start < at][::-1]
        later = [m for m in people if m.start >= at] if article.role_at(at) == "headline" else []
        text = article.text
        described = text[att.source[0] : att.source[1]] if att.source else ""
        stems = {w[:5].lower() for w in re.findall(r"[A-Za-z]{4,}", described)} - {noun[:5]}
        matches = []
        for m in earlier + later:
            titles = " ".join(entities[m.attrs["entity"]]["titles"]).lower()
            if noun in titles.split():
                matches.append(m)
        if not matches:
            return False
        # Prefer a person whose own mention shares a word with the description
        # ("Venezuela's president" → "Venezuelan President A B").
        def shared(m: Span) -> bool:
            lo = max(0, m.start - 40)
            if att.source and m.start >= att.source[1]:
                lo = max(lo, att.cue[1])  # not the description's own words
            context = text[lo : m.start]
            return bool(stems & {w[:5].lower() for w in re.findall(r"[A-Za-z]{4,}", context)})

        chosen = next((m for m in matches if shared(m)), matches[0])
        set_entity(att, entities, chosen.attrs["entity"])
        return True

    def _named_pair(self, article: Article, att: Attribution, head: Any) -> bool:
        """"Both men" / "both women": the last two people named together ("A and B")
        before, within the last few blocks, outside quotations."""
        text = article.text
        entities = article.results.get("entities", [])
        window_start = self._window_start(article, head.idx)
        persons = [m for m in article.layer("entities")
                   if m.attrs["label"] == "person" and window_start <= m.start < head.idx
                   and not self._quoted(m.start, m.end)]
        for first, second in reversed(list(pairwise(persons))):
            if _PAIRED.fullmatch(text[first.end : second.start]) and \
                    first.attrs["entity"] != second.attrs["entity"]:
                att.speaker = (f"{entities[first.attrs['entity']]['name']} and "
                               f"{entities[second.attrs['entity']]['name']}")
                att.speaker_entity = first.attrs["entity"]
                att.speaker_kind = "person"
                return True
        return False

    def _resolve_plural(self, article: Article, att: Attribution, head: Any,
                        done: list[Attribution]) -> None:
        """"they said": the nearest earlier plural subject in the paragraph."""
        doc = article.cache["doc"]
        block = article.block_at(head.idx)
        lo = block.start if block else 0
        entities = article.results.get("entities", [])
        for tok in reversed(doc[: head.i]):
            if tok.idx < lo:
                break
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.tag_ in ("NNS", "NNPS"):
                mention = next(
                    (m for m in article.layer("entities") if m.start <= tok.idx < m.end), None
                )
                if mention is not None:
                    set_entity(att, entities, mention.attrs["entity"])
                elif tok.lemma_.lower() in _anonymous_nouns() or tok.lower_ in _anonymous_nouns():
                    att.speaker_kind = "anonymous"
                else:
                    att.speaker = np_text(tok, article.text)
                    att.speaker_kind = "organisation"
                self._referent = (tok.left_edge.idx, tok.idx + len(tok.text))
                return

    @staticmethod
    def _window_start(article: Article, at: int) -> int:
        blocks = [b for b in article.blocks if b.start <= at]
        content = [b for b in blocks if b.role in ("headline", "dek", "body", "editor_note",
                                                   "caption")]
        if len(content) >= 3:
            return content[-3].start
        return 0


def _outside_clauses(mentions: list[Span], head: Any) -> list[Span]:
    """The mentions of a source that can name who speaks: not those inside a clause that
    describes the speaker ("Israeli settlers, who form part of Netanyahu's constituency,
    said …": the settlers speak, not Netanyahu)."""
    clauses = [
        (c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
        for c in head.children if c.dep_ in ("relcl", "acl")
    ]
    if not clauses:
        return mentions
    return [m for m in mentions if not any(lo <= m.start < hi for lo, hi in clauses)]


def _unnamed(att: Attribution, head: Any, mentions: list[Span],
             entities: list[dict[str, Any]]) -> None:
    """An anonymous source, with the body it belongs to when the text gives one."""
    att.speaker_kind = "anonymous"
    orgs = [m for m in mentions if m.attrs["label"] in ("organisation", "place")]
    if orgs:
        att.affiliation = entities[orgs[0].attrs["entity"]]["name"]
        return
    # "a speaker of the ministry": an unnamed organisation noun still tells.
    for t in head.subtree:
        if t.lemma_.lower() in ORG_NOUNS and t.i != head.i:
            att.affiliation = " ".join(x.text for x in t.subtree if x.dep_ != "det")
            return


def _organisation(article: Article, att: Attribution, head: Any, mentions: list[Span],
                  definite: bool) -> None:
    """An organisation as source: the one named, the one a definite noun stands for ("the
    group" after "The group, WeWorkers Coalition,"), else the noun phrase as written."""
    text = article.text
    entities = article.results.get("entities", [])
    head_lemma = head.lemma_.lower()
    if head_lemma in ORG_NOUNS and definite and not mentions:
        named = _described_organisation(article, head_lemma, head.idx)
        if named is not None:
            set_entity(att, entities, named)
            return
    appositive = [m for m in mentions if any(
        c.dep_ == "appos" and m.start <= c.idx < m.end for c in head.children)]
    if appositive or (mentions and head_lemma not in ORG_NOUNS):
        # "The group, WeWorkers Coalition, …": the name in apposition is who speaks.
        set_entity(att, entities, (appositive or mentions)[0].attrs["entity"])
        return
    att.speaker = np_text(head, text)
    att.speaker_entity = None
    att.speaker_kind = "organisation"


def _described_organisation(article: Article, noun: str, before: int) -> int | None:
    """The entity of the last organisation named in apposition with ``noun`` before
    ``before`` ("the group, WeWorkers Coalition," / "WeWorkers Coalition, the group,")."""
    doc = article.cache["doc"]
    found: int | None = None
    for m in article.layer("entities"):
        if m.start >= before or m.attrs["label"] != "organisation":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        linked = [root.head] if root.dep_ == "appos" else []
        linked += [c for c in root.children if c.dep_ == "appos"]
        if any(t.pos_ == "NOUN" and t.lemma_.lower() == noun for t in linked):
            found = m.attrs["entity"]
    return found


def _quoted_before(text: str, start: int, at: int) -> bool:
    """Whether a quotation closes between ``start`` and ``at`` (the name was inside it)."""
    return any(mark in text[start:at] for mark in "”\"")


def kind_of(label: str) -> str:
    return {"person": "person", "media": "media"}.get(label, "organisation")


#: Documents that "say" or "show" things: a vague source when unnamed ("polls show").
_VAGUE_DOCUMENTS = frozenset(
    {"report", "study", "poll", "survey", "document", "record", "memo", "letter", "data",
     "statement", "filing", "analysis", "estimate", "figure", "rumor", "rumour"}
)
#: Documents an organisation issues ("said in a release").
_RELEASES = frozenset({"release", "communique", "communiqué"})
#: People and groups that no suffix gives away.
_HUMAN_NOUNS = frozenset(
    {"people", "person", "folk", "man", "woman", "men", "women", "child", "kid", "parent",
     "family", "neighbor", "neighbour", "friend", "witness", "victim", "citizen", "voter",
     "resident", "student", "veteran", "colleague", "staff", "crowd", "community", "group",
     "team", "party", "union", "government", "administration", "camp", "side", "lawmaker",
     "democrat", "republican", "conservative", "liberal", "progressive", "activist"}
)
_HUMAN_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "eer", "ee", "an", "ive")


def _speaks(lemma: str) -> bool:
    """Whether an unnamed source noun can be someone who speaks (or a document that
    reports): "officials", "a teacher", "residents", "polls" — not "her eyes", "a chance"
    or "search engines", which only speak in a figure of speech."""
    lemma = lemma.lower()
    return (
        lemma in _HUMAN_NOUNS
        or lemma in _VAGUE_DOCUMENTS
        or (len(lemma) > 4 and lemma.endswith(_HUMAN_SUFFIXES))
    )


def set_entity(att: Attribution, entities: list[dict[str, Any]], index: int) -> None:
    att.speaker = entities[index]["name"]
    att.speaker_entity = index
    att.speaker_kind = kind_of(entities[index]["label"])


def is_subject(doc: Any, mention: Span) -> bool:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")


def np_text(head: Any, text: str) -> str:
    toks = [t for t in head.subtree if t.dep_ not in ("det", "punct") and t.i <= head.i]
    toks = toks or [head]
    return strip_det(text[toks[0].idx : head.idx + len(head.text)])


def strip_det(name: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.I)
