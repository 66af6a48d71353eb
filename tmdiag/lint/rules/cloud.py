"""TM4xx: the cloud control plane — ingress, public exposure, audit logging, MFA."""

from __future__ import annotations

from collections.abc import Iterator

from tmdiag.diagnostics import Span
from tmdiag.lint.facts import attribute_span, flag, items, where
from tmdiag.lint.registry import rule
from tmdiag.lint.rule import Context, Hit
from tmdiag.model import schema
from tmdiag.model.nodes import Boundary, Element, Model, Node

# Administrative and database ports that must never be open to the whole internet.
ADMIN_PORTS = {
    22: "SSH",
    23: "Telnet",
    3389: "RDP",
    5900: "VNC",
    5985: "WinRM",
    5986: "WinRM",
    2375: "Docker API",
    2376: "Docker API",
    6443: "Kubernetes API",
    10250: "kubelet",
    2379: "etcd",
    3306: "MySQL",
    5432: "PostgreSQL",
    1433: "SQL Server",
    1521: "Oracle",
    6379: "Redis",
    27017: "MongoDB",
    9200: "Elasticsearch",
    9300: "Elasticsearch",
    5601: "Kibana",
    9042: "Cassandra",
    5984: "CouchDB",
    11211: "Memcached",
    8086: "InfluxDB",
    7000: "Cassandra",
    2181: "ZooKeeper",
}
WEB_PORTS = (80, 443)
CLOUD_BOUNDARY_KINDS = ("account", "project", "subscription")


def world_ingress(element: Element) -> Iterator[tuple[str, Span, int, int]]:
    """Ingress rules open to 0.0.0.0/0 or ::/0: (rule, span, first port, last port)."""
    attr = element.attribute("ingress")
    if attr is None:
        return
    spans = attr.item_spans or (attr.value_span,) * len(items(attr.value))
    for text, span in zip(items(attr.value), spans, strict=False):
        parsed = schema.parse_ingress(text) if isinstance(text, str) else None
        if isinstance(parsed, schema.Ingress) and parsed.from_anywhere:
            yield str(text), span, parsed.first_port, parsed.last_port


def is_cloud_boundary(boundary: Boundary) -> bool:
    return boundary.has("cloud") or str(boundary.get("kind")) in CLOUD_BOUNDARY_KINDS


def outermost_cloud_boundaries(model: Model) -> Iterator[Boundary]:
    for boundary in model.boundaries:
        if is_cloud_boundary(boundary) and not any(is_cloud_boundary(b) for b in model.boundary_chain(boundary.parent)):
            yield boundary


def _in_chain(model: Model, boundary_id: str | None, key: str, value: object) -> bool:
    return any(b.get(key) == value for b in model.boundary_chain(boundary_id))


@rule(
    "TM401",
    "admin-port-open-to-internet",
    severity="error",
    risk=("very_high", "very_high"),
    summary="Ingress is open to 0.0.0.0/0 or ::/0 on an administrative or database port.",
    rationale="Internet-wide scanners find open SSH, RDP and database ports within minutes; brute force, "
    "default credentials and unpatched services follow (CIS AWS Foundations 5.2/5.3). Ports checked: "
    + ", ".join(f"{port} {name}" for port, name in sorted(ADMIN_PORTS.items()))
    + ".",
    fix="Restrict the source to a bastion, VPN or office range, or reach the service through a managed "
    'access path (SSM Session Manager, IAP): `ingress: ["10.0.0.0/16:22"]`.',
    example='process bastion "Bastion host" { ingress: ["0.0.0.0/0:22"] }',
)
def admin_port_open(model: Model, ctx: Context) -> Iterator[Hit]:
    for element in model.elements:
        for text, span, low, high in world_ingress(element):
            exposed = sorted({name for port, name in ADMIN_PORTS.items() if low <= port <= high})
            if exposed:
                yield Hit(span, f'`{element.id}` accepts "{text}": {", ".join(exposed)} open to the whole internet')


@rule(
    "TM402",
    "public-datastore-with-private-data",
    severity="error",
    risk=("high", "very_high"),
    summary="A public datastore (or bucket) keeps data classified above public.",
    # public: `public: true`, inside a `public: true` boundary, or ingress from 0.0.0.0/0 or ::/0
    rationale="Public buckets and databases are the most common cloud data breach: anything above "
    "`public` in them is one URL away from anyone.",
    fix="Block public access (`public: false`, S3 Block Public Access) and serve the data through an "
    "authenticated service or signed URLs; or classify the data `public` if it really is.",
    example='data invoice "Invoice" { classification: restricted }\n'
    'datastore bucket "Invoices bucket" { kind: s3, public: true, stores: [invoice] }',
)
def public_datastore(model: Model, ctx: Context) -> Iterator[Hit]:
    for store in model.elements:
        if store.kind != "datastore":
            continue
        exposed_by = next((b for b in model.boundary_chain(store.boundary) if flag(b, "public")), None)
        if not (flag(store, "public") or exposed_by or any(True for _ in world_ingress(store))):
            continue
        private = [d for d in model.stored_data(store.id) if str(d.get("classification")) != "public"]
        if private:
            names = ", ".join(f"`{d.id}` ({d.get('classification')})" for d in private)
            inside = f" (inside public boundary `{exposed_by.id}`)" if exposed_by and not flag(store, "public") else ""
            yield Hit(
                attribute_span(store, "public") if store.has("public") else store.id_span,
                f"public datastore `{store.id}`{inside} keeps {names}",
            )


@rule(
    "TM403",
    "audit-logging-off",
    severity="warning",
    risk=("medium", "high"),
    summary="A cloud account, project or subscription boundary has no audit logging (`audit_log`).",
    rationale="Without control-plane audit logs (CloudTrail, Cloud Audit Logs, Activity Log) an attacker "
    "who gets in goes unseen, and nobody can tell afterwards what they touched.",
    fix="Turn on audit logging for the whole account or organization and set `audit_log: true`.",
    example='boundary prod "AWS account prod" {\n  trust: high\n  cloud: aws\n  mfa: required\n  process api "API"\n}',
)
def audit_logging_off(model: Model, ctx: Context) -> Iterator[Hit]:
    for boundary in outermost_cloud_boundaries(model):
        chain = model.boundary_chain(boundary.id)
        if not any(flag(b, "audit_log") or "audit_log" in model.facts.kinds_on.get(b.id, ()) for b in chain):
            yield Hit(
                attribute_span(boundary, "audit_log") if boundary.has("audit_log") else boundary.id_span,
                f"cloud boundary `{boundary.id}` has audit logging off",
            )


def _mfa_enforced(model: Model, *nodes: Node) -> bool:
    for node in nodes:
        if model.flag(node, "uses_mfa"):
            return True
        if isinstance(node, Element) and _in_chain(model, node.boundary, "mfa", "required"):
            return True
    return False


@rule(
    "TM404",
    "admin-access-without-mfa",
    severity="error",
    risk=("high", "very_high"),
    summary="Administrative access is possible without multi-factor authentication.",
    rationale="Phished or reused passwords are the commonest way into consoles and admin interfaces; "
    "MFA stops most of them.",
    fix="Require MFA for the admin path (`uses_mfa: true`) or for the whole boundary (`mfa: required`).",
    example='boundary prod "Production" {\n  trust: high\n  process console "Admin console" { admin: true }\n}',
)
def admin_without_mfa(model: Model, ctx: Context) -> Iterator[Hit]:
    for element in model.elements:
        if element.kind != "actor" and flag(element, "admin") and not _mfa_enforced(model, element):
            yield Hit(attribute_span(element, "admin"), f"`{element.id}` offers admin access without MFA")
    for flow in model.flows:
        source, sink = model.element(flow.source), model.element(flow.sink)
        if flow.is_reply or sink is None:
            continue
        admin = flag(flow, "admin") or (source is not None and source.kind == "actor" and flag(source, "admin"))
        if admin and not _mfa_enforced(model, flow, sink, *((source,) if source else ())):
            yield Hit(where(flow), f"admin access from `{flow.source}` to `{flow.sink}` without MFA")


@rule(
    "TM405",
    "mfa-not-required",
    severity="warning",
    risk=("medium", "high"),
    summary="A cloud account, project or subscription boundary does not require MFA (`mfa: required`).",
    rationale="Account-wide MFA is the baseline control for human access to a cloud control plane "
    "(CIS benchmarks 1.x); optional MFA is usually missing where it matters.",
    fix="Enforce MFA for every human identity (SCP / organization policy / conditional access) and set "
    "`mfa: required`.",
    example='boundary prod "AWS account prod" {\n  trust: high\n  cloud: aws\n  audit_log: true\n'
    '  process api "API"\n}',
)
def mfa_not_required(model: Model, ctx: Context) -> Iterator[Hit]:
    for boundary in outermost_cloud_boundaries(model):
        controlled = any("mfa" in model.facts.kinds_on.get(b.id, ()) for b in model.boundary_chain(boundary.id))
        if not (_in_chain(model, boundary.id, "mfa", "required") or controlled):
            setting = boundary.get("mfa")
            yield Hit(
                attribute_span(boundary, "mfa") if boundary.has("mfa") else boundary.id_span,
                f"cloud boundary `{boundary.id}` does not require MFA" + (f" (mfa: {setting})" if setting else ""),
            )


@rule(
    "TM406",
    "ingress-open-to-internet",
    severity="warning",
    risk=("high", "medium"),
    summary="Ingress is open to 0.0.0.0/0 or ::/0 on a port other than 80 or 443.",
    rationale="Services other than the public web front are rarely meant for the whole internet; each "
    "open port is attack surface that scanners find at once.",
    fix="Restrict the source range, or put the service behind a load balancer on 443.",
    example='process api "API" { ingress: ["0.0.0.0/0:8080"] }',
)
def ingress_open_to_internet(model: Model, ctx: Context) -> Iterator[Hit]:
    for element in model.elements:
        for text, span, low, high in world_ingress(element):
            non_web = high > low or low not in WEB_PORTS
            if non_web and not any(low <= p <= high for p in ADMIN_PORTS):
                yield Hit(span, f'`{element.id}` accepts "{text}" from the whole internet')
