"""Reading `.tf` files: what is evaluated (variables, tfvars, locals, module outputs, count/for_each,
jsonencode) and what is left unknown (computed functions, interpolations of unknowns), never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmdiag import iac
from tmdiag.cli import main
from tmdiag.iac.resources import UNKNOWN, Ref
from tmdiag.importers.terraform import draft


def _read(tmp_path: Path, files: dict[str, str]) -> iac.Infrastructure:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    infra = iac.read(tmp_path)
    assert not infra.problems, infra.problems
    return infra


def test_values_references_and_unknowns(tmp_path: Path) -> None:
    infra = _read(tmp_path, {
        "main.tf": 'variable "env" {\n  default = "dev"\n}\nvariable "cidr" {}\n'
                   'locals {\n  name = "shop-${var.env}"\n}\n'
                   'module "net" {\n  source = "./net"\n  cidr = var.cidr\n}\n'
                   'resource "aws_security_group" "web" {\n  name = local.name\n  vpc_id = module.net.vpc_id\n'
                   '  ingress {\n    from_port = 443\n    to_port = 443\n    protocol = "tcp"\n'
                   '    cidr_blocks = [var.cidr, "10.0.0.0/8"]\n  }\n  description = "${upper(var.env)} web"\n}\n'
                   'resource "aws_instance" "app" {\n  for_each = { blue = "t3.small", green = "t3.large" }\n'
                   '  instance_type = each.value\n  subnet_id = module.net.subnet_ids[0]\n}\n',
        "terraform.tfvars": 'env = "prod"\n',
        "net/main.tf": 'variable "cidr" {}\nresource "aws_vpc" "main" {\n  cidr_block = var.cidr\n}\n'
                       'resource "aws_subnet" "a" {\n  count = 2\n  vpc_id = aws_vpc.main.id\n}\n'
                       'output "vpc_id" {\n  value = aws_vpc.main.id\n}\n'
                       'output "subnet_ids" {\n  value = aws_subnet.a[*].id\n}\n',
    })  # fmt: skip
    group = infra.resource("aws_security_group.web")
    assert group is not None
    assert group.values["name"] == "shop-prod"  # tfvars over the default, through a local
    assert group.values["vpc_id"] == Ref("module.net.aws_vpc.main")
    assert group.values["ingress"][0]["cidr_blocks"] == [UNKNOWN, "10.0.0.0/8"]  # no value given for var.cidr
    assert group.values["description"] is UNKNOWN  # a function tmdiag does not evaluate
    assert group.span("ingress.0").line == 15 and group.span("name").line == 13
    blue = infra.resource('aws_instance.app["blue"]')
    assert blue is not None and blue.values == {
        "instance_type": "t3.small",
        "subnet_id": Ref("module.net.aws_subnet.a[0]"),
    }
    assert [r.address for r in infra.resources if r.type == "aws_subnet"] == [
        "module.net.aws_subnet.a[0]", "module.net.aws_subnet.a[1]",
    ]  # fmt: skip
    assert infra.resource("module.net.aws_vpc.main").where.path == f"{tmp_path}/net/main.tf"  # type: ignore[union-attr]


def test_draft_notes_what_is_known_only_after_apply(tmp_path: Path) -> None:
    infra = _read(tmp_path, {
        "main.tf": 'variable "encrypt" {}\n'
                   'resource "aws_db_instance" "orders" {\n  storage_encrypted = var.encrypt\n}\n'
                   'resource "aws_instance" "web" {\n  count = var.replicas\n}\nvariable "replicas" {}\n',
    })  # fmt: skip
    text = draft(infra, "m", "x")
    assert "# `encrypted_at_rest` is known only after apply (`aws_db_instance.orders` storage_encrypted)" in text
    assert "encrypted_at_rest: " not in text
    assert "#   aws_instance.web: `count` is not known before apply; read as one" in text


def test_dynamic_blocks(tmp_path: Path) -> None:
    """Expanded when `for_each` is known (its iterator named by the label or `iterator`); one unknown
    block beside the written ones when it is not."""
    infra = _read(tmp_path, {
        "main.tf": 'variable "ports" {\n  default = [443, 8443]\n}\nvariable "cidrs" {}\n'
                   'resource "aws_security_group" "web" {\n  dynamic "ingress" {\n    for_each = var.ports\n'
                   '    content {\n      from_port = ingress.value\n      to_port = ingress.value\n'
                   '      cidr_blocks = ["0.0.0.0/0"]\n    }\n  }\n'
                   '  ingress {\n    from_port = 22\n    to_port = 22\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n'
                   '  dynamic "ingress" {\n    for_each = var.cidrs\n    iterator = c\n'
                   '    content {\n      from_port = 80\n      to_port = 80\n'
                   '      cidr_blocks = [c.value]\n    }\n  }\n}\n'
                   'resource "aws_security_group" "keys" {\n  dynamic "ingress" {\n'
                   '    for_each = { admin = "10.1.0.0/16" }\n    iterator = rule\n'
                   '    content {\n      description = rule.key\n      cidr_blocks = [rule.value]\n    }\n  }\n}\n',
    })  # fmt: skip
    group = infra.resource("aws_security_group.web")
    assert group is not None
    assert group.values["ingress"] == [
        {"from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]},
        {"from_port": 8443, "to_port": 8443, "cidr_blocks": ["0.0.0.0/0"]},
        {"from_port": 22, "to_port": 22, "cidr_blocks": ["10.0.0.0/8"]},
        UNKNOWN,
    ]
    assert group.span("ingress.1.from_port").line == 9 and group.span("ingress.3").line == 19
    keys = infra.resource("aws_security_group.keys")
    assert keys is not None and keys.values["ingress"] == [{"description": "admin", "cidr_blocks": ["10.1.0.0/16"]}]


DYNAMIC = Path(__file__).parent / "fixtures" / "unknowns"


def test_dynamic_and_unknown_values_never_crash_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The user's report: `dynamic "ingress"` crashed import, drift and check --against with a traceback."""
    model = tmp_path / "model.tm"
    model.write_text(
        'model "m" { scope: "dynamic blocks", cloud: aws }\n'
        'process lb "LB" { public: true, ingress: ["0.0.0.0/0:443"], iac: ["aws_lb.dynamic"] }\n'
    )
    assert main(["import", "terraform", str(DYNAMIC)]) == 0
    assert 'ingress: ["0.0.0.0/0:443", "0.0.0.0/0:8443"]' in capsys.readouterr().out
    commands = (["drift", str(model), "--terraform", str(DYNAMIC)], ["check", "--against", str(DYNAMIC), str(model)])
    for command in commands:
        assert main([*command, "--color", "never", "--select", "TM702,TM709"]) == 1
        out = capsys.readouterr().out
        assert 'error[TM702]: `lb` accepts "0.0.0.0/0:8443"' in out
        assert "info[TM709]: `lb` claims `ingress`" in out
