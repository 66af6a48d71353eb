"""What one file declares, as model nodes in order, and what both of its builders share.

Two builders fill `FileParts`: `tmdiag.model.build` from Lark parse trees (any text, with
diagnostics), and `tmdiag.reader` straight from well-formed text (the loader's fast path). Neither
imports the other; both take values, escapes and reserved words from here. Imports no parser.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.limits import MAX_DURATION_DAYS, MAX_NUMBER_DIGITS
from tmdiag.model import nodes as n

DURATION_DAYS = {"h": 0, "d": 1, "w": 7, "y": 365}
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
ESCAPE = re.compile(r"\\(.)")
# Words that cannot be ids: they start statements (`data -> x` would not parse) or are values.
RESERVED = frozenset({
    "import", "model", "team", "data", "threat_agent", "boundary", "actor", "process", "server", "lambda",
    "datastore", "external", "llm", "agent", "control", "risk", "assume", "rule", "view", "reply", "true", "false",
})  # fmt: skip


def unescape(inner: str) -> str:
    """A string literal's text between its quotes, escapes resolved (an unknown one keeps its character)."""
    return ESCAPE.sub(lambda m: ESCAPES.get(m.group(1), m.group(1)), inner) if "\\" in inner else inner


def duration_days(text: str) -> int:
    """Days of a duration as written (`90d`, `12w`, `1y`; `36h` counts whole days)."""
    unit, digits = text[-1], text[:-1]
    if len(digits) > MAX_NUMBER_DIGITS:  # beyond any limit (and int() of thousands of digits raises)
        return MAX_DURATION_DAYS + 1
    amount = int(digits)
    return amount // 24 if unit == "h" else amount * DURATION_DAYS[unit]


def number_too_long(text: str) -> bool:
    """More digits than MAX_NUMBER_DIGITS (E202): `int("9" * 5000)` raises ValueError."""
    return sum(c.isdigit() for c in text) > MAX_NUMBER_DIGITS


def number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def boundary(
    id_: str,
    span: Span,
    id_span: Span,
    label: str | None,
    attributes: tuple[n.Attribute, ...],
    parent: str | None,
    depth: int,
    inherited: object,
) -> tuple[n.Boundary, object]:
    """A boundary node, and the trust the boundaries nested in it inherit (its own, stated or
    inherited in turn; None for an outermost one that states none). `inherited`: its parent's."""
    node = n.Boundary("boundary", id_, span, id_span, label, attributes, parent, depth,
                      inherited if isinstance(inherited, str) else None)  # fmt: skip
    return node, node.get("trust") if node.has("trust") or inherited is not None else None


@dataclass
class FileParts:
    """What one file declares, in order. The loader merges the parts of all imported files."""

    path: str
    info: list[n.ModelInfo] = field(default_factory=list)
    team: list[n.Member] = field(default_factory=list)
    data: list[n.DataAsset] = field(default_factory=list)
    agents: list[n.ThreatAgent] = field(default_factory=list)
    boundaries: list[n.Boundary] = field(default_factory=list)
    elements: list[n.Element] = field(default_factory=list)
    flows: list[n.Flow] = field(default_factory=list)  # numbered later, when merged
    controls: list[n.Control] = field(default_factory=list)
    risks: list[n.RiskDecision] = field(default_factory=list)
    assumptions: list[n.Assumption] = field(default_factory=list)
    rules: list[n.CustomRule] = field(default_factory=list)
    views: list[n.View] = field(default_factory=list)
    imports: list[tuple[str, Span]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def nodes(self) -> Iterator[n.Node]:
        """Every declaration, the header first, then group by group (nodes.GROUPS)."""
        yield from self.info
        for group in n.GROUPS:
            yield from getattr(self, group)

    @classmethod
    def merged(cls, path: str, parts: Iterable[FileParts]) -> FileParts:
        """The declarations of several files, in the order given (the loader's import order)."""
        merged = cls(path)
        for part in parts:
            merged.info.extend(part.info)
            for group in n.GROUPS:
                getattr(merged, group).extend(getattr(part, group))
        return merged


def number_flows(flows: Iterable[n.Flow], first: int = 1) -> tuple[n.Flow, ...]:
    """Number flows in model order from `first`; unnamed ones get the id `flow-<n>`, and a reply
    points at the number of the request it follows."""
    numbered: list[n.Flow] = []
    for number, flow in enumerate(flows, first):
        reply_to = flow.reply_to
        if reply_to == -1:  # a reply follows its request (or the request's earlier replies)
            request = next((f for f in reversed(numbered) if not f.is_reply), None)
            reply_to = request.number if request else None
        numbered.append(dataclasses.replace(flow, number=number, id=flow.id or f"flow-{number}", reply_to=reply_to))
    return tuple(numbered)
