"""Every view tells the same story (issue 11, "Every view agrees"): each test starts from the
issue's example and then checks the class of defect on more models: risk levels by severity in
every count, one reach for the risk engine and the report, one notion of "stored", one
`authenticates_source`, effective owners, no empty tables, paths as given."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest

import tmdiag
from tmdiag import pipeline
from tmdiag.api import check_text
from tmdiag.cli import main
from tmdiag.lint import lint
from tmdiag.lint.config import LintConfig
from tmdiag.model.levels import RiskLevel
from tmdiag.model.nodes import Model
from tmdiag.report import ReportInputs, build_context, render_report
from tmdiag.threats import adapter
from tmdiag.threats.risk import RiskModel

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 11, 27)
EXAMPLES = sorted((ROOT / "examples").glob("*.tm"))
SEVERITY = [level.value for level in RiskLevel.highest_first()]
ISSUE_MODEL = 'boundary b "B" { process p "P"  datastore d "D" }\np -> d "Write"\n'


def model_of(text: str) -> Model:
    return pipeline.load_text(text, "m.tm").require()


def context_of(model: Model) -> dict[str, Any]:
    analysis = pipeline.analyze(model, today=TODAY, lint=LintConfig())
    return build_context(pipeline.report_inputs(analysis, draw=False))


def markdown_of(model: Model) -> str:
    analysis = pipeline.analyze(model, today=TODAY, lint=LintConfig())
    return render_report(pipeline.report_inputs(analysis, draw=False))["report.md"].decode()


def in_severity_order(levels: list[str]) -> bool:
    return levels == sorted(levels, key=SEVERITY.index)


# ---- risk levels: by severity wherever counts are printed ---------------------------------------


def test_every_count_of_risk_levels_is_ordered_by_severity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("m.tm").write_text(ISSUE_MODEL, encoding="utf-8")
    assert main(["report", "m.tm", "-o", "out", "--today", "2026-11-27", "--no-diagram"]) == 0
    line = capsys.readouterr().out.splitlines()[0]  # Report: out/report.html  (N threats; open: …)
    cli = re.findall(r"\d+ (critical|high|medium|low|info)", line.partition("open:")[2])
    assert len(cli) >= 3 and in_severity_order(cli), line  # the issue's model: high, medium, low, info
    assert sorted(cli) != cli  # alphabetical order would differ: the test can fail
    md = Path("out/report.md").read_text(encoding="utf-8")
    summary = next(x for x in md.splitlines() if x.startswith("**Open threats:**"))
    assert re.findall(r"\d+ (critical|high|medium|low|info)", summary) == SEVERITY
    html = Path("out/report.html").read_text(encoding="utf-8")
    assert re.findall(r'class="card risk-(\w+)"', html) == SEVERITY
    document = json.loads(Path("out/threats.json").read_text(encoding="utf-8"))
    assert list(document["summary"]["open_by_risk"]) == SEVERITY
    assert main(["report", "m.tm", "-o", "out", "--today", "2026-11-27", "--no-diagram", "--format", "json"]) == 0
    assert list(json.loads(capsys.readouterr().out)["summary"]["open_by_risk"]) == SEVERITY
    assert main(["threats", "m.tm", "--today", "2026-11-27"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]  # 43 findings; 43 open: 16 high, …
    assert in_severity_order(re.findall(r"\d+ (critical|high|medium|low|info)", last)), last
    assert main(["threats", "m.tm", "--today", "2026-11-27", "--format", "json"]) == 0
    assert list(json.loads(capsys.readouterr().out)["summary"]["open_by_risk"]) == SEVERITY


def test_the_reports_risk_vocabulary_comes_from_the_enum() -> None:
    context = context_of(model_of(ISSUE_MODEL))
    assert context["risk_levels"] == SEVERITY
    assert list(context["summary"]["open_by_risk"]) == SEVERITY
    for group in context["plan"]:
        assert list(group["counts"]) == SEVERITY


# ---- threat agents: one reach ---------------------------------------------------------------------

REACH = """\
threat_agent insider "Insider" { enters: [dc] }
threat_agent outsider "Outsider" { enters: [net], targets: [web] }
threat_agent thief "Thief" { targets: [db] }
boundary net "Net" { trust: untrusted  actor user "User" }
boundary dc "DC" { trust: high  process web "Web"  datastore db "DB" }
user -> web "Order"
web -> db "Save"
"""


def test_report_reach_is_the_engines_reach_issue_model() -> None:
    """Was: the insider (no flow leaves `dc`) reached "—" though the engine rated `db` as reached;
    the outsider's `web` was listed twice (one flow from `net`, and a target)."""
    model = model_of(REACH)
    agents = {a["id"]: a for a in context_of(model)["agents"]}
    assert [e["id"] for e in agents["insider"]["reaches"]] == ["web", "db"]
    assert [e["id"] for e in agents["outsider"]["reaches"]] == ["user", "web"]
    assert [(r["element"]["id"], r["how"]) for r in agents["thief"]["reach"]] == [("db", "target")]
    md = markdown_of(model)
    insider = next(x for x in md.splitlines() if "agent-insider" in x)
    assert insider.endswith("| [Web](#el-web), [DB](#el-db) |"), insider
    outsider = next(x for x in md.splitlines() if "agent-outsider" in x)
    assert outsider.count("[Web](#el-web)") == 1, outsider


@pytest.mark.parametrize("path", [*EXAMPLES, ROOT / "tests/report/golden/small.tm"], ids=lambda p: p.name)
def test_report_reach_is_the_engines_reach_everywhere(path: Path) -> None:
    model = tmdiag.load(path)
    inputs = ReportInputs(model, today=TODAY)
    for agent in build_context(inputs)["agents"]:
        ids = [e["id"] for e in agent["reaches"]]
        assert len(ids) == len(set(ids)), agent["id"]  # each element once
        engine = [e.id for e in model.elements if agent["id"] in model.agents_reaching(e.id)]
        assert ids == engine, agent["id"]
    for element in model.elements:  # the risk engine's +1 names exactly these agents
        agents = model.agents_reaching(element.id)
        reasons = RiskModel(model).exposure(element.id).reasons
        if agents and "is exposed" not in reasons[0]:
            assert reasons == (f"+1 threat agents reach {element.id}: " + ", ".join(agents),)


def test_a_flow_explanation_names_the_end_each_agent_reaches() -> None:
    """Was: "threat agents reach its source api: thief" for an agent that targets the sink."""
    model = model_of(
        'threat_agent thief "Thief" { targets: [db] }\nthreat_agent spy "Spy" { targets: [api] }\n'
        'process api "API"\ndatastore db "DB"\nprocess log "Log"\napi -> db "Save"\nlog -> db "Append"\n'
    )
    risk = RiskModel(model)
    assert risk.exposure("flow-2").reasons == ("+1 threat agents reach its sink db: thief",)
    assert risk.exposure("flow-1").reasons == ("+1 threat agents reach its source api: spy; its sink db: thief",)
    for finding in pipeline.analyze(model, today=TODAY, lint=False).findings:
        if finding.target_id == "flow-2":
            assert "its source log" not in finding.explanation and "its sink db: thief" in finding.explanation


# ---- one notion of "stored" -----------------------------------------------------------------------

STORED = """\
data h "H" { classification: secret }
data r "R" { classification: sensitive, pii: true }
data x "X" { classification: secret }
process p "P"
process q "Q"
datastore d "D"
p -> d "Write" { data: [h] }
p -> d "Query" reply "Rows" { data: [r] }
p -> q "Pass" { data: [x] }
"""


def test_stored_means_the_same_to_lint_report_risk_and_pytm() -> None:
    """Was: TM301 said `d` keeps `h` unencrypted (data that only flows in) while the report listed `h`
    as stored nowhere; data read out of a store counted nowhere."""
    model = model_of(STORED)
    assert [d.id for d in model.stored_data("d")] == ["h", "r"]
    assert [e.id for e in model.stored_in("h")] == ["d"] and model.stored_in("x") == ()
    tm301 = [d.message for d in lint(model, LintConfig(select=("TM301",)), TODAY)]
    assert tm301 == ["datastore `d` keeps `h`, `r` unencrypted at rest"]
    context = context_of(model)
    stored_in = {d["id"]: [e["id"] for e in d["stored_in"]] for d in context["data"]}
    assert stored_in == {"h": ["d"], "r": ["d"], "x": []}
    assert [d["id"] for d in context["element_by_id"]["d"]["stores"]] == ["h", "r"]
    md = markdown_of(model)
    assert re.search(r"\*\*H\*\* \|.*\| \[D\]\(#el-d\) \|", md) and re.search(r"\*\*X\*\* \|.*\| — \|", md)
    compiled = adapter.build(model)
    assert compiled.data["h"].isStored and compiled.data["r"].isStored and not compiled.data["x"].isStored
    store = compiled.objects["d"]
    assert store.storesSensitiveData and store.storesPII
    assert "data h: classification secret" in RiskModel(model).asset_value("d").reasons
    from tmdiag.lsp.hover import describe

    assert "stored in 1 datastore" in describe(model, model.data[0], None)  # the editor's hover too (singular)
    assert "stored in 0 datastores" in describe(model, model.data[2], None)


def test_stores_alone_is_stored_too_and_declared_flags_win() -> None:
    model = model_of(
        'data h "H" { classification: secret }\ndatastore d "D" { stores: [h], stores_sensitive_data: false }\n'
    )
    assert [d.id for d in model.stored_data("d")] == ["h"]
    compiled = adapter.build(model)
    assert compiled.data["h"].isStored and not compiled.objects["d"].storesSensitiveData


# ---- authenticated is authenticates_source --------------------------------------------------------

AUTH = """\
boundary net "Net" { trust: untrusted  actor u "U" }
boundary dc "DC" { trust: high  process p "P" }
u -> p "One" { authenticates_source: true, encrypted: true }
u -> p "Two" { authenticated: true, encrypted: true }
u -> p "Three" { encrypted: true }
u -> p "Four" { authenticated: false, encrypted: true }
"""


def test_authenticated_and_authenticates_source_are_one_attribute_for_every_reader() -> None:
    """Was: `authenticates_source: true` showed Authenticated "no" in the report while lint and pytm
    treated the flow as authenticated."""
    model = model_of(AUTH)
    assert [f.get("authenticates_source") for f in model.flows] == [True, True, False, False]
    assert [f.get("authenticated") for f in model.flows] == [True, True, False, False]
    assert [f.has("authenticated") for f in model.flows] == [True, True, False, True]
    assert [f["authenticated"] for f in context_of(model)["flows"]] == [True, True, False, False]
    rows = [x for x in markdown_of(model).splitlines() if x.startswith('| <a id="flow-')]
    assert [x.split(" | ")[-2] for x in rows] == ["yes", "yes", "**no**", "**no**"]
    unauthenticated = [d.span.line for d in lint(model, LintConfig(select=("TM201",)), TODAY)]
    assert unauthenticated == [5, 6]
    compiled = adapter.build(model)
    assert [compiled.objects[f.id].controls.authenticatesSource for f in model.flows] == [True, True, False, False]


def test_giving_both_names_is_an_error_at_the_second() -> None:
    """Was: `authenticated: true, authenticates_source: false` was accepted and pytm got False."""
    text = 'process a "A"\nprocess b "B"\na -> b "X" { authenticated: true, authenticates_source: false }\n'
    _, diagnostics = check_text(text, "m.tm", lint=False)
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [("E204", 3, 35)]
    assert "`authenticated` is another name for it" in diagnostics[0].message
    assert diagnostics[0].related[0][1].column == 14
    with pytest.raises(tmdiag.TmError):
        pipeline.load_text(text, "m.tm").require()


# ---- owners: the effective one, and where it comes from -------------------------------------------

OWNERS = """\
team { ann "Ann" security_lead  ben "Ben" sre }
boundary outer "Outer" { owner: ben
  boundary inner "Inner" { process p "P"  process q "Q" { owner: ann } }
}
process loose "Loose"
p -> q "Call"
"""


def test_sections_show_the_owner_findings_get_and_where_it_comes_from() -> None:
    """Was: "Owner: _unowned_" on an element whose findings were owned through its boundary."""
    model = model_of(OWNERS)
    context = context_of(model)
    elements = context["element_by_id"]
    assert elements["p"]["owner"]["id"] == "ben" and elements["p"]["owner_from"]["id"] == "outer"
    assert elements["q"]["owner"]["id"] == "ann" and elements["q"]["owner_from"] is None
    assert elements["loose"]["owner"] is None and elements["loose"]["owner_from"] is None
    boundaries = {b["id"]: b for b in context["boundaries"]}
    assert boundaries["inner"]["owner"]["id"] == "ben" and boundaries["inner"]["owner_from"]["id"] == "outer"
    for threat in context["threats"]:  # no decisions here: a finding's owner is its target's
        target = elements.get(threat["target"]["id"])
        if target is not None:
            assert (threat["owner"] or {}).get("id") == (target["owner"] or {}).get("id")
    md = markdown_of(model)
    assert "- Owner: [Ben](#member-ben) (from boundary [Outer](#tb-outer))" in md
    assert "- Owner: [Ann](#member-ann)\n" in md and "- Owner: _unowned_" in md
    html = render_report(pipeline.report_inputs(pipeline.analyze(model, today=TODAY, lint=False), draw=False))
    assert re.search(r'from boundary</span> <a href="#tb-outer">Outer</a>', html["report.html"].decode())


# ---- no header-only tables ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ['process p "P"\n', ISSUE_MODEL, REACH], ids=["bare", "issue", "agents"])
def test_markdown_has_no_empty_tables_and_says_what_the_html_says(text: str) -> None:
    model = model_of(text)
    files = render_report(pipeline.report_inputs(pipeline.analyze(model, today=TODAY, lint=False), draw=False))
    md, html = files["report.md"].decode(), files["report.html"].decode()
    lines = md.splitlines()
    for number, line in enumerate(lines):
        if re.fullmatch(r"\|(---\|)+", line):
            assert lines[number + 1].startswith("|"), f"empty table above line {number + 1}: {lines[number - 1]}"
    for empty in ("No team declared.", "No trust boundaries declared.", "No data assets declared.",
                  "No threat agents declared.", "No controls declared.", "No flows declared."):  # fmt: skip
        assert (empty in md) == (empty in html), empty


# ---- paths as given, relative to the working directory -------------------------------------------


def test_report_names_the_model_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was: `tmdiag report /abs/path/m.tm` wrote the absolute path into every file."""
    (tmp_path / "models").mkdir()
    (tmp_path / "work").mkdir()
    model = tmp_path / "models" / "m.tm"
    model.write_text('import "lib.tm"\n' + ISSUE_MODEL, encoding="utf-8")
    (tmp_path / "models" / "lib.tm").write_text('process lib "Lib"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    for given, shown in ((str(model), "../models/m.tm"), ("../models/./m.tm", "../models/m.tm")):
        assert main(["report", given, "-o", "out", "--today", "2026-11-27", "-q"]) == 0
        files = {name: (Path("out") / name).read_text(encoding="utf-8") for name in ("report.html", "report.md",
                                                                                     "threats.json")}  # fmt: skip
        for name, text in files.items():
            assert str(tmp_path) not in text, name
        assert f"| Source | {shown} |" in files["report.md"]
        assert f"<code>{shown}</code>" in files["report.html"]
        document = json.loads(files["threats.json"])
        assert document["model"]["path"] == shown
        paths = {f["target"]["path"] for f in document["findings"]}
        assert paths == {shown, "../models/lib.tm"}
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(model), "-o", "out", "-q", "--no-diagram"]) == 0
    assert "| Source | models/m.tm |" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
