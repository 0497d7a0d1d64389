"""Severity that is earned: every finding's severity is capped by its kind's measured precision.

A rule proposes a severity; the report shows the lower of that and what the kind has earned
on labelled real articles (``resources/severity/precision.json``, written by
``bench/sourcing.py --fold dev --write-precision`` from the sourcing gold's development
fold). ``high`` needs a measured precision of at least 0.95 over at least 20 checked
findings, ``medium`` at least 0.85 over at least 7 — as the lower end of a one-sided 90 %
Wilson interval, so a handful of lucky checks earns nothing; a kind the labels cannot
check, or one checked too rarely, is ``low`` at most. ``info`` findings state facts about the page
(a repaired layout, a disclaimer) and accuse nobody, so they stay ``info``.

Each finding also gets ``certainty``: the precision it was capped by and the same in
words a reader understands.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

from newstrace.data import SEVERITIES, Finding

PRECISION_FILE = Path(__file__).resolve().parents[1] / "resources" / "severity" / "precision.json"

#: The least precision, and the least number of checked findings, each severity needs.
THRESHOLDS: dict[str, dict[str, float]] = {
    "high": {"precision": 0.95, "checked": 20},
    "medium": {"precision": 0.85, "checked": 7},
}

_RANK = {name: i for i, name in enumerate(SEVERITIES)}


@cache
def precision_table(path: Path = PRECISION_FILE) -> dict[str, Any]:
    """The measured table; an absent file means nothing is measured (everything low)."""
    if not path.is_file():
        return {"kinds": {}, "measured_on": None, "date": None}
    return json.loads(path.read_text(encoding="utf-8"))


def measured(kind: str, proposed: str, table: dict[str, Any]) -> tuple[int, int]:
    """(confirmed, checked) for findings of ``kind`` that rules proposed at ``proposed``.

    Where that severity was never checked the kind's findings at every severity are pooled:
    a kind measured as a whole is better evidence than none.
    """
    by_severity = table.get("kinds", {}).get(kind) or {}
    entry = by_severity.get(proposed)
    if entry and entry.get("checked"):
        return int(entry["confirmed"]), int(entry["checked"])
    ok = sum(int(e.get("confirmed", 0)) for e in by_severity.values())
    n = sum(int(e.get("checked", 0)) for e in by_severity.values())
    return ok, n


#: One-sided 90 % confidence: a kind earns a severity when the lower end of the Wilson
#: interval of its measured precision clears the threshold, not its point estimate —
#: 10 of 11 right on the development fold (0.91) was 0.75 on the report fold.
_Z = 1.2816


def lower_bound(confirmed: int, checked: int) -> float:
    """The Wilson score interval's lower end for ``confirmed`` out of ``checked``."""
    if not checked:
        return 0.0
    p, n, z2 = confirmed / checked, checked, _Z * _Z
    centre = p + z2 / (2 * n)
    margin = _Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return (centre - margin) / (1 + z2 / n)


def earned(confirmed: int, checked: int) -> str:
    """The highest severity a measurement of ``confirmed`` out of ``checked`` earns."""
    for severity in ("high", "medium"):
        need = THRESHOLDS[severity]
        if checked >= need["checked"] and lower_bound(confirmed, checked) >= need["precision"]:
            return severity
    return "low"


def in_words(confirmed: int, checked: int) -> str:
    if not checked:
        return ("Not yet measured against labelled articles: a pointer to check, "
                "not a verdict.")
    share = confirmed / checked
    if share >= 0.95:
        verdict = "Reliable"
    elif share >= 0.85:
        verdict = "Usually right"
    elif share >= 0.6:
        verdict = "Often wrong: check it before relying on it"
    else:
        verdict = "More often wrong than right: read it as a question, not a finding"
    return (f"{verdict}. On labelled real articles, {confirmed} of {checked} findings of "
            f"this kind ({round(100 * share)} %) were confirmed.")


def calibrate(findings: list[Finding], table: dict[str, Any] | None = None) -> None:
    """Cap each finding's severity by its measurement and say how sure it is (in place)."""
    table = precision_table() if table is None else table
    source = table.get("measured_on")
    if source and table.get("date"):
        source = f"{source}, {table['date']}"
    for finding in findings:
        proposed = finding.severity
        ok, n = measured(finding.kind, proposed, table)
        if proposed != "info":
            cap = earned(ok, n)
            finding.severity = min(proposed, cap, key=_RANK.__getitem__)
        finding.attrs["proposed_severity"] = proposed
        finding.attrs["certainty"] = {
            "precision": round(ok / n, 3) if n else None,
            "checked": n,
            "measured_on": source if n else None,
            "in_words": in_words(ok, n) if proposed != "info"
            else "A fact about the page, not an accusation.",
        }
