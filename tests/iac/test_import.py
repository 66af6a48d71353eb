"""`tmdiag import terraform`: the three-tier fixture drafts a formatted model that validates, lints with
only the findings a draft cannot avoid, draws, and lists what it did not map."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.iac.conftest import PLAN
from tests.iac.mutations import THREE_TIER
from tmdiag import iac
from tmdiag.api import check_file
from tmdiag.cli import main
from tmdiag.fmt import format_text
from tmdiag.importers.terraform import draft
from tmdiag.lint import lint

# What a draft cannot know, so what `tmdiag check` still says about the fixture's draft: no team and
# no review dates (TM101, TM102, TM105, TM106), buckets whose clients are IAM principals (TM208), and
# flows whose authentication or encryption the infrastructure does not show (TM201, TM202).
EXPECTED_LINT = {"TM101", "TM102", "TM105", "TM106", "TM208", "TM201", "TM202"}


def test_draft_is_formatted_and_validates(drafted: Path) -> None:
    text = drafted.read_text(encoding="utf-8")
    assert format_text(text) == text
    model, diagnostics = check_file(drafted, lint=False)
    assert model is not None and diagnostics == []
    assert {d.code for d in lint(model)} <= EXPECTED_LINT


def test_draft_structure(drafted: Path) -> None:
    model, _ = check_file(drafted, lint=False)
    assert model is not None
    boundaries = {b.id: (b.parent, b.get("kind")) for b in model.boundaries}
    assert boundaries == {
        "internet": (None, "internet"), "aws": (None, "account"), "main": ("aws", "vpc"),
        "private": ("main", "subnet"), "public": ("main", "subnet"),
    }  # fmt: skip
    kinds = {e.id: (e.kind, e.boundary) for e in model.elements}
    assert kinds == {
        "users": ("actor", "internet"), "clients_203_0_113_0_24": ("actor", "internet"),
        "web": ("process", "public"), "bastion": ("server", "public"), "app": ("process", "private"),
        "orders": ("datastore", "private"), "assets": ("datastore", "aws"), "trail": ("datastore", "aws"),
        "orders_queue": ("datastore", "aws"), "mailer": ("lambda", "aws"),
    }  # fmt: skip
    web, orders, bastion = model.element("web"), model.element("orders"), model.element("bastion")
    assert web and orders and bastion
    assert web.get("ingress") == ("0.0.0.0/0:443", "::/0:443", "0.0.0.0/0:80")
    assert web.get("public") is True and str(web.get("min_tls")) == "1.2"
    assert web.get("iac") == ("aws_lb.web", "aws_lb_listener.https", "aws_lb_listener.http", "aws_security_group.alb")
    assert orders.get("encrypted_at_rest") is True and orders.get("on_rds") is True and orders.get("backup") is True
    assert bastion.get("ingress") == ("203.0.113.0/24:22",) and bastion.get("public") is True
    account = model.boundary("aws")
    assert account and account.get("audit_log") is True and account.get("mfa") == "required"
    assert "aws_cloudtrail.main" in account.get("iac")
    flows = {(f.source, f.sink, f.get("port")) for f in model.flows}
    assert flows == {
        ("users", "web", 443), ("clients_203_0_113_0_24", "bastion", 22), ("web", "app", 8080),
        ("app", "orders", 5432), ("bastion", "orders", 5432), ("orders_queue", "mailer", -1),
    }  # fmt: skip


def test_leftovers_are_listed_never_dropped(drafted: Path) -> None:
    text = drafted.read_text(encoding="utf-8")
    infra = iac.read(THREE_TIER)
    for resource in infra.resources:
        assert resource.base in text, f"{resource.address} is neither drawn nor listed"
    assert "#   module.network.aws_nat_gateway.main (NAT gateway)" in text


def test_plan_and_folder_draft_the_same_model() -> None:
    assert draft(iac.read(PLAN), "m", "x") == draft(iac.read(THREE_TIER), "m", "x")


def test_draft_is_deterministic() -> None:
    command = [sys.executable, "-m", "tmdiag", "import", "terraform", str(THREE_TIER)]
    runs = {
        subprocess.run(command, capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1


def test_cli_writes_the_model_and_draws(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model.tm"
    assert main(["import", "terraform", str(THREE_TIER), "-o", str(out)]) == 0
    assert out.read_text().startswith("# Drafted by `tmdiag import terraform")
    assert main(["import", "terraform", str(THREE_TIER), "-o", str(out)]) == 2  # exists
    assert "--force" in capsys.readouterr().err
    assert main(["import", "terraform", str(PLAN), "-o", str(out), "--force"]) == 0
    assert main(["diagram", str(out), "-o", str(tmp_path / "model.svg")]) == 0
    assert "<svg" in (tmp_path / "model.svg").read_text()


def test_unknown_types_and_remote_modules_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_wafv2_web_acl" "edge" {\n  name = "edge"\n}\n'
        'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
        'resource "aws_instance" "web" {\n  count = 2\n}\n'
        'resource "aws_s3_bucket" "logs" {\n  for_each = toset(["a", "b"])\n  bucket = "logs-${each.key}"\n}\n'
    )
    assert main(["import", "terraform", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (
        "# Not mapped (tmdiag has no row for these resource types; see docs/iac.md):\n#   aws_wafv2_web_acl.edge" in out
    )
    assert "module.vpc: module source terraform-aws-modules/vpc/aws is not a local folder" in out
    assert 'server web "EC2 instance web (×2)"' in out
    assert 'iac: ["aws_s3_bucket.logs"]' in out
    infra = iac.read(tmp_path)
    assert [r.address for r in infra.resources if r.type != "aws_wafv2_web_acl"] == [
        "aws_instance.web[0]", "aws_instance.web[1]", 'aws_s3_bucket.logs["a"]', 'aws_s3_bucket.logs["b"]',
    ]  # fmt: skip
    assert infra.resource('aws_s3_bucket.logs["b"]').values["bucket"] == "logs-b"  # type: ignore[union-attr]


def test_syntax_error_is_positioned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.tf").write_text('resource "aws_s3_bucket" "ok" {\n  bucket = "ok"\n}\n')
    (tmp_path / "bad.tf").write_text('resource "aws_instance" "web" {\n  ami = \n}\n')
    assert main(["import", "terraform", str(tmp_path), "--color", "never"]) == 1
    captured = capsys.readouterr()
    assert f"{tmp_path}/bad.tf:2:9: error[E501]: HCL syntax error" in captured.err
    assert "   2 |   ami = " in captured.err and "Traceback" not in captured.err
    assert 'datastore ok "S3 bucket ok"' in captured.out  # the files that parse are still drafted


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{ not json", "1:3: error[E501]: not valid JSON"),
        ("[]", "not a Terraform plan or state: the JSON is not an object"),
        ('{"format_version": "1.2"}', "no `planned_values`, `values` or `resources`"),
        ('{"format_version": "2.0", "planned_values": {}}', "unsupported `format_version` 2.0"),
        ("\udcff", "cannot read the file"),
    ],
)
def test_bad_json_is_a_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    assert main(["import", "terraform", str(path), "--color", "never"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_source_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "terraform", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_mapping_table_in_the_docs_is_up_to_date() -> None:
    from devtools import generate

    assert generate.stale(generate.REPO, [generate.IAC_MAPPING]) == [], "run `make docs` and commit docs/iac.md"
    assert "| `aws_db_instance` | element |" in (generate.REPO / "docs/iac.md").read_text(encoding="utf-8")


def test_the_shipped_example_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    """examples/three-tier: the reviewed model passes lint and drift against its Terraform."""
    model = THREE_TIER.parent / "model.tm"
    assert main(["check", "--against", str(THREE_TIER), str(model)]) == 0
    assert main(["drift", str(model), "--terraform", str(THREE_TIER)]) == 0
    assert "All good" in capsys.readouterr().out
