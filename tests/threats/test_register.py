"""The risk register responds to what the model states: facts close or lower threats with evidence,
lint findings are risks with owners and decisions, decisions scale (boundaries, kinds, patterns,
most specific wins), `in_progress` counts as open. Each behaviour from issue 11, tested."""

from __future__ import annotations

import dataclasses
import datetime
import json

from tests.threats.conftest import load_text
from tmdiag import pipeline
from tmdiag.cli import main
from tmdiag.diagnostics import Span
from tmdiag.model.levels import RiskLevel, Status
from tmdiag.results import Finding, Threat

TODAY = datetime.date(2026, 11, 27)
TEAM = 'team { ann "Ann" security_lead  bob "Bob" developer  carl "Carl" sre  dee "Dee" business_owner }\n'
ACCOUNT = (
    TEAM
    + """
data card "Card" { classification: secret, pii: true }
boundary internet "Internet" { trust: untrusted  actor user "User" }
boundary acct "AWS account" { kind: account, cloud: aws, trust: high, owner: carl{facts}
  process web "Web" { ingress: ["0.0.0.0/0:443"]{web} }
  datastore db "DB" { stores: [card] }
}
user -> web "Buy" { protocol: https, encrypted: true, data: [card], authenticated: true }
save: web -> db "Save" { data: [card], encrypted: true }
"""
)


def model(facts: str = "", web: str = "", extra: str = ""):  # type: ignore[no-untyped-def]
    text = ACCOUNT.replace("{facts}", facts).replace("{web}", web) + extra
    return load_text(text)


def register(m) -> tuple[Finding, ...]:  # type: ignore[no-untyped-def]
    return pipeline.analyze(m, today=TODAY).findings


def find(findings: tuple[Finding, ...], threat_id: str, target: str) -> Finding:
    return next(f for f in findings if f.threat_id == threat_id and f.target_id == target)


# ---- facts close or lower threats, with evidence -------------------------------------------------
def test_audit_log_on_a_boundary_closes_audit_log_manipulation_with_evidence() -> None:
    before = find(register(model()), "DE04", "db")
    assert before.status is Status.OPEN and not before.mitigated_by
    after = find(register(model(facts=", audit_log: true")), "DE04", "db")
    assert after.status is Status.MITIGATED
    assert after.mitigated_by == ("`audit_log: true` on boundary acct",)
    assert "mitigated by `audit_log: true` on boundary acct" in after.evidence


def test_mfa_required_closes_password_guessing_and_lowers_credential_threats() -> None:
    before = register(model())
    after = register(model(facts=", mfa: required"))
    assert find(before, "CR03", "web").is_open
    assert find(after, "CR03", "web").status is Status.MITIGATED  # closes: table
    both = find(register(model(facts=", mfa: required", web=", encrypts_session_data: true")), "AC20", "web")
    assert "`mfa: required` on boundary acct" in both.mitigated_by  # it feeds pytm's uses_mfa
    lowered = find(after, "AA01", "web")
    assert lowered.is_open and "-1 lowered by `mfa: required` on boundary acct" in lowered.explanation
    assert RATING[lowered.likelihood] == RATING[find(before, "AA01", "web").likelihood] - 1


def test_a_tls_version_on_a_flow_is_encryption_for_pytm_too() -> None:
    """Lint read `tls: 1.2` as encrypted while pytm saw the flow in clear (issue 13 trial). What the
    flow says of itself wins: `encrypted: false` beside a TLS version stays unencrypted (TM211)."""
    plain = 'user -> db "Peek" { data: [card]{flow} }\n'
    before = find(register(model(extra=plain.replace("{flow}", ""))), "DE03", "flow-3")
    assert before.is_open
    after = find(register(model(extra=plain.replace("{flow}", ", tls: 1.2"))), "DE03", "flow-3")
    assert after.status is Status.MITIGATED
    assert after.mitigated_by == ("`tls: 1.2` on flow flow-3",)
    contradicted = find(
        register(model(extra=plain.replace("{flow}", ", tls: 1.2, encrypted: false"))), "DE03", "flow-3"
    )
    assert contradicted.is_open


RATING = {"very_low": 1, "low": 2, "medium": 3, "high": 4, "very_high": 5}


def test_a_stated_protection_lists_what_it_closes_as_mitigated() -> None:
    before = find(register(model()), "INP13", "web")
    after = find(register(model(web=", validates_input: true")), "INP13", "web")
    assert before.is_open and after.status is Status.MITIGATED
    assert after.mitigated_by == ("`validates_input: true` on process web",)


def test_a_control_kind_on_a_boundary_covers_everything_inside() -> None:
    extra = 'control validation "Input validation library" { kind: input_validation, on: [acct], owner: bob }\n'
    found = find(register(model(extra=extra)), "INP13", "web")
    assert found.status is Status.MITIGATED
    assert found.mitigated_by == ("control validation (kind: input_validation)",)


def test_a_waf_lowers_injection_but_does_not_close_it() -> None:
    extra = 'control waf "AWS WAF" { kind: waf, on: [web], owner: bob }\n'
    found = find(register(model(extra=extra)), "INP13", "web")
    assert found.is_open and "likelihood lowered by control waf (kind: waf)" in found.evidence


def test_closing_ingress_to_the_world_lowers_every_threat_on_the_element() -> None:
    exposed = find(register(model()), "INP13", "web")
    closed = find(register(load_text(ACCOUNT.replace('"0.0.0.0/0:443"', '"10.0.0.0/8:443"')
                                     .replace("{facts}", "").replace("{web}", ""))), "INP13", "web")  # fmt: skip
    assert 'ingress open to the internet: "0.0.0.0/0:443"' in exposed.explanation
    assert exposed.score > closed.score


def test_parity_mode_ignores_every_stated_fact() -> None:
    m = model(facts=", audit_log: true, mfa: required", web=", validates_input: true")
    parity = pipeline.analyze(m, today=TODAY, parity=True)
    assert not any(f.mitigated_by for f in parity.findings)
    assert find(parity.findings, "DE04", "db").is_open


def test_remediation_closes_most_critical_and_high_findings() -> None:
    """The pair of issue 11: a misconfigured account, then the same after its remediation plan ran."""
    broken = model()
    plan = "".join(
        f'control {kind} "{kind}" {{ kind: {kind}, on: [web], owner: bob }}\n'
        for kind in ("input_validation", "output_encoding", "access_control", "least_privilege",
                     "session_management", "csrf_protection", "ddos_protection")
    )  # fmt: skip
    fixed = load_text(ACCOUNT.replace("{facts}", ", audit_log: true, mfa: required").replace("{web}", "")
                      .replace("stores: [card]", "stores: [card], encrypted_at_rest: true") + plan)  # fmt: skip
    before = [f for f in register(broken) if f.is_open and f.risk >= RiskLevel.HIGH]
    after = {(f.threat_id, f.target_id) for f in register(fixed) if f.is_open and f.risk >= RiskLevel.HIGH}
    closed = [f for f in before if (f.threat_id, f.target_id) not in after]
    assert len(closed) >= 0.75 * len(before), (len(closed), len(before))


# ---- lint findings are risks --------------------------------------------------------------------
def test_lint_findings_join_the_register_with_owner_level_and_decisions() -> None:
    m = load_text(ACCOUNT.replace('"0.0.0.0/0:443"', '"0.0.0.0/0:22"').replace("{facts}", "").replace("{web}", ""))
    findings = register(m)
    ssh = find(findings, "TM401", "web")
    assert ssh.source == "lint" and ssh.owner == "carl"  # the boundary's owner, as for threats
    assert ssh.risk is RiskLevel.CRITICAL and ssh.target_anchor == "el-web"
    audit = find(findings, "TM403", "acct")
    assert audit.target_kind == "boundary" and audit.owner == "carl"
    decided = load_text(m.sources["<string>"] + 'risk TM401 on web { status: accepted, owner: carl, '
                        'until: 2027-01-01, justification: "Break-glass access, alarmed" }\n')  # fmt: skip
    accepted = find(register(decided), "TM401", "web")
    assert accepted.status is Status.ACCEPTED and accepted.decision is not None


def test_a_stale_decision_on_a_lint_rule_is_reported_by_check(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.tm"
    path.write_text(ACCOUNT.replace("{facts}", "").replace("{web}", "")
                    + 'risk TM401 on web { status: accepted, owner: carl, until: 2027-01-01, '
                      'justification: "Break-glass access, alarmed" }\n', encoding="utf-8")  # fmt: skip
    assert main(["check", str(path), "--today", "2026-11-27", "--select", "TM4"]) == 1
    assert "stale risk decision: rule `TM401` finds nothing on `web`" in capsys.readouterr().out


# ---- decisions that scale -----------------------------------------------------------------------
SCOPED = """
risk DE04 on acct { status: accepted, owner: ann, until: 2027-01-01, justification: "CloudTrail data events on" }
risk "INP*" on process { status: false_positive, owner: bob, justification: "Static site generator, no input" }
risk INP13 on web { status: in_progress, owner: bob, due: 2026-11-01, ticket: "WEB-1" }
risk AC01 on "d*" { status: transferred, owner: dee, justification: "Managed by the DBA team's contract" }
"""


def test_the_most_specific_decision_wins_and_each_finding_says_which() -> None:
    findings = register(model(extra=SCOPED))
    assert find(findings, "DE04", "db").status is Status.ACCEPTED  # boundary: everything inside
    inp02 = find(findings, "INP02", "web")
    assert inp02.status is Status.FALSE_POSITIVE and inp02.decision is not None and inp02.decision.scope == "kind"
    exact = find(findings, "INP13", "web")  # exact target beats the kind + pattern
    assert exact.status is Status.IN_PROGRESS and exact.is_open and exact.overdue
    assert find(findings, "AC01", "db").status is Status.TRANSFERRED  # a pattern of ids
    assert find(findings, "AC01", "web").status is Status.OPEN  # does not match "d*"


def test_a_scoped_decision_that_decides_nothing_is_stale() -> None:
    extra = 'risk "LLM*" on acct { status: accepted, owner: ann, until: 2027-01-01, justification: "No LLM in it" }\n'
    analysis = pipeline.analyze(model(extra=extra), today=TODAY)
    assert any(d.code == "E406" and '"LLM*"' in d.message for d in analysis.diagnostics)


def test_in_progress_needs_a_due_date() -> None:
    from tmdiag.api import check_text

    _, found = check_text(ACCOUNT.replace("{facts}", "").replace("{web}", "")
                          + "risk INP13 on web { status: in_progress, owner: bob }\n", lint=False)  # fmt: skip
    assert any(d.code == "E404" and "needs `due:`" in d.message for d in found)


# ---- the plan leaves the tool -------------------------------------------------------------------
def test_github_format_gives_one_issue_per_owner_with_escaped_text(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.tm"
    path.write_text(ACCOUNT.replace("{facts}", "").replace("{web}", "").replace('"Web"', '"Web <b>|x|</b>"')
                    + SCOPED, encoding="utf-8")  # fmt: skip
    main(["threats", str(path), "--today", "2026-11-27", "--format", "github", "-q"])
    issues = json.loads(capsys.readouterr().out)
    owners = [i["owner"] for i in issues]
    assert len(owners) == len(set(owners)) and "carl" in owners
    assert all(i["labels"][0] == "threat-model" and i["labels"][1].startswith("risk:") for i in issues)
    body = next(i["body"] for i in issues if i["owner"] == "bob")
    assert "**2026-11-01 (overdue)**" in body and "WEB-1" in body  # the in-progress decision, past due
    assert "<b>" not in body  # model text is escaped Markdown


def test_lint_rules_read_what_control_kinds_and_boundary_facts_imply() -> None:
    """One notion of a fact: a `control` of kind content_filtering satisfies the lint rule that asks
    for content filtering, as it closes the threats that ask for it."""
    from tmdiag.lint import lint

    base = TEAM + 'boundary b "B" { trust: high  llm bot "Bot" { untrusted_input: true } }\n'
    bare = lint(load_text(base), today=TODAY)
    assert any(d.code == "TM601" for d in bare)
    guarded = load_text(base + 'control guard "Guardrails" { kind: content_filtering, on: [bot], owner: ann }\n')
    assert not any(d.code == "TM601" for d in lint(guarded, today=TODAY))
    assert guarded.flag(guarded.element("bot"), "content_filtering")  # type: ignore[arg-type]


def test_a_finding_ranked_elsewhere_keeps_every_other_field() -> None:
    threat = Threat("T1", "t", "d", "x", "m", "r", "high", "low", "pytm")
    values = {f.name: f"{f.name}-value" for f in dataclasses.fields(Finding)}
    values.update(threat=threat, span=Span("m.tm", 1, 1, 1, 2), evidence=("e",), risk=RiskLevel.HIGH, score=12,
                  status=Status.OPEN, decision=None, controls=("c",), rank=3, expired=True, mitigated_by=("m",),
                  overdue=True)  # fmt: skip
    finding = Finding(**values)
    assert finding.ranked(7) == dataclasses.replace(finding, rank=7)
