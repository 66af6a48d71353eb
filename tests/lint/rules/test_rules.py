"""Every rule against its fixtures: `<CODE>/fires.tm` (findings exactly on the lines marked
`# expect: CODE`, or on the line after `# expect-below: CODE`) and `<CODE>/clean.tm` (no finding).
Drift rules (TM7xx) compare the model with `<CODE>/main.tf`.

Adding a rule means adding its module in tmdiag/lint/rules/ and these two fixtures.
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
    model, diagnostics = check_file(path)
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
    model, diagnostics = check_text(rule.example, f"{rule.code}-example.tm")
    assert not [d for d in diagnostics if d.severity >= Severity.ERROR], diagnostics
    infra = read_example(rule.example_iac) if rule.needs_infrastructure else None
    assert found(model, rule.code, infra), f"the example of {rule.code} does not trigger it"
