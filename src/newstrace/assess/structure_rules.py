"""Structure-level findings: what the page's layout tells a fact-checker.

- ``layout_repair`` (info): text newstrace rejoined (a word or sentence split across a
  blank line), with the original in the message, so every change to the text is visible.
- ``added_section`` (medium): a section the republisher added (editor's or translator's
  note): it is not part of the original article and may frame it. Only when the
  provenance annotator did not run: it reports these sections itself.
- ``earlier_copy`` (low): the page carries a dateline of another, earlier copy.
- ``no_byline`` / ``no_date`` (low): the page names no author / gives no date.
- ``disclaimer`` (info): the publisher disclaims responsibility for the content or
  republishes copyrighted material under "fair use".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from newstrace.assess.report import evidence
from newstrace.data import Article, Block, Finding

_DISCLAIMS = re.compile(
    r"\b(?:sole responsibility|not be responsible|not responsible|fair[ -]use|"
    r"views expressed|do not necessarily reflect)\b",
    re.I,
)


def layout_repairs(article: Article) -> Iterable[Finding]:
    for mark in article.layer("repairs"):
        kind = mark.attrs.get("kind", "repair")
        what = "a word hyphenated" if kind == "hyphenation" else "a sentence split"
        original = str(mark.attrs.get("original", "")).replace("\n\n", " ¶ ")
        yield Finding(
            kind="layout_repair",
            severity="info",
            message=f"Rejoined {what} across a blank line (was: {original!r}).",
            evidence=[evidence(article, mark.start, mark.end)],
            attrs={"repair": kind},
        )


def _runs(blocks: list[Block], role: str) -> list[list[Block]]:
    """Consecutive blocks of ``role`` (a note section and its paragraphs) as runs."""
    runs: list[list[Block]] = []
    previous: Block | None = None
    for block in blocks:
        if block.role == role and previous is not None and previous.role == role:
            runs[-1].append(block)
        elif block.role == role:
            runs.append([block])
        previous = block
    return runs


def added_sections(article: Article) -> Iterable[Finding]:
    provenance = article.results.get("provenance")
    if isinstance(provenance, dict) and "added_sections" in provenance:
        # The provenance annotator reports these sections in the declared chain, with its
        # own finding (republisher_added_section); one finding per section is enough.
        return
    for run in _runs(article.blocks, "editor_note"):
        first = run[0]
        label = first.attrs.get("note_label") or "note"
        who = first.attrs.get("note_kind") or "editor"
        yield Finding(
            kind="added_section",
            severity="medium",
            message=(
                f"A section added by the {who} ({label!s}), not part of the original article: "
                "read it as the republisher's framing."
            ),
            evidence=[evidence(article, b.start, b.end) for b in run],
            attrs={"added_by": who, "label": label},
        )


def earlier_copies(article: Article) -> Iterable[Finding]:
    this = next((b for b in article.blocks_with("dateline") if b.attrs.get("this_copy")), None)
    for block in article.blocks_with("dateline"):
        if block.attrs.get("earlier_copy"):
            outlet = block.attrs.get("outlet") or "another outlet"
            message = (
                f"The page carries an earlier dated copy: {outlet}, {block.attrs.get('date')}"
                + (f" (this copy: {this.attrs.get('date')})." if this else ".")
            )
            spans = [evidence(article, block.start, block.end)]
            if this is not None:
                spans.insert(0, evidence(article, this.start, this.end))
            yield Finding(kind="earlier_copy", severity="low", message=message, evidence=spans)


def missing_byline_or_date(article: Article) -> Iterable[Finding]:
    headline = article.headline
    if headline is None:
        return
    span = evidence(article, headline.start, headline.end)
    meta = article.meta
    for present, kind, message in (
        (meta.authors, "no_byline", "The page names no author: nobody signs for this text."),
        (meta.published, "no_date", "The page gives no publication date."),
    ):
        if not present:
            yield Finding(kind=kind, severity="low", message=message, evidence=[span])


def disclaimers(article: Article) -> Iterable[Finding]:
    for block in article.blocks_with("boilerplate"):
        text = block.text_of(article.text)
        match = _DISCLAIMS.search(text)
        if match:
            fair_use = "fair" in match.group(0).lower()
            yield Finding(
                kind="disclaimer",
                severity="info",
                message=(
                    "The publisher republishes copyrighted material under a 'fair use' notice."
                    if fair_use
                    else "The publisher disclaims responsibility for the content."
                ),
                evidence=[evidence(article, block.start, block.end)],
            )


RULES: list[Callable[[Article], Iterable[Finding]]] = [
    layout_repairs,
    added_sections,
    earlier_copies,
    missing_byline_or_date,
    disclaimers,
]
