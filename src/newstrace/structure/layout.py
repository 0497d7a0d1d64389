"""Units: blocks lifted out of an Article so they can be merged, split and relabelled, then
laid out again with every link span and repair mark moved to its new offset."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newstrace.data import Article, Block, Span
from newstrace.read.pieces import SEPARATOR


@dataclass(slots=True)
class Unit:
    """One block's text with its links and marks, offsets relative to ``text``."""

    text: str
    attrs: dict[str, Any] = field(default_factory=dict)
    links: list[Span] = field(default_factory=list)
    marks: list[Span] = field(default_factory=list)  # repairs made here, for findings
    role: str | None = None

    @property
    def kind(self) -> str:
        return str(self.attrs.get("kind", "paragraph"))

    def shifted(self, spans: list[Span], by: int) -> list[Span]:
        return [Span(s.start + by, s.end + by, s.label, dict(s.attrs)) for s in spans]

    def join(self, other: Unit, glue: str) -> Unit:
        """This unit followed by ``other``, ``glue`` between them (attrs: first wins)."""
        offset = len(self.text) + len(glue)
        attrs = {**other.attrs, **self.attrs}
        for key in ("images", "images_before"):
            found = list(self.attrs.get(key, [])) + list(other.attrs.get(key, []))
            if found:
                attrs[key] = found
        return Unit(
            text=self.text + glue + other.text,
            attrs=attrs,
            links=self.links + self.shifted(other.links, offset),
            marks=self.marks + self.shifted(other.marks, offset),
            role=self.role,
        )

    def slice(self, start: int, end: int) -> Unit:
        """The part ``text[start:end]`` with the links and marks inside it."""
        inside = [s for s in self.links if s.start >= start and s.end <= end]
        marks = [s for s in self.marks if s.start >= start and s.end <= end]
        return Unit(
            text=self.text[start:end],
            attrs=dict(self.attrs),
            links=self.shifted(inside, -start),
            marks=self.shifted(marks, -start),
            role=self.role,
        )


def units_from(article: Article) -> list[Unit]:
    links = sorted(article.layer("links"), key=lambda s: s.start)
    units = []
    for block in article.blocks:
        inside = [s for s in links if s.start >= block.start and s.end <= block.end]
        units.append(
            Unit(
                text=block.text_of(article.text),
                attrs=dict(block.attrs),
                links=[
                    Span(s.start - block.start, s.end - block.start, s.label, dict(s.attrs))
                    for s in inside
                ],
                role=block.role if article.cache.get("structured") else None,
            )
        )
    return units


def relayout(article: Article, units: list[Unit]) -> None:
    """Write ``units`` back into ``article``: text, blocks, links and repair marks."""
    parts: list[str] = []
    blocks: list[Block] = []
    links: list[Span] = []
    marks: list[Span] = []
    offset = 0
    for unit in units:
        if not unit.text:
            continue
        if parts:
            parts.append(SEPARATOR)
            offset += len(SEPARATOR)
        parts.append(unit.text)
        blocks.append(Block(unit.role or "body", offset, offset + len(unit.text), unit.attrs))
        links.extend(unit.shifted(unit.links, offset))
        marks.extend(unit.shifted(unit.marks, offset))
        offset += len(unit.text)
    article.text = "".join(parts)
    article.blocks = blocks
    article.set_layer("links", links)
    article.set_layer("repairs", marks)
