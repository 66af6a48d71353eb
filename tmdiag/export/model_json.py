"""tmdiag's own JSON of a model and its findings (docs/schemas/model.schema.json, format_version 1):
every declaration with its attributes and source position, and the threats document of
tmdiag/output/threats_json.py under `threats`: the same register and shape `tmdiag threats --format
json` prints (pytm's library, custom rules, the lint findings that are risks).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

from tmdiag.diagnostics import Diagnostic
from tmdiag.model import nodes as n
from tmdiag.model.values import expr_text, json_value
from tmdiag.output import threats_json
from tmdiag.results import Finding, Summary
from tmdiag.version import __version__

FORMAT_VERSION = 1


def node_dict(node: n.Node) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": node.kind, "id": node.id, "label": node.label,
        "span": {"path": node.span.path, "line": node.span.line, "column": node.span.column},
        "attributes": {a.key: json_value(a.value) for a in node.attributes},
    }  # fmt: skip
    if isinstance(node, n.Boundary):
        out["parent"] = node.parent
    elif isinstance(node, n.Element):
        out["boundary"] = node.boundary
    elif isinstance(node, n.Flow):
        out.update(number=node.number, source=node.source, sink=node.sink, named=node.named, reply_to=node.reply_to)
    elif isinstance(node, n.Member):
        out["roles"] = list(node.roles)
    elif isinstance(node, n.RiskDecision):
        out["target"] = node.target
    elif isinstance(node, n.CustomRule):
        out["when"] = expr_text(node.condition)
    return out


def document(
    model: n.Model,
    today: datetime.date,
    findings: Sequence[Finding],
    *,
    summary: Summary,
    excluded: Sequence[Finding] = (),
    diagnostics: Sequence[Diagnostic] = (),
) -> dict[str, Any]:
    """The model and its register (`pipeline.Analysis`: findings, excluded, diagnostics, summary)."""
    register = threats_json.render(model, today, findings, summary=summary, excluded=excluded,
                                   diagnostics=diagnostics)  # fmt: skip
    return {
        "format_version": FORMAT_VERSION,
        "generator": f"tmdiag {__version__}",
        "model": {
            "path": model.path,
            "name": model.name,
            "header": node_dict(model.info) if model.info is not None else None,
            "imports": [{"path": i.path, "span": {"path": i.span.path, "line": i.span.line}} for i in model.imports],
            **{group: [node_dict(node) for node in getattr(model, group)] for group in n.GROUPS},
        },
        "threats": json.loads(register),
    }


def render(
    model: n.Model,
    today: datetime.date,
    findings: Sequence[Finding],
    *,
    summary: Summary,
    excluded: Sequence[Finding] = (),
    diagnostics: Sequence[Diagnostic] = (),
) -> str:
    doc = document(model, today, findings, summary=summary, excluded=excluded, diagnostics=diagnostics)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
