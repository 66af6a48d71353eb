"""pytm keeps its state on the TM class: two models analysed in one process must give exactly
what each gives in a process of its own."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.threats.conftest import MODELS

SCRIPT = """
import datetime, json, sys
from tmdiag.api import check_file
from tmdiag.threats import analyze
out = []
for path in sys.argv[1:]:
    model, _ = check_file(path, lint=False)
    analysis = analyze(model, today=datetime.date(2026, 11, 27))
    out.append([[f.rank, f.threat_id, f.target_id, f.risk, f.score, f.status, list(f.evidence)]
                for f in analysis.findings])
print(json.dumps(out))
"""


def run(*paths: str) -> list[object]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, *paths], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_two_models_in_one_process_match_separate_processes() -> None:
    first, second = str(MODELS / "pytm_sample.tm"), str(MODELS / "assistant.tm")
    together = run(first, second, first)
    alone = run(first) + run(second)
    assert together[0] == alone[0]
    assert together[1] == alone[1]
    assert together[2] == alone[0]  # and the first again after the second
    assert together[0] and together[1]
