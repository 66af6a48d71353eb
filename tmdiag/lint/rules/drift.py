"""TM7xx: infrastructure drift — the model's claims against the resources its `iac` links name.

These rules run only with infrastructure to compare (`tmdiag drift`, `tmdiag check --against`).
Each finding sits on the claim in the `.tm` file and points at the resource (the `.tf` line, the
address in a plan, or the cloud resource) as a related location.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator

from tmdiag.diagnostics import Severity
from tmdiag.iac import mapping
from tmdiag.iac.facts import Fact, IngressRule
from tmdiag.iac.resources import base_address
from tmdiag.lint.drift import OUT_OF_SCOPE, Drift, Found, Link, Unknown, drift, evidence, known, unknown
from tmdiag.lint.facts import attribute_span, flag, items, model_anchor
from tmdiag.lint.registry import rule
from tmdiag.lint.rule import Context, Hit
from tmdiag.model import schema
from tmdiag.model.nodes import Boundary, Element, Model, ModelInfo, Node

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


def _setting(path: str) -> str:
    """How an attribute path is written in Terraform: `root_block_device { encrypted = true }`."""
    parts = [p for p in path.split(".") if not p.isdigit()]
    if len(parts) == 1:
        return f"`{parts[0]} = true`"
    return "`" + " { ".join(parts[:-1]) + f" {{ {parts[-1]} = true" + " }" * (len(parts) - 1) + "`"


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
    if found is None or any(p.severity >= Severity.ERROR for p in found.infra.problems):
        return  # links into a file that did not parse are not unknown
    for link in found.links:
        if link.resources or _absence_is_the_finding(found, link):
            continue
        meant = found.meant(link.address)
        row = mapping.row(_type_of(link.address))
        what = f" ({row.noun})" if row is not None else ""
        verb = "leaves out" if link.key == OUT_OF_SCOPE else "links"
        hint = f"did you mean `{meant}`?" if meant else "remove the link, or link the resource that replaced it"
        if row is not None and row.role == "part" and row.absent:
            hint = f"without it, {row.absent}; {hint[0].lower()}{hint[1:]}"
        who = "the model" if isinstance(link.node, ModelInfo) else f"`{link.node.id}`"
        yield Hit(link.span, f"{who} {verb} `{link.address}`{what}, which is not in `{found.infra.source}`", hint)


def _type_of(address: str) -> str:
    parts = base_address(address).split(".")
    return parts[-2] if len(parts) >= 2 else ""


def _absence_is_the_finding(found: Drift, link: Link) -> bool:
    """A boundary's link to the trail (or the MFA policy) that is gone, while the boundary claims what
    it gave: TM706 (TM707) reports the claim, naming the link; TM701 need not report it too."""
    row = mapping.row(_type_of(link.address))
    if row is None or row.role != "account" or not isinstance(link.node, Boundary):
        return False
    for fact_name, _ in row.facts:
        claim = _ACCOUNT_CLAIMS.get(fact_name)
        if claim is not None and link.node.get(claim[0]) == claim[1]:
            fact, _compared = _account_fact(found, link.node, fact_name)
            return fact is None or fact.value is not True
    return False


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
    risk=("high", "high"),
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
    return known(_ingress_wider(model, ctx))


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
        not_known = [r for r in rules.values() if not r.known]
        if not_known:  # one TM709 for the claim, every rule not known as a related location
            yield unknown(element, "ingress", not_known, "the ingress rule" + ("s" if len(not_known) > 1 else ""))
        for real in rules.values():
            if real.known and real.is_cidr and not _covers(claims, real):
                yield Hit(
                    attribute_span(element, "ingress"),
                    f'`{element.id}` accepts "{real.text()}" in the infrastructure; its `ingress` does not list it',
                    f'close the rule, or add "{real.text()}" to `ingress`',
                    evidence(real, "lets it in"),
                )


def _public_in_model(model: Model, element: Element) -> bool:
    """The element's own `public:` is its claim; without one, a `public: true` boundary around it makes it public."""
    if element.has("public"):
        return flag(element, "public")
    return any(flag(b, "public") for b in model.boundary_chain(element.boundary))


@rule(
    "TM703",
    "public-not-modeled",
    severity="error",
    risk=("high", "very_high"),
    summary="A resource is reachable from the internet but its element is not `public`.",
    rationale="Public buckets, databases with public endpoints and instances with public addresses are how most "
    "cloud data breaches start; a model that calls them private gets the threats and the lint rules wrong. "
    "An element's own `public:` is its claim; one without it is public when a boundary around it is.",
    fix="Make the resource private (block public access, `publicly_accessible = false`, no public IP), or mark "
    "the element `public: true` and review what that exposes.",
    example='server bastion "Bastion" {\n  ingress: ["0.0.0.0/0:22"]\n  iac: ["aws_instance.bastion"]\n}',
    example_iac=_TF,
)
def public_not_modeled(model: Model, ctx: Context) -> Iterator[Hit]:
    return known(_public_not_modeled(model, ctx))


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
            yield unknown(element, "public", [fact], f"the exposure (`{fact.path}`)")
            continue
        inside = next((b for b in model.boundary_chain(element.boundary) if flag(b, "public")), None)
        said = f" (it says `public: false` inside public boundary `{inside.id}`)" if inside else ""
        yield Hit(
            attribute_span(element, "public"),
            f"`{element.id}` is not `public` in the model{said}, but the infrastructure makes it reachable from "
            "the internet",
            "make the resource private, or set `public: true`",
            evidence(fact, f"makes it public (`{fact.path}`)" if fact.path else "is public"),
        )


@rule(
    "TM704",
    "encryption-at-rest-off",
    severity="error",
    risk=("medium", "high"),
    summary="An element claims `encrypted_at_rest: true` but its storage is not encrypted.",
    rationale="Encryption at rest is what the model offers as the mitigation for stolen disks, snapshots and "
    "backups (pytm's DS threats); storage created without it stays unencrypted until it is rebuilt.",
    fix="Turn on the resource's encryption setting (the finding names it: `storage_encrypted` for RDS, "
    "`root_block_device { encrypted }` for EC2, `at_rest_encryption_enabled` for ElastiCache, SSE for SQS); "
    "existing RDS and EBS storage is encrypted only by restoring an encrypted copy. Or drop the claim.",
    example='datastore orders "Orders DB" {\n  kind: sql\n  encrypted_at_rest: true\n'
    '  iac: ["aws_db_instance.orders"]\n}',
    example_iac=_TF,
)
def encryption_off(model: Model, ctx: Context) -> Iterator[Hit]:
    return known(_encryption_off(model, ctx))


def _encryption_off(model: Model, ctx: Context) -> Found:
    def hint(fact: Fact) -> str:
        return f"set {_setting(fact.path)} on `{fact.resource.address}`, or drop the claim"

    yield from _claims(model, ctx, "encrypted_at_rest", lambda value: value is False, "is not encrypted at rest", hint)


@rule(
    "TM705",
    "tls-weaker-than-modeled",
    severity="error",
    risk=("medium", "medium"),
    summary="An element's `min_tls` is higher than what its listeners accept (or a listener serves plain HTTP).",
    rationale="Clients negotiate the lowest version a listener still offers; a model that says TLS 1.2 while the "
    "load balancer's policy accepts TLS 1.0 hides downgrade and legacy-cipher threats. A plain-HTTP listener "
    "that only redirects to HTTPS (or answers with a fixed response) serves no data and is not counted.",
    fix="Use a security policy whose lowest version is the one claimed (e.g. `ELBSecurityPolicy-TLS13-1-2-2021-06`), "
    "serve HTTPS only (redirect HTTP), or lower `min_tls`.",
    example='process web "Web" {\n  min_tls: 1.2\n  public: true\n  ingress: ["0.0.0.0/0:443"]\n'
    '  iac: ["aws_lb.web"]\n}',
    example_iac=_TF,
)
def tls_weaker(model: Model, ctx: Context) -> Iterator[Hit]:
    return known(_tls_weaker(model, ctx))


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
            yield unknown(element, "min_tls", [fact], "the TLS policy")
        elif fact.value in schema.TLS_VERSIONS and weaker(fact.value, claimed):
            accepts = "plain HTTP" if fact.value == "none" else f"TLS {fact.value}"
            yield Hit(
                attribute_span(element, "min_tls"),
                f"`{element.id}` claims `min_tls: {claimed}` but `{fact.resource.address}` accepts {accepts}",
                "tighten the listener's security policy, or lower `min_tls`",
                evidence(fact, f"accepts {accepts}"),
            )


def _claims(
    model: Model, ctx: Context, claim: str, broken: Callable[[object], bool], words: str, hint: Callable[[Fact], str]
) -> Found:
    found = drift(model, ctx)
    if found is None:
        return
    for node in (*model.boundaries, *model.elements):
        if node.get(claim) is not True or not node.has(claim):
            continue
        resources = found.linked(node)
        fact = found.facts.fact(resources, claim) if resources else None
        if fact is None:
            continue
        if not fact.known:
            yield unknown(node, claim, [fact], f"`{fact.path}`")
        elif broken(fact.value):
            yield Hit(
                attribute_span(node, claim),
                f"`{node.id}` claims `{claim}: true` but `{fact.resource.address}` {words}",
                hint(fact),
                evidence(fact, words),
            )


def _account_fact(found: Drift, boundary: Node, fact_name: str) -> tuple[Fact | None, bool]:
    """The fact over the boundary's links of that kind, else over the whole infrastructure; and
    whether the boundary is compared at all (it links something, even something that is gone)."""
    if not found.links_of(boundary):
        return None, False
    linked = found.linked(boundary)
    fact = found.facts.fact(linked, fact_name) if linked else None
    if fact is None:
        fact = found.facts.fact(found.infra.resources, fact_name)
    return fact, True


@rule(
    "TM706",
    "audit-log-off",
    severity="error",
    risk=("medium", "high"),
    summary="A boundary claims `audit_log: true` but no multi-region CloudTrail trail logs.",
    rationale="An account without a logging trail leaves no record of what an intruder did in the control plane; "
    "a trail switched off (`enable_logging = false`) is a classic first step of an attack, and a single-region "
    "trail misses what is done in every other region (CIS AWS Foundations 3.1).",
    fix="Turn the trail back on (`enable_logging = true`) and make it multi-region (`is_multi_region_trail = "
    "true`), or drop the claim.",
    example='boundary prod "AWS account prod" {\n  cloud: aws\n  audit_log: true\n  mfa: required\n'
    '  iac: ["aws_cloudtrail.main"]\n}',
    example_iac=_TF,
)
def audit_log_off(model: Model, ctx: Context) -> Iterator[Hit]:
    return known(_audit_log_off(model, ctx))


def _audit_log_off(model: Model, ctx: Context) -> Found:
    yield from _account_claim(model, ctx, "audit_log", "no CloudTrail trail")


@rule(
    "TM707",
    "mfa-not-enforced",
    severity="error",
    risk=("medium", "high"),
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
    return known(_mfa_not_enforced(model, ctx))


def _mfa_not_enforced(model: Model, ctx: Context) -> Found:
    yield from _account_claim(model, ctx, "mfa", "no IAM policy that denies access without MFA")


# account fact -> (the boundary attribute that claims it, the value that claims it)
_ACCOUNT_CLAIMS: dict[str, tuple[str, object]] = {"audit_log": ("audit_log", True), "mfa": ("mfa", "required")}


def _account_claim(model: Model, ctx: Context, fact_name: str, nothing: str) -> Found:
    found = drift(model, ctx)
    if found is None:
        return
    claim, value = _ACCOUNT_CLAIMS[fact_name]
    for boundary in model.boundaries:
        if boundary.get(claim) != value:
            continue
        fact, compared = _account_fact(found, boundary, fact_name)
        if not compared or (fact is not None and fact.value is True):
            continue
        if fact is not None and not fact.known:
            yield unknown(boundary, claim, [fact], f"`{fact.path}`")
            continue
        written = "true" if value is True else str(value)
        gone = [link.address for link in found.links_of(boundary) if not link.resources and _kind(link, fact_name)]
        if fact is not None:
            said, notes = f"`{fact.resource.address}` {fact.why or 'is off'}", evidence(fact, fact.why or "is off")
        else:
            said, notes = f"{nothing} in `{found.infra.source}`", ()
        if gone:
            said += f" (`{'`, `'.join(gone)}`, which it links, is not there)"
        yield Hit(attribute_span(boundary, claim), f"`{boundary.id}` claims `{claim}: {written}` but {said}", None,
                  notes)  # fmt: skip


def _kind(link: Link, fact_name: str) -> bool:
    row = mapping.row(_type_of(link.address))
    return row is not None and any(name == fact_name for name, _ in row.facts)


@rule(
    "TM708",
    "exposed-resource-not-modeled",
    severity="warning",
    risk=("high", "high"),
    summary="A resource reachable from the internet (public, or ingress from 0.0.0.0/0) is linked by no element.",
    rationale="What is exposed but not in the model gets no threats, no owner and no review: shadow endpoints, "
    "forgotten test buckets and admin instances are what attackers find first. Resources that other models "
    "checked in the same run link, or that the model lists in `iac_out_of_scope`, are not reported.",
    fix='Add an element for it with `iac: ["<address>"]`, make it private, or (modeled elsewhere, or outside '
    "this model's scope) list it in the model's `iac_out_of_scope: [\"<address>\"]`.",
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
            notes = evidence(public, "is public")
        elif world is not None:
            notes = evidence(world, f'accepts "{world.text()}"')
        else:
            continue
        yield Hit(
            model_anchor(model),
            f"`{base}` is reachable from the internet but no element links it",
            f'add an element with `iac: ["{base}"]`, make it private, or list it in the model\'s `iac_out_of_scope`',
            notes,
        )


@rule(
    "TM709",
    "claim-not-verifiable",
    severity="info",
    summary="A claim cannot be compared with the infrastructure: the fact is not known before apply.",
    rationale="A plan does not know computed values (`(known after apply)`), tmdiag does not evaluate every "
    "expression, and an attribute left unset takes a default AWS picks; tmdiag says so instead of guessing. "
    "An element that does not write a claim is compared by its default (`public: false`), and said so.",
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
