"""Patterns for things written in article text, each defined once.

A **host name as written**: ``www.`` at most once, then labels of letters, digits and
hyphens joined by dots, the last one letters only (``reuters.com``, ``www.bbc.co.uk``).
Three readers use it, each for its own question, so the variants below differ only where
their question does:

- :data:`HOST_NAME`, with ``fullmatch``: is this whole string (a publisher, a dateline's
  outlet) a host name? (structure/furniture.py, structure/metadata.py)
- :data:`HOST_IN_TEXT`: the host in a web or mail address in running text, captured in
  group 1 (``news@harbourtimes.com``: the site that answers for that mail), ending at a
  word boundary (structure/metadata.py: the page names its own site);
- :data:`DOMAIN_IN_TEXT`: a whole written address, its scheme included, that does not run
  on into a longer word or a hyphenated one (analyze/outlets.py: outlets cited by their
  domain).

Labels are possessive: a label is always followed by a dot or the end, never by another
label character, so giving characters back could never help a match; possessive, a run of
labels with no top-level label fails at once instead of being retried from each of its
characters (bench/regex_backtracking.py).
"""

from __future__ import annotations

import re

#: A host name as written (see the module's docstring).
HOST = r"(?:www\.)?[a-z0-9-]++(?:\.[a-z0-9-]++)*\.[a-z]{2,}"
#: Not inside a word, an address or a longer host name (nor just after a hyphen).
_STARTS_CLEAN = r"(?<![\w.@-])"
_SCHEME = r"(?:https?://)?"

HOST_NAME: re.Pattern[str] = re.compile(HOST, re.IGNORECASE)
HOST_IN_TEXT: re.Pattern[str] = re.compile(
    rf"{_STARTS_CLEAN}{_SCHEME}(?:[\w-]+@)?({HOST})\b", re.IGNORECASE
)
DOMAIN_IN_TEXT: re.Pattern[str] = re.compile(
    rf"{_STARTS_CLEAN}{_SCHEME}{HOST}(?![\w-])", re.IGNORECASE
)
