"""TM1xx: the model, the team and the review process."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from tmdiag.diagnostics import Span
from tmdiag.lint.facts import model_anchor
from tmdiag.lint.registry import rule
from tmdiag.lint.rule import Context, Hit
from tmdiag.model.nodes import Duration, Model

# Role groups a threat modeling team needs (values of schema.ROLES).
ROLE_GROUPS = {
    "development": ("developer", "architect"),
    "operations": ("sre", "operations", "devops"),
    "business": ("business_owner", "product_owner", "data_owner"),
}


def _team_span(model: Model) -> Span:
    local = [m for m in model.team if m.span.path == model.path]
    return local[0].span if local else model_anchor(model)


@rule(
    "TM101",
    "no-security-lead",
    severity="warning",
    risk=("medium", "medium"),
    summary="No member of the team has the `security_lead` role.",
    rationale="Threat modeling works when one person owns the security view: they run the sessions, "
    "challenge assumptions and follow findings to closure. Without a named security lead nobody does.",
    fix='Give one team member the `security_lead` role: `team { alice "Alice Ng" security_lead }`.',
    example='model "Shop" { scope: "Web shop" }\nteam {\n  bob "Bob Li" developer\n}',
)
def no_security_lead(model: Model, ctx: Context) -> Iterator[Hit]:
    if not any("security_lead" in m.roles for m in model.team):
        yield Hit(_team_span(model), "the team has no security lead (role `security_lead`)")


@rule(
    "TM102",
    "team-lacks-roles",
    severity="warning",
    risk=("low", "low"),
    summary="The team lacks development, operations or business roles.",
    rationale="A threat model made by one discipline misses what the others know: developers know the "
    "code paths, operations the deployment and its failure modes, the business what a loss costs.",
    fix="Add members with the missing roles (developer or architect; sre, operations or devops; "
    "business_owner, product_owner or data_owner).",
    example='model "Shop" { scope: "Web shop" }\nteam {\n  alice "Alice Ng" security_lead\n  bob "Bob Li" developer\n}',
)
def team_lacks_roles(model: Model, ctx: Context) -> Iterator[Hit]:
    roles = {role for m in model.team for role in m.roles}
    missing = [group for group, options in ROLE_GROUPS.items() if not roles.intersection(options)]
    if missing:
        wanted = "; ".join(f"{g}: {' or '.join(ROLE_GROUPS[g])}" for g in missing)
        yield Hit(_team_span(model), f"the team has no {', no '.join(missing)} role", hint=f"add a member ({wanted})")


@rule(
    "TM103",
    "no-scope",
    severity="warning",
    risk=("low", "low"),
    summary="The model does not say what it covers (`scope`).",
    rationale="Without a scope, readers cannot tell a threat that was considered and left out from one "
    "nobody thought of, and reviews argue about boundaries instead of threats.",
    fix='Add `scope: "From the customer\'s browser to the orders database"` to the `model` header.',
    example='model "Shop" { description: "Web shop" }',
)
def no_scope(model: Model, ctx: Context) -> Iterator[Hit]:
    info = model.info
    if info is None:
        yield Hit(
            model_anchor(model),
            "the model has no `model` header with a `scope`",
            hint='start the file with `model "Name" { scope: "what is covered" }`',
        )
    elif not str(info.get("scope") or "").strip():
        yield Hit(model_anchor(model), f"model `{model.name}` has no `scope`")


@rule(
    "TM104",
    "review-overdue",
    severity="warning",
    risk=("medium", "medium"),
    summary="The model's last review (`reviewed` + `review_every`) is in the past.",
    rationale="A threat model describes the system as it was when reviewed. Systems change; a model "
    "past its review date silently drifts from reality.",
    fix="Review the model with the team and update `reviewed:` to the review date "
    "(`tmdiag check --today DATE` makes runs reproducible).",
    example='model "Shop" {\n  scope: "Web shop"\n  reviewed: 2020-01-15\n  review_every: 90d\n}',
)
def review_overdue(model: Model, ctx: Context) -> Iterator[Hit]:
    info = model.info
    if info is None:
        return
    reviewed, every = info.get("reviewed"), info.get("review_every")
    if isinstance(reviewed, datetime.date) and isinstance(every, Duration):
        due = every.after(reviewed)
        if due is not None and due < ctx.today:
            attr = info.attribute("reviewed")
            yield Hit(
                attr.span if attr else model_anchor(model),
                f"review overdue since {due.isoformat()} (reviewed {reviewed.isoformat()}, every {every})",
            )


@rule(
    "TM105",
    "review-not-scheduled",
    severity="info",
    risk=("low", "low"),
    summary="The model has no `reviewed` date or no `review_every` interval.",
    rationale="Without a review date and an interval nobody can tell when the model went stale.",
    fix="Add `reviewed: YYYY-MM-DD` and `review_every: 90d` to the `model` header.",
    example='model "Shop" { scope: "Web shop" }',
)
def review_not_scheduled(model: Model, ctx: Context) -> Iterator[Hit]:
    info = model.info
    if info is None:
        return
    missing = [key for key in ("reviewed", "review_every") if not info.has(key)]
    if missing:
        yield Hit(model_anchor(model), f"model `{model.name}` has no {' and no '.join(f'`{k}`' for k in missing)}")


@rule(
    "TM106",
    "no-model-owner",
    severity="info",
    risk=("low", "medium"),
    summary="The model header names no `owner` from the team.",
    rationale="A model without an owner is nobody's job to keep current.",
    fix="Add `owner: <team member>` to the `model` header.",
    example='model "Shop" { scope: "Web shop" }\nteam {\n  alice "Alice Ng" security_lead\n}',
)
def no_model_owner(model: Model, ctx: Context) -> Iterator[Hit]:
    if model.info is not None and not model.info.has("owner"):
        yield Hit(model_anchor(model), f"model `{model.name}` has no `owner`")
