"""Stable keys for what a model declares, so two versions can be matched by meaning, not by text
or order: ids for named things; an unnamed flow by its ends and label (`web -> db "Store"`), a reply
by its request; a risk decision by threat and target; an assumption by its text. Renames (a new id
with the same label and kind, a flow with the same label and ends) are found here too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from tmdiag.model import nodes as n

# The groups compared, in the order reports list them, and the word for one of their nodes.
SECTIONS = {
    "model": "model", "team": "member", "data": "data", "agents": "threat agent", "boundaries": "boundary",
    "elements": "element", "flows": "flow", "controls": "control", "risks": "decision",
    "assumptions": "assumption", "rules": "rule",
}  # fmt: skip


def _dedupe(keyed: Iterable[tuple[str, n.Node]]) -> dict[str, n.Node]:
    """Keys made unique in model order: a second `a -> b "x"` is `a -> b "x" #2`."""
    out: dict[str, n.Node] = {}
    seen: dict[str, int] = defaultdict(int)
    for key, node in keyed:
        seen[key] += 1
        out[key if seen[key] == 1 else f"{key} #{seen[key]}"] = node
    return out


def flow_keys(model: n.Model) -> dict[str, n.Flow]:
    """Flows by key: a named flow by its name; an unnamed one by `source -> sink "label"`; a reply
    by `<request key> reply "label"`."""
    by_number: dict[int, str] = {}
    keyed: list[tuple[str, n.Node]] = []
    seen: dict[str, int] = defaultdict(int)
    for flow in model.flows:
        if flow.named:
            key = flow.id
        elif flow.reply_to is not None and flow.reply_to in by_number:
            key = f"{by_number[flow.reply_to]} reply {_quoted(flow.label)}"
        else:
            key = f"{flow.source} -> {flow.sink} {_quoted(flow.label)}".rstrip()
        seen[key] += 1
        key = key if seen[key] == 1 else f"{key} #{seen[key]}"
        by_number[flow.number] = key
        keyed.append((key, flow))
    return dict(keyed)  # type: ignore[arg-type]


def _quoted(label: str | None) -> str:
    return f'"{label}"' if label else ""


@dataclass(frozen=True)
class Keyed:
    """One model's nodes by section and key, and how to find a node's key."""

    sections: Mapping[str, Mapping[str, n.Node]]
    flow_key: Mapping[str, str]  # flow id (name or flow-<n>) -> key

    @classmethod
    def of(cls, model: n.Model) -> Keyed:
        flows = flow_keys(model)
        flow_key = {flow.id: key for key, flow in flows.items()}
        sections: dict[str, Mapping[str, n.Node]] = {"model": {"model": model.info} if model.info else {}}
        for group in ("team", "data", "agents", "boundaries", "elements", "controls", "rules"):
            sections[group] = {node.id: node for node in reversed(getattr(model, group))}  # first one wins
        sections["flows"] = flows
        sections["risks"] = _dedupe((f"{r.id} on {flow_key.get(r.target, r.target)}", r) for r in model.risks)
        sections["assumptions"] = _dedupe((a.label or a.id, a) for a in model.assumptions)
        return cls(sections, flow_key)

    def target(self, target_id: str) -> str:
        """The key of a finding's or decision's target (an element id or a flow's key)."""
        return self.flow_key.get(target_id, target_id)


Renames = dict[str, dict[str, str]]  # section -> {old key: new key}


def find_renames(old: Keyed, new: Keyed) -> Renames:
    """Pairs of (removed, added) keys that are the same thing under a new id: same kind and label
    (elements), same label (other named things), same label and ends after renaming (flows). Only
    unambiguous pairs count; the rest stay removed and added."""
    renames: Renames = {}
    ids: dict[str, str] = {}  # every renamed id: ids share one namespace
    order = ("team", "data", "agents", "boundaries", "elements", "controls", "rules")
    for section in order:
        signature = _element_signature if section == "elements" else _label_signature
        renames[section] = _pair(old.sections[section], new.sections[section], signature, signature)
        ids.update(renames[section])
    renames["flows"] = _pair(
        old.sections["flows"], new.sections["flows"],
        lambda f: _flow_signature(f, ids.get), lambda f: _flow_signature(f, None),
    )  # fmt: skip
    return renames


def _pair(
    old: Mapping[str, n.Node],
    new: Mapping[str, n.Node],
    old_signature: Callable[[n.Node], object],
    new_signature: Callable[[n.Node], object],
) -> dict[str, str]:
    removed = defaultdict(list)
    for key, node in old.items():
        if key not in new:
            signature = old_signature(node)
            if signature is not None:
                removed[signature].append(key)
    added = defaultdict(list)
    for key, node in new.items():
        if key not in old:
            signature = new_signature(node)
            if signature is not None and signature in removed:
                added[signature].append(key)
    return {removed[s][0]: keys[0] for s, keys in added.items() if len(keys) == 1 and len(removed[s]) == 1}


def _label_signature(node: n.Node) -> object:
    return (node.kind, node.label) if node.label else None


def _element_signature(node: n.Node) -> object:
    return (node.kind, node.label) if node.label else None


def _flow_signature(node: n.Node, rename: Callable[[str], str | None] | None) -> object:
    assert isinstance(node, n.Flow)
    if not node.label:
        return None

    def end(value: str) -> str:
        return (rename(value) if rename else None) or value

    return (end(node.source), end(node.sink), node.label, node.is_reply)
