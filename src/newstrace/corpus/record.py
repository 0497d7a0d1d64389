"""What flows between corpus steps: input records, and the per-document envelope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newstrace.data import Article


@dataclass(slots=True)
class Reject:
    """Why a document produced no analysis: the error's ``code`` and its message."""

    reason: str
    message: str
    stage: str


@dataclass(slots=True)
class InputRecord:
    """One document as a reader found it: cheap to make, nothing parsed yet.

    ``location`` says where it came from precisely enough to find it again
    (``path``, ``path#row=12``, ``path@offset``); ``hints`` carries metadata the container
    holds beside the content (title, url, domain, authors, published), used where the page
    itself lacks them.
    """

    id: str
    location: str
    content: str | bytes
    format: str | None = None  # html, markdown, text (None: sniff)
    hints: dict[str, Any] = field(default_factory=dict)
    #: Set when the reader could not even get the content (a JSONL line that is not
    #: JSON…): the record still travels, and lands in rejects with this reason.
    error: Reject | None = None


@dataclass(slots=True)
class Doc:
    """The envelope one document travels in through the steps.

    Steps fill ``article``, then ``report`` (the JSON report dict); a step that fails on a
    document sets ``reject`` and later steps pass it through untouched, so the writer sees
    every document exactly once, analysed or rejected.
    """

    record: InputRecord
    article: Article | None = None
    report: dict[str, Any] | None = None
    reject: Reject | None = None
    seconds: float = 0.0
