"""Drift in the risk register: `tmdiag threats --against` and `tmdiag report --against` compare the model
with the infrastructure, and the drift rules that are risks (their `risk=` ratings) rank with the
threats; decisions on them work as on other lint risks, and are not judged without infrastructure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tmdiag import iac, pipeline
from tmdiag.cli import main
from tmdiag.lint.registry import all_rules

FIXTURES = Path(__file__).parent / "fixtures"
SHOP, MODEL = FIXTURES / "shop", FIXTURES / "shop-models" / "shop.tm"
TODAY = "2026-01-15"


@pytest.fixture
def open_ssh(tmp_path: Path) -> Path:
    folder = tmp_path / "infra"
    shutil.copytree(SHOP, folder)
    text = (folder / "security.tf").read_text()
    (folder / "security.tf").write_text(text.replace("[var.admin_cidr]", '["0.0.0.0/0"]'))
    return folder


def test_which_drift_rules_are_risks() -> None:
    rated = {r.code for r in all_rules() if r.code.startswith("TM7") and r.risk is not None}
    assert rated == {"TM702", "TM703", "TM704", "TM705", "TM706", "TM707", "TM708"}  # not TM701, TM709


def test_pipeline_puts_drift_in_the_register(open_ssh: Path) -> None:
    import datetime

    day = datetime.date.fromisoformat(TODAY)
    loaded = pipeline.load(MODEL)
    without = pipeline.analyze(loaded, today=day)
    assert not [f for f in without.findings if f.threat_id.startswith("TM7")]
    drifted = pipeline.analyze(loaded, today=day, infrastructure=iac.read(open_ssh))
    (finding,) = [f for f in drifted.findings if f.threat_id.startswith("TM7")]
    assert (finding.threat_id, finding.target_id, finding.source) == ("TM702", "bastion", "lint")
    assert finding.evidence[0].startswith('`bastion` accepts "0.0.0.0/0:22" in the infrastructure')
    assert pipeline.analyze(loaded, today=day, infrastructure=iac.read(SHOP)).findings == without.findings


def test_threats_against(open_ssh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["threats", str(MODEL), "--today", TODAY, "--format", "json"]
    assert main([*args, "--against", str(open_ssh)]) == 0
    document = json.loads(capsys.readouterr().out)
    ids = [(f["threat_id"], f["target"]["id"]) for f in document["findings"]]
    assert ("TM702", "bastion") in ids
    assert main(args) == 0
    assert ("TM702", "bastion") not in [
        (f["threat_id"], f["target"]["id"]) for f in json.loads(capsys.readouterr().out)["findings"]
    ]
    assert main([*args, "--against", str(open_ssh), "--fail-on", "high"]) == 1


def test_against_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["threats", str(MODEL), "--against", str(tmp_path)]) == 2  # no Terraform there
    assert "error[E503]" in capsys.readouterr().err
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURES / "bad-input" / "partial", broken)
    assert main(["report", str(MODEL), "-o", str(tmp_path / "out"), "--against", str(broken), "--no-diagram"]) == 1
    err = capsys.readouterr().err
    assert "error[E501]" in err and "no report written" in err and not (tmp_path / "out").exists()
    assert main(["threats", str(MODEL), "--against", str(SHOP), "--no-lint"]) == 2
    assert main(["threats", str(MODEL), "--var-file", "x.tfvars"]) == 2


def test_report_against(open_ssh: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    args = ["report", str(MODEL), "-o", str(out), "--today", TODAY, "--no-diagram", "--against", str(open_ssh)]
    assert main(args) == 0
    findings = json.loads((out / "threats.json").read_text())["findings"]
    assert ("TM702", "bastion") in [(f["threat_id"], f["target"]["id"]) for f in findings]
    assert "TM702" in (out / "report.md").read_text()


def test_decisions_on_drift_need_infrastructure_to_be_judged(open_ssh: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    model = tmp_path / "shop.tm"
    model.write_text(MODEL.read_text() + '\nrisk TM702 on bastion { status: accepted, owner: alice, until: 2026-06-30, '
                     'justification: "SSH open while the VPN is replaced (OPS-412)" }\n')  # fmt: skip
    check = ["check", str(model), "--today", TODAY, "--select", "TM7", "--color", "never"]
    assert main(check) == 0  # no infrastructure: the decision is not judged stale
    assert "E406" not in capsys.readouterr().out
    assert main([*check, "--against", str(open_ssh)]) == 0  # decided: an info that names the decision
    assert "info[TM702]" in capsys.readouterr().out
    assert main([*check, "--against", str(SHOP)]) == 1  # the port was closed: the decision is stale
    assert "E406" in capsys.readouterr().out
    threats = ["threats", str(model), "--today", TODAY, "--format", "json"]
    assert main(threats) == 0
    assert "E406" not in capsys.readouterr().out
    assert main([*threats, "--against", str(open_ssh)]) == 0
    (finding,) = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["threat_id"] == "TM702"]
    assert finding["status"] == "accepted"
