"""The pytm adapter: the typed model as pytm 1.4 objects, and pytm's threats applied to them.

The one place that maps DSL attributes to pytm: every name comes from `schema.Attr.pytm`
(`isPII` on the object, `controls.isEncrypted` on its controls); only values are converted here.
pytm keeps its state on the `TM` class, so every compile starts with `TM.reset()`, before the
`TM` is created (a reset after it empties the threat library). pytm's element ids come from the
`random` module; tmdiag never uses them: each pytm object is mapped back to its model node.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytm

from tmdiag.model import nodes as n
from tmdiag.model import schema

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


@dataclass
class Compiled:
    """A model compiled to pytm: the TM, and every pytm target mapped back to its model node."""

    tm: pytm.TM
    nodes: dict[int, n.Element | n.Flow] = field(default_factory=dict)  # id(pytm object) -> node
    objects: dict[str, Any] = field(default_factory=dict)  # element id / flow id -> pytm object
    data: dict[str, Any] = field(default_factory=dict)  # data asset id -> pytm.Data

    def node_of(self, obj: Any) -> n.Element | n.Flow:
        return self.nodes[id(obj)]


def build(model: n.Model, *, keep_declared_flow_values: bool = True) -> Compiled:
    """Create the pytm objects for a model and run pytm's `check()` (never `process()`).

    `keep_declared_flow_values`: pytm 1.4 overwrites a flow's protocol, port and encryption with
    the sink's defaults in `check()` (pytm 1.3 only filled in what the flow left unset). tmdiag
    restores the declared values; pass False to see exactly what pytm 1.4 alone would compute.
    """
    pytm.TM.reset()
    description = str(model.info.get("description") or "") if model.info else ""
    tm = pytm.TM(model.name, description=description or model.name)
    compiled = Compiled(tm)
    stored = {ref for e in model.elements if e.kind == "datastore" for ref in e.ids("stores")}
    data: dict[str, pytm.Data] = {}
    for asset in model.data:
        fields, _ = split_fields(asset)
        if asset.id in stored:
            fields["isStored"] = True
        data[asset.id] = pytm.Data(asset.title, **fields)
    compiled.data = data
    boundaries: dict[str, pytm.Boundary] = {}
    for boundary in model.boundaries:  # parents come first: they are declared around children
        parent = boundaries.get(boundary.parent) if boundary.parent else None
        boundaries[boundary.id] = pytm.Boundary(boundary.title, inBoundary=parent)
    for element in model.elements:
        fields, controls = split_fields(element)
        if element.kind == "datastore":
            _derive_store_facts(element, fields, model)
        klass = pytm.SetOfProcesses if element.kind == "process" and element.get("multiple") else CLASSES[element.kind]
        obj = klass(element.title, inBoundary=boundaries.get(element.boundary or ""),
                    controls=pytm.Controls(**controls), **fields)  # fmt: skip
        compiled.nodes[id(obj)] = element
        compiled.objects[element.id] = obj
    elements = dict(compiled.objects)
    requests: dict[int, pytm.Dataflow] = {}
    declared: list[tuple[pytm.Dataflow, dict[str, Any], dict[str, Any]]] = []
    for flow in model.flows:
        source, sink = elements.get(flow.source), elements.get(flow.sink)
        if source is None or sink is None:
            continue  # an undefined endpoint: reported by validation
        fields, controls = split_fields(flow)
        carried = [data[ref] for ref in flow.ids("data") if ref in data]
        if flow.reply_to is not None and flow.reply_to in requests:
            fields["responseTo"] = requests[flow.reply_to]
        obj = pytm.Dataflow(source, sink, flow.title, controls=pytm.Controls(**controls), data=carried, **fields)
        requests[flow.number] = obj
        compiled.nodes[id(obj)] = flow
        compiled.objects[flow.id] = obj
        declared.append((obj, fields, controls))
    tm.check()
    if keep_declared_flow_values:
        for obj, fields, controls in declared:
            for name, value in fields.items():
                if name in INHERITED_FLOW_FIELDS:
                    obj._safeset(name, value)
            for name, value in controls.items():
                if f"controls.{name}" in INHERITED_FLOW_FIELDS:
                    obj.controls._safeset(name, value)
    return compiled


def _derive_store_facts(element: n.Element, fields: dict[str, Any], model: n.Model) -> None:
    """`stores: [...]` implies storesPII / storesSensitiveData unless they are declared."""
    assets = [a for a in (model.data_asset(r) for r in element.ids("stores")) if a is not None]
    if not assets:
        return
    if not element.has("stores_pii"):
        fields["storesPII"] = any(a.get("pii") for a in assets)
    if not element.has("stores_sensitive_data"):
        ranks = schema.CLASSIFICATIONS
        fields["storesSensitiveData"] = any(
            ranks.index(str(a.get("classification"))) >= ranks.index("sensitive") for a in assets
        )


def threats_by_class() -> dict[type, list[pytm.Threat]]:
    """The loaded threats (pytm skips deprecated ones), grouped by the pytm class they can apply to."""
    table: dict[type, list[pytm.Threat]] = {}
    for klass in (*CLASSES.values(), pytm.SetOfProcesses, pytm.Dataflow):
        table[klass] = [t for t in pytm.TM._threats if _targets(t, klass)]
    return table


def _targets(threat: pytm.Threat, klass: type) -> bool:
    for target in threat.target or (pytm.Element,):
        if isinstance(target, type) and issubclass(klass, target):
            return True
        if isinstance(target, str) and target == klass.__name__:
            return True
    return False


def enumerate_threats(compiled: Compiled) -> Iterator[tuple[pytm.Threat, Any]]:
    """(threat, pytm object) for every threat whose condition holds, in pytm's order.

    This is `TM.resolve()`'s loop (elements in creation order; out-of-scope ones skipped; each
    threat applied with pytm's own `Threat.apply`) without building pytm `Finding` objects, which
    cost more than the conditions. Exclusions, overrides and responses are tmdiag's business.
    """
    table = threats_by_class()
    for obj in pytm.TM._elements:
        if id(obj) not in compiled.nodes or not obj.inScope:
            continue
        for threat in table.get(type(obj), ()):
            if threat.apply(obj):
                yield threat, obj
