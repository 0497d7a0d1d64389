"""Structure: a read Article → its final text, role-labelled blocks and metadata.

``structure`` lifts the reader's provisional blocks into units, repairs layout damage
(words and sentences split across blank lines), gives every unit a role, lays the text out
again (blocks separated by a blank line; link spans and repair marks moved with their
text) and fills the metadata from the text with evidence spans.
"""

from __future__ import annotations

from newstrace.data import Article
from newstrace.structure.layout import relayout, units_from
from newstrace.structure.metadata import fill_meta
from newstrace.structure.repair import repair
from newstrace.structure.roles import label_roles

__all__ = ["structure"]


def structure(article: Article) -> Article:
    """Return ``article`` with final text, every block role-labelled and meta filled."""
    if article.cache.get("structured"):
        return article  # idempotent: structuring twice must not re-split or re-merge
    units = repair(units_from(article))
    units = label_roles(units, meta=article.meta, fmt=article.format)
    relayout(article, units)
    fill_meta(article)
    article.cache["structured"] = True
    return article
