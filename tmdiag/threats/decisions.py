"""Risk decisions, controls and assumptions, matched to findings by (threat id, target id).

- `risk ID on TARGET { status, owner, ... }` sets a finding's status and owner; one that matches no
  finding has gone stale (E406, error); an `accepted` one past `until` has expired (E407, error)
  and the finding is open again.
- `control X { on: [...], mitigates: [...] }` marks those findings mitigated; a threat id that
  matches none of its targets is reported (E409, warning).
- `assume "..." { on: [...], excludes: [...] }` takes findings out of the list (no `on:`: every
  target), like pytm's assumptions; an exclusion that excludes nothing is reported (E408, warning).
The front end already checks owners, required fields and unknown threat ids (E401–E404).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.model import nodes as n
from tmdiag.model.levels import RiskLevel, Status
from tmdiag.semantics import threatlib

Key = tuple[str, str]  # (threat id, target id)
EVERY = "*"


@dataclass
class Decisions:
    risks: dict[Key, n.RiskDecision] = field(default_factory=dict)
    controls: dict[Key, list[str]] = field(default_factory=dict)
    excludes: dict[Key, n.Assumption] = field(default_factory=dict)

    @classmethod
    def of(cls, model: n.Model) -> Decisions:
        table = cls()
        for risk in model.risks:
            table.risks.setdefault((risk.id, risk.target), risk)
        for control in model.controls:
            for threat in control.ids("mitigates"):
                for target in control.ids("on"):
                    table.controls.setdefault((threat, target), []).append(control.id)
        for assumption in model.assumptions:
            targets = assumption.ids("on") or (EVERY,)
            for threat in assumption.ids("excludes"):
                for target in targets:
                    table.excludes.setdefault((threat, target), assumption)
        return table

    def exclusion(self, key: Key) -> n.Assumption | None:
        if not self.excludes:
            return None
        return self.excludes.get(key) or self.excludes.get((key[0], EVERY))


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status
    owner: str | None
    decision: n.RiskDecision | None
    controls: tuple[str, ...]
    severity: RiskLevel | None  # the decision's override of the risk level
    expired: bool = False  # an acceptance past its `until`: the finding is open again
    closed_by: tuple[str, ...] = ()  # facts the model states that close the threat (facts.py)


def decide(table: Decisions, key: Key, node: n.Node, today: datetime.date, fallback_owner: str | None,
           closed_by: tuple[str, ...] = ()) -> Outcome:  # fmt: skip
    """Status, owner and controls of a finding. Facts that close the threat make it mitigated
    whatever a decision says (the decision still names its owner)."""
    decision = table.risks.get(key)
    controls = tuple(table.controls.get(key, ()))
    element_owner = fallback_owner
    if decision is None:
        status = Status.MITIGATED if controls or closed_by else Status.OPEN
        return Outcome(status, str(element_owner) if element_owner else None, None, controls, None,
                       closed_by=closed_by)  # fmt: skip
    status = Status(str(decision.get("status")))
    expired = status is Status.ACCEPTED and _expired(decision, today)
    if expired:
        status = Status.OPEN
    by = decision.get("by")
    if by and str(by) not in controls:
        controls = (*controls, str(by))
    owner = decision.get("owner") or element_owner
    override = RiskLevel.parse(decision.get("severity")) if decision.get("severity") else None
    if closed_by:
        status, expired = Status.MITIGATED, False
    return Outcome(status, str(owner) if owner else None, decision, controls, override, expired, closed_by)


def _expired(decision: n.RiskDecision, today: datetime.date) -> bool:
    until = decision.get("until")
    return isinstance(until, datetime.date) and until < today


def diagnostics(table: Decisions, matched: set[Key], excluded: set[Key], by_target: dict[str, list[str]],
                model: n.Model, today: datetime.date) -> list[Diagnostic]:  # fmt: skip
    """Stale and expired decisions, exclusions and control claims that match nothing."""
    found: list[Diagnostic] = []
    for key, decision in table.risks.items():
        if key not in matched and key not in excluded:
            if model.element(key[1]) is None and model.flow(key[1]) is None:
                continue  # an undeclared target: reported by validation (E402)
            retired = threatlib.catalogue().get(key[0])
            if retired is not None and retired.deprecated:
                found.append(Diagnostic("E406", f"stale risk decision: pytm no longer uses threat `{key[0]}`",
                                        decision.id_span, hint=retired.deprecated))  # fmt: skip
                continue
            applying = sorted(set(by_target.get(key[1], [])))
            more = f" and {len(applying) - 12} more" if len(applying) > 12 else ""
            hint = f"threats found on `{key[1]}`: " + ", ".join(applying[:12]) + more if applying \
                else f"no threat applies to `{key[1]}`"  # fmt: skip
            message = f"stale risk decision: threat `{key[0]}` does not apply to `{key[1]}`"
            found.append(
                Diagnostic("E406", message, decision.id_span, hint=f"{hint}; remove the decision or fix the model")
            )
        elif str(decision.get("status")) == "accepted" and _expired(decision, today):
            until = decision.get("until")
            attr = decision.attribute("until")
            found.append(
                Diagnostic(
                    "E407",
                    f"accepted risk `{key[0]}` on `{key[1]}` expired on {until.isoformat()}",
                    attr.value_span if attr else decision.span,
                    hint="review it: renew `until:`, or change the decision; the finding counts as open",
                )
            )
    seen: set[tuple[str, str]] = set()
    for (threat, target), assumption in table.excludes.items():
        hits = excluded if target != EVERY else {k for k in excluded if k[0] == threat}
        if (threat, target) not in hits and not any(k[0] == threat for k in hits if target == EVERY):
            if (assumption.id, threat) in seen:
                continue
            seen.add((assumption.id, threat))
            attr = assumption.attribute("excludes")
            where = f"`{target}`" if target != EVERY else "any target"
            found.append(Diagnostic("E408", f"assumption excludes `{threat}`, which does not apply to {where}",
                                    attr.value_span if attr else assumption.span, Severity.WARNING))  # fmt: skip
    for control in model.controls:
        for threat in control.ids("mitigates"):
            targets = control.ids("on")
            if targets and not any((threat, t) in matched or (threat, t) in excluded for t in targets):
                attr = control.attribute("mitigates")
                found.append(Diagnostic(
                    "E409", f"control `{control.id}` mitigates `{threat}`, which applies to none of "
                    + ", ".join(f"`{t}`" for t in targets),
                    attr.value_span if attr else control.span, Severity.WARNING,
                ))  # fmt: skip
    return found
