"""Risk ranking (likelihood × impact, explained) and evidence for pytm findings."""

from __future__ import annotations

from pathlib import Path

from devtools import generate
from tests.threats.conftest import MODELS, TODAY, load_model, load_text
from tmdiag.threats import analyze
from tmdiag.threats.risk import RiskModel, level

SYSTEM = """
team { ann "Ann" security_lead }
data card "Card" { classification: secret }
data menu "Menu" { classification: public }
threat_agent thief "Thief" { enters: [internet] }
boundary internet "Internet" { trust: untrusted  actor user "User" }
boundary dc "DC" {
  trust: high
  process front "Front"
  process back "Back"
  process deep "Deep"
  process island "Island" { impact: critical }
  datastore menus "Menus" { stores: [menu] }
}
user -> front "Use" { data: [card] }
front -> back "Call" { data: [menu] }
back -> deep "Call deeper"
front -> menus "Read" { data: [menu] }
"""


def test_levels() -> None:
    assert [level(s) for s in (25, 20, 19, 12, 11, 6, 5, 3, 2, 1)] == [
        "critical", "critical", "high", "high", "medium", "medium", "low", "low", "info", "info"]  # fmt: skip


def test_exposure_follows_flows_and_agents() -> None:
    risk = RiskModel(load_text(SYSTEM))
    assert risk.exposure("user").adjustment == 1  # in the internet
    assert risk.exposure("front").adjustment == 1  # the thief enters the internet; one flow away
    assert risk.exposure("back").adjustment == 0  # two flows away
    assert risk.exposure("island").adjustment == -1  # no flow path
    assert risk.exposure("flow-1").adjustment == 1  # a flow is as exposed as its source
    assert "thief" in risk.exposure("front").reasons[0]


def test_impact_from_data_and_declared_impact() -> None:
    risk = RiskModel(load_text(SYSTEM))
    assert risk.asset_value("front").value == 4  # carries card (secret)
    assert risk.asset_value("menus").value == 1  # stores public data only
    assert risk.asset_value("island").value == 5  # declared impact: critical
    assert risk.asset_value("deep").value is None  # nothing known: impact = severity
    rating = risk.rate("front", "High", "Very High")
    assert (rating.likelihood, rating.impact, rating.score, rating.risk) == (5, 5, 25, "critical")
    assert rating.explanation.startswith("likelihood 5 = high 4 +1 threat agents reach front: thief")
    assert rating.explanation.endswith("score 5×5 = 25")  # severity 5 and asset value 4: rounded up, never lowered
    assert risk.rate("island", "Low", "Low").score == (2 - 1) * ((2 + 5 + 1) // 2)


def test_findings_are_ranked_by_level_score_model_order_then_id() -> None:
    findings = analyze(load_text(SYSTEM), today=TODAY).findings
    model = load_text(SYSTEM)
    order = {node.id: i for i, node in enumerate((*model.elements, *model.flows))}
    keys = [(["critical", "high", "medium", "low", "info"].index(f.risk), -f.score, order[f.target_id], f.threat_id)
            for f in findings]  # fmt: skip
    assert keys == sorted(keys)
    assert [f.rank for f in findings] == list(range(1, len(findings) + 1))
    assert findings[0].anchor == f"threat-{findings[0].threat_id}-{findings[0].target_id}"


def test_pytm_evidence_names_model_attributes() -> None:
    model = load_model(MODELS / "assistant.tm")
    by_key = {(f.threat_id, f.target_id): f for f in analyze(model, today=TODAY).findings}
    assert by_key[("LLM01", "model_a")].evidence == (
        "llm model_a: untrusted_input = true (default)",
        "llm model_a: content_filtering = false (default)",
    )
    assert by_key[("HA02", "partner")].evidence == ("external partner: physical_access = true",)
    assert by_key[("AC24", "summarise")].evidence == (
        "data build_token: credentials = true", "sink llm model_b: in_scope = true (default)",
        "data build_token: lifetime = hardcoded")  # fmt: skip
    assert ("DS06", "lookup") not in by_key  # no clearance is declared: tmdiag's reading (errata.py)
    parity = {(f.threat_id, f.target_id): f for f in analyze(model, today=TODAY, parity=True).findings}
    assert parity[("DS06", "lookup")].evidence == (  # names whose max_classification, and that it is a default
        "flow app -> kb (lookup): carries data ticket (sensitive) above the max_classification of the flow's own "
        "(unknown, the default) and its source server app (unknown, the default) and its sink datastore kb "
        "(unknown, the default)",
    )
    # `or`: only the side that was true; a declared value carries no "(default)"
    assert by_key[("DE01", "forward")].evidence == ("flow gateway -> app (forward): encrypted = false (default)",)
    assert by_key[("DE01", "complete")].evidence == (
        "source server app: in_scope = true (default)", "flow app -> model_a (complete) is a request, not a reply",
        "flow app -> model_a (complete): authenticates_destination = false (default)")  # fmt: skip
    assert by_key[("AC10", "app")].evidence[0] == "server app: an incoming flow's tls is below min_tls"


def test_every_pytm_finding_has_evidence_from_the_model() -> None:
    for path in (MODELS / "assistant.tm", MODELS / "pytm_sample.tm", Path("examples/checkout.tm")):
        for finding in analyze(load_model(path), today=TODAY).findings:
            assert finding.evidence, finding.threat_id
            assert not any("pytm condition" in line for line in finding.evidence), finding.evidence


def test_std_modules_type_check_and_fire() -> None:
    model = load_model(MODELS / "std_rules.tm")
    fired = {(f.threat_id, f.target_id) for f in analyze(model, today=TODAY).findings if f.source == "custom"}
    assert {("AWS001", "bucket"), ("AWS003", "admin_ui"), ("AWS004", "admin_ui"), ("AWS005", "bucket"),
            ("K8S002", "admin_ui"), ("AI001", "bot"), ("AI002", "flow-2"), ("AI003", "helper"),
            ("AI004", "bot"), ("AWS002", "flow-2"), ("K8S003", "flow-3")} <= fired  # fmt: skip
    assert ("AWS001", "bucket") in fired and not any(t == "AWS001" and x != "bucket" for t, x in fired)


def test_docs_mapping_table_is_generated_from_the_schema() -> None:
    text = Path("docs/threats.md").read_text(encoding="utf-8")
    assert generate.stale(generate.REPO, [generate.PYTM_MAPPING]) == [], "out of date: run `make docs`"
    assert "| `encrypted` | `controls.isEncrypted` | every element and flow |" in text


EDGES = """
team { ann "Ann" security_lead }
data email "Email" { classification: public, pii: true }
data keys "Keys" { classification: restricted, credentials: true, impact: high }
data blob "Blob" { classification: unknown }
threat_agent insider "Insider" { targets: [vault] }
actor visitor "Visitor"
boundary web "Web" { kind: internet  process site "Site" }
boundary shop "Shop" { public: true  process cart "Cart" }
boundary dc "DC" {
  trust: high
  process api "API" { public: true }
  process worker "Worker"
  datastore vault "Vault" { stores: [keys] }
  datastore mail "Mail" { stores: [email] }
  datastore bin "Bin" { stores: [blob] }
}
visitor -> worker "Visit"
worker -> mail "Write" { data: [email] }
"""


def test_exposure_and_asset_value_rules_of_docs_risk_md() -> None:
    risk = RiskModel(load_text(EDGES))
    assert risk.exposure("visitor").adjustment == 1  # an actor outside every boundary: the outside world
    assert risk.exposure("site").adjustment == 1  # in a `kind: internet` boundary
    assert risk.exposure("cart").adjustment == 1  # in a `public: true` boundary
    assert risk.exposure("api").adjustment == 1  # `public: true` itself
    assert risk.exposure("worker").adjustment == 0  # one flow from an exposed element, no agent
    assert risk.exposure("vault").adjustment == 1  # named in an agent's `targets:`
    assert "insider" in risk.exposure("vault").reasons[0]
    assert risk.exposure("bin").adjustment == -1
    assert risk.asset_value("mail").value == 3  # public but PII: at least 3
    assert risk.asset_value("vault").value == 4  # restricted credentials with `impact: high`
    assert risk.asset_value("vault").reasons == ("data keys: declared impact high",)
    assert risk.asset_value("bin").value is None  # unknown classification says nothing
    assert risk.asset_value("flow-2").value == 3  # a flow: the data it carries
    assert risk.rate("flow-2", "", "").explanation.startswith("likelihood 3 = unrated (medium) 3 +0")
