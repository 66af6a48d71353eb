"""The template context built from the example model and its real analysis results."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

import tmdiag
from tmdiag import pipeline
from tmdiag.model.nodes import Model
from tmdiag.report import ReportInputs, build_context
from tmdiag.report.values import RISKS

TODAY = datetime.date(2026, 11, 27)
EXAMPLE_PATH = "examples/checkout.tm"


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    model = tmdiag.load("examples/checkout.tm")
    found = pipeline.analyze(model, today=TODAY)
    inputs = ReportInputs(model, findings=found.findings, lint_diagnostics=found.lint, today=TODAY)
    return build_context(inputs)


def _inputs(model: Model) -> ReportInputs:
    return pipeline.report_inputs(pipeline.analyze(model, today=TODAY), draw=False)


def test_review_status(context: dict[str, Any]) -> None:
    review = context["report"]["review"]
    assert review == {"last": "2026-10-01", "every": "90d", "next_due": "2026-12-30", "overdue": False,
                      "days_overdue": 0, "today": "2026-11-27", "status": "current"}  # fmt: skip
    assert context["security_lead"]["id"] == "alice"


def test_anchors_are_stable_model_ids(context: dict[str, Any]) -> None:
    assert [e["anchor"] for e in context["elements"]] == ["el-customer", "el-web", "el-db", "el-fraud", "el-assistant"]
    assert [f["anchor"] for f in context["flows"]] == [f"flow-{n}" for n in range(1, 7)]
    assert [b["anchor"] for b in context["boundaries"]] == ["tb-internet", "tb-prod", "tb-public", "tb-private"]
    for t in context["threats"]:
        assert t["anchor"] == f"threat-{t['threat_id']}-{t['target']['id']}"
        assert t["target"]["anchor"], t  # every threat links to its element or flow


def test_elements_list_their_threats_and_flows(context: dict[str, Any]) -> None:
    web = context["element_by_id"]["web"]
    assert web["threats"] and all(t["target"]["id"] == "web" for t in web["threats"])
    assert [f["number"] for f in web["flows"]] == [1, 2, 3, 4, 5]
    assert [b["id"] for b in web["boundaries"]] == ["public", "prod"] and web["trust"] == "medium"
    flow_threats = [t for t in context["threats"] if t["target_kind"] == "flow"]
    for t in flow_threats:
        flow = context["flows"][t["target"]["number"] - 1]
        assert t in flow["threats"]


def test_flows_crossings_and_data(context: dict[str, Any]) -> None:
    submit = context["flows"][0]
    assert submit["source"]["id"] == "customer" and submit["sink"]["id"] == "web"
    assert [b["id"] for b in submit["exits"]] == ["internet"]
    assert [b["id"] for b in submit["enters"]] == ["public", "prod"]
    assert submit["encrypted"] and submit["authenticated"] and submit["protocol"] == "https"
    card = next(d for d in context["data"] if d["id"] == "card")
    assert [e["id"] for e in card["stored_in"]] == ["db"]
    assert [f["number"] for f in card["carried_by"]] == [1, 3]


def test_threat_agents_enter_and_reach(context: dict[str, Any]) -> None:
    fraudster = next(a for a in context["agents"] if a["id"] == "fraudster")
    assert [b["id"] for b in fraudster["enters"]] == ["internet"]
    # inside the boundary it enters, then one request flow from there (Model.reached_by)
    assert [(r["element"]["id"], r["how"]) for r in fraudster["reach"]] == [
        ("customer", "inside"), ("web", "flow"), ("assistant", "flow")
    ]  # fmt: skip
    assert [e["id"] for e in fraudster["reaches"]] == ["customer", "web", "assistant"]


def test_threats_ranked_and_plan_grouped_by_owner(context: dict[str, Any]) -> None:
    ranks = [RISKS.index(t["risk"]) for t in context["threats"]]
    assert ranks == sorted(ranks)
    open_threats = [t for t in context["threats"] if t["open"]]
    assert sum(len(g["threats"]) for g in context["plan"]) == len(open_threats)
    worst = [RISKS.index(g["worst"]) for g in context["plan"]]
    assert worst == sorted(worst)
    for group in context["plan"]:
        owner = group["owner"]["id"] if group["owner"] else None
        assert all((t["owner"]["id"] if t["owner"] else None) == owner for t in group["threats"])
    assert context["unowned_high"] == [t for t in open_threats if t["severe"] and t["owner"] is None]


def test_accepted_risks_keep_justification_and_expiry(context: dict[str, Any]) -> None:
    accepted = next(a for a in context["accepted"] if a["threat_id"] == "AC05")
    assert accepted["matched"] and accepted["threat"]["status"] == "accepted"
    assert accepted["decision"]["justification"] == "Read replicas are out of scope until Q2"
    assert accepted["decision"]["until"] == "2027-03-01" and not accepted["decision"]["expired"]
    assert accepted["owner"]["id"] == "dan"


def test_assumptions_and_controls(context: dict[str, Any]) -> None:
    assert next(a["text"] for a in context["assumptions"]) == "The AWS control plane itself is not compromised"
    assert context["element_by_id"]["db"]["assumptions"][0]["id"] == "A2"
    assert context["element_by_id"]["web"]["controls"][0]["id"] == "waf"


CLOUD_MODEL = """
model "Cloud" { reviewed: 2026-11-01, review_every: 90d }
team { lead "Lead" security_lead }
data pii "PII" { classification: secret, pii: true }
boundary acct "Account" {
  trust: high
  kind: account
  cloud: aws
  datastore bucket "Bucket" { kind: s3, public: true, stores: [pii], encrypted_at_rest: true }
  server ssh "Jump host" { ingress: ["0.0.0.0/0:22"] }
}
"""


def test_cloud_control_plane_findings_link_to_their_element(tmp_path: Path) -> None:
    path = tmp_path / "cloud.tm"
    path.write_text(CLOUD_MODEL, encoding="utf-8")
    model = tmdiag.load(path)
    context = build_context(_inputs(model))
    codes = {d["code"]: d for d in context["cloud_findings"]}
    assert {"TM401", "TM402", "TM403", "TM405"} <= set(codes)
    assert codes["TM402"]["target"]["anchor"] == "el-bucket"
    assert codes["TM401"]["target"]["anchor"] == "el-ssh"
    assert codes["TM403"]["target"]["anchor"] == "tb-acct"
    assert all(not d["code"].startswith("TM4") for d in context["lint_findings"])


def test_assumptions_list_the_findings_they_rule_out(tmp_path: Path) -> None:
    first = build_context(_inputs(tmdiag.load(EXAMPLE_PATH)))
    on_db = next(t for t in first["threats"] if t["target"]["id"] == "db")
    text = (
        Path(EXAMPLE_PATH)
        .read_text(encoding="utf-8")
        .replace(
            'assume "Card data is tokenised by the payment provider before storage" { on: [db] }',
            f'assume "Card data is tokenised by the payment provider before storage" {{ on: [db], '
            f"excludes: [{on_db['threat_id']}] }}",
        )
    )
    path = tmp_path / "model.tm"  # `import "std/aws.tm"` resolves from anywhere
    path.write_text(text, encoding="utf-8")
    model = tmdiag.load(path)
    context = build_context(_inputs(model))
    assumption = context["element_by_id"]["db"]["assumptions"][0]
    assert [(x["threat_id"], x["target"]["id"]) for x in assumption["rules_out"]] == [(on_db["threat_id"], "db")]
    assert on_db["anchor"] not in {t["anchor"] for t in context["threats"]}
