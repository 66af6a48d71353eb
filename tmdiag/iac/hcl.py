"""Read a folder of Terraform `.tf` files (and the local modules it calls) with python-hcl2.

What a plan would compute is evaluated only where it is plain: literals, `var.x` (defaults,
`terraform.tfvars`, `*.auto.tfvars`, module arguments), `local.x`, module outputs, other
resources' attributes, `count`/`for_each` over literals, `jsonencode`, `toset`, conditionals on
known values. Anything else is `UNKNOWN`, never guessed. References to resources become `Ref`s.
Every resource keeps the line of its block and of each attribute, for diagnostics.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.iac import tfjson
from tmdiag.iac.resources import UNKNOWN, Infrastructure, Ref, Resource, base_address, is_unknown
from tmdiag.inputs import InputError, read_bytes

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_MODULE_DEPTH = 16
MAX_EVAL_DEPTH = 64
MAX_INSTANCES = 10_000  # count/for_each beyond this is read as unknown
# Attributes of a resource that identify it: a reference to them is a reference to the resource.
IDENTITY = frozenset({"id", "arn", "name", "bucket", "arn_suffix", "function_name", "key_id", "invoke_arn"})
_META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"})
_STEP = re.compile(r'\.?([A-Za-z_][\w-]*)|\[\s*([0-9]+|"(?:[^"\\]|\\.)*"|\*|[^\]]*)\s*\]|\.\*')
_FOR_IDS = re.compile(r"^\[\s*for\s+(\w+)\s+in\s+(.+?)\s*:\s*\1\.(id|arn)\s*\]$")


def _rules() -> Any:
    """python-hcl2's rule classes (imported late: the extra is needed only to read `.tf` files)."""
    from hcl2.rules import base, containers, expressions, functions, indexing, literal_rules, strings

    return base, containers, expressions, functions, indexing, literal_rules, strings


@dataclass(frozen=True)
class _Instance:
    """`count.index`, `each.key`, `each.value` while one instance is evaluated, and the iterators of
    the `dynamic` blocks being expanded (`ingress.key`, `ingress.value`)."""

    index: Any = UNKNOWN
    key: Any = UNKNOWN
    value: Any = UNKNOWN
    iterators: tuple[tuple[str, Any, Any], ...] = ()  # (name, key, value), innermost last

    def iterator(self, name: str) -> tuple[Any, Any] | None:
        return next(((k, v) for n, k, v in reversed(self.iterators) if n == name), None)


@dataclass(frozen=True)
class _Key:
    """An index step `[0]`, `["a"]`; None for `[*]` or a key not known."""

    value: int | str | None


def _split_key(rest: list[str | _Key]) -> tuple[str, list[str | _Key]]:
    """An instance key at the head of `rest` as address text (`[0]`, `["a"]`, or "" for all), and the rest."""
    if rest and isinstance(rest[0], _Key):
        value = rest[0].value
        return ("" if value is None else f"[{json.dumps(value)}]"), rest[1:]
    return "", rest


@dataclass
class _Block:
    rule: Any  # hcl2 BlockRule
    path: str


@dataclass
class _Module:
    """One module instance: its folder's blocks, its address prefix, the arguments it was called with."""

    prefix: str  # "" or "module.net." (with instance key)
    folder: Path
    parent: _Module | None = None
    arguments: dict[str, Any] = field(default_factory=dict)  # name -> hcl2 expression (in the parent)
    variables: dict[str, Any] = field(default_factory=dict)  # name -> default expression or None
    values: dict[str, Any] = field(default_factory=dict)  # tfvars: name -> Python value (root only)
    locals: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    resources: dict[str, _Block] = field(default_factory=dict)  # "aws_vpc.main" / "data.x.y" -> block
    calls: dict[str, _Block] = field(default_factory=dict)  # module name -> block
    children: dict[str, _Module] = field(default_factory=dict)  # "net" / 'net["a"]' -> module
    cache: dict[tuple[str, str], Any] = field(default_factory=dict)


class Reader:
    def __init__(self, root: Path, infra: Infrastructure, shown: str):
        self.root = root.resolve()
        self.shown = shown
        self.infra = infra
        self.base, self.containers, self.expressions, self.functions, self.indexing, self.literals, self.strings = (
            _rules()
        )
        from hcl2.utils import SerializationContext, SerializationOptions

        self.options = SerializationOptions(
            with_comments=False, strip_string_quotes=True, explicit_blocks=False, preserve_heredocs=False
        )
        self.context = SerializationContext
        self.depth = 0
        self.extra_var_files: tuple[Path, ...] = ()
        self.expressions_read: dict[str, Any] = {}

    # ---- files ------------------------------------------------------------------------
    def display(self, path: Path) -> str:
        """A file as the user named its folder: `infra/main.tf`, `infra/modules/net/main.tf`."""
        try:
            return (Path(self.shown) / path.resolve().relative_to(self.root)).as_posix()
        except ValueError:
            return str(path)

    def parse_file(self, path: Path) -> Any | None:
        """The file's syntax tree (HCL), or its value with places (`.json`); None after a problem."""
        import hcl2
        from lark.exceptions import UnexpectedInput

        shown = self.display(path)
        try:  # regular files only, read up to the limit: a pipe or /dev/zero must not hang or fill memory
            data = read_bytes(path, MAX_FILE_BYTES)
        except InputError as error:
            self.problem(shown, 1, 1, f"file is {error}; not read")
            return None
        except OSError as error:
            self.problem(shown, 1, 1, f"cannot read the file: {error.strerror or error}")
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            column = len(data[data.rfind(b"\n", 0, error.start) + 1 : error.start].decode("utf-8", "replace")) + 1
            byte = data[error.start : error.start + 1].hex()
            readable = data.decode("utf-8", "replace")
            self.problem(shown, line, column, f"not UTF-8 text: byte 0x{byte} (Terraform files are UTF-8)", readable)
            return None
        if path.name.endswith(".json"):
            try:
                return tfjson.parse(text)
            except tfjson.JsonError as error:
                self.problem(shown, error.line, error.column, f"JSON syntax error: {error}", text)
            except RecursionError:
                self.problem(shown, 1, 1, "JSON nested too deeply to read", text)
            return None
        try:
            return hcl2.parses(text)
        except UnexpectedInput as error:
            line, column = error.line or 1, error.column or 1
            self.problem(shown, line, column, f"HCL syntax error: {_unexpected(error, text, line, column)}", text)
        except RecursionError:
            self.problem(shown, 1, 1, "HCL nested too deeply to read", text)
        except Exception as error:  # python-hcl2 raises plain exceptions for some invalid input
            self.problem(shown, 1, 1, f"HCL error: {str(error).splitlines()[0] if str(error) else error}", text)
        return None

    def problem(self, path: str, line: int, column: int, message: str, text: str | None = None) -> None:
        span = Span(path, max(1, line), max(1, column), max(1, line), max(1, column) + 1)
        self.infra.problems.append(
            Diagnostic("E501", message, span, hint="fix the Terraform file; `terraform validate` says more")
        )
        if text is not None:
            self.infra.texts.setdefault(path, text)

    def load_module(self, module: _Module, stack: tuple[Path, ...]) -> None:
        if not module.folder.is_dir():
            self.infra.skipped.append(f"{module.prefix or 'root'}: {self.display(module.folder)} is not a folder")
            return
        if not module.prefix:
            for path in self.var_files(module.folder):
                self.read_values(module, path)
        for path in terraform_files(module.folder):
            tree = self.parse_file(path)
            if isinstance(tree, tfjson.Object):
                self.collect_json(module, tree, self.display(path))
            elif tree is not None:
                self.collect(module, tree, self.display(path))
        for name, call in module.calls.items():
            self.call(module, name, call, stack)

    def var_files(self, folder: Path) -> list[Path]:
        """Where variables get values, in Terraform's order (a later file wins): `terraform.tfvars`,
        `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json` by name, then `--var-file`s."""
        automatic = sorted([*folder.glob("*.auto.tfvars"), *folder.glob("*.auto.tfvars.json")], key=lambda p: p.name)
        found = [folder / "terraform.tfvars", folder / "terraform.tfvars.json", *automatic]
        return [p for p in found if p.is_file()] + list(self.extra_var_files)

    def read_values(self, module: _Module, path: Path) -> None:
        tree = self.parse_file(path)
        if isinstance(tree, tfjson.Object):
            module.values.update({k: tfjson.plain(v) for k, v in tree.items() if k != "//"})
        elif tree is not None:
            for child in tree.body.children:
                if isinstance(child, self.base.AttributeRule):
                    module.values[self.key(child.identifier)] = self.evaluate(child.expression, module, _Instance())

    def collect(self, module: _Module, tree: Any, path: str) -> None:
        for block in tree.body.children:
            if not isinstance(block, self.base.BlockRule):
                continue
            labels = [self.key(label) for label in block.labels]
            kind = labels[0]
            if kind == "resource" and len(labels) == 3:
                module.resources.setdefault(f"{labels[1]}.{labels[2]}", _Block(block, path))
            elif kind == "data" and len(labels) == 3:
                module.resources.setdefault(f"data.{labels[1]}.{labels[2]}", _Block(block, path))
            elif kind == "variable" and len(labels) == 2:
                module.variables[labels[1]] = self.attribute(block, "default")
            elif kind == "locals":
                for child in block.body.children:
                    if isinstance(child, self.base.AttributeRule):
                        module.locals[self.key(child.identifier)] = child.expression
            elif kind == "output" and len(labels) == 2:
                module.outputs[labels[1]] = self.attribute(block, "value")
            elif kind == "module" and len(labels) == 2:
                module.calls.setdefault(labels[1], _Block(block, path))

    def collect_json(self, module: _Module, data: tfjson.Object, path: str) -> None:
        """Terraform's JSON syntax: `{"resource": {"aws_vpc": {"main": {…}}}, "variable": …, "module": …}`."""
        for top in tfjson.objects(data):
            for kind in ("resource", "data"):
                for types in tfjson.objects(top.get(kind)):
                    for type_name, named in types.items():
                        for names in tfjson.objects(named):
                            for name, body in names.items():
                                local = f"{'data.' if kind == 'data' else ''}{type_name}.{name}"
                                block = tfjson.Block(body, names.keys_at.get(name, names.at))
                                module.resources.setdefault(local, _Block(block, path))
            for variables in tfjson.objects(top.get("variable")):
                for name, body in variables.items():
                    default = body.get("default") if isinstance(body, dict) else None
                    module.variables[name] = None if default is None else tfjson.Value(default, literal=True)
            for table in tfjson.objects(top.get("locals")):
                module.locals.update({k: tfjson.Value(v) for k, v in table.items() if k != "//"})
            for outputs in tfjson.objects(top.get("output")):
                for name, body in outputs.items():
                    module.outputs[name] = tfjson.Value(body.get("value")) if isinstance(body, dict) else None
            for calls in tfjson.objects(top.get("module")):
                for name, body in calls.items():
                    module.calls.setdefault(name, _Block(tfjson.Block(body, calls.keys_at.get(name, calls.at)), path))

    def call(self, parent: _Module, name: str, call: _Block, stack: tuple[Path, ...]) -> None:
        source = self.evaluate(self.attribute(call.rule, "source"), parent, _Instance())
        here = f"{parent.prefix}module.{name}"
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            self.infra.skipped.append(f"{here}: module source {source if isinstance(source, str) else '(computed)'} "
                                      "is not a local folder; its resources are not read")  # fmt: skip
            return
        folder = (parent.folder / source).resolve()
        if folder in stack or len(stack) >= MAX_MODULE_DEPTH:
            self.infra.skipped.append(f"{here}: module calls nest too deeply or loop; not read")
            return
        arguments = self.attributes(call.rule)
        for key, instance in self.instances(call.rule, parent, f"module.{name}"):
            child = _Module(f"{parent.prefix}module.{name}{key}.", folder, parent, arguments)
            child.cache[("instance", "")] = instance
            parent.children[f"{name}{key}"] = child
            self.load_module(child, (*stack, folder))

    # ---- resources --------------------------------------------------------------------
    def resources(self, module: _Module) -> Iterator[Resource]:
        for local, block in module.resources.items():
            if local.startswith("data."):
                continue
            for key, instance in self.instances(block.rule, module, local):
                yield self.resource(module, local, key, instance, block)
        for child in module.children.values():
            yield from self.resources(child)

    def instances(self, rule: Any, module: _Module, what: str) -> Iterator[tuple[str, _Instance]]:
        count_expr, each_expr = self.attribute(rule, "count"), self.attribute(rule, "for_each")
        if count_expr is not None:
            count = self.evaluate(count_expr, module, _Instance())
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_INSTANCES:
                self.infra.skipped.append(f"{module.prefix}{what}: `count` is not known before apply; read as one")
                yield "", _Instance()
                return
            for index in range(count):
                yield f"[{index}]", _Instance(index=index)
        elif each_expr is not None:
            each = self.evaluate(each_expr, module, _Instance())
            pairs = (
                list(each.items())
                if isinstance(each, dict)
                else [(v, v) for v in each]
                if isinstance(each, list) and all(isinstance(v, str) for v in each)
                else None
            )
            if pairs is None or len(pairs) > MAX_INSTANCES:
                self.infra.skipped.append(f"{module.prefix}{what}: `for_each` is not known before apply; read as one")
                yield "", _Instance()
                return
            for key, value in pairs:
                yield f"[{json.dumps(str(key))}]", _Instance(key=key, value=value)
        else:
            yield "", _Instance()

    def resource(self, module: _Module, local: str, key: str, instance: _Instance, block: _Block) -> Resource:
        rule = block.rule
        spans: dict[str, Span] = {}
        values = self.body(rule.body, module, instance, "", spans, block.path)
        type_name = local.split(".")[0]
        return Resource(f"{module.prefix}{local}{key}", type_name, values, self.span(rule, block.path), spans)

    def body(
        self, body: Any, module: _Module, instance: _Instance, prefix: str, spans: dict[str, Span], path: str
    ) -> dict[str, Any]:
        if isinstance(body, tfjson.Object):
            return self.json_body(body, module, instance, prefix, spans, path)
        out: dict[str, Any] = {}
        for child in body.children:
            if isinstance(child, self.base.AttributeRule):
                name = self.key(child.identifier)
                if not prefix and name in _META_ARGUMENTS:
                    continue
                out[name] = self.evaluate(child.expression, module, instance)
                spans[prefix + name] = self.span(child, path)
            elif isinstance(child, self.base.BlockRule):
                labels = [self.key(label) for label in child.labels]
                if not prefix and labels[0] in _META_ARGUMENTS:
                    continue
                if labels[0] == "dynamic" and len(labels) > 1:
                    self.dynamic(child, labels[1], out, module, instance, prefix, spans, path)
                    continue
                blocks = out.setdefault(labels[0], [])
                if not isinstance(blocks, list):
                    continue
                here = f"{prefix}{labels[0]}.{len(blocks)}"
                spans[here] = self.span(child, path)
                blocks.append(self.body(child.body, module, instance, here + ".", spans, path))
        return out

    def json_body(
        self, body: tfjson.Object, module: _Module, instance: _Instance, prefix: str, spans: dict[str, Span], path: str
    ) -> dict[str, Any]:
        """A block body in JSON. Nested blocks and object attributes look alike there: both are read as
        values (a block as an object or a list of objects; readers take an object for a one-block list)."""
        out: dict[str, Any] = {}
        for name, value in body.items():
            if name == "//" or (not prefix and name in _META_ARGUMENTS):
                continue
            if name == "dynamic":
                for blocks in tfjson.objects(value):
                    for label, rule in blocks.items():
                        for one in tfjson.objects(rule):
                            self.dynamic(tfjson.Block(one, blocks.keys_at.get(label, blocks.at)), label, out, module,
                                         instance, prefix, spans, path)  # fmt: skip
                continue
            spans[prefix + name] = _json_span(path, body.keys_at.get(name, body.at), name)
            _json_spans(value, prefix + name + ".", spans, path)
            out[name] = self.evaluate(tfjson.Value(value), module, instance)
        return out

    def dynamic(
        self, rule: Any, name: str, out: dict[str, Any], module: _Module, instance: _Instance, prefix: str,
        spans: dict[str, Span], path: str,
    ) -> None:  # fmt: skip
        """`dynamic "name" { for_each = …, content { … } }`: one block per item when `for_each` is known;
        else one unknown block (the blocks written beside it stay known)."""
        blocks = out.setdefault(name, [])
        if not isinstance(blocks, list):
            return
        each = self.evaluate(self.attribute(rule, "for_each"), module, instance)
        iterator = self.attribute(rule, "iterator")
        var = self.name_of(iterator) if iterator is not None else name
        content = self.content(rule)
        pairs = (
            list(each.items()) if isinstance(each, dict)
            else list(enumerate(each)) if isinstance(each, list)
            else None
        )  # fmt: skip
        if content is None or pairs is None or len(pairs) > MAX_INSTANCES:
            spans[f"{prefix}{name}.{len(blocks)}"] = self.span(rule, path)
            blocks.append(UNKNOWN)
            return
        for key, value in pairs:
            here = f"{prefix}{name}.{len(blocks)}"
            spans[here] = self.span(rule, path)
            inner = replace(instance, iterators=(*instance.iterators, (var, key, value)))
            blocks.append(self.body(content.body, module, inner, here + ".", spans, path))

    # ---- expressions ------------------------------------------------------------------
    def evaluate(self, expr: Any, module: _Module, instance: _Instance) -> Any:
        if expr is None:
            return None
        if self.depth >= MAX_EVAL_DEPTH:
            return UNKNOWN
        self.depth += 1
        try:
            return self._evaluate(expr, module, instance)
        except RecursionError:
            return UNKNOWN
        finally:
            self.depth -= 1

    def _evaluate(self, expr: Any, module: _Module, instance: _Instance) -> Any:
        if isinstance(expr, tfjson.Value):
            return self.json_value(expr.value, expr.literal, module, instance)
        e, lit, s, c, f, ix = (
            self.expressions,
            self.literals,
            self.strings,
            self.containers,
            self.functions,
            self.indexing,
        )
        if isinstance(expr, e.ExprTermRule):
            return self.evaluate(expr.expression, module, instance)
        if isinstance(expr, (lit.LiteralValueRule, lit.IntLitRule, lit.FloatLitRule)):
            return expr.serialize(self.options)
        if isinstance(expr, lit.KeywordRule):
            return {"true": True, "false": False, "null": None}.get(str(expr.serialize(self.options)), UNKNOWN)
        if isinstance(expr, e.UnaryOpRule):
            value = expr.serialize(self.options)
            return value if isinstance(value, (int, float)) and not isinstance(value, bool) else UNKNOWN
        if isinstance(expr, s.StringRule):
            return self.template(expr.string_parts, module, instance)
        if isinstance(expr, s.HeredocTemplateRule):
            value = expr.serialize(self.options)
            return value if isinstance(value, str) and "${" not in value else UNKNOWN
        if isinstance(expr, c.TupleRule):
            return [self.evaluate(item, module, instance) for item in expr.elements]
        if isinstance(expr, c.ObjectRule):
            return {str(item.key.serialize(self.options)).strip('"'): self.evaluate(item.expression, module, instance)
                    for item in expr.elements}  # fmt: skip
        if isinstance(expr, f.FunctionCallRule):
            return self.function(expr, module, instance)
        if isinstance(expr, e.ConditionalRule):
            test = self.evaluate(expr.condition, module, instance)
            if isinstance(test, bool):
                return self.evaluate(expr.if_true if test else expr.if_false, module, instance)
            return UNKNOWN
        traversal = (ix.GetAttrExprTermRule, ix.IndexExprTermRule, ix.FullSplatExprTermRule, ix.AttrSplatExprTermRule,
                     lit.IdentifierRule)  # fmt: skip
        text = str(expr.serialize(self.options))
        if isinstance(expr, traversal):
            return self.reference(text.removeprefix("${").removesuffix("}"), module, instance)
        match = _FOR_IDS.match(text.removeprefix("${").removesuffix("}"))
        if match:  # [for s in aws_subnet.private : s.id]
            found = self.reference(match.group(2), module, instance)
            return found if isinstance(found, (Ref, list)) else UNKNOWN
        return UNKNOWN

    def json_value(self, value: Any, literal: bool, module: _Module, instance: _Instance) -> Any:
        if literal:
            return tfjson.plain(value)
        if isinstance(value, dict):
            return {k: self.json_value(v, literal, module, instance) for k, v in value.items() if k != "//"}
        if isinstance(value, list):
            return [self.json_value(v, literal, module, instance) for v in value]
        if not isinstance(value, str) or ("${" not in value and "%{" not in value):
            return value
        expression = self.expression(tfjson.template(value))
        return UNKNOWN if expression is None else self.evaluate(expression, module, instance)

    def expression(self, text: str) -> Any:
        """An HCL expression parsed from text (a JSON-syntax template); None when it does not parse."""
        import hcl2

        if text not in self.expressions_read:
            try:
                tree = hcl2.parses(f"x = {text}\n")
                self.expressions_read[text] = tree.body.children[0].expression
            except Exception:  # python-hcl2 raises lark's and its own exceptions: not an expression
                self.expressions_read[text] = None
        return self.expressions_read[text]

    def template(self, parts: list[Any], module: _Module, instance: _Instance) -> Any:
        out = []
        for part in parts:
            content = part.content
            if isinstance(content, self.strings.InterpolationRule):
                value = self.evaluate(content.expression, module, instance)
                if len(parts) == 1:
                    return value  # "${x}" is x itself
                if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                    return UNKNOWN
                out.append(str(value))
            elif getattr(content, "lark_name", lambda: "")() in (
                "STRING_CHARS",
                "ESCAPED_INTERPOLATION",
                "ESCAPED_DIRECTIVE",
            ):
                from hcl2.utils import process_escape_sequences

                text = str(part.serialize(self.options))
                out.append(process_escape_sequences(text) if content.lark_name() == "STRING_CHARS" else text[1:])
            else:
                return UNKNOWN  # template directives (%{ if }) are not evaluated
        return "".join(out)

    def function(self, call: Any, module: _Module, instance: _Instance) -> Any:
        name = "::".join(str(i.serialize(self.options)) for i in call.identifiers)
        arguments = call.arguments.arguments if call.arguments is not None else []
        values = [self.evaluate(a, module, instance) for a in arguments]
        if name == "jsonencode" and len(values) == 1:
            return values[0]  # kept as a structure; policy readers take JSON text or structures
        if name in ("toset", "tolist", "tomap", "tostring", "tonumber", "tobool") and len(values) == 1:
            return values[0]
        if name == "jsondecode" and len(values) == 1 and isinstance(values[0], str):
            try:
                return json.loads(values[0])
            except ValueError:
                return UNKNOWN
        if name == "length" and len(values) == 1 and isinstance(values[0], (list, dict, str)):
            return len(values[0])
        if name == "concat" and all(isinstance(v, list) for v in values):
            return [item for v in values for item in v]
        return UNKNOWN

    def reference(self, text: str, module: _Module, instance: _Instance) -> Any:
        steps = self.steps(text, module, instance)
        if not steps or not isinstance(steps[0], str):
            return UNKNOWN
        head, rest = steps[0], steps[1:]
        name = rest[0] if rest and isinstance(rest[0], str) else None
        if head == "var" and name:
            return self.walk(self.variable(module, name), rest[1:])
        if head == "local" and name:
            return self.walk(self.cached(module, "local", name), rest[1:])
        bound = instance.iterator(head)
        if bound is not None and name in ("key", "value"):
            return self.walk(bound[0] if name == "key" else bound[1], rest[1:])
        if head == "count" and rest == ["index"]:
            return instance.index
        if head == "each" and name in ("key", "value"):
            return self.walk(instance.key if name == "key" else instance.value, rest[1:])
        if head == "module" and name:
            key, rest = _split_key(rest[1:])
            child = module.children.get(name + key)
            if child is None or not rest or not isinstance(rest[0], str):
                return UNKNOWN
            return self.walk(self.cached(child, "output", rest[0]), rest[1:])
        if head == "data" and name and len(rest) >= 2 and isinstance(rest[1], str):
            local = f"data.{name}.{rest[1]}"
            if name == "aws_iam_policy_document" and rest[2:] == ["json"] and local in module.resources:
                return self.policy_document(module, local)
            return Ref(module.prefix + local)
        if "_" in head and name:
            local = f"{head}.{name}"
            key, rest = _split_key(rest[1:])
            if not rest or rest[0] in IDENTITY or local not in module.resources:
                return Ref(module.prefix + local + key)
            return self.walk(self.attribute_of(module, local, str(rest[0])), rest[1:])
        return UNKNOWN

    def steps(self, text: str, module: _Module, instance: _Instance) -> list[str | _Key]:
        """`aws_subnet.a[0].id` -> ["aws_subnet", "a", _Key(0), "id"]; `[*]` and unknown keys are _Key(None)."""
        out: list[str | _Key] = []
        position = 0
        text = text.strip()
        while position < len(text):
            match = _STEP.match(text, position)
            if match is None or match.end() == position:
                return []
            name, index = match.group(1), match.group(2)
            if name is not None:
                out.append(name)
            elif index is None or index == "*":
                out.append(_Key(None))
            elif index.isdigit():
                out.append(_Key(int(index)))
            elif index.startswith('"'):
                out.append(_Key(json.loads(index)))
            else:
                value = self.reference(index, module, instance)
                out.append(_Key(value if isinstance(value, (int, str)) and not isinstance(value, bool) else None))
            position = match.end()
        return out

    def walk(self, value: Any, rest: list[str | _Key]) -> Any:
        for step in rest:
            key = step.value if isinstance(step, _Key) else step
            in_dict = isinstance(value, dict) and isinstance(key, str) and key in value
            if in_dict or (isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value)):
                value = value[key]  # type: ignore[index]
            elif isinstance(value, Ref) and (key is None or key in IDENTITY):
                continue
            elif isinstance(value, Ref) and isinstance(step, _Key) and value.address == base_address(value.address):
                value = Ref(f"{value.address}[{json.dumps(key)}]")
            else:
                return UNKNOWN
        return value

    def variable(self, module: _Module, name: str) -> Any:
        key = ("var", name)
        if key not in module.cache:
            module.cache[key] = UNKNOWN  # a loop reads as unknown
            if module.parent is not None and name in module.arguments:
                instance = module.cache.get(("instance", ""), _Instance())
                value = self.evaluate(module.arguments[name], module.parent, instance)
            elif name in module.values:
                value = module.values[name]
            elif module.variables.get(name) is not None:
                value = self.evaluate(module.variables[name], module, _Instance())
            else:
                value = UNKNOWN  # no default: given at plan time
            module.cache[key] = value
        return module.cache[key]

    def cached(self, module: _Module, what: str, name: str) -> Any:
        key = (what, name)
        if key not in module.cache:
            module.cache[key] = UNKNOWN
            table = module.locals if what == "local" else module.outputs
            module.cache[key] = self.evaluate(table[name], module, _Instance()) if name in table else UNKNOWN
        return module.cache[key]

    def attribute_of(self, module: _Module, local: str, name: str) -> Any:
        key = ("attr", f"{local}.{name}")
        if key not in module.cache:
            module.cache[key] = UNKNOWN
            expr = self.attribute(module.resources[local].rule, name)
            module.cache[key] = self.evaluate(expr, module, _Instance()) if expr is not None else UNKNOWN
        return module.cache[key]

    def policy_document(self, module: _Module, local: str) -> Any:
        """`data "aws_iam_policy_document"` as the policy it renders (Statement list), or UNKNOWN.
        A statement (or a part of one) not known before apply stays UNKNOWN in the list."""
        block = module.resources[local]
        values = self.body(block.rule.body, module, _Instance(), "", {}, block.path)
        written = values.get("statement", [])
        if not isinstance(written, list):
            return UNKNOWN
        statements: list[Any] = []
        for statement in written:
            if not isinstance(statement, dict):
                statements.append(UNKNOWN)
                continue
            out: dict[str, Any] = {"Effect": statement.get("effect", "Allow")}
            for key, name in (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
                              ("not_resources", "NotResource")):  # fmt: skip
                if key in statement:
                    out[name] = statement[key]
            principals = statement.get("principals", [])
            if not isinstance(principals, list) or not all(isinstance(p, dict) for p in principals):
                out["Principal"] = UNKNOWN
            elif principals:
                out["Principal"] = {p.get("type", "AWS"): p.get("identifiers", []) for p in principals}
            conditions: dict[str, Any] = {}
            written_conditions = statement.get("condition", [])
            if not isinstance(written_conditions, list) or not all(isinstance(c, dict) for c in written_conditions):
                out["Condition"] = UNKNOWN
            else:
                for condition in written_conditions:
                    test, variable = condition.get("test", ""), condition.get("variable", "")
                    if not isinstance(test, str) or not isinstance(variable, str):
                        out["Condition"] = UNKNOWN
                        break
                    conditions.setdefault(test, {})[variable] = condition.get("values", [])
                else:
                    if conditions:
                        out["Condition"] = conditions
            statements.append(out)
        return {"Version": "2012-10-17", "Statement": statements}

    # ---- helpers ----------------------------------------------------------------------
    def key(self, rule: Any) -> str:
        return str(rule.serialize(self.options)).strip('"')

    def attribute(self, block: Any, name: str) -> Any:
        if isinstance(block, tfjson.Block):
            value = block.body.get(name)
            return None if value is None else tfjson.Value(value)
        for child in block.body.children:
            if isinstance(child, self.base.AttributeRule) and self.key(child.identifier) == name:
                return child.expression
        return None

    def attributes(self, block: Any) -> dict[str, Any]:
        """Every attribute of a block: name -> expression."""
        if isinstance(block, tfjson.Block):
            return {k: tfjson.Value(v) for k, v in block.body.items() if k != "//"}
        return {
            self.key(child.identifier): child.expression
            for child in block.body.children
            if isinstance(child, self.base.AttributeRule)
        }

    def content(self, dynamic: Any) -> Any:
        """The `content` block of a `dynamic` block, or None."""
        if isinstance(dynamic, tfjson.Block):
            found = tfjson.objects(dynamic.body.get("content"))
            return tfjson.Block(found[0], found[0].at) if found else None
        blocks = (c for c in dynamic.body.children if isinstance(c, self.base.BlockRule))
        return next((c for c in blocks if self.key(c.labels[0]) == "content"), None)

    def name_of(self, expression: Any) -> str:
        """A bare name written as an expression (`iterator = rule`)."""
        if isinstance(expression, tfjson.Value):
            return str(expression.value)
        return self.key(expression).removeprefix("${").removesuffix("}")

    @staticmethod
    def span(rule: Any, path: str) -> Span:
        if isinstance(rule, tfjson.Block):
            return _json_span(path, rule.at, "")
        meta = getattr(rule, "_meta", None)
        line = getattr(meta, "line", None) or 1
        column = getattr(meta, "column", None) or 1
        end_line = getattr(meta, "end_line", None) or line
        end_column = getattr(meta, "end_column", None) or column + 1
        return Span(path, line, column, end_line, end_column)


def terraform_files(folder: Path) -> list[Path]:
    """The files Terraform reads in a module folder: `*.tf` and `*.tf.json`, by name."""
    return sorted([*folder.glob("*.tf"), *folder.glob("*.tf.json")], key=lambda p: p.name)


def _folders_with_terraform(folder: Path, limit: int = 3) -> list[Path]:
    """Folders below `folder` that hold Terraform files (a few, nearest first): what the user may have meant."""
    found: list[Path] = []
    for depth in range(1, 4):
        for candidate in sorted(folder.glob("/".join(["*"] * depth))):
            terraform = candidate.is_dir() and ".terraform" not in candidate.parts and terraform_files(candidate)
            if terraform and not any(parent in found for parent in candidate.parents):
                found.append(candidate)
            if len(found) >= limit:
                return found
    return found


def read_folder(folder: Path, shown: str | None = None, var_files: tuple[Path, ...] = ()) -> Infrastructure:
    """Every resource the `.tf` and `.tf.json` files in `folder` (and the local modules they call)
    declare. `shown` is the folder as diagnostics name it (default: as given); `var_files` give
    variables values after the folder's own `terraform.tfvars` and `*.auto.tfvars` (`-var-file`)."""
    shown = shown if shown is not None else str(folder)
    infra = Infrastructure(source=shown)
    if not terraform_files(folder):
        below = _folders_with_terraform(folder)
        infra.problems.append(
            Diagnostic(
                "E503",
                f"no Terraform files (`.tf`, `.tf.json`) in {shown}",
                Span(shown, 1, 1, 1, 2),
                hint=("did you mean " + " or ".join(f"`{p.as_posix()}`" for p in below) + "? " if below else "")
                + "(the folder where `terraform plan` runs: the root module)",
            )
        )
        return infra
    reader = Reader(folder, infra, shown)
    reader.extra_var_files = var_files
    root = _Module("", folder.resolve())
    reader.load_module(root, (folder.resolve(),))
    if not any(root.resources) and not root.children and not infra.problems:
        infra.skipped.append(f"{shown}: no Terraform resources found (no file declares a resource)")
    for resource in reader.resources(root):
        if is_unknown(resource.values):
            continue
        infra.add(resource)
    return infra


def _unexpected(error: Any, text: str, line: int, column: int) -> str:
    """What python-hcl2 stopped at, as the user wrote it (its tokens can span lines of unrelated text)."""
    found = getattr(error, "token", None)
    if found is not None and getattr(found, "type", "") == "$END":
        return "unexpected end of file (an unclosed string, bracket or block?)"
    lines = text.splitlines()
    written = lines[line - 1][column - 1 :].strip() if 0 < line <= len(lines) else ""
    word = written.split()[0] if written else ""
    word = word if len(word) <= 30 else word[:30] + "…"
    return f"unexpected `{word}`" if word else "unexpected end of line"


def _json_span(path: str, at: tuple[int, int], key: str) -> Span:
    line, column = at
    return Span(path, line, column, line, column + (len(key) + 2 if key else 1))


def _json_spans(value: Any, prefix: str, spans: dict[str, Span], path: str) -> None:
    """Where each key and item of a JSON value is, by dotted path (`ingress.0.cidr_blocks`)."""
    if isinstance(value, tfjson.Object):
        for key, item in value.items():
            spans[prefix + key] = _json_span(path, value.keys_at.get(key, value.at), key)
            _json_spans(item, f"{prefix}{key}.", spans, path)
    elif isinstance(value, tfjson.Array):
        for n, item in enumerate(value):
            spans[f"{prefix}{n}"] = _json_span(path, value.items_at[n], "")
            _json_spans(item, f"{prefix}{n}.", spans, path)
