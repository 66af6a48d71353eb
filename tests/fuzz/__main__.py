"""`make fuzz` (`python -m tests.fuzz`): a long fuzzing campaign, in parallel, with a summary.

    python -m tests.fuzz --count 100000 --jobs 2      # ~40 min on two cores
    python -m tests.fuzz --count 2000 --seed 5        # a short run with other inputs

Findings (crashes, unsafe output, invalid generated models, slow inputs) are written to
`--out` (default .fuzz/): the smallest input of each kind as `<n>.tm` with `<n>.txt` saying what
happened; turn each into a conformance case (dsl/conformance/) once fixed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from pathlib import Path

from tests.fuzz.engine import Report, work


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--count", type=int, default=100_000, help="inputs in all (default 100,000)")
    parser.add_argument("--seed", type=int, default=17, help="first random seed (default 17)")
    parser.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--chunk", type=int, default=1000, help="inputs per task (default 1,000)")
    parser.add_argument("--analyse-every", type=int, default=5, help="threats and report on every Nth input")
    parser.add_argument("--generated", type=float, default=0.1, help="share of generated valid models (0.1)")
    parser.add_argument("--out", type=Path, default=Path(".fuzz"), help="where findings go (default .fuzz/)")
    args = parser.parse_args(argv)
    chunks = [(args.seed * 1_000_003 + i, min(args.chunk, args.count - i * args.chunk), args.analyse_every,
               args.generated) for i in range((args.count + args.chunk - 1) // args.chunk)]  # fmt: skip
    total = Report()
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
        for part in pool.imap_unordered(work, chunks):
            total.count += part.count
            total.slowest = max(total.slowest, part.slowest)
            for kind, n in part.outcomes.items():
                total.outcomes[kind] = total.outcomes.get(kind, 0) + n
            for key, found in part.findings.items():
                if key not in total.findings or len(found[0]) < len(total.findings[key][0]):
                    total.findings[key] = found
            elapsed = time.perf_counter() - start
            print(f"{total.count:>7,} inputs  {elapsed:7.0f} s  {dict(sorted(total.outcomes.items()))}", flush=True)
    total.seconds = time.perf_counter() - start
    args.out.mkdir(parents=True, exist_ok=True)
    for n, (key, (text, detail)) in enumerate(sorted(total.findings.items()), 1):
        (args.out / f"{n}.tm").write_text(text, encoding="utf-8", errors="surrogatepass")  # API text: lone surrogates
        (args.out / f"{n}.txt").write_text(f"{key}\n\n{detail}\n", encoding="utf-8", errors="replace")
    summary = {"count": total.count, "seconds": round(total.seconds, 1), "seed": args.seed,
               "slowest_input_seconds": round(total.slowest, 2), "outcomes": total.outcomes,
               "findings": sorted(total.findings)}  # fmt: skip
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))
    return 1 if total.findings else 0


if __name__ == "__main__":
    sys.exit(main())
