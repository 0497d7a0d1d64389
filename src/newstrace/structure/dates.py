"""Calendar dates written out in text ("September 18, 2015", "14 September 2015",
"2015-09-18", "Sept. 18th, 2015"), as ISO dates with their offsets."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<{n}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{n}>(?:19|20)\d\d)"
_DATE = re.compile(
    "|".join(
        (
            rf"\b{_MONTH.format(n='m1')}\s+{_DAY.format(n='d1')},?\s+{_YEAR.format(n='y1')}\b",
            rf"\b{_DAY.format(n='d2')}\s+(?:of\s+)?{_MONTH.format(n='m2')},?\s+{_YEAR.format(n='y2')}\b",
            rf"\b{_YEAR.format(n='y3')}-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)\b",
            rf"\b{_YEAR.format(n='y4')}/(?P<m4>[01]?\d)/(?P<d4>[0-3]?\d)\b",
        )
    ),
    re.I,
)


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every valid date in ``text`` as (start, end, ISO date)."""
    found = []
    for match in _DATE.finditer(text):
        groups = match.groupdict()
        for n in "1234":
            if groups.get(f"y{n}"):
                year = int(groups[f"y{n}"])
                month_raw = groups[f"m{n}"]
                month = (
                    int(month_raw) if month_raw.isdigit() else _MONTHS[month_raw[:3].lower()]
                )
                day = int(groups[f"d{n}"])
                break
        else:  # pragma: no cover - the pattern always fills one group set
            continue
        try:
            iso = date(year, month, day).isoformat()
        except ValueError:
            continue
        found.append((match.start(), match.end(), iso))
    return found
