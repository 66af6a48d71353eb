"""What a lint rule is: stable code, name, default severity, docs, and a check over the model."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tmdiag.diagnostics import Diagnostic, Severity, Span
from tmdiag.model.nodes import Model

if TYPE_CHECKING:
    from tmdiag.iac.resources import Infrastructure

FAMILIES = {
    "TM1": "Model, team and process",
    "TM2": "Boundaries and flows",
    "TM3": "Data protection",
    "TM4": "Cloud control plane",
    "TM5": "Risk ownership",
    "TM6": "AI systems",
    "TM7": "Infrastructure drift",
    "TM8": "Source text",
    "TM9": "Suppressions",
}


@dataclass(frozen=True, slots=True)
class Hit:
    """One finding of a rule, before the registry gives it a code and a severity."""

    span: Span
    message: str
    hint: str | None = None
    related: tuple[tuple[str, Span], ...] = ()


@dataclass(frozen=True)
class Context:
    """What a check may read besides the model: the date, and the infrastructure to compare the
    model with (`tmdiag drift`, `tmdiag check --against`; None otherwise: TM7xx rules then find nothing)."""

    today: datetime.date = field(default_factory=datetime.date.today)
    infrastructure: Infrastructure | None = None
    linked_elsewhere: frozenset[str] = frozenset()  # addresses other models of the same run link (TM708)


CheckFn = Callable[[Model, Context], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str  # TMnnn, stable forever
    name: str  # kebab-case, stable
    summary: str  # one line: what is wrong
    severity: Severity  # default; configurable
    rationale: str  # why it matters
    fix: str  # how to fix it
    example: str  # a .tm model that triggers the rule
    finder: CheckFn = field(repr=False, compare=False)
    risk: tuple[str, str] | None = None  # (likelihood, impact) in the risk register; None: not a risk itself
    example_iac: str = ""  # TM7xx: the Terraform (main.tf) the example is compared with

    @property
    def risk_text(self) -> str:
        """How the register rates what the rule finds, in words."""
        if self.risk is None:
            return "not a risk: a finding about the model itself, not in the risk register"
        likelihood, impact = (rating.replace("_", " ") for rating in self.risk)
        return (
            f"likelihood {likelihood}, impact {impact}: each finding joins the risk register, rated with the "
            "target's exposure and data (docs/risk.md)"
        )

    @property
    def needs_infrastructure(self) -> bool:
        return bool(self.example_iac)

    @property
    def family(self) -> str:
        return f"{self.code[:3]}xx"

    @property
    def family_title(self) -> str:
        return FAMILIES.get(self.code[:3], "Other")

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for hit in self.finder(model, ctx):
            yield Diagnostic(self.code, hit.message, hit.span, self.severity, hit.hint or self.fix, hit.related)
