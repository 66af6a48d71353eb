"""Generated models with a realistic shape, for measuring how legible diagrams are.

`generate.system()` spreads elements round-robin over ten boundaries and links them at random: every
flow crosses boundaries. Real systems do not look like that. Here:

- the internet (actors, partners) at the top; cloud accounts below it holding VPCs, VPCs holding
  subnets, and some subnets holding cluster namespaces: boundaries nested 2 to 4 deep;
- about 12 elements per boundary (4 to 20), labelled like services ("Orders API 3");
- about 1.6 flows per element: 70 % inside one boundary (service chains), 22 % to a neighbour
  (a sibling, the parent or a child), 8 % far across the tree; a third of them have a reply.

    text = realistic(300)   # .tm source, deterministic for a size
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

WORDS = ("Orders", "Payments", "Catalog", "Search", "Accounts", "Billing", "Shipping", "Inventory", "Reviews",
         "Pricing", "Identity", "Notifications", "Reports", "Ledger", "Fraud", "Media", "Support", "Audit")  # fmt: skip
ROLES = (("process", "API"), ("process", "worker"), ("server", "host"), ("lambda", "function"),
         ("datastore", "DB"), ("datastore", "cache"), ("process", "gateway"), ("datastore", "queue"),
         ("llm", "model"), ("agent", "agent"))  # fmt: skip
ROLE_WEIGHTS = (26, 14, 10, 10, 14, 6, 8, 6, 3, 3)
VERBS = ("Read", "Write", "Publish", "Query", "Update", "Fetch", "Send", "Sync", "Score", "Store")
WIRES = (("https", 443), ("grpc", 8443), ("postgres", 5432), ("amqp", 5671), ("redis", 6379))


@dataclass
class Shape:
    boundaries: list[tuple[str, str | None, str, str]] = field(default_factory=list)  # id, parent, label, trust
    elements: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, kind, label, boundary
    flows: list[tuple[str, str, str, str, int, bool]] = field(
        default_factory=list
    )  # src, dst, label, proto, port, reply


def shape(n_elements: int, seed: int = 16) -> Shape:
    rng = random.Random(seed * 100_003 + n_elements)
    out = Shape()
    n_boundaries = max(5, round(n_elements / 12))
    out.boundaries.append(("internet", None, "Internet", "untrusted"))
    leaves: list[str] = []
    accounts = max(1, n_boundaries // 12)
    made = 1
    for a in range(accounts):
        account = f"acct{a}"
        out.boundaries.append((account, None, f"AWS account {a}", "high"))
        made += 1
        for v in range(3):
            if made >= n_boundaries:
                break
            vpc = f"{account}_vpc{v}"
            out.boundaries.append((vpc, account, f"VPC {a}.{v}", "high"))
            made += 1
            for s in range(3):
                if made >= n_boundaries:
                    break
                subnet = f"{vpc}_net{s}"
                out.boundaries.append((subnet, vpc, f"Subnet {a}.{v}.{s}", ("medium", "high", "high")[s]))
                leaves.append(subnet)
                made += 1
                if s == 2 and made < n_boundaries:  # a cluster namespace: 4 deep
                    namespace = f"{subnet}_ns"
                    out.boundaries.append((namespace, subnet, f"Namespace {a}.{v}.{s}", "high"))
                    leaves.append(namespace)
                    made += 1
        if made >= n_boundaries:
            break
    inner = [b for b, parent, _, _ in out.boundaries if parent is not None and b not in leaves]
    holders = ["internet", *leaves, *inner[: max(1, len(leaves) // 3)]]
    weights = [0.6 if h == "internet" else 1.0 for h in holders]
    members: dict[str, list[str]] = {h: [] for h in holders}
    for i in range(n_elements):
        holder = holders[i] if i < len(holders) else rng.choices(holders, weights)[0]
        if holder == "internet":
            kind, role = ("actor", "user") if rng.random() < 0.6 else ("external", "partner")
        else:
            kind, role = rng.choices(ROLES, ROLE_WEIGHTS)[0]
        eid = f"e{i}"
        out.elements.append((eid, kind, f"{WORDS[i % len(WORDS)]} {role} {i}", holder))
        members[holder].append(eid)
    parent = {b: p for b, p, _, _ in out.boundaries}
    neighbours: dict[str, list[str]] = {h: [] for h in holders}
    for h in holders:
        for other in holders:
            if other != h and members[other] and (parent.get(h) == parent.get(other) or parent.get(h) == other
                                                  or parent.get(other) == h):  # fmt: skip
                neighbours[h].append(other)
    where = {eid: holder for eid, _, _, holder in out.elements}
    everyone = [e[0] for e in out.elements]
    for eid, _, _, holder in out.elements:
        for _ in range(rng.choice((1, 1, 2, 2, 2))):
            roll = rng.random()
            pool = [m for m in members[holder] if m != eid]
            if holder == "internet" or roll > 0.92 or not pool:
                pool = [m for m in everyone if where[m] != holder] or pool
            elif roll > 0.70 and neighbours[holder]:
                pool = members[rng.choice(neighbours[holder])]
            if not pool:
                continue
            sink = rng.choice(pool)
            proto, port = rng.choice(WIRES)
            label = f"{rng.choice(VERBS)} {WORDS[int(sink[1:]) % len(WORDS)].lower()}"
            out.flows.append((eid, sink, label, proto, port, rng.random() < 0.33))
    return out


def to_tm(spec: Shape) -> str:
    out = [f'model "Realistic {len(spec.elements)}" {{ scope: "legibility benchmark" }}']
    children: dict[str | None, list[tuple[str, str, str]]] = {}
    for bid, parent, label, trust in spec.boundaries:
        children.setdefault(parent, []).append((bid, label, trust))
    members: dict[str, list[tuple[str, str, str]]] = {}
    for eid, kind, label, boundary in spec.elements:
        members.setdefault(boundary, []).append((eid, kind, label))

    def write(bid: str, label: str, trust: str, indent: str) -> None:
        out.append(f'{indent}boundary {bid} "{label}" {{')
        out.append(f"{indent}  trust: {trust}")
        for eid, kind, text in members.get(bid, []):
            out.append(f'{indent}  {kind} {eid} "{text}"')
        for child in children.get(bid, []):
            write(*child, indent + "  ")
        out.append(f"{indent}}}")

    for top in children.get(None, []):
        write(*top, "")
    for src, dst, label, proto, port, reply in spec.flows:
        tail = ' reply "OK"' if reply else ""
        out.append(f'{src} -> {dst} "{label}" {{ protocol: {proto}, port: {port} }}{tail}')
    return "\n".join(out) + "\n"


def realistic(n_elements: int, seed: int = 16) -> str:
    """A model of about `n_elements` elements with a realistic shape, as `.tm` text."""
    return to_tm(shape(n_elements, seed))
