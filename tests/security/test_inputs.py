"""Inputs that crashed, hung or blew up (issue 17, item 6): each is a regression test of its class.

Hangs are guarded by subprocess timeouts far above the fixed cost (the broken code took minutes
or forever); no test here measures speed.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import tmdiag
from tmdiag import limits, loader
from tmdiag.api import check_text
from tmdiag.cli import main
from tmdiag.lint import lint
from tmdiag.output import threats_json

TMDIAG = [str(Path(sys.executable).parent / "tmdiag")]
COMMANDS = (["check"], ["threats"], ["diagram", "--format", "dot"], ["fmt", "--check"], ["report", "-o", "{out}"])


def tmdiag_run(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TMDIAG, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def assert_clean_failure(done: subprocess.CompletedProcess[str], code: int) -> None:
    assert done.returncode == code, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    assert "Traceback" not in done.stderr + done.stdout


# ---- numbers, dates, durations ---------------------------------------------------------


HUGE_NUMBER = 'actor a "A"\nprocess b "B"\na -> b "x" { port: ' + "9" * 5000 + " }\n"


def test_a_number_of_5000_digits_is_a_diagnostic_in_the_api() -> None:
    _, diagnostics = check_text(HUGE_NUMBER, "n.tm", lint=False)
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [("E202", 3, 20)]
    with pytest.raises(tmdiag.TmError):  # loads raises its documented error, not ValueError
        tmdiag.loads(HUGE_NUMBER)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_number_of_5000_digits_is_exit_1_with_a_position_in_every_command(command: list[str], tmp_path: Path) -> None:
    model = tmp_path / "n.tm"
    model.write_text(HUGE_NUMBER)
    args = [a.format(out=tmp_path / "out") for a in command]
    done = tmdiag_run(*args, str(model))
    assert_clean_failure(done, 1)
    if command[0] != "fmt":  # fmt formats what parses; the number is valid syntax
        assert "n.tm:3:20: error[E202]: number with more than 18 digits" in done.stdout + done.stderr


@pytest.mark.parametrize(
    "header",
    ["reviewed: 9999-12-01, review_every: 90d", "reviewed: 9999-12-31, review_every: 100y",
     "reviewed: 0001-01-01, review_every: 100y"],
)  # fmt: skip
def test_review_dates_beyond_the_calendar_never_raise(header: str) -> None:
    model, diagnostics = check_text(f'model "M" {{ scope: "s", {header} }}\nactor a "A"\n', "d.tm", lint=False)
    assert diagnostics == []
    assert model is not None
    day = datetime.date(2026, 11, 27)
    list(lint(model, today=day))
    threats_json.review(model, day)
    huge = check_text('model "M" { reviewed: 2026-01-01, review_every: 1000000000d }', "x.tm", lint=False)
    assert huge[1][0].code == "E202"


def test_the_report_of_a_model_reviewed_at_the_end_of_the_calendar(tmp_path: Path) -> None:
    (tmp_path / "m.tm").write_text('model "M" { scope: "s", reviewed: 9999-12-01, review_every: 90d }\nactor a "A"\n')
    code = main(["report", str(tmp_path / "m.tm"), "-o", str(tmp_path / "out"), "--no-diagram", "-q"])
    assert code == 0
    assert "not scheduled" in (tmp_path / "out" / "report.html").read_text()


# ---- time: quadratic error messages, lexing -------------------------------------------------


def test_a_100_kb_word_before_a_syntax_error_is_reported_at_once(tmp_path: Path) -> None:
    """The last-word regex of the error message was quadratic: 100 KB took more than 600 s."""
    (tmp_path / "w.tm").write_text("actor " + "a" * 100_000 + ' "A" }\n')
    done = tmdiag_run("check", str(tmp_path / "w.tm"), timeout=60)
    assert_clean_failure(done, 1)
    assert "w.tm:1:100012: error[E001]: unexpected `}`" in done.stdout


@pytest.mark.parametrize(
    "line", ['process p "P" { owner  WORD }', 'a -> b "Hop" { port: 8080, WORD }'], ids=["element", "flow"]
)
def test_a_100_kb_word_inside_a_block_is_reported_at_once(line: str, tmp_path: Path) -> None:
    """make fuzz: the 'value with spaces needs quotes' pattern was tried at every start of the word
    (quadratic: a 20 KB word took 7 s, 100 KB minutes)."""
    (tmp_path / "w.tm").write_text('actor a "A"\nactor b "B"\n' + line.replace("WORD", "w" * 100_000) + "\n")
    done = tmdiag_run("check", str(tmp_path / "w.tm"), timeout=60)
    assert_clean_failure(done, 1)
    assert "w.tm:3:" in done.stdout and "error[E001]" in done.stdout


# ---- imports --------------------------------------------------------------------------------


def test_a_chain_of_500_imports_is_e304_not_a_recursion_error(tmp_path: Path) -> None:
    (tmp_path / "tmdiag.toml").write_text("")
    for i in range(500):
        nxt = f'import "f{i + 1}.tm"\n' if i < 499 else ""
        (tmp_path / f"f{i}.tm").write_text(f'{nxt}actor a{i} "A"\n')
    model, diagnostics = tmdiag.check_file(tmp_path / "f0.tm", lint=False)
    assert model is not None
    assert [d.code for d in diagnostics] == ["E304"]
    assert diagnostics[0].span.path.endswith(f"f{limits.MAX_IMPORT_DEPTH}.tm")
    assert len(model.elements) == limits.MAX_IMPORT_DEPTH + 1


def test_a_cycle_of_1000_files_is_bounded(tmp_path: Path) -> None:
    (tmp_path / "tmdiag.toml").write_text("")
    for i in range(1000):
        (tmp_path / f"f{i}.tm").write_text(f'import "f{(i + 1) % 1000}.tm"\nactor a{i} "A"\n')
    model, diagnostics = tmdiag.check_file(tmp_path / "f0.tm", lint=False)
    assert model is not None
    assert [d.code for d in diagnostics] == ["E304"]


def test_the_token_budget_is_shared_by_the_files_of_a_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_TOKENS", 40)
    (tmp_path / "tmdiag.toml").write_text("")
    (tmp_path / "lib.tm").write_text("".join(f'actor a{i} "A"\n' for i in range(10)))  # 30 tokens
    (tmp_path / "m.tm").write_text('import "lib.tm"\n' + "".join(f"a{i} -> a0\n" for i in range(10)))
    _, diagnostics = tmdiag.check_file(tmp_path / "m.tm", lint=False)
    assert [d.code for d in diagnostics] == ["E008"]
    assert "in the model's files together" in diagnostics[0].message


def test_the_model_byte_budget_is_shared_by_its_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_MODEL_BYTES", 100)
    (tmp_path / "tmdiag.toml").write_text("")
    (tmp_path / "lib.tm").write_text("#" * 90 + "\n")
    (tmp_path / "m.tm").write_text('import "lib.tm"\nactor a "A"\n')
    monkeypatch.chdir(tmp_path)
    _, diagnostics = tmdiag.check_file("m.tm", lint=False)
    assert [(d.code, d.message) for d in diagnostics] == [
        ("E301", "cannot read `lib.tm`: the model's files together are larger than 100 bytes")
    ]


# ---- files that are not files ---------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["check"], ["fmt", "--check"], ["fmt"], ["diagram", "--format", "dot"], ["threats"],
                ["report", "-o", "out"]], ids=" ".join)  # fmt: skip
def test_a_named_pipe_is_refused_up_front(command: list[str], tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p.tm")
    done = tmdiag_run(*command, "p.tm", cwd=tmp_path, timeout=30)
    assert_clean_failure(done, 2)
    assert "named pipe" in done.stderr + done.stdout
    assert "no such file" not in done.stderr


def test_a_named_pipe_inside_a_checked_folder_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p.tm")
    (tmp_path / "ok.tm").write_text('actor a "A"\n')
    done = tmdiag_run("check", "--no-lint", ".", cwd=tmp_path, timeout=30)
    assert_clean_failure(done, 2)
    assert "p.tm:1:1: error[E301]: cannot read `p.tm`: a named pipe, not a regular file" in done.stdout


@pytest.mark.parametrize("command", [["fmt", "--check"], ["check"]], ids=" ".join)
def test_an_endless_device_is_refused_by_every_reader(command: list[str]) -> None:
    done = tmdiag_run(*command, "/dev/zero", timeout=30)
    assert_clean_failure(done, 2)
    assert "character device" in done.stdout + done.stderr


def test_fmt_reads_stdin_up_to_the_limit_only() -> None:
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run([*TMDIAG, "fmt", "-"], stdin=zero, capture_output=True, timeout=60)
    assert done.returncode == 2
    assert b"larger than 16 MiB" in done.stderr


def test_a_template_folder_or_config_that_is_a_pipe_is_refused(tmp_path: Path) -> None:
    (tmp_path / "m.tm").write_text('actor a "A"\n')
    os.mkfifo(tmp_path / "cfg.toml")
    done = tmdiag_run("check", "--config", "cfg.toml", "m.tm", cwd=tmp_path, timeout=30)
    assert_clean_failure(done, 2)
    assert "named pipe" in done.stderr


def test_a_file_over_the_limit_exits_2_in_every_command(tmp_path: Path) -> None:
    big = tmp_path / "big.tm"
    with big.open("wb") as handle:  # sparse
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    for command in (["check"], ["threats"], ["report", "-o", "out"], ["diagram", "--format", "dot"]):
        done = tmdiag_run(*command, "big.tm", cwd=tmp_path)
        assert_clean_failure(done, 2)
        assert "larger than 16 MiB" in done.stdout + done.stderr


# ---- usage: empty paths, missing folders, configuration -------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["check", ""], ["fmt", ""], ["fmt", "--check", " "], ["threats", ""], ["diagram", ""], ["report", ""],
     ["report", "examples/checkout.tm", "-o", ""], ["report", "examples/checkout.tm", "--template", ""],
     ["diagram", "examples/checkout.tm", "-o", ""], ["check", "--config", "", "examples/checkout.tm"],
     ["import", "terraform", ""], ["import", "terraform", "x.tf", "-o", ""], ["drift", "", "--terraform", "x"],
     ["drift", "examples/checkout.tm", "--terraform", ""]],
    ids=lambda a: " ".join(repr(x) if not x.strip() else x for x in a),
)  # fmt: skip
def test_an_empty_path_is_a_usage_error(args: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`tmdiag fmt "$UNSET"` used to rewrite every model below the working folder."""
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    assert "empty path" in capsys.readouterr().err


def test_diagram_refuses_a_missing_output_folder(tmp_path: Path) -> None:
    target = tmp_path / "no" / "dir" / "x.dot"
    done = tmdiag_run("diagram", "examples/checkout.tm", "--format", "dot", "-o", str(target))
    assert_clean_failure(done, 2)
    assert f"no such folder: {tmp_path / 'no' / 'dir'}" in done.stderr
    assert not (tmp_path / "no").exists()


def test_an_invalid_pyproject_is_an_error_like_an_invalid_tmdiag_toml(tmp_path: Path) -> None:
    (tmp_path / "m.tm").write_text('actor a "A"\n')
    for name in ("pyproject.toml", "tmdiag.toml"):
        (tmp_path / name).write_text("[tool.tmdiag\n")
        done = tmdiag_run("check", "m.tm", cwd=tmp_path)
        assert_clean_failure(done, 2)
        assert f"{name}:1:13: not valid TOML" in done.stderr
        (tmp_path / name).unlink()


# ---- standard output that cannot be written -------------------------------------------------------------

STDOUT_COMMANDS = (
    ["check", "examples/checkout.tm"], ["check", "--format", "sarif", "examples/checkout.tm"],
    ["threats", "examples/checkout.tm"], ["threats", "--format", "csv", "examples/checkout.tm"],
    ["threats", "--format", "json", "examples/checkout.tm"], ["diagram", "--format", "dot", "examples/checkout.tm"],
    ["fmt", "-"], ["rules"], ["rules", "TM203"], ["--help"], ["--version"], ["check", "--help"], [],
    ["report", "examples/checkout.tm", "--no-diagram", "--format", "json", "-o", "{out}"],
)  # fmt: skip


@pytest.mark.parametrize("args", STDOUT_COMMANDS, ids=lambda a: " ".join(a) or "(none)")
@pytest.mark.parametrize("stdout", ["/dev/full", "closed"])
def test_a_failed_write_to_stdout_is_exit_2_without_a_traceback(args: list[str], stdout: str, tmp_path: Path) -> None:
    args = [a.format(out=tmp_path / "out") for a in args]
    with open("examples/checkout.tm", "rb") as stdin:
        if stdout == "closed":
            done = subprocess.run([*TMDIAG, *args], stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True, timeout=120, pass_fds=(), preexec_fn=lambda: os.close(1))  # fmt: skip
        else:
            with open(stdout, "w") as full:
                done = subprocess.run([*TMDIAG, *args], stdin=stdin, stdout=full, stderr=subprocess.PIPE, text=True,
                                      timeout=120)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "tmdiag: error: cannot write to standard output" in done.stderr


def test_a_reader_that_goes_away_is_not_an_error() -> None:
    shell = f"{TMDIAG[0]} rules | head -c 10 > /dev/null; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_a_model_beyond_the_threat_analysis_limit_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tmdiag import pipeline

    monkeypatch.setattr(pipeline, "MAX_ANALYSED", 3)
    (tmp_path / "m.tm").write_text('actor a "A"\nprocess b "B"\na -> b\nb -> a\n')
    for args in (["threats"], ["report", "-o", str(tmp_path / "out"), "--no-diagram"], ["diagram", "--threats"]):
        assert main([*args, str(tmp_path / "m.tm")]) == 2
        err = capsys.readouterr().err
        assert "has 4 elements and flows; the threat analysis takes at most 3" in err
    assert not (tmp_path / "out").exists()
    assert main(["check", "-q", "--no-lint", str(tmp_path / "m.tm")]) == 0


@pytest.mark.parametrize("where", ["plan", "folder", "device"])
def test_terraform_inputs_that_are_not_regular_files_are_refused(where: str, tmp_path: Path) -> None:
    """`import terraform` and `drift --terraform` read plans and .tf files through the same reader."""
    (tmp_path / "m.tm").write_text('actor a "A"\n')
    if where == "plan":
        os.mkfifo(tmp_path / "plan.json")
        target = "plan.json"
    elif where == "folder":
        (tmp_path / "tf").mkdir()
        os.mkfifo(tmp_path / "tf" / "main.tf")
        target = "tf"
    else:
        target = "/dev/zero"
    for command in (["import", "terraform", target], ["drift", "m.tm", "--terraform", target]):
        done = tmdiag_run(*command, cwd=tmp_path, timeout=60)
        assert "Traceback" not in done.stderr + done.stdout
        assert done.returncode in (1, 2), (command, done.returncode)
        said = done.stdout + done.stderr
        assert "named pipe" in said or "character device" in said, said[-500:]


def test_messages_use_the_right_article() -> None:
    """Issue 17: "unknown attribute `colour` for a actor"."""
    _, diagnostics = check_text(
        'actor a "A"\nrule R "r" { severity: high, targets: [actor], when: colour == red }\n', "a.tm", lint=False
    )
    assert diagnostics[0].message == "rule `R`: unknown attribute `colour` for an actor"


def test_outputs_are_xml_safe_even_for_a_model_the_language_refuses() -> None:
    """Control characters are E007, so no command renders them; the API can still be asked to, and
    every output must stay well-formed (the issue's UnsafeSvg, and an SVG Chromium would not show)."""
    import xml.etree.ElementTree as ET

    from tmdiag import pipeline

    text = ('model "M\x0b" { scope: "s\x1b[31m" }\nteam { alice "Al\x07ice\ufffe" security_lead }\n'
            'process web "W\x0bx\x08\x0c" { owner: alice, description: "\x7f\x85\x9b\ufdd0" }\n'
            'actor u "U\x1b]0;t\x07"\nu -> web "go\U0010ffff"\n')  # fmt: skip
    loaded = pipeline.load_text(text, "c.tm")
    assert {d.code for d in loaded.errors} == {"E007"}
    assert loaded.model is not None
    built = pipeline.report(pipeline.analyze(loaded.model, today=datetime.date(2026, 11, 27), lint=False))
    unsafe = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0010ffff]")
    for name, data in built.files.items():
        decoded = data.decode("utf-8")
        if name.endswith(".json"):  # JSON escapes what it must (C0); C1 and non-characters are valid JSON
            json.loads(decoded)
            continue
        assert not unsafe.search(decoded), (name, unsafe.search(decoded))
        if name.endswith(".svg"):
            ET.fromstring(decoded)
    assert "The diagram was not drawn" not in built.files["report.html"].decode()


@pytest.mark.parametrize("path", ["lib\ud800.tm", "std/\udfffaws.tm", "a\x0bb.tm", "x\x1b.tm"])
def test_an_import_path_no_file_system_takes_is_e007_not_a_crash(path: str) -> None:
    """Fuzz finding (make fuzz): the API takes text with lone
    surrogates, which reached os.path.realpath through an import and raised UnicodeEncodeError."""
    _, diagnostics = check_text(f'import "{path}"\nactor a "A"\n', "i.tm", lint=False)
    assert diagnostics and {d.code for d in diagnostics} == {"E007"}


def test_import_otm_refuses_a_named_pipe(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "otm.json")
    done = tmdiag_run("import", "otm", "otm.json", cwd=tmp_path, timeout=30)
    assert_clean_failure(done, 2)
    assert "a named pipe, not a regular file" in done.stderr


def test_the_language_servers_workspace_index_skips_a_named_pipe(tmp_path: Path) -> None:
    """Workspace symbols read every .tm file below the folder: a pipe must not block the server."""
    from tmdiag.lsp.workspace import SymbolIndex

    os.mkfifo(tmp_path / "p.tm")
    (tmp_path / "ok.tm").write_text('process web "Web"\n')
    index = SymbolIndex()
    assert index.file_entries(tmp_path / "p.tm") == ([], "")
    entries, _ = index.file_entries(tmp_path / "ok.tm")
    assert entries
