"""How a change bears on security, from the schema: a control or protection turned off weakens,
turned on strengthens; exposure (`public`, `admin`) turned on weakens; TLS and MFA compare by
their order; ingress rules compare by the addresses and ports they let in; new boundary crossings
and data carried across or stored weaken. Everything else is neutral (still reported).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tmdiag.diff.changes import NEUTRAL, STRENGTHENED, WEAKENED
from tmdiag.model import schema

# Booleans that protect when true (besides every control of schema.CONTROLS: `controls.*` pytm fields).
PROTECTIONS = frozenset({"audit_log", "backup", "versioning", "encrypted_at_rest", "content_filtering",
                         "validates_tool_config", "hardened"})  # fmt: skip
EXPOSURES = frozenset({"public", "admin", "executes_code", "agent_capabilities", "sensitive_access",
                       "external_tools", "retains_user_data", "physical_access", "shared", "write_access"})  # fmt: skip
ORDERED = {"mfa": ("none", "optional", "required"), "tls": schema.TLS_VERSIONS, "min_tls": schema.TLS_VERSIONS}
# Derived facts that are worse when they grow (lists) or become true.
GROWING_RISK = frozenset({"crosses", "carried_across", "stored_in", "into_lower_trust", "stale", "expired"})
CONTROL_NAMES = frozenset(a.name for a in schema.CONTROLS if (a.pytm or "").startswith("controls.")) | {"authenticated"}

CATEGORIES = {
    "exists": "structure", "id": "structure", "kind": "structure", "label": "structure", "source": "structure",
    "sink": "structure", "parent": "trust", "boundary": "trust", "crosses": "trust", "into_lower_trust": "trust",
    "trust": "trust", "carried_across": "data", "stored_in": "data", "data": "data", "stores": "data",
    "classification": "data", "owner": "owners", "reviewed": "review", "review_every": "review",
    "stale": "decisions", "expired": "decisions",
}  # fmt: skip


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


def effect_of(section: str, aspect: str, old: Any, new: Any) -> str:
    """WEAKENED, STRENGTHENED or NEUTRAL for the change from `old` to `new` (None: absent)."""
    if aspect == "exists":  # a new flow across a boundary is new attack surface
        if section == "flows":
            crossing = bool((new or old or {}).get("crosses"))
            return NEUTRAL if not crossing else WEAKENED if old is None else STRENGTHENED
        return NEUTRAL
    if aspect == "boundary":  # moved into a zone of lower trust
        return _ordered(schema.TRUST_LEVELS, (old or {}).get("trust"), (new or {}).get("trust"))
    if aspect == "ingress":
        return _ingress(old or [], new or [])
    if aspect in GROWING_RISK:
        return _growth(old, new)
    if aspect in ORDERED:
        return _ordered(ORDERED[aspect], old, new)
    if isinstance(old, bool) or isinstance(new, bool):
        if aspect in CONTROL_NAMES or aspect in PROTECTIONS:
            return WEAKENED if bool(old) and not new else STRENGTHENED if bool(new) and not old else NEUTRAL
        if aspect in EXPOSURES:
            return WEAKENED if bool(new) and not old else STRENGTHENED if bool(old) and not new else NEUTRAL
    if section == "controls" and aspect in ("on", "mitigates"):
        return _growth(new, old)  # a control covering less weakens
    return NEUTRAL


def _growth(old: Any, new: Any) -> str:
    if isinstance(old, list | tuple) or isinstance(new, list | tuple):
        before, after = set(old or ()), set(new or ())
        if after - before:
            return WEAKENED
        return STRENGTHENED if before - after else NEUTRAL
    if bool(new) and not old:
        return WEAKENED
    return STRENGTHENED if bool(old) and not new else NEUTRAL


def _ordered(order: Sequence[str], old: Any, new: Any) -> str:
    def rank(value: Any) -> int:
        return order.index(str(value)) if value is not None and str(value) in order else 0

    before, after = rank(old), rank(new)
    return WEAKENED if after < before else STRENGTHENED if after > before else NEUTRAL


def _ingress(old: Sequence[str], new: Sequence[str]) -> str:
    """Widened (something new gets in) weakens; only narrowed strengthens."""
    before = [r for r in (schema.parse_ingress(t) for t in old) if isinstance(r, schema.Ingress)]
    after = [r for r in (schema.parse_ingress(t) for t in new) if isinstance(r, schema.Ingress)]
    if any(not _covered(rule, before) for rule in after):
        return WEAKENED
    return STRENGTHENED if any(not _covered(rule, after) for rule in before) else NEUTRAL


def _covered(rule: schema.Ingress, by: Sequence[schema.Ingress]) -> bool:
    return any(
        rule.network.version == other.network.version
        and rule.network.subnet_of(other.network)  # type: ignore[arg-type]
        and other.first_port <= rule.first_port
        and rule.last_port <= other.last_port
        for other in by
    )
