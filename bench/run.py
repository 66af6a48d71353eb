"""`make bench`: run every bench/bench_*.py module's `run(sizes)` in one process and print results.

Each module prints its own table (tmdiag vs pytm on the same generated system, with the ratio).
BENCH_SIZES=100,1000 limits the sizes; BENCH_ONLY=check,threats picks modules.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> int:
    only = {s for s in os.environ.get("BENCH_ONLY", "").split(",") if s}
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "").split(",") if s] or None
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"\n== {name} ==", flush=True)
        importlib.import_module(path.stem).run(sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
