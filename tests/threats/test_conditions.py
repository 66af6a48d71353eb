"""Custom rule conditions: type errors are positioned E405 diagnostics from `tmdiag check`;
well-typed conditions are evaluated with the documented path semantics."""

from __future__ import annotations

import pytest

from tests.threats.conftest import load_text
from tmdiag.api import check_text
from tmdiag.semantics import rules as rule_types
from tmdiag.threats import analyze
from tmdiag.threats import rules as rule_eval

BASE = """
team { ann "Ann" security_lead }
data card "Card" { classification: secret, pii: true }
data key "Key" { classification: secret, credentials: true, lifetime: long }
data menu "Menu" { classification: public }
boundary internet "Internet" { trust: untrusted  actor user "User" }
boundary dc "DC" {
  trust: high
  boundary inner "Inner" { trust: full  datastore db "DB" { stores: [card], public: true } }
  process app "App" { owner: ann }
  datastore cache "Cache" { stores: [menu] }
}
up: user -> app "Upload" { data: [card], protocol: https, port: 443 }
save: app -> db "Save" { data: [card, key], encrypted: true, tls: 1.2 }
warm: app -> cache "Warm" { data: [menu] }
"""


def rule_errors(when: str, targets: str = "datastore") -> list[tuple[str, str, int]]:
    text = BASE + f'rule R1 "r" {{ severity: high, targets: [{targets}], when: {when} }}\n'
    _, diagnostics = check_text(text, lint=False)
    return [(d.message, d.hint or "", d.span.column) for d in diagnostics if d.code == "E405"]


def fired(when: str, targets: str) -> set[str]:
    model = load_text(BASE + f'rule R1 "r" {{ severity: high, targets: [{targets}], when: {when} }}\n')
    return {f.target_id for f in analyze(model).findings if f.threat_id == "R1"}


@pytest.mark.parametrize(
    ("when", "targets", "message", "hint"),
    [
        ("publik", "datastore", "unknown attribute `publik` for a datastore", "did you mean `public`?"),
        (
            "data.clasification == secret",
            "datastore",
            "unknown attribute `clasification` for a data asset",
            "did you mean `classification`?",
        ),
        ("source.trsut == high", "flow", "unknown attribute `trsut` for an element", "did you mean `trust`?"),
        (
            "data.classification > secrt",
            "datastore",
            "`secrt` is not a valid `classification`",
            "did you mean `secret`?",
        ),
        ('port == "443"', "flow", "cannot compare a number with a string", ""),
        ("data.lifetime > short", "flow", "`>` needs ordered values", "use `==`"),
        ("max_classification", "process", "`max_classification` is not true/false", "compare it"),
        ('"yes"', "process", '"yes" is not true/false', ""),
        ("crosses boundary", "process", "`crosses` tests flows", "targets: [flow]"),
        ("enters dcc", "flow", "boundary `dcc` is not declared", "did you mean `dc`?"),
        ("kind in [sql, nosq]", "datastore", "`nosq` is not a valid `kind`", "did you mean `nosql`?"),
        ("source", "flow", "write `source.<attribute>`", ""),
    ],
)
def test_type_errors_are_positioned_diagnostics(when: str, targets: str, message: str, hint: str) -> None:
    errors = rule_errors(when, targets)
    assert errors, f"no E405 for {when!r}"
    text, got_hint, column = errors[0]
    assert message in text
    assert hint in got_hint
    line = BASE.count("\n") + 1
    assert column > len('rule R1 "r" { severity: high, targets: [')  # points into the condition
    assert line > 0


def test_well_typed_conditions_have_no_errors() -> None:
    for when, targets in [
        ("public and data.classification > public", "datastore"),
        ("data.lifetime == long and data.credentials", "flow"),
        ("not encrypted and crosses boundary and source.trust == untrusted", "flow"),
        ("tls < 1.3 and sink.kind in [sql, s3]", "flow"),
        ("protocol == https or port == 443", "flow"),
        ("trust >= high and boundary.trust == full", "datastore"),
        ("public == true", "datastore, process"),
    ]:
        assert rule_errors(when, targets) == [], when


@pytest.mark.parametrize(
    ("when", "targets", "expected"),
    [
        ("public and data.classification > public", "datastore", {"db"}),
        ("data.classification == public", "datastore", {"cache"}),
        ("data.credentials and data.lifetime == long", "flow", {"save"}),
        ("crosses boundary", "flow", {"up", "save"}),
        ("crosses inner", "flow", {"save"}),
        ("enters dc", "flow", {"up"}),
        ("exits internet", "flow", {"up"}),
        ("enters inner and not exits dc", "flow", {"save"}),
        ("tls >= 1.2", "flow", {"save"}),
        ("tls < 1.2", "flow", {"up", "warm"}),
        ("source.trust == untrusted", "flow", {"up"}),
        ("trust == full", "datastore", {"db"}),
        ("boundary.trust == high", "process, datastore", {"app", "cache"}),
        ("owner == ann", "process", {"app"}),
        ("not public", "datastore, process", {"cache", "app"}),
        ("public", "datastore, process", {"db"}),
        ("port in [443, 8443]", "flow", {"up"}),
        ("protocol == https", "flow", {"up"}),
        ("data.pii and not encrypted", "flow", {"up"}),
        ("sink.public", "flow", {"save"}),
    ],
)  # fmt: skip
def test_evaluation(when: str, targets: str, expected: set[str]) -> None:
    assert rule_errors(when, targets) == []
    assert fired(when, targets) == expected


def test_evidence_names_the_deciding_facts() -> None:
    model = load_text(BASE + 'rule R1 "r" { severity: high, targets: [datastore], '
                      "when: public and data.classification > public }\n")  # fmt: skip
    [finding] = [f for f in analyze(model).findings if f.threat_id == "R1"]
    assert finding.evidence == ("datastore db: public = true", "data card: classification = secret")
    assert finding.source == "custom"


def test_or_reports_only_the_true_side() -> None:
    model = load_text(BASE + 'rule R1 "r" { severity: high, targets: [flow], when: encrypted or crosses boundary }\n')
    by_target = {f.target_id: f.evidence for f in analyze(model).findings if f.threat_id == "R1"}
    assert by_target["save"] == ("flow app -> db (save): encrypted = true",)
    assert by_target["up"] == ("flow user -> app (up): exits internet; enters dc",)


def test_nothing_is_evaluated_with_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    model = load_text(BASE + 'rule R1 "r" { severity: high, targets: [flow], when: crosses boundary }\n')

    def no_eval(*args: object) -> None:
        raise AssertionError("eval called")

    monkeypatch.setattr(builtins, "eval", no_eval)
    checked, problems = rule_types.check(model.rules[0], model)
    assert checked is not None and not problems
    evaluator = rule_eval.Evaluator(model)
    assert evaluator.applies(checked, model.flow("up"))[0] is True  # type: ignore[arg-type]


def test_replace_drops_the_pytm_library() -> None:
    text = BASE.replace("team {", 'model "M" { rules: replace }\nteam {', 1)
    model = load_text(text + 'rule R1 "r" { severity: high, targets: [flow], when: crosses boundary }\n')
    analysis = analyze(model)
    assert {f.source for f in analysis.findings} == {"custom"}
    assert analysis.library_size == 0
