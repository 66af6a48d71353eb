"""The typed model: frozen dataclasses, every node with its source span.

Attribute values are plain Python values: str, int, float, bool, datetime.date, Duration,
tuple (lists) and Name (an identifier or dotted name: ids, enum values, icons).
Typed accessors (`get`) fall back to the schema's default.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from tmdiag.diagnostics import Span
from tmdiag.memory import gc_paused
from tmdiag.model import schema

if TYPE_CHECKING:
    from tmdiag.model.facts import Effects
from tmdiag.model.derived import Derived, Reach


class Name(str):
    """An unquoted identifier or dotted name (`https`, `aws.ec2`, `secret`)."""

    __slots__ = ()


# The groups a model (and each file's parts) keeps its declarations in, in the order they appear.
GROUPS = ("team", "data", "agents", "boundaries", "elements", "flows", "controls", "risks", "assumptions", "rules",
          "views")  # fmt: skip
# The groups whose nodes have ids that other statements refer to.
NAMED_GROUPS = ("team", "data", "agents", "boundaries", "elements", "flows", "controls", "views")


def as_ids(value: object) -> tuple[str, ...]:
    """One value or a list of them (`on: db`, `on: [db, web]`) as a tuple of ids; () for None."""
    if value is None:
        return ()
    if isinstance(value, tuple | list):
        return tuple(str(v) for v in value)
    return (str(value),)


@dataclass(frozen=True, slots=True)
class Duration:
    days: int
    text: str  # as written: 90d, 12w, 1y, 36h

    def __str__(self) -> str:
        return self.text

    def after(self, day: datetime.date) -> datetime.date | None:
        """`day` plus this duration; None past the calendar's end (`reviewed: 9999-12-01`)."""
        try:
            return day + datetime.timedelta(days=self.days)
        except OverflowError:
            return None


@dataclass(frozen=True, slots=True)
class Attribute:
    key: str
    value: Any
    span: Span  # the whole `key: value`
    value_span: Span
    item_spans: tuple[Span, ...] = ()  # one per list item, for precise diagnostics


@dataclass(frozen=True)
class Node:
    """Something declared in the model: it has a kind, an id and attributes."""

    kind: str
    id: str
    span: Span
    id_span: Span
    label: str | None = None
    attributes: tuple[Attribute, ...] = ()

    @property
    def title(self) -> str:
        return self.label or self.id

    def attribute(self, key: str) -> Attribute | None:
        """The attribute as written, under its name or one of its aliases (schema `Attr.aliases`)."""
        spellings = schema.SPELLINGS.get(self.schema_kind)
        names = spellings.get(key) if spellings else None
        for attr in self.attributes:
            if attr.key == key or (names is not None and attr.key in names):
                return attr
        return None

    def has(self, key: str) -> bool:
        return self.attribute(key) is not None

    def get(self, key: str, default: Any = None) -> Any:
        """The attribute's value, else the schema default for this kind, else `default`."""
        attr = self.attribute(key)
        if attr is not None:
            return attr.value
        spec = schema.BY_NAME.get(self.schema_kind, {}).get(key)
        return spec.default if spec is not None and spec.default is not None else default

    def ids(self, key: str) -> tuple[str, ...]:
        """The ids an attribute names (`stores: [a, b]` → ("a", "b")), () when it is not given."""
        return as_ids(self.get(key))

    @property
    def schema_kind(self) -> str:
        return self.kind


@dataclass(frozen=True)
class ModelInfo(Node):
    pass


@dataclass(frozen=True)
class Member(Node):
    roles: tuple[str, ...] = ()
    role_spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class DataAsset(Node):
    pass


@dataclass(frozen=True)
class ThreatAgent(Node):
    @property
    def schema_kind(self) -> str:
        return "threat_agent"


@dataclass(frozen=True)
class Boundary(Node):
    """A trust boundary. A nested boundary that states no `trust:` has its parent's trust (stated or
    inherited in turn); an outermost one the schema default, `medium`. `get("trust")` answers that,
    so every reader (risk, lint, custom rules, report, diagram, hover) resolves trust one way."""

    parent: str | None = None  # id of the enclosing boundary
    depth: int = 0
    inherited_trust: str | None = None  # the parent's trust, when nested (set by the builder)

    def get(self, key: str, default: Any = None) -> Any:
        if key == "trust" and self.inherited_trust is not None and not self.has("trust"):
            return self.inherited_trust
        return Node.get(self, key, default)

    @property
    def states_trust(self) -> bool:
        return self.has("trust")


@dataclass(frozen=True)
class Element(Node):
    """An actor, process, server, lambda, datastore, external entity, LLM or agent."""

    boundary: str | None = None  # id of the innermost enclosing boundary


@dataclass(frozen=True)
class Flow(Node):
    """A data flow. `id` is its name, or `flow-<n>` where n is its number in model order."""

    number: int = 0
    source: str = ""
    sink: str = ""
    source_span: Span | None = None
    sink_span: Span | None = None
    named: bool = False
    reply_to: int | None = None  # number of the request this flow answers

    @property
    def schema_kind(self) -> str:
        return "flow"

    @property
    def is_reply(self) -> bool:
        return self.reply_to is not None


@dataclass(frozen=True)
class Control(Node):
    pass


@dataclass(frozen=True)
class RiskDecision(Node):
    """`risk THREAT on TARGET { ... }`: `id` is the threat id (or a pattern of ids, `threat_pattern`);
    `target` an element, flow or boundary id (`scope` "id"), an element kind ("kind") or a pattern
    of element and flow ids ("pattern")."""

    target: str = ""
    target_span: Span | None = None
    threat_pattern: bool = False  # `risk "INP*" on …`
    scope: str = "id"  # id | kind | pattern

    @property
    def schema_kind(self) -> str:
        return "risk"


@dataclass(frozen=True)
class Assumption(Node):
    @property
    def schema_kind(self) -> str:
        return "assume"


# ---- custom rule conditions --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expr:
    span: Span


@dataclass(frozen=True, slots=True)
class Literal(Expr):
    value: Any


@dataclass(frozen=True, slots=True)
class Path(Expr):
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Not(Expr):
    operand: Expr


@dataclass(frozen=True, slots=True)
class BoolOp(Expr):
    op: str  # "and" | "or"
    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    op: str  # == != < <= > >=
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class In(Expr):
    left: Expr
    options: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class BoundaryTest(Expr):
    """`crosses X` / `crosses boundary` / `enters X` / `exits X` (flows only)."""

    op: str  # crosses | enters | exits
    boundary: str | None  # None: any boundary


@dataclass(frozen=True)
class CustomRule(Node):
    condition: Expr | None = None

    @property
    def schema_kind(self) -> str:
        return "rule"


@dataclass(frozen=True)
class View(Node):
    """`view ID "title" { include: [...], depth: 1, ... }`: a named picture of part of the model."""


@dataclass(frozen=True, slots=True)
class Import:
    path: str  # as written
    resolved: str  # absolute path of the file, or "" if it could not be resolved
    span: Span


@dataclass(frozen=True)
class Model:
    """A whole model, its imports merged in. Lists keep declaration order."""

    path: str
    info: ModelInfo | None = None
    team: tuple[Member, ...] = ()
    data: tuple[DataAsset, ...] = ()
    agents: tuple[ThreatAgent, ...] = ()
    boundaries: tuple[Boundary, ...] = ()
    elements: tuple[Element, ...] = ()
    flows: tuple[Flow, ...] = ()
    controls: tuple[Control, ...] = ()
    risks: tuple[RiskDecision, ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    rules: tuple[CustomRule, ...] = ()
    views: tuple[View, ...] = ()
    imports: tuple[Import, ...] = ()
    sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # path -> text
    comments: Mapping[str, tuple[Any, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # Words in statements that did not parse: a reference to one of them may be to a lost declaration.
    unparsed_names: frozenset[str] = frozenset()

    # ---- lookups ---------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.info.label if self.info and self.info.label else "Untitled model"

    @functools.cached_property
    def _by_id(self) -> dict[str, dict[str, Any]]:
        index: dict[str, dict[str, Any]] = {}
        for group in NAMED_GROUPS:
            table = index.setdefault(group, {})
            for node in getattr(self, group):
                table.setdefault(node.id, node)
        return index

    def element(self, id: str) -> Element | None:
        return self._by_id["elements"].get(id)

    def boundary(self, id: str) -> Boundary | None:
        return self._by_id["boundaries"].get(id)

    def data_asset(self, id: str) -> DataAsset | None:
        return self._by_id["data"].get(id)

    def member(self, id: str) -> Member | None:
        return self._by_id["team"].get(id)

    def agent(self, id: str) -> ThreatAgent | None:
        return self._by_id["agents"].get(id)

    def control(self, id: str) -> Control | None:
        return self._by_id["controls"].get(id)

    def flow(self, id: str) -> Flow | None:
        return self._by_id["flows"].get(id)

    def view(self, id: str) -> View | None:
        return self._by_id["views"].get(id)

    def boundary_chain(self, boundary_id: str | None) -> tuple[Boundary, ...]:
        """The boundary and its ancestors, innermost first."""
        chain = self._chains.get(boundary_id)
        if chain is None:
            found: list[Boundary] = []
            current = boundary_id
            while current is not None:
                node = self.boundary(current)
                if node is None or any(node is b for b in found):
                    break
                found.append(node)
                current = node.parent
            chain = self._chains[boundary_id] = tuple(found)
        return chain

    @functools.cached_property
    def _chains(self) -> dict[str | None, tuple[Boundary, ...]]:
        return {}  # boundary id -> its chain, filled as asked (lint asks once per flow end)

    def children(self, boundary_id: str | None) -> tuple[tuple[Boundary, ...], tuple[Element, ...]]:
        """Boundaries and elements directly inside a boundary (None: the top level)."""
        return (
            tuple(b for b in self.boundaries if b.parent == boundary_id),
            tuple(e for e in self.elements if e.boundary == boundary_id),
        )

    def flows_of(self, element_id: str) -> tuple[Flow, ...]:
        return tuple(f for f in self.flows if element_id in (f.source, f.sink))

    def crossed_boundaries(self, flow: Flow) -> tuple[tuple[Boundary, ...], tuple[Boundary, ...]]:
        """(boundaries the flow exits, boundaries it enters)."""
        source = self.element(flow.source)
        sink = self.element(flow.sink)
        src_chain = self.boundary_chain(source.boundary if source else None)
        dst_chain = self.boundary_chain(sink.boundary if sink else None)
        src_ids = {b.id for b in src_chain}
        dst_ids = {b.id for b in dst_chain}
        exits = tuple(b for b in src_chain if b.id not in dst_ids)
        enters = tuple(b for b in dst_chain if b.id not in src_ids)
        return exits, enters

    def crosses_boundary(self, flow: Flow) -> bool:
        exits, enters = self.crossed_boundaries(flow)
        return bool(exits or enters)

    def trust_source(self, boundary_id: str | None) -> Boundary | None:
        """The boundary whose `trust:` a boundary has: itself, else the nearest enclosing one that
        states it (None: none does, the default `medium` applies)."""
        return next((b for b in self.boundary_chain(boundary_id) if b.states_trust), None)

    def trust_of(self, element_id: str) -> str | None:
        """Trust level of the innermost boundary around an element, stated or inherited (None: no boundary)."""
        element = self.element(element_id)
        chain = self.boundary_chain(element.boundary if element else None)
        return str(chain[0].get("trust")) if chain else None

    @functools.cached_property
    def facts(self) -> Effects:
        """What the facts the model states (boundary settings, `control` kinds) imply and do to threats."""
        from tmdiag.model.facts import effects

        return effects(self)

    def flag(self, node: Node, key: str) -> bool:
        """A true/false attribute as the model means it: what the node declares, else what a fact
        covering it implies (`mfa: required` on its boundary is `uses_mfa: true`; a `control` of kind
        `content_filtering` is `content_filtering: true`)."""
        if node.has(key):
            return node.get(key) is True
        implied = self.facts.implied.get(node.id, ())
        return any(k == key and value is True for k, value, _ in implied) or node.get(key) is True

    def owner_of(self, node: Node) -> str | None:
        """The risk owner of what is found on `node` (a team member id), or None."""
        source = self.owner_from(node)
        return str(source.get("owner")) if source is not None else None

    def owner_from(self, node: Node) -> Node | None:
        """The node whose `owner:` applies to `node`: the node itself, else the innermost boundary
        around it that has one; for a flow, its own, else its sink's (the element, then its
        boundaries), else its source's; for a boundary, its own, else its nearest parent's."""
        if node.get("owner"):
            return node
        if isinstance(node, Boundary):
            return next((b for b in self.boundary_chain(node.parent) if b.get("owner")), None)
        ends = (node.sink, node.source) if isinstance(node, Flow) else (node.id,)
        for end in ends:
            element = self.element(end)
            if element is None:
                continue
            if element.get("owner"):
                return element
            for boundary in self.boundary_chain(element.boundary):
                if boundary.get("owner"):
                    return boundary
        return None

    # ---- derived facts (model/derived.py: one definition each) ---------------------------
    @functools.cached_property
    def _derived(self) -> Derived:
        with gc_paused():  # many small tuples at once: no collections mid-way (linear on big models)
            return Derived(self)

    def stored_data(self, store_id: str) -> tuple[DataAsset, ...]:
        """What a datastore stores: its `stores:` and the data of every flow into or out of it
        (model order, each once); () for anything but a datastore."""
        return self._data(self._derived.stored.get(store_id, ()))

    def stored_in(self, data_id: str) -> tuple[Element, ...]:
        """The datastores that store a data asset (see `stored_data`), in model order."""
        return tuple(e for e in map(self.element, self._derived.stored_in.get(data_id, ())) if e is not None)

    def data_of(self, node: Node) -> tuple[DataAsset, ...]:
        """The data a flow carries; for an element, what it stores and what its flows carry."""
        if isinstance(node, Flow):
            return self._data(tuple(dict.fromkeys(node.ids("data"))))
        return self._data(self._derived.handled.get(node.id, ()) if isinstance(node, Element) else ())

    def reached_by(self, agent_id: str) -> tuple[Reach, ...]:
        """The elements a threat agent reaches, in model order, each once with how it reaches it."""
        return self._derived.reach.get(agent_id, ())

    def agents_reaching(self, element_id: str) -> tuple[str, ...]:
        """Ids of the threat agents that reach an element (see `reached_by`), in model order."""
        return self._derived.agents_at.get(element_id, ())

    def _data(self, ids: tuple[str, ...]) -> tuple[DataAsset, ...]:
        return tuple(d for d in map(self.data_asset, ids) if d is not None)

    def nodes(self) -> Iterator[Node]:
        yield from self.team
        yield from self.data
        yield from self.agents
        yield from self.boundaries
        yield from self.elements
        yield from self.flows
        yield from self.controls
        yield from self.rules
        yield from self.views
