"""Custom threat rule conditions: type-checked against the schema at load time, evaluated here.

`check` calls `typecheck`, so a rule that cannot work is reported (E405) at load time, never
silently dead. Evaluation walks the typed tree (never `eval`). The language is documented in
docs/threats.md; in short, paths name attributes of the rule's target:

  element rules   `X` its attribute · `trust` trust of its innermost boundary ·
                  `boundary.X` that boundary's attribute · `data.X` any data asset it stores or
                  that a flow to or from it carries
  flow rules      `X` its attribute · `source.X` / `sink.X` an endpoint's attribute (also
                  `source.trust`, `source.boundary.X`) · `data.X` any data asset it carries ·
                  `crosses boundary`, `crosses ID`, `enters ID`, `exits ID`

A path over several values (`data.X`, list attributes) is true when any value makes the test
true. An attribute the target's kind does not have makes the test false.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tmdiag.diagnostics import Diagnostic, Span, did_you_mean
from tmdiag.model import nodes as n
from tmdiag.model import schema

ORDERED = (schema.CLASSIFICATIONS, schema.TRUST_LEVELS, schema.LEVELS, schema.TLS_VERSIONS)
ORDERED_OPS = frozenset({"<", "<=", ">", ">="})
_ORDER_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_LIST_TYPES = (schema.REFS, schema.STRS, schema.IDS, schema.INGRESS)


@dataclass(frozen=True, slots=True)
class Type:
    kind: str  # bool | number | string | enum | date | duration
    values: tuple[str, ...] = ()  # enum values
    name: str = ""  # what it is, for messages: `classification`, "a string"
    many: bool = False  # several values (data.X, lists): tests are "any"

    @property
    def ordered(self) -> bool:
        return self.kind in ("number", "date", "duration") or (self.kind == "enum" and self.values in ORDERED)

    def describe(self) -> str:
        if self.kind == "enum":
            return f"`{self.name}` (one of {', '.join(self.values)})"
        return {"bool": "true/false", "number": "a number", "string": "a string", "date": "a date",
                "duration": "a duration"}.get(self.kind, self.kind)  # fmt: skip


BOOL = Type("bool")


def attr_type(spec: schema.Attr, many: bool = False) -> Type:
    many = many or spec.type in _LIST_TYPES
    if spec.type == schema.BOOL:
        return Type("bool", name=spec.name, many=many)
    if spec.type in (schema.INT, schema.PORT):
        return Type("number", name=spec.name, many=many)
    if spec.type in (schema.ENUM, schema.TLS):
        return Type("enum", spec.values or schema.TLS_VERSIONS, spec.name, many)
    if spec.type == schema.DATE:
        return Type("date", name=spec.name, many=many)
    if spec.type == schema.DURATION:
        return Type("duration", name=spec.name, many=many)
    return Type("string", name=spec.name, many=many)


# ---- path resolution -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Resolved:
    """A path resolved for one target kind: where to read and what type it has."""

    route: tuple[str, ...]  # e.g. ("source", "boundary", "trust"), ("data", "pii"), ("encrypted",)
    type: Type


def _resolve_element(kind: str, parts: tuple[str, ...], many: bool = False) -> Resolved | str:
    """The route of `parts` on an element of `kind`, or an error message."""
    head, rest = parts[0], parts[1:]
    if head == "trust" and not rest:
        return Resolved(("trust",), attr_type(schema.BY_NAME["boundary"]["trust"], many))
    if head in ("boundary", "data"):
        group = "boundary" if head == "boundary" else "data"
        if len(rest) != 1:
            return f"write `{head}.<attribute>`, e.g. `{head}.{'trust' if head == 'boundary' else 'classification'}`"
        spec = schema.BY_NAME[group].get(rest[0])
        if spec is None:
            return _unknown(rest[0], f"a {'boundary' if head == 'boundary' else 'data asset'}", schema.BY_NAME[group])
        return Resolved((head, rest[0]), attr_type(spec, many or head == "data"))
    spec = schema.BY_NAME[kind].get(head)
    if spec is None:
        return _unknown(head, f"a {kind}", [*schema.BY_NAME[kind], "trust", "boundary", "data"])
    if rest:
        return f"`{head}` has no attributes of its own"
    return Resolved((head,), attr_type(spec, many))


def _resolve_flow(parts: tuple[str, ...]) -> Resolved | str:
    head = parts[0]
    if head in ("source", "sink"):
        if len(parts) == 1:
            return f"write `{head}.<attribute>`, e.g. `{head}.trust`"
        errors: list[str] = []
        for kind in schema.ELEMENT_KINDS:
            found = _resolve_element(kind, parts[1:])
            if isinstance(found, Resolved):
                return Resolved((head, *found.route), found.type)
            errors.append(found)
        pool = sorted({a for k in schema.ELEMENT_KINDS for a in schema.BY_NAME[k]} | {"trust", "boundary", "data"})
        return _unknown(parts[1], "an element", pool)
    if head == "data":
        return _resolve_element("flow", parts)
    spec = schema.BY_NAME["flow"].get(head)
    if spec is None:
        return _unknown(head, "a flow", [*schema.BY_NAME["flow"], "source", "sink", "data"])
    if len(parts) > 1:
        return f"`{head}` has no attributes of its own"
    return Resolved((head,), attr_type(spec))


def _unknown(name: str, where: str, pool: Iterable[str]) -> str:
    hint = did_you_mean(name, list(pool))
    return f"unknown attribute `{name}` for {where}" + (f"; {hint}" if hint else "")


def resolve(kinds: tuple[str, ...], parts: tuple[str, ...]) -> dict[str, Resolved] | str:
    """Resolve a path for every target kind that has it; an error message when none has it."""
    found: dict[str, Resolved] = {}
    first_error = ""
    for kind in kinds:
        result = _resolve_flow(parts) if kind == "flow" else _resolve_element(kind, parts)
        if isinstance(result, Resolved):
            found[kind] = result
        else:
            first_error = first_error or result
    return found or first_error


# ---- type checking -------------------------------------------------------------------------
@dataclass
class Checked:
    """A rule after type checking: a tree where bare enum words are literals, and routes per kind."""

    expr: n.Expr
    routes: dict[int, dict[str, Resolved]] = field(default_factory=dict)  # id(Path) -> kind -> route


def rule_kinds(rule: n.CustomRule) -> tuple[str, ...]:
    """The valid kinds a rule targets (element kinds and `flow`)."""
    targets = rule.get("targets") or ()
    targets = targets if isinstance(targets, tuple) else (targets,)
    return tuple(dict.fromkeys(str(t) for t in targets if str(t) in schema.RULE_TARGETS))


class _Checker:
    def __init__(self, rule: n.CustomRule, model: n.Model):
        self.rule = rule
        self.model = model
        self.kinds = rule_kinds(rule)
        self.diagnostics: list[Diagnostic] = []
        self.routes: dict[int, dict[str, Resolved]] = {}

    def error(self, message: str, span: Span, hint: str | None = None) -> None:
        if "; did you mean" in message and hint is None:
            message, _, rest = message.partition("; ")
            hint = rest
        self.diagnostics.append(Diagnostic("E405", f"rule `{self.rule.id}`: {message}", span, hint=hint))

    def predicate(self, expr: n.Expr) -> n.Expr:
        """Check an expression used as a condition (must be true/false)."""
        if isinstance(expr, n.BoolOp):
            return n.BoolOp(expr.span, expr.op, tuple(self.predicate(o) for o in expr.operands))
        if isinstance(expr, n.Not):
            return n.Not(expr.span, self.predicate(expr.operand))
        if isinstance(expr, n.Compare):
            return self.compare(expr)
        if isinstance(expr, n.In):
            return self.membership(expr)
        if isinstance(expr, n.BoundaryTest):
            self.boundary_test(expr)
            return expr
        if isinstance(expr, n.Literal):
            if not isinstance(expr.value, bool):
                self.error(f"{_show(expr.value)} is not true/false and cannot be a condition", expr.span)
            return expr
        if isinstance(expr, n.Path):
            found = self.path(expr)
            if found is not None and found.kind != "bool":
                text = ".".join(expr.parts)
                example = f"{text} == {found.values[-1]}" if found.kind == "enum" else f"{text} == ..."
                what = f"takes {', '.join(found.values)}" if found.kind == "enum" else f"is {found.describe()}"
                self.error(f"`{text}` is not true/false: it {what}", expr.span,
                           hint=f"compare it, e.g. `{example}`")  # fmt: skip
            return expr
        return expr

    def path(self, expr: n.Path) -> Type | None:
        found = resolve(self.kinds, expr.parts)
        if isinstance(found, str):
            self.error(found, expr.span)
            return None
        self.routes[id(expr)] = found
        return next(iter(found.values())).type

    def operand(self, expr: n.Expr, other: Type | None) -> tuple[Type | None, n.Expr]:
        """Type of one side of a comparison; a bare word becomes a literal when the other side wants one."""
        if isinstance(expr, n.Literal):
            return _literal_type(expr.value), expr
        if isinstance(expr, n.Path):
            word = expr.parts[0] if len(expr.parts) == 1 else None
            if word is not None and other is not None and other.kind == "enum" and word in other.values:
                return Type("enum", other.values, other.name), n.Literal(expr.span, word)
            found = resolve(self.kinds, expr.parts)
            if isinstance(found, dict):
                self.routes[id(expr)] = found
                return next(iter(found.values())).type, expr
            if word is not None and other is not None and other.kind == "enum":
                self.error(f"`{word}` is not a valid `{other.name}`; expected one of "
                           + ", ".join(f"`{v}`" for v in other.values), expr.span,
                           hint=did_you_mean(word, other.values))  # fmt: skip
                return None, expr
            if word is not None and other is not None and other.kind == "string":
                return Type("string"), n.Literal(expr.span, word)
            self.error(found, expr.span)
            return None, expr
        return BOOL, self.predicate(expr)

    def compare(self, expr: n.Compare) -> n.Expr:
        if _is_word(expr.left) and not _is_word(expr.right):  # `public == data.classification`
            right_type, right = self.operand(expr.right, None)
            left_type, left = self.operand(expr.left, right_type)
        else:  # the left side names the attribute: `classification == secret`
            left_type, left = self.operand(expr.left, None)
            right_type, right = self.operand(expr.right, left_type)
        if left_type is not None and right_type is not None:
            self.compatible(expr.op, left_type, right_type, left, right, expr.span)
        return n.Compare(expr.span, expr.op, left, right)

    def membership(self, expr: n.In) -> n.Expr:
        left_type, left = self.operand(expr.left, None)
        options = []
        for option in expr.options:
            option_type, checked = self.operand(option, left_type)
            if left_type is not None and option_type is not None:
                self.compatible("==", left_type, option_type, left, checked, option.span)
            options.append(checked)
        return n.In(expr.span, left, tuple(options))

    def compatible(self, op: str, left: Type, right: Type, left_expr: n.Expr, right_expr: n.Expr, span: Span) -> None:
        for side, literal in ((left, right_expr), (right, left_expr)):
            if side.kind == "enum" and isinstance(literal, n.Literal):
                value = _enum_value(side, literal.value)
                if value is None:
                    self.error(f"{_show(literal.value)} is not a valid `{side.name}`; expected one of "
                               + ", ".join(f"`{v}`" for v in side.values), literal.span,
                               hint=did_you_mean(str(literal.value), side.values))  # fmt: skip
                    return
        same = left.kind == right.kind and (left.kind != "enum" or left.values == right.values)
        tls_number = {left.kind, right.kind} == {"enum", "number"} and schema.TLS_VERSIONS in (
            left.values,
            right.values,
        )
        if not same and not tls_number:
            self.error(f"cannot compare {left.describe()} with {right.describe()}", span)
            return
        if op in ORDERED_OPS and not (left.ordered or tls_number):
            self.error(
                f"`{op}` needs ordered values; {left.describe()} has no order",
                span,
                hint="use `==`, `!=` or `in [...]`",
            )

    def boundary_test(self, expr: n.BoundaryTest) -> None:
        wrong = [k for k in self.kinds if k != "flow"]
        if wrong:
            self.error(
                f"`{expr.op}` tests flows; this rule also targets {', '.join(wrong)}",
                expr.span,
                hint="give flow tests their own rule with `targets: [flow]`",
            )
        if expr.boundary is not None and self.model.boundary(expr.boundary) is None:
            self.error(
                f"boundary `{expr.boundary}` is not declared",
                expr.span,
                hint=did_you_mean(expr.boundary, [b.id for b in self.model.boundaries]),
            )


def _is_word(expr: n.Expr) -> bool:
    return isinstance(expr, n.Path) and len(expr.parts) == 1


def _literal_type(value: object) -> Type:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, (int, float)):
        return Type("number")
    if isinstance(value, datetime.date):
        return Type("date")
    if isinstance(value, n.Duration):
        return Type("duration")
    return Type("string")


def _enum_value(spec: Type, value: object) -> str | None:
    if spec.values == schema.TLS_VERSIONS:
        return schema.tls_version(value)
    return str(value) if isinstance(value, str) and str(value) in spec.values else None


def _show(value: object) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str) and not isinstance(value, n.Name):
        return f'"{value}"'
    return f"`{value}`"


_CHECKED: dict[int, tuple[n.CustomRule, n.Model, Checked | None, list[Diagnostic]]] = {}


def check(rule: n.CustomRule, model: n.Model) -> tuple[Checked | None, list[Diagnostic]]:
    """Type-check a rule; the checked tree is None when it has errors."""
    cached = _CHECKED.get(id(rule))
    if cached is not None and cached[0] is rule and cached[1] is model:
        return cached[2], cached[3]
    checker = _Checker(rule, model)
    if rule.condition is None or not checker.kinds:
        return None, []
    expr = checker.predicate(rule.condition)
    result = None if checker.diagnostics else Checked(expr, checker.routes)
    if len(_CHECKED) > 64:  # holds models alive: keep it small (the LSP loads many)
        _CHECKED.clear()
    _CHECKED[id(rule)] = (rule, model, result, checker.diagnostics)
    return result, checker.diagnostics


def typecheck(rule: n.CustomRule, model: n.Model) -> list[Diagnostic]:
    return check(rule, model)[1]


# ---- evaluation ----------------------------------------------------------------------------
Candidate = tuple[Any, str | None]  # (value, the fact that gives it: "datastore db: public = true")


class Evaluator:
    """Evaluates checked rules on a model's elements and flows; returns evidence with the result."""

    def __init__(self, model: n.Model):
        self.model = model
        self.flows_by_element: dict[str, list[n.Flow]] = {}
        for flow in model.flows:
            self.flows_by_element.setdefault(flow.source, []).append(flow)
            if flow.sink != flow.source:
                self.flows_by_element.setdefault(flow.sink, []).append(flow)

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
            return [(str(chain[0].get("trust")), _fact(chain[0], "trust"))] if chain else []
        if head == "boundary" and isinstance(node, n.Element):
            chain = self.model.boundary_chain(node.boundary)
            return self.read(chain[0], rest) if chain else []
        if head == "data":
            return [c for asset in self.data_of(node) for c in self.read(asset, rest)]
        value = node.get(head)
        if value is None:
            return []
        values = value if isinstance(value, tuple) else (value,)
        return [(str(v) if isinstance(v, n.Name) else v, _fact(node, head)) for v in values]

    def data_of(self, node: n.Node) -> list[n.DataAsset]:
        refs: list[str] = []
        if isinstance(node, n.Flow):
            refs.extend(_refs(node.get("data")))
        elif isinstance(node, n.Element):
            refs.extend(_refs(node.get("stores")))
            for flow in self.flows_by_element.get(node.id, ()):
                refs.extend(_refs(flow.get("data")))
        assets = (self.model.data_asset(r) for r in dict.fromkeys(refs))
        return [a for a in assets if a is not None]


def _refs(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, tuple) else (str(value),)


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
