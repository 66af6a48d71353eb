"""What every diagram format writes the same way: names of kinds, colours, flow and element labels."""

from __future__ import annotations

from tmdiag.model.nodes import Element, Flow

RISK_COLOURS = {"critical": "#C0392B", "high": "#E67E22"}
TRUST_FILL = {"untrusted": "#FDEDEC", "low": "#FEF5E7", "medium": "#FEF9E7", "high": "#EBF5FB", "full": "#E8F8F5"}
KIND_NAMES = {"actor": "Actor", "external": "External entity", "process": "Process", "server": "Server",
              "lambda": "Function", "datastore": "Datastore", "llm": "LLM", "agent": "AI agent"}  # fmt: skip


def kind_name(element: Element) -> str:
    return KIND_NAMES.get(element.kind, element.kind)


def element_lines(element: Element) -> tuple[str, str]:
    """The name and `«kind»` lines of an element's box."""
    return element.title, f"«{kind_name(element).lower()}»"


def flow_line(flow: Flow, wire: bool = True, data: bool = False) -> str:
    """`n. label [protocol:port]` (without the brackets when `wire` is false), and with `data` the
    ids of the data assets it carries: `1. Submit [https:443] {card, session}`."""
    label = flow.label or ("" if not flow.named else flow.id)
    line = f"{flow.number}. {label}".rstrip()
    carried = flow.get("data") or ()
    if data and carried:
        items = carried if isinstance(carried, tuple) else (carried,)
        line = f"{flow_line(flow, wire)} {{{', '.join(str(d) for d in items)}}}"
        return line
    if not wire:
        return line
    protocol = str(flow.get("protocol") or "")
    port = flow.get("port")
    on = f"{protocol}:{port}" if protocol and isinstance(port, int) and port >= 0 else protocol
    return f"{line} [{on}]" if on else line


MAX_LINES = 3  # an edge carrying more flows lists their numbers (the tooltip has every line)


def edge_lines(flows: tuple[Flow, ...], wire: bool = True, numbers: bool = False, data: bool = False) -> list[str]:
    """The label of an edge carrying `flows`: one line per flow, or their numbers when there are many
    (or when the picture asks for `numbers` only)."""
    if numbers:
        return [", ".join(str(f.number) for f in flows)]
    if len(flows) <= MAX_LINES:
        return [flow_line(f, wire, data) for f in flows]
    return [", ".join(str(f.number) for f in flows), f"({len(flows)} flows)"]
