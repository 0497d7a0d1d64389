"""JSON rendering of a report dict (docs/report-schema.md)."""

from __future__ import annotations

import json
from typing import Any


def render_json(report: dict[str, Any]) -> str:
    # ensure_ascii=False keeps article text readable; JSON escaping keeps it safe.
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
