"""Custom threat rules evaluated on a model's elements and flows, with the facts that decided.

The conditions were type-checked by `tmdiag.semantics.rules` (the checked tree says which
attribute each path reads for each target kind); evaluation walks that tree, never `eval`.
A path over several values (`data.X`, list attributes) is true when any value makes the test true.
"""

from __future__ import annotations

import datetime
import operator
from typing import Any

from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.semantics.rules import Checked

_ORDER_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}

Candidate = tuple[Any, str | None]  # (value, the fact that gives it: "datastore db: public = true")


class Evaluator:
    """Evaluates checked rules on a model's elements and flows; returns evidence with the result."""

    def __init__(self, model: n.Model):
        self.model = model

    def applies(self, checked: Checked, target: n.Element | n.Flow) -> tuple[bool, tuple[str, ...]]:
        value, facts = self.truth(checked, checked.expr, target)
        return value, tuple(dict.fromkeys(facts))

    def truth(self, checked: Checked, expr: n.Expr, target: n.Element | n.Flow) -> tuple[bool, list[str]]:
        if isinstance(expr, n.BoolOp):
            collected: list[str] = []
            for operand in expr.operands:
                value, facts = self.truth(checked, operand, target)
                if (expr.op == "and") != value:
                    return value, facts
                collected.extend(facts)
            return expr.op == "and", collected
        if isinstance(expr, n.Not):
            value, facts = self.truth(checked, expr.operand, target)
            return not value, facts
        if isinstance(expr, n.Literal):
            return bool(expr.value), []
        if isinstance(expr, n.Path):
            candidates = self.values(checked, expr, target)
            hit = next(((v, f) for v, f in candidates if v is True), None)
            if hit is not None:
                return True, [hit[1]] if hit[1] else []
            return False, [f for _, f in candidates if f]
        if isinstance(expr, n.Compare):
            return self.compare(checked, expr, target)
        if isinstance(expr, n.In):
            left = self.values(checked, expr.left, target)
            options = [v for o in expr.options for v, _ in self.values(checked, o, target)]
            for value, fact in left:
                if any(_equal(value, o) for o in options):
                    return True, [fact] if fact else []
            return False, [f for _, f in left if f]
        if isinstance(expr, n.BoundaryTest):
            return self.boundary_test(expr, target)
        return False, []

    def compare(self, checked: Checked, expr: n.Compare, target: n.Element | n.Flow) -> tuple[bool, list[str]]:
        left = self.values(checked, expr.left, target)
        right = self.values(checked, expr.right, target)
        order = self._order(checked, expr)
        seen: list[str] = []
        for lv, lf in left:
            for rv, rf in right:
                if _holds(expr.op, lv, rv, order):
                    return True, [f for f in (lf, rf) if f]
                seen.extend(f for f in (lf, rf) if f)
        return False, seen

    def _order(self, checked: Checked, expr: n.Compare) -> tuple[str, ...]:
        for side in (expr.left, expr.right):
            for route in checked.routes.get(id(side), {}).values():
                if route.type.kind == "enum":
                    return route.type.values
        return ()

    def boundary_test(self, expr: n.BoundaryTest, target: n.Element | n.Flow) -> tuple[bool, list[str]]:
        if not isinstance(target, n.Flow):
            return False, []
        exits, enters = self.model.crossed_boundaries(target)
        exit_ids, enter_ids = [b.id for b in exits], [b.id for b in enters]
        if expr.op == "crosses":
            hit = bool(exit_ids or enter_ids) if expr.boundary is None else expr.boundary in exit_ids + enter_ids
        else:
            hit = expr.boundary in (enter_ids if expr.op == "enters" else exit_ids)
        parts = [
            f"exits {', '.join(exit_ids)}" if exit_ids else "",
            f"enters {', '.join(enter_ids)}" if enter_ids else "",
        ]
        crossing = "; ".join(p for p in parts if p) or "crosses no boundary"
        return hit, [f"{_subject(target)}: {crossing}"]

    # ---- values of paths ----------------------------------------------------------------
    def values(self, checked: Checked, expr: n.Expr, target: n.Element | n.Flow) -> list[Candidate]:
        if isinstance(expr, n.Literal):
            value = expr.value
            return [(str(value) if isinstance(value, n.Name) else value, None)]
        if not isinstance(expr, n.Path):
            value, facts = self.truth(checked, expr, target)
            return [(value, "; ".join(facts) or None)]
        route = checked.routes.get(id(expr), {}).get(target.kind)
        if route is None:
            return []  # this kind has no such attribute: every test on it is false
        return self.read(target, route.route)

    def read(self, node: n.Node, route: tuple[str, ...]) -> list[Candidate]:
        head, rest = route[0], route[1:]
        if head in ("source", "sink") and isinstance(node, n.Flow):
            endpoint = self.model.element(node.source if head == "source" else node.sink)
            return self.read(endpoint, rest) if endpoint is not None and rest else []
        if head == "trust" and isinstance(node, n.Element):
            chain = self.model.boundary_chain(node.boundary)
            if not chain:
                return []
            source = self.model.trust_source(chain[0].id)
            fact = _fact(chain[0], "trust")
            if source is not None and source is not chain[0]:
                fact = fact.removesuffix(" (default)") + f" (inherited from boundary {source.id})"
            return [(str(chain[0].get("trust")), fact)]
        if head == "boundary" and isinstance(node, n.Element):
            chain = self.model.boundary_chain(node.boundary)
            return self.read(chain[0], rest) if chain else []
        if head == "data":
            return [c for asset in self.model.data_of(node) for c in self.read(asset, rest)]
        value = node.get(head)
        if value is None:
            return []
        values = value if isinstance(value, tuple) else (value,)
        return [(str(v) if isinstance(v, n.Name) else v, _fact(node, head)) for v in values]


def _subject(node: n.Node) -> str:
    if isinstance(node, n.Flow):
        return f"flow {node.source} -> {node.sink}" + (f" ({node.id})" if node.named else "")
    if isinstance(node, n.DataAsset):
        return f"data {node.id}"
    if isinstance(node, n.Boundary):
        return f"boundary {node.id}"
    return f"{node.kind} {node.id}"


def _fact(node: n.Node, key: str) -> str:
    value = node.get(key)
    shown = ", ".join(_word(v) for v in value) if isinstance(value, tuple) else _word(value)
    default = "" if node.has(key) else " (default)"
    return f"{_subject(node)}: {key} = {shown}{default}"


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _equal(left: object, right: object) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    return str(left) == str(right) if not isinstance(left, (int, float)) else False


def _holds(op: str, left: object, right: object, order: tuple[str, ...]) -> bool:
    if op == "==":
        return _equal(left, right) or _tls_equal(left, right, order)
    if op == "!=":
        return not (_equal(left, right) or _tls_equal(left, right, order))
    a: Any
    b: Any
    if order:
        a, b = _position(left, order), _position(right, order)
        if a is None or b is None:
            return False
    elif isinstance(left, n.Duration) and isinstance(right, n.Duration):
        a, b = left.days, right.days
    else:
        a, b = left, right
    try:
        return bool(_ORDER_OPS[op](a, b))
    except TypeError:
        return False


def _position(value: object, order: tuple[str, ...]) -> int | None:
    text = (schema.tls_version(value) or "") if order == schema.TLS_VERSIONS else str(value)
    return order.index(text) if text in order else None


def _tls_equal(left: object, right: object, order: tuple[str, ...]) -> bool:
    if order != schema.TLS_VERSIONS:
        return False
    a, b = _position(left, order), _position(right, order)
    return a is not None and a == b
