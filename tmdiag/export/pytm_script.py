"""A model as a standalone pytm 1.4 script: run it with plain pytm (`python model_pytm.py --json
out.json`, `--dfd`, `--seq`) and it finds what `tmdiag threats --pytm-parity` finds, i.e. raw pytm's
own findings for the model (custom rules, risk ranking, decisions and the flow-value fix are
tmdiag's, not pytm's). pytm 1.4.0's `--report` fails on a data asset carried by two or more flows
(its report deep-copies findings and hashes a half-copied `Data`: `'Data' object has no attribute
'name'`); the script's docstring says so and points to `--json`.

The objects are made by the same mapping as tmdiag's adapter (`tmdiag.threats.adapter`: one table
of DSL → pytm names and values), in the same order; this module only writes them as Python. Every
text from the model is written as a Python literal (`repr`): nothing from the model becomes code.
"""

from __future__ import annotations

import enum
import keyword
import re
from typing import Any

from tmdiag.model import nodes as n
from tmdiag.threats import adapter
from tmdiag.version import __version__

_NOT_NAME = re.compile(r"[^0-9A-Za-z_]")


def _literal(value: Any, used: set[str]) -> str:
    if isinstance(value, enum.Enum):
        used.add(type(value).__name__)
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v, used) for v in value) + "]"
    if isinstance(value, n.Name):
        return repr(str(value))
    return repr(value)


class _Names:
    """Python variable names for model ids: a prefix per group, unique."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.of: dict[tuple[str, str], str] = {}

    def __call__(self, prefix: str, node_id: str) -> str:
        key = (prefix, node_id)
        if key not in self.of:
            base = f"{prefix}_{_NOT_NAME.sub('_', node_id)}"
            name, i = base, 2
            while name in self.taken or keyword.iskeyword(name):
                name, i = f"{base}_{i}", i + 1
            self.taken.add(name)
            self.of[key] = name
        return self.of[key]


def _call(klass: str, positional: list[str], fields: dict[str, Any], controls: dict[str, Any] | None,
          used: set[str], extra: list[str] = ()) -> str:  # type: ignore[assignment]  # fmt: skip
    args = list(positional) + list(extra)
    if controls is not None:
        used.add("Controls")
        inner = ", ".join(f"{k}={_literal(v, used)}" for k, v in controls.items())
        args.append(f"controls=Controls({inner})")
    args += [f"{k}={_literal(v, used)}" for k, v in fields.items()]
    used.add(klass)
    one_line = f"{klass}({', '.join(args)})"
    if len(one_line) <= 100:
        return one_line
    return f"{klass}(\n" + "".join(f"    {a},\n" for a in args) + ")"


def render(model: n.Model) -> str:
    """The script's text."""
    used: set[str] = {"TM"}
    names = _Names()
    body: list[str] = []
    description = str(model.info.get("description") or "") if model.info else ""
    body.append(f"tm = TM({model.name!r}, description={(description or model.name)!r})")
    if model.data:
        body.append("\n# data")
    for asset in model.data:
        call = _call("Data", [repr(asset.title)], adapter.data_fields(asset, model), None, used)
        body.append(f"{names('data', asset.id)} = {call}")
    if model.boundaries:
        body.append("\n# trust boundaries")
    for boundary in model.boundaries:
        extra = [f"inBoundary={names('boundary', boundary.parent)}"] if boundary.parent else []
        call = _call("Boundary", [repr(boundary.title)], {}, None, used, extra)
        body.append(f"{names('boundary', boundary.id)} = {call}")
    if model.elements:
        body.append("\n# elements")
    for element in model.elements:
        klass, fields, controls = adapter.element_fields(element, model)
        extra = [f"inBoundary={names('boundary', element.boundary)}"] if element.boundary else []
        call = _call(klass.__name__, [repr(element.title)], fields, controls, used, extra)
        body.append(f"{names('element', element.id)} = {call}")
    if model.flows:
        body.append("\n# data flows")
    declared = {e.id for e in model.elements}
    requests: dict[int, str] = {}
    for flow in model.flows:
        if flow.source not in declared or flow.sink not in declared:
            continue
        fields, controls = adapter.split_fields(flow)
        carried = [names("data", d) for d in flow.ids("data") if model.data_asset(d) is not None]
        extra = [f"data=[{', '.join(carried)}]"]
        if flow.reply_to is not None and flow.reply_to in requests:
            extra.append(f"responseTo={requests[flow.reply_to]}")
        positional = [names("element", flow.source), names("element", flow.sink), repr(flow.title)]
        variable = names("flow", flow.id)
        requests[flow.number] = variable
        body.append(f"{variable} = {_call('Dataflow', positional, fields, controls, used, extra)}")
    header = [
        f'"""{_docstring(model)}"""',
        "",
        "from pytm import (" + "".join(f"\n    {name}," for name in sorted(used)) + "\n)",
        "",
    ]
    footer = ["", 'if __name__ == "__main__":', "    tm.process()", ""]
    return "\n".join([*header, *body, *footer])


def _docstring(model: n.Model) -> str:
    title = model.name.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    path = model.path.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return (f"{title}: a pytm 1.4 threat model written by tmdiag {__version__} from {path}.\n\n"
            "Run it with pytm: `python this.py --json out.json`, `--dfd | dot -Tpng -o dfd.png`, `--seq`.\n"
            "pytm 1.4.0's `--report` fails when a data asset is on two or more flows (a pytm bug: "
            "`'Data' object has no attribute 'name'`);\nuse `--json`, or `tmdiag report` for a report.\n"
            "The findings are pytm's own; tmdiag's decisions, custom rules and risk "
            "ranking are not part of it.\n")  # fmt: skip
