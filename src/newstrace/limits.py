"""The limits newstrace enforces on one article, declared once and stated in one unit.

``Settings.max_bytes`` (config.py) bounds the input's size; :data:`MAX_TEXT_CHARS` bounds
the text the language model parses (spaCy's ``Language.max_length``: its parser needs
about 1 GB per 100,000 words, so longer texts are refused with :class:`TextTooLong`
rather than failing inside the model). Every message and page states sizes through
:func:`human_bytes`, so the page, the errors and the docs say the same number.
"""

from __future__ import annotations

from newstrace.errors import TextTooLong

#: Characters of article text parsed at most (spaCy's default ``max_length``).
MAX_TEXT_CHARS = 1_000_000


def human_bytes(n: int) -> str:
    """``n`` bytes in MiB (or KiB under one MiB), the one unit every message uses."""
    if n >= 1024 * 1024:
        value, unit = n / (1024 * 1024), "MiB"
    else:
        value, unit = n / 1024, "KiB"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text} {unit}"


def check_text_length(text: str, limit: int = MAX_TEXT_CHARS) -> None:
    """Refuse a text the language model cannot parse in one piece (before it tries)."""
    if len(text) > limit:
        raise TextTooLong(
            f"the article's text has {len(text):,} characters; newstrace analyses at most "
            f"{limit:,} (split it into parts)",
            characters=len(text),
            limit=limit,
        )
