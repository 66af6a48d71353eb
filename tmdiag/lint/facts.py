"""Facts rules share: trust and classification ranks, encryption of flows, spans worth pointing at.

Attribute names and defaults come from the schema through `node.get(...)`; values may be
ill-typed in a model that failed validation, so every reading here is defensive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tmdiag.diagnostics import Span
from tmdiag.model import schema
from tmdiag.model.nodes import DataAsset, Element, Flow, Model, Node


def flag(node: Node, key: str) -> bool:
    return node.get(key) is True


def items(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def rank(values: tuple[str, ...], value: object) -> int:
    """Position of an enum value in its schema order, -1 when unknown."""
    text = str(value)
    return values.index(text) if text in values else -1


def trust_rank(model: Model, element_id: str) -> int | None:
    trust = model.trust_of(element_id)
    if trust is None:
        return None
    found = rank(schema.TRUST_LEVELS, trust)
    return found if found >= 0 else None


def classification(data: DataAsset) -> int:
    return rank(schema.CLASSIFICATIONS, data.get("classification"))


CLASS_PUBLIC = schema.CLASSIFICATIONS.index("public")
CLASS_SENSITIVE = schema.CLASSIFICATIONS.index("sensitive")
CLASS_SECRET = schema.CLASSIFICATIONS.index("secret")


def is_sensitive(data: DataAsset) -> bool:
    return classification(data) >= CLASS_SENSITIVE or flag(data, "pii")


def is_secret(data: DataAsset) -> bool:
    return classification(data) >= CLASS_SECRET or flag(data, "credentials")


def data_of(model: Model, node: Node, key: str = "data") -> Iterator[DataAsset]:
    for ref in items(node.get(key)):
        asset = model.data_asset(str(ref)) if isinstance(ref, str) else None
        if asset is not None:
            yield asset


def tls_version(value: object) -> str:
    """A TLS value as one of schema.TLS_VERSIONS (`none` when unset or unreadable)."""
    return schema.tls_version(value) or "none"


@dataclass(frozen=True)
class Index:
    """Lookups several rules need, built once per model so that rules stay linear."""

    by_number: dict[int, Flow]
    inbound: dict[str, tuple[Flow, ...]]  # element id -> requests (not replies) that end there
    endpoints: frozenset[str]


_last: tuple[Model, Index] | None = None


def index(model: Model) -> Index:
    global _last
    if _last is not None and _last[0] is model:
        return _last[1]
    inbound: dict[str, list[Flow]] = {}
    for flow in model.flows:
        if not flow.is_reply:
            inbound.setdefault(flow.sink, []).append(flow)
    built = Index(
        by_number={f.number: f for f in model.flows},
        inbound={k: tuple(v) for k, v in inbound.items()},
        endpoints=frozenset(end for f in model.flows for end in (f.source, f.sink)),
    )
    _last = (model, built)
    return built


def request_of(model: Model, flow: Flow) -> Flow | None:
    if flow.reply_to is None:
        return None
    return index(model).by_number.get(flow.reply_to)


def channel(model: Model, flow: Flow) -> Flow:
    """The flow whose connection carries this one: a reply rides its request's connection."""
    return request_of(model, flow) or flow


def encrypted(model: Model, flow: Flow) -> bool:
    """Encrypted in transit: `encrypted:` as the flow states it (`encrypted: false` beside a TLS
    version is taken at its word, as the threats take it; TM211 asks which it is); else
    `encrypted: true` or a TLS version on the flow or its request."""
    if flow.has("encrypted"):
        return flow.get("encrypted") is True
    return any(flag(f, "encrypted") or tls_version(f.get("tls")) != "none" for f in (flow, channel(model, flow)))


def authenticated(flow: Flow) -> bool:
    """`authenticates_source: true`, also written `authenticated: true` (one attribute)."""
    return flag(flow, "authenticates_source")


def head(node: Node) -> Span:
    """The first word of a declaration (`datastore`, `model`, `risk`): a short span to point at."""
    s = node.span
    width = len("model" if node.kind == "model" else node.kind)
    return Span(s.path, s.line, s.column, s.line, s.column + max(1, width))


def where(node: Node) -> Span:
    """The node's id, or for a flow `source -> sink` (or the `reply` keyword)."""
    if isinstance(node, Flow):
        if node.is_reply:
            s = node.id_span
            return Span(s.path, s.line, s.column, s.line, s.column + len("reply"))
        if node.source_span and node.sink_span and node.source_span.line == node.sink_span.line:
            return Span(
                node.source_span.path,
                node.source_span.line,
                node.source_span.column,
                node.sink_span.end_line,
                node.sink_span.end_column,
            )
    return node.id_span


def attribute_span(node: Node, key: str) -> Span:
    """The `key: value` span when written, else where the node is declared."""
    attr = node.attribute(key)
    return attr.span if attr is not None else where(node)


def local(model: Model, node: Node) -> bool:
    """Declared in the model's own file, not in an imported one."""
    return node.span.path == model.path


def describe_flow(model: Model, flow: Flow) -> str:
    return f"flow `{flow.source} -> {flow.sink}`" + (f' "{flow.label}"' if flow.label else "")


def kind_word(element: Element) -> str:
    return {"external": "external entity", "llm": "LLM", "agent": "AI agent"}.get(element.kind, element.kind)


def model_anchor(model: Model) -> Span:
    """Where to report a finding about the whole model: its header, else line 1 of the file."""
    if model.info is not None and model.info.span.path == model.path:
        return head(model.info)
    return Span(model.path, 1, 1, 1, 2)
