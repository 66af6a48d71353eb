"""What tmdiag knows of deployed infrastructure: resources with Terraform-shaped values, wherever they
were read from (`.tf` files, a plan or state as JSON, the AWS APIs).

Values are plain Python (str, int, float, bool, None, list, dict) plus two markers:
`UNKNOWN` (known only after apply, computed, or an expression tmdiag does not evaluate: never
guessed) and `Ref(address)` (a reference to another resource, by address).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tmdiag.diagnostics import Diagnostic, Span


class _Unknown:
    """A value not known before apply (or not evaluated): compares equal only to itself."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("an unknown value is neither true nor false")


UNKNOWN: Any = _Unknown()


def is_unknown(value: object) -> bool:
    return value is UNKNOWN


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a resource: `aws_security_group.web` (every instance) or `aws_subnet.a[0]`."""

    address: str


UNUSABLE = frozenset({"E502", "E503"})  # problems that leave nothing to read: exit 2
_KEY = re.compile(r'\[(?:[0-9]+|"(?:[^"\\]|\\.)*"|\*)\]$')


def base_address(address: str) -> str:
    """The address without its instance key: `aws_instance.web[0]` -> `aws_instance.web`."""
    return _KEY.sub("", address)


@dataclass
class Resource:
    """One resource instance. `where` is the block in a `.tf` file, the address in a plan, or the
    cloud identifier (`Span.resource(arn)`); `spans` the places of attributes, by dotted path
    (`ingress.1`, `ingress.1.cidr_blocks`, `enable_logging`)."""

    address: str
    type: str
    values: dict[str, Any]
    where: Span
    spans: dict[str, Span] = field(default_factory=dict)
    ids: tuple[str, ...] = ()  # cloud identifiers (id, arn, name) that other resources may cite

    @property
    def base(self) -> str:
        return base_address(self.address)

    @property
    def name(self) -> str:
        return self.base.rsplit(".", 1)[-1]

    @property
    def module(self) -> str:
        """`module.net` for `module.net.aws_vpc.main`; empty at the root."""
        head = self.base.rsplit(".", 2)[0] if self.base.count(".") >= 2 else ""
        return head.removesuffix(".data") if head.endswith(".data") else ("" if head == "data" else head)

    def get(self, path: str, default: Any = None) -> Any:
        """A value by dotted path (`root_block_device.0.encrypted`); `default` when absent."""
        value: Any = self.values
        for part in path.split("."):
            if is_unknown(value):
                return UNKNOWN
            if isinstance(value, dict):
                if part not in value:
                    if part == "0":  # a single block written as an object (JSON syntax, the AWS reader)
                        continue
                    return default
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                return default
        return value

    def span(self, path: str = "") -> Span:
        """Where an attribute is written: the longest known prefix of `path`, else the resource."""
        while path:
            if path in self.spans:
                return self.spans[path]
            path = path.rpartition(".")[0]
        return self.where


@dataclass
class Infrastructure:
    """Resources read from one source, and the problems met reading it."""

    source: str  # what was read, as shown to users (a folder, a plan file, `aws:eu-west-1`)
    resources: list[Resource] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what could not be read at all, in words
    texts: dict[str, str] = field(default_factory=dict)  # text of the files `problems` point into
    _by_address: dict[str, Resource] = field(default_factory=dict, repr=False)
    _by_base: dict[str, list[Resource]] = field(default_factory=dict, repr=False)

    @property
    def usable(self) -> bool:
        """False when there was nothing to read (no such path, no Terraform files): nothing to compare with."""
        return not any(p.code in UNUSABLE for p in self.problems)

    def add(self, resource: Resource) -> None:
        if resource.address in self._by_address:
            return
        self.resources.append(resource)
        self._by_address[resource.address] = resource
        self._by_base.setdefault(resource.base, []).append(resource)

    def find(self, address: str) -> list[Resource]:
        """The instance an address names, or every instance of a resource named without a key."""
        exact = self._by_address.get(address)
        if exact is not None:
            return [exact]
        return list(self._by_base.get(address, ()))

    def resource(self, address: str) -> Resource | None:
        return self._by_address.get(address)

    def bases(self) -> Iterator[str]:
        return iter(self._by_base)

    def instances(self, base: str) -> list[Resource]:
        return self._by_base.get(base, [])

    def resolve_ids(self, attributes: frozenset[str]) -> None:
        """Turn literal cloud ids (`sg-0abc`, ARNs) in reference attributes into `Ref`s."""
        from tmdiag.iac.mapping import row

        by_id: dict[str, str] = {}
        parts = [r for r in self.resources if (found := row(r.type)) is not None and found.role == "part"]
        part_ids = {id(r) for r in parts}
        for resource in [r for r in self.resources if id(r) not in part_ids] + parts:  # a bucket, not its settings
            for i in resource.ids:
                by_id.setdefault(i, resource.address)
        if not by_id:
            return

        def convert(value: Any, key: str, own: str) -> Any:
            if isinstance(value, str) and key in attributes and by_id.get(value, own) != own:
                return Ref(by_id[value])
            if isinstance(value, list):
                return [convert(v, key, own) for v in value]
            if isinstance(value, dict):
                return {k: convert(v, k, own) for k, v in value.items()}
            return value

        for resource in self.resources:
            resource.values = {k: convert(v, k, resource.address) for k, v in resource.values.items()}
