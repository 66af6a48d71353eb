"""Huge plans: 10,000 resources read and compared without a problem, in memory that grows linearly."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from bench.generate_iac import plan
from tmdiag import iac
from tmdiag.api import check_text
from tmdiag.lint import lint

MODEL = """\
boundary prod "Prod" {
  cloud: aws
  server web "Web" { ingress: ["10.0.0.0/8:443"], public: true, iac: ["module.svc0.aws_instance.web1"] }
  datastore db "DB" { kind: sql, encrypted_at_rest: true, iac: ["module.svc0.aws_db_instance.db7"] }
}
"""


def _peak(path: Path) -> tuple[int, list[str]]:
    model, _ = check_text(MODEL, "model.tm", lint=False)
    tracemalloc.start()
    infra = iac.read(path)
    found = [d.code for d in lint(model, infrastructure=infra) if d.code.startswith("TM7")]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not infra.problems
    return peak, found


@pytest.mark.slow
def test_ten_thousand_resources_in_linear_memory(tmp_path: Path) -> None:
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    small.write_text(json.dumps(plan(2500)))
    large.write_text(json.dumps(plan(10_000)))
    small_peak, _ = _peak(small)
    large_peak, found = _peak(large)
    assert large_peak < 5 * small_peak, (small_peak, large_peak)  # 4x the resources
    assert found.count("TM704") == 1  # db7 is not encrypted
    units = range(10_000 // 5)  # instances public every 5th unit; every 11th opens SSH to the world (instance and db)
    exposed = sum((i % 5 == 0 or i % 11 == 0) + (i % 11 == 0) for i in units)
    assert found.count("TM708") == exposed
