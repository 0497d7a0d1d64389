"""Block roles: every unit of an article gets one of :data:`newstrace.data.BLOCK_ROLES`.

Two passes. The first reads each unit on its own wording (furniture recognisers); the
second uses position: the headline comes first, a dek sits between the headline and the
first body paragraph, a caption follows an image credit, a republisher's note section runs
from its label to the next piece of furniture, and short link-like lines after the
page's closing boilerplate are boilerplate too. Whatever is left is body.
"""

from __future__ import annotations

import re
from typing import Any

import newstrace.structure.furniture as F
from newstrace.data import Meta
from newstrace.structure.layout import Unit

_TERMINAL = re.compile(r"[.!?…:;\"'”’)\]]\s*$")
_CAPTION_CUE = re.compile(
    r"\b(?:pictured|picture shows|photo shows|image shows|seen here|in this (?:photo|picture|"
    r"image|file photo)|file photo|the picture|the photo|the image|(?:left|right|centre|center)"
    r"\)|\((?:left|right|centre|center|top|above|below)\b|,\s*(?:(?:second |third )?from )?"
    r"(?:left|right|centre|center)\s*,)",
    re.I,
)
_DANGLING = re.compile(r"\b(?:and|or|but|the|a|an|of|to|in|with|for|as)\s*$", re.I)
_HEAD_STOP = frozenset({"body", "editor_note"})
_SECTION_STOP = frozenset({"provenance_note", "boilerplate", "credit", "byline", "dateline"})


def _link_chars(unit: Unit) -> int:
    return sum(len(unit.text[s.start : s.end].replace(" ", "")) for s in unit.links)


def _link_covered(unit: Unit) -> float:
    letters = len(unit.text.replace(" ", "").replace("\n", ""))
    return _link_chars(unit) / letters if letters else 0.0


def line_role(text: str, link_chars: int = 0) -> str | None:
    """The furniture role of one short line on its own wording, or None."""
    if F.byline_names(text):
        return "byline"
    if F.dateline_parts(text):
        return "dateline"
    if F.is_navigation(text, link_chars):
        return "navigation"
    if F.is_credit(text):
        return "credit"
    return None


def split_lines(units: list[Unit]) -> list[Unit]:
    """Split a multi-line unit whose leading lines are furniture ("Outlet, date" over
    "Other outlet date") into one unit per line group, so each gets its own role."""
    out: list[Unit] = []
    for unit in units:
        if "\n" not in unit.text or unit.kind not in ("paragraph", "item"):
            out.append(unit)
            continue
        groups: list[tuple[int, int]] = []
        pos = 0
        for line in unit.text.split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            prev = unit.text[groups[-1][0] : groups[-1][1]] if groups else ""
            # A line continues the previous one after a trailing comma or conjunction.
            if groups and (re.search(r"(?:,|&|\band)\s*$", prev) or line[:1].islower()):
                groups[-1] = (groups[-1][0], end)
            else:
                groups.append((start, end))
        roles = []
        for start, end in groups:
            part = unit.slice(start, end)
            roles.append(line_role(part.text, _link_chars(part)))
        lead = 0
        while lead < len(groups) and roles[lead] is not None:
            lead += 1
        if len(groups) < 2 or lead == 0:
            out.append(unit)
            continue
        for start, end in groups[:lead]:
            out.append(unit.slice(start, end))
        if lead < len(groups):
            out.append(unit.slice(groups[lead][0], len(unit.text)))
    return out


def _looks_like_headline(unit: Unit) -> bool:
    """One short line, capitalised; if it ends with a full stop (some exports add one), it
    is title-cased or a single short clause without commas or quotes."""
    text = unit.text
    if "\n" in text or not 2 <= F.words(text) <= 30 or not text[:1].isupper():
        return False
    if not text.endswith("."):
        return True
    if F.title_case(text):
        return True
    inner = text[:-1]
    # A full stop inside ends a sentence unless it closes an initial ("N.Y. debate").
    return F.words(text) <= 16 and not re.search(r",\s|[\"“”]|(?<![A-Z])[.!?]\s", inner)


def _headline_index(units: list[Unit], fmt: str | None) -> int | None:
    """A level-1 heading near the top; else (not HTML, whose title is always given) the
    first headline-like line among the first few unlabelled ones, preferring one in title
    case (a kicker or dek can sit above the title)."""
    for i, unit in enumerate(units[:4]):
        if unit.attrs.get("heading_level") == 1:
            return i
    candidates = []
    for i, unit in enumerate(units[:4]):
        if unit.role is not None:
            continue
        if F.words(unit.text) > 40:
            break  # the body has begun
        candidates.append(i)
    if not candidates:
        return None
    if units[candidates[0]].kind == "heading":
        return candidates[0]
    if fmt == "html":
        return None
    for i in candidates:
        if _looks_like_headline(units[i]) and F.title_case(units[i].text):
            return i
    return candidates[0] if _looks_like_headline(units[candidates[0]]) else None


def _intrinsic(unit: Unit) -> tuple[str | None, dict[str, Any]]:
    text = unit.text
    emphasis = bool(unit.attrs.get("emphasis"))
    label = F.note_label(text)
    if label is not None:
        name, alone = label
        return "editor_note", {"note_label": name, "note_kind": F.note_kind(name), "alone": alone}
    if F.has_trailing_credit(text) and F.words(text) <= 80:
        return "caption", {}
    if F.credit_parenthetical(text) and _CAPTION_CUE.search(text) and F.words(text) <= 50:
        return "caption", {}
    wire = F.wire_credit_names(text)
    if wire:
        return "byline", {"names": wire}
    if F.is_credit(text):
        return "credit", {}
    if not any(c.isalnum() for c in text):
        return "boilerplate", {"separator": True}  # a separator line ("___", "* * *")
    if F.is_provenance(text, emphasis=emphasis):
        return "provenance_note", {}
    if F.is_boilerplate(text):
        return "boilerplate", {}
    names = F.byline_names(text)
    if names:
        return "byline", {"names": [n for *_, n in names]}
    parts = F.dateline_parts(text)
    if parts:
        pairs = [{"outlet": p.outlet, "date": p.date} for p in parts]
        attrs: dict[str, Any] = {"outlet": pairs[0]["outlet"], "date": pairs[0]["date"]}
        if len(pairs) > 1:
            attrs["pairs"] = pairs
        return "dateline", attrs
    if F.is_navigation(text, _link_chars(unit)):
        return "navigation", {}
    return None, {}


def _is_subheading(unit: Unit, headline_text: str | None) -> bool:
    """A section title inside the body: a heading below the title, the title repeated,
    or one short line that reads as a title, not a sentence ("Hostage swap")."""
    text = unit.text.strip()
    if unit.kind == "heading" and unit.attrs.get("heading_level") != 1:
        return True
    if headline_text is not None and _norm(text) == headline_text:
        return True
    return F.is_title_line(text)


def _subheadings(units: list[Unit], headline: int | None) -> None:
    """Give section titles between body paragraphs their own role: they are nobody's claim."""
    start = 0 if headline is None else headline + 1
    headline_text = _norm(units[headline].text) if headline is not None else None
    for i in range(start, len(units) - 1):
        unit = units[i]
        if unit.role is None and units[i + 1].role is None and _is_subheading(unit,
                                                                              headline_text):
            unit.role = "subheading"


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def label_roles(units: list[Unit], *, meta: Meta, fmt: str | None) -> list[Unit]:
    """Give every unit a role (in place) and return the units."""
    units = split_lines(units)
    authors = {_norm(a) for a in meta.authors}
    for unit in units:
        role, attrs = _intrinsic(unit)
        if role is None and authors and _norm(unit.text) in authors:
            role, attrs = "byline", {"names": [unit.text.strip()]}
        unit.role = role
        unit.attrs.update(attrs)
    headline = _headline_index(units, fmt)
    if headline is not None:
        units[headline].role = "headline"
    _sections(units)
    _captions(units)
    _head_zone(units, headline)
    _link_lists(units)
    _link_lines(units)
    _tail(units)
    _subheadings(units, headline)
    for unit in units:
        unit.attrs.pop("alone", None)
        if unit.role is None:
            unit.role = "body"
    return units


def _sections(units: list[Unit]) -> None:
    """A note label standing alone opens a section: what follows is the note, up to the
    next furniture, heading or rule. An italic first paragraph sets the note apart: the
    section then runs while the paragraphs stay italic."""
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.role != "editor_note" or not unit.attrs.get("alone"):
            i += 1
            continue
        kind = unit.attrs.get("note_kind")
        first = units[i + 1] if i + 1 < len(units) else None
        italic = bool(first and first.attrs.get("emphasis"))
        j = i + 1
        while j < len(units):
            nxt = units[j]
            if (
                nxt.role in _SECTION_STOP
                or nxt.role == "headline"
                or (nxt.role == "editor_note" and nxt.attrs.get("alone"))
                or nxt.kind == "heading"
                or nxt.attrs.get("after_rule")
                or (italic and not nxt.attrs.get("emphasis"))
            ):
                break
            nxt.role = "editor_note"
            nxt.attrs["note_kind"] = kind
            j += 1
        i = j


def _captions(units: list[Unit]) -> None:
    """A short paragraph beside an image credit, or set under an image in italics, or
    worded like a caption next to one, is a caption, not body."""
    for i, unit in enumerate(units):
        if unit.role is not None or unit.kind not in ("paragraph", "caption", "item"):
            continue
        if unit.kind == "item" and not _CAPTION_CUE.search(unit.text):
            continue
        n = F.words(unit.text)
        prev = units[i - 1] if i else None
        nxt = units[i + 1] if i + 1 < len(units) else None
        after_credit = prev is not None and prev.role == "credit"
        before_credit = nxt is not None and nxt.role == "credit"
        cue = bool(_CAPTION_CUE.search(unit.text))
        imaged = bool(unit.attrs.get("images_before") or unit.attrs.get("images"))
        # Beside a credit, a caption is worded like one or is not a sentence; a body
        # paragraph that merely follows an uncaptioned picture stays body.
        open_ended = not _TERMINAL.search(unit.text)
        if _DANGLING.search(unit.text):
            continue  # a paragraph cut mid-sentence ("… such as X and"), not a caption
        if (
            unit.kind == "caption"
            or (unit.kind == "item" and cue and n <= 60)
            or (after_credit and n <= 80 and (cue or open_ended or n <= 15))
            or (before_credit and n <= 80 and cue)
            or (imaged and n <= 60 and (unit.attrs.get("emphasis") or cue))
        ):
            unit.role = "caption"


def _head_zone(units: list[Unit], headline: int | None) -> None:
    """Before the first body paragraph: an italic paragraph, a subheading right under the
    headline or a short line above it is the dek; a paragraph wholly in parentheses or
    brackets is a republisher's aside (an editor's note)."""
    has_dek = False
    for i, unit in enumerate(units):
        if unit.role in _HEAD_STOP:
            return
        if unit.role is not None:
            continue
        text = unit.text
        n = F.words(text)
        if n >= 8 and text[:1] in "([" and text[-1:] in ")]" and _balanced_aside(text):
            unit.role = "editor_note"
            unit.attrs["note_kind"] = "editor"
            continue
        right_under = headline is not None and i == headline + 1
        above = headline is not None and i < headline
        if not has_dek and (
            (unit.attrs.get("emphasis") and n >= 8 and unit.kind == "paragraph")
            or (unit.kind == "heading" and right_under and n >= 6 and not text.endswith(":"))
            or (above and 6 <= n <= 40)
        ):
            unit.role = "dek"
            has_dek = True
            continue
        if headline is not None and i < headline:
            continue
        if unit.kind in ("paragraph", "quote") and n > 12:
            return  # the body has begun


def _balanced_aside(text: str) -> bool:
    """The opening bracket closes only at the very end: "(aside … (x) … )"."""
    depth = 0
    for n, char in enumerate(text):
        depth += char in "(["
        depth -= char in ")]"
        if depth == 0 and n < len(text) - 1:
            return False
    return depth == 0


def _link_lines(units: list[Unit]) -> None:
    """A short paragraph that is nothing but link text and no sentence is a link to
    another page (a "related story" line), not body."""
    for unit in units:
        if (
            unit.role is None
            and unit.kind == "paragraph"
            and F.words(unit.text) <= 15
            and _link_covered(unit) >= 0.9
            and not _TERMINAL.search(unit.text)
        ):
            unit.role = "navigation"


def _link_lists(units: list[Unit]) -> None:
    """Three or more short list items that are all link text: a list of related links."""
    i = 0
    while i < len(units):
        j = i
        while (
            j < len(units)
            and units[j].role is None
            and units[j].kind == "item"
            and F.words(units[j].text) <= 12
            and _link_covered(units[j]) >= 0.9
        ):
            j += 1
        if j - i >= 3:
            for unit in units[i:j]:
                unit.role = "navigation"
        i = max(j, i + 1)


def _tail(units: list[Unit]) -> None:
    """After the body, once the page's closing boilerplate starts, short unlabelled lines
    that are mostly link text (link rows) belong to it, and so does a short paragraph
    wedged between two boilerplate blocks (an author blurb among the page's links)."""
    seen_body = in_tail = False
    for i, unit in enumerate(units):
        if unit.attrs.get("separator"):
            continue  # a rule between sections says nothing about what follows
        if unit.role is None:
            nxt = units[i + 1] if i + 1 < len(units) else None
            n = F.words(unit.text)
            if in_tail and (
                (n <= 25 and _link_covered(unit) >= 0.5)
                or (n <= 80 and nxt is not None and nxt.role == "boilerplate")
            ):
                unit.role = "boilerplate"
            else:
                seen_body = True
        elif unit.role == "boilerplate" and seen_body:
            in_tail = True
