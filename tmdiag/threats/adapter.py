"""The pytm adapter: the typed model as pytm 1.4 objects, and pytm's threats applied to them.

The one place that maps DSL attributes to pytm: every name comes from `schema.Attr.pytm`
(`isPII` on the object, `controls.isEncrypted` on its controls); only values are converted here.
pytm keeps its state on the `TM` class, so every compile starts with `TM.reset()`, before the
`TM` is created (a reset after it empties the threat library). pytm's element ids come from the
`random` module; tmdiag never uses them: each pytm object is mapped back to its model node.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytm

from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.threats import errata

CLASSES: dict[str, type[pytm.Element]] = {
    "actor": pytm.Actor, "process": pytm.Process, "server": pytm.Server, "lambda": pytm.Lambda,
    "datastore": pytm.Datastore, "external": pytm.ExternalEntity, "llm": pytm.LLM, "agent": pytm.Agent,
}  # fmt: skip
TLS = {
    "none": pytm.TLSVersion.NONE, "ssl3": pytm.TLSVersion.SSLv3, "1.0": pytm.TLSVersion.TLSv10,
    "1.1": pytm.TLSVersion.TLSv11, "1.2": pytm.TLSVersion.TLSv12, "1.3": pytm.TLSVersion.TLSv13,
}  # fmt: skip
LIFETIMES = {
    "none": pytm.Lifetime.NONE, "unknown": pytm.Lifetime.UNKNOWN, "short": pytm.Lifetime.SHORT,
    "long": pytm.Lifetime.LONG, "auto": pytm.Lifetime.AUTO, "manual": pytm.Lifetime.MANUAL,
    "hardcoded": pytm.Lifetime.HARDCODED,
}  # fmt: skip
STORE_TYPES = {"sql": pytm.DatastoreType.SQL, "ldap": pytm.DatastoreType.LDAP, "s3": pytm.DatastoreType.AWS_S3,
               "file_system": pytm.DatastoreType.FILE_SYSTEM}  # fmt: skip
CLASSIFICATIONS = {c.name.lower(): c for c in pytm.Classification}
CODE_TYPES = {"managed": "Managed", "unmanaged": "Unmanaged"}
# pytm 1.4's check() copies these from the sink (or, for replies, the source) onto every flow,
# overwriting what the flow declares. Declared values are put back afterwards (see `build`).
INHERITED_FLOW_FIELDS = frozenset(
    {"protocol", "dstPort", "srcPort", "controls.isEncrypted", "controls.authenticatesDestination",
     "controls.checksDestinationRevocation"}
)  # fmt: skip


def pytm_value(spec: schema.Attr, value: Any) -> Any:
    """A model value converted to what pytm stores in the field `spec.pytm`."""
    field_name = (spec.pytm or "").rpartition(".")[2]
    if field_name in ("classification", "maxClassification"):
        return CLASSIFICATIONS.get(str(value), pytm.Classification.UNKNOWN)
    if spec.type == schema.TLS:
        return TLS.get(schema.tls_version(value) or "none", pytm.TLSVersion.NONE)
    if field_name == "credentialsLife":
        return LIFETIMES.get(str(value), pytm.Lifetime.NONE)
    if field_name == "type":
        return STORE_TYPES.get(str(value), pytm.DatastoreType.UNKNOWN)
    if field_name == "codeType":
        return CODE_TYPES.get(str(value), "Unmanaged")
    if field_name == "protocol":  # pytm's conditions compare upper case: 'HTTP', 'HTTPS', 'SOAP'
        return str(value).upper()
    if spec.type in (schema.STRS,):
        return list(value) if isinstance(value, tuple) else [value]
    if isinstance(value, n.Name):
        return str(value)
    return value


def split_fields(node: n.Node) -> tuple[dict[str, Any], dict[str, Any]]:
    """The node's declared attributes as pytm keyword arguments: (object fields, control fields)."""
    fields: dict[str, Any] = {}
    controls: dict[str, Any] = {}
    specs = schema.BY_NAME[node.schema_kind]
    for attr in node.attributes:
        spec = specs.get(attr.key)
        if spec is None or spec.pytm is None or attr.value is None:
            continue
        target, _, name = spec.pytm.rpartition(".")
        (controls if target == "controls" else fields)[name] = pytm_value(spec, attr.value)
    return fields, controls


FlowFields = tuple[pytm.Dataflow, dict[str, Any], dict[str, Any]]  # a flow, its declared fields and controls
# pytm fields beside `controls.*` whose stated value protects (a VPN, a TLS version, LLM guardrails).
PROTECTIVE_FIELDS = frozenset({"usesVPN", "tlsVersion", "hasContentFiltering", "validatesToolLaunchConfig"})
Implied = Mapping[str, Sequence[tuple[str, Any, str]]]  # target id -> (attribute, value, the fact in words)


@dataclass(frozen=True, slots=True)
class Protection:
    """A pytm field set on an object because the model states something that protects it."""

    field: str  # `controls.validatesInput`, `usesVPN`
    value: Any
    baseline: Any  # pytm's default: the value had the model not stated it
    words: str  # the statement, in the model's words: "`validates_input: true` on process web"


@dataclass
class Compiled:
    """A model compiled to pytm: the TM, and every pytm target mapped back to its model node."""

    tm: pytm.TM
    nodes: dict[int, n.Element | n.Flow] = field(default_factory=dict)  # id(pytm object) -> node
    objects: dict[str, Any] = field(default_factory=dict)  # element id / flow id -> pytm object
    data: dict[str, Any] = field(default_factory=dict)  # data asset id -> pytm.Data
    parity: bool = False  # exactly pytm: its own conditions and check(), no stated protections
    protections: dict[int, list[Protection]] = field(default_factory=dict)  # id(pytm object) -> what protects it

    def node_of(self, obj: Any) -> n.Element | n.Flow:
        return self.nodes[id(obj)]


def build(model: n.Model, *, parity: bool = False, implied: Implied | None = None) -> Compiled:
    """Create the pytm objects for a model and run pytm's `check()` (never `process()`).

    By default tmdiag keeps what the model declares where pytm 1.4's `check()` overwrites it (a
    flow's protocol, port and encryption are copied from its sink; a stored datum's encryption at
    rest from the last flow's sink) and sets the attributes `implied` by facts the model states
    (tmdiag/model/facts.py). `parity=True` gives exactly what pytm 1.4 alone computes.
    """
    pytm.TM.reset()
    description = str(model.info.get("description") or "") if model.info else ""
    tm = pytm.TM(model.name, description=description or model.name)
    compiled = Compiled(tm, parity=parity)
    implied = {} if parity or implied is None else implied
    data: dict[str, pytm.Data] = {}
    for asset in model.data:
        data[asset.id] = pytm.Data(asset.title, **data_fields(asset, model))
    compiled.data = data
    boundaries: dict[str, pytm.Boundary] = {}
    for boundary in model.boundaries:  # parents come first: they are declared around children
        parent = boundaries.get(boundary.parent) if boundary.parent else None
        boundaries[boundary.id] = pytm.Boundary(boundary.title, inBoundary=parent)
    for element in model.elements:
        klass, fields, controls = element_fields(element, model)
        protections = _imply(element, implied.get(element.id, ()), fields, controls)
        obj = klass(element.title, inBoundary=boundaries.get(element.boundary or ""),
                    controls=pytm.Controls(**controls), **fields)  # fmt: skip
        compiled.nodes[id(obj)] = element
        compiled.objects[element.id] = obj
        if not parity:
            compiled.protections[id(obj)] = _protections(element, protections, klass)
    elements = dict(compiled.objects)
    requests: dict[int, pytm.Dataflow] = {}
    declared: list[FlowFields] = []
    for flow in model.flows:
        source, sink = elements.get(flow.source), elements.get(flow.sink)
        if source is None or sink is None:
            continue  # an undefined endpoint: reported by validation
        fields, controls = split_fields(flow)
        protections = _imply(flow, implied.get(flow.id, ()), fields, controls)
        carried = [data[ref] for ref in flow.ids("data") if ref in data]
        if flow.reply_to is not None and flow.reply_to in requests:
            fields["responseTo"] = requests[flow.reply_to]
        obj = pytm.Dataflow(source, sink, flow.title, controls=pytm.Controls(**controls), data=carried, **fields)
        requests[flow.number] = obj
        compiled.nodes[id(obj)] = flow
        compiled.objects[flow.id] = obj
        declared.append((obj, fields, controls))
        if not parity:
            compiled.protections[id(obj)] = _protections(flow, protections, pytm.Dataflow)
    tm.check()
    if not parity:
        _keep_declared(model, data, declared)
    compiled.protections = {key: found for key, found in compiled.protections.items() if found}
    return compiled


def _keep_declared(model: n.Model, data: Mapping[str, pytm.Data], declared: Sequence[FlowFields]) -> None:
    """Put back what `check()` overwrote with values the model did not state."""
    for obj, fields, controls in declared:
        for name, value in fields.items():
            if name in INHERITED_FLOW_FIELDS:
                obj._safeset(name, value)
        for name, value in controls.items():
            if f"controls.{name}" in INHERITED_FLOW_FIELDS:
                obj.controls._safeset(name, value)
    for asset in model.data:  # check() copies the last flow's sink encryption onto each stored datum
        data[asset.id]._safeset("isDestEncryptedAtRest", asset.get("encrypted_at_rest") is True)


def _imply(node: n.Node, implied: Sequence[tuple[str, Any, str]], fields: dict[str, Any],
           controls: dict[str, Any]) -> dict[str, tuple[Any, str]]:  # fmt: skip
    """Set the attributes facts imply (what the node declares itself wins); pytm field -> (value, the fact)."""
    specs = schema.BY_NAME[node.schema_kind]
    added: dict[str, tuple[Any, str]] = {}
    for key, value, words in implied:
        spec = specs.get(key)
        if spec is None or spec.pytm is None or node.has(key) or spec.pytm in added:
            continue
        owner, _, name = spec.pytm.rpartition(".")
        converted = pytm_value(spec, value)
        (controls if owner == "controls" else fields)[name] = converted
        added[spec.pytm] = (converted, words)
    return added


def _protections(node: n.Node, implied: Mapping[str, tuple[Any, str]], klass: Any) -> list[Protection]:
    """What protects the node, as stated (its own attributes) or implied by facts covering it."""
    found: list[Protection] = []
    specs = schema.BY_NAME[node.schema_kind]
    declared = {spec.pytm: (spec, attr) for attr in node.attributes if (spec := specs.get(attr.key)) and spec.pytm}
    for path in sorted(set(declared) | set(implied)):
        owner, _, name = path.rpartition(".")
        if owner != "controls" and name not in PROTECTIVE_FIELDS:
            continue
        baseline = (pytm.Controls if owner == "controls" else klass).model_fields[name].default
        if path in implied:
            value, words = implied[path]
        else:
            spec, attr = declared[path]
            value = pytm_value(spec, attr.value)
            words = f"`{attr.key}: {_written(attr.value)}` on {_subject(node)}"
        if value != baseline:
            found.append(Protection(path, value, baseline, words))
    return found


def _written(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _subject(node: n.Node) -> str:
    if isinstance(node, n.Flow):
        return f"flow {node.source} -> {node.sink}" + (f" ({node.id})" if node.named else "")
    return f"{node.kind} {node.id}"


def data_fields(asset: n.DataAsset, model: n.Model) -> dict[str, Any]:
    """The pytm.Data keyword arguments of a data asset."""
    fields, _ = split_fields(asset)
    if model.stored_in(asset.id):  # Model.stored_data: `stores:` and flows into or out of a datastore
        fields["isStored"] = True
    return fields


def element_fields(element: n.Element, model: n.Model) -> tuple[type[pytm.Element], dict[str, Any], dict[str, Any]]:
    """The pytm class of an element, its keyword arguments and its controls."""
    fields, controls = split_fields(element)
    if element.kind == "datastore":
        _derive_store_facts(element, fields, model)
    klass = pytm.SetOfProcesses if element.kind == "process" and element.get("multiple") else CLASSES[element.kind]
    return klass, fields, controls


def _derive_store_facts(element: n.Element, fields: dict[str, Any], model: n.Model) -> None:
    """The data it stores (Model.stored_data) implies storesPII / storesSensitiveData unless they are declared."""
    assets = model.stored_data(element.id)
    if not assets:
        return
    if not element.has("stores_pii"):
        fields["storesPII"] = any(a.get("pii") for a in assets)
    if not element.has("stores_sensitive_data"):
        ranks = schema.CLASSIFICATIONS
        fields["storesSensitiveData"] = any(
            ranks.index(str(a.get("classification"))) >= ranks.index("sensitive") for a in assets
        )


def threats_by_class(*, parity: bool = False) -> dict[type, list[pytm.Threat]]:
    """The loaded threats (pytm skips deprecated ones), grouped by the pytm class they can apply to;
    with tmdiag's reading of the conditions pytm gets wrong (errata.py) unless `parity`."""
    loaded = [t if parity else errata.corrected(t) for t in pytm.TM._threats]
    table: dict[type, list[pytm.Threat]] = {}
    for klass in (*CLASSES.values(), pytm.SetOfProcesses, pytm.Dataflow):
        table[klass] = [t for t in loaded if _targets(t, klass)]
    return table


def _targets(threat: pytm.Threat, klass: type) -> bool:
    for target in threat.target or (pytm.Element,):
        if isinstance(target, type) and issubclass(klass, target):
            return True
        if isinstance(target, str) and target == klass.__name__:
            return True
    return False


def enumerate_threats(compiled: Compiled) -> Iterator[tuple[pytm.Threat, Any, tuple[Protection, ...]]]:
    """(threat, pytm object, ()) for every threat whose condition holds, in pytm's order; after each
    object's, (threat, object, protections) for every threat that would hold without the
    protections stated for it, with those that close it.

    This is `TM.resolve()`'s loop (elements in creation order; out-of-scope ones skipped; each
    threat's condition evaluated as pytm's `Threat.apply` does, see `Conditions`) without building
    pytm `Finding` objects, which cost more than the conditions. Exclusions, overrides and
    responses are tmdiag's business.
    """
    table = threats_by_class(parity=compiled.parity)
    holds = Conditions().holds
    for obj in pytm.TM._elements:
        if id(obj) not in compiled.nodes or not obj.inScope:
            continue
        applicable = table.get(type(obj), ())
        fired = [threat for threat in applicable if holds(threat, obj)]
        for threat in fired:
            yield threat, obj, ()
        protections = compiled.protections.get(id(obj))
        if protections:
            for threat, closing in _closed(obj, applicable, fired, protections, holds):
                yield threat, obj, closing


class Conditions:
    """pytm's `Threat.apply` for threats already matched to the target's class (`threats_by_class`
    matches as `apply` does): the compiled condition evaluated with `target` bound, False when it
    fails. Prepared once instead of on every call: each threat's compiled condition (a pydantic
    private attribute) and one copy of pytm's evaluation globals (a condition is an expression:
    it reads them, it cannot change them)."""

    def __init__(self) -> None:
        self.globals = dict(pytm.Threat._build_eval_globals())
        self.codes: dict[int, Any] = {}

    def holds(self, threat: pytm.Threat, obj: Any) -> bool:
        key = id(threat)
        if key not in self.codes:
            self.codes[key] = threat._compiled_condition
        code = self.codes[key]
        if code is None:
            return False
        try:
            return bool(eval(code, self.globals, {"target": obj}))  # pytm's compiled, checked condition
        except Exception:
            return False


Holds = Callable[[pytm.Threat, Any], bool]  # Conditions.holds


def _closed(
    obj: Any,
    applicable: Sequence[pytm.Threat],
    fired: Sequence[pytm.Threat],
    protections: Sequence[Protection],
    holds: Holds,
) -> Iterator[tuple[pytm.Threat, tuple[Protection, ...]]]:
    """Threats that hold on `obj` with every protection taken away but do not hold as stated, each
    with the protections that close it on their own (else those its condition reads)."""
    held = {id(t) for t in fired}
    with _values(obj, [(p.field, p.baseline) for p in protections]):
        would = [t for t in applicable if id(t) not in held and holds(t, obj)]
    for threat in would:
        read = [p for p in protections if p.field.rpartition(".")[2] in threat.condition] or list(protections)
        alone = []
        for protection in read:
            with _values(obj, [(p.field, p.baseline) for p in protections if p is not protection]):
                if not holds(threat, obj):
                    alone.append(protection)
        yield threat, tuple(alone or read)


@contextlib.contextmanager
def _values(obj: Any, changes: Sequence[tuple[str, Any]]) -> Iterator[None]:
    """Set fields of a pytm object for a while (`controls.x` or `x`), then put back what was there."""
    before = []
    for path, value in changes:
        owner, _, name = path.rpartition(".")
        holder = obj.controls if owner == "controls" else obj
        before.append((holder, name, getattr(holder, name)))
        holder._safeset(name, value)
    try:
        yield
    finally:
        for holder, name, value in reversed(before):
            holder._safeset(name, value)
