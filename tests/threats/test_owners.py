"""Who owns a finding when no decision names an owner."""

from __future__ import annotations

import tmdiag
from tmdiag.threats import analyze

MODEL = """
team { lead "Lead" security_lead  ana "Ana" developer  ops "Ops" sre }
boundary net "Internet" { trust: untrusted  actor user "User" }
boundary cloud "Cloud" {
  trust: high, owner: ops
  process api "API" { owner: ana }
  datastore db "DB"
}
user -> api "Call" { protocol: https }
api -> db "Query" { protocol: postgres }
named: db -> api "Rows" { owner: lead }
"""


def owners_by_target() -> dict[str, set[str | None]]:
    result: dict[str, set[str | None]] = {}
    for finding in analyze(tmdiag.loads(MODEL)).findings:
        result.setdefault(finding.target_id, set()).add(finding.owner)
    return result


def test_element_owner_else_innermost_boundary_owner() -> None:
    owners = owners_by_target()
    assert owners["api"] == {"ana"}
    assert owners["db"] == {"ops"}


def test_flow_owner_else_sink_owner_chain() -> None:
    owners = owners_by_target()
    assert owners["flow-1"] == {"ana"}  # user -> api: the sink's owner
    assert owners["flow-2"] == {"ops"}  # api -> db: db has none, its boundary has
    assert owners["named"] == {"lead"}  # the flow's own owner wins


def test_nearest_boundary_with_an_owner() -> None:
    """An inner boundary without `owner:` passes ownership on to the next boundary out that has one."""
    model = tmdiag.loads("""
team { lead "Lead" security_lead  ops "Ops" sre  net "Net" sre }
boundary outside "Outside" { trust: untrusted  actor user "User" }
boundary account "Account" {
  trust: high, owner: ops
  boundary subnet "Subnet" {
    trust: high
    process api "API"
  }
}
boundary edge "Edge" { trust: medium, owner: net
  boundary inner "Inner" { trust: medium, owner: lead  process gw "Gateway" }
}
user -> gw "In" { protocol: https }
gw -> api "Call" { protocol: https }
""")
    owners: dict[str, set[str | None]] = {}
    for finding in analyze(model).findings:
        owners.setdefault(finding.target_id, set()).add(finding.owner)
    assert owners["api"] == {"ops"}  # subnet has no owner: the account's
    assert owners["gw"] == {"lead"}  # the innermost owner wins over the outer one
