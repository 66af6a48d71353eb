"""Draw a model with `tmdiag diagram` (a waited-for child: its time is measured) and measure how
legible every picture it wrote is. Prints one JSON object on its last line.

    python legibility_child.py MODEL TMDIAG OUT
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/, for legibility.py

import legibility


def main() -> int:
    model, tmdiag, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    for old in out.glob("*.svg"):
        old.unlink()
    done = subprocess.run([tmdiag, "diagram", str(model), "-o", str(out / "dfd.svg"), "-q"], check=False)
    if done.returncode != 0:
        return done.returncode
    measured = [legibility.measure(p.read_bytes()) for p in sorted(out.glob("*.svg"))]
    worst, missing = legibility.worst(measured)
    aspect = worst.aspect if worst.aspect >= 1 else -1 / worst.aspect  # 2.0 is 2:1, -2.0 is 1:2
    print(json.dumps({"pictures": len(measured), "worst text px": round(worst.text_px, 1),
                      "worst aspect": round(aspect, 1), "overlaps": sum(m.overlaps for m in measured),
                      "missing a target": missing}))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
