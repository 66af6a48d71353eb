"""A new user's trial of import and drift (the shop in fixtures/shop, their models in fixtures/shop-models):
each thing they found, as a regression test. Edits of the shop's Terraform are made in a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tmdiag import iac
from tmdiag.api import check_file, check_text
from tmdiag.cli import main
from tmdiag.diagnostics import Diagnostic
from tmdiag.importers.terraform import draft
from tmdiag.lint import lint
from tmdiag.lint.config import LintConfig

FIXTURES = Path(__file__).parent / "fixtures"
SHOP = FIXTURES / "shop"
MODELS = FIXTURES / "shop-models"
DRIFT = LintConfig().with_options(select=["TM7"])


def edited(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "infra"
    shutil.copytree(SHOP, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {file} once"
    (folder / file).write_text(text.replace(old, new), encoding="utf-8")
    return folder


def drift_of(model_text: str, infra: Path) -> list[Diagnostic]:
    model, diagnostics = check_text(model_text, "model.tm", lint=False)
    assert model is not None and not [d for d in diagnostics if d.code.startswith("E")], diagnostics
    return lint(model, DRIFT, infrastructure=iac.read(infra))


SHOP_TM = (MODELS / "shop.tm").read_text(encoding="utf-8")


def codes(found: list[Diagnostic]) -> list[tuple[str, str]]:
    return [(d.code, d.message.split("`")[1]) for d in found]


def test_the_shop_model_has_no_drift() -> None:
    assert drift_of(SHOP_TM, SHOP) == []


# 2. An element's `public: false` inside a `public: true` boundary is its claim.
def test_public_false_inside_a_public_boundary() -> None:
    text = (
        'boundary net "Public subnet" {\n  kind: subnet, public: true\n'
        '  process said "ALB" { public: false, ingress: ["0.0.0.0/0:443"], iac: ["aws_lb.web"] }\n'
        '  process inherits "ALB" { ingress: ["0.0.0.0/0:443"], iac: ["aws_lb.web"] }\n}\n'
    )
    found = [d for d in drift_of(text, SHOP) if d.code != "TM708"]
    assert codes(found) == [("TM703", "said")]
    assert "(it says `public: false` inside public boundary `net`)" in found[0].message


# 3. An instance without `associate_public_ip_address` in a subnet that maps public IPs is public.
def test_instance_public_through_its_subnet(tmp_path: Path) -> None:
    infra = edited(tmp_path, "app.tf", "  associate_public_ip_address = true\n", "")
    found = drift_of(SHOP_TM.replace("        public: true\n        encrypted_at_rest", "        public: false\n"
                                     "        encrypted_at_rest"), infra)  # fmt: skip
    assert codes(found) == [("TM703", "bastion")]
    ((note, where),) = found[0].related
    assert note.startswith('`module.network.aws_subnet.public["a"]` makes it public (`map_public_ip_on_launch`)')
    assert "`aws_instance.bastion` does not set `associate_public_ip_address`: its subnet decides" in note
    assert (where.path, where.line) == (f"{infra}/modules/network/main.tf", 26)
    text = draft(iac.read(infra), "m", "x")
    bastion = text[text.index("server bastion") :]
    assert "public: true" in bastion[: bastion.index("}")]
    subnet = text[text.index('boundary public "Subnet public') :]
    assert "public: true" not in subnet[: subnet.index("server")]  # exposure is the elements', not the subnet's
    assert "# gives instances launched here a public IP (`map_public_ip_on_launch`)" in subnet


# 4. Several models, one infrastructure: what one links, the others do not report; `iac_out_of_scope`.
def test_models_sharing_one_infrastructure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edge, ops = MODELS / "edge.tm", MODELS / "ops.tm"
    args = ["check", "--against", str(SHOP), "--select", "TM7", "--color", "never"]
    assert main([*args, str(edge), str(ops)]) == 0
    capsys.readouterr()
    assert main([*args, "--fail-on", "warning", str(edge)]) == 1
    assert "warning[TM708]: `aws_instance.bastion` is reachable" in capsys.readouterr().out
    scoped = tmp_path / "edge.tm"
    header = '{\n  scope: "edge", cloud: aws\n  iac_out_of_scope: ["aws_instance.bastion"]\n}'
    scoped.write_text(edge.read_text().replace('{ scope: "edge", cloud: aws }', header))
    assert main([*args, "--fail-on", "warning", str(scoped)]) == 0
    capsys.readouterr()
    scoped.write_text(scoped.read_text().replace("aws_instance.bastion", "aws_instance.bastoin"))
    assert main([*args, str(scoped)]) == 1
    out = capsys.readouterr().out
    assert "error[TM701]: the model leaves out `aws_instance.bastoin` (EC2 instance), which is not in" in out
    assert "did you mean `aws_instance.bastion`?" in out and "TM708" not in out


# 10. One report per change, and hints that name the right resource.
def test_deleting_the_trail_is_reported_once(tmp_path: Path) -> None:
    audit = (SHOP / "audit.tf").read_text()
    trail = audit[audit.index('resource "aws_cloudtrail"') : audit.index('resource "aws_iam_policy"')]
    found = drift_of(SHOP_TM, edited(tmp_path, "audit.tf", trail, ""))
    assert [(d.code, d.message) for d in found] == [("TM706", f"`aws` claims `audit_log: true` but no CloudTrail "
        f"trail in `{tmp_path}/infra` (`aws_cloudtrail.main`, which it links, is not there)")]  # fmt: skip


def test_a_typo_is_one_finding_with_the_right_suggestion() -> None:
    found = drift_of(SHOP_TM.replace('"aws_lb.web", "aws_lb_listener.https"', '"aws_lb.wbe", "aws_lb_listener.https"'),
                     SHOP)  # fmt: skip
    assert codes(found) == [("TM701", "web")]  # not also TM708 for aws_lb.web, which it meant
    assert found[0].hint == "did you mean `aws_lb.web`?"
    found = drift_of(SHOP_TM.replace('iac: ["module.network.aws_subnet.public"]', 'iac: ["aws_subnet.public"]'), SHOP)
    assert [d.hint for d in found] == ["did you mean `module.network.aws_subnet.public`?"]


def test_a_removed_part_says_what_applies_without_it(tmp_path: Path) -> None:
    data = (SHOP / "data.tf").read_text()
    config = data[data.index('resource "aws_s3_bucket_server_side_encryption_configuration"') :]
    config = config[: config.index('resource "aws_s3_bucket_versioning"')]
    found = drift_of(SHOP_TM, edited(tmp_path, "data.tf", config, ""))
    assert codes(found) == [("TM701", "assets")]
    assert "(S3 bucket encryption), which is not in" in found[0].message
    assert (found[0].hint or "").startswith("without it, S3 still encrypts new objects with S3-managed keys")


# 11. What the rules say they check is what they check.
def test_encryption_hint_names_the_resource_setting(tmp_path: Path) -> None:
    infra = edited(tmp_path, "app.tf", "    encrypted = true\n", "    encrypted = false\n")
    (found,) = drift_of(SHOP_TM, infra)
    assert found.code == "TM704" and found.hint == (
        "set `root_block_device { encrypted = true }` on `aws_instance.bastion`, or drop the claim"
    )


def test_a_single_region_trail_does_not_log_the_account(tmp_path: Path) -> None:
    infra = edited(
        tmp_path, "audit.tf", "is_multi_region_trail         = true", "is_multi_region_trail         = false"
    )
    (found,) = drift_of(SHOP_TM, infra)
    assert found.code == "TM706" and found.message.endswith("`aws_cloudtrail.main` logs only its own region")


def test_plain_http_counts_unless_it_only_redirects(tmp_path: Path) -> None:
    listener = ('resource "aws_lb_listener" "http" {\n  load_balancer_arn = aws_lb.web.arn\n  port = 80\n'
                '  protocol = "HTTP"\n  default_action {\n    type = "%s"\n'
                '    target_group_arn = aws_lb_target_group.app.arn\n  }\n}\n')  # fmt: skip
    infra = edited(
        tmp_path, "alb.tf", 'resource "aws_acm_certificate"', listener % "forward" + 'resource "aws_acm_certificate"'
    )
    text = SHOP_TM.replace('ingress: ["0.0.0.0/0:443"]', 'ingress: ["0.0.0.0/0:443", "0.0.0.0/0:80"]')
    (found,) = drift_of(text, infra)
    assert found.message == "`web` claims `min_tls: 1.2` but `aws_lb_listener.http` accepts plain HTTP"
    (infra / "alb.tf").write_text((infra / "alb.tf").read_text().replace('type = "forward"', 'type = "redirect"'))
    assert drift_of(text, infra) == []


# 12. TM709 says what the model says (a default is not a claim) and does not skip unknown group lists.
def test_claims_not_verifiable_are_worded_and_not_skipped() -> None:
    text = (
        'datastore d "DB" { kind: sql, iac: ["aws_db_instance.d"] }\n'
        'process l "LB" { public: true, ingress: ["0.0.0.0/0:443"], iac: ["aws_lb.l"] }\n'
    )
    found = {(d.span.line, d.message) for d in drift_of(text, FIXTURES / "unknowns") if d.code == "TM709"}
    assert (1, "`d` is not `public` (the default), but the exposure (`publicly_accessible`) of `aws_db_instance.d` "
            "is known only after apply") in found  # fmt: skip
    assert (1, "`d` lists no `ingress`, but the ingress rule of `aws_db_instance.d` is known only after apply") in found
    assert (2, "`l` claims `ingress`, but the ingress rule of `aws_lb.l` is known only after apply") in found


# 14. Addresses, lists, port ranges.
def test_module_and_data_source_addresses_are_refused() -> None:
    _, diagnostics = check_text('process c "C" { iac: ["module.net", "data.aws_ami.ubuntu"] }\n', lint=False)
    assert [(d.code, d.message) for d in diagnostics] == [
        ("E202", '"module.net" is a module, not a resource: link the resources in it ("module.net.TYPE.NAME")'),
        ("E202", '"data.aws_ami.ubuntu" is a data source: it reads something deployed elsewhere; link that '
                 "resource instead"),
    ]  # fmt: skip


def test_one_address_without_brackets_is_a_link() -> None:
    found = [d for d in drift_of('process web "Web" { public: true, iac: "aws_lb.web" }\n', SHOP) if d.code != "TM708"]
    assert codes(found) == [("TM702", "web")]  # compared: its security group lets in 443, `ingress` lists nothing


def test_port_ranges_from_the_internet_are_flows(tmp_path: Path) -> None:
    rule = ('resource "aws_security_group_rule" "workers" {\n  type = "ingress"\n  from_port = 8000\n'
            '  to_port = 8100\n  protocol = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n'
            '  security_group_id = aws_security_group.bastion.id\n}\n')  # fmt: skip
    infra = edited(
        tmp_path,
        "security.tf",
        'resource "aws_security_group" "bastion"',
        rule + 'resource "aws_security_group" "bastion"',
    )
    text = draft(iac.read(infra), "m", "x")
    assert 'users -> bastion "TCP 8000-8100" { protocol: tcp }' in " ".join(text.split())
    model, diagnostics = check_text(text, "draft.tm", lint=False)
    assert model is not None and not [d for d in diagnostics if d.code.startswith("E")]


# 9. The draft does not guess.
def test_draft_leaves_unknown_what_aws_decides(tmp_path: Path) -> None:
    infra = edited(tmp_path, "data.tf", "  backup_retention_period = 7\n", "")
    audit = (infra / "audit.tf").read_text().replace("enable_logging                = true", "enable_logging = var.log")
    (infra / "audit.tf").write_text(audit + 'variable "log" {\n  type = bool\n}\n')
    text = draft(iac.read(infra), "m", "x")
    orders = text[text.index("datastore orders") :]
    orders = orders[: orders.index("}")]
    assert "backup:" not in orders
    assert ("# `backup` is not set, so AWS's default applies, which the configuration does not show "
            "(`aws_db_instance.orders` backup_retention_period)") in orders  # fmt: skip
    account = text[text.index('boundary aws "AWS account"') : text.index("datastore")]
    assert "\n  audit_log:" not in account
    assert "# trail logging is known only after apply (`aws_cloudtrail.main`)" in account
    flow = next(line for line in text.splitlines() if line.startswith("app ") and "orders" in line)
    assert "authenticated" not in flow  # PostgreSQL can run without a password: not drawn from the protocol


def test_a_trail_missing_from_the_configuration_is_not_audit_log_false(tmp_path: Path) -> None:
    audit = (SHOP / "audit.tf").read_text()
    trail = audit[audit.index('resource "aws_cloudtrail"') : audit.index('resource "aws_iam_policy"')]
    text = draft(iac.read(edited(tmp_path, "audit.tf", trail, "")), "m", "x")
    account = text[text.index('boundary aws "AWS account"') : text.index("datastore")]
    assert "\n  audit_log:" not in account
    assert "# no CloudTrail trail in this configuration: set `audit_log:` to what logs the account" in account


def test_the_drafted_shop_loads(tmp_path: Path) -> None:
    path = tmp_path / "model.tm"
    path.write_text(draft(iac.read(SHOP), "shop", "infra"))
    model, diagnostics = check_file(path, lint=False)
    assert model is not None and diagnostics == []


# 13. Locations: a raw state, SARIF's related locations and source root, drift's --select/--ignore.
def test_raw_state_points_at_each_resource() -> None:
    state = FIXTURES / "state" / "terraform.tfstate"
    lines = state.read_text().splitlines()
    infra = iac.read(state)
    where = {r.address: r.where.line for r in infra.resources}
    assert len(set(where.values())) == len(where) - 1  # the two instances of one resource share its line
    for resource in infra.resources:
        assert f'"type": "{resource.type}"' in lines[resource.where.line - 1], resource.address
        assert f'"name": "{resource.name.split("[")[0]}"' in lines[resource.where.line], resource.address


def test_sarif_message_links_its_related_locations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    import jsonschema

    infra = edited(tmp_path, "security.tf", "[var.admin_cidr]", '["0.0.0.0/0"]')
    model = tmp_path / "shop.tm"
    model.write_text(SHOP_TM)
    assert main(["drift", str(model), "--terraform", str(infra), "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    schema = json.loads((Path(__file__).parents[1] / "lint" / "sarif-schema-2.1.0.json").read_text())
    assert not list(jsonschema.Draft4Validator(schema).iter_errors(log))
    (result,) = log["runs"][0]["results"]
    assert result["message"]["text"].endswith("\nSee [`aws_security_group_rule.bastion_ssh` lets it in](0).")
    assert 'add "0.0.0.0/0:22" to `ingress`' in result["message"]["text"]
    assert result["relatedLocations"][0]["id"] == 0


def test_sarif_escapes_brackets_and_names_the_root_once() -> None:
    from tmdiag.diagnostics import Severity, Span
    from tmdiag.output.sarif import render_sarif

    finding = Diagnostic("TM708", "`x` is public", Span("m.tm", 1, 1, 1, 2), Severity.WARNING, 'iac: ["x"]')
    import json

    run = json.loads(render_sarif([finding], root=Path("/")))["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///"
    assert run["results"][0]["message"]["text"] == '`x` is public\nHelp: iac: \\["x"\\]'


def test_drift_select_and_ignore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    infra = edited(tmp_path, "security.tf", "[var.admin_cidr]", '["0.0.0.0/0"]')
    model = tmp_path / "shop.tm"
    model.write_text(SHOP_TM)
    args = ["drift", str(model), "--terraform", str(infra)]
    assert main([*args, "--ignore", "TM702"]) == 0
    assert main([*args, "--select", "TM703,TM704"]) == 0
    assert main([*args, "--select", "TM702"]) == 1
    capsys.readouterr()
    assert main([*args, "--select", "TM4"]) == 2
    assert "runs the drift rules (TM7xx)" in capsys.readouterr().err
