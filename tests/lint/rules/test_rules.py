"""Every rule against its fixtures: `<CODE>/fires.tm` (findings exactly on the lines marked
`# expect: CODE`, or on the line after `# expect-below: CODE`) and `<CODE>/clean.tm` (no finding).
Drift rules (TM7xx) compare the model with `<CODE>/main.tf`.

Adding a rule: docs/dev/rules.md (the function in its family module, these fixtures, docs, goldens).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from pathlib import Path

import pytest

from tmdiag.api import check_file, check_text
from tmdiag.diagnostics import Severity
from tmdiag.iac import Infrastructure, read, read_example
from tmdiag.lint import lint
from tmdiag.lint.registry import all_rules
from tmdiag.lint.rule import Rule
from tmdiag.model.nodes import Model

HERE = Path(__file__).parent
TODAY = datetime.date(2026, 11, 27)
RULES = all_rules()
_EXPECT = re.compile(r"#\s*expect(?P<below>-below)?:\s*(?P<codes>(?:TM\d{3}\s*)+)")


def _load(path: Path) -> Model:
    model, diagnostics = check_file(path, lint=False)
    errors = [f"{d.span.line}: {d.code} {d.message}" for d in diagnostics if d.severity >= Severity.ERROR]
    assert model is not None and not errors, f"{path} does not validate: {errors}"
    return model


def expected(path: Path, code: str) -> Counter[int]:
    lines: Counter[int] = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for found in match.group("codes").split():
                if found == code:
                    lines[number + 1 if match.group("below") else number] += 1
    return lines


def found(model: Model, code: str, infrastructure: Infrastructure | None = None) -> Counter[int]:
    return Counter(d.span.line for d in lint(model, today=TODAY, infrastructure=infrastructure) if d.code == code)


def infrastructure(rule: Rule) -> Infrastructure | None:
    folder = HERE / rule.code
    if not (folder / "main.tf").is_file():
        return None
    infra = read(folder)
    assert not infra.problems, infra.problems
    return infra


def test_fixture_folders_match_the_registry() -> None:
    folders = sorted(p.name for p in HERE.iterdir() if p.is_dir() and p.name.startswith("TM"))
    assert folders == [r.code for r in RULES]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_fires(rule: Rule) -> None:
    path = HERE / rule.code / "fires.tm"
    want = expected(path, rule.code)
    assert want, f"{path} marks no `# expect: {rule.code}` line"
    assert found(_load(path), rule.code, infrastructure(rule)) == want


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_clean(rule: Rule) -> None:
    assert found(_load(HERE / rule.code / "clean.tm"), rule.code, infrastructure(rule)) == Counter()


@pytest.mark.parametrize("rule", [r for r in RULES if r.needs_infrastructure], ids=lambda r: r.code)
def test_drift_rules_find_nothing_without_infrastructure(rule: Rule) -> None:
    assert found(_load(HERE / rule.code / "fires.tm"), rule.code) == Counter()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_example_fires(rule: Rule) -> None:
    model, diagnostics = check_text(rule.example, f"{rule.code}-example.tm", lint=False)
    assert not [d for d in diagnostics if d.severity >= Severity.ERROR], diagnostics
    infra = read_example(rule.example_iac) if rule.needs_infrastructure else None
    assert found(model, rule.code, infra), f"the example of {rule.code} does not trigger it"


def test_a_retired_code_or_a_rating_off_the_scale_is_refused_at_registration(monkeypatch: pytest.MonkeyPatch) -> None:
    from tmdiag.lint import registry

    monkeypatch.setitem(registry.RETIRED, "TM999", "merged into TM203")
    with pytest.raises(ValueError, match="retired"):
        registry.rule("TM999", "x", severity="info", summary="", rationale="", fix="", example="")(lambda m, c: [])
    with pytest.raises(ValueError, match="likelihood, impact"):
        registry.rule("TM998", "y", severity="info", summary="", rationale="", fix="", example="",
                      risk=("high", "severe"))(lambda m, c: [])  # fmt: skip
    assert not set(registry.RETIRED) & {r.code for r in RULES}


def test_the_risk_rating_is_shown_where_the_rule_is_explained() -> None:
    from tmdiag.cli.rules import as_dict, explain

    risky = next(r for r in RULES if r.risk is not None)
    assert f"likelihood {risky.risk[0].replace('_', ' ')}" in explain(risky)  # type: ignore[index]
    assert as_dict(risky)["risk"] == {"likelihood": risky.risk[0], "impact": risky.risk[1]}  # type: ignore[index]
    plain = next(r for r in RULES if r.risk is None)
    assert "not a risk" in explain(plain) and as_dict(plain)["risk"] is None
