"""pytm 1.4.0 threat conditions that contradict their own description, and tmdiag's reading of each.

Every threat of pytm's library was read against its description and mitigations; these are the
conditions that fire where the threat cannot happen or stay silent where it does. tmdiag applies
its reading by default; `--pytm-parity` (`analyze(..., parity=True)`) applies pytm's own
conditions, exactly. The readings are written in pytm's condition language and evaluated by
pytm's own `Threat.apply` (tmdiag's own strings, never the model's); docs/threats.md lists them
(generated from this table by `make docs`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytm

# A clearance some end or the flow actually declares: `unknown` (the default) states nothing. (Names
# of the condition are not visible inside a generator's body when pytm evaluates it: `max` outside.)
_TOP = "max(d.classification for d in target.data)"
_LEAK = (
    f"(len(target.data) > 0 and ("
    f"(target.source.maxClassification != Classification.UNKNOWN and {_TOP} > target.source.maxClassification)"
    f" or (target.sink.maxClassification != Classification.UNKNOWN and {_TOP} > target.sink.maxClassification)"
    f" or (target.maxClassification != Classification.UNKNOWN and {_TOP} > target.maxClassification)))"
)
_STORED_IN_CLEAR = (
    "(not target.isResponse and target.sink.oneOf(Datastore) and not target.sink.controls.isEncryptedAtRest"
    " and any(d.isStored and not d.isDestEncryptedAtRest for d in target.data))"
    " or (target.isResponse and target.source.oneOf(Datastore) and not target.source.controls.isEncryptedAtRest"
    " and any(d.isStored and not d.isDestEncryptedAtRest for d in target.data))"
)
_XML_DTD = "target.usesXMLParser is True and target.controls.disablesDTD is False"


@dataclass(frozen=True, slots=True)
class Erratum:
    threat_id: str
    condition: str  # tmdiag's reading, in pytm's condition language
    why: str  # what is wrong with pytm's condition, in a sentence or two


ERRATA: tuple[Erratum, ...] = (
    Erratum(
        "DR01",
        f"({_LEAK} or any(d.isCredentials or d.isPII for d in target.data))"
        f" and (not target.controls.isEncrypted or {_STORED_IN_CLEAR})",
        "pytm fires when the stored data IS encrypted at rest (`d.isStored and d.isDestEncryptedAtRest`) and "
        "not when it is not, so `encrypted_at_rest: true` creates the finding; its leak test is DS06's (below). "
        "tmdiag fires for sensitive data sent unencrypted, or written to (read from) a datastore that does "
        "not encrypt it at rest.",
    ),
    Erratum(
        "DS06",
        _LEAK,
        "pytm compares each datum with the flow's own `max_classification` and its ends', which default to "
        "`unknown` (the lowest), so nearly every flow carrying classified data fires. tmdiag compares only "
        "with a clearance the model states: data above a `max_classification` declared on the flow, its "
        "source or its sink.",
    ),
    Erratum(
        "INP19",
        _XML_DTD,
        "pytm fires when the server does NOT parse XML (`usesXMLParser is False or …`). tmdiag fires when it "
        "parses XML with DTDs enabled.",
    ),
    Erratum("INP21", _XML_DTD, "As INP19: pytm fires for servers that do not parse XML."),
    Erratum("INP22", _XML_DTD, "As INP19: pytm fires for servers that do not parse XML."),
    Erratum(
        "DE03",
        "(target.protocol == 'HTTP' or target.controls.isEncrypted is False) and target.usesVPN is False",
        "Sniffing reads traffic in clear (its mitigation: encrypt it), but pytm's `… or usesVPN is False` "
        "fires for every encrypted flow outside a VPN. tmdiag fires for flows in clear that no VPN carries.",
    ),
    Erratum(
        "CR01",
        "target.usesSessionTokens is True and target.usesVPN is False"
        " and (target.protocol == 'HTTP' or target.controls.isEncrypted is False)",
        "Session sidejacking needs an unencrypted channel, but pytm's `(protocol == 'HTTP' or usesVPN is "
        "False)` fires for HTTPS. tmdiag fires when session tokens travel in clear outside a VPN.",
    ),
    Erratum(
        "CR06",
        "(target.protocol != 'HTTPS' and target.controls.isEncrypted is False and target.usesVPN is False)"
        " and (target.controls.implementsAuthenticationScheme is False or target.controls.authorizesSource is False)",
        "The threat is an unprotected channel (mitigation: encrypt and authenticate), but pytm's "
        "`(protocol != 'HTTPS' or usesVPN is False)` fires for encrypted channels outside a VPN. tmdiag fires "
        "when the channel is neither HTTPS, encrypted nor a VPN, and lacks authentication or authorization.",
    ),
)
BY_ID = {e.threat_id: e for e in ERRATA}


_CORRECTED: dict[str, pytm.Threat] = {}


def corrected(threat: pytm.Threat) -> pytm.Threat:
    """The threat with tmdiag's reading of its condition (itself when pytm's is right)."""
    erratum = BY_ID.get(threat.id)
    if erratum is None:
        return threat
    fixed = _CORRECTED.get(threat.id)
    if fixed is None:  # pytm compiles (and checks) the condition when the threat is made
        fixed = _CORRECTED[threat.id] = pytm.Threat(**{**threat.model_dump(), "condition": erratum.condition})
    return fixed
