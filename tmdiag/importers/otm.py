"""`tmdiag import otm`: an Open Threat Model JSON document (IriusRisk, Threat Dragon, StartLeft,
`tmdiag export --to otm`) drafted as a `.tm` model, laid out by `tmdiag fmt` and checked by loading it.

The input is untrusted: every field is checked for its type before use, references are resolved
(missing ones reported and left out), `parent` cycles are broken, over-long strings are cut, and
every value is written through the schema's type for its attribute, so nothing in the document
becomes a statement it did not mean. What tmdiag cannot represent is reported (E605), never
dropped silently. The field-by-field mapping is in docs/export.md.

Codes: E601 unreadable (not JSON, not an OTM object); E602 a field of the wrong type (skipped);
E603 a reference to nothing (left out); E604 a cycle of parents (broken); E605 not representable.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tmdiag.diagnostics import Diagnostic, Severity, Span
from tmdiag.export.otm import PREFIX, SYNTHETIC_ZONE, TRUST_RATINGS
from tmdiag.importers import suppressions
from tmdiag.inputs import read_prefix, read_stream
from tmdiag.model import schema
from tmdiag.model.build import RESERVED
from tmdiag.syntax.grammar import NAME_PATTERN

MAX_BYTES = 64 * 1024 * 1024
MAX_STRING = 65536  # longer strings are cut (a label of megabytes helps no one)
_NAME = re.compile(NAME_PATTERN)
_DOTTED = re.compile(rf"{NAME_PATTERN}(?:\.{NAME_PATTERN})*")
_DURATION = re.compile(r"[0-9]{1,9}[hdwy]")
_FLOW_NUMBER = re.compile(r"flow-[0-9]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WORD = re.compile(r"[^A-Za-z0-9_-]")  # what is not kept of a word from the document written into a comment
# Component types of other tools, drafted as the nearest element kind (first match wins).
TYPE_HINTS = (
    ("datastore", ("database", "db", "sql", "storage", "bucket", "s3", "queue", "cache", "table", "store", "disk")),
    ("actor", ("client", "browser", "user", "actor", "mobile", "person", "human")),
    ("lambda", ("lambda", "function", "serverless")),
    ("llm", ("llm", "language-model", "openai", "bedrock")),
    ("external", ("external", "third-party", "saas", "partner", "vendor")),
    ("server", ("server", "vm", "ec2", "instance", "host", "gateway", "balancer", "proxy")),
)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", help="the model's name (default: the OTM project's name)")


def draft_from(args: argparse.Namespace) -> tuple[str | None, list[Diagnostic], dict[str, str]]:
    """The drafted text (None when the document cannot be read), the problems met, the sources to quote."""
    source = Path("/dev/stdin" if args.source == "-" else args.source)
    try:  # a file: regular files only (a named pipe must not block the run); `-`: stdin, bounded
        raw = read_stream(sys.stdin.buffer, MAX_BYTES + 1) if args.source == "-" else read_prefix(source, MAX_BYTES + 1)
    except OSError as problem:
        return None, [_problem("E601", f"cannot read `{args.source}`: {problem.strerror or problem}", str(source))], {}
    if len(raw) > MAX_BYTES:
        return None, [_problem("E601", f"`{source}` is larger than {MAX_BYTES // 2**20} MiB", str(source))], {}
    result = from_otm(raw, str(source), name=getattr(args, "name", None), output=getattr(args, "output", None))
    return result.text, result.diagnostics, result.sources


@dataclass
class Drafted:
    text: str | None
    diagnostics: list[Diagnostic]
    sources: dict[str, str] = field(default_factory=dict)


def _problem(code: str, message: str, path: str, line: int = 1, column: int = 1,
             severity: Severity = Severity.ERROR, hint: str | None = None) -> Diagnostic:  # fmt: skip
    return Diagnostic(code, message, Span.point(path, line, column), severity, hint=hint)


def from_otm(raw: bytes, path: str, *, name: str | None = None, output: str | None = None) -> Drafted:
    """Draft a model from the bytes of an OTM JSON document."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        return Drafted(None, [_problem("E601", f"not UTF-8 text (byte {problem.start})", path)])
    try:
        document = json.loads(text)
    except json.JSONDecodeError as problem:
        return Drafted(None, [_problem("E601", f"not JSON: {problem.msg}", path, problem.lineno, problem.colno)],
                       {path: text})  # fmt: skip
    except RecursionError:
        return Drafted(None, [_problem("E601", "not JSON tmdiag can read: nested too deeply", path)])
    wrong = _not_otm(document)
    if wrong is not None:
        return Drafted(None, [_problem("E601", f"not an OTM document: {wrong}", path)])
    reader = _Reader(path, text)
    draft_text = reader.read(document, name)
    from tmdiag.importers.check import checked

    formatted, problems = checked(draft_text, output or "<draft>")
    return Drafted(formatted, reader.diagnostics + problems, {path: text, **({output or "<draft>": formatted}
                                                                         if formatted else {})})  # fmt: skip


def _json_type(value: object) -> str:
    """The JSON name of a value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"a number ({json.dumps(value)[:20] if not isinstance(value, float) else repr(value)[:20]})"
    names: dict[type, str] = {str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _name(obj: dict[str, Any]) -> str | None:
    """An object's `name` when it is a string, for making ids (a wrong one is reported where the
    object is written)."""
    name = obj.get("name")
    return name[:MAX_STRING] if isinstance(name, str) else None


def _not_otm(document: object) -> str | None:
    """What makes a JSON value not an OTM document (an object with `otmVersion` and a `project`
    object), or None."""
    if not isinstance(document, dict):
        return f"the document should be an object with `otmVersion` and `project`, not {_json_type(document)}"
    if "project" not in document:
        keys = ", ".join(f"`{k[:30]}`" for k in list(document)[:5]) or "nothing"
        return f"it has no `project` (an OTM document has `otmVersion` and `project`; this one has {keys})"
    if not isinstance(document["project"], dict):
        return f"`project` should be an object with `name` and `id`, not {_json_type(document['project'])}"
    return None


# ---- writing values ----------------------------------------------------------------------------


def quote(text: str) -> str:
    """A `.tm` string literal."""
    text = _CONTROL_CHARS.sub("\ufffd", text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def _as_list(raw: Any) -> list[Any] | None:
    if isinstance(raw, list):
        return raw
    if isinstance(raw, str) and raw.startswith("["):
        try:
            value = json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            return None
        return value if isinstance(value, list) else None
    if isinstance(raw, str | int | float) and not isinstance(raw, bool):
        return [raw]
    return None


class _Reader:
    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text
        self.diagnostics: list[Diagnostic] = []
        self.ids: dict[str, str] = {}  # OTM id -> tmdiag id
        self.taken: set[str] = set()
        self.kinds: dict[str, str] = {}  # tmdiag id -> what it is (element, boundary, data, …)
        self.otm_id: dict[str, str] = {}  # tmdiag id -> the OTM id it was made from (for positions)

    # ---- diagnostics -----------------------------------------------------------------------
    def where(self, otm_id: object) -> tuple[int, int]:
        """Line and column of `"id": "<otm_id>"` in the document (1:1 when not found)."""
        if isinstance(otm_id, str) and 0 < len(otm_id) <= 256:  # an id of megabytes is not searched for
            found = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(otm_id)), self.text)
            if found:
                line = self.text.count("\n", 0, found.start()) + 1
                return line, found.start() - (self.text.rfind("\n", 0, found.start()) + 1) + 1
        return 1, 1

    def report(self, code: str, message: str, at: object = None, severity: Severity = Severity.WARNING,
               hint: str | None = None) -> None:  # fmt: skip
        line, column = self.where(at)
        self.diagnostics.append(_problem(code, message, self.path, line, column, severity, hint))

    # ---- fields ----------------------------------------------------------------------------
    def string(self, obj: dict[str, Any], key: str, where: str, at: object = None) -> str | None:
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.report("E602", f"{where}: `{key}` should be a string, not {_json_type(value)}; left out", at)
            return None
        text = str(value)
        if len(text) > MAX_STRING:
            self.report("E602", f"{where}: `{key}` is {len(text)} characters long; cut to {MAX_STRING}", at)
            text = text[:MAX_STRING]
        return text

    def description(self, obj: dict[str, Any], where: str, at: object) -> str | None:
        """The object's `description`, else its `attributes.description` (some tools put it there);
        both and different: the first, and the other reported."""
        top = self.string(obj, "description", where, at)
        attributes = obj.get("attributes")
        inner = (
            self.string(attributes, "description", f"{where} attributes", at) if isinstance(attributes, dict) else None
        )
        if top and inner and inner != top:
            self.report("E605", f"{where}: `attributes.description` differs from `description`; only `description` "
                        "is imported", at, Severity.INFO)  # fmt: skip
        return top or inner

    def number(self, obj: Any, key: str, where: str, at: object, low: float = 0, high: float = 100) -> float | None:
        """A rating from `low` to `high`; anything else (a string, infinity, NaN, out of range) is
        reported and None."""
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
                or not low <= value <= high:  # fmt: skip
            shown = json.dumps(value)[:40] if not isinstance(value, float) else repr(value)
            self.report("E602", f"{where}: `{key}` should be a number from {low:g} to {high:g}, not {shown}; left out",
                        at)  # fmt: skip
            return None
        return float(value)

    def items(self, document: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = document.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report("E602", f"`{key}` should be a list, not {type(value).__name__}; left out", None, Severity.ERROR)
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.report("E602", f"{key}[{i}] should be an object; left out", None, Severity.ERROR)
            elif not isinstance(item.get("id"), str) or not item.get("id"):
                self.report("E602", f"{key}[{i}] has no string `id`; left out", None, Severity.ERROR)
            else:
                out.append(item)
        return out

    def new_id(self, otm_id: str, name: str | None, kind: str) -> str:
        """A tmdiag id for an OTM id: itself when it is one, else made from the name."""
        readable = (
            len(otm_id) <= 64 and _NAME.fullmatch(otm_id) and otm_id not in RESERVED and not _UUID.fullmatch(otm_id)
        )
        candidate = otm_id if readable else None
        if candidate is None:
            slug = re.sub(r"[^A-Za-z0-9_]+", "_", (name or otm_id)).strip("_").lower()[:40] or kind
            candidate = slug if re.match(r"[A-Za-z_]", slug) else f"{kind}_{slug}"
            if candidate in RESERVED:
                candidate += "_1"
        base, i = candidate, 2
        while candidate in self.taken:
            candidate, i = f"{base}_{i}", i + 1
        self.taken.add(candidate)
        if otm_id in self.ids:
            self.report("E602", f"id `{otm_id[:80]}` is used twice; the second is `{candidate}`", otm_id)
        self.ids.setdefault(otm_id, candidate)
        self.otm_id[candidate] = otm_id
        self.kinds[candidate] = kind
        return candidate

    def ref(self, otm_id: object) -> str | None:
        return self.ids.get(otm_id) if isinstance(otm_id, str) else None

    # ---- attributes through the schema -----------------------------------------------------
    def value(self, spec: schema.Attr, raw: Any) -> str | None:
        """The `.tm` text of a value for an attribute, or None when it does not fit its type."""
        kind = spec.type
        if isinstance(raw, str) and len(raw) > MAX_STRING:
            return None
        if kind == schema.BOOL:
            return {True: "true", False: "false", "true": "true", "false": "false"}.get(raw)  # type: ignore[call-overload]
        if kind in (schema.INT, schema.PORT):
            number = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
            if isinstance(raw, str) and re.fullmatch(r"-?[0-9]{1,9}", raw):
                number = int(raw)
            if number is None or (kind == schema.PORT and not 0 <= number <= 65535 and number != -1):
                return None
            return str(number)
        if kind == schema.STR:
            return quote(str(raw)) if isinstance(raw, str | int | float) and not isinstance(raw, bool) else None
        if kind == schema.ENUM:
            return str(raw) if str(raw) in spec.values else None
        if kind == schema.TLS:
            return schema.tls_version(raw)
        if kind == schema.DATE:
            try:
                return datetime.date.fromisoformat(str(raw)).isoformat()
            except ValueError:
                return None
        if kind == schema.DURATION:
            return str(raw) if isinstance(raw, str) and _DURATION.fullmatch(raw) else None
        if kind == schema.ICON:
            return str(raw) if isinstance(raw, str) and _DOTTED.fullmatch(raw) else None
        if kind == schema.REF:
            return self.id_ref(raw)
        items = _as_list(raw)
        if items is None:
            return None
        if kind in (schema.REFS, schema.IDS):
            names = [self.id_ref(v) if kind == schema.REFS else (str(v) if _NAME.fullmatch(str(v)) else None)
                     for v in items]  # fmt: skip
            return None if any(v is None for v in names) else "[" + ", ".join(str(v) for v in names) + "]"
        if kind == schema.INGRESS and any(not isinstance(schema.parse_ingress(str(v)), schema.Ingress) for v in items):
            return None
        if any(not isinstance(v, str | int | float) or isinstance(v, bool) for v in items):
            return None
        return "[" + ", ".join(quote(str(v)) for v in items) + "]"

    def id_ref(self, raw: Any) -> str | None:
        if not isinstance(raw, str):
            return None
        if raw in self.ids:
            return self.ids[raw]
        return raw if _NAME.fullmatch(raw) and raw in self.taken else None

    def attributes(self, kind: str, raw: Any, where: str, at: object, skip: Iterable[str] = ()) -> list[str]:
        """`key: value` lines for the schema attributes among OTM `attributes`; others reported."""
        if raw is None:
            return []
        if not isinstance(raw, dict):
            self.report("E602", f"{where}: `attributes` should be an object; left out", at)
            return []
        specs = schema.BY_NAME[kind]
        lines, foreign, bad = [], [], []
        for key, value in raw.items():
            if not isinstance(key, str) or key.startswith(PREFIX) or key in skip:
                continue
            spec = specs.get(key)
            if spec is None:
                foreign.append(key)
                continue
            text = self.value(spec, value)
            if text is None:
                bad.append(key)
            else:
                lines.append(f"{key}: {text}")
        if foreign:
            shown = ", ".join(f"`{k[:40]}`" for k in foreign[:8]) + (f" and {len(foreign) - 8} more" if len(foreign) > 8
                                                                     else "")  # fmt: skip
            self.report("E605", f"{where}: attributes {shown} are not {kind} attributes in tmdiag; not imported", at,
                        Severity.INFO)  # fmt: skip
        if bad:
            self.report("E602", f"{where}: the values of {', '.join(f'`{k}`' for k in bad)} do not fit "
                        "their type; left out", at)  # fmt: skip
        return lines

    def notes(self, attributes: Any, where: str, at: object) -> suppressions.Comments:
        """The inline suppressions the object carries (`tmdiag export` keeps them)."""
        return suppressions.read(attributes, lambda message: self.report("E602", f"{where}: {message}", at))

    # ---- the document ----------------------------------------------------------------------
    def read(self, document: dict[str, Any], name: str | None) -> str:
        out: list[str] = []
        project = document["project"]
        team = self.json_attribute(project, "team")
        for member in team:
            if isinstance(member, dict) and isinstance(member.get("id"), str):
                self.new_id(member["id"], None, "member")
        assets = self.items(document, "assets")
        for asset in assets:
            self.new_id(asset["id"], _name(asset), "data")
        agents = self.json_attribute(project, "agents")
        zones = self.items(document, "trustZones")
        real_zones = [z for z in zones if not self.synthetic(z)]
        for zone in real_zones:
            self.new_id(zone["id"], _name(zone), "boundary")
        components = self.items(document, "components")
        for component in components:
            self.new_id(component["id"], _name(component), "element")
        flows = self.items(document, "dataflows")
        flow_ids: dict[str, str | None] = {}
        for flow in flows:
            fid = flow["id"]
            named = _NAME.fullmatch(fid) and not _FLOW_NUMBER.fullmatch(fid) and fid not in RESERVED
            flow_ids[fid] = self.new_id(fid, None, "flow") if named else None
        mitigations = self.items(document, "mitigations")
        controls = [m for m in mitigations if not self.is_decision(m)]
        for control in controls:
            self.new_id(control["id"], _name(control), "control")
        for agent in agents:
            if isinstance(agent, dict) and isinstance(agent.get("id"), str):
                self.new_id(agent["id"], None, "agent")
        out += self.header(project, name)
        out += self.team(team)
        out += [self.asset(a) for a in assets]
        out += self.agents(agents)
        out += self.zones(real_zones, components)
        out += self.flows(flows, flow_ids)
        out += self.controls(controls, components, flows)
        out += self.decisions([m for m in mitigations if self.is_decision(m)])
        out += self.assumptions(self.json_attribute(project, "assumptions"))
        out += self.rules(project)
        self.unrepresented(document, components, flows)
        return "\n".join(out) + "\n"

    @staticmethod
    def synthetic(zone: dict[str, Any]) -> bool:
        attributes = zone.get("attributes")
        return (
            zone.get("id") == SYNTHETIC_ZONE
            and isinstance(attributes, dict)
            and bool(attributes.get(PREFIX + "synthetic"))
        )

    @staticmethod
    def is_decision(mitigation: dict[str, Any]) -> bool:
        attributes = mitigation.get("attributes")
        return isinstance(attributes, dict) and PREFIX + "threat" in attributes and PREFIX + "target" in attributes

    def json_attribute(self, project: dict[str, Any], key: str) -> list[Any]:
        attributes = project.get("attributes")
        raw = attributes.get(PREFIX + key) if isinstance(attributes, dict) else None
        if raw is None:
            return []
        try:
            value = json.loads(raw) if isinstance(raw, str) else raw
        except (json.JSONDecodeError, RecursionError):
            value = None
        if not isinstance(value, list):
            self.report("E602", f"project attribute `{PREFIX}{key}` should be a JSON list; left out", None)
            return []
        return value

    def header(self, project: dict[str, Any], name: str | None) -> list[str]:
        title = name or self.string(project, "name", "project") or "Imported model"
        lines = self.attributes("model", project.get("attributes"), "project", None)
        description = self.description(project, "project", None)
        if description:
            lines.insert(0, f"description: {quote(description)}")
        if not any(line.startswith("owner:") for line in lines) and isinstance(project.get("owner"), str) \
                and project["owner"]:  # fmt: skip
            self.report("E605", f"project owner `{project['owner'][:80]}` is not a team member; not imported", None,
                        Severity.INFO, hint="add them to `team` and set `owner:` in the model header")  # fmt: skip
        notes = self.notes(project.get("attributes"), "project", None)
        lines = notes.place(lines)
        return [notes.before(f"model {quote(title)} {{"), *lines, "}", ""]

    def team(self, members: list[Any]) -> list[str]:
        lines = []
        for member in members:
            if not isinstance(member, dict) or not isinstance(member.get("id"), str):
                self.report("E602", "a team member without a string `id`; left out", None)
                continue
            listed = member.get("roles")
            roles = [r for r in (listed if isinstance(listed, list) else []) if r in schema.ROLES] or ["developer"]
            attrs = [
                f"{k}: {quote(str(member[k]))}" for k in ("email", "description") if isinstance(member.get(k), str)
            ]
            label = member.get("name") if isinstance(member.get("name"), str) else None
            block = f" {{ {', '.join(attrs)} }}" if attrs else ""
            role = roles[0] if len(roles) == 1 else "[" + ", ".join(roles) + "]"
            notes = self.notes(member, f"team member `{self.ids[member['id']]}`", None)
            line = f"{self.ids[member['id']]}{' ' + quote(label) if label else ''} {role}{block}"
            lines.append(notes.before(line, "  ") if notes.statement else "  " + line)
        return ["team {", *lines, "}", ""] if lines else []

    def asset(self, asset: dict[str, Any]) -> str:
        data_id = self.ids[asset["id"]]
        lines = self.attributes(
            "data", asset.get("attributes"), f"asset `{data_id}`", asset["id"], skip=("description",)
        )
        description = self.description(asset, f"asset `{data_id}`", asset["id"])
        if description:
            lines.insert(0, f"description: {quote(description)}")
        if not any(line.startswith("classification:") for line in lines):
            rating = self.number(asset.get("risk"), "confidentiality", f"asset `{data_id}`", asset["id"])
            if rating is not None and rating != 50:
                words = {"public": 0, "restricted": 25, "sensitive": 60, "secret": 80, "top_secret": 100}
                lines.append(f"classification: {min(words, key=lambda w: abs(words[w] - rating))}")
        notes = self.notes(asset.get("attributes"), f"asset `{data_id}`", asset["id"])
        lines = notes.place(lines)
        return notes.before(self.statement("data", data_id, self.string(asset, "name", "asset", asset["id"]), lines))

    @staticmethod
    def statement(keyword: str, node_id: str, label: str | None, lines: list[str], indent: str = "") -> str:
        head = f"{indent}{keyword} {node_id}" + (f" {quote(label)}" if label else "")
        if not lines:
            return head
        return head + " {\n" + "".join(f"{indent}  {line}\n" for line in lines) + f"{indent}}}"

    def agents(self, agents: list[Any]) -> list[str]:
        out = []
        for agent in agents:
            if not isinstance(agent, dict) or agent.get("id") not in self.ids:
                continue
            attrs = {k: v for k, v in agent.items() if k not in ("id", "name")}
            where = f"threat agent `{agent['id']}`"
            notes = self.notes(agent, where, None)
            lines = notes.place(self.attributes("threat_agent", attrs, where, None))
            label = agent.get("name") if isinstance(agent.get("name"), str) else None
            out.append(notes.before(self.statement("threat_agent", self.ids[agent["id"]], label, lines)))
        return out

    def parent_zone(self, item: dict[str, Any], what: str) -> tuple[str | None, str | None]:
        """(zone id, component id) named by `parent`, as OTM ids."""
        parent = item.get("parent")
        if parent is None:
            return None, None
        if not isinstance(parent, dict):
            self.report("E602", f"{what}: `parent` should be an object; put at the top level", item["id"])
            return None, None
        zone, component = parent.get("trustZone"), parent.get("component")
        if zone is None and component is None:  # OTM 0.1's {id, type} form
            kind, pid = parent.get("type"), parent.get("id")
            zone, component = (
                (pid, None) if kind == "trustZone" else (None, pid) if kind == "component" else (None, None)
            )
        return (zone if isinstance(zone, str) else None), (component if isinstance(component, str) else None)

    def zones(self, zones: list[dict[str, Any]], components: list[dict[str, Any]]) -> list[str]:
        parents: dict[str, str | None] = {}
        for item in zones:
            zone_id = self.ids[item["id"]]
            otm_parent, in_component = self.parent_zone(item, f"trust zone `{zone_id}`")
            parent = self.ref(otm_parent) if otm_parent else None
            if in_component is not None:
                self.report("E605", f"trust zone `{zone_id}` is inside a component; tmdiag nests boundaries only in "
                            "boundaries: put at the top level", item["id"])  # fmt: skip
            elif otm_parent is not None and (parent is None or self.kinds.get(parent) != "boundary"):
                self.report("E603", f"trust zone `{zone_id}`: parent `{otm_parent[:80]}` is not a trust zone; put at "
                            "the top level", item["id"])  # fmt: skip
                parent = None
            parents[zone_id] = parent
        for zone_id in list(parents):  # break cycles: walk up; a zone met twice loses its parent
            seen: list[str] = []
            current: str | None = zone_id
            while current is not None and current not in seen:
                seen.append(current)
                current = parents.get(current)
            if current is not None:
                loop = " -> ".join([*seen[seen.index(current) :], current])
                self.report("E604", f"trust zones {loop} are parents of each other; `{current}` put at the top level",
                            self.otm_id[current], Severity.ERROR)  # fmt: skip
                parents[current] = None
        members: dict[str | None, list[str]] = {}
        for component in components:
            element_id = self.ids[component["id"]]
            zone_otm, inside = self.parent_zone(component, f"component `{element_id}`")
            zone: str | None = self.ref(zone_otm) if zone_otm else None
            if inside is not None:
                host = self.ref(inside)
                host_zone = next((self.ref(self.parent_zone(c, "")[0]) for c in components if c["id"] == inside), None)
                self.report("E605", f"component `{element_id}` is inside component `{host or inside[:80]}`; tmdiag has "
                            "no nested elements: put beside it", component["id"], Severity.INFO)  # fmt: skip
                zone = host_zone
            elif zone_otm == SYNTHETIC_ZONE:
                zone = None
            elif zone_otm is not None and (zone is None or self.kinds.get(zone) != "boundary"):
                self.report("E603", f"component `{element_id}`: trust zone `{zone_otm[:80]}` does not exist; put at "
                            "the top level", component["id"])  # fmt: skip
                zone = None
            elif zone_otm is None:
                self.report("E602", f"component `{element_id}` has no `parent` (OTM requires one); put at the top "
                            "level", component["id"])  # fmt: skip
            members.setdefault(zone, []).append(self.component(component))
        children: dict[str | None, list[dict[str, Any]]] = {}
        for item in zones:
            children.setdefault(parents[self.ids[item["id"]]], []).append(item)
        out: list[str] = []

        def write(zone: dict[str, Any], indent: str) -> None:
            zone_id = self.ids[zone["id"]]
            notes = self.notes(zone.get("attributes"), f"trust zone `{zone_id}`", zone["id"])
            lines = notes.place(self.zone_attributes(zone, zone_id))
            label = self.string(zone, "name", f"trust zone `{zone_id}`", zone["id"])
            out.append(
                notes.before(f"{indent}boundary {zone_id}" + (f" {quote(label)}" if label else "") + " {", indent)
            )
            out.extend(f"{indent}  {line}" for line in lines)
            for element in members.get(zone_id, []):
                out.append("\n".join(f"{indent}  {line}" for line in element.split("\n")))
            for child in children.get(zone_id, []):
                write(child, indent + "  ")
            out.append(f"{indent}}}")

        for top in children.get(None, []):
            write(top, "")
        out.extend(members.get(None, []))
        return out

    def zone_attributes(self, zone: dict[str, Any], zone_id: str) -> list[str]:
        lines = self.attributes("boundary", zone.get("attributes"), f"trust zone `{zone_id}`", zone["id"],
                                skip=("description",))  # fmt: skip
        description = self.description(zone, f"trust zone `{zone_id}`", zone["id"])
        if description:
            lines.insert(0, f"description: {quote(description)}")
        if not any(line.startswith("trust:") for line in lines):
            risk = zone.get("risk")
            rating = self.number(risk, "trustRating", f"trust zone `{zone_id}`", zone["id"])
            if rating is not None:
                lines.append(f"trust: {min(TRUST_RATINGS, key=lambda w: abs(TRUST_RATINGS[w] - rating))}")
            else:
                self.report("E602", f"trust zone `{zone_id}` has no numeric `risk.trustRating`; trust left at its "
                            "default (medium)", zone["id"])  # fmt: skip
        kind = zone.get("type")
        if kind is not None and not isinstance(kind, str):
            self.report("E602", f"trust zone `{zone_id}`: `type` should be a string, not {_json_type(kind)}; left out",
                        zone["id"])  # fmt: skip
        values = schema.BY_NAME["boundary"]["kind"].values
        if isinstance(kind, str) and kind in values and not any(line.startswith("kind:") for line in lines):
            lines.append(f"kind: {kind}")
        return lines

    def element_kind(self, component: dict[str, Any], element_id: str) -> str:
        kind = component.get("type")
        if kind is not None and not isinstance(kind, str):
            self.report("E602", f"component `{element_id}`: `type` should be a string, not {_json_type(kind)}; "
                        "drafted as a process", component["id"])  # fmt: skip
            return "process"
        if isinstance(kind, str) and kind in schema.ELEMENT_KINDS:
            return kind
        words = str(kind).lower() if isinstance(kind, str) else ""
        chosen = next((k for k, hints in TYPE_HINTS if any(h in words for h in hints)), "process")
        drafted = f"{_article(chosen)} {chosen}"
        self.report("E605", f"component `{element_id}`: type `{words[:60] or '(none)'}` drafted as {drafted}; "
                    "check the kind", component["id"], Severity.INFO)  # fmt: skip
        return chosen

    def component(self, component: dict[str, Any]) -> str:
        element_id = self.ids[component["id"]]
        where = f"component `{element_id}`"
        kind = self.element_kind(component, element_id)
        lines = self.attributes(kind, component.get("attributes"), where, component["id"], skip=("description", "tags"))
        description = self.description(component, where, component["id"])
        if description:
            lines.insert(0, f"description: {quote(description)}")
        assets = component.get("assets")
        stored = assets.get("stored") if isinstance(assets, dict) else None
        if isinstance(stored, list) and stored and not any(line.startswith("stores:") for line in lines):
            refs = [self.ref(s) for s in stored]
            known = [r for r in refs if r is not None and self.kinds.get(r) == "data"]
            if len(known) != len(stored):
                self.report("E603", f"{where}: stored assets that do not exist are left out", component["id"])
            if kind == "datastore" and known:
                lines.append(f"stores: [{', '.join(known)}]")
            elif known:
                is_a = f"{_article(kind)} {kind}"
                self.report("E605", f"{where} stores assets but is {is_a}: only datastores store data in tmdiag",
                            component["id"])  # fmt: skip
        tags = component.get("tags")
        if isinstance(tags, list) and tags:
            text = self.value(schema.BY_NAME[kind]["tags"], [t for t in tags if isinstance(t, str)])
            if text and text != "[]":
                lines.append(f"tags: {text}")
        notes = self.notes(component.get("attributes"), where, component["id"])
        lines = notes.place(lines)
        return notes.before(
            self.statement(kind, element_id, self.string(component, "name", where, component["id"]), lines)
        )

    def flows(self, flows: list[dict[str, Any]], flow_ids: dict[str, str | None]) -> list[str]:
        statements: list[tuple[suppressions.Comments, list[str]]] = []
        comments: dict[str, suppressions.Comments] = {}
        by_otm: dict[str, list[str]] = {}
        written: dict[str, tuple[str, str]] = {}
        for flow in flows:
            where = f"data flow `{flow['id'][:80]}`"
            source, sink = self.ref(flow.get("source")), self.ref(flow.get("destination"))
            if (
                source is None
                or sink is None
                or self.kinds.get(source) != "element"
                or self.kinds.get(sink) != "element"
            ):
                self.report("E603", f"{where}: its source or destination is not a component; left out", flow["id"],
                            Severity.ERROR)  # fmt: skip
                continue
            lines = self.attributes("flow", flow.get("attributes"), where, flow["id"], skip=("description", "data"))
            description = self.description(flow, where, flow["id"])
            if description:
                lines.insert(0, f"description: {quote(description)}")
            carried = [self.ref(a) for a in flow.get("assets") or []] if isinstance(flow.get("assets"), list) else []
            if any(c is None or self.kinds.get(c) != "data" for c in carried):
                self.report("E603", f"{where}: assets that do not exist are left out", flow["id"])
            known = [c for c in carried if c is not None and self.kinds.get(c) == "data"]
            if known:
                lines.append(f"data: [{', '.join(dict.fromkeys(known))}]")
            tags = flow.get("tags")
            if isinstance(tags, list) and tags:
                text = self.value(schema.BY_NAME["flow"]["tags"], [t for t in tags if isinstance(t, str)])
                if text and text != "[]":
                    lines.append(f"tags: {text}")
            label = self.string(flow, "name", where, flow["id"])
            attributes = flow.get("attributes")
            notes = self.notes(attributes, where, flow["id"])
            lines = notes.place(lines)
            block = (" {\n" + "".join(f"  {line}\n" for line in lines) + "}") if lines else ""
            request = attributes.get(PREFIX + "reply_to") if isinstance(attributes, dict) else None
            if isinstance(request, str) and request in by_otm and written[request] == (sink, source):
                parts = by_otm[request]
                if notes.statement and parts[-1].endswith("}"):  # before the `} reply` line: in the block above
                    parts[-1] = parts[-1][:-1] + "".join(f"  {c}\n" for c in notes.statement) + "}"
                else:  # the reply starts on the request's line
                    comments[request].statement += notes.statement
                parts.append(f"reply{' ' + quote(label) if label else ''}{block}")
                continue
            if request is not None:
                self.report("E603", f"{where}: it replies to `{str(request)[:80]}`, which is not the flow it "
                            "answers; drafted as a flow of its own", flow["id"])  # fmt: skip
            name = flow_ids.get(flow["id"])
            head = (f"{name}: " if name else "") + f"{source} -> {sink}" + (f" {quote(label)}" if label else "")
            parts = [head + block]
            if flow.get("bidirectional") is True:
                parts.append(f"reply{' ' + quote(label) if label else ''}")
                self.report("E605", f"{where} is bidirectional: drafted as a flow and its reply", flow["id"],
                            Severity.INFO)  # fmt: skip
            by_otm[flow["id"]] = parts
            written[flow["id"]] = (source, sink)
            comments[flow["id"]] = notes
            statements.append((notes, parts))
        return [notes.before(" ".join(parts)) for notes, parts in statements]

    def controls(self, controls: list[dict[str, Any]], components: list[dict[str, Any]],
                 flows: list[dict[str, Any]]) -> list[str]:  # fmt: skip
        # mitigation OTM id -> what refers to it, where it is `implemented` and where only planned
        # (`required`, `recommended`, …): a tmdiag control is one in place (foreign documents)
        used: dict[str, list[str]] = {}
        planned: dict[str, dict[str, str]] = {}
        for item in [*components, *flows]:
            target = self.ref(item["id"]) if item["id"] in self.ids and self.kinds.get(self.ids[item["id"]]) in (
                "element", "flow") else None  # fmt: skip
            for instance in item.get("threats") or [] if isinstance(item.get("threats"), list) else []:
                for m in (instance.get("mitigations") or []) if isinstance(instance, dict) else []:
                    if isinstance(m, dict) and isinstance(m.get("mitigation"), str) and target:
                        state = m.get("state", "implemented")
                        if state == "implemented":
                            used.setdefault(m["mitigation"], []).append(target)
                        else:  # a word for a comment: nothing that could end the comment line
                            planned.setdefault(m["mitigation"], {})[target] = _WORD.sub("", str(state))[:40] or "?"
        out = []
        for control in controls:
            control_id = self.ids[control["id"]]
            where = f"mitigation `{control_id}`"
            lines = self.attributes("control", control.get("attributes"), where, control["id"], skip=("description",))
            description = self.description(control, where, control["id"])
            if description:
                lines.insert(0, f"description: {quote(description)}")
            todo = [(t, state) for t, state in planned.get(control["id"], {}).items() if t not in used.get(
                control["id"], [])]  # fmt: skip
            note = ""
            if todo and not any(line.startswith("on:") for line in lines):
                where_planned = ", ".join(f"{t} ({state})" for t, state in todo)
                named = quote(self.string(control, "name", where, control["id"]) or control_id)
                note = f"# not in place yet (OTM mitigation state), so no control there: {control_id} {named} on "
                note += where_planned
                self.report("E605", f"{where} is not implemented on {', '.join(t for t, _ in todo)} (state "
                            f"`{todo[0][1]}`): a tmdiag control is one in place; written as a comment to track",
                            control["id"])  # fmt: skip
            if not any(line.startswith("on:") for line in lines):
                targets = list(dict.fromkeys(used.get(control["id"], [])))
                if not targets:
                    if note:
                        out.append(note)
                    else:
                        self.report("E605", f"{where} protects nothing the document names; not imported (a tmdiag "
                                    "control needs `on:`)", control["id"])  # fmt: skip
                    continue
                lines.append(f"on: [{', '.join(targets)}]")
            notes = self.notes(control.get("attributes"), where, control["id"])
            lines = notes.place(lines)
            label = self.string(control, "name", where, control["id"])
            out.append(
                notes.before(self.statement("control", control_id, label, lines)) + (f"\n{note}" if note else "")
            )
        return out

    def decisions(self, decisions: list[dict[str, Any]]) -> list[str]:
        out = []
        for decision in decisions:
            attributes = decision["attributes"]
            threat, target = self.decision_ends(attributes)
            if threat is None or target is None:
                self.report("E603", f"decision `{decision['id'][:80]}` names no threat id or no known target; left "
                            "out", decision["id"])  # fmt: skip
                continue
            notes = self.notes(attributes, f"decision `{threat} on {target}`", decision["id"])
            lines = notes.place(self.attributes("risk", attributes, f"decision `{threat} on {target}`", decision["id"]))
            body = (" {\n" + "".join(f"  {line}\n" for line in lines) + "}") if lines else ""
            out.append(notes.before(f"risk {threat} on {target}{body}"))
        return out

    def decision_ends(self, attributes: dict[str, Any]) -> tuple[str | None, str | None]:
        """`THREAT` (or `"PATTERN"`) and `TARGET` (an id, an element kind, or `"PATTERN"`) as written."""
        threat, target = attributes.get(PREFIX + "threat"), attributes.get(PREFIX + "target")
        if not isinstance(threat, str) or not isinstance(target, str) or len(threat) > 200 or len(target) > 200:
            return None, None
        pattern = attributes.get(PREFIX + "threat_pattern") in ("true", True)
        written_threat = quote(threat) if pattern else threat if _NAME.fullmatch(threat) else None
        scope = attributes.get(PREFIX + "scope", "id")
        if scope == "pattern":
            return written_threat, quote(target)
        if scope == "kind":
            return written_threat, target if target in schema.ELEMENT_KINDS else None
        return written_threat, self.id_ref(target)

    def assumptions(self, assumptions: list[Any]) -> list[str]:
        out = []
        for item in assumptions:
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                self.report("E602", "an assumption without `text`; left out", None)
                continue
            attrs = {k: v for k, v in item.items() if k != "text"}
            notes = self.notes(item, "assumption", None)
            lines = notes.place(self.attributes("assume", attrs, "assumption", None))
            body = (" {\n" + "".join(f"  {line}\n" for line in lines) + "}") if lines else ""
            out.append(notes.before(f"assume {quote(item['text'][:MAX_STRING])}{body}"))
        return out

    def rules(self, project: dict[str, Any]) -> list[str]:
        from tmdiag.importers.check import one_rule

        out = []
        for text in self.json_attribute(project, "rules"):
            if not isinstance(text, str) or len(text) > MAX_STRING or not one_rule(text):
                self.report("E602", "a custom rule that is not one `rule` statement; left out", None)
                continue
            out.append(text)
        return out

    def unrepresented(self, document: dict[str, Any], components: list[dict[str, Any]],
                      flows: list[dict[str, Any]]) -> None:  # fmt: skip
        threats = self.items(document, "threats")
        ours = [t for t in threats if isinstance(t.get("attributes"), dict) and "threat_id" in t["attributes"]]
        if ours:
            self.report("E605", f"{len(ours)} threats are findings tmdiag enumerates again from the model; not "
                        "imported", None, Severity.INFO)  # fmt: skip
        foreign = len(threats) - len(ours)
        if foreign:
            names = ", ".join(
                str(t.get("name"))[:60] for t in threats if t not in ours and isinstance(t.get("name"), str)
            )
            self.report("E605", f"{foreign} threats of the document are not imported: tmdiag enumerates threats from "
                        f"the model (pytm's library and custom rules): {names[:300]}", None,
                        hint="write a custom `rule` for a threat tmdiag does not find")  # fmt: skip
        representations = document.get("representations")
        if isinstance(representations, list) and representations:
            self.report("E605", f"{len(representations)} representations (diagram positions, code) are not "
                        "imported: tmdiag lays diagrams out itself", None, Severity.INFO)  # fmt: skip
