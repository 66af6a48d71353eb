"""`tmdiag diff` of two versions of a generated system against two `tmdiag threats` runs (issue 13).

The second version has 100 changes spread over the system: 40 flows lose or gain encryption, 20
flows are removed, 20 added, 20 elements move to another boundary. A diff loads and analyses
both versions, so it should cost about two threats runs (one per version), not more.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from bench import generate
from bench.harness.cases import Case, Command, Context, Ratio

ABOUT = "`tmdiag diff` of two versions (100 changes) vs `tmdiag threats` on each version"
ORDER = 35
CHANGES = {"encryption": 40, "removed flows": 20, "added flows": 20, "moved elements": 20}
DIFF = "tmdiag diff OLD NEW --format json > file"
TWICE = "tmdiag threats OLD; tmdiag threats NEW"


def changed(spec: generate.Spec) -> generate.Spec:
    """The next version: 100 changes spread over the system."""
    new = copy.deepcopy(spec)
    step = max(1, len(new.flows) // 200)
    for i in range(CHANGES["encryption"]):
        src, dst, data, port, encrypted = new.flows[i * step]
        new.flows[i * step] = (src, dst, data, port, not encrypted)
    del new.flows[-CHANGES["removed flows"] :]
    n = len(new.elements)
    for i in range(CHANGES["added flows"]):
        new.flows.append((f"e{i * 31 % n}", f"e{(i * 31 + n // 2) % n}", "card", 443, False))
    boundaries = [b for b, _, _ in new.boundaries]
    for i in range(CHANGES["moved elements"]):
        eid, kind, boundary = new.elements[i * 17 % n]
        new.elements[i * 17 % n] = (eid, kind, boundaries[(boundaries.index(boundary) + 3) % len(boundaries)])
    return new


def cases(ctx: Context) -> Iterator[Case]:
    for size in ctx.pick_sizes([3000], [100]):
        folder = ctx.scratch(f"diff-{size}")
        spec = generate.system(size)
        old, new = folder / "old.tm", folder / "new.tm"
        old.write_text(generate.to_tm(spec), encoding="utf-8")
        new.write_text(generate.to_tm(changed(spec)), encoding="utf-8")
        today = ["--today", "2026-11-30"]
        threats = " && ".join(f"{ctx.tmdiag} threats {' '.join(today)} {path} > /dev/null" for path in (old, new))
        commands = [
            Command(DIFF, [ctx.tmdiag, "diff", str(old), str(new), "--format", "json", *today], stdout="diff.json"),
            Command(TWICE, ["sh", "-c", threats], ok=(0, 1)),
        ]
        yield Case(
            "diff", "diff", size, commands, ratios=[Ratio(DIFF, TWICE)], runs=ctx.pick_runs(3 if size < 3000 else 2),
            timeout=ctx.pick_timeout(600), info={"flows": len(spec.flows), "changes": sum(CHANGES.values())},
            note="a diff analyses both versions: about two threats runs (ratio ~1)",
        )  # fmt: skip
