"""SARIF 2.1.0 (validated against the official schema shipped beside this test) and GitHub annotations."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest

from tmdiag.api import check_file
from tmdiag.diagnostics import Diagnostic, Severity, Span
from tmdiag.lint import lint
from tmdiag.lint.registry import all_rules
from tmdiag.output.github import annotation, render_github
from tmdiag.output.sarif import render_sarif

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
# From the npm package @microsoft/jest-sarif 1.0.0-beta.0 (MIT): lib/schemas/sarif-2.1.0-rtm.5.json,
# the schema of the SARIF 2.1.0 OASIS standard.
SCHEMA = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def findings() -> list[Diagnostic]:
    model, diagnostics = check_file("tests/lint/rules/TM401/fires.tm", lint=False)
    assert model is not None
    return diagnostics + lint(model, today=datetime.date(2026, 11, 27))


def validate(text: str) -> dict:  # type: ignore[type-arg]
    log = json.loads(text)
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    return log


def test_schema_file_is_the_sarif_schema() -> None:
    assert "2.1.0" in SCHEMA["title"] and SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


def test_sarif_is_valid_and_points_at_tm_lines(findings: list[Diagnostic]) -> None:
    log = validate(render_sarif(findings, ROOT))
    run = log["runs"][0]
    results = [r for r in run["results"] if r["ruleId"] == "TM401"]
    assert len(results) == 3
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "tests/lint/rules/TM401/fires.tm", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 4 and location["region"]["startColumn"] == 5
    assert results[0]["level"] == "error"
    rules = run["tool"]["driver"]["rules"]
    assert rules[results[0]["ruleIndex"]]["id"] == "TM401"


def test_sarif_rule_metadata_and_help_uris(findings: list[Diagnostic]) -> None:
    rules = json.loads(render_sarif(findings, ROOT))["runs"][0]["tool"]["driver"]["rules"]
    lint_rules = {r["id"]: r for r in rules if r["id"].startswith("TM")}
    assert list(lint_rules) == [r.code for r in all_rules()]
    for rule in lint_rules.values():
        assert rule["helpUri"].endswith(f"/docs/rules/{rule['id']}.md")
        assert (ROOT / "docs" / "rules" / f"{rule['id']}.md").is_file()
        assert rule["shortDescription"]["text"] and "How to fix" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert 0 < float(rule["properties"]["security-severity"]) <= 10


def test_sarif_with_validation_errors_and_absolute_paths(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tm"
    bad.write_text('process api "API" { encrypted: maybe }\napi -> nowhere\n')
    _, diagnostics = check_file(bad, lint=False)
    assert diagnostics and all(d.code.startswith("E") for d in diagnostics)
    absolute = [Diagnostic(d.code, d.message, Span(str(bad), 1, 1, 1, 2), d.severity) for d in diagnostics]
    log = validate(render_sarif(diagnostics + absolute, tmp_path))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"bad.tm"}  # relative to the source root, relative or absolute in the diagnostics
    ids = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {d.code for d in diagnostics} <= ids


def test_sarif_uris_are_percent_encoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # diagnostics name files relative to the working directory
    inside = tmp_path / "my models" / "shop #1.tm"
    outside = tmp_path.parent / "other dir" / "x.tm"
    found = [Diagnostic("TM101", "m", Span(str(p), 1, 1, 1, 2), Severity.WARNING)
             for p in (inside, outside, "rel dir/a b.tm", "../other dir/x.tm")]  # fmt: skip
    log = validate(render_sarif(found, tmp_path))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert uris[0] == "my%20models/shop%20%231.tm"
    assert uris[1] == outside.resolve().as_uri() and "%20" in uris[1]
    assert uris[2] == "rel%20dir/a%20b.tm"
    assert uris[3] == uris[1]  # outside the root, however it is named


def test_empty_sarif_is_valid() -> None:
    assert validate(render_sarif([], ROOT))["runs"][0]["results"] == []


def test_sarif_is_deterministic(findings: list[Diagnostic]) -> None:
    assert render_sarif(findings, ROOT) == render_sarif(list(findings), ROOT)


def test_github_annotation_format_and_escaping() -> None:
    d = Diagnostic("TM203", "50% of a\nsecret", Span("models/a,b.tm", 3, 5, 3, 9), Severity.ERROR, "use tls: 1.3")
    assert annotation(d) == (
        "::error file=models/a%2Cb.tm,line=3,col=5,endColumn=9,title=tmdiag TM203::"
        "50%25 of a%0Asecret%0Ahelp: use tls: 1.3"
    )
    warning = Diagnostic("TM101", "no lead", Span("m.tm", 1, 1, 4, 2), Severity.WARNING)
    info = Diagnostic("TM105", "x", Span("m.tm", 1, 1, 1, 2), Severity.INFO)
    lines = render_github([warning, info]).splitlines()
    assert lines[0] == "::warning file=m.tm,line=1,col=1,endLine=4,title=tmdiag TM101::no lead"
    assert lines[1].startswith("::notice file=m.tm,line=1,col=1,endColumn=2,")
