"""The lint API: severities from config, sorting, robustness on invalid models, no pytm."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tmdiag.api import check_text
from tmdiag.diagnostics import Severity
from tmdiag.lint import lint
from tmdiag.lint.config import LintConfig

TODAY = datetime.date(2026, 11, 27)


def test_severity_from_config_and_sorted_output() -> None:
    model, _ = check_text('process b "B"\nprocess a "A"\nb -> b "x"\na -> a "y"\n', "m.tm", lint=False)
    found = lint(model, LintConfig(select=("TM206",), severity={"TM206": Severity.INFO}), TODAY)
    assert [(d.code, d.span.line, d.severity) for d in found] == [
        ("TM206", 3, Severity.INFO),
        ("TM206", 4, Severity.INFO),
    ]
    assert found[0].hint  # every finding says how to fix it


def test_lint_survives_ill_typed_models() -> None:
    text = """model "M" { reviewed: "yesterday", review_every: 3, scope: 4 }
team { a "A" [security_lead, wizard] }
data d "D" { classification: ultra, credentials: "yes", lifetime: 7 }
boundary b "B" { trust: 9, cloud: mars, mfa: [1], audit_log: "on", kind: account }
datastore s "S" { stores: d, ingress: ["nonsense", 3, "0.0.0.0/0:x"], public: "true", max_classification: 5 }
process p "P" { admin: 1, min_tls: [1], ingress: "0.0.0.0/0:22" }
llm l "L" { untrusted_input: "no" }
p -> s { data: d, tls: true, encrypted: "no" }
p -> ghost { data: [missing] }
risk INP02 on p { status: open, severity: 3, due: "soon", by: [x] }
risk INP03 on nowhere { status: accepted, until: 5, justification: 12 }
"""
    model, diagnostics = check_text(text, "bad.tm", lint=False)
    assert any(d.severity == Severity.ERROR for d in diagnostics)
    found = lint(model, today=TODAY)
    assert all(d.code.startswith("TM") for d in found)
    assert any(d.code == "TM401" for d in found)  # the well-formed single ingress rule is still read


def test_default_today_is_the_real_date() -> None:
    model, _ = check_text('model "M" { scope: "x", reviewed: 2000-01-01, review_every: 1d }\n', "m.tm", lint=False)
    assert [d.code for d in lint(model, LintConfig(select=("TM104",)))] == ["TM104"]


def test_lint_does_not_import_pytm() -> None:
    code = (
        "import sys, tmdiag\nfrom tmdiag.lint import lint\nm = tmdiag.load('examples/checkout.tm')\n"
        "lint(m)\nassert 'pytm' not in sys.modules, 'lint imported pytm'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_output_is_identical_across_hash_seeds() -> None:
    outputs = set()
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-m", "tmdiag", "check", "--format", "sarif", "--today", "2026-11-27", "tests/lint/rules"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 1, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


_ODD_VALUES = ('"text"', "0", "-3", "true", "[]", "[1, x]", "2026-01-01", "90d", "ghost", '"0.0.0.0/0:22"', "1.1")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_lint_never_crashes_on_odd_values(data: st.DataObject) -> None:
    text = Path("examples/checkout.tm").read_text(encoding="utf-8")
    lines = text.splitlines()
    candidates = [i for i, line in enumerate(lines) if re.match(r"\s*[a-z_]+: ", line)]
    for index in data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=4)):
        key = lines[index].split(":", 1)[0]
        lines[index] = f"{key}: {data.draw(st.sampled_from(_ODD_VALUES))}"
    model, _ = check_text("\n".join(lines), "examples/checkout.tm", lint=False)
    for d in lint(model, today=TODAY):
        assert d.code.startswith("TM") and d.span.line >= 1


def test_a_flow_to_an_undeclared_name_gets_no_lint_findings() -> None:
    # E101 reports the typo; lint must not add "crosses a boundary unencrypted" for a missing element.
    from tmdiag.api import check_text
    from tmdiag.lint import lint as run_lint

    model, found = check_text(
        'boundary a { trust: high  process p }\nboundary b { trust: high  datastore db }\np -> dbb "typo"\n', lint=False
    )
    assert [d.code for d in found] == ["E101"]
    assert [d for d in run_lint(model) if d.span.line == 3] == []
