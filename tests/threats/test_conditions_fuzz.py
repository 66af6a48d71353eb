"""Any condition the grammar accepts is either reported (E405) or evaluated: never a traceback."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.threats.test_conditions import BASE
from tmdiag.api import check_text
from tmdiag.threats import analyze

PATHS = [
    "encrypted",
    "public",
    "port",
    "tls",
    "protocol",
    "classification",
    "data.classification",
    "data.pii",
    "data.lifetime",
    "source.trust",
    "sink.kind",
    "trust",
    "boundary.mfa",
    "boundary.trust",
    "stores",
    "ingress",
    "owner",
    "impact",
    "nonsense",
    "data",
    "source",
    "sink.boundary.audit_log",
    "max_classification",
]
WORDS = ["secret", "public", "https", "long", "high", "untrusted", "sql", "required", "ann", "dc", "x"]
LITERALS = ['"443"', "443", "1.2", "true", "false", '"0.0.0.0/0:22"', "-1"]

operand = st.one_of(st.sampled_from(PATHS), st.sampled_from(WORDS), st.sampled_from(LITERALS))
atom = st.one_of(
    operand,
    st.builds(lambda a, op, b: f"{a} {op} {b}", operand, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), operand),
    st.builds(lambda a, xs: f"{a} in [{', '.join(xs)}]", operand, st.lists(operand, min_size=1, max_size=3)),
    st.builds(lambda op, b: f"{op} {b}", st.sampled_from(["crosses", "enters", "exits"]),
              st.sampled_from(["dc", "internet", "inner", "boundary", "nowhere"])),
)  # fmt: skip
condition = st.recursive(
    atom,
    lambda inner: st.one_of(
        st.builds(lambda a, op, b: f"{a} {op} {b}", inner, st.sampled_from(["and", "or"]), inner),
        st.builds(lambda a: f"not {a}", inner),
        st.builds(lambda a: f"({a})", inner),
    ),
    max_leaves=6,
)
TARGETS = st.sampled_from(["flow", "datastore", "process", "datastore, flow", "llm, agent"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(condition, TARGETS)
def test_conditions_never_raise(when: str, targets: str) -> None:
    text = BASE.replace("team {", 'model "M" { rules: replace }\nteam {', 1)
    text += f'rule R1 "r" {{ severity: high, targets: [{targets}], when: {when} }}\n'
    model, diagnostics = check_text(text, lint=False)
    if any(d.code == "E405" for d in diagnostics):
        assert all(d.span.line == text.count("\n") for d in diagnostics if d.code == "E405")
        return
    if any(d.code.startswith("E0") for d in diagnostics):
        return  # not a sentence of the grammar
    analysis = analyze(model)
    assert all(f.source == "custom" and f.evidence for f in analysis.findings)
