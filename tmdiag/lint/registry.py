"""The one registry of lint rules. Each module in `tmdiag.lint.rules` registers its rules with `@rule`."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from tmdiag.diagnostics import Severity
from tmdiag.lint.rule import CheckFn, Rule

# helpUri of each rule in SARIF: the rule's page in this repository's docs.
DOCS_URL = "https://github.com/tmdiag/tmdiag/blob/main/docs/rules/"

# Codes of rules that were removed: never given to a new rule (docs/dev/rules.md). {code: why}
RETIRED: dict[str, str] = {}
RATINGS = ("very_low", "low", "medium", "high", "very_high")  # a rule's `risk`: (likelihood, impact)

_RULES: dict[str, Rule] = {}
_loaded = False


def rule(
    code: str,
    name: str,
    *,
    severity: str,
    summary: str,
    rationale: str,
    fix: str,
    example: str,
    risk: tuple[str, str] | None = None,
    example_iac: str = "",
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function as rule `code`. `risk`: (likelihood, impact) ratings (very_low …
    very_high) when what it finds is a risk for the register; None for findings about the model itself.
    Rules that compare the model with infrastructure give the Terraform of their example in `example_iac`."""

    def register(check: CheckFn) -> CheckFn:
        if code in _RULES:
            raise ValueError(f"rule code {code} registered twice")
        if code in RETIRED:
            raise ValueError(f"rule code {code} is retired ({RETIRED[code]}); take a new one")
        if risk is not None and not all(rating in RATINGS for rating in risk):
            raise ValueError(f"rule {code}: risk={risk!r}; each of (likelihood, impact) is one of {RATINGS}")
        _RULES[code] = Rule(
            code, name, summary, Severity.parse(severity), rationale.strip(), fix.strip(), example.strip() + "\n",
            check, risk, example_iac.strip() + "\n" if example_iac else "",
        )  # fmt: skip
        return check

    return register


def _load() -> None:
    global _loaded
    if _loaded:
        return
    from tmdiag.lint import rules

    for info in pkgutil.iter_modules(rules.__path__):
        importlib.import_module(f"{rules.__name__}.{info.name}")
    _loaded = True


def all_rules() -> list[Rule]:
    """Every rule, sorted by code."""
    _load()
    return [_RULES[code] for code in sorted(_RULES)]


def get(code: str) -> Rule | None:
    _load()
    return _RULES.get(code.upper())


def help_uri(code: str) -> str:
    return f"{DOCS_URL}{code}.md"


def judged_codes(compared: bool) -> Callable[[str], bool]:
    """Which rules' findings are known, for judging decisions on them (stale, unused): every rule's,
    but a drift rule's (TM7xx) only when the model was compared with infrastructure."""

    def judged(code: str) -> bool:
        found = get(code) if code[:2].upper() == "TM" else None
        return compared or found is None or not found.needs_infrastructure

    return judged
