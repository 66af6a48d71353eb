"""Trust is inherited by nested boundaries: one definition (`Boundary.get("trust")`, resolved by the
builder) that the model, lint, custom rules, risk, the report and the language server's hover read."""

from __future__ import annotations

import datetime

from tmdiag import pipeline
from tmdiag.api import loads
from tmdiag.lint import lint
from tmdiag.lsp.hover import describe
from tmdiag.report import build_context

NESTED = """\
team { ann "Ann" security_lead }
boundary internet "Internet" {
  trust: untrusted
  boundary cafe "Cafe wifi" {
    actor guest "Guest"
    boundary laptop "Laptop" { trust: high  process syncer "Sync agent" }
  }
}
boundary corp "Corp" {
  trust: low
  process api "API"
  boundary secure "Secure zone" { process vault "Vault" }
}
boundary lab "Lab" { process probe "Probe" }
guest -> api "Sync"
syncer -> vault "Backup" { authenticated: true, encrypted: true }
rule GUEST1 "From an untrusted zone" { targets: [actor], severity: high, when: trust == untrusted }
"""


def test_a_nested_boundary_without_trust_has_its_parents() -> None:
    model = loads(NESTED, "m.tm")
    trust = {b.id: (str(b.get("trust")), b.states_trust) for b in model.boundaries}
    assert trust == {
        "internet": ("untrusted", True), "cafe": ("untrusted", False), "laptop": ("high", True),
        "corp": ("low", True), "secure": ("low", False), "lab": ("medium", False),
    }  # fmt: skip
    assert [model.trust_of(e) for e in ("guest", "syncer", "vault", "probe")] == ["untrusted", "high", "low", "medium"]
    source = model.trust_source("cafe")
    assert source is not None and source.id == "internet"
    assert model.trust_source("lab") is None


def test_lint_compares_inherited_trust() -> None:
    # guest (cafe: untrusted, inherited) -> api (corp: low) unauthenticated: a step up in trust.
    # With `medium` for cafe it was a step down and TM201 stayed quiet.
    found = [d for d in lint(loads(NESTED, "m.tm")) if d.code == "TM201"]
    assert [d.span.line for d in found] == [15]
    assert "(untrusted → low)" in found[0].message


def test_custom_rules_read_inherited_trust_and_say_where_it_comes_from() -> None:
    analysis = pipeline.analyze(pipeline.load_text(NESTED, "m.tm"), lint=False, today=datetime.date(2026, 11, 1))
    (finding,) = [f for f in analysis.findings if f.threat_id == "GUEST1"]
    assert finding.target_id == "guest"
    assert "trust = untrusted (inherited from boundary internet)" in " ".join(finding.evidence)


def test_risk_counts_an_inherited_untrusted_zone_as_exposure() -> None:
    analysis = pipeline.analyze(pipeline.load_text(NESTED, "m.tm"), lint=False, today=datetime.date(2026, 11, 1))
    on_guest = [f for f in analysis.findings if f.target_id == "guest"]
    assert on_guest and all("+1 guest is exposed" in f.explanation for f in on_guest)


def test_report_and_hover_show_the_inherited_trust() -> None:
    analysis = pipeline.analyze(pipeline.load_text(NESTED, "m.tm"), lint=False, today=datetime.date(2026, 11, 1))
    context = build_context(pipeline.report_inputs(analysis, draw=False))
    boundaries = {b["id"]: b["trust"] for b in context["boundaries"]}
    assert boundaries["cafe"] == "untrusted" and boundaries["secure"] == "low"
    elements = {e["id"]: e["trust"] for e in context["elements"]}
    assert elements["guest"] == "untrusted"
    model = analysis.model
    assert "Trust: untrusted (inherited from `internet`)" in describe(model, model.boundary("cafe"), None)
    assert "Trust: medium (default)" in describe(model, model.boundary("lab"), None)
    assert "Trust: low\n" in describe(model, model.boundary("corp"), None) + "\n"
