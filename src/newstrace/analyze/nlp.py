"""The one spaCy parse of an article, shared by every later annotator.

One ``Doc`` is built over the whole ``Article.text`` so that token offsets *are* article
offsets (no mapping tables). Text outside the analysed blocks (boilerplate, navigation,
bylines…) is blanked to spaces before parsing: offsets stay the same, the blanks become a
few cheap whitespace tokens, and the parser never reads page furniture. A small
component before the parser marks the first token of every block as a sentence start,
so no sentence crosses a block boundary (the parser respects preset boundaries).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from newstrace.analyze.base import BaseAnnotator
from newstrace.analyze.quotations import plain_marks
from newstrace.config import Settings
from newstrace.data import Article, Span
from newstrace.errors import ResourceMissing

#: Block roles whose text is parsed. Captions and credits are parsed because they carry
#: attributions and cited media ("© <agency>"); claims decide separately which roles
#: they classify.
ANALYSED_ROLES: frozenset[str] = frozenset(
    {"headline", "dek", "body", "editor_note", "caption", "credit"}
)

_BOUNDARY_COMPONENT = "newstrace_block_starts"

#: The pipelines loaded for the Analyzer being built (see :func:`model_scope`). Never a
#: process-wide cache: two Analyzers must not share a ``Language``, whose vocabulary
#: ``memory_zone`` changes and which is not safe to call from two threads at once.
_SCOPE: ContextVar[dict[str, Any] | None] = ContextVar("newstrace_models", default=None)


@contextlib.contextmanager
def model_scope() -> Iterator[None]:
    """Pipelines loaded inside are shared by the annotators built inside (one Analyzer's
    parse and headline audit) and by nothing else."""
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def _register_component() -> None:
    from spacy.language import Language

    if Language.has_factory(_BOUNDARY_COMPONENT):
        return

    @Language.component(_BOUNDARY_COMPONENT)
    def block_starts(doc: Any) -> Any:
        # Offsets of block starts travel in doc.user_data (set by the annotator below).
        starts = doc.user_data.get("newstrace_block_starts", ())
        if not starts:
            return doc
        wanted = sorted(starts)
        i = 0
        for token in doc:
            while i < len(wanted) and wanted[i] < token.idx:
                i += 1
            if i < len(wanted) and token.idx >= wanted[i] and not token.is_space:
                if token.i > 0:
                    token.is_sent_start = True
                i += 1
            elif token.i > 0 and doc[token.i - 1].is_alpha and token.is_alpha \
                    and token.is_sent_start is None:
                # A word right after a word, no stop between, opens no sentence: the
                # parser otherwise cuts an unknown given name from its surname at a
                # paragraph's start ("Saeb | Erekat said …").
                token.is_sent_start = False
        return doc


def _split_glued_quotes(nlp: Any) -> None:
    """Split punctuation glued to an opening quotation mark ("said,“Look"): web text
    often drops the space, and the default tokenizer then makes one token of it."""
    from spacy.util import compile_infix_regex

    extra = [r"(?<=[\w\)])[,:;](?=[“‘\"])", r"(?<=[,:;])[“‘\"](?=\w)"]
    infixes = list(nlp.Defaults.infixes or []) + extra
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def load_model(name: str) -> Any:
    """The spaCy pipeline ``name`` with the block-start component: loaded afresh, or the
    one already loaded for the Analyzer being built (:func:`model_scope`)."""
    scope = _SCOPE.get()
    if scope is not None and name in scope:
        return scope[name]
    nlp = _load(name)
    if scope is not None:
        scope[name] = nlp
    return nlp


def _load(name: str) -> Any:
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a core dependency
        raise ResourceMissing("spaCy is not installed (pip install spacy)") from exc
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ResourceMissing(
            f"spaCy model {name!r} is not installed; install it with "
            f"`pip install {name.replace('_', '-')}` or set spacy_model to an installed "
            "pipeline",
            model=name,
        ) from exc
    _register_component()
    _split_glued_quotes(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(_BOUNDARY_COMPONENT, before="parser")
    return nlp


def analysed_ranges(article: Article) -> list[tuple[int, int, str]]:
    """(start, end, role) of the blocks that are parsed; the whole text as body if none."""
    if not article.blocks:
        return [(0, len(article.text), "body")]
    return [(b.start, b.end, b.role) for b in article.blocks if b.role in ANALYSED_ROLES]


def _blank(piece: str) -> str:
    # Line breaks survive: later rules read paragraph ends from the parse.
    return "".join("\n" if c == "\n" else " " for c in piece)


def masked_text(text: str, ranges: list[tuple[int, int, str]]) -> str:
    """``text`` with everything outside ``ranges`` blanked (same length; line breaks
    kept, every other character a space)."""
    parts: list[str] = []
    pos = 0
    for start, end, _ in sorted(ranges):
        if start > pos:
            parts.append(_blank(text[pos:start]))
        parts.append(text[max(start, pos) : end])
        pos = max(pos, end)
    if pos < len(text):
        parts.append(_blank(text[pos:]))
    return "".join(parts)


class NlpAnnotator(BaseAnnotator):
    name = "nlp"
    requires = ("text", "blocks")
    assigns = ("doc", "spans.sentences")

    def __init__(self, settings: Settings) -> None:
        self.nlp = load_model(settings.spacy_model)

    def parse(self, article: Article) -> Any:
        ranges = analysed_ranges(article)
        # Typewriter marks ('' … '') parse as the quotation marks they stand for.
        doc = self.nlp.make_doc(plain_marks(masked_text(article.text, ranges)))
        doc.user_data["newstrace_block_starts"] = [start for start, _, _ in ranges]
        for _, proc in self.nlp.pipeline:
            doc = proc(doc)
        return doc

    def __call__(self, article: Article) -> Article:
        doc = self.parse(article)
        article.cache["doc"] = doc
        ranges = analysed_ranges(article)
        sentences: list[Span] = []
        parsed = doc.text  # blanks outside the analysed blocks, same offsets
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while start < end and parsed[start].isspace():
                start += 1
            while end > start and parsed[end - 1].isspace():
                end -= 1
            if start == end:
                continue
            role = next((r for s, e, r in ranges if s <= start < e), None)
            if role is None:
                continue
            if (
                sentences
                and not any(c.isalnum() for c in parsed[start:end])
                and article.block_at(sentences[-1].start) is article.block_at(start)
            ):
                # A closing quotation mark or bracket the parser left on its own
                # belongs to the sentence it closes.
                sentences[-1].end = end
                continue
            sentences.append(Span(start, end, "sentence", {"role": role}))
        article.set_layer("sentences", sentences)
        return article


def build(settings: Settings) -> NlpAnnotator:
    return NlpAnnotator(settings)
