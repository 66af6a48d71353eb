"""Remediation responsiveness (issue 11): for each pair of models in bench/remediation/ — a system as
misconfigured as real ones are, then the same system after its remediation plan ran — how many of
the unresolved critical and high findings before are closed (gone, or resolved) or lowered below
high after. Prints a table on stderr and the figures as JSON on its last stdout line.

    python bench/children/remediation.py [--today YYYY-MM-DD] [PAIR ...]
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

from tmdiag import pipeline
from tmdiag.model.levels import RiskLevel

PAIRS = Path(__file__).resolve().parents[1] / "remediation"


def register(path: Path, today: datetime.date):  # type: ignore[no-untyped-def]
    return pipeline.analyze(pipeline.load(path), today=today).findings


def measure(name: str, today: datetime.date) -> dict[str, int]:
    before = register(PAIRS / f"{name}.before.tm", today)
    after = {(f.threat_id, f.target_id): f for f in register(PAIRS / f"{name}.after.tm", today)}
    severe = [f for f in before if f.is_open and f.risk >= RiskLevel.HIGH]
    closed = lowered = 0
    for finding in severe:
        now = after.get((finding.threat_id, finding.target_id))
        if now is None or not now.is_open:
            closed += 1
        elif now.risk < RiskLevel.HIGH:
            lowered += 1
    by_facts = sum(1 for f in after.values() if f.mitigated_by)
    still = sum(1 for f in after.values() if f.is_open and f.risk >= RiskLevel.HIGH)
    return {"before": len(severe), "closed": closed, "lowered": lowered, "after": still, "mitigated_by_facts": by_facts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pairs", nargs="*", help="pair names (default: every pair in bench/remediation/)")
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date(2026, 11, 30))
    args = parser.parse_args()
    names = args.pairs or sorted({p.name.split(".")[0] for p in PAIRS.glob("*.before.tm")})
    metrics: dict[str, float] = {}
    total_before = total_done = 0
    print(
        f"{'pair':<20} {'crit+high before':>16} {'closed':>7} {'lowered':>8} {'left':>5} {'share':>6}", file=sys.stderr
    )
    for name in names:
        found = measure(name, args.today)
        done = found["closed"] + found["lowered"]
        share = done / found["before"] if found["before"] else 1.0
        print(f"{name:<20} {found['before']:>16} {found['closed']:>7} {found['lowered']:>8} "
              f"{found['before'] - done:>5} {share:>6.0%}", file=sys.stderr)  # fmt: skip
        total_before += found["before"]
        total_done += done
        for key, value in found.items():
            metrics[f"{name}: {key}"] = value
        metrics[f"{name}: share closed or lowered"] = round(share, 3)
    metrics["all: share closed or lowered"] = round(total_done / total_before, 3) if total_before else 1.0
    print(json.dumps(metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
