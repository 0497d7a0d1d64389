"""Core shapes: Article, Block, Span, Meta, Finding (the Report is in assess/report.py).

Every piece of text an analysis points at is a :class:`Span` of character offsets into
``Article.text``. Renderers highlight spans; they never search the text again. Plain slotted
dataclasses keep the objects cheap to build by the million and trivial to serialise.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"

#: The roles a block of an article can have (docs/report-schema.md).
BLOCK_ROLES: tuple[str, ...] = (
    "headline",
    "dek",
    "byline",
    "dateline",
    "navigation",
    "body",
    "subheading",
    "caption",
    "credit",
    "editor_note",
    "provenance_note",
    "boilerplate",
)

#: Roles whose text belongs to the article's content (what the author or republisher wrote
#: as the story), as opposed to page furniture.
CONTENT_ROLES: frozenset[str] = frozenset({"headline", "dek", "body", "editor_note"})

#: Finding severities, least severe first: the one definition of their order.
SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high")


@dataclass(slots=True)
class Span:
    """A stretch ``text[start:end]`` of an article, with a label and typed attributes.

    ``attrs`` may hold plain JSON values and nested :class:`Span` objects (an attribution's
    source, cue and content, say); :meth:`to_dict` turns the nested spans into
    ``{"text", "start", "end"}`` objects as well.
    """

    start: int
    end: int
    label: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def ref(self, text: str) -> dict[str, Any]:
        """The bare ``{"text", "start", "end"}`` object used for every span in a report."""
        return {"text": text[self.start : self.end], "start": self.start, "end": self.end}

    def to_dict(self, text: str) -> dict[str, Any]:
        out = self.ref(text)
        if self.label:
            out["label"] = self.label
        for key, value in self.attrs.items():
            out[key] = _jsonable(value, text)
        return out


def _jsonable(value: Any, text: str) -> Any:
    if isinstance(value, Span):
        return value.ref(text)
    if isinstance(value, dict):
        return {k: _jsonable(v, text) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v, text) for v in value]
    return value


@dataclass(slots=True)
class Block:
    """A role-labelled paragraph-like unit of the article: ``text[start:end]``."""

    role: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.role not in BLOCK_ROLES:
            raise ValueError(f"unknown block role {self.role!r}")

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.role)

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]

    def to_dict(self, text: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "role": self.role,
            "text": text[self.start : self.end],
            "start": self.start,
            "end": self.end,
        }
        for key, value in self.attrs.items():
            out[key] = _jsonable(value, text)
        return out


@dataclass(slots=True)
class Meta:
    """What the page says about itself. Unknown stays ``None`` (or empty), never guessed."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO 8601 date
    publisher: str | None = None
    domain: str | None = None
    url: str | None = None
    language: str | None = None
    #: Evidence for each field that came from the text, e.g. {"published": Span}.
    evidence: dict[str, Span] = field(default_factory=dict)

    def to_dict(self, text: str) -> dict[str, Any]:
        return {
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published,
            "publisher": self.publisher,
            "domain": self.domain,
            "url": self.url,
            "language": self.language,
            "evidence": {k: v.ref(text) for k, v in self.evidence.items()},
        }


@dataclass(slots=True)
class Article:
    """One article: its normalised text and every layer computed over it.

    - ``blocks``: role-labelled blocks, in text order, not overlapping.
    - ``spans``: named span layers ("sentences", "links", "entities", "attributions", …).
    - ``results``: article-level structured results of annotators ("headline",
      "provenance", "outlets", …); JSON values that may contain :class:`Span` objects.
    - ``errors``: problems met on the way that did not stop the analysis (recorded, never
      silent).
    - ``cache``: run-time objects that are never serialised (the spaCy ``Doc``, say).
    """

    text: str
    id: str = ""
    source: str | None = None  # path, URL or "-" it was read from
    format: str | None = None  # html, markdown, text
    blocks: list[Block] = field(default_factory=list)
    meta: Meta = field(default_factory=Meta)
    spans: dict[str, list[Span]] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def blocks_with(self, *roles: str) -> Iterator[Block]:
        wanted = set(roles)
        return (b for b in self.blocks if b.role in wanted)

    def block_at(self, offset: int) -> Block | None:
        """The block containing character ``offset`` (None between blocks).

        Blocks are in text order and do not overlap, so a bisection over their starts finds
        it (asked once per sentence, a scan would be quadratic on long texts). The starts
        are kept while the block list is the same list of the same length."""
        key = (id(self.blocks), len(self.blocks))
        cached = self.cache.get("_block_starts")
        if cached is None or cached[0] != key:
            cached = (key, [b.start for b in self.blocks])
            self.cache["_block_starts"] = cached
        i = bisect_right(cached[1], offset) - 1
        if i >= 0 and offset < self.blocks[i].end:
            return self.blocks[i]
        return None

    def role_at(self, offset: int) -> str | None:
        block = self.block_at(offset)
        return block.role if block else None

    @property
    def headline(self) -> Block | None:
        return next(self.blocks_with("headline"), None)

    def layer(self, name: str) -> list[Span]:
        return self.spans.get(name, [])

    def set_layer(self, name: str, spans: Iterable[Span]) -> None:
        self.spans[name] = sorted(spans, key=lambda s: (s.start, s.end))

    def body_text(self) -> str:
        """Body paragraphs joined by blank lines: the article's main text."""
        return "\n\n".join(b.text_of(self.text) for b in self.blocks_with("body"))

    def span_ref(self, start: int, end: int) -> dict[str, Any]:
        return {"text": self.text[start:end], "start": start, "end": end}


@dataclass(slots=True)
class Finding:
    """Something a careful reader should see, with the spans that show it."""

    kind: str
    severity: str
    message: str
    evidence: list[Span] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def to_dict(self, text: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "evidence": [s.ref(text) for s in self.evidence],
        }
        for key, value in self.attrs.items():
            out[key] = _jsonable(value, text)
        return out
