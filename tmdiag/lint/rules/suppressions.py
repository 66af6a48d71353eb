"""TM9xx: inline suppressions (`# tmdiag: ignore[TM203] reason: ...`).

These findings are about the other rules' findings (what a suppression silenced, or failed to), so
`tmdiag.lint.suppress.apply` reports them after every other rule has run; the checks here find
nothing on their own. Declaring them here gives them docs, configuration and SARIF metadata like
any other rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from tmdiag.lint.registry import rule
from tmdiag.lint.rule import Context, Hit
from tmdiag.model.nodes import Model


@rule(
    "TM901",
    "suppression-without-reason",
    severity="error",
    summary="An inline suppression gives no reason, so it suppresses nothing.",
    rationale="A silenced finding is a decision someone made; without the reason the next reviewer cannot tell "
    "a considered exception from a shortcut. A suppression without a reason therefore never suppresses, "
    "whichever rules are selected: the finding stays, and this rule says why.",
    fix="Add `reason:` after the codes: `# tmdiag: ignore[TM203] reason: internal link, mTLS at the mesh`.",
    example='process api "API"\napi -> api "Retry"  # tmdiag: ignore[TM206]',
)
def suppression_without_reason(model: Model, ctx: Context) -> Iterator[Hit]:
    yield from ()  # reported by suppress.apply


@rule(
    "TM902",
    "unused-suppression",
    severity="warning",
    summary="An inline suppression suppresses nothing.",
    rationale="A suppression left behind after the model changed hides the next real finding on that line.",
    fix="Delete the comment, or move it to the line the finding is reported on.",
    example='process api "API"  # tmdiag: ignore[TM203] reason: no secrets here',
)
def unused_suppression(model: Model, ctx: Context) -> Iterator[Hit]:
    yield from ()  # reported by suppress.apply


@rule(
    "TM903",
    "malformed-suppression",
    severity="error",
    summary="An inline suppression names no rule or an unknown rule.",
    rationale="A blanket or misspelt suppression either silences everything on a line or nothing at all.",
    fix="Name the rules in brackets: `# tmdiag: ignore[TM203, TM202] reason: ...`; `tmdiag rules` lists the codes.",
    example='process api "API"  # tmdiag: ignore reason: noisy',
)
def malformed_suppression(model: Model, ctx: Context) -> Iterator[Hit]:
    yield from ()  # reported by suppress.apply
