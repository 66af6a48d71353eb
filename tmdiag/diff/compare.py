"""The diff of two versions of a model: what was declared (added, removed, renamed, changed), the
facts derived from it (boundary crossings, trust, where data goes), decisions, and findings.

    diff = compare(Side(old_model, old_findings, today), Side(new_model, new_findings, today))
    for change in diff.changes: ...          # sorted by section, key, aspect
    for finding in diff.findings: ...        # highest risk first

Statement order, layout and comments never show: nodes are matched by key (tmdiag.diff.keys)
and values compared after normalisation (lists of ids as sets, TLS versions by meaning).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tmdiag.diff.changes import Change, FindingChange, FindingState, Value
from tmdiag.diff.effects import category_of, flipped, growth_effect, parts
from tmdiag.diff.keys import SECTIONS, Keyed, find_renames
from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.model.values import expr_text
from tmdiag.results import Finding

SET_TYPES = frozenset({schema.REFS, schema.STRS, schema.IDS, schema.INGRESS})


@dataclass(frozen=True)
class Side:
    """One version: its model and the findings the same engine enumerated on it."""

    model: n.Model
    findings: tuple[Finding, ...] = ()
    today: datetime.date = field(default_factory=datetime.date.today)
    excluded: tuple[Finding, ...] = ()

    @classmethod
    def empty(cls, path: str = "", today: datetime.date | None = None) -> Side:
        """A model that does not exist (a file absent at a revision): everything is added."""
        return cls(n.Model(path=path), (), today or datetime.date.today())


@dataclass(frozen=True)
class ModelDiff:
    old: str  # what each side is, as shown (`HEAD~1:model.tm`, a path, or "" when absent)
    new: str
    changes: tuple[Change, ...]
    findings: tuple[FindingChange, ...]
    # section -> {old key: new key}: renamed nodes, and the decisions whose key names a renamed target
    renames: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.changes and not self.findings

    def reversed(self) -> ModelDiff:
        """The diff the other way round (what `compare(new, old)` returns): sides swapped, effects
        turned, what both sides have named as on the other side. What only one side has keeps the
        names it has there, so it needs no renaming."""
        back = {section: {b: a for a, b in pairs.items()} for section, pairs in self.renames.items()}
        ids = {b: a for section, pairs in back.items() for b, a in pairs.items() if section in ID_SECTIONS}
        names = {**ids, **back.get("flows", {})}

        def subject(change: Change) -> Change:
            turned = change.reversed()
            if change.aspect == "id":
                return turned
            name = back.get(change.section, {}).get(change.subject, change.subject)
            old, new = turned.old, turned.new
            if change.aspect in REF_ASPECTS:
                old, new = (_renamed(v, names) for v in (old, new))
            return Change(turned.section, name, turned.aspect, old, new, turned.effect, turned.category)

        def target(finding: FindingChange) -> FindingChange:
            turned = finding.reversed()
            name = back.get("flows", {}).get(finding.target) or ids.get(finding.target, finding.target)
            return FindingChange(turned.threat_id, name, turned.old, turned.new)

        changes = sorted((subject(c) for c in self.changes), key=lambda c: c.sort_key)
        findings = sorted((target(f) for f in self.findings), key=lambda f: f.sort_key)
        return ModelDiff(self.new, self.old, tuple(changes), tuple(findings), back)


@dataclass(frozen=True)
class Uncompared:
    """A pair that could not be compared: one version has errors (not a finding: no diff exists)."""

    old: str
    new: str
    side: str  # "old" or "new": the version with errors
    errors: int
    first: str  # its first error on one line: `path:line:column: error[CODE]: message`


def compare(old: Side, new: Side, old_name: str = "", new_name: str = "") -> ModelDiff:
    return _Comparison(old, new).run(old_name or old.model.path, new_name or new.model.path)


ID_SECTIONS = ("team", "data", "agents", "boundaries", "elements", "controls", "rules")


class _Comparison:
    def __init__(self, old: Side, new: Side):
        self.old, self.new = old, new
        self.ko, self.kn = Keyed.of(old.model), Keyed.of(new.model)
        self.renames = find_renames(self.ko, self.kn)
        self.ids: dict[str, str] = {}
        for section, pairs in self.renames.items():
            if section != "flows":
                self.ids.update(pairs)
        self.ids.update((a, b) for a, b in self.renames["flows"].items() if self._named(a, b))
        self.changes: list[Change] = []

    def _named(self, old_key: str, new_key: str) -> bool:
        flow_old = self.ko.sections["flows"][old_key]
        flow_new = self.kn.sections["flows"][new_key]
        return isinstance(flow_old, n.Flow) and isinstance(flow_new, n.Flow) and (flow_old.named or flow_new.named)

    # ---- mapping the old side onto the new side's names ----------------------------------
    def rename(self, value: str) -> str:
        return self.ids.get(value, value)

    def old_target(self, target_id: str) -> str:
        key = self.ko.target(target_id)
        return self.renames["flows"].get(key) or self.ids.get(key, key)

    def old_sections(self) -> dict[str, dict[str, n.Node]]:
        """The old side's nodes by the key they have on the new side (their own when the new side
        has no such node: a removed node keeps its old name)."""
        out: dict[str, dict[str, n.Node]] = {}
        for section, nodes in self.ko.sections.items():
            pairs = self.renames.get(section, {})
            out[section] = {pairs.get(key, key): node for key, node in nodes.items()}
        risks: dict[str, n.Node] = {}
        rekeyed: dict[str, str] = {}
        for key, node in self.ko.sections["risks"].items():
            assert isinstance(node, n.RiskDecision)
            suffix = key[key.rfind(" #") :] if " #" in key else ""
            matched = f"{node.id} on {self.old_target(node.target)}{suffix}"
            if matched != key and matched in self.kn.sections["risks"]:
                rekeyed[key] = matched
            risks[matched if matched in self.kn.sections["risks"] else key] = node
        out["risks"] = risks
        self.renames["risks"] = rekeyed
        return out

    # ---- the diff ------------------------------------------------------------------------
    def run(self, old_name: str, new_name: str) -> ModelDiff:
        olds = self.old_sections()
        self.stale_old = decision_states(self.old, olds["risks"])
        self.stale_new = decision_states(self.new, self.kn.sections["risks"])
        for section in SECTIONS:
            before, after = olds[section], self.kn.sections[section]
            for key, node in before.items():
                if key not in after:
                    self.add(section, key, "exists", self.summary(node, key, old=True), None)
            for key, node in after.items():
                previous = before.get(key)
                if previous is None:
                    self.add(section, key, "exists", None, self.summary(node, key, old=False))
                    continue
                self.compare_nodes(section, key, previous, node)
            if section in ID_SECTIONS or section == "flows":
                for old_key, new_key in self.renames.get(section, {}).items():
                    if section != "flows" or self._named(old_key, new_key):
                        self.add(section, new_key, "id", old_key, new_key)
        self.derived_flows(olds["flows"])
        self.derived_data()
        self.decisions(olds["risks"])
        changes = tuple(sorted(self.changes, key=lambda c: c.sort_key))
        return ModelDiff(old_name, new_name, changes, tuple(self.finding_changes()), self.renames)

    def add(self, section: str, subject: str, aspect: str, old: Value, new: Value) -> None:
        category = category_of(section, aspect)
        for before, after, effect in parts(section, aspect, old, new):
            self.changes.append(Change(section, subject, aspect, before, after, effect, category))

    def add_delta(self, section: str, subject: str, aspect: str, old: Iterable[str], new: Iterable[str]) -> None:
        """A set reported by what it gains and loses, items named by their key in the diff (the
        new side's when the new side has them): a change that does both is two changes."""
        before, after = set(old), set(new)
        lost, gained = sorted(before - after), sorted(after - before)
        growth = growth_effect(section, aspect)
        assert growth is not None, aspect
        category = category_of(section, aspect)
        if gained:
            self.changes.append(Change(section, subject, aspect, [], gained, growth, category))
        if lost:
            self.changes.append(Change(section, subject, aspect, lost, [], flipped(growth), category))

    def compare_nodes(self, section: str, key: str, old: n.Node, new: n.Node) -> None:
        if old.label != new.label and section not in ("assumptions",):
            self.add(section, key, "label", old.label, new.label)
        if old.kind != new.kind:
            self.add(section, key, "kind", old.kind, new.kind)
        names = sorted({a.key for a in old.attributes} | {a.key for a in new.attributes})
        for name in names:
            if growth_effect(section, name) is not None:
                spec = schema.BY_NAME.get(old.schema_kind, {}).get(name)
                turn = self.rename if spec is not None and spec.ref else _same
                self.add_delta(section, key, name, map(turn, old.ids(name)), new.ids(name))
                continue
            before, after = value_of(old, name, self.rename), value_of(new, name)
            if before != after:
                self.add(section, key, name, before, after)
        if isinstance(old, n.Element) and isinstance(new, n.Element):
            before, after = self.where(old.boundary, old=True), self.where(new.boundary, old=False)
            if (before or {}).get("id") != (after or {}).get("id"):  # a boundary's own trust is its change
                self.add(section, key, "boundary", before, after)
        elif isinstance(old, n.Boundary) and isinstance(new, n.Boundary):
            parent = self.rename(old.parent) if old.parent else None
            if parent != new.parent:
                self.add(section, key, "parent", parent, new.parent)
        elif isinstance(old, n.Flow) and isinstance(new, n.Flow):
            for end in ("source", "sink"):
                before, after = self.rename(getattr(old, end)), getattr(new, end)
                if before != after:
                    self.add(section, key, end, before, after)
        elif isinstance(old, n.Member) and isinstance(new, n.Member):
            if sorted(old.roles) != sorted(new.roles):
                self.add(section, key, "roles", sorted(old.roles), sorted(new.roles))
        elif isinstance(old, n.CustomRule) and isinstance(new, n.CustomRule):
            before, after = expr_text(old.condition), expr_text(new.condition)
            if before != after:
                self.add(section, key, "when", before, after)

    def where(self, boundary: str | None, old: bool, rename: bool = True) -> Value:
        """An element's boundary and its trust, as that side has it (the id renamed onto the new
        side unless `rename` is false)."""
        if boundary is None:
            return None
        model = self.old.model if old else self.new.model
        node = model.boundary(boundary)
        trust = str(node.get("trust")) if node is not None else None
        return {"id": self.rename(boundary) if old and rename else boundary, "trust": trust}

    def summary(self, node: n.Node, key: str, old: bool) -> dict[str, Any]:
        """What an added or removed node is, in a few fields, named as its own side names them."""
        out: dict[str, Any] = {"kind": node.kind, "label": node.label}
        model = self.old.model if old else self.new.model
        if isinstance(node, n.Element):
            out["boundary"] = self.where(node.boundary, old, rename=False)
        elif isinstance(node, n.Boundary):
            out["parent"] = node.parent
            out["trust"] = str(node.get("trust"))
        elif isinstance(node, n.Flow):
            out["source"], out["sink"] = node.source, node.sink
            out["data"] = value_of(node, "data")
            out["crosses"] = self.crossing(model, node, _same)
            out["into_lower_trust"] = into_lower_trust(model, node)
        elif isinstance(node, n.DataAsset):
            out["classification"] = str(node.get("classification"))
        elif isinstance(node, n.RiskDecision):
            out["status"] = str(node.get("status"))
            stale, expired = (self.stale_old if old else self.stale_new).get(key, (False, False))
            out["stale"], out["expired"] = stale, expired
        return out

    @staticmethod
    def crossing(model: n.Model, flow: n.Flow, rename: Callable[[str], str]) -> list[str]:
        exits, enters = model.crossed_boundaries(flow)
        return sorted(rename(b.id) for b in (*exits, *enters))

    def derived_flows(self, olds: Mapping[str, n.Node]) -> None:
        """Flows that newly cross a boundary, or now go into lower trust (and the reverse)."""
        for key, flow in self.kn.sections["flows"].items():
            previous = olds.get(key)
            if not isinstance(previous, n.Flow) or not isinstance(flow, n.Flow):
                continue
            before = self.crossing(self.old.model, previous, self.rename)
            self.add_delta("flows", key, "crosses", before, self.crossing(self.new.model, flow, _same))
            lower_before = into_lower_trust(self.old.model, previous)
            lower_after = into_lower_trust(self.new.model, flow)
            if lower_before != lower_after:
                self.add("flows", key, "into_lower_trust", lower_before, lower_after)

    def derived_data(self) -> None:
        """Data newly carried across a boundary, or newly stored (and the reverse)."""
        old_flow_key = {flow.id: self.renames["flows"].get(key, key) for key, flow in self.ko.sections["flows"].items()}
        new_flow_key = {flow.id: key for key, flow in self.kn.sections["flows"].items()}
        before = data_facts(self.old.model, lambda f: old_flow_key[f.id], self.rename)
        after = data_facts(self.new.model, lambda f: new_flow_key[f.id], _same)
        for data_id in sorted(set(before) | set(after)):
            old_facts, new_facts = before.get(data_id, {}), after.get(data_id, {})
            for aspect in ("carried_across", "stored_in"):
                self.add_delta("data", data_id, aspect, old_facts.get(aspect, ()), new_facts.get(aspect, ()))

    def decisions(self, olds: Mapping[str, n.Node]) -> None:
        """Decisions on both sides that went stale (match no finding) or expired, or stopped being
        so. An added or removed decision says so in its summary."""
        for key in sorted(set(olds) & set(self.kn.sections["risks"])):
            before, after = self.stale_old[key], self.stale_new[key]
            for i, aspect in enumerate(("stale", "expired")):
                if before[i] != after[i]:
                    self.add("risks", key, aspect, before[i], after[i])

    def finding_changes(self) -> list[FindingChange]:
        before = {(f.threat_id, self.old_target(f.target_id)): f for f in self.old.findings}
        after = {(f.threat_id, self.kn.target(f.target_id)): f for f in self.new.findings}
        out: list[FindingChange] = []
        for key in set(before) | set(after):
            old, new = before.get(key), after.get(key)
            old_state, new_state = state_of(old), state_of(new)
            if old_state is not None and new_state is not None and _same_finding(old_state, new_state):
                continue
            out.append(FindingChange(key[0], key[1], old_state, new_state))
        return sorted(out, key=lambda f: f.sort_key)


def _same(value: str) -> str:
    return value


# Aspects whose values name other things (ids, flow keys): renamed when a diff is reversed.
DERIVED_REFS = {"source", "sink", "parent", "boundary", "crosses", "carried_across", "stored_in"}
REF_ASPECTS = frozenset({a.name for attrs in schema.SCHEMAS.values() for a in attrs if a.ref} | DERIVED_REFS)


def _renamed(value: Value, names: Mapping[str, str]) -> Value:
    """A changed attribute's value with the names of one side turned into the other's."""
    if isinstance(value, list):
        return sorted(names.get(v, v) for v in value)
    if isinstance(value, dict):
        return {**value, "id": names.get(str(value.get("id")), value.get("id"))}
    return names.get(value, value) if isinstance(value, str) else value


def _same_finding(a: FindingState, b: FindingState) -> bool:
    return a.risk == b.risk and a.status == b.status


def state_of(finding: Finding | None) -> FindingState | None:
    if finding is None:
        return None
    return FindingState(finding.risk, finding.status, finding.score, finding.title, finding.target_label,
                        finding.target_kind, finding.owner)  # fmt: skip


def value_of(node: n.Node, key: str, rename: Callable[[str], str] = _same) -> Value:
    """An attribute's effective value (the schema default when not written), normalised: ids
    renamed onto the other side, lists of ids/strings as sorted lists, TLS versions by meaning."""
    spec = schema.BY_NAME.get(node.schema_kind, {}).get(key)
    value = node.get(key)
    if value is None:
        return None
    if spec is not None and spec.type == schema.TLS:
        return schema.tls_version(value) or str(value)
    if spec is not None and spec.type in SET_TYPES and not isinstance(value, tuple | list):
        value = (value,)  # `on: web` is `on: [web]`
    if isinstance(value, tuple | list):
        items = [rename(str(v)) if spec is not None and spec.ref else _plain(v) for v in value]
        return sorted(items, key=str) if spec is None or spec.type in SET_TYPES else items
    if spec is not None and spec.ref and isinstance(value, str):
        return rename(str(value))
    return _plain(value)


def _plain(value: object) -> Value:
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def into_lower_trust(model: n.Model, flow: n.Flow) -> bool:
    """Data goes from a zone of higher trust into one of lower trust."""
    levels = schema.TRUST_LEVELS
    source, sink = model.trust_of(flow.source), model.trust_of(flow.sink)
    if source is None or sink is None or source not in levels or sink not in levels:
        return False
    return levels.index(sink) < levels.index(source)


def data_facts(
    model: n.Model, flow_key: Callable[[n.Flow], str], rename: Callable[[str], str]
) -> dict[str, dict[str, set[str]]]:
    """Per data asset: the flows carrying it across a boundary, the stores keeping it (`stores:`
    and the flows into or out of the store: the model's derived fact), named by key in the diff."""
    facts: dict[str, dict[str, set[str]]] = {}
    for flow in model.flows:
        carried = flow.ids("data")
        if carried and model.crosses_boundary(flow):
            for data_id in carried:
                facts.setdefault(rename(data_id), {}).setdefault("carried_across", set()).add(flow_key(flow))
    for data in model.data:
        for store in model.stored_in(data.id):
            facts.setdefault(rename(data.id), {}).setdefault("stored_in", set()).add(rename(store.id))
    return facts


def decision_states(side: Side, decisions: Mapping[str, n.Node]) -> dict[str, tuple[bool, bool]]:
    """(stale, expired) for each decision, by key."""
    applied = {id(f.decision) for f in (*side.findings, *side.excluded) if f.decision is not None}
    out: dict[str, tuple[bool, bool]] = {}
    for key, node in decisions.items():
        assert isinstance(node, n.RiskDecision)
        until = node.get("until")
        expired = str(node.get("status")) == "accepted" and isinstance(until, datetime.date) and until < side.today
        out[key] = (id(node) not in applied, expired)  # stale: it decides no finding
    return out


def diff_all(pairs: Iterable[tuple[Side, Side, str, str]]) -> list[ModelDiff]:
    return [compare(old, new, old_name, new_name) for old, new, old_name, new_name in pairs]
