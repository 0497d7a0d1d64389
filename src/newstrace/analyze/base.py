"""What an annotator is, and the order check the Analyzer runs when it is built.

An annotator is a small component: it declares what it ``requires`` and what it
``assigns`` (names such as ``"blocks"``, ``"doc"``, ``"spans.sentences"``,
``"results.provenance"``), and fills those on the Article. :func:`check_order` makes sure
every requirement is assigned by an earlier annotator (or by reading and structure, which
provide :data:`PROVIDED_BY_STRUCTURE`), so a wrongly ordered pipeline fails when it is
assembled, not halfway through a corpus. Kept apart from the Analyzer so that the
registry and the annotators import this, and the Analyzer imports the registry, without
a cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from newstrace.data import Article
from newstrace.errors import PipelineError

#: What every Article has once it has been read and structured.
PROVIDED_BY_STRUCTURE: frozenset[str] = frozenset({"text", "blocks", "meta", "spans.links"})


@runtime_checkable
class Annotator(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, article: Article) -> Article: ...


class BaseAnnotator:
    """Convenience base declaring the three attributes an annotator has."""

    name: str = ""
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __call__(self, article: Article) -> Article:  # pragma: no cover - abstract
        raise NotImplementedError


def check_order(annotators: Sequence[Annotator]) -> None:
    """Raise :class:`PipelineError` unless each requirement is assigned earlier."""
    available = set(PROVIDED_BY_STRUCTURE)
    seen: set[str] = set()
    for annotator in annotators:
        if annotator.name in seen:
            raise PipelineError(f"annotator {annotator.name!r} appears twice")
        seen.add(annotator.name)
        missing = [r for r in annotator.requires if r not in available]
        if missing:
            raise PipelineError(
                f"annotator {annotator.name!r} requires {', '.join(missing)}, "
                "which no earlier annotator assigns"
            )
        available.update(annotator.assigns)
