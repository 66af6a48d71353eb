"""What `tmdiag import terraform`, `drift --terraform` and `check --against` read, and how they say
what they could not: JSON syntax and JSON variable files, `--var-file`, a single `.tf` file, a folder
without Terraform, files that do not parse (positioned, quoted, and listed in the draft)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmdiag import iac
from tmdiag.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
JSON = FIXTURES / "json-syntax"
BAD = FIXTURES / "bad-input"
NONE = FIXTURES / "no-terraform"
BASTION = 'model "m" { scope: "bastion", cloud: aws }\nserver bastion "Bastion" {\n  public: true\n' \
    '  ingress: ["198.51.100.0/24:22"]\n  iac: ["aws_instance.bastion"]\n}\n'  # fmt: skip


def test_json_syntax_and_json_variable_files() -> None:
    infra = iac.read(JSON)
    assert infra.problems == []
    group = infra.resource("aws_security_group.bastion")
    assert group is not None
    # terraform.tfvars.json gives env; z.auto.tfvars.json overrides the default of admin_cidr
    assert group.values == {"name": "bastion-prod", "ingress": [
        {"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["198.51.100.0/24"]}]}  # fmt: skip
    assert (group.where.path, group.where.line) == (f"{JSON}/main.tf.json", 9)
    assert group.span("ingress.0.cidr_blocks").line == 16
    bastion = infra.resource("aws_instance.bastion")
    assert bastion is not None
    assert bastion.values["vpc_security_group_ids"] == [iac.Ref("aws_security_group.bastion")]
    assert bastion.get("root_block_device.0.encrypted") is True  # a block written as an object
    orders = infra.resource("aws_db_instance.orders")
    assert orders is not None and orders.values["storage_encrypted"] is iac.UNKNOWN  # an expression not evaluated


def test_var_files_come_last_in_order() -> None:
    infra = iac.read(JSON, (JSON / "open.tfvars", JSON / "staging.tfvars.json"))
    group = infra.resource("aws_security_group.bastion")
    assert group is not None and group.values["name"] == "bastion-staging"
    assert group.values["ingress"][0]["cidr_blocks"] == ["0.0.0.0/0"]


def test_var_file_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "model.tm"
    model.write_text(BASTION)
    assert main(["drift", str(model), "--terraform", str(JSON)]) == 0
    capsys.readouterr()
    command = ["drift", str(model), "--terraform", str(JSON), "--var-file", str(JSON / "open.tfvars")]
    assert main([*command, "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert (
        'error[TM702]: `bastion` accepts "0.0.0.0/0:22"' in out and f"{JSON}/main.tf.json:12:11" in out
    )  # the ingress block
    assert main(["check", "--against", str(JSON), "--var-file", str(JSON / "open.tfvars"), str(model)]) == 1
    assert main(["import", "terraform", str(JSON), "--var-file", str(JSON / "open.tfvars")]) == 0
    assert 'ingress: ["0.0.0.0/0:22"]' in capsys.readouterr().out
    assert main(["check", "--var-file", str(JSON / "open.tfvars"), str(model)]) == 2  # without --against
    assert "--var-file goes with --against" in capsys.readouterr().err


def test_a_single_file_reads_its_folder_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "terraform", str(JSON / "network.tf"), "--color", "never"]) == 0
    captured = capsys.readouterr()
    assert f"info[E504]: a Terraform configuration is a folder: read every file of `{JSON}`" in captured.err
    assert f'scope: "AWS resources in {JSON}"' in captured.out and "aws_instance.bastion" in captured.out


@pytest.mark.parametrize("command", ["import", "drift", "check"])
def test_no_terraform_in_the_folder_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    model = tmp_path / "model.tm"
    model.write_text(BASTION)
    args = {
        "import": ["import", "terraform", str(NONE)],
        "drift": ["drift", str(model), "--terraform", str(NONE)],
        "check": ["check", "--against", str(NONE), str(model)],
    }[command]
    assert main([*args, "--color", "never"]) == 2
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert text.count("error[") == 1 and "TM701" not in text and "All good" not in text
    assert f"error[E503]: no Terraform files (`.tf`, `.tf.json`) in {NONE}" in text
    assert f"did you mean `{NONE}/envs/prod`?" in text


@pytest.mark.parametrize(
    ("folder", "where", "message", "excerpt"),
    [
        ("unclosed", "2:17", "HCL syntax error: unexpected end of file (an unclosed string", '"10.0.0.0/16'),
        ("stray-brace", "4:1", "HCL syntax error: unexpected `}`", "   4 | }"),
        ("double-comma", "3:24", "HCL syntax error: unexpected `,`", 'tags = { Name = "a" ,, }'),
        ("not-utf8", "2:17", "not UTF-8 text: byte 0xff (Terraform files are UTF-8)", "   2 |   cidr_block = "),
    ],
)
@pytest.mark.parametrize("command", ["import", "drift"])
def test_bad_files_are_positioned_and_quoted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], folder: str, where: str, message: str, excerpt: str,
    command: str,
) -> None:  # fmt: skip
    model = tmp_path / "model.tm"
    model.write_text('model "m" { scope: "vpc" }\nboundary vpc "VPC" { kind: vpc, iac: ["aws_vpc.x"] }\n')
    args = ["import", "terraform", str(BAD / folder)] if command == "import" else [
        "drift", str(model), "--terraform", str(BAD / folder)]  # fmt: skip
    main([*args, "--color", "never"])
    captured = capsys.readouterr()
    text = captured.err if command == "import" else captured.out
    assert f"{BAD / folder}/main.tf:{where}: error[E501]: {message}" in text
    assert excerpt in text and "\ufffd" not in text.split("|")[0] and "Error" not in text and "position" not in text


def test_a_file_that_does_not_parse_is_listed_in_the_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model.tm"
    assert main(["import", "terraform", str(BAD / "partial"), "-o", str(out), "--color", "never"]) == 1
    assert f"{BAD}/partial/security.tf:8:3: error[E501]" in capsys.readouterr().err
    text = out.read_text()
    assert "# Some input could not be read: see `Not read` at the end" in text
    assert f"# Not read:\n#   {BAD}/partial/security.tf:8: HCL syntax error: unexpected `}}`" in text
    assert 'boundary main "VPC main"' in text


def test_import_help_speaks_to_users(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["import", "--help"], ["import", "terraform", "--help"]):
        with pytest.raises(SystemExit):
            main(args)
        text = capsys.readouterr().out
        assert "add_arguments" not in text and "tmdiag.importers" not in text and "draft_from" not in text
        assert ".tf.json" in text
