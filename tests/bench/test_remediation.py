"""The remediation pairs of `make bench` (bench/remediation/): each 'after' model checks clean, and the
remediation closes or lowers most of the 'before' model's unresolved critical and high findings."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pytest

from tmdiag import pipeline

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH / "children"))
PAIRS = sorted({p.name.split(".")[0] for p in (BENCH / "remediation").glob("*.before.tm")})
TODAY = datetime.date(2026, 11, 30)


@pytest.mark.parametrize("name", PAIRS)
def test_a_remediation_closes_most_critical_and_high_findings(name: str) -> None:
    import remediation  # bench/children/remediation.py

    after = pipeline.load(BENCH / "remediation" / f"{name}.after.tm")
    assert after.model is not None and not after.errors
    found = remediation.measure(name, TODAY)
    assert found["before"] >= 20 and found["closed"] + found["lowered"] >= 0.85 * found["before"], found
    assert found["mitigated_by_facts"] > 0  # closed by what the model states, with evidence
