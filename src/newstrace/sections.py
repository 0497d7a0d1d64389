"""The report's sections, each declared once.

A :class:`Section` says everything the rest of the code needs to know about one top-level
key of the JSON report (docs/report-schema.md): which layer fills it, which finding rules
read it, its JSON schema fragment, how the terminal, the HTML report and the service page
show it, and which corpus columns and tables keep it (with the row writer and row reader in
:mod:`newstrace.corpus.rows`). The report layout (:func:`newstrace.assess.report.report_dict`),
the finding rules (:func:`newstrace.assess.report.build_report`), the terminal renderer, the
HTML report (:func:`newstrace.render.html.render_html`), the service page
(:func:`newstrace.service.report_view.sections`), the corpus tables
(:mod:`newstrace.corpus.tables`) and the service's read-back from them
(:func:`newstrace.service.corpus_store.report_from_rows`) iterate :data:`SECTIONS`; none
lists sections itself.

Adding a section is one declaration here, its annotator (in ``analyze/registry.py``) and
its rules. What a declaration leaves out has a generic default: a section that names no
terminal renderer or HTML view is shown as a table of its items (a list of objects) or
fields (an object) in both; one that declares corpus columns and tables but no row writer
or reader has its rows written and read from those columns (:func:`newstrace.corpus.rows.
write_columns`). ``terminal=()`` or ``html=()`` says a section is shown by none.

Rules, renderers and row functions are named as ``"module:function"`` strings, resolved
when used, so that this module imports nothing above ``data``: the rule modules and
renderers themselves import the report layout, which imports this.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from importlib import import_module
from typing import Any

from newstrace.analyze.registry import DEFAULT_ORDER
from newstrace.data import SEVERITIES, Article, Finding, _jsonable

#: Layers in the order they run: reading, structure, the annotators in registry order,
#: assessment, tracing. Finding rules run in this order (ties in the finding sort keep it).
LAYERS: tuple[str, ...] = (
    "read",
    "structure",
    *(module.removeprefix("newstrace.") for module, _ in DEFAULT_ORDER),
    "assess",
    "trace",
)

#: Column types of the corpus tables, by name (mapped to Arrow types in corpus/tables.py,
#: so that laying out a report needs no pyarrow).
COLUMN_TYPES: tuple[str, ...] = ("str", "int", "float", "bool", "list[str]")

Columns = tuple[tuple[str, str], ...]

#: A renderer as the report loops call it: the report dict in, a fragment or renderable out.
Renderer = Callable[[Mapping[str, Any]], Any]

#: Where the generic renderers place a section that names none: in the terminal, after the
#: names and before the findings; in the HTML report, after "No source" and before the
#: article drawn with its layers (the reading aids stay last).
GENERIC_TERMINAL_POSITION = 95
GENERIC_HTML_POSITION = 75
_ROWS = "newstrace.corpus.rows"
_TERM = "newstrace.render.text"
_HTML = "newstrace.render.html"
_PAGE = "newstrace.service.report_view"
_GENERIC_TERMINAL = f"{_TERM}:section_table"
_GENERIC_HTML = f"{_HTML}:section_fragment"


@dataclass(frozen=True, slots=True)
class Table:
    """A corpus child table: its columns after ``article_id``, and its read-back order."""

    name: str
    columns: Columns
    order_by: str = "idx"


@dataclass(frozen=True, slots=True)
class View:
    """One part of the HTML report and of the service page: a ``<section id=anchor>``
    fragment, its link in the page's navigation, and its place among the others."""

    position: int
    anchor: str
    #: The navigation link's words.
    label: str
    #: "module:function": report → escaped HTML fragment ("" when there is nothing to show).
    html: str
    #: The service page's renderer where the page shows more than the file (findings with
    #: copy buttons, the provenance diagram); the page uses ``html`` otherwise.
    page: str | None = None
    #: Set for a generic view: the section key its renderer is called with (and the label).
    section: str | None = None

    def renderer(self, page: bool = False) -> Renderer:
        """The fragment function, for the HTML report or (``page``) the service page."""
        function = resolve(self.page if page and self.page else self.html)
        if self.section is None:
            return function
        return partial(function, key=self.section, title=self.label)


@dataclass(frozen=True, slots=True)
class Section:
    """One top-level key of the report, declared once."""

    key: str
    #: The layer that fills it (one of :data:`LAYERS`).
    layer: str
    #: Where the annotator leaves it on the Article (``results`` first, then ``spans``),
    #: when ``build`` is not given.
    empty: Any = None
    #: Lays the section out from the article and the findings instead (meta, text, …).
    build: Callable[[Article, list[Finding]], Any] | None = None
    #: Absent from the report (not empty) when no layer filled it.
    optional: bool = False
    #: Finding-rule modules whose ``RULES`` read this section.
    rules: tuple[str, ...] = ()
    #: JSON schema fragment of the section's value.
    schema: Mapping[str, Any] = field(default_factory=dict)
    #: (position in the terminal report, "module:function" returning a rich renderable);
    #: None: the generic table of the section's items.
    terminal: tuple[tuple[int, str], ...] | None = None
    #: Its parts of the HTML report and the service page; None: one generic part.
    html: tuple[View, ...] | None = None
    #: The heading and navigation label the generic renderers give it (default: the key).
    title: str = ""
    #: Columns this section adds to the corpus ``articles`` table.
    columns: Columns = ()
    #: Corpus child tables that keep the section's items.
    tables: tuple[Table, ...] = ()
    #: "module:function" writing the section's corpus rows, and reading them back.
    write: str | None = None
    read: str | None = None
    #: Item keys the corpus tables do not keep (docs/corpus-schema.md, "What a report
    #: read back from the tables lacks"); everything else comes back equal.
    corpus_lost: tuple[str, ...] = ()

    def value(self, article: Article, findings: list[Finding]) -> Any:
        """The section's report value (``None`` when optional and not filled)."""
        if self.build is not None:
            return self.build(article, findings)
        if self.key in article.results:
            return _jsonable(article.results[self.key], article.text)
        if self.key in article.spans:
            return [s.to_dict(article.text) for s in article.spans[self.key]]
        return None if self.optional else _jsonable(self.empty, article.text)

    @property
    def heading(self) -> str:
        return self.title or self.key.replace("_", " ").capitalize()

    def terminal_renderers(self) -> tuple[tuple[int, Renderer], ...]:
        """(position, renderer) of each of its terminal renderers, declared or generic."""
        if self.terminal is None:
            generic = partial(resolve(_GENERIC_TERMINAL), key=self.key, title=self.heading)
            return ((GENERIC_TERMINAL_POSITION, generic),)
        return tuple((position, resolve(name)) for position, name in self.terminal)

    def views(self) -> tuple[View, ...]:
        """Its parts of the HTML report and the page, declared or generic."""
        if self.html is None:
            position, key = GENERIC_HTML_POSITION, self.key
            return (View(position, key, self.heading, _GENERIC_HTML, section=key),)
        return self.html

    def writer(self) -> Callable[[Any, Mapping[str, Any]], Any] | None:
        """(value, report) → corpus rows: the declared writer, the generic one when the
        section declares columns or tables but no writer, else None (not in the corpus)."""
        if self.write is not None:
            return resolve(self.write)
        if self.columns or self.tables:
            return partial(resolve(f"{_ROWS}:write_columns"), section=self)
        return None

    def reader(self) -> Callable[[Mapping[str, Any], Mapping[str, list], str], Any] | None:
        """(article row, child rows, text) → the section's value; declared, generic or None."""
        if self.read is not None:
            return resolve(self.read)
        if self.columns or self.tables:
            return partial(resolve(f"{_ROWS}:read_columns"), section=self)
        return None


@cache
def resolve(name: str) -> Callable[..., Any]:
    """The function a ``"module:function"`` string names (an import error is an error:
    a module missing from a build must not quietly give a smaller report)."""
    module, _, function = name.partition(":")
    return getattr(import_module(module), function)


def _columns(spec: str) -> Columns:
    """``"idx:int text start:int"`` → ((name, type), …); a column without a type is a string."""
    return tuple(
        (name, kind or "str") for name, _, kind in (word.partition(":") for word in spec.split())
    )


def _span(nullable: bool = False) -> dict[str, Any]:
    span = {
        "type": "object",
        "required": ["text", "start", "end"],
        "properties": {
            "text": {"type": "string"},
            "start": {"type": "integer"},
            "end": {"type": "integer"},
        },
    }
    return {"anyOf": [span, {"type": "null"}]} if nullable else span


def _items(required: list[str], **properties: Any) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "object", "required": required, "properties": properties},
    }


_STR = {"type": ["string", "null"]}
_INT = {"type": ["integer", "null"]}


def _meta(article: Article, findings: list[Finding]) -> Any:
    return article.meta.to_dict(article.text)


def _headline(article: Article, findings: list[Finding]) -> Any:
    block = article.headline
    base: dict[str, Any]
    if block is None:
        base = {"text": None, "start": None, "end": None, "is_question": False}
    else:
        text = block.text_of(article.text)
        base = {
            "text": text,
            "start": block.start,
            "end": block.end,
            "is_question": text.rstrip().endswith("?"),
        }
    base.update(_jsonable(article.results.get("headline") or {}, article.text))
    return base


def _text(article: Article, findings: list[Finding]) -> Any:
    return article.text


def _blocks(article: Article, findings: list[Finding]) -> Any:
    return [b.to_dict(article.text) for b in article.blocks]


def _findings(article: Article, findings: list[Finding]) -> Any:
    return [f.to_dict(article.text) for f in findings]


def _errors(article: Article, findings: list[Finding]) -> Any:
    return list(article.errors)


#: The report's sections in report order (the JSON key order).
SECTIONS: tuple[Section, ...] = (
    Section(
        "meta",
        "structure",
        build=_meta,
        schema={
            "type": "object",
            "required": ["title", "authors", "published", "publisher", "domain", "url"],
            "properties": {"authors": {"type": "array", "items": {"type": "string"}}},
        },
        terminal=((0, f"{_TERM}:header_panel"),),
        html=(),  # the HTML report's and the page's own header (title, byline, outlet)
        columns=_columns("title authors:list[str] published publisher domain url language"),
        write=f"{_ROWS}:write_meta",
        read=f"{_ROWS}:read_meta",
        corpus_lost=("evidence",),
    ),
    Section(
        "headline",
        "analyze.headline",
        build=_headline,
        rules=("newstrace.assess.headline_rules",),
        schema={
            "type": "object",
            "required": ["text", "start", "end", "is_question"],
            "properties": {"text": _STR, "start": _INT, "end": _INT},
        },
        terminal=((50, f"{_TERM}:headline_table"),),
        html=(View(50, "headline", "Headline", f"{_HTML}:headline_section"),),
        columns=_columns(
            "headline headline_start:int headline_end:int headline_is_question:bool "
            "headline_stance headline_stance_probability:float"
        ),
        write=f"{_ROWS}:write_headline",
        read=f"{_ROWS}:read_headline",
        # stance keeps label and probability (not the four probabilities); clauses: [].
        corpus_lost=("question_form", "clauses", "loaded_terms", "stance"),
    ),
    Section(
        "text",
        "read",
        build=_text,
        schema={"type": "string"},
        terminal=(),
        html=(),  # drawn block by block, with every layer, in the blocks' "article" view
        columns=_columns("text n_chars:int"),
        write=f"{_ROWS}:write_text",
        read=f"{_ROWS}:read_text",
    ),
    Section(
        "blocks",
        "structure",
        build=_blocks,
        rules=("newstrace.assess.structure_rules",),
        schema=_items(
            ["role", "text", "start", "end"], role={"type": "string"}, start={"type": "integer"}
        ),
        terminal=((10, f"{_TERM}:structure_table"),),
        html=(View(80, "article", "Article", f"{_HTML}:article_section"),),
        columns=_columns("body n_blocks:int n_body_blocks:int"),
        tables=(
            Table(
                "blocks",
                _columns("idx:int role start:int end:int text"),
            ),
        ),
        write=f"{_ROWS}:write_blocks",
        read=f"{_ROWS}:read_blocks",
        # the readers' hints: emphasis, heading_level, outlet, date, names, note kinds …
        corpus_lost=("*hints",),
    ),
    Section(
        "findings",
        "assess",
        build=_findings,
        schema=_items(
            ["kind", "severity", "message", "evidence"],
            severity={"enum": list(SEVERITIES)},
            evidence={"type": "array", "minItems": 1, "items": _span()},
        ),
        terminal=((100, f"{_TERM}:findings_table"),),
        # The verdict first and the glossary of the findings' words last, around the rest.
        html=(
            View(0, "summary", "Summary", f"{_HTML}:summary_section"),
            View(
                10, "findings", "Findings", f"{_HTML}:findings_section", f"{_PAGE}:findings_part"
            ),
            View(90, "glossary", "Words", f"{_HTML}:glossary_section"),
        ),
        columns=_columns("n_findings:int max_severity"),
        tables=(
            Table(
                "findings",
                _columns(
                    "idx:int kind severity message evidence_text evidence_start:int "
                    "evidence_end:int n_evidence:int"
                ),
            ),
        ),
        write=f"{_ROWS}:write_findings",
        read=f"{_ROWS}:read_findings",
        # evidence keeps its first span; the kind's extra keys are not kept.
        corpus_lost=("evidence", "*extras"),
    ),
    Section(
        "provenance",
        "analyze.provenance",
        empty={"declared": [], "conflicts": []},
        rules=("newstrace.assess.provenance_rules",),
        schema={
            "type": "object",
            "required": ["declared", "conflicts"],
            "properties": {
                "declared": _items(["order", "outlet", "role", "evidence"], evidence=_span(True))
            },
        },
        terminal=((20, f"{_TERM}:provenance_table"),),
        html=(
            View(
                20,
                "provenance",
                "Provenance",
                f"{_HTML}:provenance_section",
                f"{_PAGE}:provenance_part",
            ),
        ),
        columns=_columns("n_provenance:int n_provenance_conflicts:int"),
        tables=(
            Table(
                "provenance",
                _columns(
                    "order:int outlet domain role person language date evidence_text "
                    "evidence_start:int evidence_end:int"
                ),
                order_by="order",
            ),
        ),
        write=f"{_ROWS}:write_provenance",
        read=f"{_ROWS}:read_provenance",
        # declared links keep person as its name; conflicts come back as [].
        corpus_lost=(
            "statements",
            "conflicts",
            "added_sections",
            "original_title",
            "rights_holders",
            "declared.written_as",
            "declared.language_basis",
            "declared.translated_from",
            "declared.statements",
            "declared.supporting",
            "declared.person",
        ),
    ),
    Section(
        "attributions",
        "analyze.attribution",
        empty=[],
        schema=_items(
            ["text", "start", "end", "source", "cue", "content", "speaker", "direct"],
            source=_span(True),
            cue=_span(True),
            content=_span(True),
        ),
        terminal=((60, f"{_TERM}:attributions_table"),),
        html=(View(60, "attributions", "Who said what", f"{_HTML}:attributions_section"),),
        columns=_columns("n_attributions:int"),
        tables=(
            Table(
                "attributions",
                _columns(
                    "idx:int text start:int end:int source source_start:int source_end:int cue "
                    "cue_start:int cue_end:int content content_start:int content_end:int "
                    "speaker speaker_kind direct:bool medium time role belief:bool "
                    "stance:bool continues:int"
                ),
            ),
        ),
        # written by the generic writer: every column is the item's key of that name
        read=f"{_ROWS}:read_attributions",
        corpus_lost=(
            "label",
            "medium_span",
            "place",
            "chain",
            "referent",
            "affiliation",
        ),
    ),
    Section(
        "claims",
        "analyze.claims",
        empty=[],
        rules=("newstrace.assess.sourcing_rules",),
        schema=_items(
            ["text", "start", "end", "status", "attribution"],
            status={"enum": ["attributed", "unsourced", "hedged", "question", "opinion", "quoted"]},
            attribution=_INT,
            hedge=_span(True),
        ),
        terminal=((70, f"{_TERM}:claims_table"), (80, f"{_TERM}:checkworthy_table")),
        html=(View(70, "claims", "No source", f"{_HTML}:unsourced_section"),),
        columns=_columns("n_claims:int n_unsourced_claims:int"),
        tables=(
            Table(
                "claims",
                _columns(
                    "idx:int text start:int end:int role status attribution_idx:int hedge "
                    "hedge_start:int hedge_end:int loaded_terms:list[str] checkworthy:bool"
                ),
            ),
        ),
        write=f"{_ROWS}:write_claims",
        read=f"{_ROWS}:read_claims",
        # loaded_terms are kept as words only (they come back as []).
        corpus_lost=(
            "label",
            "loaded_terms",
            "opinion_terms",
            "numbers",
            "checkworthiness",
            "quoted",
        ),
    ),
    Section(
        "entities",
        "analyze.entities",
        empty=[],
        schema=_items(["name", "label", "variants", "mentions"]),
        terminal=((90, f"{_TERM}:names_table"),),
        html=(),
        columns=_columns("n_entities:int"),
        tables=(
            Table(
                "entities",
                _columns(
                    "idx:int name label variants:list[str] inconsistent_spelling:bool "
                    "n_mentions:int"
                ),
            ),
        ),
        write=f"{_ROWS}:write_entities",
        read=f"{_ROWS}:read_entities",
        corpus_lost=("mentions", "titles"),
    ),
    Section(
        "outlets",
        "analyze.outlets",
        empty=[],
        schema=_items(["name", "domain", "roles", "band", "ratings"]),
        terminal=((40, f"{_TERM}:outlets_table"),),
        html=(View(40, "outlets", "Outlets", f"{_HTML}:outlets_section"),),
        columns=_columns("n_outlets:int"),
        tables=(
            Table(
                "outlets",
                _columns("idx:int name domain roles:list[str] band n_ratings:int"),
            ),
            Table(
                "ratings",
                _columns(
                    "outlet_idx:int outlet_domain source value:float value_text scale label "
                    "date imputed:bool"
                ),
                order_by="outlet_idx",
            ),
        ),
        write=f"{_ROWS}:write_outlets",
        read=f"{_ROWS}:read_outlets",
        corpus_lost=(
            "written_as",
            "mentions",
            "country",
            "language",
            "table_source",
            "rated_as",
            "band_basis",
            "ratings.list",
            "ratings.verdict",
            "ratings.detail",
        ),
    ),
    Section(
        "outlets_note",
        "analyze.outlets",
        optional=True,
        schema={"type": "string"},
        # Said by the findings that read it (the ratings that could not be read).
        terminal=(),
        html=(),
    ),
    Section(
        "copies",
        "trace",
        optional=True,
        schema={"type": "object", "required": ["index", "origin", "copies", "partial"]},
        terminal=((30, f"{_TERM}:copies_table"),),
        html=(View(30, "copies", "Copies", f"{_HTML}:copies_section"),),
    ),
    Section(
        "errors",
        "assess",
        build=_errors,
        schema={"type": "array", "items": {"type": "string"}},
        terminal=((110, f"{_TERM}:error_notes"),),
        html=(),
        columns=_columns("errors:list[str]"),
        write=f"{_ROWS}:write_errors",
        read=f"{_ROWS}:read_errors",
    ),
)

BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}


def rule_modules() -> tuple[str, ...]:
    """Every section's finding-rule modules, in layer order."""
    ordered = sorted(SECTIONS, key=lambda s: LAYERS.index(s.layer))
    return tuple(module for s in ordered for module in s.rules)


def _ordered(pairs: list[tuple[int, Any]]) -> list[Any]:
    """The items by position; equal positions keep declaration order."""
    return [item for _, item in sorted(pairs, key=lambda pair: pair[0])]


def terminal_renderers() -> list[Renderer]:
    """The terminal report's renderers in display order."""
    return _ordered([t for s in SECTIONS for t in s.terminal_renderers()])


def views() -> list[View]:
    """The parts of the HTML report and the service page, in page order."""
    return _ordered([(v.position, v) for s in SECTIONS for v in s.views()])


def report_schema() -> dict[str, Any]:
    """The JSON schema of the whole report, assembled from the sections' fragments."""
    properties: dict[str, Any] = {
        "schema_version": {"type": "string"},
        "id": {"type": "string"},
        "source": _STR,
        "format": _STR,
    }
    properties |= {s.key: dict(s.schema) for s in SECTIONS}
    required = [*list(properties)[:4], *(s.key for s in SECTIONS if not s.optional)]
    return {"type": "object", "required": required, "properties": properties}
