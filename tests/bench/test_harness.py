"""The benchmark harness's pieces work: its command line, per-child peak memory, timeouts, the
results file and compare.py. Nothing here is timed (speed is measured by bench/run.py itself)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import compare, generate, run
from bench.harness import results
from bench.harness.cases import Case, Command, Context, Ratio
from bench.harness.measure import Sample, run_once, sanity
from bench.harness.runner import summarise

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def test_the_command_line_picks_families_sizes_and_runs() -> None:
    args, chosen = run.parse(["--only", "check,threats", "--sizes", "100,1_000", "--runs", "2", "--json"])
    assert list(chosen) == ["check", "threats"]  # cheapest first, whatever the order given
    assert args.sizes == [100, 1000] and args.runs == 2 and args.json and not args.quick
    _, chosen = run.parse(["--skip", "report,diagram"])
    assert "report" not in chosen and "diagram" not in chosen and "check" in chosen


@pytest.mark.parametrize(
    "argv", [["--only", "chek"], ["--sizes", "100,abc"], ["--sizes", "0"], ["--runs", "0"], ["--timeout", "-1"]]
)
def test_bad_options_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        run.parse(argv)
    assert stopped.value.code == 2
    assert "bench/run.py: error:" in capsys.readouterr().err


def test_help_and_list_do_not_start_a_run(tmp_path: Path) -> None:
    before = set((ROOT / ".bench").glob("*")) if (ROOT / ".bench").exists() else set()
    for option in ("--help", "--list"):
        done = subprocess.run([PYTHON, "bench/run.py", option], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert "tmdiag benchmark" not in done.stdout  # the run's header: nothing was measured
    assert "--quick" in done.stdout or "threats" in done.stdout
    after = set((ROOT / ".bench").glob("*")) if (ROOT / ".bench").exists() else set()
    assert after == before  # no results file


def test_a_child_peak_is_its_own_not_the_runners(tmp_path: Path) -> None:
    ballast = b"r" * (300 * 2**20)  # a runner this big must not show up in its children
    small = run_once(Command("pass", [PYTHON, "-c", "pass"], ok=(0,)), tmp_path, timeout=60)
    big = run_once(Command("200 MB", [PYTHON, "-c", "b = b'x' * (200 * 2**20)"], ok=(0,)), tmp_path, timeout=60)
    del ballast
    assert small.ok and big.ok
    assert 4 < small.peak_mb < 40  # the interpreter's start-up, not 300 MB
    assert 200 < big.peak_mb < 260
    assert small.launcher_mb <= small.peak_mb + 1
    assert small.cpu > 0 and small.wall > 0


def test_the_sanity_check_agrees_with_the_childs_own_proc_accounting(tmp_path: Path) -> None:
    found = sanity(tmp_path, Path(PYTHON))
    assert found["runner peak (MB)"] > 300
    assert found["python -c pass (MB)"] < 40
    assert abs(found["python reporting its own VmHWM (MB)"] - found["its /proc VmHWM (MB)"]) < 2


def test_a_run_over_its_timeout_is_killed_with_its_children(tmp_path: Path) -> None:
    code = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
    code += "print('started', flush=True); time.sleep(60)"
    sample = run_once(Command("sleeper", [PYTHON, "-c", code], stdout="out.txt"), tmp_path, timeout=2)
    assert sample.timed_out and not sample.ok and sample.error == "timed out after 2 s"
    survivors = subprocess.run(["pgrep", "-f", "time.sleep(60)"], capture_output=True, text=True)
    assert survivors.stdout.strip() == ""


def test_an_unexpected_exit_code_or_missing_metrics_make_a_run_not_count(tmp_path: Path) -> None:
    failed = run_once(Command("fails", [PYTHON, "-c", "import sys; sys.exit('broken model')"], ok=(0,)), tmp_path, 60)
    assert failed.error is not None and "exit code 1" in failed.error and "broken model" in failed.error
    quiet = run_once(Command("no metrics", [PYTHON, "-c", "pass"], ok=(0,), metrics=True), tmp_path, 60)
    assert quiet.error is not None and "metrics" in quiet.error
    measured = run_once(Command("metrics", [PYTHON, "-c", "print('{\"open_s\": 0.5}')"], metrics=True), tmp_path, 60)
    assert measured.ok and measured.metrics == {"open_s": 0.5}


def test_the_pytm_script_builds_the_same_system_as_the_pytm_objects(tmp_path: Path) -> None:
    spec = generate.system(30)
    script = tmp_path / "model.py"
    script.write_text(generate.to_pytm_script(spec), encoding="utf-8")
    done = subprocess.run([PYTHON, str(script), "resolve"], capture_output=True, text=True, timeout=120, check=True)
    tm = generate.to_pytm(spec)
    tm.check()
    tm.resolve()
    assert done.stderr.strip() == f"{len(tm.findings)} findings"


def _doc(tmp_path: Path, cpu: float, timed_out: bool) -> dict[str, object]:
    case = Case("check", "check", 100, [Command("tmdiag check", ["x"]), Command("pytm", ["y"])],
                ratios=[Ratio("tmdiag check", "pytm")], runs=2)  # fmt: skip
    ours = [Sample(0, cpu, 0.0, cpu, 30.0), Sample(0, cpu * 1.1, 0.0, cpu, 31.0)]
    theirs: list[Sample | None] = [Sample(0, 2.0, 0.0, 2.0, 60.0), Sample(0, 2.2, 0.0, 2.2, 60.0)]
    if timed_out:
        theirs = [Sample(wall=5, timed_out=True, error="timed out after 5 s"), None]
    summary = summarise(case, {"tmdiag check": list(ours), "pytm": theirs}, [0.5, 0.4, 0.3], tmp_path)
    machine = {"cpus": 2, "loadavg_before": [0.5, 0.4, 0.3]}
    return {"schema": results.SCHEMA, "started": "2026-11-30T12:00:00+00:00", "machine": machine,
            "git": {"commit": "0" * 40, "subject": "test", "dirty": False}, "cases": [summary]}  # fmt: skip


def test_summaries_give_min_median_max_and_ratios_per_pair(tmp_path: Path) -> None:
    case = _doc(tmp_path, 1.0, timed_out=False)["cases"][0]  # type: ignore[index]
    tmdiag = case["commands"][0]
    assert tmdiag["cpu"] == {"min": 1.0, "median": 1.05, "max": 1.1, "n": 2}
    assert case["ratios"][0]["cpu"]["min"] == pytest.approx(0.5)
    assert case["ratios"][0]["peak_mb"]["median"] == pytest.approx((30 / 60 + 31 / 60) / 2)


def test_compare_prints_before_and_after_per_command_and_ratio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    results.save(_doc(tmp_path, 2.0, timed_out=True), old)
    results.save(_doc(tmp_path, 1.0, timed_out=False), new)
    assert compare.main([str(old), str(new)]) == 0
    table = capsys.readouterr().out
    row = next(line for line in table.splitlines() if line.startswith("tmdiag check"))
    assert row.split()[2:5] == ["2.100", "1.050", "0.50x"]  # median CPU old, new, change
    assert "timed out after 5 s" in table  # pytm's old run
    assert "ratio tmdiag check ÷ pytm: CPU no result → 0.50" in table  # no pair finished before
    (tmp_path / "bad.json").write_text(json.dumps({"schema": "other"}), encoding="utf-8")
    assert compare.main([str(old), str(tmp_path / "bad.json")]) == 2


def test_a_quick_startup_run_writes_results_and_prints_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    argv = [PYTHON, "bench/run.py", "--only", "startup", "--runs", "1", "--json", "--out", str(out)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    saved = results.load(out)
    assert printed["cases"] == saved["cases"]
    (case,) = saved["cases"]
    assert [c["label"] for c in case["commands"]][:3] == [
        "python -c pass",
        "python -c 'import pytm'",
        "tmdiag --version",
    ]
    assert all(c["cpu"]["n"] == 1 and not c["errors"] for c in case["commands"])
    assert "tmdiag --version ÷ python -c pass" in done.stderr  # the tables went to stderr
    assert saved["machine"]["cpus"] >= 1 and len(saved["machine"]["loadavg_after"]) == 3


def test_the_context_writes_each_system_once_as_tm_and_as_a_pytm_script(tmp_path: Path) -> None:
    ctx = Context(tmp_path)
    system = ctx.system(100)
    assert ctx.system(100) is system
    assert system.tm.read_text(encoding="utf-8") == generate.to_tm(generate.system(100))
    assert "Dataflow(" in system.pytm.read_text(encoding="utf-8")
    assert system.info["flows"] == 200 and system.info["boundary links"] > 0
    zoned = ctx.zoned(3000)
    assert zoned.boundaries == 76 and zoned.links > 3000  # the overview-heavy shape of issue 12


def test_the_diff_family_writes_two_versions_a_hundred_changes_apart(tmp_path: Path) -> None:
    from bench.families import diff
    from tmdiag import pipeline

    spec = generate.system(300)
    new = diff.changed(spec)
    assert len(new.flows) == len(spec.flows)  # 20 removed, 20 added
    flipped = sum(a[:4] == b[:4] and a[4] != b[4] for a, b in zip(spec.flows, new.flows, strict=False))
    moved = sum(a != b for a, b in zip(spec.elements, new.elements, strict=True))
    assert (flipped, moved) == (diff.CHANGES["encryption"], diff.CHANGES["moved elements"])
    (case,) = diff.cases(Context(tmp_path, sizes=[300]))
    old_path, new_path = case.commands[0].argv[2:4]
    assert [len(pipeline.load(p).require().flows) for p in (old_path, new_path)] == [600, 600]
    assert [r.numerator for r in case.ratios] == [case.commands[0].label]


def test_generate_writes_a_model_from_the_command_line(tmp_path: Path) -> None:
    """New-user trial: `bench/generate.py --help` printed nothing (performance.md sends users there)."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "bench/generate.py", "--help"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0 and "bench/generate.py 3000 -o big.tm" in done.stdout
    for extra in ([], ["--realistic"]):
        out = tmp_path / f"m{len(extra)}.tm"
        subprocess.run([sys.executable, "bench/generate.py", "60", *extra, "-o", str(out)], cwd=root, check=True)
        checked = subprocess.run([sys.executable, "-m", "tmdiag", "check", "--no-lint", str(out)], capture_output=True)
        assert checked.returncode == 0, checked.stdout


def test_a_profiler_gets_its_results_written(tmp_path: Path) -> None:
    """tmdiag leaves with os._exit, except under a profiler (performance.md's recipe wrote nothing)."""
    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "out.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "tmdiag", "check", "examples/checkout.tm"],
                   cwd=root, capture_output=True, check=False)  # fmt: skip
    assert out.stat().st_size > 10_000
