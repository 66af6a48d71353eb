"""TM3xx: data protection — classification, encryption at rest, credentials."""

from __future__ import annotations

from collections.abc import Iterator

from tmdiag.lint.facts import (
    attribute_span,
    classification,
    data_of,
    describe_flow,
    flag,
    is_sensitive,
    local,
    rank,
    where,
)
from tmdiag.lint.registry import rule
from tmdiag.lint.rule import Context, Hit
from tmdiag.model import schema
from tmdiag.model.nodes import Model


@rule(
    "TM301",
    "sensitive-data-unencrypted-at-rest",
    severity="error",
    risk=("medium", "high"),
    summary="A datastore keeps sensitive or personal data without encryption at rest.",
    rationale="Disks, snapshots and backups leave the datastore's access control behind; encryption at "
    "rest keeps a stolen copy useless (and is required by PCI DSS and expected under GDPR).",
    fix="Set `encrypted_at_rest: true` on the datastore once it is (KMS, TDE, SSE), or on the data asset if "
    "the application encrypts it.",
    example='data card "Card number" { classification: secret, pii: true }\n'
    'datastore db "Orders DB" { stores: [card] }',
)
def sensitive_unencrypted_at_rest(model: Model, ctx: Context) -> Iterator[Hit]:
    for store in model.elements:
        if store.kind != "datastore" or model.flag(store, "encrypted_at_rest"):
            continue
        exposed = [d.id for d in model.stored_data(store.id) if is_sensitive(d) and not flag(d, "encrypted_at_rest")]
        if flag(store, "stores_pii") or flag(store, "stores_sensitive_data"):
            exposed = exposed or ["sensitive data"]
        if exposed:
            yield Hit(
                store.id_span,
                f"datastore `{store.id}` keeps {', '.join(f'`{d}`' for d in exposed)} unencrypted at rest",
                hint="set `encrypted_at_rest: true` once storage is encrypted",
            )


@rule(
    "TM302",
    "credentials-without-lifetime",
    severity="warning",
    risk=("medium", "medium"),
    summary="A credential data asset does not say how long it lives (`lifetime`).",
    rationale="How long a stolen credential stays useful decides the damage; a credential of unknown "
    "lifetime is usually a long-lived one nobody rotates.",
    fix="Set `lifetime:` to short, long, auto, manual or hardcoded — and prefer short.",
    example='data key "Deploy key" { classification: secret, credentials: true }',
)
def credentials_without_lifetime(model: Model, ctx: Context) -> Iterator[Hit]:
    for data in model.data:
        if flag(data, "credentials") and str(data.get("lifetime")) in ("none", "unknown"):
            yield Hit(
                attribute_span(data, "lifetime") if data.has("lifetime") else data.id_span,
                f"credential `{data.id}` has no known `lifetime`",
            )


@rule(
    "TM303",
    "hardcoded-credentials",
    severity="error",
    risk=("high", "very_high"),
    summary="A credential is hard-coded.",
    rationale="Hard-coded credentials end up in repositories, images and logs and cannot be rotated without a release.",
    fix="Move the credential to a secrets manager and issue it at run time; then set its real `lifetime`.",
    example='data key "DB password" { classification: secret, credentials: true, lifetime: hardcoded }',
)
def hardcoded_credentials(model: Model, ctx: Context) -> Iterator[Hit]:
    for data in model.data:
        if str(data.get("lifetime")) == "hardcoded":
            yield Hit(attribute_span(data, "lifetime"), f"credential `{data.id}` is hard-coded")


@rule(
    "TM304",
    "data-never-used",
    severity="warning",
    summary="A data asset is carried by no flow and kept in no datastore.",
    rationale="Data that goes nowhere contributes no threats; either the flows that carry it are missing "
    "or the asset is left over.",
    fix="Add it to the `data:` of the flows that carry it or the `stores:` of datastores that keep it, or "
    "remove it. Data from imported files is not reported.",
    example='data order "Order" { classification: restricted }\ndata invoice "Invoice" { classification: restricted }\n'
    'process api "API"\ndatastore db "DB" { stores: [order] }\napi -> db "Save" { data: [order] }',
)
def data_never_used(model: Model, ctx: Context) -> Iterator[Hit]:
    used: set[str] = set()
    for flow in model.flows:
        used.update(d.id for d in data_of(model, flow))
    for element in model.elements:
        if element.kind == "datastore":
            used.update(d.id for d in data_of(model, element, "stores"))
    for data in model.data:
        if data.id not in used and local(model, data):
            yield Hit(data.id_span, f"data `{data.id}` is never carried or stored")


@rule(
    "TM305",
    "unclassified-data",
    severity="warning",
    risk=("low", "medium"),
    summary="A data asset has no `classification`.",
    rationale="Classification drives which protections the data needs; unclassified data gets none of "
    "the data protection checks.",
    fix="Set `classification:` to public, restricted, sensitive, secret or top_secret.",
    example='data order "Order" { pii: true }',
)
def unclassified_data(model: Model, ctx: Context) -> Iterator[Hit]:
    for data in model.data:
        if str(data.get("classification")) == "unknown" and local(model, data):
            yield Hit(data.id_span, f"data `{data.id}` has no `classification`")


@rule(
    "TM306",
    "data-above-clearance",
    severity="error",
    risk=("medium", "high"),
    summary="A flow brings data to an element cleared for a lower classification (`max_classification`).",
    rationale="`max_classification` records what an element may handle (its hardening, contracts, "
    "location); sending it more sensitive data breaks that promise.",
    fix="Stop sending the data, or raise the element's `max_classification` once it is cleared.",
    example='data card "Card number" { classification: secret }\nprocess api "API"\n'
    'external crm "CRM" { max_classification: restricted }\napi -> crm "Sync" { data: [card], encrypted: true }',
)
def data_above_clearance(model: Model, ctx: Context) -> Iterator[Hit]:
    for flow in model.flows:
        sink = model.element(flow.sink)
        if sink is None or not sink.has("max_classification"):
            continue
        limit = rank(schema.CLASSIFICATIONS, sink.get("max_classification"))
        above = [d.id for d in data_of(model, flow) if classification(d) > limit >= 0]
        if above:
            yield Hit(
                where(flow),
                f"{describe_flow(model, flow)} brings {', '.join(f'`{a}`' for a in above)} to "
                f"`{sink.id}`, cleared only up to {sink.get('max_classification')}",
                related=(("clearance set here", attribute_span(sink, "max_classification")),),
            )
