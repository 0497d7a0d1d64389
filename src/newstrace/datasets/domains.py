"""Host and domain normalisation, offline.

tldextract is built with no suffix-list URLs and no cache directory, so it uses the Public
Suffix List snapshot bundled in the wheel and never touches the network or the disk.
"""

from __future__ import annotations

import re
from functools import lru_cache

import tldextract

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_HOSTISH = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # Private suffixes (blogspot.com, github.io, …) count as suffixes, so that a blog on a
    # shared host is its own site and never inherits the platform's rating.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


def host_of(value: str) -> str | None:
    """The lower-case host of a URL, ``www.host/path`` or bare host; None if it is not one.

    ``www.`` is dropped: rating lists key outlets by their bare domain.
    """
    text = value.strip().lower()
    if not text:
        return None
    text = _SCHEME.sub("", text)
    text = re.split(r"[/?#\s]", text, maxsplit=1)[0]
    text = text.split("@")[-1].split(":")[0].rstrip(".")
    if text.startswith("www.") or re.match(r"^www\d\.", text):
        text = text.split(".", 1)[1]
    if not _HOSTISH.match(text):
        return None
    if text.rsplit(".", 1)[-1] not in _top_levels():
        return None  # "e.g", "file.txt": no public suffix, so not a web host
    return text


@lru_cache(maxsize=1)
def _top_levels() -> frozenset[str]:
    """Last labels of the bundled Public Suffix List: a set lookup instead of a full
    suffix match per host keeps reading 50,000 list rows fast."""
    return frozenset(s.rsplit(".", 1)[-1] for s in _extractor().tlds)


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str | None:
    """``news.example.co.uk`` → ``example.co.uk``, ``me.blogspot.com`` → itself; None when
    ``host`` has no public suffix."""
    parts = _extractor()(host)
    if not parts.suffix or not parts.domain:
        return None
    return f"{parts.domain}.{parts.suffix}"


def candidate_hosts(host: str) -> list[str]:
    """``a.b.example.co.uk`` → [itself, ``b.example.co.uk``, ``example.co.uk``].

    Lists rate both whole domains and single hosts (``de.rt.com``, blogs on shared hosts):
    the most specific entry wins, and the walk stops at the registered domain so that a
    rating of ``co.uk`` or of the hosting platform is never borrowed.
    """
    top = registered_domain(host)
    if top is None:
        return [host]
    out = [host]
    current = host
    while current != top and "." in current:
        current = current.split(".", 1)[1]
        out.append(current)
    return out
