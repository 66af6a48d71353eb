from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import tmdiag
from tmdiag.model.nodes import Model

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


@dataclass(frozen=True)
class FakeFinding:
    """Shaped like tmdiag.threats.Finding, as far as the diagram reads it."""

    target_id: str
    risk: str
    status: str = "open"
    threat_id: str = "T01"
    title: str = "Something bad"


@pytest.fixture(scope="session")
def checkout() -> Model:
    return tmdiag.load(ROOT / "examples" / "checkout.tm")


@pytest.fixture(scope="session")
def hostile() -> Model:
    return tmdiag.loads(HOSTILE)


def generated(n: int) -> Model:
    import generate

    return tmdiag.loads(generate.to_tm(generate.system(n)))
