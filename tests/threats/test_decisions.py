"""Risk decisions, controls and assumptions applied to findings; stale and expired ones reported."""

from __future__ import annotations

import datetime

from tests.threats.conftest import TODAY, load_text
from tmdiag.threats import analyze

BASE = """
team { ann "Ann" security_lead  bob "Bob" developer  dan "Dan" business_owner }
data card "Card" { classification: secret }
boundary internet "Internet" { trust: untrusted  actor user "User" }
boundary dc "DC" {
  trust: high
  process app "App" { owner: bob }
  datastore db "DB" { stores: [card] }
}
up: user -> app "Upload" { data: [card] }
save: app -> db "Save" { data: [card] }
"""


def findings(extra: str, today: datetime.date = TODAY):  # type: ignore[no-untyped-def]
    analysis = analyze(load_text(BASE + extra), today=today)
    return {(f.threat_id, f.target_id): f for f in analysis.findings}, analysis


def test_without_decisions_everything_is_open_and_owned_by_the_element_owner() -> None:
    found, analysis = findings("")
    assert {f.status for f in found.values()} == {"open"}
    assert found[("INP02", "app")].owner == "bob"
    assert found[("DE04", "db")].owner is None
    assert analysis.diagnostics == ()


def test_control_marks_findings_mitigated_on_its_targets() -> None:
    found, analysis = findings('control waf "WAF" { on: [app], mitigates: [INP02, AC21] }')
    assert found[("INP02", "app")].status == "mitigated"
    assert found[("INP02", "app")].controls == ("waf",)
    assert found[("AC21", "app")].status == "mitigated"
    assert found[("AC12", "app")].status == "open"
    assert analysis.diagnostics == ()


def test_decisions_set_status_owner_and_keep_the_decision() -> None:
    found, analysis = findings("""
    control waf "WAF" { on: [app] }
    risk INP02 on app { status: mitigated, owner: ann, by: waf, ticket: "SEC-1" }
    risk DE04 on db { status: accepted, owner: dan, until: 2027-01-01, justification: "audited weekly" }
    risk CR06 on up { status: transferred, owner: dan, justification: "the CDN terminates TLS" }
    risk AC12 on app { status: false_positive, owner: bob, justification: "no privileges to escalate" }
    risk AC15 on app { status: avoided, owner: bob }
    """)
    assert analysis.diagnostics == ()
    inp02 = found[("INP02", "app")]
    assert (inp02.status, inp02.owner, inp02.controls) == ("mitigated", "ann", ("waf",))
    assert inp02.decision is not None and inp02.decision.get("ticket") == "SEC-1"
    assert (found[("DE04", "db")].status, found[("DE04", "db")].owner) == ("accepted", "dan")
    assert found[("CR06", "up")].status == "transferred"
    assert found[("AC12", "app")].status == "false_positive"
    assert found[("AC15", "app")].status == "avoided"


def test_stale_decision_is_an_error_at_the_threat_id() -> None:
    _, analysis = findings("risk INP03 on app { status: avoided, owner: bob }")
    [diagnostic] = analysis.diagnostics
    assert diagnostic.code == "E406" and diagnostic.severity.label == "error"
    assert "`INP03` does not apply to `app`" in diagnostic.message
    assert diagnostic.span.line == BASE.count("\n") + 1 and diagnostic.span.column == 6
    assert (diagnostic.hint or "").startswith("threats found on `app`: AA01, AA02")


def test_accepted_risk_past_expiry_is_an_error_and_the_finding_is_open_again() -> None:
    extra = 'risk DE04 on db { status: accepted, owner: dan, until: 2026-11-01, justification: "later" }'
    found, analysis = findings(extra)
    assert [d.code for d in analysis.diagnostics] == ["E407"]
    assert "expired on 2026-11-01" in analysis.diagnostics[0].message
    assert found[("DE04", "db")].status == "open"
    found, analysis = findings(extra, today=datetime.date(2026, 10, 31))
    assert analysis.diagnostics == ()
    assert found[("DE04", "db")].status == "accepted"


def test_assumptions_exclude_findings() -> None:
    found, analysis = findings('assume "The DB is only reachable from the app" { on: [db], excludes: [DE04] }')
    assert ("DE04", "db") not in found
    assert [(f.threat_id, f.target_id, f.assumption) for f in analysis.excluded] == [("DE04", "db", "A1")]
    assert analysis.diagnostics == ()


def test_unused_exclusion_and_control_claim_are_warnings() -> None:
    _, analysis = findings("""
    assume "x" { on: [db], excludes: [INP02] }
    control waf "WAF" { on: [db], mitigates: [INP02] }
    """)
    assert [(d.code, d.severity.label) for d in analysis.diagnostics] == [("E408", "warning"), ("E409", "warning")]


def test_severity_override_sets_the_level() -> None:
    found, _ = findings("risk DE04 on db { status: open, owner: dan, severity: info }")
    assert found[("DE04", "db")].risk == "info"
    assert "level set to info" in found[("DE04", "db")].explanation


def test_checkout_example_decisions() -> None:
    from pathlib import Path

    from tests.threats.conftest import load_model

    analysis = analyze(load_model(Path("examples/checkout.tm")), today=TODAY)
    by_key = {(f.threat_id, f.target_id): f for f in analysis.findings}
    assert by_key[("INP02", "web")].status == "mitigated"
    assert by_key[("INP02", "web")].controls == ("waf",)
    assert not [d for d in analysis.diagnostics if d.severity.label == "error"]


def test_analysis_of_a_broken_model_does_not_raise() -> None:
    """The LSP analyses models while they are being typed: errors must not become tracebacks."""
    from tmdiag.api import check_text

    broken = [
        "process a\nf: a -> nowhere\nrisk INP02 on ghost { status: mitigated }\n",
        "boundary b { process a }\nprocess a\nf: a -> f\ng: f -> a\n",
        'rule R1 "r" { severity: high, targets: [flow] }\nrule R2 "s" { targets: [nothing], when: x }\n',
        'data d { classification: nope }\nprocess a { stores: [d, e] }\na -> a { data: [d, zz], tls: "x" }\n',
        'assume "x" { on: [nowhere], excludes: [INP02] }\ncontrol c { on: [zz], mitigates: [QQ1] }\n',
    ]
    for text in broken:
        model, diagnostics = check_text(text, lint=False)
        assert diagnostics
        analyze(model, today=TODAY)


def test_decision_on_a_retired_pytm_threat_says_why() -> None:
    _, analysis = findings("risk AC22 on up { status: avoided, owner: bob }")
    [diagnostic] = analysis.diagnostics
    assert diagnostic.code == "E406" and "pytm no longer uses threat `AC22`" in diagnostic.message
    assert "replaced by AC23 and AC24" in (diagnostic.hint or "")
