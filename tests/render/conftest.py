from __future__ import annotations

import sys
from pathlib import Path

import pytest

import tmdiag
from tmdiag.diagnostics import Span
from tmdiag.model.nodes import Model
from tmdiag.results import Finding, RiskLevel, Status, Threat

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

HOSTILE = r"""
model "A & <b>model</b>" {}
boundary outer "Subnet" {
  trust: low
  process p1 "<script>alert(\"x\") & y</script>" { icon: aws.nope }
  boundary inner "Subnet" {
    trust: high
    datastore d1 "back\\slash &lt; \\N"
  }
}
p1 -> d1 "q \"quoted\" & <i>" { protocol: "h<t>tp" }
"""


def finding(target_id: str, risk: str, status: str = "open", threat_id: str = "T01") -> Finding:
    """A real finding with the parts the diagram reads; the rest are placeholders."""
    threat = Threat(threat_id, "Something bad", "", "", "", "", "high", "", "custom")
    return Finding(
        threat=threat, target_id=target_id, target_kind="process", target_label=target_id,
        target_anchor=f"el-{target_id}", span=Span("m.tm", 1, 1, 1, 2), evidence=(), likelihood="high",
        impact="high", risk=RiskLevel(risk), score=16, status=Status(status), owner=None, decision=None,
        controls=(), explanation="",
    )  # fmt: skip


@pytest.fixture(scope="session")
def checkout() -> Model:
    return tmdiag.load(ROOT / "examples" / "checkout.tm")


@pytest.fixture(scope="session")
def hostile() -> Model:
    return tmdiag.loads(HOSTILE)


def generated(n: int) -> Model:
    import generate

    return tmdiag.loads(generate.to_tm(generate.system(n)))
