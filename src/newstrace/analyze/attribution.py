"""Who said what: direct quotes and reported speech, with source, cue and content.

Read off the shared dependency parse, one clause at a time:

- a reporting verb (``reporting_verbs.txt``) with a subject and a complement clause is a
  cue: "X said (that) …", "…, said X on Friday", "X told <medium> that …", "X added, …";
  a few speech-act verbs also take an object as content ("X announced the start of …");
  negated cues ("did not state whether …") report nothing and are skipped;
- "according to X" is a cue of its own, or a medium when another cue follows;
- an impersonal passive ("it has been reported that …") has an anonymous source;
- in reported speech the sentences that follow a statement in the same paragraph and
  keep its backshifted modal ("… would be ready") or its quotation marks continue it.

Each attribution is one Span over source + cue + content, its attrs as documented in
docs/report-schema.md: ``source``, ``cue``, ``content`` (Spans), ``speaker`` (the resolved
entity name), ``speaker_kind`` (person, organisation, media, anonymous, unknown),
``direct``, ``medium``/``medium_span``, ``time``, ``place`` and ``chain`` (second-hand
chains, oldest teller first). Pronouns and descriptions ("she", "the minister") resolve
to the nearest compatible named entity; misspelt names resolve through the entity layer.

Helpers: :mod:`.attribution_spans` (quotation and span shapes) and
:mod:`.attribution_speakers` (who the source is).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache
from typing import Any

from newstrace.analyze.analyzer import BaseAnnotator
from newstrace.analyze.attribution_nouns import (
    cited_quotations,
    colon_continuations,
    colon_introduced,
    embedded_posts,
    noun_cues,
)
from newstrace.analyze.attribution_quotes import quotation_members
from newstrace.analyze.attribution_spans import (
    QUOTES_CLOSE,
    QUOTES_OPEN,
    adjacent_quotation,
    after_colon,
    cue_extent,
    ends_clause,
    is_quoted,
    is_time,
    reported_style,
    separated,
    span_of,
    trim_source,
    trim_span,
)
from newstrace.analyze.attribution_speakers import (
    PERSON_PRONOUNS,
    Attribution,
    SpeakerResolver,
    set_entity,
    strip_det,
)
from newstrace.analyze.cue_model import load_model as load_cue_model
from newstrace.analyze.lexicon import terms
from newstrace.analyze.quotations import QuotationIndex, quotation_index
from newstrace.config import Settings
from newstrace.data import Article, Span

#: Verbs whose direct object can be the content ("announced the start of talks").
_OBJECT_CONTENT_VERBS = frozenset(
    {"announce", "warn", "deny", "confirm", "reveal", "claim", "admit", "predict", "promise",
     "call", "criticize", "criticise", "accuse", "demand", "urge", "propose", "pledge",
     "threaten", "disclose", "allege", "question", "ask", "acknowledge", "concede",
     "praise", "mock", "slam", "thank", "congratulate", "dismiss", "highlight", "tout",
     "discuss", "express", "describe", "endorse", "declare", "tell"}
)
#: Passive verbs that present a speaker's words: "X is quoted / cited as saying …".
_QUOTING_PASSIVES = frozenset({"quote", "cite", "report", "record", "hear", "overhear"})
#: Plain speech verbs: "I said" in a first-person account still reports a statement.
_SPEECH_LEMMAS = frozenset({"say", "tell", "ask", "reply", "answer", "write", "add",
                            "explain", "respond"})
_FIRST_SECOND_PERSON = frozenset({"i", "we", "you", "me", "us"})
#: Verbs whose object is the person told, not the content ("told <medium> that …").
_ADDRESSEE_VERBS = frozenset({"tell", "inform", "ask", "assure", "remind", "warn", "brief",
                              "notify", "promise", "urge"})
#: Sentence adverbs that sit between a cue and its content without being content.
_DISCOURSE_ADVERBS = frozenset(
    {"furthermore", "also", "even", "however", "therefore", "already", "now", "later",
     "again", "then", "still", "moreover", "meanwhile", "yesterday", "today", "recently",
     "repeatedly", "publicly", "privately", "earlier", "last", "ago", "too", "additionally"}
)


@cache
def _reporting_lemmas() -> frozenset[str]:
    return frozenset(terms("reporting_verbs"))


#: A paragraph opening with a speaker's name in capitals and a colon ("WALLACE: …",
#: "SEN. ROE: …"), after an optional opening quote mark. Bounded and anchored.
_TRANSCRIPT_LABEL = re.compile(
    r"[\"“‘']?(?P<label>[A-Z][A-Z.'’-]{1,20}(?:[ \t][A-Z][A-Z.'’-]{1,20}){0,2}):[ \t]"
)
#: Capitalised labels that head notes and datelines, not speakers.
_NOT_SPEAKERS = frozenset({
    "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "UPDATE", "UPDATED", "CORRECTION", "WATCH",
    "READ", "READ MORE", "RELATED", "PHOTOS", "PHOTO", "VIDEO", "BREAKING", "EXCLUSIVE",
    "SOURCE", "SOURCES", "ALSO", "ADVERTISEMENT", "TRANSCRIPT", "WARNING", "DISCLAIMER",
})


def _transcript_labels(article: Article) -> frozenset[int]:
    """Offsets of speaker labels when the article is (partly) a transcript: at least two
    body paragraphs open with a capitalised label and a colon."""
    text = article.text
    found: list[int] = []
    for block in article.blocks:
        if block.role not in ("body", "editor_note"):
            continue
        m = _TRANSCRIPT_LABEL.match(text, block.start, min(block.end, block.start + 40))
        if m is None or m.group("label").rstrip(".") in _NOT_SPEAKERS:
            continue
        if sum(c.isalpha() for c in m.group("label")) < 3:
            continue  # "Q:", "A.B.:"
        found.append(m.start("label"))
    return frozenset(found) if len(found) >= 2 else frozenset()


#: Verbs that name something when passive with "it" ("it is called …").
_NAMING_LEMMAS = frozenset({"call", "name", "dub", "term", "label"})

#: Indefinite sources that report nobody in particular (hypotheses, negations).
_NOBODY_IN_PARTICULAR = frozenset({"anyone", "anybody", "nobody", "everyone", "everybody"})

#: Pronoun sources that, inside someone's statement, are that speaker again.
_ANAPHORS = frozenset({"it", "he", "she", "they", "i", "we"})


def _name_before(tok: Any) -> Any | None:
    """The subject of a cue the parser left without one: "…, former president X said his
    wife …" parsed with X as an appositive of an earlier noun. The proper name right before
    the cue, attached leftwards, is who speaks."""
    if tok.i == 0 or tok.dep_ not in ("ROOT", "ccomp", "conj", "parataxis"):
        return None
    prev = tok.doc[tok.i - 1]
    if prev.pos_ == "PROPN" and prev.dep_ == "compound" and prev.head.i == tok.i:
        return prev  # "that Trump denies using …" parsed with the name as the verb's compound
    if prev.pos_ != "PROPN" or prev.head.i >= prev.i:
        return None
    if prev.dep_ not in ("appos", "conj", "pobj", "dobj", "npadvmod", "attr"):
        return None
    return prev


def _within_quotations(atts: list[Attribution], quotes: QuotationIndex) -> None:
    """A statement made inside a quotation ends where the quotation ends: "“Volker
    confirmed that there was no linkage,” Grisham said" — Grisham's cue is not Volker's."""
    for att in atts:
        if att.content is None:
            continue
        quotation = quotes.quotation_of(*att.cue) if quotes.quoted_share(*att.cue) else None
        if quotation is None:
            continue
        part = next(((s, e) for s, e in quotation.parts if s <= att.cue[0] < e), None)
        if part is not None and att.content[0] < part[1] < att.content[1]:
            att.content = (att.content[0], part[1])


def _ents_from(doc: Any, lo: int, hi: int) -> list[Any]:
    """The entities starting in [lo, hi), found by bisection: scanning every entity for
    every cue is quadratic on long texts full of statements. The sorted starts are kept
    with the document they index (``Doc.user_data``), never on the annotator."""
    index = doc.user_data.get("newstrace.ents")
    if index is None:
        ents = list(doc.ents)  # Doc.ents builds a new tuple on every access
        index = doc.user_data["newstrace.ents"] = (ents, [e.start_char for e in ents])
    ents, starts = index
    first = bisect_left(starts, lo)
    return ents[first : bisect_left(starts, hi, first)]


def _parenthetical(doc: Any, tok: Any) -> bool:
    """A short cue set off by commas on both sides ("…, critics say, …", "…, he stated, …")."""
    # (A "but" the parser hung on the cue, "…, he stated, but people", is not its part.)
    kept = [t.i for t in tok.subtree if t.dep_ not in ("cc", "punct")]
    lo, hi = min(kept), max(kept)
    comma_before = doc[lo].text == "," or (lo > 0 and doc[lo - 1].text == ",")
    comma_after = doc[hi].text == "," or (hi + 1 < len(doc) and doc[hi + 1].text == ",")
    inner = doc[lo : hi + 1]
    return (hi - lo <= 6 and comma_before and comma_after and hi + 1 < len(doc)
            and not doc[hi + 1].is_sent_start
            and not any(t.text in QUOTES_CLOSE + QUOTES_OPEN for t in inner))


def _credible(chain: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A chain only of sources that can speak (a named speaker or an unnamed person), each
    once: "willingness" or "his right" relay nothing, and "A → B → A" is two statements
    whose contents overlap, not a report of a report."""
    names = [str(link["name"]).lower() for link in chain]
    if len(chain) < 2 or not all(link.pop("speaks", True) for link in chain) \
            or len(set(names)) < len(names):
        for link in chain:
            link.pop("speaks", None)
        return []
    return chain


def _inherited_subject(tok: Any) -> Any | None:
    """The subject a subjectless cue shares with the verbs it hangs from: up a chain of
    "and"/", -ing" links ("The group formed … and sent a letter … stating that …"), a verb
    modifying a noun taking that noun. Three links at most."""
    node = tok
    for depth in range(3):
        # Past the first link only coordination climbs ("formed … and sent … stating"):
        # a participle of a participle ("…, denying …, questioning …") is too loose.
        links = ("conj", "advcl", "xcomp") if depth == 0 else ("conj",)
        if node.dep_ not in links or node.head.i == node.i:
            return None
        node = node.head
        subj = next((c for c in node.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return subj
        if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN"):
            return node.head
    return None


def _complement(tok: Any, children: list[Any], text: str) -> tuple[int, int] | None:
    """What a learned cue verb reports: its clausal complement, object or prepositional
    object to its right ("wants to build", "is pushing for a vote")."""
    right = [c for c in children if c.i > tok.i and c.dep_ in ("ccomp", "xcomp", "dobj", "prep")
             and not (c.dep_ == "prep" and is_time(c))]
    if not right:
        return None
    first, last = right[0], right[-1]
    return trim_span(text, span_of(list(tok.doc[first.left_edge.i : last.right_edge.i + 1])))


#: Speech with nothing reported: "X testified before the committee".
_SPEECH_EVENTS = frozenset({"testify"})
#: "X declined to comment": a refusal is the source's answer, with no content.
_NO_COMMENT = frozenset({"comment", "respond", "elaborate", "answer"})


def _speech_event(tok: Any) -> tuple[int, int] | None:
    """The cue of a statement that reports no content ("testified before the committee",
    "declined to comment"), or None: the source spoke (or refused to), and the sentence
    is theirs, not the writer's."""
    lemma = tok.lemma_.lower()
    if lemma in _SPEECH_EVENTS:
        return cue_extent(tok)
    if lemma in _NO_COMMENT and tok.dep_ == "xcomp" \
            and tok.head.lemma_.lower() in ("decline", "refuse"):
        return tok.head.idx, tok.idx + len(tok.text)
    return None


#: What finds figures the writer reports "in" it: "42 percent in a new Fox News poll".
_SURVEYS = frozenset({"poll", "survey", "study"})


def _survey_cues(sent: Any, taken: list[Attribution], text: str) -> list[Attribution]:
    """"Trump leads by 57 percent to 33 percent in the 50-state poll": a poll, survey or
    study the clause's figures come from ("in …") is its source; the rest of the clause
    its content."""
    out: list[Attribution] = []
    for tok in sent:
        if tok.lower_ != "in" or tok.dep_ != "prep" or tok.head.pos_ not in ("VERB", "AUX"):
            continue
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.lemma_.lower() not in _SURVEYS:
            continue
        if any(a.cue[0] <= tok.idx < a.cue[1] or (a.content and a.content[0] <= tok.idx
                                                  < a.content[1]) for a in taken):
            continue  # inside another statement: that statement reports it
        end = tok.right_edge.i
        clause = [t for t in tok.head.subtree if not t.is_space]
        before = [t for t in clause if t.i < tok.i]
        after = [t for t in clause if t.i > end and not t.is_punct]
        content = trim_span(text, span_of(before if len(before) >= len(after) else after))
        if content is None or not any(t.like_num or t.ent_type_ in ("PERCENT", "CARDINAL")
                                      for t in before + after):
            continue  # no figure: "in a study of the Bible" is no finding reported
        out.append(Attribution(cue=(tok.idx, tok.idx + len(tok.text)), content=content,
                               source=span_of(list(pobj.subtree)), source_head=pobj))
    return out


def _child(tok: Any, dep: str) -> Any | None:
    return next((c for c in tok.children if c.dep_ == dep), None)


def _sender_in(prep: Any) -> Any | None:
    """The sender of "in a company email sent by X": the agent of a verb describing the
    preposition's object, or None."""
    document = _child(prep, "pobj")
    sent_by = _child(document, "acl") if document is not None else None
    agent = _child(sent_by, "agent") if sent_by is not None else None
    return _child(agent, "pobj") if agent is not None else None


def _second_object(tok: Any, right: list[Any], text: str) -> tuple[int, int] | None:
    """What a verb of telling reports with no clause: nothing when its one object is the
    addressee ("told the paper"); its second object when it has two ("promising them
    “rewards” if …")."""
    objects = [c for c in right if c.dep_ == "dobj"]
    if len(objects) < 2:
        return None
    return trim_span(text, span_of(list(tok.doc[objects[1].left_edge.i :
                                                tok.right_edge.i + 1])))


def _quotation_before_bare_cue(tok: Any, source_tok: Any,
                               quotes: QuotationIndex) -> tuple[int, int] | None:
    """"“… the emails that are missing.” Trump said.": a sentence that is nothing but a
    source and its cue reports the quotation closed right before it, full stop and all."""
    sent = tok.sent
    source = {x.i for x in source_tok.subtree}
    rest = [t for t in sent if t.i != tok.i and not t.is_punct and not t.is_space
            and t.i not in source and t.dep_ not in ("advmod", "npadvmod", "aux", "neg")]
    if rest or tok.i < source_tok.i:
        return None  # more than "X said." ("said Trump" after a quotation is handled apart)
    start = min(source_tok.left_edge.idx, tok.idx)
    if quotes.text[sent.start_char : start].strip():
        return None
    before = quotes.part_closing_before(sent.start_char)
    if before is None:
        return None
    end = before[1] + 1 if quotes.text[before[1] : before[1] + 1] in QUOTES_CLOSE else before[1]
    return before[0] - 1, end


def _quoted_as_subject(tok: Any) -> Any | None:
    """The subject of "X is quoted / was cited as saying …": the cue hangs from "as",
    which hangs from a passive verb of quoting whose subject is the speaker."""
    prep = tok.head
    if tok.dep_ != "pcomp" or prep.lower_ != "as" or prep.head.i == prep.i:
        return None
    verb = prep.head
    if verb.lemma_.lower() not in _QUOTING_PASSIVES:
        return None
    return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)


def _reports_nobody(source_tok: Any, cue: Any) -> bool:
    """"anyone can say …", "no one told them", "I think", "you know": nobody is reported
    (the speaker's own voice), though "I said" in a first-person account still is."""
    word = source_tok.lower_
    if word in _NOBODY_IN_PARTICULAR or (
            word == "one" and any(c.lower_ == "no" for c in source_tok.children)):
        return True
    return word in _FIRST_SECOND_PERSON and source_tok.pos_ == "PRON" and (
        word != "i" or cue.lemma_.lower() not in _SPEECH_LEMMAS)


def _that_clause_after(tok: Any) -> tuple[int, int] | None:
    """"said on Friday during a news conference that he may wait": the parser hung the
    that-clause on the nearest noun. When only the cue's own modifiers (time, place,
    occasion) stand between the cue and "that", the clause is what was said."""
    doc = tok.doc
    for t in doc[tok.i + 1 : tok.sent.end]:
        if tok not in t.ancestors or t.is_space:
            return None
        if t.lower_ == "that" and t.dep_ == "mark":
            head = t.head
            if head.pos_ in ("VERB", "AUX") and head.i > t.i:
                return span_of(list(doc[t.i : head.right_edge.i + 1]))
            return None
        if t.dep_ == "dobj" and tok.lemma_.lower() in _ADDRESSEE_VERBS:
            continue  # "told The Hill in a statement that …": the object is who was told
        if t.pos_ in ("VERB", "AUX") or t.is_punct or t.dep_ in ("nsubj", "dobj", "ccomp"):
            return None
    return None


class _Containers:
    """Which statements' contents contain a position, without scanning them all.

    Contents sorted by start with a running maximum of their ends: walking back from the
    last content that starts at or before the position stops as soon as no earlier one
    reaches it, so the usual case (statements side by side) costs a bisection and a step.
    Results keep the statements' original order.
    """

    def __init__(self, atts: list[Attribution]) -> None:
        order = sorted(
            (i for i, a in enumerate(atts) if a.content), key=lambda i: atts[i].content[0]
        )
        self._atts = atts
        self._order = order
        self._starts = [atts[i].content[0] for i in order]
        self._reach: list[int] = []
        reach = -1
        for i in order:
            reach = max(reach, atts[i].content[1])
            self._reach.append(reach)

    def containing(self, pos: int) -> list[Attribution]:
        found: list[int] = []
        j = bisect_right(self._starts, pos) - 1
        while j >= 0 and self._reach[j] > pos:
            i = self._order[j]
            if pos < self._atts[i].content[1]:
                found.append(i)
            j -= 1
        return [self._atts[i] for i in sorted(found)]


class AttributionAnnotator(BaseAnnotator):
    name = "attributions"
    requires = ("doc", "spans.sentences", "spans.entities", "results.entities")
    assigns = ("spans.attributions",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cue_model = load_cue_model()

    # --- cue finding -------------------------------------------------------------------

    def _verb_cues(self, sent: Any, text: str, quotes: QuotationIndex,
                   learned: frozenset[int]) -> list[Attribution]:
        """Statements at verbs of the lexicon, and at the verbs the cue model takes for
        cues (``learned``: token indices), by the same rules."""
        out: list[Attribution] = []
        lemmas = _reporting_lemmas()
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or (
                    tok.lemma_.lower() not in lemmas and tok.i not in learned):
                continue
            children = list(tok.children)
            deps = {c.dep_ for c in children}
            if any(_speech_event(c) for c in children if c.dep_ == "xcomp"):
                continue  # "declined to comment": the refusal is one event, at "comment"
            if "neg" in deps:
                continue  # "did not state whether …" reports no statement
            subj = next((c for c in children if c.dep_ in ("nsubj", "csubj")), None)
            passive_it = next(
                (c for c in children if c.dep_ == "nsubjpass" and c.lower_ == "it"), None
            )
            agent = next((c for c in children if c.dep_ == "agent"), None)
            if passive_it is not None and tok.lemma_.lower() in _NAMING_LEMMAS:
                continue  # "it's called a bubble": naming something, nobody reports
            if passive_it is not None and any(c.dep_ == "aux" and c.tag_ == "MD"
                                              for c in children):
                continue  # "it should be noted that …": the writer's own aside, no report
            inherited = False
            if subj is None and passive_it is None and tok.dep_ in ("conj", "advcl", "xcomp"):
                # "… and says X", "…, saying X": the cue shares its head verb's subject.
                subj = _inherited_subject(tok)
                if subj is not None and subj.lower_ == "it" and tok.dep_ == "xcomp":
                    continue  # "it is hard to believe …": nobody is reported
                inherited = subj is not None
            if subj is None and passive_it is None:
                # "Kerry is quoted as saying …": the one quoted is who says it.
                subj = _quoted_as_subject(tok)
                inherited = inherited or subj is not None
            if subj is None and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
                # "911 calls saying shots were fired": the noun reports.
                subj, inherited = tok.head, True
            if subj is None and passive_it is None and agent is None:
                inverted = self._inverted_after_quote(tok, text, quotes)
                if inverted is not None:
                    out.append(inverted)
                    continue
                subj = _name_before(tok)
                if subj is None:
                    told = self._told_passively(tok, children, text)
                    if told is not None:
                        out.append(told)
                    continue
            if subj is None and passive_it is None and agent is not None:
                att = self._passive_with_agent(tok, children, agent, text)
                if att is not None:
                    out.append(att)
                continue
            source_tok = subj or passive_it
            if source_tok is None:
                continue
            if _reports_nobody(source_tok, tok):
                continue
            att = self._statement(tok, children, subj, passive_it, agent, inherited, text,
                                  quotes)
            if att is not None:
                att.learned = tok.lemma_.lower() not in lemmas
                # "shot back that …" reports a statement; "wants to …" a position.
                att.clausal = any(c.dep_ == "ccomp" for c in children)
                out.append(att)
        return out

    def _statement(self, tok: Any, children: list[Any], subj: Any, passive_it: Any,
                   agent: Any, inherited: bool, text: str,
                   quotes: QuotationIndex) -> Attribution | None:
        """The statement a cue with its source token makes: content, source, medium."""
        source_tok = subj or passive_it
        # A quotation right before "…,” tweeted X" is the content even when the
        # verb also has an object of its own after it.
        quote = adjacent_quotation(tok, source_tok, quotes)
        if inherited:
            # A participle next to the main cue ("…,” X said, answering …) reports
            # nothing of its own unless it has its own complement.
            content = self._content(tok, children, text)
        else:
            content = quote or self._content(tok, children, text) or quote
        if content is None and tok.lemma_.lower() not in _reporting_lemmas():
            content = _complement(tok, children, text)
        if content is None:
            content = after_colon(tok, text)
        if content is None:
            content = _quotation_before_bare_cue(tok, source_tok, quotes)
        cue = cue_extent(tok)
        if content is None:
            cue = _speech_event(tok)
            if cue is None:
                return None
        att = Attribution(cue=cue, content=content, source=None)
        if passive_it is not None and subj is None:
            if agent is not None:
                att.source = span_of(list(agent.subtree)[1:])
                att.source_head = next((c for c in agent.children if c.dep_ == "pobj"), None)
            else:
                att.source = (passive_it.idx, passive_it.idx + len(passive_it.text))
                att.speaker_kind = "anonymous"
        else:
            # The source never includes the cue's own clause ("calls saying …").
            branch = next((a for a in [tok, *tok.ancestors]
                           if a.head.i == source_tok.i and a.i != source_tok.i), None)
            cue_part = {t.i for t in branch.subtree} if branch is not None else set()
            source_tokens = [t for t in source_tok.subtree if t.i not in cue_part]
            if cue_part and min(cue_part) > source_tok.i:
                # … and what follows the cue's own clause is not the source either.
                source_tokens = [t for t in source_tokens if t.i < min(cue_part)]
            att.source = trim_source(text, span_of(source_tokens))
            att.source_head = source_tok
        self._medium_time_place(att, tok, children, text)
        return att

    def _inverted_after_quote(self, tok: Any, text: str,
                              quotes: QuotationIndex) -> Attribution | None:
        """"“…,” Brent X, founder of Y, tells Z": the parser found no subject, but a
        quotation ends a few words before the cue and a name sits in between."""
        doc = tok.doc
        i = tok.i - 1
        while i >= 0 and tok.i - i <= 25 and doc[i].text not in QUOTES_CLOSE:
            if doc[i].is_space and "\n" in doc[i].text:
                return None
            i -= 1
        if i < 1 or doc[i].text not in QUOTES_CLOSE or i == tok.i - 1:
            return None
        between = [t for t in doc[i + 1 : tok.i] if not t.is_space]
        if tok.dep_ not in ("ROOT", "parataxis", "ccomp") or any(
            t.pos_ in ("VERB", "AUX") or t.text in QUOTES_OPEN + QUOTES_CLOSE
            for t in between
        ):
            return None  # another clause or quotation sits between: not "“…,” X tells"
        names = [t for t in between if t.pos_ == "PROPN" or t.lower_ in PERSON_PRONOUNS]
        if not names:
            return None
        quote = adjacent_quotation(doc[i + 1], doc[i + 1], quotes)
        if quote is None:
            return None
        source = trim_source(text, trim_span(text, span_of(between)))
        if source is None:
            return None
        att = Attribution(cue=cue_extent(tok), content=quote, source=source,
                          source_head=names[0])
        # The first name is the head; the rest is an appositive ("founder of …").
        head = names[0]
        while head.i + 1 < tok.i and doc[head.i + 1].pos_ == "PROPN":
            head = doc[head.i + 1]
        att.source_head = head
        self._medium_time_place(att, tok, list(tok.children), text)
        return att

    def _told_passively(self, tok: Any, children: list[Any],
                        text: str) -> Attribution | None:
        """"(In an email sent by X,) employees were told that …": the ones told are no
        source; the sender of the document it came in is, else nobody named."""
        told = next((c for c in children if c.dep_ == "nsubjpass"), None)
        clause = next((c for c in children if c.dep_ == "ccomp" and c.i > tok.i), None)
        if told is None or clause is None or tok.tag_ != "VBN" or tok.dep_ == "relcl" \
                or tok.lemma_.lower() not in _ADDRESSEE_VERBS:
            return None  # ("workers who have been informed that …" describes the workers)
        content = trim_span(text, span_of(list(clause.subtree)))
        att = Attribution(cue=cue_extent(tok), content=content, source=None,
                          speaker_kind="anonymous")
        sender = next((x for c in children if c.dep_ == "prep"
                       if (x := _sender_in(c)) is not None), None)
        if sender is not None:  # (the email is no outlet: no medium, which would list it)
            att.source = trim_source(text, span_of(list(sender.subtree)))
            att.source_head, att.speaker_kind = sender, "unknown"
        self._medium_time_place(att, tok, children, text)
        return att

    def _passive_with_agent(self, tok: Any, children: list[Any], agent: Any,
                            text: str) -> Attribution | None:
        """"X was first reported by MSNBC": the agent is the source, the subject the
        content."""
        subj = next((c for c in children if c.dep_ == "nsubjpass"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if subj is None or pobj is None:
            return None
        content = trim_span(text, span_of(list(subj.subtree)))
        source = trim_source(text, span_of(list(pobj.subtree)))
        if content is None or source is None:
            return None
        cue_start = cue_extent(tok)[0]
        cue = (cue_start, agent.idx + len(agent.text))
        att = Attribution(cue=cue, content=content, source=source, source_head=pobj)
        self._medium_time_place(att, tok, children, text)
        return att

    def _content(self, tok: Any, children: list[Any], text: str) -> tuple[int, int] | None:
        doc = tok.doc
        lemmas = _reporting_lemmas()
        ccomp_left = [
            c for c in children
            if c.i < tok.i and (c.dep_ == "ccomp" or (
                c.dep_ == "parataxis" and c.lemma_.lower() not in lemmas))
        ]
        if ccomp_left and separated(doc, ccomp_left[0].right_edge.i, tok.i - 1):
            # "<clause>, said X": the clause before the cue is the content.
            return trim_span(text, span_of(list(ccomp_left[0].subtree)))
        under_quoting_cue = tok.head.lemma_.lower() in lemmas and tok.head.i > tok.i and any(
            t.text in QUOTES_CLOSE for t in doc[tok.i : tok.head.i])
        if tok.dep_ in ("parataxis", "ccomp") and not under_quoting_cue:
            # (Inside a quotation that another cue closes, "“X confirmed that …,” she said",
            # this cue is part of that cue's content; its own content is its complement.)
            mine = {t.i for t in tok.subtree}
            if tok.head.i > tok.i and separated(
                doc, tok.right_edge.i, tok.right_edge.i + 1, frozenset({",", ":", "—", "–"})
            ):
                # "X added, <clause>": the cue hangs off the content's main verb.
                rest = [t for t in tok.head.subtree if t.i not in mine and t.i > tok.i]
                return trim_span(text, span_of(rest))
            if tok.head.i < tok.i and separated(doc, tok.left_edge.i - 1, tok.left_edge.i) \
                    and ends_clause(doc, tok.right_edge.i):
                # "<clause>, she said." parsed with the cue under the clause's verb.
                rest = [t for t in tok.head.subtree if t.i not in mine and t.i < tok.i]
                return trim_span(text, span_of(rest))
            if tok.head.i < tok.i and _parenthetical(doc, tok):
                # "The plan failed, critics say, because it was rushed": the cue sits
                # between commas inside the clause it reports; the content is that clause.
                whole = list(tok.head.subtree)
                return trim_span(text, span_of(whole))
            if tok.dep_ == "parataxis":
                return None
        lemma = tok.lemma_.lower()
        right = [c for c in children if c.i > tok.i]
        ccomp = [c for c in right if c.dep_ == "ccomp"]
        if not ccomp and lemma in _SPEECH_LEMMAS:
            # "He said legalizing it could …": a gerund subject parsed as the cue's xcomp
            # carries the reported clause.
            ccomp = [c for c in right if c.dep_ == "xcomp" and c.tag_ == "VBG"
                     and any(g.dep_ == "ccomp" for g in c.children)]
        if not ccomp:
            clause = _that_clause_after(tok)
            if clause is not None:
                return trim_span(text, clause)
        ruled_out = lemma == "rule" and any(c.dep_ == "prt" and c.lower_ == "out"
                                            for c in children)
        if not ccomp and lemma not in _OBJECT_CONTENT_VERBS and not ruled_out:
            return None  # ("ruled out X" reports X ruled out; "ruled the country" nothing)
        clausal = [c for c in right if c.dep_ in ("ccomp", "xcomp")]
        if lemma in _ADDRESSEE_VERBS and not clausal:
            return _second_object(tok, right, text)
        if lemma == "confirm" and not clausal and any(
            c.dep_ == "dobj" and c.ent_type_ == "PERSON" for c in right
        ):
            return None  # "the Senate confirmed Jane Roe as …": an appointment, no statement
        parts = [
            c for c in right
            if c.dep_ not in ("punct", "nsubj", "nsubjpass", "cc", "conj", "npadvmod", "prt")
            # "…, saying …" after the object is a statement of its own
            and not (c.dep_ == "advcl" and c.lemma_.lower() in lemmas)
            and not (c.dep_ in ("dobj", "dative") and lemma in _ADDRESSEE_VERBS)
            and not (c.dep_ == "advmod" and (c.lower_ in _DISCOURSE_ADVERBS
                                             or separated(doc, c.i, c.i + 1)))
            and not (c.dep_ == "prep" and (c.lower_ == "according" or is_time(c)))
        ]
        if not parts:
            return None
        if ccomp and lemma not in _OBJECT_CONTENT_VERBS:
            parts = [c for c in parts if c.i >= ccomp[0].i] or ccomp
        start = min(parts, key=lambda c: c.i).left_edge
        end = max(parts, key=lambda c: c.i).right_edge
        return trim_span(text, span_of(list(doc[start.i : end.i + 1])))

    def _medium_time_place(self, att: Attribution, tok: Any, children: list[Any],
                           text: str) -> None:
        """Medium, time and place from the cue's own dependents (not its content)."""
        content = att.content or (0, 0)
        for child in children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                continue  # a date inside the source is handled below
            lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)
            if content[0] <= lo and hi <= content[1]:
                continue
            if child.dep_ == "prep" and child.lower_ == "according":
                att.medium = span_of(list(child.subtree)[2:])
            for ent in _ents_from(tok.doc, lo, hi):
                if ent.end_char > hi:
                    continue
                if ent.label_ in ("DATE", "TIME") and att.time is None:
                    prev = tok.doc[ent.start - 1] if ent.start > 0 else None
                    att.time = (prev.text + " " if prev is not None and prev.dep_ == "prep"
                                else "") + ent.text
                if ent.label_ in ("GPE", "LOC") and child.dep_ == "prep" and att.place is None:
                    att.place = child.text + " " + ent.text
        if att.time is None and att.content:
            # "said a speaker of the ministry on Friday": the date may hang off the source.
            src = att.source or (0, 0)
            for ent in _ents_from(tok.doc, src[0], src[1]):
                if ent.label_ in ("DATE", "TIME") and _dates_the_cue(ent, src, text):
                    prev = tok.doc[ent.start - 1] if ent.start > 0 else None
                    att.time = (prev.text + " " if prev is not None and prev.pos_ == "ADP"
                                else "") + ent.text
                    att.source = trim_span(text, (src[0], (prev.idx if prev is not None
                                                             and prev.pos_ == "ADP"
                                                             else ent.start_char)))
                    break


    def _according_cues(self, sent: Any, taken: list[Attribution],
                        text: str) -> list[Attribution]:
        out: list[Attribution] = []
        for tok in sent:
            if tok.lower_ != "according" or tok.i + 1 >= len(tok.doc):
                continue
            to = tok.doc[tok.i + 1]
            if to.lower_ != "to":
                continue
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            src = span_of(list(pobj.subtree))
            if src is None:
                continue
            if any(a.medium and a.medium[0] <= src[0] < a.medium[1] for a in taken):
                continue  # already the medium of another cue in this sentence
            # The content is the clause on the longer side of "according to X".
            before = [t for t in sent if t.i < tok.i and not t.is_space]
            after = [t for t in sent if t.i > pobj.right_edge.i and not t.is_punct]
            content = trim_span(text, span_of(before if len(before) >= len(after)
                                                else after))
            if content is None:
                continue
            out.append(Attribution(cue=(tok.idx, to.idx + len(to.text)), content=content,
                                   source=src, source_head=pobj))
        return out + _survey_cues(sent, [*taken, *out], text)

    def _transcript_cue(self, article: Article, sent: Span, text: str,
                        labels: frozenset[int]) -> list[Attribution]:
        """"WALLACE: Do you really see …": in a transcript (at least two paragraphs open with
        a speaker's name in capitals and a colon) each such line reports that speaker's
        words, to the end of the paragraph."""
        if not labels:
            return []
        m = _TRANSCRIPT_LABEL.match(text, sent.start, min(sent.end, sent.start + 40))
        if m is None or m.start("label") not in labels:
            return []
        block = article.block_at(sent.start)
        if block is None or block.start != sent.start:
            return []
        colon = m.end("label")
        end = block.end
        while end > colon and text[end - 1] in "\"”' \t":
            end -= 1  # the transcript's own closing quote mark
        content = trim_span(text, (m.end(), end))
        if content is None:
            return []
        att = Attribution(cue=(colon, colon + 1), content=content,
                          source=(m.start("label"), colon))
        # "PENCE" is the person the article names in full ("Mike Pence").
        label = m.group("label").rstrip(".").casefold()
        entities = article.results.get("entities", [])
        people = [
            i for i, e in enumerate(entities)
            if e.get("label") == "person"
            and label in {e["name"].casefold(), e["name"].split()[-1].casefold()}
        ]
        if len(people) == 1:
            set_entity(att, entities, people[0])
        return [att]

    def _colon_cue(self, article: Article, sent: Span, text: str) -> list[Attribution]:
        """"Lynch: No outside influence on …": a sentence (a headline, mostly) that
        opens with a named person or organisation and a colon reports their words."""
        first = next((m for m in article.layer("entities") if m.start >= sent.start), None)
        if first is None or first.start != sent.start or first.end >= sent.end:
            return []
        if first.attrs["label"] not in ("person", "organisation"):
            return []
        # \A, possessive spaces: read at the start only (a bare \s* searched is quadratic).
        m = re.match(r"\A(?:['’]s)?\s*+:\s+", text[first.end : sent.end])
        if m is None:
            return []
        colon = first.end + m.group(0).index(":")
        content = trim_span(text, (first.end + m.end(), sent.end))
        if content is None:
            return []
        att = Attribution(cue=(colon, colon + 1), content=content,
                          source=(first.start, first.end))
        entities = article.results.get("entities", [])
        set_entity(att, entities, first.attrs["entity"])
        return [att]

    # --- media, chains, continuations --------------------------------------------------

    def _media(self, article: Article, att: Attribution) -> None:
        entities = article.results.get("entities", [])
        lo, hi = att.extent
        for m in article.layer("entities"):
            if m.attrs["label"] != "media" or not (lo <= m.start < hi + 120):
                continue
            inside_content = att.content and att.content[0] <= m.start < att.content[1]
            inside_source = att.source and att.source[0] <= m.start < att.source[1]
            if inside_content:
                continue
            sent = self._sentence_of(article, att.cue[0])
            if sent and not (sent.start <= m.start < sent.end):
                continue
            if inside_source and att.speaker_kind == "media":
                att.medium, att.medium_name = (m.start, m.end), entities[m.attrs["entity"]]["name"]
                return
            if inside_source:
                continue
            att.medium, att.medium_name = (m.start, m.end), entities[m.attrs["entity"]]["name"]
            return
        if att.medium is not None and att.medium_name is None:
            att.medium_name = strip_det(article.text[att.medium[0] : att.medium[1]])

    @staticmethod
    def _sentence_of(article: Article, at: int) -> Span | None:
        return next((s for s in article.layer("sentences") if s.start <= at < s.end), None)

    def _continuations(self, article: Article, atts: list[Attribution]) -> list[Attribution]:
        """Sentences that carry on a statement: same block, right after it, keeping its
        backshifted modal ("would") or its quotation marks, with no cue of their own."""
        doc = article.cache["doc"]
        sentences = article.layer("sentences")
        covered = {i for i, s in enumerate(sentences)
                   for a in atts if s.start <= a.cue[0] < s.end}
        out: list[Attribution] = []
        for idx, att in enumerate(atts):
            if att.speaker_kind not in ("person", "organisation", "anonymous", "media"):
                continue
            si = next((i for i, s in enumerate(sentences) if s.start <= att.cue[0] < s.end),
                      None)
            if si is None:
                continue
            block = article.block_at(sentences[si].start)
            j = si + 1
            while j < len(sentences) and j not in covered:
                sent = sentences[j]
                if block is None or not (block.start <= sent.start < block.end):
                    break
                if not reported_style(doc, sent, article.text):
                    break
                content = (sent.start, sent.end)
                cont = Attribution(cue=att.cue, content=content, source=None,
                                   speaker=att.speaker, speaker_kind=att.speaker_kind,
                                   speaker_entity=att.speaker_entity,
                                   continuation_of=idx, medium=att.medium,
                                   medium_name=att.medium_name)
                cont.direct = is_quoted(article.text, content)
                out.append(cont)
                covered.add(j)
                j += 1
        return out

    def _chains(self, article: Article, atts: list[Attribution]) -> None:
        """Second-hand chains: a statement reported inside another's content, or told via
        a medium that itself reports it ("according to M, X stated …")."""
        text = article.text

        def link(a: Attribution) -> dict[str, Any]:
            span = Span(*a.source) if a.source else Span(*a.cue)
            written = strip_det(span.text_of(text))
            if written.lower() in ("it", "this", "that"):
                written = "unnamed report"
            return {"name": a.speaker or written, "kind": a.speaker_kind, "span": span,
                    "speaks": a.speaker_entity is not None or a.speaker_kind == "anonymous"}

        statements = _Containers([o for o in atts if o.continuation_of is None
                                  and not o.stance])
        for a in atts:
            if a.stance:
                continue  # a position held is no report of a report
            chain: list[dict[str, Any]] = []
            outer = [o for o in statements.containing(a.cue[0]) if o is not a]
            if outer:
                outer_a = min(outer, key=lambda o: o.content[1] - o.content[0])
                written = text[a.source[0] : a.source[1]].lower() if a.source else ""
                if written in _ANAPHORS and a.speaker in (None, outer_a.speaker):
                    # "X claimed the attack, which it said …": the pronoun is X again, one
                    # voice, not a report of a report.
                    continue
                chain = [*(outer_a.chain or [link(outer_a)])]
            elif a.medium is not None and a.medium_name and a.speaker_kind != "media" and (
                text[max(0, a.medium[0] - 14) : a.medium[0]].lower().strip().endswith(
                    "according to")
            ):
                chain = [{"name": a.medium_name, "kind": "media", "span": Span(*a.medium)}]
            if a.continuation_of is not None:
                continue
            if chain:
                a.chain = [*chain, link(a)]
        # A plural pronoun source that points into another statement's content extends
        # that statement's chain ("… colleagues turned to him. They informed him …").
        everything = _Containers(atts)
        for a in atts:
            ref = a.referent
            if ref is None or a.chain:
                continue
            for o in everything.containing(ref[0]):
                if o is not a:
                    base = o.chain or [link(o)]
                    a.chain = [*base, {"name": strip_det(text[ref[0] : ref[1]]),
                                       "kind": a.speaker_kind, "span": Span(*ref),
                                       "speaks": True}]
                    break
        for a in atts:
            a.chain = _credible(a.chain)

    # --- main --------------------------------------------------------------------------

    def __call__(self, article: Article) -> Article:
        doc = article.cache["doc"]
        text = article.text
        labels = _transcript_labels(article)
        quotes = quotation_index(article)
        learned = self.cue_model.cues(doc)
        found: list[Attribution] = []
        for sent_span in article.layer("sentences"):
            sent = doc.char_span(sent_span.start, sent_span.end, alignment_mode="expand")
            if sent is None:
                continue
            cues = self._verb_cues(sent, text, quotes, learned)
            cues += self._according_cues(sent, cues, text)
            cues += noun_cues(sent, cues, text)
            # A transcript line is the labelled speaker's, whatever it reports in turn.
            cues += self._transcript_cue(article, sent_span, text, labels)
            if not cues:
                cues += self._colon_cue(article, sent_span, text)
            if not cues:
                introduced = colon_introduced(article, sent_span, sent, _reporting_lemmas())
                cues += [introduced] if introduced is not None else []
            found.extend(sorted(cues, key=lambda a: a.cue[0]))
        found.extend(embedded_posts(article))
        found.extend(cited_quotations(article, found, quotes))
        done: list[Attribution] = []
        resolver = SpeakerResolver(quotes)
        for att in found:
            resolver.resolve(article, att, done)
            self._media(article, att)
            att.direct = bool(att.content) and is_quoted(text, att.content)
            done.append(att)
        _within_quotations(found, quotes)
        found.extend(self._continuations(article, found))
        found.extend(colon_continuations(article, found))
        found.extend(quotation_members(article, found, quotes))
        owners = {id(a): found[a.continuation_of] for a in found
                  if a.continuation_of is not None}
        found.sort(key=lambda a: (a.extent[0], a.cue[0]))
        self._chains(article, found)
        # Continuations point at their statement by its index after sorting.
        position = {id(a): i for i, a in enumerate(found)}
        continues = {id(a): position[id(owner)] for a in found
                     if (owner := owners.get(id(a))) is not None}
        spans = [self._to_span(article, a, continues.get(id(a))) for a in found]
        article.spans["attributions"] = spans
        return article

    @staticmethod
    def _to_span(article: Article, a: Attribution, continues: int | None) -> Span:
        # A continuation is its own sentence; its cue is the statement's, elsewhere.
        start, end = a.content if a.continuation_of is not None and a.content else a.extent
        attrs: dict[str, Any] = {
            "source": Span(*a.source, "source") if a.source else None,
            "cue": Span(*a.cue, "cue"),
            "content": Span(*a.content, "content") if a.content else None,
            "speaker": a.speaker,
            "speaker_kind": a.speaker_kind,
            "direct": a.direct,
            "medium": a.medium_name,
            "medium_span": Span(*a.medium, "medium") if a.medium else None,
            "time": a.time,
            "place": a.place,
            "chain": a.chain,
            "role": article.role_at(start),
        }
        if a.affiliation:
            attrs["affiliation"] = a.affiliation
        if a.referent:
            attrs["referent"] = Span(*a.referent, "referent")
        if _is_belief(article.text[a.cue[0] : a.cue[1]]):
            attrs["belief"] = True
        if a.stance:
            attrs["stance"] = True  # a position as the writer tells it: it sources nothing
        if a.continuation_of is not None:
            attrs["continuation"] = True
            attrs["continues"] = continues
        return Span(start, end, "attribution", attrs)


#: Cues that report what someone thinks or feels, not what they said or wrote.
BELIEF_CUES = frozenset({
    "believe", "believes", "believed", "believing", "think", "thinks", "thought", "thinking",
    "feel", "feels", "felt", "fear", "fears", "feared", "hope", "hopes", "hoped", "expect",
    "expects", "expected", "know", "knows", "knew", "wonder", "wonders", "wondered",
    "worry", "worries", "worried", "doubt", "doubts", "doubted",
})


def _dates_the_cue(ent: Any, source: tuple[int, int], text: str) -> bool:
    """A date that ends the source and hangs off it as an adjunct ("a speaker of the
    ministry on Friday") dates the statement; one inside a description of the speaker
    ("a 14-year Carrier worker", "who endorsed X on Tuesday", "the candidate in 2012")
    is part of who they are."""
    if text[ent.end_char : source[1]].strip(" ,;:—–"):
        return False  # words follow the date inside the source
    root = ent.root
    if root.dep_ in ("compound", "amod", "nummod", "poss"):
        return False
    for anc in root.ancestors:
        if anc.idx < source[0]:
            break
        if anc.dep_ in ("relcl", "acl", "appos", "conj"):
            return False
    return True


def _is_belief(cue: str) -> bool:
    """Whether a cue ("fears", "have long believed") reports a belief, not speech."""
    words = cue.lower().split()
    return bool(words) and words[-1] in BELIEF_CUES


def build(settings: Settings) -> AttributionAnnotator:
    return AttributionAnnotator(settings)
