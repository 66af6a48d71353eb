"""Findings grouped for the report: the threat library, the summary counts, the remediation plan.

Each takes the ranked threat dicts of the context and walks them once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tmdiag.model.nodes import Model
from tmdiag.report.values import RISKS, SEVERE_RISKS
from tmdiag.results import Finding, Summary

Ctx = dict[str, Any]


def catalogue(threats: list[Ctx]) -> list[Ctx]:
    """One entry per threat id (description, mitigations, references once), in rank order."""
    entries: dict[str, Ctx] = {}
    for t in threats:
        entry = entries.get(t["threat_id"])
        if entry is None:
            entry = entries[t["threat_id"]] = {
                "threat_id": t["threat_id"], "anchor": t["catalogue_anchor"], "title": t["title"],
                "description": t["description"], "details": t["details"], "mitigations": t["mitigations"],
                "references": t["references"], "severity": t["severity"], "source": t["source"],
                "findings": [], "worst": t["risk"],
            }  # fmt: skip
        entry["findings"].append(t)
    return list(entries.values())


def summary(findings: Sequence[Finding], model: Model) -> Ctx:
    """Counts for the overview: the register's (results.Summary: open per risk level, highest
    first; findings per status) and the model's size."""
    counts = Summary.of(findings).to_dict()
    return {**counts, "elements": len(model.elements), "flows": len(model.flows),
            "boundaries": len(model.boundaries), "data": len(model.data)}  # fmt: skip


def plan(threats: list[Ctx]) -> list[Ctx]:
    """Open threats grouped by risk owner; groups ordered by their worst threat (threats are ranked)."""
    groups: dict[str | None, Ctx] = {}
    for t in threats:
        if not t["open"]:
            continue
        key = t["owner"]["id"] if t["owner"] else None
        group = groups.setdefault(key, {"owner": t["owner"], "threats": [], "counts": dict.fromkeys(RISKS, 0)})
        group["threats"].append(t)
        group["counts"][t["risk"]] = group["counts"].get(t["risk"], 0) + 1
    for group in groups.values():
        group["severe"] = sum(group["counts"].get(r, 0) for r in SEVERE_RISKS)
        group["worst"] = group["threats"][0]["risk"]
        group["overdue"] = sum(1 for t in group["threats"] if t["overdue"])
    return list(groups.values())
