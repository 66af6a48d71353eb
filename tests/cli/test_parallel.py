"""`-j N`: checking and formatting many files in several processes gives what one process gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tmdiag.cli import main
from tmdiag.cli._parallel import each

ROOT = Path(__file__).resolve().parents[2]


def _pid(item: int) -> tuple[int, int]:
    return item, os.getpid()


def _nothing() -> None:
    pass


def test_each_keeps_the_order_and_works_in_other_processes() -> None:
    results = list(each(_pid, list(range(200)), 2, _nothing))
    assert [item for item, _ in results] == list(range(200))
    assert os.getpid() not in {pid for _, pid in results}
    assert {pid for _, pid in each(_pid, [1], 2, _nothing)} == {os.getpid()}  # one file: no pool


@pytest.fixture
def models(tmp_path: Path) -> Path:
    """Valid and invalid models in two folders, one imported by two others, one unreadable."""
    for source in sorted((ROOT / "dsl/conformance/valid").glob("*.tm"))[:8]:
        shutil.copy(source, tmp_path / source.name)
    invalid = tmp_path / "invalid"
    invalid.mkdir()
    for source in sorted((ROOT / "dsl/conformance/invalid").glob("*.tm"))[:12]:
        shutil.copy(source, invalid / source.name)
    (tmp_path / "shared.tm").write_text('data shared "Shared" { classification: secret }\nactor x\n')
    for name in ("a", "b"):
        (tmp_path / f"uses-{name}.tm").write_text(
            f'import "shared.tm"\nactor {name}\n{name} -> x {{ data: [shared] }}\n'
        )
    (tmp_path / "binary.tm").write_bytes(b"actor \xff\n")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("form", ["text", "json", "sarif"])
def test_check_in_processes_prints_what_one_process_prints(
    models: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    one = run(capsys, "check", "-j", "1", "--format", form, "--today", "2026-11-27", str(models))
    three = run(capsys, "check", "-j", "3", "--format", form, "--today", "2026-11-27", str(models))
    assert one == three
    assert one[0] == 1 and "E001" in one[1] and "E004" in one[1]


def test_check_reports_a_bad_configuration_of_a_later_folder_alike(
    models: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (models / "invalid" / "tmdiag.toml").write_text("[lint]\nselect = 5\n")
    one = run(capsys, "check", "-j", "1", str(models))
    two = run(capsys, "check", "-j", "2", str(models))
    assert one == two and one[0] == 2 and "error" in one[2]


def test_fmt_in_processes_reports_and_rewrites_alike(
    models: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    copy = tmp_path.parent / (tmp_path.name + "-copy")
    shutil.copytree(models, copy)
    checked = [run(capsys, "fmt", "--check", "-j", jobs, str(models)) for jobs in ("1", "2")]
    assert checked[0] == checked[1] and checked[0][0] == 1
    one = run(capsys, "fmt", "-j", "1", str(models))
    two = run(capsys, "fmt", "-j", "2", str(copy))
    assert one[0] == two[0] and one[1].replace(str(models), "") == two[1].replace(str(copy), "")
    for path in sorted(models.rglob("*.tm")):
        assert path.read_bytes() == (copy / path.relative_to(models)).read_bytes()


def test_jobs_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "-j", "0", "x.tm"])
    assert "not a number of processes" in capsys.readouterr().err
