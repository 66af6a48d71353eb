"""TM5xx: risk ownership — open risks, accepted risks, mitigations.

These read the `risk` decisions written in the model only; they never run the threat engine.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from tmdiag.lint.facts import attribute_span, items
from tmdiag.lint.registry import rule
from tmdiag.lint.rule import Context, Hit
from tmdiag.model.nodes import Model, RiskDecision
from tmdiag.semantics import threatlib

_PLACEHOLDERS = frozenset({"", "todo", "tbd", "n/a", "na", "none", "-", "?", "fixme", "later", "accepted", "ok"})
_TEAM = 'team {\n  alice "Alice Ng" security_lead\n}\n'
_WEB = 'process web "Web app"\n'


def _status(risk: RiskDecision) -> str:
    return str(risk.get("status"))


def rating(model: Model, risk: RiskDecision) -> str | None:
    """The decision's `severity:`, else the custom rule's, else pytm's library rating (read as data)."""
    declared = risk.get("severity")
    if declared is not None:
        return str(declared)
    custom = next((r for r in model.rules if r.id == risk.id), None)
    if custom is not None:
        return str(custom.get("severity")).replace("very_high", "critical")
    try:
        info = threatlib.catalogue().get(risk.id)
    except (RuntimeError, OSError, ValueError):
        return None
    return info.severity.lower().replace("very high", "critical").replace("very low", "low") if info else None


@rule(
    "TM501",
    "open-risk-without-owner",
    severity="error",
    summary="An open risk rated high or critical (or not rated) has no owner.",
    # rating: the decision's `severity:`, else the custom rule's, else pytm's threat library (no pytm import)
    rationale="A risk nobody owns is a risk nobody fixes; the owner is who decides and answers for it.",
    fix="Add `owner: <team member>` to the risk decision (or to its target, or to a boundary around it: the "
    "owner `tmdiag threats` falls back to). The rating is the decision's `severity:`, else the threat's own "
    "(custom rule or pytm library).",
    example=_WEB + "risk INP02 on web { status: open, severity: high }",
)
def open_risk_without_owner(model: Model, ctx: Context) -> Iterator[Hit]:
    for risk in model.risks:
        if _status(risk) != "open" or risk.has("owner"):
            continue
        target = model.element(risk.target) or model.flow(risk.target) or model.boundary(risk.target)
        if target is not None and model.owner_of(target):
            continue  # owned by its target or a boundary around it, as in `tmdiag threats` and the report
        level = rating(model, risk)
        if level is None or level in ("high", "critical"):
            yield Hit(risk.id_span, f"open {level or 'unrated'} risk `{risk.id}` on `{risk.target}` has no owner")


@rule(
    "TM502",
    "weak-justification",
    severity="error",
    summary="An accepted, transferred or false-positive risk has an empty or placeholder justification.",
    rationale="Accepting a risk is a decision that must survive an audit and the next review; 'TODO' "
    "or 'ok' explains nothing.",
    fix="Write why the decision is right: the compensating control, the cost, who agreed and until when.",
    example=_TEAM + _WEB + "risk INP02 on web {\n  status: accepted, owner: alice, until: 2099-01-01\n"
    '  justification: "TODO"\n}',
)
def weak_justification(model: Model, ctx: Context) -> Iterator[Hit]:
    for risk in model.risks:
        if _status(risk) not in ("accepted", "transferred", "false_positive") or not risk.has("justification"):
            continue  # a missing justification is E404
        text = str(risk.get("justification")).strip()
        if text.casefold().strip(".!") in _PLACEHOLDERS or len(text) < 10:
            yield Hit(
                attribute_span(risk, "justification"),
                f'{_status(risk)} risk `{risk.id}` on `{risk.target}` has no real justification ("{text}")',
            )


@rule(
    "TM503",
    "accepted-risk-expired",
    severity="error",
    summary="An accepted risk is past its expiry (`until`).",
    rationale="Risk acceptance is temporary by design: past its expiry nobody has decided to keep "
    "living with the risk.",
    fix="Review the risk with its owner: mitigate it, or accept it again with a new `until:` date.",
    example=_TEAM + _WEB + "risk INP02 on web {\n  status: accepted, owner: alice, until: 2020-01-01\n"
    '  justification: "Only internal users reach the form"\n}',
)
def accepted_risk_expired(model: Model, ctx: Context) -> Iterator[Hit]:
    for risk in model.risks:
        until = risk.get("until")
        if _status(risk) == "accepted" and isinstance(until, datetime.date) and until < ctx.today:
            yield Hit(
                attribute_span(risk, "until"),
                f"accepted risk `{risk.id}` on `{risk.target}` expired on {until.isoformat()}",
            )


@rule(
    "TM504",
    "risk-past-due",
    severity="warning",
    summary="An open risk is past its remediation date (`due`).",
    rationale="A missed due date is the signal to escalate or re-plan; left alone the risk quietly becomes permanent.",
    fix="Fix the risk and record the decision (`status: mitigated, by: <control>`), or set a new `due:` "
    "with the owner's agreement.",
    example=_TEAM + _WEB + "risk INP02 on web { status: open, owner: alice, due: 2020-01-01 }",
)
def risk_past_due(model: Model, ctx: Context) -> Iterator[Hit]:
    for risk in model.risks:
        due = risk.get("due")
        if _status(risk) in ("open", "in_progress") and isinstance(due, datetime.date) and due < ctx.today:
            status = _status(risk).replace("_", " ")
            yield Hit(
                attribute_span(risk, "due"), f"{status} risk `{risk.id}` on `{risk.target}` was due {due.isoformat()}"
            )


@rule(
    "TM505",
    "mitigation-misses-target",
    severity="warning",
    summary="A risk is `mitigated` by a control that does not protect its target.",
    rationale="The decision claims a control that, by the model's own account, is somewhere else: "
    "either the control's `on:` list or the decision is wrong.",
    fix="Add the target to the control's `on:` list, or name the control that does protect it.",
    example=_TEAM + _WEB + 'process api "API"\ncontrol waf "WAF" { on: [api] }\n'
    "risk INP02 on web { status: mitigated, owner: alice, by: waf }",
)
def mitigation_misses_target(model: Model, ctx: Context) -> Iterator[Hit]:
    for risk in model.risks:
        by = risk.get("by")
        control = model.control(str(by)) if _status(risk) == "mitigated" and isinstance(by, str) else None
        if control is not None and risk.target not in {str(t) for t in items(control.get("on"))}:
            yield Hit(
                attribute_span(risk, "by"),
                f"control `{control.id}` does not protect `{risk.target}`",
                related=(("control declared here", control.id_span),),
            )
