"""The remediation plan as GitHub issues (`tmdiag threats --format github`): a JSON array of
`{"title", "body", "labels", "owner"}`, one issue per owner (or per risk), ready for
`gh issue create`. Bodies are Markdown with every piece of model text escaped (report/escape.py).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

from tmdiag.model.levels import RiskLevel
from tmdiag.model.nodes import Model
from tmdiag.model.text import for_output
from tmdiag.report.escape import md_escape
from tmdiag.results import Finding

LABEL = "threat-model"
MAX_BODY = 60_000  # GitHub refuses issue bodies over 65,536 characters


def render(model: Model, findings: Sequence[Finding], today: datetime.date, group: str = "owner") -> str:
    """The issues for the unresolved findings among `findings` (ranked), as JSON text."""
    open_ = [f for f in findings if f.is_open]
    issues = _per_owner(model, open_, today) if group == "owner" else [_one(model, f, today) for f in open_]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _per_owner(model: Model, findings: list[Finding], today: datetime.date) -> list[dict[str, Any]]:
    groups: dict[str | None, list[Finding]] = {}
    for finding in findings:  # ranked: each group's first finding is its worst, groups keep that order
        groups.setdefault(finding.owner, []).append(finding)
    issues = []
    for owner, group in groups.items():
        counts = ", ".join(f"{n} {level}" for level in RiskLevel.highest_first()
                           if (n := sum(1 for f in group if f.risk is level)))  # fmt: skip
        who = _member(model, owner)
        title = (f"Threat model {for_output(model.name)}: {len(group)} open risk{'s' if len(group) != 1 else ''} "
                 f"for {for_output(who)}")  # fmt: skip
        lines = [f"Open risks of **{md_escape(model.name)}** owned by {md_escape(who)} ({counts}), highest "
                 f"first. From {_code(model.path)}; regenerate with `tmdiag threats {_code(model.path)[1:-1]} "
                 "--format github`.", "",
                 "| # | risk | threat | on | status | due | ticket |", "|---|---|---|---|---|---|---|"]  # fmt: skip
        for f in group:
            lines.append(_row(f, today))
        lines += ["", "<details><summary>Evidence and mitigations</summary>", ""]
        told: set[str] = set()
        for f in group:
            lines += _details(f, with_mitigations=f.threat_id not in told)
            told.add(f.threat_id)
        lines += ["</details>", ""]
        issues.append({"title": title, "body": _cap("\n".join(lines)), "labels": _labels(group), "owner": owner})
    return issues


def _one(model: Model, f: Finding, today: datetime.date) -> dict[str, Any]:
    title = f"{f.risk.value}: {f.threat_id} {for_output(f.title)} on {f.target_kind} {f.target_id}"
    lines = ["| risk | threat | on | status | due | ticket |", "|---|---|---|---|---|---|",
             _row(f, today, rank=False), "", *_details(f)]  # fmt: skip
    lines.append(f"Model: {_code(model.path)}. Owner: {md_escape(_member(model, f.owner))}.")
    return {"title": title, "body": "\n".join(lines), "labels": _labels([f]), "owner": f.owner}


def _row(f: Finding, today: datetime.date, rank: bool = True) -> str:
    due = f.due.isoformat() if f.due else ""
    if f.overdue:
        due = f"**{due} (overdue)**"
    ticket = str(f.decision.get("ticket") or "") if f.decision is not None else ""
    cells = [f"**{f.risk.value}**", f"{f.threat_id} {md_escape(f.title)}",
             f"{f.target_kind} `{f.target_id}` ({f.span.path}:{f.span.line})", f.status.value, due,
             md_escape(ticket)]  # fmt: skip
    if rank:
        cells.insert(0, str(f.rank))
    return "| " + " | ".join(cells) + " |"


def _details(f: Finding, with_mitigations: bool = True) -> list[str]:
    out = [f"**{f.threat_id} on `{f.target_id}`** — {md_escape(f.explanation)}", ""]
    out += [f"- because {md_escape(line)}" for line in f.evidence]
    if f.mitigations and with_mitigations:
        out += ["", f"Mitigations ({f.threat_id}): {md_escape(f.mitigations)}"]
    return [*out, ""]


def _cap(body: str) -> str:
    """Keep a body under GitHub's limit: the table stays; the details are cut at a line."""
    if len(body) <= MAX_BODY:
        return body
    cut = body.rfind("\n", 0, MAX_BODY - 200)
    return body[:cut] + "\n\n_(cut: the full evidence is in the report)_\n\n</details>\n"


def _labels(group: Sequence[Finding]) -> list[str]:
    worst = max(f.risk for f in group)
    return [LABEL, f"risk:{worst.value}"]


def _member(model: Model, member_id: str | None) -> str:
    if member_id is None:
        return "nobody (unowned)"
    member = model.member(member_id)
    return f"{member.title} ({member_id})" if member is not None else member_id


def _code(text: str) -> str:
    """A code span of `text` that nothing in it can end (a file name is chosen by whoever wrote the model)."""
    return "`" + " ".join(for_output(text).replace("`", "'").split()) + "`"
