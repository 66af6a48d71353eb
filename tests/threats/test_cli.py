"""`tmdiag threats` from the command line: formats, filters, exit codes (in process; one real subprocess)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.threats.conftest import MODELS
from tmdiag.cli import main

CHECKOUT = "examples/checkout.tm"


def tmdiag(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `tmdiag threats ARGS` in this process, capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["threats", *args])
        except SystemExit as stop:  # argparse usage errors
            code = int(stop.code or 0)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_real_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tmdiag", "threats", CHECKOUT, "--today", "2026-11-27", "-q", "--min-risk", "critical"],
        capture_output=True,
        text=True,
        env={"NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split()[:2] == ["1", "critical"]


def test_table_is_ranked_with_owner_and_status() -> None:
    done = tmdiag(CHECKOUT, "--today", "2026-11-27")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["#", "risk", "threat", "element", "owner", "status"]
    assert lines[1].split()[:2] == ["1", "critical"]
    assert any("INP02 Overflow Buffers" in line and "mitigated (waf)" in line and "bob" in line for line in lines)
    assert "\x1b[" not in done.stdout
    assert lines[-1].startswith("82 findings; 38 open (1 in progress): ")


def test_json_has_every_field_and_matches_the_table_order() -> None:
    done = tmdiag(CHECKOUT, "--today", "2026-11-27", "--format", "json")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    findings = data["findings"]
    assert [f["rank"] for f in findings] == list(range(1, len(findings) + 1))
    first = findings[0]
    assert set(first) >= {
        "threat_id",
        "title",
        "risk",
        "score",
        "likelihood",
        "impact",
        "evidence",
        "status",
        "owner",
        "controls",
        "target",
        "decision",
        "explanation",
        "anchor",
    }
    assert "mitigations" not in first and data["catalogue"][first["threat_id"]]["mitigations"]  # texts once
    assert first["target"]["path"] == CHECKOUT and first["target"]["line"] > 0
    accepted = next(f for f in findings if f["threat_id"] == "AC05" and f["target"]["id"] == "store")
    assert accepted["status"] == "accepted" and accepted["decision"]["until"] == "2027-03-01"
    assert data["diagnostics"] == []  # the example's decisions and controls are all current


def test_csv_and_filters() -> None:
    done = tmdiag(CHECKOUT, "--today", "2026-11-27", "--format", "csv", "--min-risk", "critical", "--status", "open")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows and {r["risk"] for r in rows} == {"critical"} and {r["status"] for r in rows} == {"open"}
    assert all(r["evidence"] for r in rows)


def test_expired_acceptance_fails_and_fail_on_gates(tmp_path: Path) -> None:
    assert tmdiag(CHECKOUT, "--today", "2027-03-02", "-q").returncode == 1  # AC05 acceptance expired
    assert tmdiag(CHECKOUT, "--today", "2026-11-27", "--fail-on", "critical", "-q").returncode == 1
    done = tmdiag(str(MODELS / "pytm_sample.tm"), "--fail-on", "critical", "-q")
    assert done.returncode == (1 if "critical" in done.stdout else 0)


def test_model_errors_print_diagnostics_on_stderr_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tm"
    bad.write_text('process web "Web" { sanitise_input: true }\n'
                   'rule R1 "r" { severity: high, targets: [flow], when: encrypted == secret }\n')  # fmt: skip
    done = tmdiag(str(bad))
    assert done.returncode == 1
    assert done.stdout == ""  # stdout is data: the table, JSON or CSV
    assert "error[E201]" in done.stderr and "error[E405]" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_usage_and_io_errors_exit_2(tmp_path: Path) -> None:
    assert tmdiag(str(tmp_path / "missing.tm")).returncode == 2
    assert tmdiag(CHECKOUT, "--min-risk", "huge").returncode == 2
    assert tmdiag(CHECKOUT, "--status", "closed").returncode == 2
    assert tmdiag(CHECKOUT, "--today", "tomorrow").returncode == 2


def test_output_is_deterministic() -> None:
    first = tmdiag(CHECKOUT, "--today", "2026-11-27", "--format", "json").stdout
    assert first == tmdiag(CHECKOUT, "--today", "2026-11-27", "--format", "json").stdout


@pytest.mark.parametrize("mode", ["", "--pytm-parity"])
def test_pytm_sample_golden(mode: str) -> None:
    """The whole ranked output for pytm's sample model, by default and in parity mode;
    TMDIAG_UPDATE_GOLDEN=1 rewrites it."""
    from tests.golden import assert_golden

    extra = (mode,) if mode else ()
    done = tmdiag("tests/threats/models/pytm_sample.tm", "--today", "2026-11-27", "--format", "csv", *extra)
    assert done.returncode == 0
    name = "pytm_sample.parity.csv" if mode else "pytm_sample.csv"
    assert_golden(done.stdout, MODELS.parent / "golden" / name)


def test_evidence_option_explains_each_row() -> None:
    done = tmdiag(CHECKOUT, "--today", "2026-11-27", "--evidence", "--min-risk", "critical", "-q")
    lines = done.stdout.splitlines()
    row = next(i for i, line in enumerate(lines) if " INP02 " in line)
    assert lines[row + 1].strip() == "because process web: checks_input_bounds = false (default)"
    assert lines[row + 2].strip().startswith("risk: likelihood 5 = high 4")


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path: Path) -> None:
    model = tmp_path / "m.tm"
    model.write_text(
        'model "M" { rules: replace }\nactor a\nprocess p\na -> p\n'
        'rule X1 "=HYPERLINK(\\"http://evil\\")" { severity: high, targets: [process], when: not encrypted_at_rest }\n',
        encoding="utf-8",
    )
    done = tmdiag(str(model), "--format", "csv", "--no-lint")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["title"] for r in rows] == ['\'=HYPERLINK("http://evil")']


@pytest.mark.parametrize("example", ["k8s-shop", "serverless-assistant"])
def test_parity_is_pytm_alone_even_with_custom_rules(example: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`--pytm-parity` is exactly raw pytm 1.4: no custom-rule findings (was: K8S003, AI002, AWS005
    listed), and a decision on a custom rule is not stale for it (it cannot judge custom rules)."""
    path = f"examples/{example}.tm"
    assert main(["threats", path, "--pytm-parity", "--format", "json", "--today", "2026-11-27"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {f["source"] for f in document["findings"]} == {"pytm"}
    assert not [d for d in document["diagnostics"] if d["code"] == "E406"]
    main(["threats", path, "--format", "json", "--today", "2026-11-27"])
    default = json.loads(capsys.readouterr().out)
    assert "custom" in {f["source"] for f in default["findings"]}  # the example has custom rules to drop
