"""Read Terraform's JSON: a plan or a state from `terraform show -json`, or a raw `.tfstate`.

Plan: resources from `planned_values.root_module` (and its `child_modules`); values marked in
`resource_changes[].change.after_unknown` are `UNKNOWN` ("known after apply"); references to other
resources come from `configuration` (their `references`), through module calls and outputs.
State: `values.root_module` with every value known; references are resolved by cloud id.
Every resource's location is where its address is written in the JSON file.
"""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path
from typing import Any

from tmdiag.diagnostics import Diagnostic, Span
from tmdiag.iac.mapping import REFERENCE_ATTRIBUTES
from tmdiag.iac.resources import UNKNOWN, Infrastructure, Ref, Resource, is_unknown
from tmdiag.inputs import InputError, read_bytes

MAX_BYTES = 1024 * 1024 * 1024
_ADDRESS = re.compile(r'"address"\s*:\s*"((?:[^"\\]|\\.)*)"')
_REFERENCE = re.compile(
    r"^((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*)((?:data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)(\[[^\]]*\])?"
)
# Resources other resources cite by name rather than by id or ARN.
NAME_IDS = {
    "aws_s3_bucket": "bucket", "aws_lambda_function": "function_name", "aws_db_subnet_group": "name",
    "aws_elasticache_subnet_group": "name", "aws_iam_group": "name", "aws_cloudtrail": "name",
}  # fmt: skip


def ids_of(resource_type: str, values: dict[str, Any]) -> tuple[str, ...]:
    keys = ("id", "arn", NAME_IDS.get(resource_type, ""))
    return tuple(v for k in keys if k and isinstance(v := values.get(k), str) and v)


class _Locations:
    """Where each address is first written in the JSON text (line and column), found in one pass."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.lines = [m.start() for m in re.finditer("\n", text)]
        self.first: dict[str, int] = {}
        for match in _ADDRESS.finditer(text):
            try:
                address = json.loads(f'"{match.group(1)}"')
            except ValueError:
                continue
            self.first.setdefault(address, match.start())

        self.text = text
        self.after = 0  # raw state: where the last resource was found (they are written in order)

    def span(self, address: str) -> Span:
        return self.at(self.first.get(address), len("address") + 2)

    def at(self, offset: int | None, width: int) -> Span:
        if offset is None:
            return Span(self.path, 1, 1, 1, 2)
        line = bisect.bisect_left(self.lines, offset)
        column = offset - (self.lines[line - 1] + 1 if line else 0) + 1
        return Span(self.path, line + 1, column, line + 1, column + width)

    def state_span(self, kind: str, name: str) -> Span:
        """A raw `.tfstate` names resources by `"type"` and `"name"` (no addresses): the next such pair."""
        pattern = re.compile(
            rf'"type"\s*:\s*{re.escape(json.dumps(kind))}\s*,\s*"name"\s*:\s*{re.escape(json.dumps(name))}'
        )
        found = pattern.search(self.text, self.after) or pattern.search(self.text)
        if found is None:
            return self.at(None, 0)
        self.after = found.end()
        return self.at(found.start(), len('"type"'))


def _problem(infra: Infrastructure, path: str, message: str, line: int = 1, column: int = 1) -> Infrastructure:
    infra.problems.append(
        Diagnostic(
            "E501",
            message,
            Span(path, line, column, line, column + 1),
            hint="give the JSON of `terraform show -json PLANFILE` (a plan) or `terraform show -json` (the state)",
        )
    )
    return infra


def read_json(path: Path, shown: str | None = None) -> Infrastructure:
    shown = shown or str(path)
    infra = Infrastructure(source=shown)
    try:  # regular files only, read up to the limit: a pipe or /dev/zero must not hang or fill memory
        text = read_bytes(path, MAX_BYTES).decode("utf-8-sig")
    except InputError as error:
        return _problem(infra, shown, f"cannot read the file: {error} (not read)")
    except (OSError, UnicodeDecodeError) as error:
        return _problem(infra, shown, f"cannot read the file: {error}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return _problem(infra, shown, f"not valid JSON: {error.msg}", error.lineno, error.colno)
    except RecursionError:
        return _problem(infra, shown, "JSON nested too deeply to read")
    if not isinstance(data, dict):
        return _problem(infra, shown, "not a Terraform plan or state: the JSON is not an object")
    version = str(data.get("format_version", "1.0"))
    if version.split(".")[0] not in ("0", "1"):
        return _problem(infra, shown, f"unsupported `format_version` {version} (tmdiag reads 0.x and 1.x)")
    locations = _Locations(shown, text)
    if not isinstance(data.get("resources"), list):
        locations.text = ""  # only a raw state is searched again: let the text go
    del text
    if isinstance(data.get("planned_values"), dict):
        _read_plan(data, infra, locations)
    elif isinstance(data.get("values"), dict):
        _read_module(data["values"].get("root_module") or {}, {}, infra, locations)
    elif isinstance(data.get("resources"), list):
        _read_raw_state(data["resources"], infra, locations)
    elif "format_version" in data and "values" in data:  # an empty state: `"values": null`
        pass
    else:
        return _problem(infra, shown, "not a Terraform plan or state: no `planned_values`, `values` or `resources`")
    infra.resolve_ids(REFERENCE_ATTRIBUTES)
    return infra


def _read_plan(data: dict[str, Any], infra: Infrastructure, locations: _Locations) -> None:
    unknown: dict[str, Any] = {}
    for change in data.get("resource_changes") or []:
        if isinstance(change, dict) and isinstance(change.get("change"), dict):
            unknown[str(change.get("address"))] = change["change"].get("after_unknown") or {}
    config = data.get("configuration", {}).get("root_module", {}) if isinstance(data.get("configuration"), dict) else {}
    _read_module(data["planned_values"].get("root_module") or {}, unknown, infra, locations, _Config(config))


class _Config:
    """The `configuration` of one module instance: references of its resources, its calls and outputs."""

    def __init__(self, module: dict[str, Any], prefix: str = "", parent: _Config | None = None, call: str = ""):
        self.module, self.prefix, self.parent, self.call = (
            module if isinstance(module, dict) else {},
            prefix,
            parent,
            call,
        )
        self.resources = {
            str(r.get("address")): r.get("expressions") or {}
            for r in self.module.get("resources") or []
            if isinstance(r, dict)
        }

    def child(self, name: str, prefix: str) -> _Config:
        calls = self.module.get("module_calls") or {}
        call = calls.get(name) if isinstance(calls, dict) else None
        return _Config((call or {}).get("module") or {}, prefix, self, name)

    def references(self, refs: list[Any], depth: int = 0) -> list[Ref]:
        """Resource references (absolute) that a `references` list leads to."""
        out: dict[str, Ref] = {}
        for text in refs if depth < 16 else ():
            if not isinstance(text, str):
                continue
            if text.startswith("var.") and self.parent is not None:
                name = text.split(".")[1].split("[")[0]
                calls = self.parent.module.get("module_calls") or {}
                expr = ((calls.get(self.call) or {}).get("expressions") or {}).get(name) or {}
                found = self.parent.references(expr.get("references") or [], depth + 1)
            elif text.startswith("module."):
                name = text.split(".")[1].split("[")[0]
                output = text.split(".")[2].split("[")[0] if text.count(".") >= 2 else ""
                child = self.child(name, f"{self.prefix}module.{name}.")
                expr = (child.module.get("outputs") or {}).get(output) or {}
                found = child.references(expr.get("expression", {}).get("references") or [], depth + 1)
            elif text.startswith(("var.", "local.", "each.", "count.", "path.", "self.", "terraform.")):
                found = []
            else:
                match = _REFERENCE.match(text)
                key = "" if match is None or match.group(3) in (None, "[*]") else match.group(3)
                found = [Ref(self.prefix + match.group(1) + match.group(2) + key)] if match else []
            for ref in found:
                base = ref.address.split("[")[0]
                if base not in out and ref.address not in out:
                    out[ref.address] = ref
        return list(out.values())


def _read_module(
    module: dict[str, Any], unknown: dict[str, Any], infra: Infrastructure, locations: _Locations,
    config: _Config | None = None,
) -> None:  # fmt: skip
    for item in module.get("resources") or []:
        if not isinstance(item, dict) or item.get("mode", "managed") != "managed":
            continue
        address, kind = str(item.get("address", "")), str(item.get("type", ""))
        values: dict[str, Any] = item["values"] if isinstance(item.get("values"), dict) else {}
        if address in unknown:
            marked = _mark_unknown(values, unknown[address])
            values = marked if isinstance(marked, dict) else {}
        if config is not None:
            local = f"{kind}.{item.get('name')}"
            expressions = config.resources.get(local, {})
            values = _with_references(values, expressions, config)
            if local in config.resources:  # computed, not configured: the provider's or AWS's default
                values = {k: None if is_unknown(v) and k not in expressions else v for k, v in values.items()}
        infra.add(Resource(address, kind, values, locations.span(address), ids=ids_of(kind, values)))
    for child in module.get("child_modules") or []:
        if isinstance(child, dict):
            prefix = str(child.get("address", "")) + "."
            sub = None
            if config is not None:
                name = prefix.removeprefix(config.prefix).split(".")[1].split("[")[0]
                sub = config.child(name, prefix)
            _read_module(child, unknown, infra, locations, sub)


def _mark_unknown(values: Any, unknown: Any) -> Any:
    if unknown is True:
        return UNKNOWN
    if isinstance(unknown, dict):
        out = dict(values) if isinstance(values, dict) else {}
        for key, flag in unknown.items():
            out[key] = _mark_unknown(out.get(key), flag)
        return out
    if isinstance(unknown, list):
        items = list(values) if isinstance(values, list) else []
        items += [None] * (len(unknown) - len(items))
        return [_mark_unknown(v, f) for v, f in zip(items, unknown, strict=False)] + items[len(unknown) :]
    return values


def _with_references(values: dict[str, Any], expressions: dict[str, Any], config: _Config) -> dict[str, Any]:
    out = dict(values)
    for key, expr in expressions.items():
        if isinstance(expr, dict) and "references" in expr and key in REFERENCE_ATTRIBUTES:
            found = config.references(expr.get("references") or [])
            if found and (is_unknown(out.get(key)) or not _resolved(out.get(key))):
                out[key] = found if isinstance(out.get(key), list) or len(found) > 1 else found[0]
        elif isinstance(expr, list) and isinstance(out.get(key), list):
            out[key] = [
                _with_references(v, e, config) if isinstance(v, dict) and isinstance(e, dict) else v
                for v, e in zip(out[key], expr + [{}] * (len(out[key]) - len(expr)), strict=False)
            ]
    return out


def _resolved(value: Any) -> bool:
    """A known literal (an id): the state path resolves ids; plan references fill only what is not known."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, str) and v for v in value)
    return isinstance(value, str) and bool(value)


def _read_raw_state(resources: list[Any], infra: Infrastructure, locations: _Locations) -> None:
    for item in resources:
        if not isinstance(item, dict) or item.get("mode", "managed") != "managed":
            continue
        module = f"{item['module']}." if item.get("module") else ""
        base = f"{module}{item.get('type')}.{item.get('name')}"
        where = locations.state_span(str(item.get("type")), str(item.get("name")))
        for instance in item.get("instances") or []:
            if not isinstance(instance, dict):
                continue
            key = instance.get("index_key")
            address = base + ("" if key is None else f"[{json.dumps(key)}]")
            values: dict[str, Any] = instance["attributes"] if isinstance(instance.get("attributes"), dict) else {}
            infra.add(
                Resource(
                    address,
                    str(item.get("type")),
                    values,
                    where,
                    ids=ids_of(str(item.get("type")), values),
                )
            )
