"""Severity is earned: no finding outranks its kind's measured precision."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import newstrace
from newstrace.assess.severity import (
    THRESHOLDS,
    calibrate,
    earned,
    lower_bound,
    measured,
    precision_table,
)
from newstrace.data import SEVERITIES, Finding, Span

ROOT = Path(__file__).resolve().parents[1]
RANK = {s: i for i, s in enumerate(SEVERITIES)}


def test_thresholds_need_precision_and_enough_checks() -> None:
    # The lower end of a one-sided 90 % Wilson interval must clear the threshold.
    assert earned(60, 60) == "high" and lower_bound(60, 60) > 0.95
    assert earned(19, 20) == "low"  # 0.95 measured, but 20 checks cannot show ≥ 0.85
    assert earned(40, 40) == "high" and earned(38, 40) == "medium"
    assert earned(10, 11) == "low"  # 0.91 on 11: what the development fold once gave
    assert earned(6, 6) == "low"  # too few checked to mean much
    assert earned(0, 0) == "low"  # never measured
    assert lower_bound(13, 15) < 13 / 15 < lower_bound(130, 150) + 0.06
    assert THRESHOLDS["high"]["precision"] > THRESHOLDS["medium"]["precision"]


def test_unmeasured_kind_is_low_at_most_and_says_so() -> None:
    findings = [Finding("made_up_kind", "high", "x", [Span(0, 1)]),
                Finding("layout_repair", "info", "y", [Span(0, 1)])]
    calibrate(findings, {"kinds": {}})
    high, info = findings
    assert high.severity == "low" and high.attrs["proposed_severity"] == "high"
    assert high.attrs["certainty"]["precision"] is None
    assert "not yet measured" in high.attrs["certainty"]["in_words"].lower()
    assert info.severity == "info"  # a fact about the page accuses nobody


def test_measured_kind_keeps_what_it_earned_only() -> None:
    table = {"measured_on": "gold", "date": "2026-12-01",
             "kinds": {"k": {"high": {"confirmed": 38, "checked": 40},
                             "low": {"confirmed": 9, "checked": 9}}}}
    findings = [Finding("k", "high", "a"), Finding("k", "low", "b")]
    calibrate(findings, table)
    assert [f.severity for f in findings] == ["medium", "low"]  # never raised
    assert findings[0].attrs["certainty"]["precision"] == 0.95
    assert "38 of 40" in findings[0].attrs["certainty"]["in_words"]


def test_shipped_table_comes_from_the_development_fold() -> None:
    table = precision_table()
    assert table["kinds"], "resources/severity/precision.json is missing or empty"
    assert "dev fold" in table["measured_on"]  # never tuned on the report fold
    for kind, by_severity in table["kinds"].items():
        for proposed, entry in by_severity.items():
            assert proposed in SEVERITIES, kind
            assert 0 <= entry["confirmed"] <= entry["checked"], kind


ARTICLES = sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))[:4]


@pytest.mark.parametrize("path", [ROOT / "examples" / "germany-russia-coalition.md", *ARTICLES],
                         ids=lambda p: p.name)
def test_no_finding_outranks_its_measurement(path: Path) -> None:
    report = newstrace.analyze(path)
    table = precision_table()
    assert report.findings
    for finding in report.findings:
        proposed = finding.attrs["proposed_severity"]
        assert RANK[finding.severity] <= RANK[proposed]
        if proposed == "info":
            continue
        allowed = earned(*measured(finding.kind, proposed, table))
        assert RANK[finding.severity] <= RANK[allowed], (finding.kind, finding.severity)
        certainty = finding.to_dict(report.article.text)["certainty"]
        assert certainty["in_words"]


def test_quotation_over_several_sentences_keeps_its_speaker(shared_data: Path) -> None:
    """A Horne 2017 article: "“You know what will happen,” said Trump. “The media will …
    They did that in California … I don't care. Stacey will respond …”" — every sentence
    of the second quotation is Trump's, and none is the writer's unsourced claim."""
    sys.path.insert(0, str(ROOT / "bench"))
    import sourcing

    gold = next(g for g in sourcing.load_gold(shared_data / "sourcing-gold")
                if g.id == "h17-bf-11")
    result = sourcing.run_article(gold, shared_data, newstrace.Analyzer.default())
    rows = [r for r in result.rows if r.gold["speaker"] == "Donald Trump"
            and r.gold["label"] == "quote"]
    assert len(rows) >= 8
    assert all(r.status in sourcing.REPORT_SOURCED for r in rows)
    named = [r for r in rows if r.status == "attributed"]
    assert sum(sourcing.same_speaker(r.speaker, "Donald Trump") for r in named) >= 7
