"""The subcommand registry: every module of tmdiag/cli is one entry, and running a command imports
only what it needs (start-up cost is measured in bench/, never here)."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import tmdiag.cli
from tmdiag.cli import COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def test_every_subcommand_module_is_registered() -> None:
    modules = {m.name for m in pkgutil.iter_modules(tmdiag.cli.__path__) if not m.name.startswith("_")}
    unregistered = modules - set(COMMANDS.values())
    assert not unregistered, f"add these subcommand modules to tmdiag.cli.COMMANDS: {sorted(unregistered)}"
    assert set(COMMANDS.values()) <= modules, "COMMANDS names a module that does not exist"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_entry_registers_the_command_of_its_name(name: str) -> None:
    sub = argparse.ArgumentParser().add_subparsers()
    module = importlib.import_module(f"tmdiag.cli.{COMMANDS[name]}")
    assert module.register(sub).prog.split()[-1] == name
    assert callable(module.run)


def test_help_lists_every_command_in_registry_order(capsys: pytest.CaptureFixture[str]) -> None:
    text = build_parser().format_help()
    block = text.split("  COMMAND\n", 1)[1].split("\n\n", 1)[0]
    listed = [line.split()[0] for line in block.splitlines() if line.startswith("    ") and line[4] != " "]
    assert listed == list(COMMANDS)
    assert main([]) == 2  # no command: the help, exit 2
    assert "    lsp  " in capsys.readouterr().out


def test_top_level_help_before_a_command_lists_them_all(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help", "check"])
    out = capsys.readouterr().out
    assert all(f"    {name} " in out for name in ("check", "lsp", "import"))


def test_an_unknown_command_is_a_usage_error_naming_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["chek", "x.tm"])
    assert stop.value.code == 2
    assert "invalid choice: 'chek'" in capsys.readouterr().err


def _imported(*argv: str) -> set[str]:
    """The modules a fresh `tmdiag ARGV` process has imported when it exits."""
    probe = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: sys.__stderr__.write('MODULES' + json.dumps(sorted(sys.modules))))\n"
        "from tmdiag.cli import entry\n"
        f"sys.argv = ['tmdiag', *{list(argv)!r}]\n"
        "entry()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False)
    return set(json.loads(done.stderr.rsplit("MODULES", 1)[1]))


def test_version_imports_no_subcommand() -> None:
    modules = _imported("--version")
    assert {m for m in modules if m.startswith("tmdiag.cli.")} <= {"tmdiag.cli._stdout"}  # the stdout guard only
    assert "tmdiag.pipeline" not in modules and "lark" not in modules


def test_check_imports_neither_other_subcommands_nor_reports_nor_pytm() -> None:
    modules = _imported("check", "examples/checkout.tm")
    assert {m for m in modules if m.startswith("tmdiag.cli.") and not m.startswith("tmdiag.cli._")} == {
        "tmdiag.cli.check"
    }
    heavy = {"jinja2", "pytm", "diagrams", "tmdiag.report", "tmdiag.threats.adapter", "rich"}
    assert not heavy & modules


def test_a_process_writes_all_its_output_before_it_exits(capsys: pytest.CaptureFixture[str]) -> None:
    # `tmdiag` leaves without freeing its objects (cli._exit_now): the output must be complete
    args = ["threats", "--format", "json", "--today", "2026-11-27", "examples/checkout.tm"]
    code = main(args)
    expected = capsys.readouterr().out
    done = subprocess.run([sys.executable, "-m", "tmdiag", *args], cwd=ROOT, capture_output=True, check=False)
    assert (done.returncode, done.stdout.decode()) == (code, expected)
    assert json.loads(expected)["findings"]
