"""A big report split into linked pages, so every page a browser opens stays small.

Above PAGED_ABOVE findings report.html keeps the overview, the top risks, the team, the overview
diagram, the boundaries, an index of the elements, the data, the agents, the threat library (each
threat's text once), a preview of the remediation plan, the accepted risks, assumptions and
controls; the long lists go to pages beside it in the output folder, each self-contained (same CSS,
same Content-Security-Policy): `threats-<n>.html` (findings in rank order), `elements-<n>.html`
(element sections), `flows-<n>.html` (the flows table), `plan-<n>.html` (the whole remediation
plan), `lint-<n>.html` (other lint findings, when many) and `boundary-<id>.html` (a big model's
per-boundary diagram views).

`locations` maps every anchor that moved to the file that holds it; the templates' `href` filter
and the `relink` filter (for SVG) turn `#anchor` into `file#anchor` when the target is elsewhere.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any, TypeVar

from tmdiag.report.values import RISKS

Ctx = dict[str, Any]
T = TypeVar("T")

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]")
PAGED_ABOVE = 500  # findings; the same threshold as `compact`
THREATS_PER_PAGE = 500
ELEMENTS_PER_PAGE = 100
FLOWS_PER_PAGE = 500
PLAN_ROWS_PER_PAGE = 1000
LINT_PER_PAGE = 1000
LINT_IN_REPORT = 100  # more other lint findings than this go to pages when paged
PLAN_PREVIEW = 5  # open findings per owner shown in report.html's plan when paged
TOP_RISKS = 3  # open findings per owner in the "top open risks" table


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _counts(threats: Sequence[Ctx]) -> Ctx:
    counts = dict.fromkeys(RISKS, 0)
    for t in threats:
        if t["open"]:
            counts[t["risk"]] = counts.get(t["risk"], 0) + 1
    return counts


def paginate(context: Ctx) -> None:
    """Add `paged`, `pages` ({kind: [page]}) and `locations` ({anchor: file}) to a report context."""
    threats: list[Ctx] = context["threats"]
    paged = len(threats) > PAGED_ABOVE
    pages: dict[str, list[Ctx]] = {"threats": [], "elements": [], "flows": [], "plan": [], "lint": [], "views": []}
    locations: dict[str, str] = {}
    context.update(paged=paged, pages=pages, locations=locations, plan_preview=PLAN_PREVIEW, top_per_owner=TOP_RISKS)
    context["top_risks"] = [
        {"owner": g["owner"], "threats": g["threats"][:TOP_RISKS], "open": len(g["threats"]), "overdue": g["overdue"]}
        for g in context["plan"]
    ]  # fmt: skip
    if not paged:
        return
    context["compact"] = True  # a finding links to its library entry: each threat's text once

    def page(kind: str, number: int | str, title: str, **extra: Any) -> Ctx:
        name = f"{'boundary' if kind == 'views' else kind}-{_UNSAFE_NAME.sub('-', str(number))}.html"
        entry = {"kind": kind, "prev": None, "next": None, "file": name, "number": number, "title": title, **extra}
        pages[kind].append(entry)
        return entry

    for n, part in enumerate(chunks(threats, THREATS_PER_PAGE), 1):
        p = page("threats", n, f"Threats ranked {part[0]['rank']}–{part[-1]['rank']}", items=part,
                 first=part[0]["rank"], last=part[-1]["rank"], counts=_counts(part))  # fmt: skip
        locations.update((t["anchor"], p["file"]) for t in part)
    elements = [*context["actors"], *context["components"]]
    for e in elements:
        e["open_counts"] = _counts(e["threats"])
    for n, part in enumerate(chunks(elements, ELEMENTS_PER_PAGE), 1):
        p = page("elements", n, f"Elements {part[0]['name']} … {part[-1]['name']}", items=part,
                 first=part[0], last=part[-1])  # fmt: skip
        locations.update((e["anchor"], p["file"]) for e in part)
    for n, part in enumerate(chunks(context["flows"], FLOWS_PER_PAGE), 1):
        p = page("flows", n, f"Flows {part[0]['number']}–{part[-1]['number']}", items=part,
                 first=part[0]["number"], last=part[-1]["number"])  # fmt: skip
        locations.update((f["anchor"], p["file"]) for f in part)
    rows: list[tuple[Ctx, Ctx]] = [(group, t) for group in context["plan"] for t in group["threats"]]
    for n, some_rows in enumerate(chunks(rows, PLAN_ROWS_PER_PAGE), 1):
        groups: list[Ctx] = []
        for owner_group, finding in some_rows:
            if not groups or groups[-1]["group"] is not owner_group:
                groups.append({"group": owner_group, "owner": owner_group["owner"], "threats": []})
            groups[-1]["threats"].append(finding)
        page("plan", n, f"Remediation plan, part {n}", groups=groups)
    if len(context["lint_findings"]) > LINT_IN_REPORT:
        for n, some in enumerate(chunks(context["lint_findings"], LINT_PER_PAGE), 1):
            start = (n - 1) * LINT_PER_PAGE + 1
            page("lint", n, f"Lint findings {start}–{start + len(some) - 1}", items=some, first=start,
                 last=start + len(some) - 1)  # fmt: skip
    for view in context["diagram"]["views"]:
        page("views", view["boundary"]["id"], f"View of {view['boundary']['name']}", view=view)
    for siblings in pages.values():
        for before, after in itertools.pairwise(siblings):
            before["next"], after["prev"] = after["file"], before["file"]
