"""A monorepo of small models: `tmdiag check DIR` and `fmt --check DIR` over hundreds of files (gap 4),
in one process per core (the default) and in one process (`-j 1`)."""

from __future__ import annotations

from collections.abc import Iterator

from bench import generate
from bench.harness.cases import Case, Command, Context

ABOUT = "`tmdiag check DIR` and `tmdiag fmt --check DIR` over many small models (200 and 2,000 files)"
ORDER = 40
PER_FOLDER = 50


def cases(ctx: Context) -> Iterator[Case]:
    spec = generate.system(12, n_boundaries=3)
    text = generate.to_tm(spec)
    for count in ctx.pick_files([200, 2000], [200]):
        root = ctx.scratch(f"monorepo-{count}")
        for i in range(count):
            folder = root / f"team-{i // PER_FOLDER:03d}"
            folder.mkdir(exist_ok=True)
            (folder / f"service-{i:04d}.tm").write_text(text.replace("Generated 12", f"Service {i}"), encoding="utf-8")
        commands = [
            Command("tmdiag check DIR", [ctx.tmdiag, "check", str(root)], stdout="check.txt"),
            Command("tmdiag check -j 1 DIR", [ctx.tmdiag, "check", "-j", "1", str(root)], stdout="check-1.txt"),
            Command("tmdiag fmt --check DIR", [ctx.tmdiag, "fmt", "--check", str(root)], stdout="fmt.txt"),
            Command("tmdiag fmt --check -j 1 DIR", [ctx.tmdiag, "fmt", "--check", "-j", "1", str(root)],
                    stdout="fmt-1.txt"),
        ]  # fmt: skip
        yield Case(
            "many", "many files", count, commands, unit="files",
            info={"elements per file": len(spec.elements), "flows per file": len(spec.flows)},
            runs=ctx.pick_runs(3 if count < 1000 else 2), timeout=ctx.pick_timeout(600),
            note="cores = CPU / wall: 1.0 means one core does all the work; without -j, one process per core",
        )  # fmt: skip
