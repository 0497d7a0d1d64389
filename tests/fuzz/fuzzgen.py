"""Hostile article inputs and the report invariants, shared by the property-based tests
(tests/fuzz/test_*.py) and the long campaign (bench/fuzz_campaign.py).

Everything here is deterministic given a ``random.Random``: hypothesis drives it through a
seed it shrinks, the campaign through its own counter, so any failure replays from
``(seed, case)`` alone.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

# --- seeds: ordinary article shapes the mutations start from ---------------------------
# Written for the fuzzer (not taken from any example article): a headline, a byline, a
# dateline, quotes with and without a speaker, a hedge, a provenance note and a link.

SEED_TEXT = (
    "Council approves new budget after long debate\n\n"
    "By Jane Doe, Staff Reporter\n\n"
    "SPRINGFIELD (Reuters) - The city council approved a $4.2 million budget on Tuesday, "
    '"This is a good day for the city," said Mayor John Smith. Critics said the plan '
    "may raise taxes. According to officials, the vote was 7-2.\n\n"
    "\u201cWe were not consulted,\u201d a spokesperson told reporters. Some experts believe "
    "the deficit will double by 2030.\n\n"
    "This article originally appeared in The Springfield Times. Editor's note: an earlier "
    "version misstated the vote.\n"
)

SEED_MARKDOWN = (
    "# Council approves new budget after long debate\n\n"
    "*By Jane Doe* | March 3, 2024\n\n"
    "The city council approved a **$4.2 million** budget on Tuesday. "
    '"This is a good day," said [Mayor John Smith](https://example.org/smith).\n\n'
    "> We were not consulted, a resident wrote.\n\n"
    "- Vote: 7-2\n- Deficit: *may* double\n\n"
    "![Council chamber](img.jpg)\n\n_Photo: AP_\n\n"
    "This story was first published by [The Springfield Times](https://times.example).\n"
)

SEED_HTML = (
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>Council approves new budget | Springfield Times</title>"
    '<meta property="og:title" content="Council approves new budget">'
    '<meta name="author" content="Jane Doe">'
    '<meta property="article:published_time" content="2024-03-03T10:00:00Z">'
    '<link rel="canonical" href="https://times.example/budget"></head><body>'
    "<nav><a href=\"/\">Home</a> | <a href=\"/news\">News</a></nav><article>"
    "<h1>Council approves new budget after long debate</h1>"
    '<p class="byline">By Jane Doe</p>'
    "<p>The city council approved a $4.2 million budget on Tuesday. "
    "&ldquo;This is a good day,&rdquo; said Mayor John Smith.</p>"
    "<p>Critics said the plan may raise taxes, according to officials.</p>"
    "<figure><img src=\"a.jpg\"><figcaption>The council chamber. (AP Photo)</figcaption>"
    "</figure><p><em>This article originally appeared in "
    '<a href="https://other.example/x">The Other Paper</a>.</em></p>'
    "</article><footer>&copy; 2024 Springfield Times. All rights reserved.</footer>"
    "</body></html>"
)

SEEDS: dict[str, str] = {"text": SEED_TEXT, "markdown": SEED_MARKDOWN, "html": SEED_HTML}

# --- hostile fragments -----------------------------------------------------------------

RTL = "\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u05e9\u05dc\u05d5\u05dd "
BIDI = "\u202e\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u200e\u200f"
COMBINING = "e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a\u0327\u0328"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f"
EMOJI = "\U0001f600\U0001f1fa\U0001f1f8\U0001f469\u200d\U0001f4bb\U0001f44d\U0001f3fd\ufe0f"
CONTROL = "".join(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127, *range(128, 160)))
SURROGATES = ("\ud800", "\udfff", "\udc80\udcff", "\ud83d")
NEWLINES = ("\r\n", "\r", "\n", "\r\r\n", "\n\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c")
QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u300c\u300d"
BAD_UTF8 = (
    b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xe2\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
    b"\x80\x80", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\xf0\x9f\x98",
)
HTML_BITS = (
    "<p>", "</p>", "<div>", "</div>", "<br>", "<h1>", "</h1>", "<h2>", "<script>", "</script>",
    "<style>", "<!--", "-->", "<![CDATA[", "]]>", "<table><tr><td>", "</td></tr></table>",
    "<a href=\"javascript:alert(1)\">", "</a>", "<meta charset=\"koi8-r\">",
    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-16\">",
    "&amp;", "&#0;", "&#xD800;", "&#1114112;", "&nbsp;", "&", "<", ">", "<!DOCTYPE x>",
    "<svg><foreignObject>", "<template>", "<noscript>", "<iframe src=x>", "<?xml ?>",
    "<blockquote>", "<li>", "<ul>", "<pre>", "<figcaption>", "<time datetime=\"x\">",
)
MD_BITS = (
    "# ", "## ", "###### ", "> ", "- ", "* ", "1. ", "```", "~~~", "---", "***", "___",
    "[", "](", ")", "![", "**", "__", "*", "_", "`", "|", "| --- |", "\\", "<div>", "[^1]",
    "[x]: http://a", "===", "    ", "\t",
)
WORDS = (
    "said", "told", "according to", "sources say", "may", "reportedly", "Reuters", "AP",
    "By", "Editor's note:", "originally appeared in", "Mayor", "Dr.", "Mr.", "U.S.", "2024",
    "Tuesday", "officials", "\u2014", "...", "\u2026", "https://example.com/a?b=c", "@user",
    "#tag", "Photo:", "(AP Photo/John Doe)", "Copyright", "Advertisement",
)
INJECT_PROBE = "<xss-probe onload=alert(1)>"


def _fragment(rng: random.Random) -> str:
    kind = rng.randrange(12)
    if kind == 0:
        return RTL * rng.randint(1, 5)
    if kind == 1:
        return rng.choice(BIDI) * rng.randint(1, 4)
    if kind == 2:
        return "".join(rng.choice(COMBINING) for _ in range(rng.randint(1, 60)))
    if kind == 3:
        return rng.choice(ZERO_WIDTH) * rng.randint(1, 20)
    if kind == 4:
        return "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 10)))
    if kind == 5:
        return "".join(rng.choice(CONTROL) for _ in range(rng.randint(1, 8)))
    if kind == 6:
        return rng.choice(SURROGATES)
    if kind == 7:
        return rng.choice(NEWLINES) * rng.randint(1, 4)
    if kind == 8:
        return rng.choice(QUOTES) * rng.randint(1, 3)
    if kind == 9:
        return rng.choice(HTML_BITS)
    if kind == 10:
        return rng.choice(MD_BITS)
    return " " + rng.choice(WORDS) + " "


# --- structural monsters -----------------------------------------------------------------


def nested_html(depth: int, tag: str = "div", close: bool = True) -> str:
    inner = "<p>Officials said the deal was done.</p>"
    if close:
        return f"<{tag}>" * depth + inner + f"</{tag}>" * depth
    return f"<{tag}>" * depth + inner


def nested_markdown(depth: int, rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return "> " * depth + "Quoted, said the mayor.\n"
    if kind == 1:
        return "".join("  " * i + "- item said\n" for i in range(depth))
    if kind == 2:
        return "*" * depth + "emphasis" + "*" * depth + "\n"
    return "[" * depth + "link" + "](x)" * depth + "\n"


def giant_attribute(size: int) -> str:
    return f'<html><body><p title="{"a" * size}" data-x=\'{"&quot;" * (size // 8)}\'>' \
        "Officials said it.</p></body></html>"


def long_line(size: int, rng: random.Random) -> str:
    unit = rng.choice(("word ", "said ", "a", "\u201cquote\u201d ", "x.", "Mr. ", " "))
    return "Headline\n\n" + unit * (size // len(unit)) + "\n"


def structural(rng: random.Random, max_size: int) -> str | bytes:
    kind = rng.randrange(8)
    if kind == 0:
        return nested_html(rng.choice((100, 100, 250, 1000)), rng.choice(("div", "b", "table",
                                                                          "ul", "blockquote")),
                           close=rng.random() < 0.5)
    if kind == 1:
        return "# Head\n\n" + nested_markdown(rng.choice((100, 100, 300)), rng)
    if kind == 2:
        return giant_attribute(min(max_size, rng.choice((10_000, 100_000, 1_000_000))))
    if kind == 3:
        return long_line(min(max_size, rng.choice((10_000, 100_000, 1_000_000))), rng)
    if kind == 4:  # unclosed tags everywhere
        return "<html><body>" + "".join(
            rng.choice(("<p>", "<div>", "<b>", "<a href=x>", "<li>", "<td>")) + "Text said. "
            for _ in range(rng.randint(10, 400)))
    if kind == 5:  # CR-only / mixed line endings through a whole article
        seed = SEEDS[rng.choice(tuple(SEEDS))]
        return "".join(rng.choice(NEWLINES) if c == "\n" else c for c in seed)
    if kind == 6:  # many tiny blocks
        return "\n\n".join(rng.choice(WORDS) for _ in range(rng.randint(50, 3000)))
    return SEEDS[rng.choice(tuple(SEEDS))] * rng.randint(2, 40)


# --- mutations -------------------------------------------------------------------------


def mutate_text(text: str, rng: random.Random, rounds: int) -> str:
    chars = text
    for _ in range(rounds):
        pos = rng.randint(0, len(chars))
        op = rng.randrange(6)
        if op <= 1:
            chars = chars[:pos] + _fragment(rng) + chars[pos:]
        elif op == 2 and chars:
            end = min(len(chars), pos + rng.randint(1, 40))
            chars = chars[:pos] + chars[end:]
        elif op == 3 and chars:
            end = min(len(chars), pos + rng.randint(1, 200))
            chars = chars[:pos] + chars[pos:end] * rng.randint(2, 6) + chars[pos:]
        elif op == 4:  # splice another seed in
            other = SEEDS[rng.choice(tuple(SEEDS))]
            a = rng.randint(0, len(other))
            chars = chars[:pos] + other[a : a + rng.randint(1, 300)] + chars[pos:]
        else:
            chars = chars[:pos] + INJECT_PROBE + chars[pos:]
    return chars


def mutate_bytes(data: bytes, rng: random.Random, rounds: int) -> bytes:
    buf = bytearray(data)
    for _ in range(rounds):
        pos = rng.randint(0, len(buf))
        op = rng.randrange(4)
        if op == 0:
            buf[pos:pos] = rng.choice(BAD_UTF8)
        elif op == 1 and buf:
            buf[min(pos, len(buf) - 1)] ^= 1 << rng.randrange(8)
        elif op == 2:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif buf:
            del buf[pos : pos + rng.randint(1, 16)]
    return bytes(buf)


def to_bytes(text: str, rng: random.Random) -> bytes:
    encoding = rng.choice(("utf-8", "utf-8", "utf-16", "utf-16-le", "latin-1", "cp1252",
                           "utf-8-sig", "koi8-r", "shift_jis"))
    return text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "replace")


def generate(rng: random.Random, max_size: int = 1_200_000) -> tuple[str | bytes, str | None]:
    """One hostile input and the format to claim for it (None: let the reader sniff)."""
    kind = rng.randrange(10)
    if kind == 0:
        source: str | bytes = structural(rng, max_size)
    elif kind == 1:
        source = bytes(rng.randrange(256) for _ in range(rng.randint(0, 600)))
    elif kind == 2:
        source = "".join(_fragment(rng) for _ in range(rng.randint(1, 80)))
    else:
        seed = SEEDS[rng.choice(tuple(SEEDS))]
        source = mutate_text(seed, rng, rng.randint(1, 25))
    if isinstance(source, str) and rng.random() < 0.3:
        source = mutate_bytes(to_bytes(source, rng), rng, rng.randint(0, 6))
    fmt = rng.choice((None, None, None, "html", "markdown", "text"))
    return source, fmt


# --- invariants ------------------------------------------------------------------------


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def check_report(report: dict[str, Any]) -> None:
    """Raise AssertionError unless ``report`` keeps the span and block invariants."""
    text = report["text"]
    assert isinstance(text, str)
    spans = 0
    for node in _walk({k: v for k, v in report.items() if k != "text"}):
        start, end = node.get("start"), node.get("end")
        if isinstance(start, int) and isinstance(end, int) and "text" in node:
            assert 0 <= start <= end <= len(text), f"span {start}..{end} outside text"
            assert node["text"] == text[start:end], (
                f"span {start}..{end} says {node['text']!r}, text has {text[start:end]!r}")
            spans += 1
    previous_end = 0
    for block in report["blocks"]:
        assert previous_end <= block["start"] <= block["end"] <= len(text), (
            f"block {block['start']}..{block['end']} overlaps or is out of order")
        previous_end = block["end"]


def check_html_escaped(html: str, report: dict[str, Any]) -> None:
    """Article content is data: the injected probe tag must never reach the page raw."""
    if INJECT_PROBE in report["text"] or INJECT_PROBE in str(report.get("meta")):
        assert "<xss-probe" not in html, "article text rendered unescaped into HTML"


Runner = Callable[[str | bytes, str | None], Any]
