"""What a benchmark family hands the runner: cases made of commands, and the context it builds them from.

A family is a module in bench/families/ with

    ABOUT = "one line: what it measures"
    def cases(ctx: Context) -> Iterator[Case]: ...

Each `Case` is one comparison at one size: a few `Command`s (whole processes: argv, what exit
codes are fine, where their output goes) that the runner runs interleaved (A, B, C, A, B, C, …)
`runs` times, plus the `Ratio`s to print between them. Cases are generated lazily, so a family
writes its input files just before they are measured.
"""

from __future__ import annotations

import py_compile
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import generate

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"


@dataclass(frozen=True)
class Command:
    """One process to measure. `stdout` names a file in the case's folder that receives the
    process's standard output (what `> file` does in a shell); `None` sends it to /dev/null.
    `output` is a file or folder the command writes whose size is recorded (`-o out/`).
    With `metrics`, the process prints a JSON object of extra numbers (latencies…) as its last
    line on standard output; they are kept with each run."""

    label: str
    argv: Sequence[str]
    ok: tuple[int, ...] = (0, 1)
    stdout: str | None = None
    output: Path | None = None
    metrics: bool = False
    cwd: Path | None = None


@dataclass(frozen=True)
class Ratio:
    """`numerator ÷ denominator` per interleaved run (labels of two commands of the case)."""

    numerator: str
    denominator: str


@dataclass
class Case:
    family: str
    name: str  # what is compared, e.g. "check", "threats --format json"
    size: int | None  # elements, files, … (see `unit`); None for size-free cases
    commands: list[Command]
    ratios: list[Ratio] = field(default_factory=list)
    runs: int = 3
    timeout: float = 600.0  # seconds per process; a run that takes longer is killed and reported
    unit: str = "elements"
    info: dict[str, Any] = field(default_factory=dict)  # shown in the heading: flows, lines, …
    note: str = ""  # one line printed under the table

    @property
    def key(self) -> str:
        return f"{self.family}/{self.name}/{self.size if self.size is not None else '-'}"

    @property
    def folder(self) -> str:
        return "".join(c if c.isalnum() else "-" for c in self.key)


@dataclass(frozen=True)
class System:
    """A generated system on disk: the `.tm` model and the same system as a plain pytm script."""

    elements: int
    boundaries: int
    flows: int
    lines: int
    links: int  # pairs of boundaries (source's, sink's) that flows connect
    tm: Path
    pytm: Path

    def import_pytm(self, work: str, python: Path) -> Command:
        """The pytm script imported as a module, so Python reuses its cached bytecode instead of
        compiling ~5 lines per element on every run as `python model.py` does."""
        argv = [str(python), "-c", f"import {self.pytm.stem}", work]
        return Command(f"pytm (cached bytecode): build + {work}()", argv, ok=(0,), cwd=self.pytm.parent)

    @property
    def info(self) -> dict[str, Any]:
        return {"flows": self.flows, "boundaries": self.boundaries, "boundary links": self.links, "lines": self.lines}


@dataclass
class Context:
    """What families build their cases from (the command line's choices and the tools' paths)."""

    work: Path  # scratch folder of this run (deleted at the end)
    quick: bool = False
    runs: int | None = None  # --runs: overrides every case's own number of runs
    sizes: list[int] | None = None  # --sizes: element counts for families that take them
    files: list[int] | None = None  # --files: file counts for the many-files family
    timeout: float | None = None  # --timeout: overrides every case's own
    python: Path = field(default_factory=lambda: Path(sys.executable))

    @property
    def tmdiag(self) -> str:
        """The installed console script, as users run it (next to the interpreter)."""
        script = self.python.parent / "tmdiag"
        return str(script) if script.exists() else "tmdiag"

    def pick_runs(self, default: int) -> int:
        return self.runs or default

    def pick_sizes(self, full: list[int], quick: list[int]) -> list[int]:
        return self.sizes or (quick if self.quick else full)

    def pick_files(self, full: list[int], quick: list[int]) -> list[int]:
        return self.files or (quick if self.quick else full)

    def pick_timeout(self, default: float) -> float:
        return self.timeout or default

    _systems: dict[tuple[int, int, int], System] = field(default_factory=dict, repr=False)

    def system(self, elements: int, boundaries: int = 10, run: int = 1) -> System:
        """Write (once) the generated system of this size as `.tm` and as a pytm script
        (`generate.system`: `run` consecutive elements share a boundary)."""
        if (elements, boundaries, run) in self._systems:
            return self._systems[elements, boundaries, run]
        spec = generate.system(elements, n_boundaries=boundaries, run=run)
        stem = (
            f"generated_{elements}" + (f"_b{boundaries}" if boundaries != 10 else "") + (f"_r{run}" if run > 1 else "")
        )
        folder = self.work / "models"
        folder.mkdir(parents=True, exist_ok=True)
        text = generate.to_tm(spec)
        tm = folder / f"{stem}.tm"
        tm.write_text(text, encoding="utf-8")
        script = folder / f"{stem}.py"
        script.write_text(generate.to_pytm_script(spec), encoding="utf-8")
        py_compile.compile(str(script), doraise=True)  # for `import generated_N`; `python FILE` compiles anyway
        inside = {eid: boundary for eid, _, boundary in spec.elements}
        links = len({(inside[a], inside[b]) for a, b, *_ in spec.flows if inside[a] != inside[b]})
        made = System(elements, boundaries, len(spec.flows), text.count("\n"), links, tm, script)
        self._systems[elements, boundaries, run] = made
        return made

    def zoned(self, elements: int) -> System:
        """The system with many nested boundaries and flows between most of them: at 3,000 elements
        76 boundaries, ~3,300 linked pairs (the shape that makes one overview diagram slow)."""
        return self.system(elements, boundaries=max(10, 76 * elements // 3000), run=3)

    def scratch(self, name: str) -> Path:
        """An empty folder for one case's inputs or outputs."""
        path = self.work / name
        path.mkdir(parents=True, exist_ok=True)
        return path
