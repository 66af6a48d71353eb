"""The report's files: deterministic bytes, atomic writes, the CLI's exit codes and messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.report.conftest import EXAMPLE, TODAY, report, split_report
from tmdiag.report import REPORT_FILES, write_report

ROOT = Path(__file__).resolve().parents[2]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


VIEW_FILES = ("view-payment_path.svg",)  # the example declares one view: its picture is written too


def test_writes_the_four_files(example_dir: Path) -> None:
    assert sorted(p.name for p in example_dir.iterdir()) == sorted([*REPORT_FILES, *VIEW_FILES])
    html = (example_dir / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 1 and "<style>" in html
    assert not any(s in html for s in ('src="http', "<link ", "@import", "url(http"))
    md = (example_dir / "report.md").read_text(encoding="utf-8")
    assert "![Data flow diagram](dfd.svg)" in md
    data = json.loads((example_dir / "threats.json").read_text(encoding="utf-8"))
    assert data["model"]["title"] == "Checkout" and data["summary"]["total"] == len(data["findings"])
    first = data["findings"][0]
    assert first["rank"] == 1 and first["threat_id"] in data["catalogue"]
    assert first["target"]["path"] == EXAMPLE and first["target"]["anchor"].startswith(("el-", "flow-"))
    assert "mitigations" not in first and data["catalogue"][first["threat_id"]]["mitigations"]
    assert (example_dir / "dfd.svg").read_bytes().lstrip().startswith(b"<svg")


def test_same_input_gives_identical_bytes(tmp_path: Path, example_dir: Path) -> None:
    assert report(EXAMPLE, tmp_path / "again") == 0
    assert files_of(tmp_path / "again") == files_of(example_dir)


def test_identical_across_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "tmdiag", "report", EXAMPLE, "-o", str(out), "--today", TODAY, "-q"]
        subprocess.run(command, check=True, cwd=ROOT, env=env, timeout=120)
        outputs.append(files_of(out))
    assert outputs[0] == outputs[1]


def test_no_date_is_written_unless_asked(tmp_path: Path, example_dir: Path) -> None:
    html = (example_dir / "report.html").read_text(encoding="utf-8")
    assert " on 20" not in html.split("<footer>")[1]
    assert report(EXAMPLE, tmp_path / "dated", "--date", "2030-01-02") == 0
    footer = (tmp_path / "dated" / "report.html").read_text(encoding="utf-8").split("<footer>")[1]
    assert "on 2030-01-02" in footer


def test_review_status_follows_today(tmp_path: Path) -> None:
    assert report(EXAMPLE, tmp_path / "late", "--today", "2027-02-01") == 0
    md = (tmp_path / "late" / "report.md").read_text(encoding="utf-8")
    assert "2026-12-30 — **overdue by 33 days**" in md
    assert report(EXAMPLE, tmp_path / "early", "--today", "2026-12-30") == 0
    assert "2026-12-30 — current" in (tmp_path / "early" / "report.md").read_text(encoding="utf-8")


def test_model_with_errors_writes_nothing_and_keeps_the_earlier_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert report(EXAMPLE, out) == 0
    before = files_of(out)
    broken = tmp_path / "broken.tm"
    broken.write_text('model "Broken" {}\nprocess web "Web" { sanitizes_inptu: true }\nweb -> nowhere\n')
    assert report(str(broken), out) == 1
    assert "no report written" in capsys.readouterr().err
    assert files_of(out) == before


def test_failed_staging_leaves_the_folder_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_report(out, {"report.html": b"old", "keep.txt": b"mine"})
    (out / "missing").write_bytes(b"")  # a file where a folder would have to be
    with pytest.raises(OSError):
        write_report(out, {"report.html": b"new", "missing/dir.md": b"x"})
    assert files_of(out) == {"keep.txt": b"mine", "report.html": b"old", "missing": b""}  # no temporaries left


def test_a_failed_rename_puts_back_what_was_renamed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_report(out, {"report.html": b"old", "report.md": b"old md"})
    (out / "threats.json").mkdir()  # a folder where a file goes: its rename fails after report.html's
    with pytest.raises(OSError) as failure:
        write_report(out, {"report.html": b"new", "report.md": b"new md", "threats.json": b"{}"})
    assert failure.value.filename is not None and "threats.json" in str(failure.value.filename)
    assert files_of(out) == {
        "report.html": b"old", "report.md": b"old md",
    }  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.md", "threats.json"]


def test_missing_model_is_an_io_error(tmp_path: Path) -> None:
    assert report(str(tmp_path / "nope.tm"), tmp_path / "out") == 2
    assert not (tmp_path / "out").exists()


def test_json_summary_and_quiet_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tmdiag.cli import main

    assert main(["report", EXAMPLE, "-o", str(tmp_path / "a"), "--today", TODAY, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert sorted(Path(p).name for p in document["files"]) == sorted([*REPORT_FILES, *VIEW_FILES])
    assert main(["report", EXAMPLE, "-o", str(tmp_path / "b"), "--today", TODAY]) == 0
    assert "report.html" in capsys.readouterr().out


def test_no_diagram_option(tmp_path: Path) -> None:
    assert report(EXAMPLE, tmp_path / "out", "--no-diagram") == 0
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "No diagram was drawn." in html and "<svg" not in html


def test_big_model_views_are_inlined_and_written(tmp_path: Path) -> None:
    """Above the diagram's split size, one view per boundary: inlined in HTML, files beside it."""
    diagram, files = split_report(EXAMPLE)
    assert diagram.views
    html = files["report.html"].decode("utf-8")
    for boundary_id, _ in diagram.views:
        assert f"dfd-{boundary_id}.svg" in files
        assert f'id="view-{boundary_id}"' in html
        assert b'href="report.html#el-' in files[f"dfd-{boundary_id}.svg"]
    assert "dfd-private.svg" in files["report.md"].decode("utf-8")
    assert html.count("<svg") == 1 + len(diagram.views)
    write_report(tmp_path, files)
    assert (tmp_path / "dfd-private.svg").exists()


def test_bad_lint_configuration_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "model.tm"
    model.write_text((ROOT / EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "tmdiag.toml").write_text("select = 3\n", encoding="utf-8")
    assert report(str(model), tmp_path / "out") == 2
    assert "tmdiag.toml" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_small_reports_repeat_mitigations_big_ones_link_them(example_dir: Path) -> None:
    html = (example_dir / "report.html").read_text(encoding="utf-8")
    first = html.split('<article class="threat"', 2)[1]
    assert '<div class="label">Mitigations</div>' in first and 'href="#lib-' in first
    assert 'id="library"' in html and html.count('<article class="libentry"') >= 1


def test_an_output_that_is_a_file_is_refused_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """New-user trial: `report -o afile` said "File exists" after building the whole report."""
    (tmp_path / "afile").write_text("mine")
    assert report(EXAMPLE, tmp_path / "afile") == 2
    err = capsys.readouterr().err
    assert "is a file: name a folder" in err and err.count("\n") == 1
    assert (tmp_path / "afile").read_text() == "mine"
