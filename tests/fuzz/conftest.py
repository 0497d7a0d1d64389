"""Fixtures for the property-based tests: one default Analyzer (spaCy loads once per
session), and the bounded hypothesis profile that keeps the whole fuzz suite fast."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# fuzzgen lives beside the tests (the campaign imports it too).
sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Bounded examples, no per-example deadline (a shared, loaded machine makes wall-clock
#: deadlines flaky), no database writes into the working tree.
settings.register_profile(
    "newstrace-fuzz",
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
)


@pytest.fixture(scope="session")
def analyzer():
    from newstrace import Analyzer, Settings

    return Analyzer.default(Settings())
