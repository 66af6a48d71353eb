"""Stable anchors derived from model ids: the one scheme the diagram, the report and threats share.

`#el-<id>` an element, `#flow-<n>` a flow (its number in model order), `#tb-<id>` a trust
boundary, `#threat-<threat id>-<target id>` a finding.
"""

from __future__ import annotations


def element_anchor(element_id: str) -> str:
    return f"el-{element_id}"


def flow_anchor(number: int) -> str:
    return f"flow-{number}"


def boundary_anchor(boundary_id: str) -> str:
    return f"tb-{boundary_id}"


def threat_anchor(threat_id: str, target_id: str) -> str:
    return f"threat-{threat_id}-{target_id}"
