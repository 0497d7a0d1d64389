"""Article → Report: run the finding rules and lay out the versioned JSON report.

Finding rules live one module per concern (``newstrace.assess.<module>``), each exposing
``RULES``: functions ``Article -> Iterable[Finding]``; which modules run, and the report's
keys in order, come from the section declarations (:mod:`newstrace.sections`). A rule
that needs a layer the analyzer did not produce yields nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from newstrace.assess.severity import calibrate
from newstrace.data import SCHEMA_VERSION, SEVERITIES, Article, Finding, Span, _jsonable
from newstrace.sections import SECTIONS, rule_modules

Rule = Callable[[Article], Iterable[Finding]]

#: Most severe first: the report lists findings in this order, then in text order.
_SEVERITY_RANK = {name: len(SEVERITIES) - i for i, name in enumerate(SEVERITIES)}


@dataclass(slots=True)
class Report:
    """The reading of one article: the analysed article plus its findings."""

    article: Article
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return report_dict(self)


def rules() -> Iterator[Rule]:
    """Every rule of every section's rule modules (importing a missing one is an error:
    a module left out of a build must not quietly give fewer findings)."""
    for name in rule_modules():
        yield from import_module(name).RULES


def build_report(article: Article) -> Report:
    findings: list[Finding] = []
    for rule in rules():
        findings.extend(rule(article))
    calibrate(findings)
    findings.sort(key=lambda f: (_SEVERITY_RANK[f.severity], _first_offset(f)))
    return Report(article=article, findings=findings)


def _first_offset(finding: Finding) -> int:
    return min((s.start for s in finding.evidence), default=-1)


def report_dict(report: Report) -> dict[str, Any]:
    article = report.article
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": article.id,
        "source": article.source,
        "format": article.format,
    }
    for section in SECTIONS:
        value = section.value(article, report.findings)
        if value is not None or not section.optional:
            out[section.key] = value
    # Results no section declares yet still reach the report rather than vanish.
    for key, value in article.results.items():
        if key not in out and key != "headline":
            out[key] = _jsonable(value, article.text)
    return out


def evidence(article: Article, start: int, end: int) -> Span:
    """A span for a finding's evidence, trimmed of surrounding whitespace."""
    while start < end and article.text[start].isspace():
        start += 1
    while end > start and article.text[end - 1].isspace():
        end -= 1
    return Span(start, end)
