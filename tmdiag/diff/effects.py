"""How a change bears on security: weakened, strengthened or neutral, decided by meaning (trust
levels, controls on or off, exposure, address sets) and **antisymmetric by construction**: the
change from B to A has the opposite effect of the change from A to B. A change that both gains
and loses something whose growth bears on security is split into its parts (`parts`), so no line
is ever "weakens" both ways.
"""

from __future__ import annotations

import ipaddress
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from tmdiag.diff.changes import NEUTRAL, STRENGTHENED, WEAKENED
from tmdiag.model import schema

# Booleans that protect when true (besides every control of schema.CONTROLS: `controls.*` pytm fields).
PROTECTIONS = frozenset({"audit_log", "backup", "versioning", "encrypted_at_rest", "content_filtering",
                         "validates_tool_config", "hardened"})  # fmt: skip
EXPOSURES = frozenset({"public", "admin", "executes_code", "agent_capabilities", "sensitive_access",
                       "external_tools", "retains_user_data", "physical_access", "shared", "write_access"})  # fmt: skip
# Values ranked weakest first: a change down the list weakens. `trust` is a boundary's trust level.
ORDERED = {"mfa": ("none", "optional", "required"), "tls": schema.TLS_VERSIONS, "min_tls": schema.TLS_VERSIONS,
           "trust": schema.TRUST_LEVELS}  # fmt: skip
# Derived facts that are worse when they become true.
RISKY_FACTS = frozenset({"into_lower_trust", "stale", "expired"})
# Sets reported by what they gain and lose (old: the items lost, as the old version names them;
# new: the items gained, as the new version names them), with the effect of a gain.
GROWTH = {"crosses": WEAKENED, "carried_across": WEAKENED, "stored_in": WEAKENED}
CONTROL_GROWTH = {"on": STRENGTHENED, "mitigates": STRENGTHENED}  # a control covering more
CONTROL_NAMES = frozenset(a.name for a in schema.CONTROLS if (a.pytm or "").startswith("controls.")) | {"authenticated"}

CATEGORIES = {
    "exists": "structure", "id": "structure", "kind": "structure", "label": "structure", "source": "structure",
    "sink": "structure", "parent": "trust", "boundary": "trust", "crosses": "trust", "into_lower_trust": "trust",
    "trust": "trust", "carried_across": "data", "stored_in": "data", "data": "data", "stores": "data",
    "classification": "data", "owner": "owners", "reviewed": "review", "review_every": "review",
    "stale": "decisions", "expired": "decisions",
}  # fmt: skip
_FLIP = {WEAKENED: STRENGTHENED, STRENGTHENED: WEAKENED, NEUTRAL: NEUTRAL}


def flipped(effect: str) -> str:
    """The effect of the same change made the other way round."""
    return _FLIP[effect]


def category_of(section: str, aspect: str) -> str:
    if section in ("risks", "assumptions") and aspect not in ("owner",):
        return "decisions"
    if aspect in CATEGORIES:
        return CATEGORIES[aspect]
    if aspect in CONTROL_NAMES or aspect in PROTECTIONS or aspect in EXPOSURES or aspect in ORDERED:
        return "controls"
    if aspect in ("ingress", "mitigates", "on") and section in ("elements", "controls"):
        return "controls"
    return "other"


def growth_effect(section: str, aspect: str) -> str | None:
    """For a set reported by what it gains and loses: the effect of a gain (a loss has the
    opposite one). None for every other aspect."""
    if section == "controls":
        return CONTROL_GROWTH.get(aspect)
    return GROWTH.get(aspect)


def effect_of(section: str, aspect: str, old: Any, new: Any) -> str:
    """WEAKENED, STRENGTHENED or NEUTRAL for the change from `old` to `new` (None: absent).
    Antisymmetric: effect_of(s, a, new, old) == flipped(effect_of(s, a, old, new))."""
    if aspect == "exists":  # a new flow across a boundary is new attack surface
        if section == "flows":
            crossing = bool((new or old or {}).get("crosses"))
            return NEUTRAL if not crossing else WEAKENED if old is None else STRENGTHENED
        return NEUTRAL
    growth = growth_effect(section, aspect)
    if growth is not None:  # old: what was lost, new: what was gained (never both: see parts)
        gained, lost = bool(new), bool(old)
        return NEUTRAL if gained == lost else growth if gained else flipped(growth)
    if aspect == "boundary":  # moved into a zone of lower trust
        return _ordered(schema.TRUST_LEVELS, (old or {}).get("trust"), (new or {}).get("trust"))
    if aspect == "ingress":
        gains, loses = ingress_gain_loss(old or (), new or ())
        return NEUTRAL if gains == loses else WEAKENED if gains else STRENGTHENED
    if aspect in RISKY_FACTS:
        return _switch(old, new, on=WEAKENED)
    if aspect in ORDERED:
        return _ordered(ORDERED[aspect], old, new)
    if isinstance(old, bool) or isinstance(new, bool):
        if aspect in CONTROL_NAMES or aspect in PROTECTIONS:
            return _switch(old, new, on=STRENGTHENED)
        if aspect in EXPOSURES:
            return _switch(old, new, on=WEAKENED)
    return NEUTRAL


def parts(section: str, aspect: str, old: Any, new: Any) -> list[tuple[Any, Any, str]]:
    """The change as (old, new, effect) parts: none when the values mean the same (ingress rules
    letting in the same addresses and ports), two when ingress is both widened and narrowed —
    first the widening (old → old ∪ new), then the narrowing (old ∪ new → new) — so that each part
    has one effect and the reverse change has the same parts turned round."""
    if aspect == "ingress":
        gains, loses = ingress_gain_loss(old or (), new or ())
        if gains and loses:
            union = sorted({*(old or ()), *(new or ())}, key=str)
            return [(old, union, WEAKENED), (union, new, STRENGTHENED)]
        if not gains and not loses:
            return []
    return [(old, new, effect_of(section, aspect, old, new))]


def _switch(old: Any, new: Any, on: str) -> str:
    if bool(new) == bool(old):
        return NEUTRAL
    return on if new else flipped(on)


def _ordered(order: Sequence[str], old: Any, new: Any) -> str:
    """Up the order strengthens, down weakens; a value outside the order (unset, unknown) is no
    step either way."""
    if old is None or new is None or str(old) not in order or str(new) not in order:
        return NEUTRAL
    before, after = order.index(str(old)), order.index(str(new))
    return WEAKENED if after < before else STRENGTHENED if after > before else NEUTRAL


# ---- ingress as address sets ----------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Coverage = tuple[tuple[int, int, tuple[Network, ...]], ...]


def ingress_coverage(rules: Iterable[str]) -> tuple[Coverage, frozenset[str]]:
    """What a list of ingress rules lets in, in one canonical form: port ranges (merged where
    they let in the same addresses) with their collapsed networks (`10.0.1.0/25` and
    `10.0.1.128/25` are `10.0.1.0/24`); malformed rules as written."""
    parsed: list[schema.Ingress] = []
    malformed: set[str] = set()
    for text in rules:
        rule = schema.parse_ingress(str(text))
        if isinstance(rule, schema.Ingress):
            parsed.append(rule)
        else:
            malformed.add(str(text))
    cuts = sorted({r.first_port for r in parsed} | {r.last_port + 1 for r in parsed})
    ranges: list[tuple[int, int, tuple[Network, ...]]] = []
    for low, next_low in itertools.pairwise(cuts):
        high = next_low - 1
        networks = [r.network for r in parsed if r.first_port <= low and high <= r.last_port]
        collapsed = tuple(
            net
            for version in (4, 6)
            for net in ipaddress.collapse_addresses([x for x in networks if x.version == version])  # type: ignore[type-var]
        )
        if not collapsed:
            continue
        if ranges and ranges[-1][1] == low - 1 and ranges[-1][2] == collapsed:
            ranges[-1] = (ranges[-1][0], high, collapsed)
        else:
            ranges.append((low, high, collapsed))
    return tuple(ranges), frozenset(malformed)


def ingress_gain_loss(old: Sequence[str], new: Sequence[str]) -> tuple[bool, bool]:
    """(the new rules let in an address or port the old ones did not, and the reverse)."""
    union = ingress_coverage([*old, *new])
    return union != ingress_coverage(old), union != ingress_coverage(new)
