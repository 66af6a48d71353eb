"""`tmdiag check`: exit codes, folder expansion, JSON shape, and never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tmdiag.cli import main

VALID = Path("dsl/conformance/valid")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_model_exits_0_with_a_one_line_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "examples/checkout.tm")
    assert code == 0
    assert out == "All good: 1 model checked (2 files), no problems.\n"  # checkout.tm and std/aws.tm


def test_errors_exit_1_with_positions_carets_and_hints(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--no-lint", "dsl/conformance/invalid/e201-unknown-attributes.tm")
    assert code == 1
    assert "e201-unknown-attributes.tm:2:20: error[E201]: unknown attribute `clasification` for a data asset" in out
    assert "     = help: did you mean `classification`?" in out
    assert out.rstrip().endswith("Found 7 errors in 1 model.")


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path / "nope.tm"))
    assert code == 2
    assert "no such file or folder" in err


def test_folder_without_models_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2
    assert "no .tm files" in err


def test_unreadable_model_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    big = tmp_path / "big.tm"
    with big.open("wb") as handle:  # sparse: larger than tmdiag reads, without using the disk
        handle.truncate(65 * 1024 * 1024)
    (tmp_path / "good.tm").write_text("actor a\n")
    code, out, _ = run(capsys, "--no-lint", str(big), str(tmp_path / "good.tm"))
    assert code == 2  # an I/O error wins over a clean file
    assert "big.tm:1:1: error[E301]: cannot read" in out and "larger than 16 MiB" in out


def test_a_folder_named_like_a_model_is_expanded(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "dir.tm").mkdir()
    (tmp_path / "dir.tm" / "inner.tm").write_text("actor a\n")
    code, out, _ = run(capsys, "--no-lint", str(tmp_path / "dir.tm"))
    assert (code, out) == (0, "All good: 1 model checked, no problems.\n")  # dir.tm/inner.tm was checked


def test_folder_expansion_checks_every_tm_file_below(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--no-lint", str(VALID))
    found = len(list(VALID.rglob("*.tm")))
    assert code == 0
    match = re.fullmatch(r"All good: (\d+) models checked \((\d+) files\), no problems.\n", out)
    assert match, out
    models, files = (int(g) for g in match.groups())
    assert models < found <= files  # files imported by others are checked with them, not as models


def test_a_folder_checks_imported_files_with_their_importers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`tmdiag check threat-model/`: `shared/common.tm`, imported by the model, is not a model of its
    own (was: TM103 no model header, TM304 data never carried, reported on it alone)."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "common.tm").write_text('team { ann "Ann" security_lead }\n'
                                                  'data card "Card" { classification: secret }\n')  # fmt: skip
    (tmp_path / "shop.tm").write_text(
        'import "shared/common.tm"\nmodel "Shop" { scope: "x", owner: ann }\n'
        'process a "A"\nprocess b "B"\na -> b "Pay" { data: [card], encrypted: true }\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, str(tmp_path), "--select", "TM103,TM304")
    assert "common.tm" not in out and code == 0
    assert out == "All good: 1 model checked (2 files), no problems.\n"
    code, out, _ = run(capsys, str(tmp_path / "shared" / "common.tm"), "--select", "TM103,TM304")
    assert "TM103" in out and "TM304" in out  # named on its own: checked on its own


def test_json_format_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--no-lint", "--format", "json", "dsl/conformance/invalid/e102-duplicate-ids.tm")
    assert code == 1
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 5
    first = data[0]
    assert set(first) >= {"code", "severity", "message", "hint", "path", "line", "column", "end_line", "end_column",
                          "related"}  # fmt: skip
    assert (first["code"], first["severity"], first["line"], first["column"]) == ("E102", "error", 3, 6)
    assert first["end_column"] == 9
    assert first["related"] == [
        {"message": "first declared here", "path": "dsl/conformance/invalid/e102-duplicate-ids.tm", "line": 2,
         "column": 8}
    ]  # fmt: skip


def test_json_for_a_clean_model_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "json", "examples/checkout.tm")
    assert (code, json.loads(out)) == (0, [])


@pytest.mark.parametrize("name", ["e004-binary-garbage.tm", "e005-deep-nesting.tm", "hostile-terminal-escapes.tm"])
def test_hostile_files_exit_1_without_a_traceback(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, err = run(capsys, "dsl/conformance/invalid/" + name)
    assert code == 1
    assert "Traceback" not in out + err
    assert "\x1b" not in out


def test_the_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tmdiag", "check", "examples/"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("All good: 5 models checked (8 files)")  # with their std imports


def test_a_problem_in_a_file_imported_by_several_models_is_reported_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "tmdiag.toml").write_text("")
    (tmp_path / "shared.tm").write_text("data token { classification: secrt }\n")
    for name in ("a", "b"):
        (tmp_path / f"{name}.tm").write_text(f'import "shared.tm"\nactor {name}\n')
    code, out, _ = run(capsys, "--no-lint", str(tmp_path))
    assert code == 1
    assert out.count("error[E203]") == 1
    assert out.endswith("Found 1 error in 2 models (3 files).\n")  # shared.tm: part of a and b


def test_output_cut_short_by_a_closed_pipe_keeps_the_exit_code(tmp_path: Path) -> None:
    # `tmdiag check bad.tm | head -1` under `set -o pipefail` must still fail the build
    model = tmp_path / "bad.tm"
    model.write_text("".join(f"data d{i} {{ clasification: secret }}\n" for i in range(600)))
    process = subprocess.Popen(
        [sys.executable, "-m", "tmdiag", "check", "--no-lint", str(model)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100)  # more than a pipe holds is still to come
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=60) == 1
    assert b"Traceback" not in err and b"Exception ignored" not in err


def test_a_folder_holding_a_loop_of_symbolic_links_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.tm").symlink_to(tmp_path / "b.tm")
    (tmp_path / "b.tm").symlink_to(tmp_path / "a.tm")
    (tmp_path / "good.tm").write_text("actor a\n")
    code, out, _ = run(capsys, "--no-lint", str(tmp_path))
    assert code == 2
    assert out.count("error[E301]: cannot read") == 2 and "a loop of symbolic links" in out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_files_named_twice_are_checked_once_in_the_order_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, jobs: str
) -> None:
    (tmp_path / "tmdiag.toml").write_text("")
    for name in ("a", "b"):
        (tmp_path / f"{name}.tm").write_text(f"data {name}_token {{ classification: secrt }}\n")
    b, a = str(tmp_path / "b.tm"), str(tmp_path / "a.tm")
    code, out, _ = run(capsys, "--no-lint", "-j", jobs, b, a, b, str(tmp_path))
    assert code == 1 and out.count("error[E203]") == 2
    assert out.index("b_token") < out.index("a_token")  # b named first
    assert out.endswith("Found 2 errors in 2 models.\n")
