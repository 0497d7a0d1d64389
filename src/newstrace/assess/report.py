"""Article → Report: run the finding rules and lay out the versioned JSON report.

Finding rules live one module per concern (``newstrace.assess.<module>``), each exposing
``RULES``: functions ``Article -> Iterable[Finding]``. A rule that needs a layer the
analyzer did not produce yields nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from newstrace.data import SCHEMA_VERSION, Article, Finding, Report, Span, _jsonable

#: Modules whose ``RULES`` are run, in this order, for every report.
RULE_MODULES: tuple[str, ...] = (
    "newstrace.assess.structure_rules",
    "newstrace.assess.sourcing_rules",
    "newstrace.assess.provenance_rules",
    "newstrace.assess.headline_rules",
)

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}

#: Report keys later layers fill; present (and empty) when their annotator did not run.
EMPTY_SECTIONS: dict[str, Any] = {
    "provenance": {"declared": [], "conflicts": []},
    "attributions": [],
    "claims": [],
    "entities": [],
    "outlets": [],
}


def _rules():
    for name in RULE_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real import error inside the module
                raise
            continue
        yield from module.RULES


def build_report(article: Article) -> Report:
    findings: list[Finding] = []
    for rule in _rules():
        findings.extend(rule(article))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], _first_offset(f)))
    return Report(article=article, findings=findings)


def _first_offset(finding: Finding) -> int:
    return min((s.start for s in finding.evidence), default=-1)


def headline_section(article: Article) -> dict[str, Any]:
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
    extra = article.results.get("headline") or {}
    base.update(_jsonable(extra, article.text))
    return base


def report_dict(report: Report) -> dict[str, Any]:
    article = report.article
    text = article.text
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": article.id,
        "source": article.source,
        "format": article.format,
        "meta": article.meta.to_dict(text),
        "headline": headline_section(article),
        "text": text,
        "blocks": [b.to_dict(text) for b in article.blocks],
        "findings": [f.to_dict(text) for f in report.findings],
    }
    for key, empty in EMPTY_SECTIONS.items():
        if key in article.results:
            out[key] = _jsonable(article.results[key], text)
        elif key in article.spans:
            out[key] = [s.to_dict(text) for s in article.spans[key]]
        else:
            out[key] = _jsonable(empty, text)
    for key, value in article.results.items():
        if key not in out and key != "headline":
            out[key] = _jsonable(value, text)
    out["errors"] = list(article.errors)
    return out


def evidence(article: Article, start: int, end: int) -> Span:
    """A span for a finding's evidence, trimmed of surrounding whitespace."""
    while start < end and article.text[start].isspace():
        start += 1
    while end > start and article.text[end - 1].isspace():
        end -= 1
    return Span(start, end)
