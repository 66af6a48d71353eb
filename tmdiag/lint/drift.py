"""What the TM7xx drift rules share: the model's `iac` links resolved against one infrastructure
(built once per model and infrastructure), the resources each node stands for, what the model covers,
and how a finding names its evidence and a claim that cannot be checked yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tmdiag.diagnostics import Span, closest
from tmdiag.iac import mapping
from tmdiag.iac.facts import Fact, Facts, IngressRule
from tmdiag.iac.resources import Infrastructure, Resource, base_address
from tmdiag.lint.facts import attribute_span, items
from tmdiag.lint.rule import Context, Hit
from tmdiag.model import schema
from tmdiag.model.nodes import Model, Node

OUT_OF_SCOPE = "iac_out_of_scope"  # the model's list of resources it leaves out on purpose


@dataclass(frozen=True)
class Link:
    node: Node
    address: str
    span: Span
    resources: tuple[Resource, ...]
    key: str = "iac"  # the attribute it is written in


def addresses(model: Model) -> set[str]:
    """Every well-formed address a model names (`iac` links and its `iac_out_of_scope` list)."""
    found: set[str] = set()
    for node in (*model.boundaries, *model.elements, *((model.info,) if model.info is not None else ())):
        for key in ("iac", OUT_OF_SCOPE):
            found.update(a for a in items(node.get(key)) if isinstance(a, str) and schema.ADDRESS.fullmatch(a))
    return found


class Drift:
    """What every TM7xx rule reads, built once per (model, infrastructure)."""

    def __init__(self, model: Model, infra: Infrastructure, elsewhere: Iterable[str] = ()):
        self.model = model
        self.infra = infra
        self.facts = Facts(infra)
        self.links: list[Link] = []
        self.by_node: dict[int, list[Link]] = {}
        self.elsewhere = frozenset(elsewhere)
        nodes = (*model.boundaries, *model.elements, *((model.info,) if model.info is not None else ()))
        for node in nodes:
            for key in ("iac", OUT_OF_SCOPE):
                attr = node.attribute(key)
                if attr is None:
                    continue
                values = items(attr.value)
                spans = attr.item_spans or (attr.value_span,) * len(values)
                for address, span in zip(values, spans, strict=False):
                    if isinstance(address, str) and schema.ADDRESS.fullmatch(address):
                        link = Link(node, address, span, tuple(infra.find(address)), key)
                        self.links.append(link)
                        if key == "iac":
                            self.by_node.setdefault(id(node), []).append(link)
        self._pool: list[str] | None = None

    def linked(self, node: Node) -> list[Resource]:
        """The resources a node links, with the resources they own (parts) being read through them."""
        out: dict[str, Resource] = {}
        for link in self.by_node.get(id(node), ()):
            for resource in link.resources:
                out.setdefault(resource.address, resource)
        return list(out.values())

    def links_of(self, node: Node) -> list[Link]:
        return self.by_node.get(id(node), [])

    def covered(self) -> set[str]:
        """Addresses (instances and bases) the model links or leaves out on purpose, those other models
        checked in the same run link, the primaries of linked parts, and what a broken link most likely
        meant (TM701 names it: TM708 need not report it again)."""
        seen: set[str] = set()
        found = [r for link in self.links for r in link.resources]
        found += [r for address in sorted(self.elsewhere) for r in self.infra.find(address)]
        for resource in found:
            seen.update((resource.address, resource.base))
            row = mapping.row(resource.type)
            if row is not None and row.role == "part":
                seen.update(self.facts.references(resource, row.part_of))
        seen.update(meant for link in self.links if not link.resources and (meant := self.meant(link.address)))
        return seen

    def meant(self, address: str) -> str | None:
        """The address a link to nothing most likely meant: the same resource in another module, a near
        spelling of its name among resources of its type and module, or its name under a near spelling
        of its type. Never a resource of another type with another name."""
        if self._pool is None:
            self._pool = sorted(self.infra.bases())
        base = base_address(address)
        key = address[len(base) :]  # `[0]`, `["a"]` or ""
        module, kind, name = _parts(base)
        moved = [a for a in self._pool if a != base and _parts(a)[1:] == (kind, name)]
        near: str | None = moved[0] if len(moved) == 1 else None
        if near is None:
            siblings = {p[2]: a for a in self._pool if (p := _parts(a))[:2] == (module, kind)}
            spelt = closest(name, sorted(siblings))
            near = siblings[spelt] if spelt is not None else None
        if near is None:
            types = {p[1]: a for a in self._pool if (p := _parts(a))[0] == module and p[2] == name}
            spelt = closest(kind, sorted(types))
            near = types[spelt] if spelt is not None else None
        if near is not None and key and self.infra.resource(near + key) is not None:
            return near + key
        return near


def _parts(address: str) -> tuple[str, str, str]:
    """(module path, type, name) of an address without instance key: `module.net.`, `aws_vpc`, `main`."""
    head, _, name = address.rpartition(".")
    module, _, kind = head.rpartition(".")
    return (module + "." if module else ""), kind, name


_last: tuple[Model, Infrastructure, frozenset[str], Drift] | None = None


def drift(model: Model, ctx: Context) -> Drift | None:
    """The drift of a model against the context's infrastructure; None without infrastructure."""
    global _last
    infra = ctx.infrastructure
    if infra is None:
        return None
    if _last is None or _last[0] is not model or _last[1] is not infra or _last[2] != ctx.linked_elsewhere:
        _last = (model, infra, ctx.linked_elsewhere, Drift(model, infra, ctx.linked_elsewhere))
    return _last[3]


def evidence(fact: Fact | IngressRule, what: str) -> tuple[tuple[str, Span], ...]:
    """The related location of a finding: the attribute in the `.tf` file, the address in a plan, or
    the cloud resource; with the reason the reader gave (a default, a neighbour that decides)."""
    resource = fact.resource
    why = f" ({fact.why})" if isinstance(fact, Fact) and fact.why and fact.known and fact.why not in what else ""
    where = fact.span if resource.where.in_file else resource.where
    return ((f"`{resource.address}` {what}{why}", where),)


@dataclass(frozen=True)
class Unknown:
    """A claim that cannot be checked: the fact is not known before apply (reported by TM709)."""

    hit: Hit


Found = Iterator[Hit | Unknown]


def unknown(node: Node, claim: str, facts: list[Fact] | list[IngressRule], what: str) -> Unknown:
    """TM709: `node`'s claim (written, or the default it takes) cannot be compared: `what` of the
    resources the facts come from is not known."""
    first = facts[0]
    because = first.unknown_because() if isinstance(first, Fact) else "known only after apply"
    owners = list(dict.fromkeys(f"`{f.resource.address}`" for f in facts))
    whose = owners[0] if len(owners) == 1 else f"{', '.join(owners[:-1])} and {owners[-1]}"
    if node.has(claim):
        value = node.get(claim)
        said = f"claims `{claim}`" if isinstance(value, tuple) else f"claims `{claim}: {_written(value)}`"
    elif claim == "ingress":
        said = "lists no `ingress`"
    else:
        said = f"is not `{claim}` (the default)"
    notes = tuple(note for f in facts for note in evidence(f, "is not known yet"))
    return Unknown(
        Hit(
            attribute_span(node, claim),
            f"`{node.id}` {said}, but {what} of {whose} {'are' if len(facts) > 1 else 'is'} {because}",
            "check again after apply, or against the state or the live account (`tmdiag drift --aws`)",
            tuple(dict.fromkeys(notes)),
        )
    )


def _written(value: object) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def known(found: Found) -> Iterator[Hit]:
    return (hit for hit in found if isinstance(hit, Hit))
