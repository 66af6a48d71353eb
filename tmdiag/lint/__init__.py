"""The linter: rules with stable codes (TMnnn) over a loaded model.

    lint(model, config=None, today=None) -> list[Diagnostic]

Rules live in `tmdiag.lint.rules` (one module per family) and register themselves in
`tmdiag.lint.registry`; configuration comes from `tmdiag.lint.config`; inline suppressions
(`# tmdiag: ignore[TM203] reason: ...`) are applied by `tmdiag.lint.suppress`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection
from typing import TYPE_CHECKING

from tmdiag.diagnostics import Diagnostic
from tmdiag.lint import suppress
from tmdiag.lint.config import LintConfig, load_config
from tmdiag.lint.registry import all_rules
from tmdiag.lint.rule import Context, Rule
from tmdiag.model.nodes import Model

if TYPE_CHECKING:
    from tmdiag.iac.resources import Infrastructure

__all__ = ["Context", "LintConfig", "Rule", "all_rules", "lint", "load_config"]


def lint(
    model: Model,
    config: LintConfig | None = None,
    today: datetime.date | None = None,
    infrastructure: Infrastructure | None = None,
    linked_elsewhere: Collection[str] = (),
    *,
    suppressed: bool = True,
) -> list[Diagnostic]:
    """Run every enabled rule; severities from the config; suppressions applied (unless
    `suppressed` is False: what the rules find, before any inline suppression); sorted by place.
    With `infrastructure` the drift rules (TM7xx) compare the model with it; without, they are off.
    `linked_elsewhere`: resource addresses that other models checked with this one link (one
    infrastructure, several models): not reported as exposed and unmodeled (TM708)."""
    config = config or LintConfig()
    ctx = Context(today or datetime.date.today(), infrastructure, frozenset(linked_elsewhere))
    # A flow to or from an undeclared name is an error already (E101/E103); linting it would only
    # add findings about the typo (e.g. "crosses a boundary unencrypted" for an element that is not there).
    resolved = tuple(f for f in model.flows if model.element(f.source) and model.element(f.sink))
    if len(resolved) < len(model.flows):
        model = dataclasses.replace(model, flows=resolved)
    rules = [
        r for r in all_rules() if config.enabled(r.code) and (infrastructure is not None or not r.needs_infrastructure)
    ]
    found: list[Diagnostic] = []
    for rule in rules:
        found.extend(rule.check(model, ctx))
    if suppressed:
        found = suppress.apply(model, found, (r.code for r in rules))
    found = [dataclasses.replace(d, severity=config.severity_of(d.code, d.severity)) for d in found]
    return sorted(dict.fromkeys(found), key=lambda d: (*d.sort_key, d.message))
