"""`tmdiag check` with lint options and output formats, and `tmdiag rules`, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tmdiag.cli import main

HERE = Path(__file__).parent
SCHEMA = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
WARN_ONLY = HERE / "rules" / "TM101" / "fires.tm"  # warnings (TM101) and info, no errors
ERRORS = HERE / "rules" / "TM401" / "fires.tm"
TODAY = ["--today", "2026-11-27"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_warnings_pass_by_default_and_fail_with_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(WARN_ONLY), *TODAY)
    assert code == 0 and "warning[TM101]" in out
    assert run(capsys, str(WARN_ONLY), "--fail-on", "warning", *TODAY)[0] == 1
    assert run(capsys, str(ERRORS), *TODAY)[0] == 1
    assert run(capsys, str(ERRORS), "--fail-on", "never", *TODAY)[0] == 0


def test_select_and_ignore(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(ERRORS), "--format", "json", "--select", "TM4", "--ignore", "TM401", *TODAY)
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(capsys, str(ERRORS), "--format", "json", "--select", "TM401", *TODAY)
    found = json.loads(out)
    assert code == 1 and {d["code"] for d in found} == {"TM401"} and len(found) == 3
    assert set(found[0]) >= {"code", "severity", "message", "path", "line", "column", "end_line", "end_column"}
    assert run(capsys, str(ERRORS), "--select", "TM777")[0] == 2


def test_today_makes_review_rules_reproducible(capsys: pytest.CaptureFixture[str]) -> None:
    path = HERE / "rules" / "TM104" / "clean.tm"
    assert "TM104" not in run(capsys, str(path), "--select", "TM104", "--today", "2026-12-30")[1]
    code, out, _ = run(capsys, str(path), "--select", "TM104", "--today", "2026-12-31", "--fail-on", "warning")
    assert code == 1 and "review overdue since 2026-12-30" in out
    with pytest.raises(SystemExit) as exit_:
        main(["check", str(path), "--today", "yesterday"])
    assert exit_.value.code == 2


def test_config_file_and_bad_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "m.tm"
    model.write_text(ERRORS.read_text())
    (tmp_path / "tmdiag.toml").write_text('severity = { TM401 = "warning" }\nignore = ["TM1", "TM2"]\n')
    code, out, _ = run(capsys, str(model), "--format", "json", *TODAY)
    assert code == 0 and {d["severity"] for d in json.loads(out) if d["code"] == "TM401"} == {"warning"}
    other = tmp_path / "strict.toml"
    other.write_text('fail-on = "info"\n')
    assert run(capsys, str(model), "--config", str(other), *TODAY)[0] == 1
    (tmp_path / "tmdiag.toml").write_text("select = [\n")
    code, out, err = run(capsys, str(model))
    assert code == 2 and "not valid TOML" in err and out == ""


def test_validation_errors_always_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "bad.tm"
    model.write_text('process api "API" { encrypted: maybe }\n')
    assert run(capsys, str(model), "--fail-on", "never", "--no-lint")[0] == 1
    assert run(capsys, str(tmp_path / "missing.tm"))[0] == 2


def test_sarif_and_github_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(ERRORS), "--format", "sarif", *TODAY)
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert any(r["ruleId"] == "TM401" for r in log["runs"][0]["results"])
    code, out, _ = run(capsys, str(ERRORS), "--format", "github", "--select", "TM401", *TODAY)
    lines = out.splitlines()
    assert code == 1 and len(lines) == 3
    assert lines[0].startswith("::error file=tests/lint/rules/TM401/fires.tm,line=4,col=5,")


def test_examples_are_lint_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "examples/", "--fail-on", "error", *TODAY)
    assert code == 0, out


def test_rules_lists_and_explains(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "TM203" in out and "TM4xx  Cloud control plane" in out
    assert main(["rules", "tm203"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("TM203 secret-data-unencrypted") and "How to fix:" in out and "docs/rules/TM203.md" in out
    assert main(["rules", "TM4", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["code"][:3] for r in listed] == ["TM4"] * len(listed) and listed[0]["example"]
    assert main(["rules", "TM2O3"]) == 2
    assert "did you mean `TM203`" in capsys.readouterr().err
    assert main(["rules", "secret-data-unencrypte"]) == 2
    assert "did you mean `secret-data-unencrypted`" in capsys.readouterr().err
    assert main(["rules", "secret-data-unencrypted"]) == 0  # what the suggestion offers works
    assert capsys.readouterr().out.startswith("TM203 secret-data-unencrypted")


def test_malformed_ingress_is_a_diagnostic_in_validation_and_lint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `²` passes str.isdigit() but not int(): validation and lint share one parser that rejects it.
    model = tmp_path / "m.tm"
    model.write_text('boundary b { process p { ingress: ["0.0.0.0/0:²", "0.0.0.0/0:22-*"] } }\n', encoding="utf-8")
    assert main(["check", "--format", "json", str(model)]) == 1
    codes = [d["code"] for d in json.loads(capsys.readouterr().out)]
    assert codes.count("E202") == 2
