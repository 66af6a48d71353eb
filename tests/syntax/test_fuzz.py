"""Mangled models: the only outcomes are a model or diagnostics positioned inside the file."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.syntax.test_hostile import assert_inside
from tmdiag.api import check_text
from tmdiag.diagnostics import Severity
from tmdiag.lint import lint
from tmdiag.output.diagnostics import render_text

SEEDS = [Path("examples/checkout.tm").read_text(encoding="utf-8")] + [
    p.read_text(encoding="utf-8") for p in sorted(Path("dsl/conformance/valid").glob("v0[5-9]*.tm"))
]
TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[A-Za-z_][\w-]*|\d[\w.-]*|->|\s+|.', re.DOTALL)
PIECES = ["{", "}", "[", "]", "(", ")", ":", ",", "->", '"', "#", "\n", "\\", "\x00", "é", "reply", "boundary",
          "process", "data", "when:", "-", ".", "0", "2026-13-99", "90x"]  # fmt: skip


@st.composite
def mangled(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        tokens = TOKEN.findall(text)
        if not tokens:
            break
        i = draw(st.integers(0, len(tokens) - 1))
        j = draw(st.integers(0, len(tokens) - 1))
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "char"]))
        if op == "delete":
            del tokens[i]
        elif op == "insert":
            tokens.insert(i, draw(st.sampled_from(PIECES)))
        elif op == "duplicate":
            tokens.insert(i, tokens[j])
        elif op == "swap":
            tokens[i], tokens[j] = tokens[j], tokens[i]
        else:  # change one character inside a token
            token = tokens[i]
            k = draw(st.integers(0, len(token)))
            tokens[i] = token[:k] + draw(st.characters(codec="utf-8")) + token[k + 1 :]
        text = "".join(tokens)
    return text


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled())
def test_mangled_models_give_a_model_or_positioned_diagnostics(text: str) -> None:
    model, diagnostics = check_text(text, "fuzz.tm", lint=False)
    assert model is not None
    assert_inside(text.removeprefix("\ufeff"), diagnostics, "fuzz.tm")
    for d in diagnostics:
        assert re.fullmatch(r"E\d{3}", d.code)
        assert d.message and d.severity in Severity
        render_text(d, model.sources)
    if not any(d.code.startswith("E0") for d in diagnostics):  # what `tmdiag check` lints: it must not raise
        for d in lint(model, today=datetime.date(2026, 11, 27)):
            render_text(d, model.sources)
