"""What the model states that protects its elements and flows, and what each statement means: the
attributes it amounts to on what it covers (read by the lint rules and the pytm adapter alike,
through `Model.flag`), and what it does to threats. The method: docs/threats.md ("Facts that
close threats").

A stated fact reaches the threats in one of two ways:

1. **It feeds pytm.** Some facts amount to attributes pytm's conditions read, on every target they
   cover: a boundary's `mfa: required` is `uses_mfa: true` on each element inside; a control of kind
   `input_validation` is `validates_input`, `sanitizes_input` and `checks_input_bounds` on what it
   is `on`. The adapter sets them; pytm's conditions stop firing where they should.
2. **The table below**, for what pytm's conditions ignore: a fact closes threats (`removes`: the
   finding is mitigated) or makes them harder (`lowers`: likelihood −1).

Either way nothing is dropped silently: a threat that would apply without the facts stated for its
target is listed as mitigated, with the facts that close it in its evidence and `mitigated_by`.
With `--pytm-parity` none of this applies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tmdiag.model import nodes as n
from tmdiag.model import schema

# Injection and scripting threats a web application firewall screens requests for.
_WEB_INPUT = (
    "INP03", "INP04", "INP05", "INP06", "INP08", "INP09", "INP10", "INP11", "INP13", "INP14", "INP15", "INP16",
    "INP18", "INP23", "INP25", "INP26", "INP27", "INP28", "INP29", "INP30", "INP31", "INP32", "INP33", "INP35",
    "INP36", "INP37", "INP38", "INP39", "INP40", "INP41", "SC02", "SC03", "SC04", "DS01", "DS04", "HA01", "HA03",
    "DE02", "LB01", "API02",
)  # fmt: skip
_MFA_REMOVES = ("CR03",)
_MFA_LOWERS = ("AA01", "AA02", "AA03")


@dataclass(frozen=True, slots=True)
class FactRule:
    """One kind of stated fact: what it amounts to for pytm, and what it does to threats pytm ignores it for."""

    key: str  # `audit_log`, `mfa`, or `control:<kind>`
    stated: str  # how a model states it (docs)
    covers: str  # which targets it covers (docs)
    implies: tuple[tuple[str, Any], ...] = ()  # attributes it amounts to on each covered target
    removes: tuple[str, ...] = ()  # threat ids it closes: the finding is mitigated
    lowers: tuple[str, ...] = ()  # threat ids it makes harder: likelihood −1
    why: str = ""


_INSIDE = "every element inside the boundary (nested boundaries too)"
_ON = "what the control is `on`: elements, flows, and every element inside a boundary named"

RULES: tuple[FactRule, ...] = (
    FactRule("audit_log", "`audit_log: true` on a boundary", "every datastore inside the boundary",
             removes=("DE04",),
             why="An account-level audit trail (CloudTrail, Cloud Audit Logs) kept outside the workload records "
                 "what an attacker does; manipulating the datastore's own logs no longer hides it."),
    FactRule("tls", "`tls: 1.2` (any TLS version) on a flow", "the flow itself",
             implies=(("encrypted", True),),
             why="A flow over TLS is encrypted: lint read it so and pytm now does too. A flow that also says "
                 "`encrypted: false` stays unencrypted (what it says of itself wins; TM211 asks it to say one thing)."),
    FactRule("mfa", "`mfa: required` on a boundary", _INSIDE, implies=(("uses_mfa", True),),
             removes=_MFA_REMOVES, lowers=_MFA_LOWERS,
             why="A second factor defeats password guessing outright and makes stolen or spoofed "
                 "credentials far harder to use."),
    FactRule("control:input_validation", "`control … { kind: input_validation }`", _ON,
             implies=(("validates_input", True), ("sanitizes_input", True), ("checks_input_bounds", True),
                      ("server_side_validation", True), ("validates_content_type", True)),
             why="Validates (on the server, content types included), sanitizes and bounds-checks input: what "
                 "pytm's injection conditions ask."),
    FactRule("control:output_encoding", "`control … { kind: output_encoding }`", _ON,
             implies=(("encodes_output", True), ("encodes_headers", True)),
             why="Encodes output and headers for their context."),
    FactRule("control:waf", "`control … { kind: waf }`", _ON, lowers=_WEB_INPUT,
             why="A web application firewall screens requests for known injection and scripting payloads; the "
                 "application stays vulnerable to what it lets through, so likelihood drops but the threat stays."),
    FactRule("control:mfa", "`control … { kind: mfa }`", _ON, implies=(("uses_mfa", True),),
             removes=_MFA_REMOVES, lowers=_MFA_LOWERS, why="As `mfa: required` on a boundary, for what it is on."),
    FactRule("control:audit_log", "`control … { kind: audit_log }`", _ON, removes=("DE04",),
             why="As `audit_log: true` on a boundary, for what it is on."),
    FactRule("control:access_control", "`control … { kind: access_control }`", _ON,
             implies=(("access_control", True), ("authorizes_source", True)),
             why="Enforces who may do what."),
    FactRule("control:authentication", "`control … { kind: authentication }`", _ON,
             implies=(("authenticates_source", True), ("implements_authentication_scheme", True)),
             why="Authenticates callers with a real scheme (OIDC, mTLS)."),
    FactRule("control:least_privilege", "`control … { kind: least_privilege }`", _ON,
             implies=(("least_privilege", True),), why="Runs with the least privilege it needs."),
    FactRule("control:hardening", "`control … { kind: hardening }`", _ON, implies=(("hardened", True),),
             why="A hardened baseline (CIS benchmark, sandbox for code an LLM runs)."),
    FactRule("control:rate_limiting", "`control … { kind: rate_limiting }`", _ON,
             implies=(("handles_resource_consumption", True),), lowers=("CR03", "DO01"),
             why="Limits requests and resources per client: guessing and flooding get slow."),
    FactRule("control:ddos_protection", "`control … { kind: ddos_protection }`", _ON,
             implies=(("resilient", True), ("handles_resource_consumption", True)),
             why="Absorbs and sheds floods (AWS Shield, Cloud Armor)."),
    FactRule("control:encryption_in_transit", "`control … { kind: encryption_in_transit }`", _ON,
             implies=(("encrypted", True), ("authenticates_destination", True),
                      ("checks_destination_revocation", True)),
             why="Encrypts traffic with TLS whose clients verify the server's certificate and its revocation "
                 "(or mTLS at a mesh)."),
    FactRule("control:encryption_at_rest", "`control … { kind: encryption_at_rest }`", _ON,
             implies=(("encrypted_at_rest", True),), why="Encrypts what it stores (KMS)."),
    FactRule("control:session_management", "`control … { kind: session_management }`", _ON,
             implies=(("strong_session_ids", True), ("defines_connection_timeout", True), ("encrypts_cookies", True),
                      ("encrypts_session_data", True), ("nonce", True), ("verifies_session_ids", True)),
             why="Strong, expiring, encrypted sessions with replay protection."),
    FactRule("control:csrf_protection", "`control … { kind: csrf_protection }`", _ON,
             implies=(("csrf_token", True), ("verifies_session_ids", True)), why="CSRF tokens on state changes."),
    FactRule("control:secrets_management", "`control … { kind: secrets_management }`", _ON,
             lowers=("AC23", "AC24"),
             why="Credentials come from a secrets manager with rotation; the data's own `lifetime:` still says "
                 "how long a leaked one lives, so likelihood drops but the threat stays."),
    FactRule("control:dlp", "`control … { kind: dlp }`", _ON, lowers=("DS06", "DR01", "LLM03", "LLM08"),
             why="Data loss prevention inspects what leaves and stops what matches."),
    FactRule("control:content_filtering", "`control … { kind: content_filtering }`", _ON,
             implies=(("content_filtering", True),), why="Guardrails filter prompts and completions of an LLM."),
    FactRule("control:code_signing", "`control … { kind: code_signing }`", _ON, implies=(("code_signing", True),),
             why="Runs signed code only."),
)  # fmt: skip
BY_KEY = {rule.key: rule for rule in RULES}
CONTROL_KINDS = tuple(rule.key.removeprefix("control:") for rule in RULES if rule.key.startswith("control:"))


@dataclass(frozen=True, slots=True)
class Fact:
    """A fact as one model states it: the rule it follows and where it is stated."""

    rule: FactRule
    node: n.Node  # the boundary or control that states it

    @property
    def words(self) -> str:
        """In the model's words: "`audit_log: true` on boundary acct", "control waf (kind: waf)"."""
        if isinstance(self.node, n.Control):
            return f"control {self.node.id} (kind: {self.node.get('kind')})"
        if isinstance(self.node, n.Flow):
            return f"`{self.rule.key}: {self.node.get(self.rule.key)}` on flow {self.node.id}"
        value = self.node.get(self.rule.key)
        shown = "true" if value is True else str(value)
        return f"`{self.rule.key}: {shown}` on boundary {self.node.id}"


@dataclass
class Effects:
    """For each target id, the facts covering it: what they imply, close and lower."""

    implied: dict[str, list[tuple[str, Any, Fact]]] = field(default_factory=lambda: defaultdict(list))
    kinds_on: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # id in `on:` -> control kinds
    removes: dict[tuple[str, str], list[Fact]] = field(default_factory=lambda: defaultdict(list))
    lowers: dict[tuple[str, str], list[Fact]] = field(default_factory=lambda: defaultdict(list))

    def closed_by(self, threat_id: str, target_id: str) -> tuple[Fact, ...]:
        return tuple(self.removes.get((threat_id, target_id), ()))

    def lowered_by(self, threat_id: str, target_id: str) -> tuple[Fact, ...]:
        return tuple(self.lowers.get((threat_id, target_id), ()))


def effects(model: n.Model) -> Effects:
    """Every fact the model states, applied to the targets it covers."""
    out = Effects()
    for fact, targets in _stated(model, out.kinds_on):
        for target in targets:
            specs = schema.BY_NAME[target.schema_kind]
            for key, value in fact.rule.implies:
                if key in specs:
                    out.implied[target.id].append((key, value, fact))
            for threat_id in fact.rule.removes:
                out.removes[(threat_id, target.id)].append(fact)
            for threat_id in fact.rule.lowers:
                out.lowers[(threat_id, target.id)].append(fact)
    return out


def _stated(model: n.Model, kinds_on: dict[str, set[str]]) -> Iterator[tuple[Fact, list[n.Element | n.Flow]]]:
    inside = _insides(model)
    for flow in model.flows:
        if flow.has("tls") and schema.tls_version(flow.get("tls")) not in (None, "none"):
            yield Fact(BY_KEY["tls"], flow), [flow]
    for boundary in model.boundaries:
        if boundary.get("audit_log") is True:
            yield Fact(BY_KEY["audit_log"], boundary), [e for e in inside[boundary.id] if e.kind == "datastore"]
        if str(boundary.get("mfa")) == "required":
            yield Fact(BY_KEY["mfa"], boundary), list(inside[boundary.id])
    for control in model.controls:
        rule = BY_KEY.get(f"control:{control.get('kind')}")
        if rule is None:
            continue
        for ref in control.ids("on"):
            kinds_on[ref].add(str(control.get("kind")))
        targets: list[n.Element | n.Flow] = []
        for ref in control.ids("on"):
            node = model.element(ref) or model.flow(ref)
            if node is not None:
                targets.append(node)
            else:
                targets.extend(inside.get(ref, ()))
        yield Fact(rule, control), list(dict.fromkeys(targets))


def _insides(model: n.Model) -> dict[str, list[n.Element]]:
    """Boundary id → the elements inside it, nested boundaries included (one walk per element)."""
    inside: dict[str, list[n.Element]] = defaultdict(list)
    for element in model.elements:
        for boundary in model.boundary_chain(element.boundary):
            inside[boundary.id].append(element)
    return inside
