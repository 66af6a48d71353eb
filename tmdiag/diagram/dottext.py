"""DOT text of a pydot graph, as `pydot.Graph.to_string()` writes it, in a fraction of the time.

pydot decides for every attribute of every node whether its value needs quotes (a scan of the
value each time); a model's pictures repeat the same few hundred values thousands of times, so
the decisions are cached here. The text is byte-identical to pydot's (a test compares them).
"""

from __future__ import annotations

import functools
from typing import Any

import pydot
from pydot import core

_DEFAULTS = ("graph", "node", "edge")


@functools.lru_cache(maxsize=65536)
def _attr(value: str) -> str:
    return str(core.quote_attr_if_necessary(value))


@functools.lru_cache(maxsize=65536)
def _node_name(name: str) -> str:
    return str(core.quote_id_if_necessary(name, unquoted_keywords=_DEFAULTS))


@functools.lru_cache(maxsize=65536)
def _id(name: str) -> str:
    return str(core.quote_id_if_necessary(name))


def _attrs(attributes: dict[str, Any]) -> str:
    parts = []
    for key, value in attributes.items():
        if value == "":
            value = '""'
        if value is None:
            parts.append(key)
        else:
            parts.append(f"{key}={_attr(value) if isinstance(value, str) else core.quote_attr_if_necessary(value)}")
    return ", ".join(parts)


def to_dot(graph: pydot.Graph) -> str:
    """The graph's DOT text (plain node and edge references only, as tmdiag's graphs have)."""
    out: list[str] = []
    _graph(graph.obj_dict, out, top=True, arrow="->" if graph.get_top_graph_type() == "digraph" else "--")
    return "".join(out)


def _graph(obj: dict[str, Any], out: list[str], top: bool, arrow: str) -> None:
    first = []
    if top and obj.get("strict"):
        first.append("strict")
    if obj["type"] != "subgraph" or obj.get("show_keyword", True):
        first.append(obj["type"])
        if obj.get("name"):
            first.append(_id(obj["name"]))
    first.append("{\n")
    out.append(" ".join(first))
    for key, value in obj["attributes"].items():
        out.append(f"{_attrs({key: value})};\n")
    members = [o for group in ("edges", "nodes", "subgraphs") for items in obj[group].values() for o in items]
    members.sort(key=lambda o: o["sequence"])
    for member in members:
        kind = member["type"]
        if kind == "node":
            name = _node_name(member["name"])
            attributes = member.get("attributes", {})
            if name in _DEFAULTS and not attributes:
                out.append("\n")
                continue
            text = _attrs(attributes)
            out.append(f"{name} [{text}];\n" if text else f"{name};\n")
        elif kind == "edge":
            source, sink = member["points"]
            text = _attrs(member.get("attributes", {}))
            ends = f"{_edge_end(source)} {arrow} {_edge_end(sink)}"
            out.append(f"{ends} [{text}];\n" if text else f"{ends};\n")
        else:
            _graph(member, out, top=False, arrow=arrow)
    out.append("}\n")


def _edge_end(reference: Any) -> str:
    if isinstance(reference, str):
        return _id(reference)
    raise TypeError("tmdiag's graphs connect nodes, not subgraphs")  # pragma: no cover
