"""Evidence: the model facts that made a pytm threat apply, in the model's own words.

pytm's conditions are Python expressions (`not target.controls.isEncrypted or ...`). They are
parsed with `ast` and walked by a small interpreter here (never `eval`): it follows the same
semantics, and records the attribute reads that decided the result — for `a or b` only the
operand that was true, for `a and b` all of them. Reads are named back through the schema
(`controls.isEncrypted` on a flow → `encrypted`), e.g. `flow web -> db: encrypted = false`.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable
from typing import Any

import pytm

from tmdiag.diagnostics import TmdiagError
from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.threats import adapter

Fact = tuple[Any, tuple[str, ...], Any]  # (pytm object read, attribute path, value)
_NAMES = {
    "Classification": pytm.Classification,
    "Lifetime": pytm.Lifetime,
    "TLSVersion": pytm.TLSVersion,
    "DatastoreType": pytm.DatastoreType,
    "Action": pytm.Action,
    **{klass.__name__: klass for klass in (*adapter.CLASSES.values(), pytm.SetOfProcesses, pytm.Dataflow)},
}
# Facts about a read that is not an attribute of the model, in the model's words: (when true, when false)
_WORDS = {"isResponse": ("is a reply", "is a request, not a reply"),
          "isStored": ("is stored in a datastore", "is not stored in any datastore")}  # fmt: skip
_CALLS: dict[str, Callable[..., Any]] = {"any": any, "all": all, "len": len, "min": min, "max": max, "sum": sum}
_METHODS = frozenset({"oneOf", "crosses", "enters", "exits", "inside", "checkTLSVersion", "hasDataLeaks"})
_SUFFIXES: dict[tuple[Any, ...], str] = {}  # rendered `: name = value (default)` parts
_KEYS: dict[int, str] = {}  # id(AST node) -> its text: atoms shared by many threats are read once per target
_PYTM_ONLY = {"isResponse": "reply", "inScope": "in_scope", "tlsVersion": "tls"}
_REVERSE_ENUMS: dict[type, dict[Any, str]] = {
    pytm.TLSVersion: {v: k for k, v in adapter.TLS.items()},
    pytm.Lifetime: {v: k for k, v in adapter.LIFETIMES.items()},
    pytm.DatastoreType: {v: k for k, v in adapter.STORE_TYPES.items()},
}


class Unsupported(TmdiagError):
    """A construct this interpreter does not follow; the caller falls back to the condition text."""


@functools.cache
def reverse_names(kind: str) -> dict[str, tuple[str, ...]]:
    """pytm field → DSL attribute names, for one schema kind (more than one when two names alias)."""
    table: dict[str, list[str]] = {}
    for spec in schema.SCHEMAS[kind]:
        if spec.pytm:
            table.setdefault(spec.pytm, []).extend((spec.name, *spec.aliases))
    return {key: tuple(names) for key, names in table.items()}


@functools.cache
def parse(condition: str) -> ast.expr | None:
    try:
        return ast.parse(condition, mode="eval").body
    except SyntaxError:
        return None


@functools.cache
def leaves(condition: str) -> tuple[tuple[str, ...], ...] | None:
    """The attribute paths a condition reads from `target`, when it reads nothing else (no calls,
    no comprehensions); None otherwise."""
    tree = parse(condition)
    if tree is None or any(isinstance(node, (ast.Call, ast.comprehension)) for node in ast.walk(tree)):
        return None
    paths: list[tuple[str, ...]] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Attribute):
            chain: list[str] = []
            current: ast.expr = node
            while isinstance(current, ast.Attribute):
                chain.append(current.attr)
                current = current.value
            if isinstance(current, ast.Name) and current.id == "target":
                paths.append(tuple(reversed(chain)))
            continue
        pending.extend(ast.iter_child_nodes(node))
    return tuple(dict.fromkeys(sorted(paths)))


def _read(obj: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        obj = getattr(obj, part)
    return obj


class Explainer:
    """Explains pytm findings for one compiled model. Reads repeated across threats are cached per target."""

    def __init__(self, compiled: adapter.Compiled, model: n.Model):
        self.compiled = compiled
        self.model = model
        self.data_nodes = {id(obj): asset for asset, obj in compiled.data.items()}
        self._target: Any = None
        self._memo: dict[str, tuple[Any, list[Fact]]] = {}
        self._rendered: dict[tuple[int, tuple[str, ...]], str] = {}
        self._subjects: dict[int, str] = {}
        self._declared: dict[int, frozenset[str]] = {}
        self._templates: dict[tuple[str, type, tuple[Any, ...]], tuple[tuple[tuple[str, ...], Any], ...]] = {}

    def explain(self, threat: pytm.Threat, target: Any) -> tuple[str, ...]:
        if target is not self._target:
            self._target, self._memo, self._rendered = target, {}, {}
        try:
            facts = self.facts(threat, target)
        except (Unsupported, AttributeError, TypeError):
            return (f"{self.subject(target)}: pytm condition {threat.condition}",)
        lines = dict.fromkeys(line for fact in facts if (line := self.render(fact)))
        return tuple(lines) or (f"{self.subject(target)}: applies to every {self.node_kind(target)}",)

    def facts(self, threat: pytm.Threat, target: Any) -> list[Fact]:
        """The deciding reads. A condition over plain attributes gives the same reads for the same
        values, so those are cached by (threat, class, values): most targets share their defaults."""
        tree = parse(threat.condition)
        if tree is None:
            raise Unsupported(threat.condition)
        paths = leaves(threat.condition)
        if paths is None:
            return self.eval(tree, {"target": target})[1]
        key = (threat.id, type(target), tuple(_read(target, path) for path in paths))
        templates = self._templates.get(key)
        if templates is None:
            found = self.eval(tree, {"target": target})[1]
            templates = self._templates[key] = tuple((path, value) for _, path, value in found)
        return [(target, path, value) for path, value in templates]

    # ---- the interpreter ----------------------------------------------------------------
    def eval(self, node: ast.expr, env: dict[str, Any]) -> tuple[Any, list[Fact]]:
        if not (isinstance(node, (ast.Compare, ast.Attribute, ast.Call)) and len(env) == 1):
            return self._eval(node, env)
        key = _KEYS.get(id(node))
        if key is None:
            key = _KEYS[id(node)] = ast.dump(node)
        result = self._memo.get(key)
        if result is None:
            result = self._memo[key] = self._eval(node, env)
        return result

    def _eval(self, node: ast.expr, env: dict[str, Any]) -> tuple[Any, list[Fact]]:
        if isinstance(node, ast.BoolOp):
            return self._boolop(node, env)
        if isinstance(node, ast.UnaryOp):
            value, facts = self.eval(node.operand, env)
            if isinstance(node.op, ast.Not):
                return not value, facts
            if isinstance(node.op, ast.USub):
                return -value, facts
            raise Unsupported(ast.dump(node))
        if isinstance(node, ast.Compare):
            return self._compare(node, env)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, env)
        if isinstance(node, ast.Name):
            if node.id in env:
                return env[node.id], []
            if node.id in _NAMES:
                return _NAMES[node.id], []
            raise Unsupported(node.id)
        if isinstance(node, ast.Constant):
            return node.value, []
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = [self.eval(e, env) for e in node.elts]
            return tuple(v for v, _ in items), [f for _, fs in items for f in fs]
        if isinstance(node, ast.Call):
            return self._call(node, env)
        if isinstance(node, ast.IfExp):
            test, facts = self.eval(node.test, env)
            value, more = self.eval(node.body if test else node.orelse, env)
            return value, facts + more
        raise Unsupported(ast.dump(node))

    def _boolop(self, node: ast.BoolOp, env: dict[str, Any]) -> tuple[Any, list[Fact]]:
        is_and = isinstance(node.op, ast.And)
        collected: list[Fact] = []
        value: Any = None
        for operand in node.values:
            value, facts = self.eval(operand, env)
            if is_and and not value:
                return value, facts  # the operand that made it false
            if not is_and and value:
                return value, facts  # the operand that made it true
            collected.extend(facts)
        return value, collected

    def _compare(self, node: ast.Compare, env: dict[str, Any]) -> tuple[Any, list[Fact]]:
        left, facts = self.eval(node.left, env)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right, more = self.eval(right_node, env)
            facts = facts + more
            if not _COMPARE[type(op)](left, right):
                return False, facts
            left = right
        return True, facts

    def _attribute(self, node: ast.Attribute, env: dict[str, Any]) -> tuple[Any, list[Fact]]:
        path: list[str] = []
        current: ast.expr = node
        while isinstance(current, ast.Attribute):
            if current.attr.startswith("_"):
                raise Unsupported(current.attr)
            path.append(current.attr)
            current = current.value
        root, facts = self.eval(current, env)
        path.reverse()
        value = root
        for part in path:
            value = getattr(value, part)
        if isinstance(current, ast.Name) and current.id in env and _is_leaf(value):
            facts = [*facts, (root, tuple(path), value)]
        return value, facts

    def _call(self, node: ast.Call, env: dict[str, Any]) -> tuple[Any, list[Fact]]:
        if node.keywords:
            raise Unsupported("keywords")
        func = node.func
        if isinstance(func, ast.Name) and func.id in _CALLS:
            if len(node.args) == 1 and isinstance(node.args[0], (ast.GeneratorExp, ast.ListComp)):
                return self._aggregate(func.id, node.args[0], env)
            args = [self.eval(a, env) for a in node.args]
            return _CALLS[func.id](*(v for v, _ in args)), [f for _, fs in args for f in fs]
        if isinstance(func, ast.Attribute) and func.attr in _METHODS:
            owner, facts = self.eval(func.value, env)
            args = [self.eval(a, env) for a in node.args]
            value = getattr(owner, func.attr)(*(v for v, _ in args))
            return value, [*facts, (owner, (f"{func.attr}()",), value)]
        raise Unsupported(ast.dump(node))

    def _aggregate(
        self, name: str, comp: ast.GeneratorExp | ast.ListComp, env: dict[str, Any]
    ) -> tuple[Any, list[Fact]]:
        if len(comp.generators) != 1 or not isinstance(comp.generators[0].target, ast.Name):
            raise Unsupported("comprehension")
        generator = comp.generators[0]
        assert isinstance(generator.target, ast.Name)
        variable = generator.target.id
        items, facts = self.eval(generator.iter, env)
        results: list[tuple[Any, list[Fact]]] = []
        for item in sorted(items, key=_data_order) if isinstance(items, set) else items:
            scope = {**env, variable: item}
            if all(self.eval(cond, scope)[0] for cond in generator.ifs):
                results.append(self.eval(comp.elt, scope))
        values = [v for v, _ in results]
        if name == "any":
            hit = next((fs for v, fs in results if v), None)
            return any(values), facts + (hit if hit is not None else [f for _, fs in results for f in fs])
        if name == "all":
            miss = next((fs for v, fs in results if not v), None)
            return all(values), facts + (miss if miss is not None else [f for _, fs in results for f in fs])
        return _CALLS[name](values), facts + [f for _, fs in results for f in fs]

    # ---- rendering ----------------------------------------------------------------------
    def subject(self, obj: Any) -> str:
        text = self._subjects.get(id(obj))
        if text is None:
            text = self._subjects[id(obj)] = self._subject(obj)
        return text

    def _subject(self, obj: Any) -> str:
        node = self.compiled.nodes.get(id(obj))
        if isinstance(node, n.Flow):
            return f"flow {node.source} -> {node.sink}" + (f" ({node.id})" if node.named else "")
        if node is not None:
            return f"{node.kind} {node.id}"
        asset = self.data_nodes.get(id(obj))
        return f"data {asset}" if asset else str(getattr(obj, "name", obj))

    def node_kind(self, obj: Any) -> str:
        node = self.compiled.nodes.get(id(obj))
        return node.kind if node is not None else type(obj).__name__

    def render(self, fact: Fact) -> str:
        obj, path, value = fact
        key = (id(obj), path)
        text = self._rendered.get(key)
        if text is None:
            text = self._rendered[key] = self._render(obj, path, value)
        return text

    def _render(self, obj: Any, path: tuple[str, ...], value: Any) -> str:
        prefix = ""
        while path[0] in ("source", "sink") and len(path) > 1:
            prefix += f"{path[0]} "
            obj, path = getattr(obj, path[0]), path[1:]
        if path[-1] == "hasDataLeaks()":
            return f"{self.subject(obj)}: {prefix}carries {self._leaks(obj)}"
        if path[-1] == "checkTLSVersion()":
            return f"{self.subject(obj)}: {prefix}an incoming flow's tls is below min_tls"
        if path[-1] == "oneOf()":  # the kind of an element: its subject says it already
            return ""
        if path[-1] in _WORDS:
            return f"{self.subject(obj)} {_WORDS[path[-1]][0 if value else 1]}"
        node = self.compiled.nodes.get(id(obj))
        asset_id = self.data_nodes.get(id(obj))
        model_node: n.Node | None = (
            node if node is not None else (self.model.data_asset(asset_id) if asset_id else None)
        )
        where = self.subject(obj)
        if prefix and node is not None:
            where = f"{prefix.strip()} {where}"
            prefix = ""
        pytm_name = ".".join(path)
        if isinstance(node, n.Flow) and pytm_name in adapter.INHERITED_FLOW_FIELDS:
            copied = self._copied(node, obj, pytm_name, value)
            if copied:
                return where + copied
        return where + self._suffix(model_node, pytm_name, value)

    def _copied(self, flow: n.Flow, obj: Any, pytm_name: str, value: Any) -> str:
        """`: encrypted = true (from its sink datastore db)` for a value pytm's check() copied onto a
        flow (over what it declares, in parity mode); "" when the flow's value is its own or the default."""
        names = reverse_names("flow").get(pytm_name, ())
        if not names:
            return ""
        declared = next((name for name in names if flow.has(name)), None)
        spec = schema.BY_NAME["flow"][declared or names[0]]
        end = "source" if flow.is_reply else "sink"
        origin = f"{end} {self.subject(getattr(obj, end))}"
        shown = _show(value, spec.name)
        if declared is not None:
            if adapter.pytm_value(spec, flow.get(declared)) == value:
                return ""
            return (
                f": {spec.name} = {shown} (pytm's check() copied it from its {origin}; the model says "
                f"{_show(adapter.pytm_value(spec, flow.get(declared)), spec.name)})"
            )
        if value == adapter.pytm_value(spec, spec.default):
            return ""
        return f": {spec.name} = {shown} (from its {origin})"

    def _suffix(self, model_node: n.Node | None, pytm_name: str, value: Any) -> str:
        """`: name = value`, with `(default)` when the model does not declare it (cached: it repeats)."""
        kind = model_node.schema_kind if model_node is not None else "data"
        names = reverse_names(kind).get(pytm_name, ())
        keys = self._declared.get(id(model_node))
        if keys is None:
            keys = self._declared[id(model_node)] = (
                frozenset(a.key for a in model_node.attributes) if model_node else frozenset()
            )
        declared = tuple(name for name in names if name in keys)
        cache_key = (kind, pytm_name, declared, model_node is None, value)
        text = _SUFFIXES.get(cache_key)
        if text is None:
            name = declared[0] if declared else (names[-1] if names else _PYTM_ONLY.get(pytm_name, pytm_name))
            default = "" if declared or model_node is None or not names else " (default)"
            text = _SUFFIXES[cache_key] = f": {name} = {_show(value, name)}{default}"
        return text

    def _leaks(self, flow: Any) -> str:
        """pytm's `hasDataLeaks()`: which data is above whose `max_classification`, default or declared."""
        node = self.compiled.nodes.get(id(flow))
        holders = [("the flow's own", flow, node), (f"its source {self.subject(flow.source)}", flow.source,
                   self.compiled.nodes.get(id(flow.source))), (f"its sink {self.subject(flow.sink)}", flow.sink,
                   self.compiled.nodes.get(id(flow.sink)))]  # fmt: skip
        parts = []
        for datum in sorted(flow.data, key=_data_order):
            over = []
            for label, holder, model_node in holders:
                if datum.classification > holder.maxClassification:
                    default = "" if model_node is not None and model_node.has("max_classification") else ", the default"
                    over.append(f"{label} ({_show(holder.maxClassification, '')}{default})")
            if over:
                name = self.data_nodes.get(id(datum), datum.name)
                parts.append(f"data {name} ({_show(datum.classification, '')}) above the max_classification of "
                             + " and ".join(over))  # fmt: skip
        return "; ".join(parts)


def _data_order(datum: Any) -> str:
    return str(getattr(datum, "name", ""))


def _is_leaf(value: Any) -> bool:
    return (
        isinstance(value, (bool, int, float, str))
        or type(value) in _REVERSE_ENUMS
        or isinstance(value, pytm.Classification)
    )


def _show(value: Any, name: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, pytm.Classification):
        return value.name.lower()
    reverse = _REVERSE_ENUMS.get(type(value))
    if reverse is not None:
        return reverse.get(value, str(getattr(value, "name", value)).lower())
    if isinstance(value, str):
        shown = value.lower() if name == "protocol" else value
        return shown if shown else '""'
    return str(value)


_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: bool(a == b), ast.NotEq: lambda a, b: bool(a != b),
    ast.Lt: lambda a, b: bool(a < b), ast.LtE: lambda a, b: bool(a <= b),
    ast.Gt: lambda a, b: bool(a > b), ast.GtE: lambda a, b: bool(a >= b),
    ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}  # fmt: skip
