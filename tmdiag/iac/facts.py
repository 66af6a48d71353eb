"""Facts about resources, read through the mapping table: public, encrypted at rest, lowest TLS version,
audit logging, MFA enforcement, ingress rules. Each fact keeps its evidence (the resource and the
attribute it was read from) so that diagnostics can point at the `.tf` line. A fact whose value is
not known before apply is `UNKNOWN`, never guessed.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tmdiag.diagnostics import Span
from tmdiag.iac import mapping
from tmdiag.iac.resources import UNKNOWN, Infrastructure, Ref, Resource, base_address, is_unknown
from tmdiag.model.schema import TLS_VERSIONS

# Lowest TLS version each ELB security policy accepts (AWS: "Security policies for your Application Load Balancer").
TLS_POLICIES = {
    "ELBSecurityPolicy-2016-08": "1.0", "ELBSecurityPolicy-TLS-1-0-2015-04": "1.0",
    "ELBSecurityPolicy-TLS-1-1-2017-01": "1.1", "ELBSecurityPolicy-TLS-1-2-2017-01": "1.2",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06": "1.2", "ELBSecurityPolicy-FS-2018-06": "1.0",
    "ELBSecurityPolicy-FS-1-1-2019-08": "1.1", "ELBSecurityPolicy-FS-1-2-2019-08": "1.2",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08": "1.2", "ELBSecurityPolicy-FS-1-2-Res-2020-10": "1.2",
    "ELBSecurityPolicy-TLS13-1-0-2021-06": "1.0", "ELBSecurityPolicy-TLS13-1-1-2021-06": "1.1",
    "ELBSecurityPolicy-TLS13-1-2-2021-06": "1.2", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": "1.2",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06": "1.2", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06": "1.2",
    "ELBSecurityPolicy-TLS13-1-3-2021-06": "1.3",
}  # fmt: skip
DEFAULT_TLS_POLICY = "ELBSecurityPolicy-2016-08"  # what AWS applies when a listener names none
_POLICY_VERSION = re.compile(r"(?:TLS13|TLS|FS)-1-([0-3])")
WORLD = ("0.0.0.0/0", "::/0")
NOT_SET = "not set, so AWS's default applies, which the configuration does not show"


@dataclass(frozen=True)
class Fact:
    name: str
    value: Any  # bool, a string, or UNKNOWN
    resource: Resource  # evidence
    path: str = ""  # the attribute it was read from
    why: str = ""  # why it is what it is, when the attribute alone does not say (a default, a neighbour)

    @property
    def span(self) -> Span:
        return self.resource.span(self.path)

    @property
    def known(self) -> bool:
        return not is_unknown(self.value)

    def unknown_because(self) -> str:
        """Why the value is not known, in words: `known only after apply` unless the reader said more."""
        return self.why or "known only after apply"


@dataclass(frozen=True)
class IngressRule:
    """One inbound rule of a security group: from a CIDR or from another group, on a port range."""

    source: Any  # CIDR text, `Ref` to a security group, or UNKNOWN
    first_port: Any  # int or UNKNOWN
    last_port: Any
    resource: Resource
    path: str

    @property
    def span(self) -> Span:
        return self.resource.span(self.path)

    @property
    def known(self) -> bool:
        return not any(is_unknown(v) for v in (self.source, self.first_port, self.last_port))

    @property
    def is_cidr(self) -> bool:
        return isinstance(self.source, str)

    @property
    def open_to_world(self) -> bool:
        return self.source in WORLD

    def text(self) -> str:
        """As a `.tm` ingress rule: `"0.0.0.0/0:443"`, `"10.0.0.0/16:8000-8100"`, `"10.0.0.0/8:*"`."""
        if (self.first_port, self.last_port) == (0, 65535):
            return f"{self.source}:*"
        ports = str(self.first_port) if self.first_port == self.last_port else f"{self.first_port}-{self.last_port}"
        return f"{self.source}:{ports}"


def refs(value: Any) -> Iterator[str]:
    """Every address a value references (lists flattened)."""
    if isinstance(value, Ref):
        yield value.address
    elif isinstance(value, list):
        for item in value:
            yield from refs(item)


def truthy(value: Any) -> Any:
    """A Terraform value as a boolean: `"true"` strings too; UNKNOWN stays unknown."""
    if is_unknown(value):
        return UNKNOWN
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


class Facts:
    """Facts of every resource in one infrastructure, with the indexes they need (built once)."""

    def __init__(self, infra: Infrastructure):
        self.infra = infra
        self._parts: dict[str, list[Resource]] = {}
        for resource in infra.resources:
            row = mapping.row(resource.type)
            if row is not None and row.role == "part":
                for address in dict.fromkeys(self.references(resource, row.part_of)):
                    self._parts.setdefault(address, []).append(resource)

    # ---- navigation -------------------------------------------------------------------
    def references(self, resource: Resource, paths: tuple[str, ...]) -> Iterator[str]:
        """Addresses referenced at `paths` (`a.*.b`, `a>b` follows a reference then reads `b`)."""
        for path in paths:
            first, _, then = path.partition(">")
            for address in refs(_at(resource.values, first.split("."))):
                if not then:
                    yield address
                    continue
                for target in self.infra.find(address):
                    yield from self.references(target, (then,))

    def targets(self, address: str) -> list[Resource]:
        return self.infra.find(address) or self.infra.find(base_address(address))

    def parts(self, resource: Resource) -> list[Resource]:
        found = self._parts.get(resource.address, [])
        if resource.base != resource.address:
            found = found + [p for p in self._parts.get(resource.base, []) if p not in found]
        return found

    def groups(self, resource: Resource) -> list[Resource]:
        row = mapping.row(resource.type)
        if row is None:
            return []
        out: dict[str, Resource] = {}
        for address in self.references(resource, row.groups):
            for group in self.targets(address):
                out.setdefault(group.address, group)
        return list(out.values())

    def unknown_groups(self, resource: Resource) -> list[str]:
        """The attributes naming the resource's security groups whose value is not known before apply."""
        row = mapping.row(resource.type)
        found = []
        for path in row.groups if row else ():
            value = _at(resource.values, path.split("."))
            if is_unknown(value) or (isinstance(value, list) and any(_has_unknown(v) for v in value)):
                found.append(path.split(".*")[0])
        return found

    # ---- facts ------------------------------------------------------------------------
    def read(self, resource: Resource) -> list[Fact]:
        """Facts of the resource and of its parts, as the mapping table says to read them."""
        found = []
        for owner in (resource, *self.parts(resource)):
            row = mapping.row(owner.type)
            for name, reader in row.facts if row else ():
                fact = self.read_one(owner, name, reader)
                if fact is not None:
                    found.append(fact)
        return found

    def read_one(self, resource: Resource, name: str, reader: str) -> Fact | None:
        if reader.startswith("@"):
            named, _, argument = reader[1:].partition(":")
            return FACT_READERS[named](self, resource, name, argument)
        if reader.startswith("="):
            return Fact(name, reader[1:] == "true", resource)
        negate = reader.startswith("!")
        path, _, default = reader.lstrip("!").partition("|")
        if ">" in path and "=" not in path:
            path, _, threshold = path.partition(">")
            value = resource.get(path)
            if value is None and default:
                value = float(default)
            if value is None:  # the provider or AWS picks a value: not known from the configuration
                return Fact(name, UNKNOWN, resource, path, NOT_SET)
            if is_unknown(value):
                return Fact(name, UNKNOWN, resource, path)
            try:
                number = float(value) if not isinstance(value, bool) else 0.0
            except (TypeError, ValueError):
                return Fact(name, UNKNOWN, resource, path)
            return Fact(name, number > float(threshold), resource, path)
        if "=" in path:
            path, _, wanted = path.partition("=")
            value = resource.get(path)
            if is_unknown(value):
                return Fact(name, UNKNOWN, resource, path)
            return Fact(name, value is not None and str(value) == wanted, resource, path)
        value = resource.get(path)
        if value is None:
            value = default == "true" if default else None
            if value is None:
                return None
        value = truthy(value)
        if negate and not is_unknown(value):
            value = not value
        return Fact(name, value, resource, path)

    def fact(self, resources: list[Resource], name: str) -> Fact | None:
        """One fact over several resources (an element's links): the value that matters most for a claim."""
        found = [f for r in resources for f in self.read(r) if f.name == name]
        if not found:
            return None
        return _combine(name, found)

    def ingress(self, resource: Resource) -> list[IngressRule]:
        """Inbound rules of the resource's security groups (and of a group itself)."""
        groups = [resource] if resource.type == "aws_security_group" else self.groups(resource)
        rules: list[IngressRule] = []
        if resource.type != "aws_security_group":
            unknown = self.unknown_groups(resource)
            rules.extend(IngressRule(UNKNOWN, UNKNOWN, UNKNOWN, resource, path) for path in unknown)
        for group in groups:
            blocks = group.values.get("ingress")
            if is_unknown(blocks):
                rules.append(IngressRule(UNKNOWN, UNKNOWN, UNKNOWN, group, "ingress"))
            for n, block in enumerate(blocks if isinstance(blocks, list) else []):
                if is_unknown(block):
                    rules.append(IngressRule(UNKNOWN, UNKNOWN, UNKNOWN, group, f"ingress.{n}"))
                elif isinstance(block, dict):
                    rules.extend(_rules_of(block, group, f"ingress.{n}", "cidr_blocks", "ipv6_cidr_blocks",
                                           "security_groups", "protocol"))  # fmt: skip
            for part in self.parts(group):
                if part.type == "aws_security_group_rule":
                    kind = part.values.get("type")
                    if kind == "ingress" or is_unknown(kind):
                        rules.extend(_rules_of(part.values, part, "", "cidr_blocks", "ipv6_cidr_blocks",
                                               "source_security_group_id", "protocol"))  # fmt: skip
                elif part.type == "aws_vpc_security_group_ingress_rule":
                    rules.extend(_rules_of(part.values, part, "", "cidr_ipv4", "cidr_ipv6",
                                           "referenced_security_group_id", "ip_protocol"))  # fmt: skip
        return rules


def _at(value: Any, steps: list[str]) -> Any:
    """The value at a dotted path whose `*` steps fan out over lists (flattened to a list)."""
    if not steps or is_unknown(value):
        return value
    head, rest = steps[0], steps[1:]
    if head == "*":
        if isinstance(value, dict):  # a single block written as an object
            return [_at(value, rest)]
        return [_at(item, rest) for item in value] if isinstance(value, list) else None
    if isinstance(value, dict):
        if head == "0" and head not in value:
            return _at(value, rest)
        return _at(value.get(head), rest)
    if isinstance(value, list) and head.isdigit() and int(head) < len(value):
        return _at(value[int(head)], rest)
    return None


def _has_unknown(value: Any) -> bool:
    return is_unknown(value) or (isinstance(value, list) and any(_has_unknown(v) for v in value))


def _port(value: Any) -> Any:
    if is_unknown(value):
        return UNKNOWN
    try:
        return int(value)
    except (TypeError, ValueError):
        return UNKNOWN


def _rules_of(
    values: dict[str, Any], owner: Resource, path: str, v4: str, v6: str, group: str, protocol: str
) -> list[IngressRule]:
    first, last = _port(values.get("from_port")), _port(values.get("to_port"))
    proto = values.get(protocol)
    if proto in ("-1", -1, "all"):
        first, last = 0, 65535
    elif first == -1 or last == -1:  # icmp
        return []
    sources: list[Any] = []
    for key in (v4, v6):
        value = values.get(key)
        if is_unknown(value):
            sources.append(UNKNOWN)
        elif isinstance(value, str):
            sources.append(value)
        elif isinstance(value, list):
            sources.extend(v if isinstance(v, str) or is_unknown(v) else UNKNOWN for v in value)
    value = values.get(group)
    if is_unknown(value):
        sources.append(UNKNOWN)
    else:
        sources.extend(Ref(a) for a in refs(value))
    where = path or next((k for k in (v4, v6, group) if k in values), "")
    return [IngressRule(_normal(s), first, last, owner, where) for s in sources]


def _normal(source: Any) -> Any:
    if isinstance(source, str):
        try:
            return str(ipaddress.ip_network(source, strict=False))
        except ValueError:
            return UNKNOWN
    return source


def _combine(name: str, found: list[Fact]) -> Fact:
    known = [f for f in found if f.known]
    unknown = [f for f in found if not f.known]
    if name == "min_tls":
        if unknown:
            return unknown[0]
        return min(known, key=lambda f: TLS_VERSIONS.index(f.value) if f.value in TLS_VERSIONS else 0)
    if name == "encrypted_at_rest":  # every store linked must be encrypted for the claim to hold
        off = [f for f in known if f.value is False]
        return off[0] if off else (unknown[0] if unknown else known[0])
    on = [f for f in known if f.value is True]  # public, audit_log, mfa, ...: one is enough
    return on[0] if on else (unknown[0] if unknown else found[0])


# ---- named readers ------------------------------------------------------------------------
Reader = Callable[[Facts, Resource, str, str], "Fact | None"]


def _runtime(facts: Facts, resource: Resource, name: str, _: str) -> Fact | None:
    value = resource.get("runtime")
    return Fact(name, value, resource, "runtime") if isinstance(value, str) or is_unknown(value) else None


def _has(facts: Facts, resource: Resource, name: str, attribute: str) -> Fact:
    value = resource.get(attribute)
    return Fact(name, UNKNOWN if is_unknown(value) else bool(value), resource, attribute)


def _sqs_encrypted(facts: Facts, resource: Resource, name: str, _: str) -> Fact:
    key, managed = resource.get("kms_master_key_id"), resource.get("sqs_managed_sse_enabled")
    if isinstance(key, (str, Ref)) and key:
        return Fact(name, True, resource, "kms_master_key_id")
    if is_unknown(managed):
        return Fact(name, UNKNOWN, resource, "sqs_managed_sse_enabled")
    return Fact(name, managed is not False, resource, "sqs_managed_sse_enabled")  # on by default since 2022


def _public_ip(facts: Facts, resource: Resource, name: str, _: str) -> Fact:
    """An EC2 instance's public address: `associate_public_ip_address`, else its subnet's
    `map_public_ip_on_launch` (what AWS applies when the instance does not say)."""
    value = resource.get("associate_public_ip_address")
    if value is not None:
        return Fact(name, truthy(value), resource, "associate_public_ip_address")
    subnet = resource.get("subnet_id")
    if subnet is None:
        why = "not known from the configuration: without `subnet_id` the default VPC's subnet decides"
        return Fact(name, UNKNOWN, resource, "subnet_id", why)
    subnets = facts.targets(subnet.address) if isinstance(subnet, Ref) else []  # several: one of a for_each
    mapped = [truthy(s.get("map_public_ip_on_launch", False)) for s in subnets]
    if not subnets or any(is_unknown(m) for m in mapped) or len(set(mapped)) > 1:
        why = "not known from the configuration: it is not set, and its subnet's default is not known"
        return Fact(name, UNKNOWN, resource, "subnet_id", why)
    return Fact(name, mapped[0], subnets[0], "map_public_ip_on_launch",
                f"`{resource.address}` does not set `associate_public_ip_address`: its subnet decides")  # fmt: skip


def tls_of_policy(policy: Any) -> Any:
    if is_unknown(policy):
        return UNKNOWN
    policy = policy or DEFAULT_TLS_POLICY
    if policy in TLS_POLICIES:
        return TLS_POLICIES[policy]
    match = _POLICY_VERSION.search(str(policy))
    return f"1.{match.group(1)}" if match else UNKNOWN


def _listener_tls(facts: Facts, resource: Resource, name: str, _: str) -> Fact | None:
    actions = resource.get("default_action")
    if (
        isinstance(actions, list)
        and actions
        and all(isinstance(a, dict) and a.get("type") in ("redirect", "fixed-response") for a in actions)
    ):
        return None  # serves no data: a redirect to HTTPS or a fixed answer
    protocol = resource.get("protocol")
    if is_unknown(protocol):
        return Fact(name, UNKNOWN, resource, "protocol")
    if str(protocol).upper() in ("HTTPS", "TLS"):
        return Fact(name, tls_of_policy(resource.get("ssl_policy")), resource, "ssl_policy")
    return Fact(name, "none", resource, "protocol")


def _trail_logging(facts: Facts, resource: Resource, name: str, _: str) -> Fact:
    """A trail that logs every region: `enable_logging` (default true) and `is_multi_region_trail` (default false)."""
    logging = resource.get("enable_logging")
    logging = True if logging is None else truthy(logging)
    if logging is not True:
        return Fact(name, logging, resource, "enable_logging", "" if is_unknown(logging) else "does not log")
    regions = resource.get("is_multi_region_trail")
    regions = False if regions is None else truthy(regions)
    why = "logs only its own region" if regions is False else ""
    return Fact(name, regions, resource, "is_multi_region_trail", why)


def policy_statements(policy: Any) -> Any:
    """The statements of an IAM policy given as JSON text or as a structure; UNKNOWN when not known."""
    if is_unknown(policy):
        return UNKNOWN
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return UNKNOWN
    if not isinstance(policy, dict):
        return UNKNOWN if policy is not None else []
    statements = policy.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    return statements if isinstance(statements, list) else UNKNOWN


def _mfa_policy(facts: Facts, resource: Resource, name: str, _: str) -> Fact:
    """Enforces MFA: a Deny statement conditioned on `aws:MultiFactorAuthPresent` being false."""
    statements = policy_statements(resource.get("policy"))
    if is_unknown(statements):
        return Fact(name, UNKNOWN, resource, "policy")
    unknown = False
    for statement in statements:
        if not isinstance(statement, dict):
            unknown = unknown or is_unknown(statement)
            continue
        effect, condition = statement.get("Effect"), statement.get("Condition")
        if is_unknown(effect) or is_unknown(condition):
            unknown = True
            continue
        if effect != "Deny":
            continue
        for test in condition.values() if isinstance(condition, dict) else ():
            if is_unknown(test):
                unknown = True
            if not isinstance(test, dict):
                continue
            for key, values in test.items():
                values = values if isinstance(values, list) else [values]
                if key.lower() == "aws:multifactorauthpresent" and any(
                    isinstance(v, (str, bool)) and str(v).lower() == "false" for v in values
                ):
                    return Fact(name, True, resource, "policy")
                unknown = unknown or (key.lower() == "aws:multifactorauthpresent" and any(map(is_unknown, values)))
    return Fact(name, UNKNOWN if unknown else False, resource, "policy")


def _public_statement(statement: Any) -> Any:
    """Whether a policy statement lets anyone in: True, False, or UNKNOWN."""
    if is_unknown(statement):
        return UNKNOWN
    if not isinstance(statement, dict):
        return False
    effect, condition, principal = statement.get("Effect"), statement.get("Condition"), statement.get("Principal")
    if any(is_unknown(v) for v in (effect, condition, principal)):
        return UNKNOWN
    if effect != "Allow" or condition:
        return False
    if principal == "*":
        return True
    if isinstance(principal, dict):
        aws = principal.get("AWS")
        if is_unknown(aws) or (isinstance(aws, list) and any(map(is_unknown, aws))):
            return UNKNOWN
        return aws == "*" or (isinstance(aws, list) and "*" in aws)
    return False


def _bucket_public(facts: Facts, resource: Resource, name: str, _: str) -> Fact:
    """Public through its policy or ACL, unless the public access block stops that."""
    parts = facts.parts(resource)
    block = next((p for p in parts if p.type == "aws_s3_bucket_public_access_block"), None)

    def blocked(*keys: str) -> Any:
        if block is None:
            return False
        values = [truthy(block.get(k, False)) for k in keys]
        if any(v is True for v in values):
            return True
        return UNKNOWN if any(is_unknown(v) for v in values) else False

    evidence: list[Fact] = []
    policy_sources = [p for p in parts if p.type == "aws_s3_bucket_policy"] + [resource]
    for owner in policy_sources:
        statements = policy_statements(owner.get("policy"))
        public = UNKNOWN if is_unknown(statements) else _any([_public_statement(s) for s in statements])
        if is_unknown(public):
            evidence.append(Fact(name, UNKNOWN, owner, "policy"))
        elif public:
            stop = blocked("block_public_policy", "restrict_public_buckets")
            evidence.append(Fact(name, UNKNOWN if is_unknown(stop) else not stop, owner, "policy"))
    for owner in [p for p in parts if p.type == "aws_s3_bucket_acl"] + [resource]:
        acl = owner.get("acl")
        if is_unknown(acl):
            evidence.append(Fact(name, UNKNOWN, owner, "acl"))
        elif acl in ("public-read", "public-read-write"):
            stop = blocked("block_public_acls", "ignore_public_acls")
            evidence.append(Fact(name, UNKNOWN if is_unknown(stop) else not stop, owner, "acl"))
    if not evidence:
        return Fact(name, False, block or resource, "")
    return _combine(name, evidence)


def _any(values: list[Any]) -> Any:
    """True when one is True; else UNKNOWN when one is unknown; else False."""
    if any(v is True for v in values):
        return True
    return UNKNOWN if any(is_unknown(v) for v in values) else False


FACT_READERS: dict[str, Reader] = {
    "runtime": _runtime,
    "public_ip": _public_ip,
    "has": _has,
    "sqs_encrypted": _sqs_encrypted,
    "listener_tls": _listener_tls,
    "trail_logging": _trail_logging,
    "mfa_policy": _mfa_policy,
    "bucket_public": _bucket_public,
}
