"""Risk decisions, controls and assumptions, matched to findings.

- `risk THREAT on TARGET { status, owner, ... }` sets a finding's status and owner. THREAT is a
  threat id or rule code, or a pattern of them in quotes (`"INP*"`); TARGET an element or flow, a
  boundary (everything inside it: its elements, and flows with both ends inside), an element kind
  (`datastore`: every datastore) or a pattern of element and flow ids (`"db-*"`). When several
  decisions cover a finding the most specific wins: an exact target before a pattern of ids, a
  pattern before a boundary (the innermost first), a boundary before a kind; then an exact threat
  id before a pattern. A decision that decides no finding has gone stale (E406, error); an
  `accepted` one past `until` has expired (E407, error) and the finding is open again.
- `control X { on: [...], mitigates: [...] }` marks those findings mitigated (a boundary in `on`
  covers everything inside); a threat id that matches none of its targets is reported (E409).
- `assume "..." { on: [...], excludes: [...] }` takes findings out of the list (no `on:`: every
  target), like pytm's assumptions; an exclusion that excludes nothing is reported (E408, warning).
The front end already checks owners, required fields and unknown threat ids (E401–E404).
"""

from __future__ import annotations

import datetime
import fnmatch
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.model import nodes as n
from tmdiag.model.levels import RiskLevel, Status
from tmdiag.semantics import threatlib

Key = tuple[str, str]  # (threat id, target id)
EVERY = "*"
Target = n.Element | n.Flow | n.Boundary | None  # None: the model itself (some lint findings)


@dataclass(frozen=True, slots=True)
class _Scoped:
    decision: n.RiskDecision
    specificity: tuple[int, ...]  # higher is more specific
    order: int  # declaration order: the first declared wins a tie


@dataclass
class Decisions:
    exact: dict[Key, n.RiskDecision] = field(default_factory=dict)
    scoped: list[_Scoped] = field(default_factory=list)  # most specific first
    controls: dict[Key, list[str]] = field(default_factory=dict)
    excludes: dict[Key, n.Assumption] = field(default_factory=dict)
    inside: dict[str, frozenset[str]] = field(default_factory=dict)  # target id -> boundary ids holding it
    kinds: dict[str, str] = field(default_factory=dict)  # element id -> kind

    @classmethod
    def of(cls, model: n.Model) -> Decisions:
        table = cls()
        for element in model.elements:
            table.inside[element.id] = frozenset(b.id for b in model.boundary_chain(element.boundary))
            table.kinds[element.id] = element.kind
        for flow in model.flows:  # a flow is inside the boundaries that hold both its ends
            ends = table.inside.get(flow.source, frozenset()), table.inside.get(flow.sink, frozenset())
            table.inside[flow.id] = ends[0] & ends[1]
        for order, risk in enumerate(model.risks):
            boundary = model.boundary(risk.target) if risk.scope == "id" else None
            if risk.scope == "id" and boundary is None and not risk.threat_pattern:
                table.exact.setdefault((risk.id, risk.target), risk)
                continue
            if risk.scope == "id" or (risk.scope == "kind" and risk.target == "model"):
                target_rank = (2, boundary.depth) if boundary is not None else (4, 0)
            elif risk.scope == "pattern":
                target_rank = (3, _literal(risk.target))
            else:
                target_rank = (1, 0)
            threat_rank = (0, _literal(risk.id)) if risk.threat_pattern else (1, 0)
            table.scoped.append(_Scoped(risk, (*target_rank, *threat_rank), order))
        table.scoped.sort(key=lambda s: (tuple(-x for x in s.specificity), s.order))
        inside = _insides(model)
        for control in model.controls:
            targets = [t for ref in control.ids("on") for t in inside.get(ref, (ref,))]
            for threat in control.ids("mitigates"):
                for target in targets:
                    table.controls.setdefault((threat, target), []).append(control.id)
        for assumption in model.assumptions:
            covered = assumption.ids("on") or (EVERY,)
            for threat in assumption.ids("excludes"):
                for target in covered:
                    table.excludes.setdefault((threat, target), assumption)
        return table

    def decision_for(self, threat_id: str, target_id: str) -> n.RiskDecision | None:
        """The most specific decision covering a finding, or None."""
        found = self.exact.get((threat_id, target_id))
        if found is not None or not self.scoped:
            return found
        for scoped in self.scoped:
            if self._covers(scoped.decision, threat_id, target_id):
                return scoped.decision
        return None

    def _covers(self, risk: n.RiskDecision, threat_id: str, target_id: str) -> bool:
        if not (fnmatch.fnmatchcase(threat_id, risk.id) if risk.threat_pattern else threat_id == risk.id):
            return False
        if risk.scope == "pattern":
            return fnmatch.fnmatchcase(target_id, risk.target)
        if risk.scope == "kind":  # `on model`: the findings on the model as a whole
            return target_id == "model" if risk.target == "model" else self.kinds.get(target_id) == risk.target
        return target_id == risk.target or risk.target in self.inside.get(target_id, ())

    def exclusion(self, key: Key) -> n.Assumption | None:
        if not self.excludes:
            return None
        return self.excludes.get(key) or self.excludes.get((key[0], EVERY))


def _literal(pattern: str) -> int:
    """How much of a pattern is literal: `db-*` (3) is more specific than `d*` (1)."""
    return sum(1 for char in pattern if char not in "*?[]")


def _insides(model: n.Model) -> dict[str, tuple[str, ...]]:
    """Boundary id -> the ids of the elements and flows inside it."""
    inside: dict[str, list[str]] = {}
    chains = {e.id: {b.id for b in model.boundary_chain(e.boundary)} for e in model.elements}
    for element in model.elements:
        for boundary in chains[element.id]:
            inside.setdefault(boundary, []).append(element.id)
    for flow in model.flows:
        for boundary in chains.get(flow.source, set()) & chains.get(flow.sink, set()):
            inside.setdefault(boundary, []).append(flow.id)
    return {key: tuple(ids) for key, ids in inside.items()}


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status
    owner: str | None
    decision: n.RiskDecision | None
    controls: tuple[str, ...]
    severity: RiskLevel | None  # the decision's override of the risk level
    expired: bool = False  # an acceptance past its `until`: the finding is open again
    closed_by: tuple[str, ...] = ()  # facts the model states that close the threat (facts.py)


def decide(table: Decisions, key: Key, today: datetime.date, fallback_owner: str | None,
           closed_by: tuple[str, ...] = ()) -> Outcome:  # fmt: skip
    """Status, owner and controls of a finding. Facts that close the threat make it mitigated, and
    a decision on it no longer decides anything (it is reported as stale, `diagnostics`)."""
    decision = None if closed_by else table.decision_for(*key)
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
    return Outcome(status, str(owner) if owner else None, decision, controls, override, expired)


def _expired(decision: n.RiskDecision, today: datetime.date) -> bool:
    until = decision.get("until")
    return isinstance(until, datetime.date) and until < today


def _where(risk: n.RiskDecision) -> str:
    if risk.scope == "kind":
        return "the model as a whole" if risk.target == "model" else f"any {risk.target}"
    if risk.scope == "pattern":
        return f'any id matching "{risk.target}"'
    return f"`{risk.target}`"


def diagnostics(
    table: Decisions,
    decided: Iterable[tuple[str, str]],
    excluded: set[Key],
    by_target: dict[str, list[str]],
    model: n.Model,
    today: datetime.date,
    judged: Callable[[str], bool] = lambda threat_id: True,
    closed: Mapping[Key, tuple[str, ...]] | None = None,
) -> list[Diagnostic]:
    """Stale and expired decisions, exclusions and control claims that match nothing. `decided`:
    the (threat id, target id) of every finding listed; `closed`: those the model's facts close
    (a decision covering them decides nothing); `judged`: which threat ids (or patterns) these
    findings can speak for (the threat analysis alone cannot judge decisions on lint rules)."""
    listed = set(decided)
    closed = closed or {}
    applied = {id(d) for key in listed - set(closed) if (d := table.decision_for(*key)) is not None}
    applied |= {id(d) for key in excluded if (d := table.decision_for(*key)) is not None}
    found: list[Diagnostic] = []
    for risk in model.risks:
        if not judged(risk.id):
            continue
        if id(risk) not in applied:
            stale = _stale(table, risk, by_target, model, closed)
            if stale is not None:
                found.append(stale)
        elif str(risk.get("status")) == "accepted" and _expired(risk, today):
            until = risk.get("until")
            attr = risk.attribute("until")
            found.append(
                Diagnostic(
                    "E407",
                    f"accepted risk `{risk.id}` on {_where(risk)} expired on {until.isoformat()}",
                    attr.value_span if attr else risk.span,
                    hint="review it: renew `until:`, or change the decision; the finding counts as open",
                )
            )
    seen: set[tuple[str, str]] = set()
    for (threat, target), assumption in table.excludes.items():
        if not judged(threat):
            continue
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
            if not judged(threat):
                continue
            targets = control.ids("on")
            keys = [k for k in table.controls if k[0] == threat and control.id in table.controls[k]]
            if targets and not any(k in listed or k in excluded for k in keys):
                attr = control.attribute("mitigates")
                found.append(Diagnostic(
                    "E409", f"control `{control.id}` mitigates `{threat}`, which applies to none of "
                    + ", ".join(f"`{t}`" for t in targets),
                    attr.value_span if attr else control.span, Severity.WARNING,
                ))  # fmt: skip
    return found


def _stale(table: Decisions, risk: n.RiskDecision, by_target: dict[str, list[str]], model: n.Model,
           closed: Mapping[Key, tuple[str, ...]]) -> Diagnostic | None:  # fmt: skip
    if risk.scope == "id" and model.element(risk.target) is None and model.flow(risk.target) is None \
            and model.boundary(risk.target) is None and model.data_asset(risk.target) is None:  # fmt: skip
        return None  # an undeclared target: reported by validation (E402)
    shut = [(key, facts) for key, facts in closed.items() if table._covers(risk, *key)]
    if shut:
        (threat_id, target_id), facts = shut[0]
        more = f" (and {len(shut) - 1} more)" if len(shut) > 1 else ""
        return Diagnostic(
            "E406",
            f"stale risk decision: what the model states closes `{threat_id}` on `{target_id}`{more}: "
            + ", ".join(facts),
            risk.id_span,
            hint="the finding is mitigated by the model's facts: remove the decision",
        )
    retired = threatlib.catalogue().get(risk.id)
    if retired is not None and retired.deprecated and not risk.threat_pattern:
        return Diagnostic("E406", f"stale risk decision: pytm no longer uses threat `{risk.id}`", risk.id_span,
                          hint=retired.deprecated)  # fmt: skip
    what = f'the pattern "{risk.id}"' if risk.threat_pattern else f"threat `{risk.id}`"
    if threatlib.is_lint_code(risk.id) and not risk.threat_pattern:
        where = f"`{risk.target}`" if risk.scope == "id" else _where(risk)
        return Diagnostic("E406", f"stale risk decision: rule `{risk.id}` finds nothing on {where}", risk.id_span,
                          hint="the lint finding is gone (fixed?): remove the decision")  # fmt: skip
    if risk.scope == "id" and model.boundary(risk.target) is None and not risk.threat_pattern:
        applying = sorted(set(by_target.get(risk.target, [])))
        more = f" and {len(applying) - 12} more" if len(applying) > 12 else ""
        hint = f"threats found on `{risk.target}`: " + ", ".join(applying[:12]) + more if applying \
            else f"no threat applies to `{risk.target}`"  # fmt: skip
        message = f"stale risk decision: {what} does not apply to `{risk.target}`"
        return Diagnostic("E406", message, risk.id_span, hint=f"{hint}; remove the decision or fix the model")
    scope = f"inside boundary `{risk.target}`" if risk.scope == "id" and not risk.threat_pattern else _where(risk)
    return Diagnostic(
        "E406",
        f"stale risk decision: {what} decides nothing on {scope} (nothing applies, or more specific decisions "
        "decide every finding)",
        risk.id_span,
        hint="remove the decision or fix the model",
    )
