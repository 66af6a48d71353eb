"""`tmdiag diagram` at growing sizes and with many nested boundaries; pytm's DFD where dot copes (gap 5)."""

from __future__ import annotations

import shlex
from collections.abc import Iterator

from bench.harness.cases import Case, Command, Context, Ratio

ABOUT = "`tmdiag diagram -o dfd.svg` (Graphviz included) vs a pytm script's dfd() | dot -Tsvg"
ORDER = 80
PYTM_SIZE = 100  # pytm's nested-cluster DOT crashes dot 2.43 at 200 elements ("trouble in init_rank")


def _diagram(ctx: Context, name: str, model: str) -> Command:
    out = ctx.scratch(name) / "out"
    out.mkdir(exist_ok=True)
    return Command("tmdiag diagram", [ctx.tmdiag, "diagram", model, "-o", str(out / "dfd.svg")], stdout="diagram.txt",
                   output=out)  # fmt: skip


def cases(ctx: Context) -> Iterator[Case]:
    sizes = ctx.pick_sizes([100, 1000, 3000], [100])
    for size in sizes:
        system = ctx.system(size)
        commands = [_diagram(ctx, f"diagram-{size}", str(system.tm))]
        ratios = []
        if size <= PYTM_SIZE:
            svg = ctx.scratch(f"diagram-{size}") / "pytm.svg"
            script = shlex.join([str(ctx.python), str(system.pytm), "dfd"])
            pipeline = f"{script} | dot -Tsvg -o {shlex.quote(str(svg))}"
            commands.append(Command("pytm: build + check() + dfd() | dot -Tsvg", ["sh", "-c", pipeline], ok=(0,),
                                    output=svg))  # fmt: skip
            ratios.append(Ratio(commands[0].label, commands[1].label))
        yield Case("diagram", "diagram", size, commands, ratios=ratios, info=system.info,
                   runs=ctx.pick_runs(3 if size < 1000 else 1), timeout=ctx.pick_timeout(600))  # fmt: skip
    big = [s for s in sizes if s >= 1000]
    if big:
        system = ctx.zoned(max(big))
        yield Case("diagram", f"diagram, {system.boundaries} nested boundaries", system.elements,
                   [_diagram(ctx, "diagram-deep", str(system.tm))], info=system.info, runs=ctx.pick_runs(1),
                   timeout=ctx.pick_timeout(180), note="target (issue 12): <= 60 s at 3,000 elements")  # fmt: skip
