"""How legible `tmdiag diagram` is on realistic models (bench/realistic.py), and its time (issue 16).

Every picture written (one, or an overview and one view per boundary) is measured on its SVG
(bench/legibility.py): the least legible one's text at fit in a 1600 × 1000 viewport and aspect,
overlapping labels in all of them, and how many miss a target (text >= 8 px, aspect within
1:3 … 3:1, no overlaps).
"""

from __future__ import annotations

from collections.abc import Iterator

from bench import realistic
from bench.harness.cases import BENCH, Case, Command, Context

ABOUT = "`tmdiag diagram -o dfd.svg` on realistic models: legibility of every picture (issue 16) and time"
ORDER = 85
CHILD = BENCH / "children" / "legibility_child.py"


def cases(ctx: Context) -> Iterator[Case]:
    for size in ctx.pick_sizes([20, 50, 100, 300, 600], [50]):
        work = ctx.scratch(f"legibility-{size}")
        model = work / f"realistic_{size}.tm"
        shape = realistic.shape(size)
        model.write_text(realistic.to_tm(shape), encoding="utf-8")
        out = work / "out"
        out.mkdir(exist_ok=True)
        argv = [str(ctx.python), str(CHILD), str(model), ctx.tmdiag, str(out)]
        yield Case(
            "legibility", "diagram legibility", size,
            [Command("tmdiag diagram + measure", argv, ok=(0,), metrics=True, output=out)],
            info={"flows": len(shape.flows), "boundaries": len(shape.boundaries)},
            runs=ctx.pick_runs(1), timeout=ctx.pick_timeout(300),
            note="targets (issue 16): text >= 8 px at 1600 x 1000, aspect within 1:3 ... 3:1, no overlapping labels",
        )  # fmt: skip
