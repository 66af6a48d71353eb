"""Custom threat rule conditions, type-checked against the schema at load time.

Validation calls `check_rules`, so a rule that cannot work is reported (E405) at load time, never
silently dead; the checked trees it returns are what `tmdiag.threats.rules.Evaluator` evaluates
(never `eval`). The language is documented in docs/threats.md; in short, paths name attributes of
the rule's target:

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
from collections.abc import Iterable
from dataclasses import dataclass, field

from tmdiag.diagnostics import Diagnostic, Fix, Span, a_or_an, did_you_mean, hint_for, suggestion
from tmdiag.model import nodes as n
from tmdiag.model import schema

ORDERED = (schema.CLASSIFICATIONS, schema.TRUST_LEVELS, schema.LEVELS, schema.TLS_VERSIONS)
ORDERED_OPS = frozenset({"<", "<=", ">", ">="})
_LIST_TYPES = (schema.REFS, schema.STRS, schema.IDS, schema.INGRESS, schema.ADDRESSES)


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
        return _unknown(head, a_or_an(kind), [*schema.BY_NAME[kind], "trust", "boundary", "data"])
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

    def error(self, message: str, span: Span, hint: str | None = None, fix: Fix | None = None) -> None:
        if "; did you mean" in message and hint is None:  # an unknown path segment: words only, no edit
            message, _, rest = message.partition("; ")
            hint = rest
        hint = hint or hint_for(fix)
        self.diagnostics.append(Diagnostic("E405", f"rule `{self.rule.id}`: {message}", span, hint=hint, fix=fix))

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
        if isinstance(expr, n.Literal):  # None: a value already reported (an impossible date, a huge number)
            return (_literal_type(expr.value) if expr.value is not None else None), expr
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
                           fix=suggestion(word, other.values))  # fmt: skip
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
                               hint=did_you_mean(str(literal.value), side.values),
                               fix=suggestion(literal.value, side.values) if isinstance(literal.value, n.Name)
                               else None)  # fmt: skip
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


def check(rule: n.CustomRule, model: n.Model) -> tuple[Checked | None, list[Diagnostic]]:
    """Type-check a rule; the checked tree is None when it has errors (or the rule has no condition
    or no valid target kind)."""
    checker = _Checker(rule, model)
    if rule.condition is None or not checker.kinds:
        return None, []
    expr = checker.predicate(rule.condition)
    return (None if checker.diagnostics else Checked(expr, checker.routes)), checker.diagnostics


def check_rules(model: n.Model) -> tuple[dict[str, Checked], list[Diagnostic]]:
    """Every custom rule of a model type-checked: ({rule id: checked rule} for those that can run,
    the problems of the others, E405)."""
    checked: dict[str, Checked] = {}
    problems: list[Diagnostic] = []
    for rule in model.rules:
        result, found = check(rule, model)
        problems.extend(found)
        if result is not None and rule.id not in checked:
            checked[rule.id] = result
    return checked, problems
