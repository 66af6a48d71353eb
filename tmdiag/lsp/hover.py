"""Hover text (Markdown) for ids and attribute keys. Model text in it is escaped Markdown
(`tmdiag.output.markdown.md_escape`): a label cannot add links, images or HTML to a hover."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.output.markdown import md_escape


class TargetThreats(NamedTuple):
    """The open threats of one element or flow, highest risk first."""

    total: int
    lines: tuple[str, ...]  # "INP02 Overflow Buffers (high)", every open threat
    levels: tuple[tuple[str, int], ...] = ()  # (risk level, open threats at it), highest level first

    @property
    def top(self) -> tuple[str, ...]:
        return self.lines[:TOP]


TOP = 3  # threats listed per element in a hover
NONE = TargetThreats(0, ())


@dataclass(frozen=True)
class ThreatCounts:
    """Open threats per target id, from the last background analysis."""

    by_target: dict[str, TargetThreats]
    state: str = "done"  # done | running | unavailable
    note: str = ""

    def of(self, target: str) -> TargetThreats:
        return self.by_target.get(target, NONE)


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 flow`, `2 flows`, `0 flows`."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def describe(model: n.Model, node: n.Node, threats: ThreatCounts | None) -> str:
    title = f"**{_kind_word(node)}** `{node.id}`" + (f" — {md_escape(node.label)}" if node.label else "")
    lines = [title]
    if isinstance(node, n.Element):
        lines.append(_boundary_line(model, node.boundary))
        flows = model.flows_of(node.id)
        incoming = sum(1 for f in flows if f.sink == node.id)
        lines.append(f"Flows: {incoming} in, {len(flows) - incoming} out")
        lines.append(_threat_line(node.id, threats))
    elif isinstance(node, n.Boundary):
        source = model.trust_source(node.id)
        origin = "" if source is node else " (default)" if source is None else f" (inherited from `{source.id}`)"
        kind = f" · kind: {node.get('kind')}" if node.has("kind") else ""
        lines.append(f"Trust: {node.get('trust')}{origin}{kind}")
        if node.parent:
            lines.append(_boundary_line(model, node.parent).replace("Boundary:", "Inside:"))
        boundaries, elements = model.children(node.id)
        lines.append(
            f"Contains: {plural(len(elements), 'element')}, {plural(len(boundaries), 'boundary', 'boundaries')}"
        )
    elif isinstance(node, n.Flow):
        exits, enters = model.crossed_boundaries(node)
        lines.append(f"`{node.source}` → `{node.sink}` (flow #{node.number})")
        data = node.get("data") or ()
        if data:
            lines.append("Data: " + ", ".join(f"`{d}`" for d in data))
        if exits or enters:
            crossed = [f"exits `{b.id}`" for b in exits] + [f"enters `{b.id}`" for b in enters]
            lines.append("Crosses: " + ", ".join(crossed))
        lines.append(_threat_line(node.id, threats))
    elif isinstance(node, n.DataAsset):
        lines.append(f"Classification: {node.get('classification')}" + (" · PII" if node.get("pii") else "")
                     + (" · credentials" if node.get("credentials") else ""))  # fmt: skip
        carried = sum(1 for f in model.flows if node.id in (f.get("data") or ()))
        stored = len(model.stored_in(node.id))  # Model.stored_data: `stores:` and flows into or out of a datastore
        lines.append(f"Carried by {plural(carried, 'flow')}, stored in {plural(stored, 'datastore')}")
    elif isinstance(node, n.Member):
        lines.append("Roles: " + ", ".join(node.roles))
    elif isinstance(node, n.Control):
        lines.append("On: " + ", ".join(f"`{x}`" for x in node.get("on") or ()))
        if node.get("mitigates"):
            lines.append("Mitigates: " + ", ".join(node.get("mitigates")))
    elif isinstance(node, n.ThreatAgent):
        lines.append(f"Skill: {node.get('skill')}" + (f" · motive: {node.get('motive')}" if node.has("motive") else ""))
    elif isinstance(node, n.CustomRule):
        lines.append(f"Custom threat rule · severity: {node.get('severity')}")
    if node.span.path != model.path:
        lines.append(f"Declared in `{node.span.path}`")
    return "\n\n".join(line for line in lines if line)


def describe_threat(threat_id: str, model: n.Model) -> str:
    rule = next((r for r in model.rules if r.id == threat_id), None)
    if rule is not None:
        return describe(model, rule, None)
    from tmdiag.semantics import threatlib

    entry = threatlib.catalogue().get(threat_id)
    if entry is None:
        return f"Unknown threat id `{threat_id}`"
    text = (
        f"**threat** `{threat_id}` — {entry.title}\n\nSeverity: {entry.severity} · targets: {', '.join(entry.targets)}"
    )
    return text + (f"\n\n{entry.mitigations}" if entry.mitigations else "")


def describe_attribute(node: n.Node, attr: n.Attribute) -> str:
    spec = schema.BY_NAME.get(node.schema_kind, {}).get(attr.key)
    if spec is None:
        return f"`{attr.key}` is not an attribute of {node.schema_kind}"
    text = f"**{spec.name}** ({spec.type}) — {spec.doc}"
    if spec.values:
        text += "\n\nOne of: " + ", ".join(f"`{v}`" for v in spec.values)
    if spec.default not in (None, "", ()):
        text += f"\n\nDefault: `{_value_word(spec.default)}`"
    if spec.pytm:
        text += f"\n\npytm: `{spec.pytm}`"
    return text


def _value_word(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _kind_word(node: n.Node) -> str:
    return {"threat_agent": "threat agent", "assume": "assumption", "rule": "rule"}.get(node.schema_kind, node.kind)


def _boundary_line(model: n.Model, boundary_id: str | None) -> str:
    chain = model.boundary_chain(boundary_id)
    if not chain:
        return "Boundary: none (outside every trust boundary)"
    path = " › ".join(f"`{b.id}` ({b.get('trust')})" for b in reversed(chain))
    return f"Boundary: {path}"


def _threat_line(target: str, threats: ThreatCounts | None) -> str:
    if threats is None or threats.state == "unavailable":
        return "Open threats: not analysed" + (f" ({threats.note})" if threats and threats.note else "")
    if target not in threats.by_target and threats.state == "running" and not threats.by_target:
        return "Open threats: analysing…"
    found = threats.of(target)
    line = f"Open threats: {found.total}" + (" (updating…)" if threats.state == "running" else "")
    if found.top:
        line += "\n\n" + "\n".join(f"- {md_escape(t)}" for t in found.top)
    return line
