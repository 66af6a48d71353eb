"""TM7xx: infrastructure drift — the model's claims against the resources its `iac` links name.

These rules run only with infrastructure to compare (`tmdiag drift`, `tmdiag check --against`).
Each finding sits on the claim in the `.tm` file and points at the resource (the `.tf` line, the
address in a plan, or the cloud resource) as a related location.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass

from tmdiag.diagnostics import Span, closest
from tmdiag.iac import mapping
from tmdiag.iac.facts import Fact, Facts, IngressRule
from tmdiag.iac.resources import Infrastructure, Resource, base_address
from tmdiag.lint.facts import attribute_span, flag, items, model_anchor
from tmdiag.lint.registry import rule
from tmdiag.lint.rule import Context, Hit
from tmdiag.model import schema
from tmdiag.model.nodes import Boundary, Element, Model, Node

_TF = """\
resource "aws_security_group" "bastion" {
  name = "bastion"
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.bastion.id
}

resource "aws_instance" "bastion" {
  ami                         = "ami-0c1bc246476a5572b"
  instance_type               = "t3.micro"
  vpc_security_group_ids      = [aws_security_group.bastion.id]
  associate_public_ip_address = true
}

resource "aws_db_instance" "orders" {
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  storage_encrypted = false
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "trail-logs"
  enable_logging = false
}

resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length = 14
}

resource "aws_lb" "web" {
  internal = false
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-2016-08"
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/app/1"
  }
}

resource "aws_lb" "admin" {
  internal = false
}

resource "aws_db_instance" "reports" {
  storage_encrypted = var.encrypt_reports
}

variable "encrypt_reports" {
  type = bool
}
"""


@dataclass(frozen=True)
class Link:
    node: Node
    address: str
    span: Span
    resources: tuple[Resource, ...]


class _Drift:
    """What every TM7xx rule reads, built once per (model, infrastructure)."""

    def __init__(self, model: Model, infra: Infrastructure):
        self.model = model
        self.infra = infra
        self.facts = Facts(infra)
        self.links: list[Link] = []
        self.by_node: dict[int, list[Link]] = {}
        for node in (*model.boundaries, *model.elements):
            attr = node.attribute("iac")
            if attr is None:
                continue
            values = items(attr.value)
            spans = attr.item_spans or (attr.value_span,) * len(values)
            for address, span in zip(values, spans, strict=False):
                if isinstance(address, str) and schema.ADDRESS.fullmatch(address):
                    link = Link(node, address, span, tuple(infra.find(address)))
                    self.links.append(link)
                    self.by_node.setdefault(id(node), []).append(link)

    def linked(self, node: Node) -> list[Resource]:
        """The resources a node links, with the resources they own (parts) being read through them."""
        out: dict[str, Resource] = {}
        for link in self.by_node.get(id(node), ()):
            for resource in link.resources:
                out.setdefault(resource.address, resource)
        return list(out.values())

    def covered(self) -> set[str]:
        """Addresses (instances and bases) the model links, and the primaries of linked parts."""
        seen: set[str] = set()
        for link in self.links:
            for resource in link.resources:
                seen.update((resource.address, resource.base))
                row = mapping.row(resource.type)
                if row is not None and row.role == "part":
                    seen.update(self.facts.references(resource, row.part_of))
        return seen


_last: tuple[Model, Infrastructure, _Drift] | None = None


def drift(model: Model, ctx: Context) -> _Drift | None:
    global _last
    infra = ctx.infrastructure
    if infra is None:
        return None
    if _last is None or _last[0] is not model or _last[1] is not infra:
        _last = (model, infra, _Drift(model, infra))
    return _last[2]


def _where(resource: Resource, what: str = "") -> tuple[str, Span]:
    place = "defined here" if resource.where.in_file else "in the cloud"
    return (f"`{resource.address}`{' ' + what if what else ''} {place}", resource.where)


def _evidence(fact: Fact | IngressRule, what: str) -> tuple[tuple[str, Span], ...]:
    resource = fact.resource
    if resource.where.in_file:
        return ((f"`{resource.address}` {what}", fact.span),)
    return ((f"`{resource.address}` {what}", resource.where),)


@dataclass(frozen=True)
class Unknown:
    """A claim that cannot be checked: the fact is known only after apply (reported by TM709)."""

    hit: Hit


Found = Iterator[Hit | Unknown]


def _unknown(node: Node, claim: str, fact: Fact | IngressRule, what: str) -> Unknown:
    return Unknown(
        Hit(
            attribute_span(node, claim),
            f"`{node.id}` claims `{claim}`, but {what} of `{fact.resource.address}` is known only after apply",
            "check again after apply, or against the state or the live account (`tmdiag drift --aws`)",
            _evidence(fact, "is not known yet"),
        )
    )


def _known(found: Found) -> Iterator[Hit]:
    return (hit for hit in found if isinstance(hit, Hit))


@rule(
    "TM701",
    "iac-link-unknown",
    severity="error",
    summary="An `iac` link names a resource the infrastructure does not have (removed, renamed, or a typo).",
    rationale="A link to nothing checks nothing: the element's claims are no longer compared with anything, and "
    "the resource it stood for may have been replaced by one the model does not describe.",
    fix="Link the resource's current address (`terraform state list` shows them) or remove the link.",
    example='process web "Web" { iac: ["aws_lb.wbe"] }',
    example_iac=_TF,
)
def link_unknown(model: Model, ctx: Context) -> Iterator[Hit]:
    found = drift(model, ctx)
    if found is None or found.infra.problems:  # links into a file that did not parse are not unknown
        return
    pool: list[str] | None = None
    for link in found.links:
        if link.resources:
            continue
        pool = pool if pool is not None else sorted({*found.infra.bases(), *(r.address for r in found.infra.resources)})
        match = closest(link.address, pool) or closest(base_address(link.address), pool)
        yield Hit(
            link.span,
            f"`{link.node.id}` links `{link.address}`, which is not in `{found.infra.source}`",
            f"did you mean `{match}`?" if match else "remove the link, or link the resource that replaced it",
        )


def _covers(claims: list[schema.Ingress], real: IngressRule) -> bool:
    try:
        network = ipaddress.ip_network(real.source, strict=False)
    except ValueError:
        return False
    return any(
        c.network.version == network.version
        and network.subnet_of(c.network)  # type: ignore[arg-type]
        and c.first_port <= real.first_port
        and real.last_port <= c.last_port
        for c in claims
    )


@rule(
    "TM702",
    "ingress-wider-than-modeled",
    severity="error",
    summary="A security group lets in traffic from a range or on ports the element's `ingress` does not list.",
    rationale="The model's ingress is what the threat analysis and the lint rules (TM401, TM406) reason about; "
    "a wider rule in the infrastructure is attack surface nobody reviewed — often an SSH or database port "
    "opened to the world for a quick fix.",
    fix="Close the rule in the infrastructure, or add it to the element's `ingress` if it is intended "
    "(and face what the lint rules then say about it).",
    example='server bastion "Bastion" {\n  ingress: ["203.0.113.0/24:22"]\n  public: true\n'
    '  iac: ["aws_instance.bastion"]\n}',
    example_iac=_TF,
)
def ingress_wider(model: Model, ctx: Context) -> Iterator[Hit]:
    return _known(_ingress_wider(model, ctx))


def _ingress_wider(model: Model, ctx: Context) -> Found:
    found = drift(model, ctx)
    if found is None:
        return
    for element in model.elements:
        resources = found.linked(element)
        if not resources or element.kind not in schema.ELEMENT_KINDS:
            continue
        claims = [p for p in (schema.parse_ingress(t) for t in items(element.get("ingress")) if isinstance(t, str))
                  if isinstance(p, schema.Ingress)]  # fmt: skip
        rules: dict[tuple[str, str, str], IngressRule] = {}
        for resource in resources:
            for real in found.facts.ingress(resource):
                rules.setdefault((real.resource.address, real.path, str(real.source)), real)
        for real in rules.values():
            if not real.known:
                if not any(isinstance(r.source, str) for r in rules.values() if r.resource is real.resource):
                    yield _unknown(element, "ingress", real, "ingress rule")
                continue
            if real.is_cidr and not _covers(claims, real):
                yield Hit(
                    attribute_span(element, "ingress"),
                    f'`{element.id}` accepts "{real.text()}" in the infrastructure; its `ingress` does not list it',
                    f'close the rule, or add "{real.text()}" to `ingress`',
                    _evidence(real, "lets it in"),
                )


def _public_in_model(model: Model, element: Element) -> bool:
    return flag(element, "public") or any(flag(b, "public") for b in model.boundary_chain(element.boundary))


@rule(
    "TM703",
    "public-not-modeled",
    severity="error",
    summary="A resource is reachable from the internet but its element is not `public`.",
    rationale="Public buckets, databases with public endpoints and instances with public addresses are how most "
    "cloud data breaches start; a model that calls them private gets the threats and the lint rules wrong.",
    fix="Make the resource private (block public access, `publicly_accessible = false`, no public IP), or mark "
    "the element `public: true` and review what that exposes.",
    example='server bastion "Bastion" {\n  ingress: ["0.0.0.0/0:22"]\n  iac: ["aws_instance.bastion"]\n}',
    example_iac=_TF,
)
def public_not_modeled(model: Model, ctx: Context) -> Iterator[Hit]:
    return _known(_public_not_modeled(model, ctx))


def _public_not_modeled(model: Model, ctx: Context) -> Found:
    found = drift(model, ctx)
    if found is None:
        return
    for element in model.elements:
        resources = found.linked(element)
        if not resources or _public_in_model(model, element):
            continue
        fact = found.facts.fact(resources, "public")
        if fact is None or fact.value is False:
            continue
        if not fact.known:
            yield _unknown(element, "public", fact, f"exposure (`{fact.path}`)")
            continue
        yield Hit(
            attribute_span(element, "public"),
            f"`{element.id}` is not `public` in the model, but the infrastructure makes it reachable from the internet",
            "make the resource private, or set `public: true`",
            _evidence(fact, f"makes it public (`{fact.path}`)" if fact.path else "is public"),
        )


@rule(
    "TM704",
    "encryption-at-rest-off",
    severity="error",
    summary="An element claims `encrypted_at_rest: true` but its storage is not encrypted.",
    rationale="Encryption at rest is what the model offers as the mitigation for stolen disks, snapshots and "
    "backups (pytm's DS threats); storage created without it stays unencrypted until it is rebuilt.",
    fix="Turn on encryption (`storage_encrypted = true`, a KMS key) — for RDS this means restoring an encrypted "
    "copy — or drop the claim.",
    example='datastore orders "Orders DB" {\n  kind: sql\n  encrypted_at_rest: true\n'
    '  iac: ["aws_db_instance.orders"]\n}',
    example_iac=_TF,
)
def encryption_off(model: Model, ctx: Context) -> Iterator[Hit]:
    return _known(_encryption_off(model, ctx))


def _encryption_off(model: Model, ctx: Context) -> Found:
    yield from _claims(model, ctx, "encrypted_at_rest", "encrypted_at_rest", lambda value: value is False,
                       "is not encrypted at rest")  # fmt: skip


@rule(
    "TM705",
    "tls-weaker-than-modeled",
    severity="error",
    summary="An element's `min_tls` is higher than what its listeners accept (or a listener is plain HTTP).",
    rationale="Clients negotiate the lowest version a listener still offers; a model that says TLS 1.2 while the "
    "load balancer's policy accepts TLS 1.0 hides downgrade and legacy-cipher threats.",
    fix="Use a security policy whose lowest version is the one claimed (e.g. `ELBSecurityPolicy-TLS13-1-2-2021-06`), "
    "serve HTTPS only, or lower `min_tls`.",
    example='process web "Web" {\n  min_tls: 1.2\n  public: true\n  ingress: ["0.0.0.0/0:443"]\n'
    '  iac: ["aws_lb.web"]\n}',
    example_iac=_TF,
)
def tls_weaker(model: Model, ctx: Context) -> Iterator[Hit]:
    return _known(_tls_weaker(model, ctx))


def _tls_weaker(model: Model, ctx: Context) -> Found:
    def weaker(value: object, claimed: object = None) -> bool:
        return schema.TLS_VERSIONS.index(str(value)) < schema.TLS_VERSIONS.index(str(claimed))

    found = drift(model, ctx)
    if found is None:
        return
    for element in model.elements:
        claimed = schema.tls_version(element.get("min_tls")) if element.has("min_tls") else None
        resources = found.linked(element) if claimed not in (None, "none") else []
        fact = found.facts.fact(resources, "min_tls") if resources else None
        if fact is None:
            continue
        if not fact.known:
            yield _unknown(element, "min_tls", fact, "TLS policy")
        elif fact.value in schema.TLS_VERSIONS and weaker(fact.value, claimed):
            accepts = "plain HTTP" if fact.value == "none" else f"TLS {fact.value}"
            yield Hit(
                attribute_span(element, "min_tls"),
                f"`{element.id}` claims `min_tls: {claimed}` but `{fact.resource.address}` accepts {accepts}",
                "tighten the listener's security policy, or lower `min_tls`",
                _evidence(fact, f"accepts {accepts}"),
            )


def _claims(model: Model, ctx: Context, claim: str, fact_name: str, broken: object, words: str) -> Found:
    found = drift(model, ctx)
    if found is None:
        return
    for node in (*model.boundaries, *model.elements):
        if node.get(claim) is not True or not node.has(claim):
            continue
        resources = found.linked(node)
        fact = found.facts.fact(resources, fact_name) if resources else None
        if fact is None:
            continue
        if not fact.known:
            yield _unknown(node, claim, fact, f"`{fact.path}`")
        elif broken(fact.value):  # type: ignore[operator]
            yield Hit(
                attribute_span(node, claim),
                f"`{node.id}` claims `{claim}: true` but `{fact.resource.address}` {words}",
                None,
                _evidence(fact, words),
            )


def _account_fact(found: _Drift, boundary: Boundary, fact_name: str) -> tuple[Fact | None, bool]:
    """The fact over the boundary's links of that kind, else over the whole infrastructure; and
    whether the boundary is compared at all (it links something)."""
    linked = found.linked(boundary)
    if not linked:
        return None, False
    fact = found.facts.fact(linked, fact_name)
    if fact is None:
        fact = found.facts.fact(found.infra.resources, fact_name)
    return fact, True


@rule(
    "TM706",
    "audit-log-off",
    severity="error",
    summary="A boundary claims `audit_log: true` but no CloudTrail trail logs.",
    rationale="An account without a logging trail leaves no record of what an intruder did in the control plane; "
    "a trail switched off (`enable_logging = false`) is a classic first step of an attack.",
    fix="Turn the trail back on (`enable_logging = true`, multi-region), or drop the claim.",
    example='boundary prod "AWS account prod" {\n  cloud: aws\n  audit_log: true\n  mfa: required\n'
    '  iac: ["aws_cloudtrail.main"]\n}',
    example_iac=_TF,
)
def audit_log_off(model: Model, ctx: Context) -> Iterator[Hit]:
    return _known(_audit_log_off(model, ctx))


def _audit_log_off(model: Model, ctx: Context) -> Found:
    yield from _account_claim(model, ctx, "audit_log", True, "audit_log", "no CloudTrail trail in `{source}` logs")


@rule(
    "TM707",
    "mfa-not-enforced",
    severity="error",
    summary="A boundary claims `mfa: required` but no IAM policy denies access without MFA.",
    rationale="`mfa: required` is the control the model relies on against phished and reused passwords; "
    "without a policy that enforces it, MFA is optional for every user who has not set it up.",
    fix="Attach a policy that denies everything but MFA set-up when `aws:MultiFactorAuthPresent` is false "
    "(or enforce MFA in the identity provider and link that), or change the claim.",
    example='boundary prod "AWS account prod" {\n  cloud: aws\n  audit_log: true\n  mfa: required\n'
    '  iac: ["aws_iam_account_password_policy.strict"]\n}',
    example_iac=_TF,
)
def mfa_not_enforced(model: Model, ctx: Context) -> Iterator[Hit]:
    return _known(_mfa_not_enforced(model, ctx))


def _mfa_not_enforced(model: Model, ctx: Context) -> Found:
    yield from _account_claim(
        model, ctx, "mfa", "required", "mfa", "no IAM policy in `{source}` denies access without MFA"
    )


def _account_claim(model: Model, ctx: Context, claim: str, value: object, fact_name: str, words: str) -> Found:
    found = drift(model, ctx)
    if found is None:
        return
    for boundary in model.boundaries:
        if boundary.get(claim) != value:
            continue
        fact, compared = _account_fact(found, boundary, fact_name)
        if not compared or (fact is not None and fact.value is True):
            continue
        if fact is not None and not fact.known:
            yield _unknown(boundary, claim, fact, f"`{fact.path}`")
            continue
        written = "true" if value is True else str(value)
        message = f"`{boundary.id}` claims `{claim}: {written}` but " + (
            f"`{fact.resource.address}` is off" if fact is not None else words.format(source=found.infra.source)
        )
        yield Hit(attribute_span(boundary, claim), message, None, _evidence(fact, "is off") if fact else ())


@rule(
    "TM708",
    "exposed-resource-not-modeled",
    severity="warning",
    summary="A resource reachable from the internet (public, or ingress from 0.0.0.0/0) is linked by no element.",
    rationale="What is exposed but not in the model gets no threats, no owner and no review: shadow endpoints, "
    "forgotten test buckets and admin instances are what attackers find first.",
    fix='Add an element for it with `iac: ["<address>"]`, or make it private.',
    example='model "Shop" { scope: "the web shop", cloud: aws }\n'
    'process web "Web" { iac: ["aws_lb.web"], public: true }',
    example_iac=_TF,
)
def exposed_not_modeled(model: Model, ctx: Context) -> Iterator[Hit]:
    found = drift(model, ctx)
    if found is None:
        return
    covered = found.covered()
    for base in found.infra.bases():
        instances = found.infra.instances(base)
        row = mapping.row(instances[0].type)
        if row is None or row.role != "element" or base in covered:
            continue
        if any(r.address in covered for r in instances):
            continue
        public = found.facts.fact(instances, "public")
        world = next((r for i in instances for r in found.facts.ingress(i) if r.known and r.open_to_world), None)
        if public is not None and public.value is True:
            evidence = _evidence(public, "is public")
        elif world is not None:
            evidence = _evidence(world, f'accepts "{world.text()}"')
        else:
            continue
        yield Hit(
            model_anchor(model),
            f"`{base}` is reachable from the internet but no element links it",
            f'add an element with `iac: ["{base}"]`, or make it private',
            evidence,
        )


@rule(
    "TM709",
    "claim-not-verifiable",
    severity="info",
    summary="A claim cannot be compared with the infrastructure: the fact is known only after apply.",
    rationale="A plan does not know computed values (`(known after apply)`) and tmdiag does not evaluate every "
    "expression; it says so instead of guessing. The claim is checked once the value is known.",
    fix="Compare after apply (`terraform show -json` of the state) or against the live account (`tmdiag drift "
    "--aws`); or write the value as a literal in the Terraform.",
    example='datastore reports "Reports DB" {\n  kind: sql\n  encrypted_at_rest: true\n'
    '  iac: ["aws_db_instance.reports"]\n}',
    example_iac=_TF,
)
def not_verifiable(model: Model, ctx: Context) -> Iterator[Hit]:
    for check in (_ingress_wider, _public_not_modeled, _encryption_off, _tls_weaker, _audit_log_off, _mfa_not_enforced):
        for found in check(model, ctx):
            if isinstance(found, Unknown):
                yield found.hit
