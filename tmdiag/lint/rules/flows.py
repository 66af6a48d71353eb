"""TM2xx: trust boundaries and data flows."""

from __future__ import annotations

from collections.abc import Iterator

from tmdiag.lint.facts import (
    attribute_span,
    authenticated,
    data_of,
    describe_flow,
    encrypted,
    flag,
    index,
    is_secret,
    kind_word,
    local,
    tls_version,
    trust_rank,
    where,
)
from tmdiag.lint.registry import rule
from tmdiag.lint.rule import Context, Hit
from tmdiag.model import schema
from tmdiag.model.nodes import Model

_UNTRUSTED = schema.TRUST_LEVELS.index("untrusted")
_MIN_TLS = schema.TLS_VERSIONS.index("1.2")

_TWO_ZONES = """\
boundary internet "Internet" {
  trust: untrusted
  actor customer "Customer"
}
boundary prod "Production" {
  trust: high
  process api "API"
}
"""


@rule(
    "TM201",
    "unauthenticated-into-trusted",
    severity="error",
    risk=("high", "high"),
    summary="A flow crosses into a more trusted boundary without authentication.",
    rationale="Every step up in trust must be earned: an unauthenticated request from a less trusted zone "
    "lets anyone there act with the trust of the zone it enters (spoofing, elevation of privilege).",
    fix="Authenticate the caller (`authenticated: true`, e.g. OIDC, mTLS, signed requests), or model why "
    "the sink needs no trust.",
    example=_TWO_ZONES + 'customer -> api "Order" { protocol: https, encrypted: true }',
)
def unauthenticated_into_trusted(model: Model, ctx: Context) -> Iterator[Hit]:
    for flow in model.flows:
        if flow.is_reply or authenticated(flow):
            continue
        source, sink = trust_rank(model, flow.source), trust_rank(model, flow.sink)
        if source is not None and sink is not None and sink > source:
            yield Hit(
                where(flow),
                f"{describe_flow(model, flow)} enters a more trusted boundary "
                f"({model.trust_of(flow.source)} → {model.trust_of(flow.sink)}) unauthenticated",
                hint="add `authenticated: true` once the caller is authenticated",
            )


@rule(
    "TM202",
    "unencrypted-boundary-crossing",
    severity="error",
    risk=("high", "high"),
    summary="A flow crosses a trust boundary unencrypted.",
    rationale="Whatever crosses a boundary travels over networks the sender does not control; unencrypted "
    "it can be read and altered on the way (information disclosure, tampering).",
    fix="Encrypt the flow (`encrypted: true`, `tls: 1.3`). A reply is encrypted when its request is.",
    example=_TWO_ZONES + 'customer -> api "Order" { protocol: http, authenticated: true }',
)
def unencrypted_boundary_crossing(model: Model, ctx: Context) -> Iterator[Hit]:
    for flow in model.flows:
        if model.crosses_boundary(flow) and not encrypted(model, flow):
            exits, enters = model.crossed_boundaries(flow)
            names = ", ".join(f"`{b.id}`" for b in (*exits, *enters))
            yield Hit(where(flow), f"{describe_flow(model, flow)} crosses {names} unencrypted")


@rule(
    "TM203",
    "secret-data-unencrypted",
    severity="error",
    risk=("high", "very_high"),
    summary="A flow carries secret data or credentials unencrypted, even inside one boundary.",
    rationale="Credentials and secrets read off an internal network are the usual path from one foothold "
    "to the whole system; an internal link is not a safe channel.",
    fix="Encrypt the flow (`encrypted: true` or `tls: 1.2` or later); if the platform encrypts it (a "
    "service mesh with mTLS), suppress with the reason.",
    example='data token "API token" { classification: secret, credentials: true, lifetime: short }\n'
    'boundary vpc "VPC" {\n  trust: high\n  process api "API"\n  process worker "Worker"\n}\n'
    'api -> worker "Job" { protocol: http, data: [token], authenticated: true }',
)
def secret_data_unencrypted(model: Model, ctx: Context) -> Iterator[Hit]:
    for flow in model.flows:
        secrets = [d.id for d in data_of(model, flow) if is_secret(d)]
        if secrets and not encrypted(model, flow):
            yield Hit(
                where(flow), f"{describe_flow(model, flow)} carries {', '.join(f'`{s}`' for s in secrets)} unencrypted"
            )


@rule(
    "TM204",
    "weak-tls",
    severity="error",
    risk=("medium", "high"),
    summary="A flow or element uses TLS below 1.2 (or SSL).",
    rationale="SSL 3, TLS 1.0 and 1.1 have practical attacks (POODLE, BEAST) and are deprecated (RFC 8996).",
    fix="Require TLS 1.2 or later: `tls: 1.3` on flows, `min_tls: 1.2` on elements.",
    example='process api "API"\nprocess worker "Worker"\napi -> worker "Job" { protocol: https, tls: 1.0 }',
)
def weak_tls(model: Model, ctx: Context) -> Iterator[Hit]:
    for node, key in [*((f, "tls") for f in model.flows), *((e, "min_tls") for e in model.elements)]:
        attr = node.attribute(key)
        if attr is None:
            continue
        version = tls_version(attr.value)
        if version != "none" and schema.TLS_VERSIONS.index(version) < _MIN_TLS:
            yield Hit(
                attr.span,
                f"`{key}: {attr.value}` allows {'SSL 3' if version == 'ssl3' else 'TLS ' + version}; "
                "require TLS 1.2 or later",
            )


@rule(
    "TM205",
    "datastore-reachable-from-untrusted",
    severity="error",
    risk=("high", "high"),
    summary="A datastore is reached directly from an untrusted boundary.",
    rationale="A datastore reached straight from an untrusted zone exposes its query interface, "
    "credentials and every record to whoever sits there; a service in between can authorize and validate.",
    fix="Put a service in front of the datastore and let only that service reach it.",
    example=_TWO_ZONES.replace('process api "API"', 'datastore db "Orders DB"')
    + 'customer -> db "Query" { protocol: postgres, encrypted: true, authenticated: true }',
)
def datastore_reachable_from_untrusted(model: Model, ctx: Context) -> Iterator[Hit]:
    for flow in model.flows:
        sink = model.element(flow.sink)
        if flow.is_reply or sink is None or sink.kind != "datastore":
            continue
        if trust_rank(model, flow.source) == _UNTRUSTED:
            yield Hit(where(flow), f"datastore `{sink.id}` is reached directly from untrusted `{flow.source}`")


@rule(
    "TM206",
    "self-flow",
    severity="warning",
    summary="A flow goes from an element to itself.",
    rationale="A flow from an element to itself crosses nothing and says nothing a reviewer can check; "
    "it usually hides two components that should be modelled apart.",
    fix="Split the element into the parts that talk to each other, or remove the flow.",
    example='process api "API"\napi -> api "Retry"',
)
def self_flow(model: Model, ctx: Context) -> Iterator[Hit]:
    for flow in model.flows:
        if flow.source == flow.sink and not flow.is_reply:
            yield Hit(where(flow), f"{describe_flow(model, flow)} goes from `{flow.source}` to itself")


@rule(
    "TM207",
    "duplicate-flow",
    severity="warning",
    summary="Two flows have the same source, sink and label.",
    rationale="Duplicates double-count threats and drift apart when only one copy is edited.",
    fix="Merge the flows, or give each a label that says how they differ.",
    example='process api "API"\nprocess worker "Worker"\napi -> worker "Job"\napi -> worker "Job"',
)
def duplicate_flow(model: Model, ctx: Context) -> Iterator[Hit]:
    seen: dict[tuple[str, str, str, bool], str] = {}
    for flow in model.flows:
        key = (flow.source, flow.sink, (flow.label or "").casefold(), flow.is_reply)
        first = seen.setdefault(key, flow.id)
        if first != flow.id:
            original = model.flow(first)
            related = (("first declared here", where(original)),) if original else ()
            yield Hit(where(flow), f"{describe_flow(model, flow)} duplicates `{first}`", related=related)


@rule(
    "TM208",
    "element-without-flows",
    severity="warning",
    summary="An element takes part in no flow.",
    rationale="An element nothing talks to cannot be analysed for threats; usually a flow is missing, "
    "sometimes the element is left over.",
    fix="Add the flows it takes part in, or remove it. Elements from imported files are not reported.",
    example='process api "API"\nprocess worker "Worker"\nprocess legacy "Legacy batch"\napi -> worker "Job"',
)
def element_without_flows(model: Model, ctx: Context) -> Iterator[Hit]:
    used = index(model).endpoints
    for element in model.elements:
        if element.id not in used and local(model, element) and flag(element, "in_scope"):
            yield Hit(element.id_span, f"{kind_word(element)} `{element.id}` has no flows")


@rule(
    "TM209",
    "element-outside-boundaries",
    severity="info",
    summary="An element is declared outside every trust boundary.",
    rationale="Trust boundaries are where threats concentrate; an element outside all of them has no "
    "trust level, so boundary rules cannot judge its flows.",
    fix="Declare the element inside the boundary it runs in.",
    example='actor customer "Customer"\nboundary prod "Production" {\n  trust: high\n  process api "API"\n}\n'
    'customer -> api "Order" { encrypted: true, authenticated: true }',
)
def element_outside_boundaries(model: Model, ctx: Context) -> Iterator[Hit]:
    if not model.boundaries:
        return
    for element in model.elements:
        if element.boundary is None and local(model, element):
            yield Hit(element.id_span, f"{kind_word(element)} `{element.id}` is outside every boundary")


@rule(
    "TM210",
    "trust-unstated",
    severity="warning",
    summary="An outermost boundary states no `trust:`.",
    rationale="Trust drives the boundary rules and how threats are ranked. A nested boundary without "
    "`trust:` has its parent's; an outermost one without it silently gets `medium`, and so does "
    "everything inside it that states none.",
    fix="State the trust of every outermost boundary: `trust: untrusted`, `low`, `medium`, `high` or `full`.",
    example='boundary prod "Production" {\n  process api "API"\n  boundary private "Private subnet" {\n'
    '    datastore db "DB"\n  }\n}',
)
def trust_unstated(model: Model, ctx: Context) -> Iterator[Hit]:
    for boundary in model.boundaries:
        if boundary.parent is None and not boundary.states_trust and local(model, boundary):
            inherits = [b.id for b in model.boundaries if b.id != boundary.id and not b.states_trust
                        and model.trust_source(b.id) is None and boundary in model.boundary_chain(b.id)]  # fmt: skip
            inside = ", and so " + ("are " if len(inherits) > 1 else "is ") + ", ".join(f"`{b}`" for b in inherits)
            yield Hit(
                boundary.id_span,
                f"boundary `{boundary.id}` states no `trust:`: it is `medium` by default"
                + (inside if inherits else ""),
            )


@rule(
    "TM211",
    "encrypted-contradicts-tls",
    severity="warning",
    summary="A flow says `encrypted: false` and names a TLS version.",
    rationale="A TLS version in use is encryption in transit, so the flow says two opposite things. tmdiag "
    "takes `encrypted: false` at its word (the flow is unencrypted for the lint rules and the threats "
    "alike), which may hide that the link is in fact encrypted, or the TLS version may be wrong.",
    fix="Say one thing: `encrypted: true` with its `tls:` version, or drop `tls:` (or set `tls: none`) if the "
    "link is in clear.",
    example='process a "A"\nprocess b "B"\na -> b "Sync" { protocol: https, tls: 1.2, encrypted: false }',
)
def encrypted_contradicts_tls(model: Model, ctx: Context) -> Iterator[Hit]:
    for flow in model.flows:
        if flow.has("encrypted") and flow.get("encrypted") is False and tls_version(flow.get("tls")) != "none":
            yield Hit(
                attribute_span(flow, "encrypted"),
                f"{describe_flow(model, flow)} says `encrypted: false` but `tls: {tls_version(flow.get('tls'))}`; "
                "taken as unencrypted",
            )
