"""Interrupted and failed writes (issue 17, item 5): no half-written file, earlier outputs intact
after a failure, the failing file named, and what a killed run left behind cleaned by the next."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tmdiag.output import files
from tmdiag.output.files import WriteFailed, clean_stale, write_all_atomic

TMDIAG = str(Path(sys.executable).parent / "tmdiag")
REPORT_FILES = ("report.html", "report.md", "dfd.svg", "threats.json")


def report(model: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = [TMDIAG, "report", str(model), "-o", str(out), "--today", "2026-11-27", "-q", "--no-diagram", *extra]
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def big_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model whose report takes a noticeable time to write (~10 MB), so the write phase can be hit."""
    sys.path.insert(0, str(Path("bench").resolve()))
    import generate

    folder = tmp_path_factory.mktemp("big")
    (folder / "big.tm").write_text(generate.to_tm(generate.system(100)), encoding="utf-8")
    return folder / "big.tm"


@pytest.mark.slow
def test_kill_9_during_the_write_phase_leaves_whole_files_and_the_next_run_cleans_up(
    big_model: Path, tmp_path: Path
) -> None:
    assert report(big_model, tmp_path / "complete").returncode == 0  # what a whole run writes (deterministic)
    complete = snapshot(tmp_path / "complete")
    out = tmp_path / "out"
    assert report(Path("examples/checkout.tm"), out).returncode == 0
    before = snapshot(out)
    killed = False
    for _ in range(20):  # poll for the first temporary, then kill: a real process, a real SIGKILL
        process = subprocess.Popen(
            [TMDIAG, "report", str(big_model), "-o", str(out), "--today", "2026-11-27", "-q", "--no-diagram"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if any(p.name.endswith((".tmp", ".bak")) for p in out.iterdir()):
                process.send_signal(signal.SIGKILL)
                killed = True
                break
            time.sleep(0.0005)
        process.wait(timeout=60)
        if killed:
            break
        assert report(Path("examples/checkout.tm"), out).returncode == 0  # it finished first: start over
        before = snapshot(out)
    assert killed, "the write phase was never caught"
    left = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert left, "a killed writer leaves its temporaries"
    after_kill = snapshot(out)
    for name in REPORT_FILES:  # each file whole: its earlier bytes or the complete new file
        assert after_kill[name] in (before[name], complete[name]), name
    assert report(big_model, out).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(complete)  # temporaries gone (a big report has pages)
    assert set(REPORT_FILES) < set(complete)
    assert snapshot(out) == complete


def test_a_failed_rename_names_the_file_and_keeps_the_earlier_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert report(Path("examples/checkout.tm"), out).returncode == 0
    before = snapshot(out)
    (out / "threats.json").unlink()
    (out / "threats.json").mkdir()  # a folder where the last file goes: renamed after report.html
    before.pop("threats.json")
    done = report(Path("dsl/conformance/valid/v08-flows.tm"), out)
    assert done.returncode == 2
    assert f"cannot write {out / 'threats.json'}: Is a directory" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(out) == before  # report.html and report.md put back
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)  # no temporaries


def test_a_read_only_folder_names_the_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        done = report(Path("examples/checkout.tm"), out)
    finally:
        out.chmod(0o700)
    assert done.returncode == 2 and "cannot write" in done.stderr and str(out) in done.stderr


def test_stale_temporaries_of_dead_writers_and_older_versions_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    alive = subprocess.Popen(["sleep", "60"])
    try:
        old = time.time() - 3600
        stale = [
            f".report.html.tmdiag-{dead.pid}-0a1b2c3d.tmp", f".report.md.tmdiag-{dead.pid}.bak",
            f".report.html.tmdiag-{os.getpid()}-99aa88bb.tmp",  # a killed run that had our pid
            ".threats.json.k2j4_x9q.tmp", ".dfd.svg.4242.bak",  # tmdiag before this version (old, see utime)
        ]  # fmt: skip
        kept = [
            f".report.html.tmdiag-{alive.pid}-0a1b2c3d.tmp",  # a writer still at work
            ".report.html.swp", ".notes.txt.abcdefgh.tmp", "notes.txt", ".report.html.abc.tmp",
            ".threats.json.abcdefgh.tmp",  # an older version's temporary, recent: its writer may be running
        ]  # fmt: skip
        for name in stale + kept:
            (tmp_path / name).write_bytes(b"x")
        for name in (".threats.json.k2j4_x9q.tmp", ".dfd.svg.4242.bak"):
            os.utime(tmp_path / name, (old, old))
        (tmp_path / ".tmdiag-report-abcd1234").mkdir()
        (tmp_path / ".tmdiag-report-abcd1234" / "report.html").write_bytes(b"x" * 1000)
        os.utime(tmp_path / ".tmdiag-report-abcd1234", (old, old))
        from tmdiag.report.write import write_report

        write_report(tmp_path, {name: b"new" for name in REPORT_FILES})
        names = {p.name for p in tmp_path.iterdir()}
        assert names == set(kept) | set(REPORT_FILES)
    finally:
        alive.kill()
        alive.wait()


def test_clean_stale_touches_only_the_files_being_written(tmp_path: Path) -> None:
    (tmp_path / ".a.tm.tmdiag-1-00000000.tmp").write_bytes(b"x")
    os.utime(tmp_path / ".a.tm.tmdiag-1-00000000.tmp", (0, 0))
    assert clean_stale(tmp_path, ["b.tm"]) == []
    assert clean_stale(tmp_path, ["a.tm"]) == [tmp_path / ".a.tm.tmdiag-1-00000000.tmp"]


def test_a_temporary_is_never_a_link_someone_planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Staging creates its file exclusively (O_EXCL, O_NOFOLLOW): a planted link is not written through."""
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    monkeypatch.setattr(files.secrets, "token_hex", lambda _n: "feedbeef")
    (tmp_path / f".out.txt.tmdiag-{os.getpid()}-feedbeef.tmp").symlink_to(victim)
    monkeypatch.setattr(files, "clean_stale", lambda *_a: [])  # the planted link survives cleaning
    with pytest.raises(WriteFailed) as failure:
        write_all_atomic({tmp_path / "out.txt": b"data"})
    assert failure.value.filename == str(tmp_path / "out.txt")
    assert victim.read_bytes() == b"keep"


def test_a_link_planted_as_an_output_is_replaced_not_written_through(tmp_path: Path) -> None:
    """`out/report.html -> /etc/passwd` in a checkout: the report replaces the link; the file it
    pointed at is untouched, and a rollback would put back the link, not a copy of the file."""
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    victim.chmod(0o600)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").symlink_to(victim)
    write_all_atomic({out / "report.html": b"<p>new</p>", out / "report.md": b"new"})
    assert victim.read_bytes() == b"keep"
    assert not (out / "report.html").is_symlink() and (out / "report.html").read_bytes() == b"<p>new</p>"
    assert (out / "report.html").stat().st_mode & 0o777 != 0o600  # not the mode of what the link named
    (out / "threats.json").mkdir()
    (out / "report.md").unlink()
    (out / "report.md").symlink_to(victim)
    with pytest.raises(WriteFailed):
        write_all_atomic({out / "report.md": b"x", out / "threats.json": b"{}"})
    assert (out / "report.md").is_symlink() and victim.read_bytes() == b"keep"  # put back as it was
