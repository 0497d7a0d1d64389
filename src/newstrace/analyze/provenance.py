"""Declared provenance: what the page itself says about where its text came from.

The annotator reads provenance statements anywhere in the page (notes, body, boilerplate,
bylines, datelines, copyright lines): "originally appeared at X", "translated by P for Y",
"the original source of this article is Z", "reprinted from", "via", "Source:", "© 2016 X.
Republished with permission.", a second dated dateline … and builds the declared chain of
custody, oldest first:

    original → translation → republications (by date when stated) → this copy

Each link carries the outlet (resolved to a domain through the outlet table when it can
be), its role, the person named (author or translator), the language (stated, or from the
outlet table, or carried down the chain), the date where one is stated, and the evidence
span. Statements that disagree (two originals, a date that runs backwards, a chain that
returns to where it started) are listed in ``conflicts``; they are never silently resolved.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from newstrace.analyze.base import BaseAnnotator
from newstrace.analyze.provenance_patterns import (
    COPYRIGHT,
    CUES,
    DATE_RE,
    LANGUAGE_WORD,
    LANGUAGES,
    NOTE_HEADING,
    ORIGINAL_TITLE,
    REPUBLISHED_WITH_PERMISSION,
    TRANSLATION,
    NameRef,
    masked,
    parse_date,
    read_outlet,
    read_person,
)
from newstrace.config import Settings
from newstrace.data import Article, Span
from newstrace.datasets.domains import host_of
from newstrace.resources.outlets import name_key, outlet_table

_name_key = functools.lru_cache(maxsize=4096)(name_key)

#: Blocks whose "©" names an image's rights holder, not the article's.
_IMAGE_ROLES = frozenset({"credit", "caption"})


@dataclass(slots=True)
class Statement:
    kind: str  # original | source | translation | copyright | dateline | publisher
    start: int  # evidence: the sentence or line that says it
    end: int
    name: NameRef | None = None
    person: tuple[int, int, str] | None = None
    person_role: str | None = None
    date: str | None = None
    language: str | None = None  # language of the text at this link, where stated
    from_language: str | None = None  # "translated from German"
    block_role: str | None = None

    @property
    def key(self) -> str | None:
        if self.name is None:
            return None
        return self.name.domain or _name_key(self.name.name)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "outlet": self.name.outlet.name if self.name and self.name.outlet else None,
            "written_as": self.name.name if self.name else None,
            "domain": self.name.domain if self.name else None,
            "date": self.date,
            "evidence": Span(self.start, self.end, "provenance"),
        }
        if self.name is not None:
            out["outlet_span"] = Span(self.name.start, self.name.end, "outlet")
        if self.person is not None:
            out["person"] = {"name": self.person[2], "role": self.person_role}
        if self.language or self.from_language:
            out["language"] = self.language
            out["from_language"] = self.from_language
        return out


@dataclass(slots=True)
class Link:
    key: str | None
    role: str
    name: NameRef | None
    evidence: list[Span] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    person: dict[str, str] | None = None
    date: str | None = None
    language: str | None = None
    language_basis: str | None = None
    from_language: str | None = None
    first_seen: float = 0  # where first named; this copy, unnamed, sorts after all

    def absorb(self, st: Statement) -> None:
        self.evidence.append(Span(st.start, st.end, "provenance"))
        self.kinds.append(st.kind)
        if self.name is None or (st.name and st.name.outlet and not self.name.outlet):
            self.name = st.name or self.name
        elif st.name is not None:
            self.name = _named(self.name, st.name)
        if st.date and not self.date:
            self.date = st.date
        if st.person and not self.person:
            self.person = {"name": st.person[2], "role": st.person_role or "author"}
        if st.language and not self.language:
            self.language, self.language_basis = st.language, "stated"
        if st.from_language and not self.from_language:
            self.from_language = st.from_language


def _named(a: NameRef | None, b: NameRef | None) -> NameRef | None:
    """One outlet seen as a name and as a URL: keep the name, take the domain."""
    if a is None or b is None:
        return a or b

    def urlish(ref: NameRef) -> bool:
        return "/" in ref.name or (" " not in ref.name.strip() and "." in ref.name)

    if urlish(a) and not urlish(b):
        a, b = b, a
    return NameRef(a.start, a.end, a.name, a.outlet or b.outlet, a.domain or b.domain)


# --- reading statements -------------------------------------------------------------------


def _clause(view: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (within its line) around ``view[start:end]``, trimmed."""
    # Bounded on both sides: a statement is a sentence, and a text with no line breaks
    # must not make every statement rescan it.
    low = max(0, start - 400)
    line_start = view.rfind("\n", low, start) + 1 or low
    line_end = view.find("\n", end, end + 400)
    line_end = min(len(view), end + 400) if line_end < 0 else line_end
    s = line_start
    for m in re.finditer(r"[.!?][\"”’)]*\s+(?=[A-Z\"“])", view[line_start:start]):
        s = line_start + m.end()
    e = line_end
    m = re.search(r"(?<!\b[A-Z])(?<!\bNo)[.!?](?=\s+[A-Z]|\s*$)", view[end:line_end])
    if m:
        e = end + m.end()
    while s < e and view[s].isspace():
        s += 1
    while e > s and view[e - 1].isspace():
        e -= 1
    return s, e


def _role_at(article: Article, offset: int) -> str | None:
    return article.role_at(offset) if article.blocks else None


def _cue_statements(article: Article, view: str) -> list[Statement]:
    out: list[Statement] = []
    for kind, pattern in CUES:
        for m in pattern.finditer(view):
            name = read_outlet(view, m.end())
            if name is None or name.start - m.end() > 3:
                continue
            if kind == "produced":
                if not (name.outlet or name.domain):
                    continue  # a person produced it: an author, not a source
                kind = "original"
            s, e = _clause(view, m.start(), name.end)
            st = Statement(kind, s, e, name, block_role=_role_at(article, m.start()))
            date = DATE_RE.search(view, name.end, e)
            if date and date.start() - name.end < 12:
                st.date = parse_date(date.group())
            # "This article by Jane Doe originally appeared at X": the original's author.
            person = re.search(
                r"\b(?:article|story|piece|post|essay|column|report)\s+by\s+", view[s : m.start()]
            )
            if kind == "original" and person:
                found = read_person(view, s + person.end())
                if found and found[1] <= m.start():
                    st.person, st.person_role = found, "author"
            out.append(st)
    return out


def _translation_statements(article: Article, view: str) -> list[Statement]:
    out: list[Statement] = []
    table = outlet_table()
    for m in TRANSLATION.finditer(view):
        pos = m.end()
        st = Statement("translation", m.start(), m.end(), block_role=_role_at(article, pos))
        for _ in range(5):
            rest = view[pos : pos + 200]
            # Each cue only ever matches at the start (\A), its spaces possessive: searched
            # anywhere, a leading \s* or two runs of spaces in a row would be quadratic.
            if step := re.match(rf"\A\s*+from\s++(?:the\s++)?({LANGUAGE_WORD})\b", rest, re.I):
                st.from_language = LANGUAGES[step.group(1).lower()]
            elif step := re.match(rf"\A\s*+(?:in)?to\s++({LANGUAGE_WORD})\b", rest, re.I):
                st.language = LANGUAGES[step.group(1).lower()]
            elif step := re.match(r"\A\s*+(?::|by)\s+", rest, re.I):
                person = read_person(view, pos + step.end())
                as_outlet = table.by_name(person[2]) if person else None
                if person and as_outlet is None:
                    st.person, st.person_role = person, "translator"
                    step = re.match(r".*", view[pos : person[1]], re.S)
                elif as_outlet is not None and st.name is None:
                    st.name = read_outlet(view, pos + step.end())
                    step = re.match(r".*", view[pos : st.name.end], re.S) if st.name else None
                else:
                    break
            elif step := re.match(
                r"\A\s*+,?\s*+(?:and\s++)?(?:(?:exclusively|especially|specially|only)\s++)?"
                r"for\s+",
                rest,
                re.I,
            ):
                name = read_outlet(view, pos + step.end())
                if name is None:
                    break
                st.name = name
                step = re.match(r".*", view[pos : name.end], re.S)
            else:
                break
            if step is None:
                break
            pos += step.end()
        if st.person is None and st.name is None and st.from_language is None:
            continue  # "lost in translation", "a translation error": no statement
        # Evidence from the cue on: "…appeared at X, translated by P for Y" gives the
        # translation its own span, distinct from the original's sentence.
        st.start, st.end = m.start(), _clause(view, m.start(), pos)[1]
        out.append(st)
    return out


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b(?:\s*[-–]\s*(?:19|20)?\d{2,4})?")


def _copyright_statements(article: Article, view: str) -> list[Statement]:
    out: list[Statement] = []
    seen_lines: set[int] = set()
    for m in COPYRIGHT.finditer(view):
        low = max(0, m.start() - 400)
        line_start = view.rfind("\n", low, m.start()) + 1 or low
        if line_start in seen_lines:
            continue
        role = _role_at(article, m.start())
        if role in _IMAGE_ROLES:
            continue
        line_end = view.find("\n", m.end(), m.end() + 400)
        line_end = min(len(view), m.end() + 400) if line_end < 0 else line_end
        line = view[m.start() : line_end]
        permission = REPUBLISHED_WITH_PERMISSION.search(line)
        has_word = re.match(r"copyright", line, re.I) is not None
        if not (_YEAR.search(line) or has_word or permission):
            continue  # a bare "© Name" is an image credit
        if len(line) > 160 and not permission:
            continue  # a sentence about copyright (fair-use notices), not a notice
        seen_lines.add(line_start)
        body_end = m.start() + (permission.start() if permission else len(line))
        cut = re.search(r"all\s+rights\s+reserved", view[m.start() : body_end], re.I)
        if cut:
            body_end = m.start() + cut.start()
        names = _holders(view, m.end(), body_end)
        kind = "source" if permission else "copyright"
        for name in names:
            s, e = m.start(), (m.start() + permission.end()) if permission else body_end
            while e > s and view[e - 1] in " \t.,":
                e -= 1
            out.append(Statement(kind, s, e, name, block_role=role))
    return out


def _holders(view: str, start: int, end: int) -> list[NameRef]:
    """The names in a copyright notice's holder part ("© South X, Y.net, 2015")."""
    names: list[NameRef] = []
    pos = start
    while pos < end:
        while pos < end and (view[pos] in " \t,;&/©.()" or view[pos].isdigit()):
            pos += 1
        if re.match(r"(?:copyright|and|by|the\s+year)\b", view[pos:end], re.I):
            pos += re.match(r"\w+(?:\s+year)?", view[pos:end]).end()  # type: ignore[union-attr]
            continue
        if pos >= end:
            break
        name = read_outlet(view, pos, end)
        if name is None:
            nxt = re.search(r"[,;&]", view[pos:end])
            if nxt is None:
                break
            pos += nxt.end()
            continue
        names.append(name)
        pos = name.end
    return names


def _byline_statements(article: Article, view: str) -> list[Statement]:
    """A byline that names a known outlet ("By Reuters", "Articles by: X") declares where
    the text came from: wire copy and syndicated pieces carry the source's name there.
    Only outlets the table (or a domain) identifies count: a person's name is an author."""
    spans: list[tuple[int, int]] = [(b.start, b.end) for b in article.blocks_with("byline")]
    if not article.blocks:
        head = view[:1500]
        spans = [(m.start(), m.end()) for m in re.finditer(r"(?m)^[ \t]*By[ \t][^\n]{2,80}$", head)]
    out: list[Statement] = []
    for start, end in spans:
        # \A and possessive spaces: only the start is read (a bare \s* searched is quadratic).
        cue = re.match(r"\A\s*+(?:articles\s++)?by:?\s+", view[start:end], re.IGNORECASE)
        if cue is None:
            continue
        name = read_outlet(view, start + cue.end(), end)
        if name is None or not (name.outlet or name.domain):
            continue
        out.append(Statement("byline", start, end, name, block_role=_role_at(article, start)))
    out.extend(_wire_datelines(article, view))
    return out


#: "HANOI, Vietnam (AP) — …": a wire agency's credit in the dateline that opens the body.
#: Bounded and anchored (\A): only the start of a paragraph is read.
_WIRE_DATELINE = re.compile(
    r"\A[ \t]*+[A-Z][^\n()]{0,60}?\((?P<name>[^\n()]{1,40})\)[ \t]*+(?:[—–]|--?)(?=[ \t])"
)


def _wire_datelines(article: Article, view: str) -> list[Statement]:
    """The first body paragraph opening with "PLACE (AGENCY) —" declares wire copy, as a
    byline naming the agency would. Only an outlet the table knows counts."""
    body = next(iter(article.blocks_with("body")), None)
    starts = [body.start] if body is not None else [
        m.start() for m in re.finditer(r"(?m)^(?=[A-Z])", view[:2000])
    ][:8]
    for start in starts:
        m = _WIRE_DATELINE.match(view[start : start + 160])
        if m is None:
            continue
        name = read_outlet(view, start + m.start("name"), start + m.end("name"))
        if name is None or name.outlet is None:
            continue
        st = Statement("byline", start + m.start(), start + m.end(), name,
                       block_role=_role_at(article, start))
        return [st]
    return []


def _dateline_statements(article: Article, view: str) -> list[Statement]:
    out: list[Statement] = []
    blocks = list(article.blocks_with("dateline"))
    if blocks:
        for block in blocks:
            outlet = block.attrs.get("outlet")
            if not outlet:
                continue
            found = view.find(str(outlet), block.start, block.end)
            pos = found if found >= 0 else block.start
            name = read_outlet(view, pos, block.end)
            if name is None:
                continue
            st = Statement("dateline", block.start, block.end, name, block_role="dateline")
            st.date = block.attrs.get("date") or parse_date(block.text_of(view))
            out.append(st)
        return out
    # Unstructured text: a short line "Outlet, September 18, 2015" near the top.
    for m in re.finditer(
        rf"(?m)^[ \t]*(?P<name>[^\n,|]{{2,60}}?)[ \t]*[,|–-]?[ \t]+(?P<date>{DATE_RE.pattern})"
        r"[ \t]*$",
        view[:3000],
    ):
        name = read_outlet(view, m.start("name"), m.end("name"))
        if name is None or name.end < m.end("name") - 1:
            continue
        st = Statement("dateline", m.start("name"), m.end("date"), name, block_role=None)
        st.date = parse_date(m.group("date"))
        out.append(st)
    return out


def _publisher(article: Article) -> NameRef | None:
    """The copy in hand, from metadata (publisher, domain, URL)."""
    meta = article.meta
    table = outlet_table()
    ev = meta.evidence.get("publisher")
    start, end = (ev.start, ev.end) if ev else (0, 0)
    host = meta.domain or (host_of(meta.url) if meta.url else None)
    if host:
        # Where the page actually is decides which outlet this copy is. A name the page
        # gives itself is only a label: a site calling itself after a known outlet must
        # not take that outlet's domain (and its ratings).
        outlet = table.by_domain(host)
        if outlet is not None:
            return NameRef(start, end, meta.publisher or outlet.name, outlet, outlet.domain)
        claimed = table.by_name(meta.publisher) if meta.publisher else None
        shown = host if claimed is not None and claimed.domain != host else meta.publisher
        return NameRef(start, end, shown or host, None, host)
    for value in (meta.publisher, meta.domain, meta.url):
        if not value:
            continue
        outlet = table.resolve(value)
        host = host_of(value) if "." in value else None
        domain = outlet.domain if outlet else (host or (host_of(meta.url) if meta.url else None))
        start, end = (ev.start, ev.end) if ev else (0, 0)
        shown = meta.publisher or (outlet.name if outlet else None) or domain or value
        return NameRef(start, end, shown, outlet, domain or meta.domain)
    return None


# --- building the chain -------------------------------------------------------------------

_ROLE_RANK = {"original": 0, "translation": 1, "republication": 2, "this_copy": 3}

#: Where the copy in hand sorts among links of its role when no statement names it: after
#: every statement (only one link is ever this copy, so this breaks no real tie).
_AFTER_EVERY_STATEMENT = float("inf")


def _label_key(domain: str) -> str:
    # "redorbit.com" and a name "Redorbit" (no domain) are one outlet.
    return name_key(domain.split(".")[0]) if domain else ""


def _conflict(kind: str, message: str, evidence: list[Span]) -> dict[str, Any]:
    return {"kind": kind, "message": message, "evidence": evidence}


def _evidence(st: Statement) -> Span:
    return Span(st.start, st.end, "provenance")


@dataclass(slots=True)
class _Chain:
    """The links found so far, in the order first named, and the conflicts among them."""

    links: dict[str, Link] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def add(self, key: str, link: Link) -> Link:
        self.links[key] = link
        self.order.append(key)
        return link

    def rekey(self, old: str, new: str) -> Link:
        link = self.links.pop(old)
        link.key = new
        self.links[new] = link
        self.order[self.order.index(old)] = new
        return link

    def resolve(self, key: str, name: NameRef | None) -> str:
        """The one key resolver: the key a statement naming ``name`` files under. A name
        without a domain joins the link whose domain it names ("Redorbit" →
        redorbit.com); a name with a domain takes over the link filed under its bare
        name so far (renaming that link)."""
        if name is None:
            return key
        if not name.domain:
            return next(
                (
                    k
                    for k in self.order
                    if self.links[k].name
                    and self.links[k].name.domain
                    and _label_key(self.links[k].name.domain) == key
                ),
                key,
            )
        alias = _label_key(name.domain)
        if alias in self.links:
            old = self.rekey(alias, key)
            old.name = _named(old.name, name)
        return key

    def link_for(self, st: Statement, role: str) -> Link:
        key = self.resolve(st.key or f"#{st.start}", st.name)
        link = self.links.get(key)
        if link is None:
            link = self.add(key, Link(key, role, st.name, first_seen=st.start))
        elif _ROLE_RANK[role] < _ROLE_RANK[link.role] and link.role != "this_copy":
            link.role = role
        link.absorb(st)
        return link


def _this_copy(
    statements: list[Statement], this_copy: NameRef | None
) -> tuple[NameRef | None, str | None]:
    """The copy in hand and its key: the metadata's publisher, else a "Publisher: X"
    line, else (key only) the first dateline."""
    publishers = [s for s in statements if s.kind == "publisher"]
    if this_copy is None and publishers:
        this_copy = publishers[0].name
    if this_copy is not None:
        return this_copy, this_copy.domain or name_key(this_copy.name)
    datelines = [s for s in statements if s.kind == "dateline"]
    return None, datelines[0].key if datelines else None


def _add_originals(chain: _Chain, originals: list[Statement]) -> None:
    for st in originals:
        chain.link_for(st, "original")
    if len({s.key for s in originals if s.key}) > 1:
        chain.conflicts.append(
            _conflict(
                "multiple_originals",
                "the page names more than one outlet as the original",
                [_evidence(s) for s in originals],
            )
        )


def _add_translations(chain: _Chain, translations: list[Statement]) -> None:
    for st in translations:
        if st.name is None:  # translator named, outlet not: a link of its own
            key = f"#translation{st.start}"
            chain.add(key, Link(key, "translation", None, first_seen=st.start)).absorb(st)
        else:
            chain.link_for(st, "translation")
        if st.from_language:
            links = chain.links
            target = next((links[k] for k in chain.order if links[k].role == "original"), None)
            if target is not None and not target.language:
                target.language, target.language_basis = st.from_language, "stated"


_UPSTREAM_ORDER = {"source": 0, "dateline": 1, "byline": 2}


def _add_upstream(
    chain: _Chain, statements: list[Statement], this_key: str | None, any_declared: bool
) -> None:
    """Sources, and datelines and bylines of other outlets: earlier copies. The only one
    the page names, with no original or translation declared, is the original."""
    upstream = [
        s
        for s in statements
        if s.kind == "source" or (s.kind in ("dateline", "byline") and s.key != this_key)
    ]
    # Sources, then datelines, then bylines, each in the order they were found.
    upstream.sort(key=lambda s: _UPSTREAM_ORDER[s.kind])
    only_one = not any_declared and len({s.key for s in upstream}) == 1
    for st in upstream:
        chain.link_for(st, "original" if only_one else "republication")


def _add_copyrights(chain: _Chain, copyrights: list[Statement]) -> None:
    for st in copyrights:  # support links already named; a notice alone makes no link
        if st.key in chain.links:
            chain.links[st.key].evidence.append(_evidence(st))
            chain.links[st.key].kinds.append("copyright")


def _mark_this_copy(chain: _Chain, link: Link) -> None:
    """This copy was named by an earlier statement: it becomes this copy. Named as the
    original, the page calls itself the original (no conflict) unless other copies sit
    between: then the chain is circular, as when it names itself as its source."""
    if link.role == "original" and len(chain.order) > 1:
        chain.conflicts.append(
            _conflict(
                "circular",
                "this copy's outlet is also named as the original of an earlier copy",
                list(link.evidence),
            )
        )
    elif link.role != "original":
        if "source" in link.kinds:  # "the original source … is <itself>"
            chain.conflicts.append(
                _conflict(
                    "circular",
                    "this copy names its own outlet as its source",
                    list(link.evidence),
                )
            )
        link.role = "this_copy"
    else:
        link.role = "this_copy"
        link.kinds.append("declares itself the original")


def _place_this_copy(
    chain: _Chain,
    statements: list[Statement],
    this_copy: NameRef | None,
    this_key: str | None,
    this_date: str | None,
) -> None:
    """The copy in hand joins the chain last, with its own datelines and publisher line."""
    if this_copy is not None and this_key not in chain.links:
        # Named by domain here and by name in a statement (or the other way round).
        this_key = chain.resolve(this_key or "", this_copy)
    if this_key in chain.links:
        link = chain.links[this_key]
        _mark_this_copy(chain, link)
    else:
        link = Link(this_key, "this_copy", this_copy, first_seen=_AFTER_EVERY_STATEMENT)
        if this_copy is not None and this_copy.end > this_copy.start:
            link.evidence.append(Span(this_copy.start, this_copy.end, "publisher"))
        chain.add(this_key or "#this", link)
    own = [s for s in statements if s.kind in ("dateline", "publisher") and s.key == this_key]
    own.sort(key=lambda s: s.kind != "dateline")  # datelines first, as found
    for st in own:
        link.absorb(st)
        # The dateline is better evidence for this copy than the metadata.
        link.evidence.insert(0, link.evidence.pop())
    link.date = link.date or this_date


def _date_order_conflicts(chain: list[Link]) -> list[dict[str, Any]]:
    """Dates must not run backwards along the chain."""
    dated = [lk for lk in chain if lk.date]
    return [
        _conflict(
            "date_order",
            f"an earlier link is dated {earlier.date}, after a later link dated {later.date}",
            earlier.evidence[:1] + later.evidence[:1],
        )
        for earlier, later in itertools.pairwise(dated)
        if earlier.date and later.date and earlier.date > later.date
    ]


def build_chain(
    statements: list[Statement], this_copy: NameRef | None, meta_language: str | None
) -> tuple[list[Link], list[dict[str, Any]]]:
    """The declared chain (oldest first) and the conflicts among the statements."""
    chain = _Chain()
    this_copy, this_key = _this_copy(statements, this_copy)
    # This copy's date: from its own dateline, found under the key it had before merging.
    this_date = next(
        (s.date for s in statements if s.kind == "dateline" and s.key == this_key and s.date),
        None,
    )
    originals = [s for s in statements if s.kind == "original"]
    translations = [s for s in statements if s.kind == "translation"]
    _add_originals(chain, originals)
    _add_translations(chain, translations)
    _add_upstream(chain, statements, this_key, bool(originals or translations))
    _add_copyrights(chain, [s for s in statements if s.kind == "copyright"])
    if this_copy is not None or this_key is not None:
        _place_this_copy(chain, statements, this_copy, this_key, this_date)
    links = sorted(
        (chain.links[k] for k in chain.order),
        # Undated links sort after dated ones of their role, then in the order first named.
        key=lambda lk: (_ROLE_RANK[lk.role], lk.date is None, lk.date or "", lk.first_seen),
    )
    chain.conflicts.extend(_date_order_conflicts(links))
    _languages(links, meta_language)
    return links, chain.conflicts


def _languages(chain: list[Link], meta_language: str | None) -> None:
    """Stated languages first; else the outlet table; republications inherit the language
    of the link before them (a copy does not change language), and a translation without
    a stated target is in the language of the copy in hand."""
    previous: str | None = None
    for link in chain:
        if link.language:
            previous = link.language
            continue
        outlet = link.name.outlet if link.name else None
        if link.role == "translation" and meta_language:
            link.language, link.language_basis = meta_language, "article"
        elif link.role in ("republication", "this_copy") and previous:
            link.language, link.language_basis = previous, "inherited"
        elif outlet and outlet.language:
            link.language, link.language_basis = outlet.language, "outlet table"
        elif link.role == "this_copy" and meta_language:
            link.language, link.language_basis = meta_language, "article"
        previous = link.language or previous


def _shown_name(name: NameRef | None) -> str | None:
    """The outlet's name: the table's, else the name as written — but a link written as a
    URL is shown by its domain (the URL stays in ``written_as``)."""
    if name is None:
        return None
    if name.outlet is not None:
        return name.outlet.name
    if name.domain and "/" in name.name:
        return name.domain
    return name.name


def _link_dict(order: int, link: Link) -> dict[str, Any]:
    name = link.name
    return {
        "order": order,
        "outlet": _shown_name(name),
        "written_as": name.name if name else None,
        "domain": name.domain if name else None,
        "role": link.role,
        "person": link.person,
        "language": link.language,
        "language_basis": link.language_basis,
        "date": link.date,
        "evidence": link.evidence[0] if link.evidence else None,
        "supporting": link.evidence[1:],
        "statements": link.kinds,
        **({"translated_from": link.from_language} if "translation" in link.kinds else {}),
    }


# --- sections a republisher added ---------------------------------------------------------


def added_sections(article: Article, view: str) -> list[dict[str, Any]]:
    """Editor's and translator's notes: text the republisher added to the original."""
    out: list[dict[str, Any]] = []
    covered: list[tuple[int, int]] = []
    notes = list(article.blocks_with("editor_note"))
    i = 0
    while i < len(notes):
        block = notes[i]
        j = i
        # A heading block ("Translators comment:") and the note blocks after it are one
        # section.
        while j + 1 < len(notes) and _adjacent(article, notes[j], notes[j + 1]):
            j += 1
        kind = str(block.attrs.get("note_kind") or _note_kind(block.text_of(view)))
        out.append(
            {
                "kind": f"{kind}_note" if not kind.endswith("_note") else kind,
                "heading": Span(block.start, block.end, "heading"),
                "span": Span(block.start, notes[j].end, "added_section"),
            }
        )
        covered.append((block.start, notes[j].end))
        i = j + 1
    for m in NOTE_HEADING.finditer(view):
        if any(s <= m.start() < e for s, e in covered):
            continue
        role = _role_at(article, m.start())
        if role in ("navigation", "boilerplate"):
            continue
        end = view.find("\n\n", m.end())
        # A heading on its own line ("Translator's comment:") opens the paragraph after it.
        if end >= 0 and not view[m.end() : end].strip():
            nxt = view.find("\n\n", end + 2)
            end = len(view) if nxt < 0 else nxt
        end = len(view) if end < 0 else end
        out.append(
            {
                "kind": f"{_note_kind(m.group('label'))}_note",
                "heading": Span(m.start("label"), m.end(), "heading"),
                "span": Span(m.start("label"), end, "added_section"),
            }
        )
    return out


def _adjacent(article: Article, a: Any, b: Any) -> bool:
    between = [x for x in article.blocks if a.end <= x.start < b.start]
    return not between


def _note_kind(label: str) -> str:
    low = label.lower()
    if "translat" in low or "übersetz" in low or re.search(r"n\.\s*d\.\s*t", low):
        return "translator"
    if "publisher" in low:
        return "publisher"
    return "editor"


# --- the annotator ------------------------------------------------------------------------


def read_provenance(article: Article) -> dict[str, Any]:
    view = masked(article.text)
    statements = (
        _cue_statements(article, view)
        + _translation_statements(article, view)
        + _copyright_statements(article, view)
        + _dateline_statements(article, view)
        + _byline_statements(article, view)
    )
    statements.sort(key=lambda s: s.start)
    this_copy = _publisher(article)
    chain, conflicts = build_chain(statements, this_copy, article.meta.language)
    title = ORIGINAL_TITLE.search(view)
    return {
        "declared": [_link_dict(i, link) for i, link in enumerate(chain, 1)],
        "conflicts": conflicts,
        "statements": [s.to_dict() for s in statements],
        "added_sections": added_sections(article, view),
        # Names in copyright notices: rights holders, which need not be publishers.
        "rights_holders": sorted(
            {
                s.name.outlet.name if s.name.outlet else s.name.name
                for s in statements
                if s.kind == "copyright" and s.name is not None
            }
        ),
        "original_title": Span(title.start(), _clause(view, title.start(), title.end())[1])
        if title
        else None,
    }


class ProvenanceAnnotator(BaseAnnotator):
    name = "provenance"
    requires = ("blocks", "meta")
    assigns = ("results.provenance",)

    def __call__(self, article: Article) -> Article:
        article.results["provenance"] = read_provenance(article)
        return article


def build(settings: Settings) -> ProvenanceAnnotator:
    outlet_table()  # parse the table once, when the analyzer is built
    return ProvenanceAnnotator()
