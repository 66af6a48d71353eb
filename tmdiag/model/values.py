"""Model values as data: JSON-ready values and a custom rule's condition as text. The diff, the
model JSON export and the OTM export share them."""

from __future__ import annotations

import datetime
from typing import Any

from tmdiag.model import nodes as n


def json_value(value: Any) -> Any:
    """A model value as JSON data: dates ISO, durations as written, names and lists plain."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [json_value(v) for v in value]
    return str(value)


def expr_text(expr: n.Expr | None) -> str | None:
    """A custom rule's condition as text (spans left out), fully parenthesised."""
    if expr is None:
        return None
    if isinstance(expr, n.Literal):
        value = expr.value
        if isinstance(value, bool):
            return "true" if value else "false"
        return f'"{value}"' if isinstance(value, str) and not isinstance(value, n.Name) else str(value)
    if isinstance(expr, n.Path):
        return ".".join(expr.parts)
    if isinstance(expr, n.Not):
        return f"not ({expr_text(expr.operand)})"
    if isinstance(expr, n.BoolOp):
        return f" {expr.op} ".join(f"({expr_text(o)})" for o in expr.operands)
    if isinstance(expr, n.Compare):
        return f"{expr_text(expr.left)} {expr.op} {expr_text(expr.right)}"
    if isinstance(expr, n.In):
        return f"{expr_text(expr.left)} in [{', '.join(str(expr_text(o)) for o in expr.options)}]"
    if isinstance(expr, n.BoundaryTest):
        return f"{expr.op} {expr.boundary or 'boundary'}"
    return repr(expr)
