"""Benchmark families: one module each, discovered by bench/run.py (`--only NAME` picks by module name).

A family module defines

    ABOUT = "one line: what it measures"          # shown by --list and above its tables
    ORDER = 30                                     # optional: families run cheapest first
    def cases(ctx: Context) -> Iterator[Case]: ... # bench.harness.cases

and builds each `Case` from `Command`s (whole processes: argv, accepted exit codes, where stdout
goes). The runner runs a case's commands interleaved `case.runs` times, measures each process
through the lean launcher and prints and stores the results; a family never times anything itself.
`ctx.system(n)` writes a generated system as `.tm` and as a plain pytm script; `ctx.pick_sizes`,
`ctx.pick_runs`, `ctx.pick_timeout` apply the command line's choices. A process that reports
extra numbers (latencies) prints them as a JSON object on its last line and sets `metrics=True`.
"""
