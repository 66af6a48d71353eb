"""The raw results file: what ran, on which machine and commit, under what load, every sample."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.harness.cases import ROOT

SCHEMA = "tmdiag-bench/1"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _graphviz() -> str:
    try:
        done = subprocess.run(["dot", "-V"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    return done.stderr.strip().removeprefix("dot - graphviz version ")


def _memory_gb() -> float:
    with open("/proc/meminfo", encoding="ascii") as info:
        return int(info.readline().split()[1]) / 2**20


def machine() -> dict[str, Any]:
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")  # fmt: skip
    return {
        "cpus": os.cpu_count(), "cpu": cpu, "memory_gb": _memory_gb(), "platform": platform.platform(),
        "python": platform.python_version(), "tmdiag": _version("tmdiag"), "pytm": _version("pytm"),
        "lark": _version("lark"), "graphviz": _graphviz(), "loadavg_before": list(os.getloadavg()),
    }  # fmt: skip


def git(folder: Path = ROOT) -> dict[str, Any]:
    """The commit of the checkout holding `folder`, and whether its tracked files have changes."""

    def output(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {
        "commit": output("rev-parse", "HEAD") or "unknown",
        "subject": output("log", "-1", "--format=%s"),
        "dirty": bool(output("status", "--porcelain", "--untracked-files=no")),
        "tmdiag_tree": output("rev-parse", "HEAD:tmdiag"),  # the package's content: equal trees, equal code
    }


def measured(python: Path) -> dict[str, Any]:
    """Which tmdiag the benchmark ran: the package the interpreter imports, and its checkout's commit
    (it can differ from the benchmark's own checkout, e.g. a baseline measured from an old commit)."""
    code = "import pathlib, tmdiag; print(pathlib.Path(tmdiag.__file__).resolve().parent)"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False, cwd="/")
    package = done.stdout.strip()
    return {"package": package, **git(Path(package))} if package else {"package": None, **git()}


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def default_path(started: datetime.datetime) -> Path:
    return ROOT / ".bench" / f"results-{started.strftime('%Y%m%dT%H%M%SZ')}.json"


def save(doc: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)


def load(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("schema") != SCHEMA:
        raise ValueError(f"{path}: not a tmdiag benchmark results file (schema {doc.get('schema')!r})")
    return doc
