"""Drift: the drafted model against its own Terraform is clean; each mutation of the Terraform is
reported exactly once, with the `.tf` line (or the plan address) as related location, in every
output format; suppressions work as for lint rules; `check --against` reports the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.iac.conftest import PLAN
from tests.iac.fixtures.make_plan import plan_json
from tests.iac.mutations import MUTATIONS, THREE_TIER, Mutation, copy_fixture
from tmdiag import iac
from tmdiag.api import check_file, check_text
from tmdiag.cli import main
from tmdiag.diagnostics import Diagnostic
from tmdiag.lint import lint


def drift(model_path: Path, source: Path) -> list[Diagnostic]:
    model, diagnostics = check_file(model_path, lint=False)
    assert model is not None and not diagnostics
    return [d for d in lint(model, infrastructure=iac.read(source)) if d.code.startswith("TM7")]


@pytest.mark.parametrize("source", [THREE_TIER, PLAN], ids=["folder", "plan"])
def test_no_drift_between_a_draft_and_its_terraform(drafted: Path, source: Path) -> None:
    assert drift(drafted, source) == []


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_each_mutation_is_reported_exactly_once(drafted: Path, tmp_path: Path, mutation: Mutation) -> None:
    folder = copy_fixture(tmp_path, mutation)
    found = drift(drafted, folder)
    assert [(d.code, d.message.split("`")[1]) for d in found] == [(mutation.code, mutation.node)]
    ((note, where),) = found[0].related
    assert where.path == f"{folder}/{mutation.file}" and where.line > 1
    changed = {n for n, line in enumerate((folder / mutation.file).read_text().splitlines(), 1) if line in mutation.new}
    assert where.line in changed, f"{note} points at line {where.line}, not at the edit"


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_each_mutation_in_a_plan_is_reported_exactly_once(drafted: Path, tmp_path: Path, mutation: Mutation) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(plan_json(copy_fixture(tmp_path, mutation)), indent=2))
    found = drift(drafted, plan)
    assert [(d.code, d.message.split("`")[1]) for d in found] == [(mutation.code, mutation.node)]
    ((note, where),) = found[0].related
    assert where.path == str(plan) and where.line > 1
    address = note.split("`")[1]
    assert f'"address": "{address}"' in plan.read_text().splitlines()[where.line - 1]


def test_all_mutations_together(drafted: Path, tmp_path: Path) -> None:
    found = drift(drafted, copy_fixture(tmp_path, *MUTATIONS))
    assert sorted(d.code for d in found) == sorted(m.code for m in MUTATIONS)


def test_exposed_resource_without_element_and_removed_resource(drafted: Path, tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    (folder / "debug.tf").write_text(
        'resource "aws_instance" "debug" {\n  associate_public_ip_address = true\n}\n', encoding="utf-8"
    )
    text = (folder / "web.tf").read_text()
    (folder / "web.tf").write_text(text.replace('resource "aws_instance" "bastion"', 'resource "aws_instance" "jump"'))
    found = drift(drafted, folder)
    assert [(d.code, d.message) for d in found] == [
        ("TM708", "`aws_instance.debug` is reachable from the internet but no element links it"),
        ("TM708", "`aws_instance.jump` is reachable from the internet but no element links it"),
        ("TM701", f"`bastion` links `aws_instance.bastion` (EC2 instance), which is not in `{folder}`"),
    ]
    # renamed, not misspelt: no did-you-mean (neither `debug` nor `jump` is a near spelling of `bastion`)
    assert found[2].hint == "remove the link, or link the resource that replaced it"
    assert found[0].related[0][1].path == f"{folder}/debug.tf"


def test_unknown_after_apply_is_said_not_guessed(drafted: Path, tmp_path: Path) -> None:
    plan = json.loads(PLAN.read_text())
    for change in plan["resource_changes"]:
        if change["address"] == "aws_db_instance.orders":
            change["change"]["after_unknown"]["storage_encrypted"] = True
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    found = drift(drafted, path)
    assert [(d.code, d.severity.label) for d in found] == [("TM709", "info")]
    assert "known only after apply" in found[0].message


OPEN_SSH = MUTATIONS[0]


def test_outputs_carry_both_locations(drafted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_fixture(tmp_path, OPEN_SSH)
    args = ["drift", str(drafted), "--terraform", str(folder), "--color", "never"]
    assert main(args) == 1
    text = capsys.readouterr().out
    assert 'error[TM702]: `bastion` accepts "0.0.0.0/0:22"' in text
    assert f"= note: `aws_security_group_rule.bastion_ssh` lets it in: {folder}/security.tf:80:3" in text
    assert main([*args, "--format", "json"]) == 1
    (item,) = json.loads(capsys.readouterr().out)
    assert item["related"] == [{"message": "`aws_security_group_rule.bastion_ssh` lets it in",
                                "path": f"{folder}/security.tf", "line": 80, "column": 3}]  # fmt: skip
    assert main([*args, "--format", "sarif"]) == 1
    (result,) = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("model.tm")
    related = result["relatedLocations"][0]["physicalLocation"]
    assert (
        related["artifactLocation"]["uri"].endswith("three-tier/security.tf") and related["region"]["startLine"] == 80
    )
    assert main([*args, "--format", "github"]) == 1
    assert "%0Anote: `aws_security_group_rule.bastion_ssh` lets it in: " in capsys.readouterr().out


def test_clean_drift_exits_0(drafted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drift", str(drafted), "--terraform", str(THREE_TIER)]) == 0
    assert "All good" in capsys.readouterr().out


def test_suppression_with_reason(drafted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_fixture(tmp_path, OPEN_SSH)
    text = drafted.read_text().replace(
        '      ingress: ["203.0.113.0/24:22"]\n',
        "      # tmdiag: ignore[TM702] reason: temporary, until the VPN is back (OPS-12)\n"
        '      ingress: ["203.0.113.0/24:22"]\n',
    )
    model = tmp_path / "model.tm"
    model.write_text(text)
    assert main(["drift", str(model), "--terraform", str(folder)]) == 0
    model.write_text(text.replace(" reason: temporary, until the VPN is back (OPS-12)", ""))
    assert main(["drift", str(model), "--terraform", str(folder), "--color", "never"]) == 1
    assert "error[TM901]: suppression of TM702 gives no reason" in capsys.readouterr().out
    model.write_text(text)  # without infrastructure to compare with, a drift suppression is not "unused"
    assert main(["check", str(model), "--select", "TM9"]) == 0


def test_check_against_runs_lint_and_drift(drafted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_fixture(tmp_path, OPEN_SSH)
    assert main(["check", str(drafted), "--against", str(folder), "--select", "TM7", "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert out.count("error[TM702]") == 1
    assert main(["check", str(drafted), "--against", str(THREE_TIER), "--select", "TM7"]) == 0
    assert main(["check", str(drafted), "--against", str(tmp_path / "nope")]) == 2


def test_drift_on_an_invalid_model_reports_the_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "model.tm"
    model.write_text('process web "Web" { iac: [aws_lb.web] }\n')
    assert main(["drift", str(model), "--terraform", str(THREE_TIER), "--color", "never"]) == 1
    assert "error[E202]" in capsys.readouterr().out


def test_drift_usage_errors(drafted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drift", str(drafted), "--terraform", str(THREE_TIER), "--region", "eu-west-1"]) == 2
    assert "--region" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["drift", str(drafted)])


def test_link_to_an_instance_and_to_all_instances(tmp_path: Path) -> None:
    infra = iac.read(THREE_TIER)
    model, _ = check_text(
        'boundary net "Net" { iac: ["module.network.aws_subnet.public[1]", "module.network.aws_subnet.private"] }\n',
        lint=False,
    )
    assert [d.code for d in lint(model, infrastructure=infra) if d.code == "TM701"] == []
