"""Run one command as a whole process through the lean launcher (launch.py) and keep its numbers.

CPU is user + system time of the process and the children it waited for, from `wait4`; wall time is
from spawn to exit, interpreter start-up included; peak memory is the largest resident set of the
process tree as the kernel accounted it to that process (not to the runner: see launch.py).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.harness.cases import Command

LAUNCHER = Path(__file__).resolve().with_name("launch.py")


@dataclass
class Sample:
    """One run of one command."""

    exit_code: int | None = None
    user: float = 0.0
    sys: float = 0.0
    wall: float = 0.0
    peak_mb: float = 0.0
    launcher_mb: float = 0.0  # the floor the launcher passed on (its own peak at spawn)
    timed_out: bool = False
    error: str | None = None  # why the run does not count (failed, timed out, bad exit code)
    out_bytes: int | None = None  # size of what the command wrote (stdout file or `output`)
    metrics: dict[str, float] = field(default_factory=dict)

    @property
    def cpu(self) -> float:
        return self.user + self.sys

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["cpu"] = round(self.cpu, 4)
        return data


def environment() -> dict[str, str]:
    """The children's environment: no colour, no progress line, no user configuration of tmdiag."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMDIAG_") and k != "PYTHONPATH"}
    env.update({"NO_COLOR": "1", "CI": "1"})
    return env


def size_of(path: Path) -> int | None:
    if path.is_file():
        return path.stat().st_size
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return None


def run_once(command: Command, folder: Path, timeout: float) -> Sample:
    """Run `command` once with its stdout in `folder`; a run over `timeout` seconds is killed."""
    folder.mkdir(parents=True, exist_ok=True)
    stdout = folder / (command.stdout or "stdout.txt") if command.stdout or command.metrics else Path(os.devnull)
    stderr = folder / "stderr.txt"
    argv = [sys.executable, "-I", "-S", str(LAUNCHER), str(stdout), str(stderr), "--", *command.argv]
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=command.cwd or folder,
        env=environment(), start_new_session=True,
    )  # fmt: skip
    try:
        report, problem = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the launcher leads the group: the whole tree goes
        process.communicate()
        took = time.perf_counter() - started
        return Sample(wall=took, timed_out=True, error=f"timed out after {timeout:.0f} s")
    except BaseException:  # Ctrl-C: the group is in its own session and would not see it
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    fields = report.split()
    if process.returncode != 0 or len(fields) != 6:
        return Sample(error=f"launcher failed: {(problem or report).strip()[-300:]}")
    code, user, system, peak_kb, wall, floor_kb = fields
    sample = Sample(int(code), float(user), float(system), float(wall), int(peak_kb) / 1024, int(floor_kb) / 1024)
    if sample.exit_code not in command.ok:
        tail = stderr.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        sample.error = f"exit code {sample.exit_code}: {' | '.join(tail)[-300:]}"
    written = command.output or (stdout if stdout != Path(os.devnull) else None)
    sample.out_bytes = size_of(written) if written else None
    if command.metrics and sample.ok:
        lines = stdout.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        try:
            sample.metrics = {k: float(v) for k, v in json.loads(lines[-1]).items()}
        except (IndexError, ValueError, AttributeError) as error:
            sample.error = f"no metrics on the last line of its output ({error})"
    if stdout != Path(os.devnull):
        stdout.unlink(missing_ok=True)  # big outputs (JSON at 3,000 elements: hundreds of MB) do not pile up
    return sample


SANITY = {
    "python -c pass": "pass",
    "python reporting its own VmHWM": "print('{\"vmhwm_kb\": %s}' % next(line.split()[1] "
    "for line in open('/proc/self/status') if line.startswith('VmHWM')))",
    "python allocating 200 MB": "block = b'x' * (200 * 2**20)",
}


def own_peak_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


def sanity(folder: Path, python: Path) -> dict[str, float]:
    """Peak memory of known children, measured the way every benchmark is, from a runner made big on
    purpose: `python -c pass` must show the interpreter's start-up (~10 MB), not the runner's memory;
    the child's own /proc VmHWM must agree with what wait4 reports; a 200 MB allocation must show."""
    ballast = b"r" * (300 * 2**20)  # a child must not inherit this peak
    found = {"runner peak (MB)": own_peak_mb()}
    for label, code in SANITY.items():
        command = Command(label, [str(python), "-c", code], ok=(0,), metrics="VmHWM" in label)
        sample = run_once(command, folder, timeout=60)
        if sample.error:
            raise RuntimeError(f"sanity check {label!r} failed: {sample.error}")
        found[f"{label} (MB)"] = sample.peak_mb
        if sample.metrics:
            found["its /proc VmHWM (MB)"] = sample.metrics["vmhwm_kb"] / 1024
        found["launcher floor (MB)"] = sample.launcher_mb
    del ballast
    return found
