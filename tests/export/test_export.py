"""`tmdiag export`: OTM valid against the official 0.2.0 schema and complete; export → import →
export byte-identical on the examples; tmdiag's JSON valid against docs/schemas; the pytm script,
run with plain pytm in a subprocess, finds what raw pytm finds for the model."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from tmdiag import pipeline
from tmdiag.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.tm"))
OTM_SCHEMA_PATH = ROOT.parent / "shared" / "specs" / "otm-0.2.0.schema.json"
if not OTM_SCHEMA_PATH.exists():  # a worktree beside main: shared/ is beside the checkouts' parent
    OTM_SCHEMA_PATH = Path("/work/shared/specs/otm-0.2.0.schema.json")
SCHEMAS = ROOT / "docs" / "schemas"
TODAY = "2026-11-27"


def export(capsys: pytest.CaptureFixture[str], path: Path | str, to: str, *extra: str) -> str:
    assert main(["export", str(path), "--to", to, "--today", TODAY, *extra]) == 0
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def otm_schema() -> dict:  # type: ignore[type-arg]
    if not OTM_SCHEMA_PATH.exists():
        pytest.skip("the OTM schema is kept in ../shared/specs")
    return json.loads(OTM_SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_otm_is_valid_and_complete(path: Path, otm_schema: dict, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[type-arg]
    document = json.loads(export(capsys, path, "otm"))
    jsonschema.Draft7Validator(otm_schema).validate(document)
    model = pipeline.load(path).require()
    analysis = pipeline.analyze(model, today=datetime.date.fromisoformat(TODAY))  # the register
    assert [c["id"] for c in document["components"]] == [e.id for e in model.elements]
    assert [f["id"] for f in document["dataflows"]] == [f.id for f in model.flows]
    assert [z["id"] for z in document["trustZones"] if z["type"] != "synthetic"] == [b.id for b in model.boundaries]
    assert [a["id"] for a in document["assets"]] == [d.id for d in model.data]
    assert len(document["threats"]) == len(analysis.findings)
    zones = {z["id"]: z for z in document["trustZones"]}
    for boundary in model.boundaries:
        zone = zones[boundary.id]
        assert zone.get("parent") == ({"trustZone": boundary.parent} if boundary.parent else None)
        assert (
            zone["risk"]["trustRating"]
            == {"untrusted": 0, "low": 25, "medium": 50, "high": 75, "full": 100}[str(boundary.get("trust"))]
        )
    instances = [t for c in [*document["components"], *document["dataflows"]] for t in c["threats"]]
    on_components_and_flows = {f"{f.threat_id}@{f.target_id}" for f in analysis.findings
                                if model.element(f.target_id) or model.flow(f.target_id)}  # fmt: skip
    assert sorted(i["threat"] for i in instances) == sorted(on_components_and_flows)
    mitigations = {m["id"] for m in document["mitigations"]}
    assert {c.id for c in model.controls} <= mitigations
    assert all(m["mitigation"] in mitigations for i in instances for m in i["mitigations"])


def test_otm_threats_carry_the_findings_risk(capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(export(capsys, ROOT / "examples" / "checkout.tm", "otm"))
    by_id = {t["id"]: t for t in document["threats"]}
    accepted = by_id["AC05@store"]
    assert accepted["attributes"]["status"] == "accepted" and accepted["attributes"]["risk"] in ("critical", "high")
    store = next(f for f in document["dataflows"] if f["id"] == "store")
    instance = next(i for i in store["threats"] if i["threat"] == "AC05@store")
    assert instance["state"] == "accepted"
    assert instance["mitigations"] == [{"mitigation": "decision:AC05@store", "state": "accepted"}]
    web = next(c for c in document["components"] if c["id"] == "web")
    inp02 = next(i for i in web["threats"] if i["threat"] == "INP02@web")
    assert {"mitigation": "waf", "state": "implemented"} in inp02["mitigations"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_export_import_export_is_stable(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = export(capsys, path, "otm", "--project-id", "p")
    otm = tmp_path / "model.otm.json"
    otm.write_text(first, encoding="utf-8")
    drafted = tmp_path / "model.tm"
    assert main(["import", "otm", str(otm), "-o", str(drafted)]) == 0
    err = capsys.readouterr().err
    assert "error" not in err  # only notes: threats are enumerated again, not imported
    assert main(["check", str(drafted), "--today", TODAY, "--no-lint", "-q"]) == 0
    from tmdiag.fmt import format_text

    text = drafted.read_text(encoding="utf-8")
    assert format_text(text) == text
    capsys.readouterr()
    assert export(capsys, drafted, "otm", "--project-id", "p") == first


REGISTER_CASES = [*EXAMPLES, ROOT / "tests" / "diff" / "cases" / "after.tm", ROOT / "tests/export/cases/suppressed.tm",
                  ROOT / "tests/lint/rules/TM202/fires.tm"]  # fmt: skip


@pytest.mark.parametrize("path", REGISTER_CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_exports_carry_the_register_of_tmdiag_threats(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same findings as `tmdiag threats --format json`: lint findings that are risks included
    (was: `--to json` and `--to otm` left them out, 87 findings against 89)."""
    main(["threats", str(path), "--format", "json", "--today", TODAY])
    register = json.loads(capsys.readouterr().out)["findings"]
    expected = sorted((f["threat_id"], f["target"]["id"], f["status"]) for f in register)
    model_json = json.loads(export(capsys, path, "json"))["threats"]["findings"]
    assert sorted((f["threat_id"], f["target"]["id"], f["status"]) for f in model_json) == expected
    otm = json.loads(export(capsys, path, "otm"))["threats"]
    assert sorted((t["attributes"]["threat_id"], t["attributes"]["target"], t["attributes"]["status"])
                  for t in otm) == expected  # fmt: skip
    if path.name in ("after.tm", "fires.tm"):
        assert any(f["threat_id"].startswith("TM") for f in register)  # lint risks are in it


def test_suppressions_survive_the_otm_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Inline suppressions on statements, attribute lines, a reply, a team member: an export keeps
    them, an import writes them back where they cover the same findings, the register is the same."""
    case = ROOT / "tests" / "export" / "cases" / "suppressed.tm"
    first = export(capsys, case, "otm", "--project-id", "p")
    assert "not carried" not in capsys.readouterr().err
    otm = tmp_path / "s.otm.json"
    otm.write_text(first, encoding="utf-8")
    drafted = tmp_path / "s.tm"
    assert main(["import", "otm", str(otm), "-o", str(drafted)]) == 0
    text = drafted.read_text(encoding="utf-8")
    assert text.count("# tmdiag: ignore[") == case.read_text(encoding="utf-8").count("# tmdiag: ignore[") == 7
    assert "    # tmdiag: ignore[TM401] reason: bastion, session-recorded\n    ingress:" in text  # on its attribute
    capsys.readouterr()
    assert export(capsys, drafted, "otm", "--project-id", "p") == first
    main(["check", str(drafted), "--today", TODAY])
    assert "TM902" not in capsys.readouterr().out  # each one still suppresses something


def test_a_suppression_otm_cannot_carry_is_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "m.tm"
    text = 'process a "A"\n# tmdiag: ignore[TM201] reason: no such flow any more\n'
    model.write_text(
        text + 'rule CUST1 "Custom" { severity: medium, targets: [process], when: true }\n', encoding="utf-8"
    )
    main(["export", str(model), "--to", "otm", "--today", TODAY])
    err = capsys.readouterr().err  # the file as tmdiag names it: relative to the working folder
    assert f"{os.path.relpath(model)}:2: this suppression covers no statement OTM has a place for" in err


def test_one_value_and_a_list_of_one_export_alike(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = 'process web "Web"\ncontrol waf "WAF" {{ kind: waf, on: {on}, mitigates: {threats} }}\n'
    outs = []
    for on, threats in (("web", "INP02"), ("[web]", "[INP02]")):
        path = tmp_path / "m.tm"
        path.write_text(text.format(on=on, threats=threats), encoding="utf-8")
        outs.append(export(capsys, path, "otm", "--project-id", "p"))
    assert outs[0] == outs[1]
    assert '"on": "[\\"web\\"]"' in outs[0]


def test_exports_are_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    args = [sys.executable, "-m", "tmdiag", "export", "examples/serverless-assistant.tm", "--today", TODAY, "--to"]
    for to in ("otm", "json", "pytm"):
        runs = {subprocess.run([*args, to], capture_output=True, cwd=ROOT, check=True,
                               env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}  # fmt: skip
        assert len(runs) == 1


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_model_json_matches_its_schema(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(export(capsys, path, "json"))
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.schema.json")}
    registry = (
        Registry()
        .with_resources((name, Resource.from_contents(schema)) for name, schema in schemas.items())
        .with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas.values())
    )
    jsonschema.Draft202012Validator(schemas["model.schema.json"], registry=registry).validate(document)
    model = pipeline.load(path).require()
    assert [e["id"] for e in document["model"]["elements"]] == [e.id for e in model.elements]
    assert document["threats"]["format_version"] == 2


def test_check_json_matches_its_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tm"
    bad.write_text('data card "Card" { clasification: secret }\nprocess a "A"\nprocess a "B"\n', encoding="utf-8")
    main(["check", "--format", "json", str(bad)])
    document = json.loads(capsys.readouterr().out)
    assert {d["code"] for d in document} >= {"E201"}
    jsonschema.validate(document, json.loads((SCHEMAS / "check.schema.json").read_text(encoding="utf-8")))


def parity_pairs(path: Path) -> set[tuple[str, str]]:
    """What `tmdiag threats --pytm-parity` finds (exactly raw pytm), excluded findings included;
    nothing else (no custom rule: k8s-shop and serverless-assistant import std rules)."""
    analysis = pipeline.analyze(pipeline.load(path), lint=False, parity=True)
    found = (*analysis.threats.findings, *analysis.threats.excluded)
    assert {f.source for f in found} == {"pytm"}
    return {(f.threat_id, f.target_label) for f in found}


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_pytm_script_reproduces_raw_pytm(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "model_pytm.py"
    assert main(["export", str(path), "--to", "pytm", "-o", str(script), "-q"]) == 0
    out = tmp_path / "out.json"
    subprocess.run([sys.executable, str(script), "--json", str(out)], cwd=tmp_path, check=True, capture_output=True,
                   timeout=120)  # fmt: skip
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    pairs = {(f["threat_id"], f["target"]) for f in findings}
    expected = parity_pairs(path)
    assert pairs == expected
    assert len(expected) > 30


def test_pytm_script_writes_model_text_as_literals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "evil.tm"
    model.write_text('model "x\\"\\"\\" ; import os" {}\n'
                     'process a "__import__(\'os\').system(\'echo pwned\')" {\n'
                     '  description: "\\"); raise SystemExit(3) #"\n}\n'
                     'process b "B"\na -> b "\'\'\' + x" { protocol: https }\n', encoding="utf-8")  # fmt: skip
    script = tmp_path / "evil_pytm.py"
    assert main(["export", str(model), "--to", "pytm", "-o", str(script), "-q"]) == 0
    done = subprocess.run([sys.executable, str(script), "--json", str(tmp_path / "o.json")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "pwned" not in done.stdout
    names = {e["name"] for e in json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))["elements"]}
    assert "__import__('os').system('echo pwned')" in names


def test_export_refuses_a_model_with_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tm"
    bad.write_text('proces a "A"\n', encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["export", str(bad), "--to", "otm", "-o", str(out)]) == 1
    assert not out.exists() and "error[E001]" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "none.tm"), "--to", "otm"]) == 2


@pytest.mark.slow
def test_pytm_script_outputs_the_docs_suggest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """docs/export.md suggests `--dfd`, `--seq` and `--json` (they work) and warns that pytm 1.4.0's
    `--report` fails when a data asset is on two flows (was: suggested, and it crashed). If pytm
    fixes its bug, this test says so: update the docs and the script's docstring."""
    script = tmp_path / "shop_pytm.py"
    assert main(["export", str(ROOT / "examples" / "checkout.tm"), "--to", "pytm", "-o", str(script), "-q"]) == 0
    assert "`--report` fails when a data asset is on two or more flows" in script.read_text(encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(script), *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip

    assert run("--dfd").stdout.startswith("digraph tm {")
    assert run("--seq").stdout.startswith("@startuml")
    template = tmp_path / "tpl.md"
    template.write_text("# {tm.name}\n", encoding="utf-8")
    broken = run("--report", str(template))
    assert broken.returncode != 0 and "'Data' object has no attribute 'name'" in broken.stderr
    docs = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    assert "$ python model_pytm.py --report" not in docs and "`--report` fails" in docs
