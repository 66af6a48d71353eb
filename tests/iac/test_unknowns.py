"""Any value may be unknown before apply (a `dynamic` block, a variable without a value, a computed
attribute in a plan): wherever it sits, reading facts, drafting and the drift rules say "unknown"
(TM709, a note in the draft), never crash. Each value of every resource of the fixtures is made
unknown in turn, and the whole of each resource too."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.iac.mutations import THREE_TIER
from tmdiag import iac
from tmdiag.api import check_text
from tmdiag.iac.facts import Facts
from tmdiag.iac.resources import UNKNOWN, Infrastructure
from tmdiag.importers.terraform import draft
from tmdiag.lint import lint
from tmdiag.lint.config import LintConfig
from tmdiag.model.nodes import Model

RULES = Path(__file__).parents[1] / "lint" / "rules"
FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = [THREE_TIER, *sorted(p for p in RULES.glob("TM7*") if (p / "main.tf").is_file()), FIXTURES / "unknowns"]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a value: each key of a dict and each item of a list, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield (*prefix, n)
            yield from paths(item, (*prefix, n))


def with_unknown(values: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    out = copy.deepcopy(values)
    place: Any = out
    for step in path[:-1]:
        place = place[step]
    place[path[-1]] = UNKNOWN
    return out


DRIFT = LintConfig().with_options(select=["TM7"])


def exercise(read: Infrastructure, model: Model) -> None:
    infra = Infrastructure(read.source)  # a new one each time: the drift rules cache what they derive from it
    for resource in read.resources:
        infra.add(resource)
    facts = Facts(infra)
    for resource in infra.resources:
        facts.read(resource)
        facts.ingress(resource)
    draft(infra, "m", "x", formatted=False)
    lint(model, DRIFT, infrastructure=infra)


def model_for(infra: Infrastructure) -> str:
    """A model that links every resource and claims everything the drift rules compare."""
    links = ", ".join(f'"{r.address}"' for r in infra.resources)
    return (
        'model "m" { scope: "all", cloud: aws }\n'
        f'boundary aws "AWS" {{\n  kind: account, audit_log: true, mfa: required, iac: [{links}]\n'
        '  server all "All" {\n    encrypted_at_rest: true, min_tls: 1.2, ingress: ["10.0.0.0/8:443"]\n'
        f"    iac: [{links}]\n  }}\n}}\n"
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_any_value_unknown(source: Path) -> None:
    infra = iac.read(source)
    assert not infra.problems, infra.problems
    model, _ = check_text(model_for(infra), "model.tm", lint=False)
    assert model is not None
    for resource in list(infra.resources):
        original = resource.values
        for path in [(), *paths(original)]:
            resource.values = with_unknown({"": original}, ("", *path))[""] if path else {}
            if not path:  # every attribute unknown at once
                resource.values = {key: UNKNOWN for key in original}
            try:
                exercise(infra, model)
            except Exception as error:  # pragma: no cover - the message names the place
                raise AssertionError(f"{resource.address} with {'.'.join(map(str, path)) or '*'} unknown") from error
        resource.values = original
