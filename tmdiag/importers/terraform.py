"""`tmdiag import terraform`: draft a `.tm` model from Terraform (a folder of `.tf` files, or a plan or
state from `terraform show -json`).

Boundaries: the internet, the AWS account, VPCs, subnets (nested). Elements: one per resource
block the mapping table draws (all its instances together), with `ingress` from its security
groups, `public`, `encrypted_at_rest`, `min_tls`, and `iac` links to the resource and its parts.
Flows: from the internet to what it can reach, between security groups that let each other in,
from load balancers to their targets, and from event sources to functions. Everything read but
not drawn is listed as comments at the end; facts known only after apply are noted, not guessed.
The text is laid out by tmdiag's formatter.
"""

from __future__ import annotations

import argparse
import ipaddress
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.iac import VAR_FILE_HELP, mapping, read
from tmdiag.iac.facts import Facts, IngressRule
from tmdiag.iac.resources import Infrastructure, Ref, Resource, base_address
from tmdiag.memory import gc_paused
from tmdiag.syntax.grammar import KEYWORDS_FOR_STATEMENTS

PROTOCOLS = {
    22: "ssh", 80: "http", 443: "https", 3306: "mysql", 5432: "postgres", 6379: "redis", 1433: "mssql",
    27017: "mongodb", 3389: "rdp", 9200: "https", 8080: "http", 8443: "https", 53: "dns", 25: "smtp",
}  # fmt: skip
KEYWORDS = frozenset({*KEYWORDS_FOR_STATEMENTS, "reply", "true", "false"})
PROTOCOL_NAMES = {"postgres": "PostgreSQL", "mysql": "MySQL", "redis": "Redis", "mssql": "SQL Server",
                  "mongodb": "MongoDB", "ssh": "SSH", "rdp": "RDP", "aws": "AWS API"}  # fmt: skip
AUTHENTICATED = ("ssh", "aws")  # protocols that cannot be used without authenticating
# Ranges that are not the internet: private, shared (CGNAT), loopback, link-local.
LOCAL_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "fc00::/7", "fe80::/10", "::1/128",
))  # fmt: skip
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*")


@dataclass
class _Node:
    id: str
    kind: str  # boundary | element kind
    label: str
    parent: str | None
    attributes: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)


@dataclass
class _Flow:
    source: str
    sink: str
    label: str
    attributes: list[tuple[str, str]]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _list(values: list[str]) -> str:
    return "[" + ", ".join(_quote(v) for v in values) + "]"


class Drafter:
    def __init__(self, infra: Infrastructure, name: str):
        self.infra = infra
        self.name = name
        self.facts = Facts(infra)
        self.nodes: dict[str, _Node] = {}
        self.by_base: dict[str, str] = {}  # resource base address -> node id
        self.flows: list[_Flow] = []
        self.flow_keys: set[tuple[str, str, Any]] = set()
        self.drawn: set[str] = set()  # bases linked by some node
        self.as_flows: dict[str, str] = {}  # resource base address -> the flow drawn for it

    # ---- ids and labels ----------------------------------------------------------------
    def new_id(self, wanted: str, suffix: str) -> str:
        text = re.sub(r"[^A-Za-z0-9_-]+", "_", wanted).strip("_-") or "node"
        text = re.sub(r"-{2,}", "-", text)
        if not _NAME.fullmatch(text):
            text = "r_" + re.sub(r"[^A-Za-z0-9_]", "_", text)
        candidates = itertools.chain((text, f"{text}_{suffix}"), (f"{text}_{suffix}_{n}" for n in itertools.count(2)))
        return next(c for c in candidates if c not in self.nodes and c not in KEYWORDS)

    def label(self, row: mapping.Row, resources: list[Resource]) -> str:
        first = resources[0]
        name = first.name
        noun = f"{row.noun[0].upper()}{row.noun[1:]} {name}"
        if len(resources) > 1:
            return f"{noun} (×{len(resources)})"
        for path in row.label:
            value = first.get(path)
            if isinstance(value, str) and value and value != name:
                return f"{noun} ({value})"
        return noun

    # ---- structure ---------------------------------------------------------------------
    def groups(self) -> list[tuple[str, list[Resource]]]:
        """Resources by base address, sorted by address (one node per resource block)."""
        return sorted((b, self.infra.instances(b)) for b in self.infra.bases())

    def build(self) -> None:
        groups = self.groups()
        self.nodes["internet"] = _Node("internet", "boundary", "Internet", None,
                                       [("trust", "untrusted"), ("kind", "internet")])  # fmt: skip
        self.nodes["aws"] = _Node("aws", "boundary", "AWS account", None,
                                  [("trust", "high"), ("kind", "account"), ("cloud", "aws")])  # fmt: skip
        for role in ("boundary", "element"):
            for base, resources in groups:
                row = mapping.row(resources[0].type)
                if row is not None and row.role == role:
                    self.add(base, row, resources)
            if role == "boundary":  # boundaries nest in each other: place them once all are known
                for node in self.nodes.values():
                    if node.resources:
                        row = mapping.row(node.resources[0].type)
                        node.parent = self.parent_of(row, node.resources) if row else "aws"
        self.account([r for _, rs in groups for r in rs])
        self.internet_flows()
        self.group_flows()
        self.target_flows()
        self.connection_flows()

    def parent_of(self, row: mapping.Row, resources: list[Resource]) -> str:
        found = {self.by_base.get(base_address(a)) for r in resources for a in self.facts.references(r, row.inside)}
        found.discard(None)
        if len(found) == 1:
            return str(found.pop())
        parents = {self.nodes[f].parent for f in found if f is not None}
        return str(parents.pop()) if len(parents) == 1 and None not in parents else "aws"

    def add(self, base: str, row: mapping.Row, resources: list[Resource]) -> None:
        node_id = self.new_id(resources[0].name, row.noun.split()[-1].lower())
        kind = "boundary" if row.role == "boundary" else row.kind
        node = _Node(node_id, kind, self.label(row, resources), self.parent_of(row, resources), resources=resources)
        self.nodes[node_id] = node
        self.by_base[base] = node_id
        if row.role == "boundary":
            node.attributes.append(("kind", row.kind))
            public = self.facts.fact(resources, "public")
            node.attributes.append(("trust", "low" if public is not None and public.value is True else "medium"))
            if public is not None and public.value is True:  # not `public: true`: that would expose all inside
                node.notes.append(f"gives instances launched here a public IP (`{public.path}`); "
                                  "the elements inside say whether they are public")  # fmt: skip
            node.attributes.append(("iac", _list([base])))
            self.drawn.add(base)
            return
        if row.icon:
            node.attributes.append(("icon", row.icon))
        node.attributes.extend(row.draft)
        self.element_facts(node, row, resources)
        links = [base]
        for resource in resources:
            links += [p.base for p in self.facts.parts(resource)]
            links += [g.base for g in self.facts.groups(resource)]
            links += [p.base for g in self.facts.groups(resource) for p in self.facts.parts(g)]
        links = list(dict.fromkeys(links))
        self.drawn.update(links)
        node.attributes.append(("iac", _list(links)))

    def element_facts(self, node: _Node, row: mapping.Row, resources: list[Resource]) -> None:
        rules = self.ingress(resources)
        cidrs = list(dict.fromkeys(r.text() for r in rules if r.known and r.is_cidr))
        if cidrs:
            node.attributes.append(("ingress", _list(cidrs)))
        for rule in rules:
            if not rule.known:
                node.notes.append(f"an ingress rule of `{rule.resource.address}` is known only after apply")
        public = self.facts.fact(resources, "public")
        if public is not None and public.value is True:
            node.attributes.append(("public", "true"))
        self.note_unknown(node, public)
        for name, write in (("encrypted_at_rest", row.kind == "datastore"), ("backup", True), ("versioning", True)):
            fact = self.facts.fact(resources, name)
            self.note_unknown(node, fact)
            if fact is not None and fact.known and (fact.value is True or write):
                node.attributes.append((name, "true" if fact.value is True else "false"))
        tls = self.facts.fact(resources, "min_tls")
        self.note_unknown(node, tls)
        if tls is not None and tls.known and tls.value != "none":
            node.attributes.append(("min_tls", str(tls.value)))
        runtime = self.facts.fact(resources, "environment")
        if runtime is not None and isinstance(runtime.value, str):
            node.attributes.append(("environment", _quote(runtime.value)))

    def note_unknown(self, node: _Node, fact: Any) -> None:
        if fact is not None and not fact.known:
            node.notes.append(f"`{fact.name}` is {fact.unknown_because()} (`{fact.resource.address}` {fact.path})")

    def ingress(self, resources: list[Resource]) -> list[IngressRule]:
        found: dict[tuple[str, str, str], IngressRule] = {}
        for resource in resources:
            for rule in self.facts.ingress(resource):
                found.setdefault((rule.resource.address, rule.path, str(rule.source)), rule)
        return list(found.values())

    def account(self, resources: list[Resource]) -> None:
        node = self.nodes["aws"]
        linked: list[str] = []
        for resource in resources:
            row = mapping.row(resource.type)
            if row is None or row.role != "account":
                continue
            mfa = self.facts.read_one(resource, "mfa", "@mfa_policy") if resource.type.startswith("aws_iam_") else None
            if mfa is not None and resource.type != "aws_iam_account_password_policy" and mfa.value is not True:
                continue  # an IAM policy that does not enforce MFA is not an account control
            linked.append(resource.base)
        trails = self.facts.fact(resources, "audit_log")
        if trails is not None and trails.known:
            node.attributes.append(("audit_log", "true" if trails.value is True else "false"))
        elif trails is None:  # an organization's trail may log this account: set `audit_log` to what it does
            node.notes.append("no CloudTrail trail in this configuration: set `audit_log:` to what logs the account")
        else:
            node.notes.append(f"trail logging is {trails.unknown_because()} (`{trails.resource.address}`)")
        mfa = self.facts.fact([r for r in resources if r.type.startswith("aws_iam_")], "mfa")
        if mfa is not None and mfa.value is True:
            node.attributes.append(("mfa", "required"))
        else:
            node.notes.append(
                "no IAM policy denies access without MFA: set `mfa:` to what the identity provider enforces"
            )
        linked = list(dict.fromkeys(linked))
        self.drawn.update(linked)
        if linked:
            node.attributes.append(("iac", _list(linked)))

    # ---- flows ---------------------------------------------------------------------------
    def element_of(self, address: str) -> str | None:
        node_id = self.by_base.get(base_address(address))
        return node_id if node_id is not None and self.nodes[node_id].kind != "boundary" else None

    def add_flow(self, source: str, sink: str, port: Any, protocol: str | None = None, tls: str | None = None) -> None:
        if source == sink or (source, sink, port) in self.flow_keys:
            return
        self.flow_keys.add((source, sink, port))
        port_number = port if isinstance(port, int) else None
        protocol = protocol or PROTOCOLS.get(port_number or -1, "tcp")
        attributes = [("protocol", protocol)]
        if port_number is not None:
            attributes.append(("port", str(port_number)))
        encrypted = protocol in ("https", "tls", "ssh", "aws") or tls not in (None, "none")
        if tls not in (None, "none"):
            attributes.append(("tls", str(tls)))
        if encrypted:
            attributes.append(("encrypted", "true"))
        if protocol in AUTHENTICATED:
            attributes.append(("authenticated", "true"))  # the protocol cannot carry data without it
        ports = f" {port_number}" if port_number is not None else ""
        if isinstance(port, tuple):
            ports = " (all ports)" if port == (0, 65535) else f" {port[0]}-{port[1]}"
        label = PROTOCOL_NAMES.get(protocol, protocol.upper()) + ports
        self.flows.append(_Flow(source, sink, label, attributes))

    def internet_flows(self) -> None:
        for node in list(self.nodes.values()):
            if node.kind == "boundary":
                continue
            public = self.facts.fact(node.resources, "public")
            rules = [r for r in self.ingress(node.resources) if r.known and r.is_cidr and _internet(r.source)]
            for rule in rules:
                source = self.client(rule.source)
                for port in self.listener_ports(node, rule):
                    if isinstance(port, tuple):
                        self.add_flow(source, node.id, port, "tcp")
                    else:
                        self.add_flow(source, node.id, port, *self.listener_protocol(node, port))
            if public is not None and public.value is True and not rules and node.kind == "datastore":
                self.add_flow(self.client("0.0.0.0/0"), node.id, 443, "https")

    def listener_ports(self, node: _Node, rule: IngressRule) -> list[int | tuple[int, int]]:
        """The ports a rule opens that something listens on; without known listeners the rule's port,
        or its range as one (first, last) pair."""
        listeners = [p for r in node.resources for p in self.facts.parts(r) if p.type.endswith("_listener")]
        ports = [p.get("port") for p in listeners if isinstance(p.get("port"), int)]
        if ports:
            return [p for p in ports if rule.first_port <= p <= rule.last_port and self.serves(node, p)]
        return [rule.first_port] if rule.first_port == rule.last_port else [(rule.first_port, rule.last_port)]

    def serves(self, node: _Node, port: int) -> bool:
        return self.listener_protocol(node, port)[0] is not None

    def listener_protocol(self, node: _Node, port: int) -> tuple[str | None, str | None]:
        for resource in node.resources:
            for part in self.facts.parts(resource):
                if part.type.endswith("_listener") and part.get("port") == port:
                    fact = self.facts.read_one(part, "min_tls", "@listener_tls")
                    if fact is None:
                        return None, None  # redirects only
                    written = part.get("protocol")
                    protocol = written.lower() if isinstance(written, str) and written else PROTOCOLS.get(port, "tcp")
                    return protocol, str(fact.value) if fact.known else None
        return PROTOCOLS.get(port), None

    def client(self, cidr: str) -> str:
        if cidr in ("0.0.0.0/0", "::/0"):
            node_id, label = "users", "Internet users"
        else:
            node_id, label = "clients_" + re.sub(r"[^0-9A-Za-z]+", "_", cidr).strip("_"), f"Clients in {cidr}"
        if node_id not in self.nodes:
            self.nodes[node_id] = _Node(node_id, "actor", label, "internet")
        return node_id

    def group_flows(self) -> None:
        users: dict[str, list[str]] = {}  # security group base -> elements that use it
        for node in self.nodes.values():
            for resource in node.resources:
                for group in self.facts.groups(resource):
                    users.setdefault(group.base, []).append(node.id)
        for node in list(self.nodes.values()):
            for rule in self.ingress(node.resources):
                if isinstance(rule.source, Ref) and rule.known:
                    for source in dict.fromkeys(users.get(base_address(rule.source.address), [])):
                        port = rule.first_port if rule.first_port == rule.last_port else None
                        self.add_flow(source, node.id, port)

    def target_flows(self) -> None:
        for node in list(self.nodes.values()):
            for resource in node.resources:
                row = mapping.row(resource.type)
                for group in self.facts.references(resource, row.targets if row else ()):
                    self.forward(group, node.id)
        for resource in self.infra.resources:
            row = mapping.row(resource.type)
            if row is not None and row.role == "flow" and resource.type.endswith("target_group_attachment"):
                for group in self.facts.references(resource, (row.flow[0],)):
                    for target in self.facts.references(resource, (row.flow[1],)):
                        if (sink := self.element_of(target)) is not None:
                            self.forward(group, sink)

    def forward(self, target_group: str, sink: str) -> None:
        """Flows from the load balancers whose listeners forward to `target_group`, to `sink`."""
        groups = self.facts.targets(target_group)
        port = next((g.get("port") for g in groups if isinstance(g.get("port"), int)), None)
        protocol = next((str(g.get("protocol")).lower() for g in groups if isinstance(g.get("protocol"), str)), None)
        for resource in self.infra.resources:
            if not resource.type.endswith("_listener"):
                continue
            forwards = self.facts.references(resource, ("default_action.*.target_group_arn",))
            if base_address(target_group) in {base_address(a) for a in forwards}:
                for balancer in self.facts.references(resource, ("load_balancer_arn",)):
                    if (source := self.element_of(balancer)) is not None:
                        self.add_flow(source, sink, port, protocol)

    def connection_flows(self) -> None:
        for resource in self.infra.resources:
            row = mapping.row(resource.type)
            if row is None or row.role != "flow" or resource.type.endswith("target_group_attachment"):
                continue
            for source in self.facts.references(resource, (row.flow[0],)):
                for sink in self.facts.references(resource, (row.flow[1],)):
                    a, b = self.element_of(source), self.element_of(sink)
                    if a is not None and b is not None:
                        self.add_flow(a, b, None, "aws", "1.2")
                        self.as_flows.setdefault(resource.base, f"{a} -> {b}")

    # ---- text ----------------------------------------------------------------------------
    def text(self, source: str) -> str:
        out = [
            f"# Drafted by `tmdiag import terraform {source}`. Review it: add the data each flow carries, the team",
            "# and owners; facts tmdiag could not know are noted below, never guessed.",
            *(
                ["# Some input could not be read: see `Not read` at the end; this draft lacks what it declares."]
                if any(d.severity >= Severity.ERROR for d in self.infra.problems)
                else []
            ),
            f"model {_quote(self.name)} {{ scope: {_quote(f'AWS resources in {source}')}, cloud: aws }}",
            "",
        ]
        self.children: dict[str | None, list[_Node]] = {}
        for node in self.nodes.values():
            self.children.setdefault(node.parent, []).append(node)
        for root in self.children.get(None, []):
            out.extend(self.block(root, 0))
            out.append("")
        for flow in self.flows:
            attributes = ", ".join(f"{k}: {v}" for k, v in flow.attributes)
            out.append(f"{flow.source} -> {flow.sink} {_quote(flow.label)} {{ {attributes} }}")
        out.extend(self.leftovers())
        return "\n".join(out) + "\n"

    def block(self, node: _Node, depth: int) -> list[str]:
        pad = "  " * depth
        keyword = "boundary" if node.kind == "boundary" else node.kind
        children = self.children.get(node.id, [])
        if not node.attributes and not children and not node.notes:
            return [f"{pad}{keyword} {node.id} {_quote(node.label)}"]
        lines = [f"{pad}{keyword} {node.id} {_quote(node.label)} {{"]
        lines += [f"{pad}  # {note}" for note in node.notes]
        lines += [f"{pad}  {key}: {value}" for key, value in node.attributes]
        for child in sorted(children, key=lambda c: (c.kind == "boundary", c.kind != "actor")):
            lines.extend(self.block(child, depth + 1))
        lines.append(f"{pad}}}")
        return lines

    def leftovers(self) -> Iterator[str]:
        supporting, unmapped = [], []
        for base, resources in self.groups():
            if base in self.drawn:
                continue
            row = mapping.row(resources[0].type)
            if base in self.as_flows and row is not None:
                supporting.append(f"{base} ({row.noun}: the flow {self.as_flows[base]})")
            elif row is None:
                unmapped.append(base)
            elif row.role != "element":
                supporting.append(f"{base} ({row.noun})")
        unread = [f"{d.span.path}:{d.span.line}: {d.message} (what it declares is missing above)"
                  for d in self.infra.problems if d.severity >= Severity.ERROR]  # fmt: skip
        if supporting or unmapped or self.infra.skipped or unread:
            yield ""
        if supporting:
            yield "# Read, not drawn (they shape the elements above, or are plumbing):"
            yield from (f"#   {line}" for line in supporting)
        if unmapped:
            yield "# Not mapped (tmdiag has no row for these resource types; see docs/iac.md):"
            yield from (f"#   {base}" for base in unmapped)
        if self.infra.skipped or unread:
            yield "# Not read:"
            yield from (f"#   {line}" for line in (*unread, *self.infra.skipped))


def _internet(cidr: str) -> bool:
    """A source range on the internet (not private, shared, loopback or link-local address space)."""
    try:
        network = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
    return not any(network.version == n.version and network.subnet_of(n) for n in LOCAL_NETWORKS)  # type: ignore[arg-type]


def draft(infra: Infrastructure, name: str, source: str, *, formatted: bool = True) -> str:
    """The drafted model as `.tm` text (laid out by tmdiag's formatter unless `formatted` is False)."""
    with gc_paused():
        drafter = Drafter(infra, name)
        drafter.build()
        text = drafter.text(source)
    if not formatted:
        return text
    from tmdiag.fmt import format_text

    return format_text(text, "draft.tm", verify=False)  # tmdiag wrote it: laid out, not re-proven


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", help="the model's name (default: the folder or file name)")
    parser.add_argument("--var-file", action="append", default=[], metavar="FILE", dest="var_files", help=VAR_FILE_HELP)


def draft_from(args: argparse.Namespace) -> tuple[str | None, list[Diagnostic], dict[str, str]]:
    """The drafted text (None when nothing could be read), the problems met, and the sources to quote."""
    source = Path(args.source)
    infra = read(source, tuple(args.var_files))
    problems = infra.problems
    errors = [p for p in problems if p.severity >= Severity.ERROR]
    if not infra.usable or (errors and not infra.resources):
        return None, problems, infra.texts
    folder = Path(infra.source)
    name = args.name or (folder.resolve().name if folder.is_dir() else source.stem)
    return draft(infra, name, infra.source), problems, infra.texts
