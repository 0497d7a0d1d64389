"""Findings about sourcing: who is (not) named as the source of what the article says.

Each rule reads the layers of the attribution/claims annotators and yields nothing when
they did not run. Severity follows how much a reader has to take on trust:

- anonymous sources: ``medium`` when nothing identifies the source ("it has been
  reported", "officials"), ``low`` when an affiliation is given ("a speaker of the
  ministry");
- second-hand chains (a medium reporting a person reporting others): ``medium``, ``high``
  when a link in the chain is anonymous;
- inconsistent name spellings: ``low`` (a sign of careless translation or copying);
- speculation next to factual statements in one paragraph: ``medium``, else ``low``
  (grouped); quoted sentences are someone's words and never count as the writer's;
- unsourced assertions: ``medium`` when the sentence carries loaded/opinion words (one
  finding each) or figures (one each up to three, else one together); the plain ones
  ``low``, grouped in one finding; loaded labels in the writer's own voice: ``medium``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from newstrace.assess.report import evidence
from newstrace.data import Article, Finding, Span

_ASSERTION_ROLES = frozenset({"dek", "body", "editor_note"})


def _attributions(article: Article) -> list[Span]:
    return article.layer("attributions")


def anonymous_sources(article: Article) -> Iterator[Finding]:
    for att in _attributions(article):
        a = att.attrs
        if a.get("speaker_kind") != "anonymous" or a.get("continuation") or a.get("belief") \
                or a.get("stance"):
            continue  # a belief ("protesters fear …") is someone's view, not a hidden source
        source: Span | None = a.get("source")
        cue: Span = a["cue"]
        content: Span | None = a.get("content")
        referent: Span | None = a.get("referent")
        shown = referent or source
        if shown is not None and shown.text_of(article.text).lower() in ("it", "this"):
            shown = Span(min(shown.start, cue.start), max(shown.end, cue.end))
        who = (shown or cue).text_of(article.text)
        affiliation = a.get("affiliation")
        if affiliation:
            message = f"Unnamed source ({who!s}, from {affiliation}); the reader cannot check it."
            severity = "low"
        else:
            message = f"Anonymous or vague source ({who!s}); nothing identifies who said this."
            severity = "medium"
        spans = [evidence(article, s.start, s.end) for s in (shown or cue, content) if s]
        yield Finding("anonymous_source", severity, " ".join(message.split()), spans,
                      {"attribution": _index(article, att)})


def second_hand_chains(article: Article) -> Iterator[Finding]:
    chains = [(att, att.attrs.get("chain") or []) for att in _attributions(article)]
    chains = [(att, c) for att, c in chains if len(c) >= 2]
    names = [[(link["name"], link["span"].start) for link in c] for _, c in chains]
    for i, (att, chain) in enumerate(chains):
        # Report only the longest chains: a chain that another one extends is inside it.
        if any(j != i and len(other) > len(names[i]) and other[: len(names[i])] == names[i]
               for j, other in enumerate(names)):
            continue
        anonymous = any(link.get("kind") == "anonymous" for link in chain)
        path = " → ".join(str(link["name"]) for link in chain)
        content: Span | None = att.attrs.get("content")
        spans = [evidence(article, link["span"].start, link["span"].end) for link in chain]
        if content is not None:
            spans.append(evidence(article, content.start, content.end))
        yield Finding(
            "second_hand_chain",
            "high" if anonymous else "medium",
            f"Second-hand report: {path}. The article relays what others relayed"
            + (", through an unnamed link." if anonymous else "."),
            spans,
            {"chain": [str(link["name"]) for link in chain],
             "attribution": _index(article, att)},
        )


def inconsistent_spellings(article: Article) -> Iterator[Finding]:
    for entity in article.results.get("entities", []):
        if not entity.get("inconsistent_spelling"):
            continue
        spans: list[Span] = []
        seen: set[str] = set()
        for m in entity["mentions"]:
            written = m.text_of(article.text)
            if written not in seen:
                seen.add(written)
                spans.append(evidence(article, m.start, m.end))
        variants = ", ".join(f"“{v}”" for v in entity["variants"])
        yield Finding(
            "inconsistent_name_spelling",
            "low",
            f"{entity['name']} is written several ways: {variants}.",
            spans,
            {"entity": entity["name"], "variants": list(entity["variants"])},
        )


def speculation_near_facts(article: Article) -> Iterator[Finding]:
    """Speculation and open questions in the writer's own voice: ``medium`` one by one
    when they sit among factual statements of the same paragraph; the others ``low``,
    grouped in one finding (a long opinion piece has many)."""
    claims = article.layer("claims")
    alone: list[tuple[Span, str]] = []
    for i, claim in enumerate(claims):
        status = claim.attrs.get("status")
        if status not in ("hedged", "question") or claim.attrs.get("role") == "headline":
            continue
        if claim.attrs.get("quoted"):
            continue  # someone's quoted words, not the writer's voice
        block = article.block_at(claim.start)
        neighbours = [
            c for j, c in enumerate(claims)
            if j != i and block is not None and block.start <= c.start < block.end
            and c.attrs.get("status") in ("unsourced", "attributed")
        ]
        if not neighbours:
            alone.append((claim, str(status)))
            continue
        hedge: Span | None = claim.attrs.get("hedge")
        spans = [evidence(article, claim.start, claim.end)]
        if hedge is not None and status == "hedged":
            spans.insert(0, evidence(article, hedge.start, hedge.end))
        kind_word = "An open question" if status == "question" else "Speculation"
        near = min(neighbours, key=lambda c: abs(c.start - claim.start))
        spans.append(evidence(article, near.start, near.end))
        message = (f"{kind_word} in the writer's own voice sits among factual "
                   "statements in the same paragraph; it is not sourced.")
        yield Finding("speculation", "medium", message, spans, {"status": status})
    if len(alone) == 1:
        claim, status = alone[0]
        kind_word = "An open question" if status == "question" else "Speculation"
        yield Finding("speculation", "low", f"{kind_word} in the writer's own voice, with no "
                      "source.", [evidence(article, claim.start, claim.end)],
                      {"status": status})
    elif alone:
        yield Finding(
            "speculation",
            "low",
            f"{len(alone)} more sentences speculate or ask open questions in the writer's "
            "own voice, with no source.",
            [evidence(article, c.start, c.end) for c, _ in alone],
            {"status": "mixed" if len({st for _, st in alone}) > 1 else alone[0][1],
             "count": len(alone)},
        )


#: Up to this many unsourced sentences stating figures get a finding each; more are one.
FIGURES_ONE_BY_ONE = 3


def unsourced_assertions(article: Article) -> Iterator[Finding]:
    """Unsourced assertions, grouped so the ones that matter are not buried: those using
    evaluative or loaded words get a finding each (with the words as evidence); those
    stating figures a finding each up to :data:`FIGURES_ONE_BY_ONE`, else one together;
    the plain ones one ``low`` finding. The claims layer keeps every sentence."""
    plain: list[Span] = []
    figures: list[Span] = []
    for claim in article.layer("claims"):
        a = claim.attrs
        if a.get("status") not in ("unsourced", "opinion") or a.get("role") not in (
            _ASSERTION_ROLES
        ):
            continue
        if a.get("quoted"):
            continue  # someone's quoted words whose speaker was not found: not an assertion
        loaded: list[Span] = a.get("loaded_terms") or []
        opinion: list[Span] = a.get("opinion_terms") or []
        if not (loaded or opinion):
            (figures if a.get("numbers") else plain).append(claim)
            continue
        notes = (["it states figures"] if a.get("numbers") else []) + [
            "it uses evaluative or loaded words"
        ]
        spans = [evidence(article, claim.start, claim.end)]
        spans += [evidence(article, s.start, s.end) for s in (*loaded, *opinion)]
        yield Finding(
            "unsourced_assertion",
            "medium",
            f"Assertion with no source in the text ({'; '.join(notes)}).",
            spans,
            {"checkworthy": bool(a.get("checkworthy")), "count": 1},
        )
    if 0 < len(figures) <= FIGURES_ONE_BY_ONE:
        for claim in figures:
            yield Finding(
                "unsourced_assertion",
                "medium",
                "Assertion with no source in the text (it states figures).",
                [evidence(article, claim.start, claim.end)],
                {"checkworthy": bool(claim.attrs.get("checkworthy")), "count": 1},
            )
    elif figures:
        yield Finding(
            "unsourced_assertion",
            "medium",
            f"{len(figures)} assertions state figures with no source in the text.",
            [evidence(article, c.start, c.end) for c in figures],
            {"checkworthy": any(c.attrs.get("checkworthy") for c in figures),
             "count": len(figures)},
        )
    if plain:
        n = len(plain)
        message = (
            "An assertion in the writer's own voice has no source in the text."
            if n == 1
            else f"{n} further assertions in the writer's own voice have no source in the text."
        )
        yield Finding(
            "unsourced_assertion",
            "low",
            message,
            [evidence(article, c.start, c.end) for c in plain],
            {"checkworthy": any(c.attrs.get("checkworthy") for c in plain), "count": n},
        )


def loaded_language(article: Article) -> Iterator[Finding]:
    """Loaded labels in the writer's own voice, one finding per label with every place it
    is used (a polemic repeats its labels; one line each would bury everything else)."""
    uses: dict[str, list[tuple[Span, Span]]] = {}
    shown: dict[str, str] = {}
    for claim in article.layer("claims"):
        if claim.attrs.get("status") == "attributed" or claim.attrs.get("quoted"):
            continue  # a speaker's own words are theirs
        for term in claim.attrs.get("loaded_terms") or []:
            word = term.text_of(article.text)
            key = " ".join(word.casefold().split())
            shown.setdefault(key, word)
            uses.setdefault(key, []).append((term, claim))
    for key, found in uses.items():
        word = shown[key]
        times = f" ({len(found)} times)" if len(found) > 1 else ""
        spans = [evidence(article, term.start, term.end) for term, _ in found]
        first_claim = found[0][1]
        spans.insert(1, evidence(article, first_claim.start, first_claim.end))
        yield Finding(
            "loaded_language",
            "medium",
            f"Loaded label “{word}” in the writer's own voice{times}, not attributed to "
            "anyone.",
            spans,
            {"term": word, "count": len(found)},
        )


def _index(article: Article, span: Span) -> int:
    for i, s in enumerate(_attributions(article)):
        if s is span:
            return i
    return -1


RULES: tuple[Callable[[Article], Iterable[Finding]], ...] = (
    anonymous_sources,
    second_hand_chains,
    inconsistent_spellings,
    speculation_near_facts,
    unsourced_assertions,
    loaded_language,
)
