"""`tmdiag check`: parse, resolve and validate models, then run the lint rules; report every problem.

Configuration comes from the nearest `tmdiag.toml` or `pyproject.toml` `[tool.tmdiag]` above each
model (or `--config FILE`); command-line options override it. Inline suppressions:
`# tmdiag: ignore[TM203] reason: internal link, mTLS at the mesh`.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tmdiag.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from tmdiag.cli._against import add_var_file_option
from tmdiag.cli._common import (
    add_output_options,
    codes,
    date_arg,
    error,
    expand_paths,
    folder_arg,
    path_arg,
    silence_stdout,
    use_colour,
)
from tmdiag.cli._parallel import add_jobs_option, each
from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.lint.config import FAIL_ON, ConfigError, LintConfig, load_config, read_config
from tmdiag.lint.registry import all_rules
from tmdiag.loader import entry_models, imported_files, resolved
from tmdiag.output.diagnostics import render_json, render_text, summary
from tmdiag.pipeline import check, load

if TYPE_CHECKING:
    from tmdiag.iac.resources import Infrastructure
    from tmdiag.pipeline import Loaded

EXAMPLES = """\
examples:
  tmdiag check examples/checkout.tm
  tmdiag check examples/                        every .tm file below a folder
  tmdiag check --format json model.tm           diagnostics as JSON
  tmdiag check --format sarif models/ > tm.sarif  for GitHub code scanning
  tmdiag check --format github models/          annotations in a GitHub Actions log
  tmdiag check --select TM2,TM4 --ignore TM209  only boundary, flow and cloud rules
  tmdiag check --fail-on warning --today 2026-11-27 model.tm
  tmdiag check --against infra/ model.tm        lint and infrastructure drift in one gate
  tmdiag check -j 4 models/                     in 4 processes (default: one per core)

exit codes: 0 clean, 1 findings at or above --fail-on (validation errors always),
            2 usage, configuration or I/O error
rules: `tmdiag rules` lists them, `tmdiag rules TM203` explains one
"""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "check",
        help="parse, validate and lint models",
        description=__doc__,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", type=path_arg, metavar="PATH", help=".tm files or folders")
    parser.add_argument(
        "--format", choices=("text", "json", "sarif", "github"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=None,
        help="lowest severity that makes the exit code 1 (default: error, or `fail-on` in config)",
    )
    parser.add_argument(
        "--select",
        type=codes,
        metavar="CODES",
        help="comma-separated rule codes or prefixes to run (replaces the config's select)",
    )
    parser.add_argument(
        "--ignore",
        type=codes,
        metavar="CODES",
        help="comma-separated rule codes or prefixes to skip (added to the config's ignore)",
    )
    parser.add_argument(
        "--today", type=date_arg, metavar="DATE", help="date for review and expiry rules, YYYY-MM-DD (default: today)"
    )
    parser.add_argument(
        "--config",
        type=folder_arg,
        metavar="FILE",
        help="configuration file (default: nearest tmdiag.toml or pyproject.toml [tool.tmdiag])",
    )
    parser.add_argument("--no-lint", action="store_true", help="validate only; skip the lint rules")
    parser.add_argument(
        "--against",
        metavar="PATH",
        help="also compare each model with this infrastructure (a folder of .tf files or `terraform show -json` "
        "output): the drift rules TM7xx, as `tmdiag drift` runs them",
    )
    add_var_file_option(parser)
    add_jobs_option(parser, "check files")
    add_output_options(parser)
    return parser


class _Configs:
    """The configuration for each model: one file for all (--config) or the nearest one, cached per folder."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.fixed = read_config(args.config) if args.config else None
        self.cache: dict[Path, LintConfig] = {}

    def __call__(self, path: Path) -> LintConfig:
        try:
            folder = path.resolve().parent
        except (OSError, RuntimeError):  # a loop of symbolic links: check_file reports it (E301)
            folder = path.parent.resolve()
        if folder not in self.cache:
            base = self.fixed or load_config(folder)
            self.cache[folder] = base.with_options(self.args.select, self.args.ignore, self.args.fail_on)
        return self.cache[folder]


def run(args: argparse.Namespace) -> int:
    if args.var_files and not args.against:
        error("--var-file goes with --against (a folder of .tf files)")
        return EXIT_ERROR
    files, missing = expand_paths(args.paths)
    for path in missing:
        error(f"no such file or folder: {path}")
    if missing or not files:
        if not files and not missing:
            error("no .tm files found")
        return EXIT_ERROR
    try:
        _Configs(args)(files[0])  # report a bad configuration before any output
    except ConfigError as problem:
        error(str(problem))
        return EXIT_ERROR
    today = args.today or datetime.date.today()
    diagnostics: list[Diagnostic] = []
    infrastructure = None
    if args.against:
        from tmdiag.cli._against import read_terraform

        infrastructure, problems, usable = read_terraform(args.against, args.var_files)
        diagnostics.extend(problems)
        if not usable:
            print_diagnostics(args, diagnostics, infrastructure.texts, 0)
            return EXIT_ERROR
    shown: set[Diagnostic] = set()  # a file imported by several models named is reported once
    sources: dict[str, str] = dict(infrastructure.texts) if infrastructure is not None else {}
    io_failure = failed = False
    unique: dict[Path, Path] = {}
    for file in files:  # each file once (named, and found under a folder named too), in the order given
        unique.setdefault(resolved(file), file)
    files = list(unique.values())
    results = list(each(_check, _work(files, infrastructure), _jobs(args), _prepare, args, today, infrastructure))
    config_error = next((r.config_error for r in results if r.config_error is not None), None)
    if config_error is not None:
        error(config_error)
        return EXIT_ERROR
    # a file another one imports is checked as part of it (with what it imports and is imported
    # into), not on its own: `shared/common.tm` has no header and carries no data by itself
    named = {resolved(Path(raw)) for raw in args.paths if Path(raw).is_file()}
    entries = set(entry_models([(f, r.imports) for f, r in zip(files, results, strict=True)],
                               {f for f in files if resolved(f) in named}))  # fmt: skip
    checked = [r for f, r in zip(files, results, strict=True) if f in entries]
    read = {path for r in checked for path in r.read}
    for result in checked:
        io_failure = io_failure or result.unreadable
        failed = failed or result.failed
        sources.update(result.sources)
        diagnostics.extend(d for d in result.diagnostics if d not in shown)
        shown.update(result.diagnostics)
    failed = failed or any(d.severity >= Severity.ERROR for d in diagnostics if d.code.startswith("E5"))
    try:
        print_diagnostics(args, diagnostics, sources, len(read), len(checked))
    except BrokenPipeError:  # `tmdiag check … | head`: the exit code still tells what was found
        silence_stdout()
    if io_failure:
        return EXIT_ERROR
    return EXIT_FINDINGS if failed else EXIT_OK


def _jobs(args: argparse.Namespace) -> int:
    return 1 if args.against else args.jobs  # with infrastructure, the models are read before they are linted


def _work(files: list[Path], infrastructure: Infrastructure | None) -> list[_File]:
    """Each file, with what it needs from the others: read here first when there is infrastructure
    (one infrastructure, several models: what one links, the others need not report as unmodeled, TM708)."""
    if infrastructure is None:
        return [(file, frozenset(), None) for file in files]
    from tmdiag.lint.drift import addresses as drift_links

    every = [(file, load(file)) for file in files]
    links = {file: drift_links(loaded.model) for file, loaded in every if loaded.model}
    return [
        (file, frozenset(a for other, named in links.items() if other != file for a in named), loaded)
        for file, loaded in every
    ]


_File = tuple[Path, frozenset[str], "Loaded | None"]  # a file, what other models link, the file as read


@dataclass(frozen=True)
class _Checked:
    """What checking one file found (made in whichever process checked it)."""

    diagnostics: list[Diagnostic]
    sources: dict[str, str]  # every file read, for the source lines of diagnostics
    unreadable: bool = False
    failed: bool = False  # findings at or above the configured severity
    config_error: str | None = None
    imports: frozenset[str] = frozenset()  # the files it imports (resolved): which files are models
    read: frozenset[str] = frozenset()  # every file read for it, as displayed


_SETUP: tuple[argparse.Namespace, _Configs, datetime.date, Infrastructure | None] | None = None


def _prepare(args: argparse.Namespace, today: datetime.date, infrastructure: Infrastructure | None) -> None:
    global _SETUP
    _SETUP = (args, _Configs(args), today, infrastructure)
    if not args.no_lint:
        all_rules()  # loaded once, before processes are forked


def _check(work: _File) -> _Checked:
    assert _SETUP is not None
    args, configs, today, infrastructure = _SETUP
    file, elsewhere, loaded = work
    loaded = loaded or load(file)
    model, found = loaded.model, list(loaded.diagnostics)
    try:
        config = configs(file)
    except ConfigError as problem:
        return _Checked([], {}, config_error=str(problem))
    if model is None:
        return _Checked(found, {}, unreadable=True, failed=_fails(found, config), read=frozenset([loaded.path]))
    found = list(check(loaded, lint=not args.no_lint and config, today=today, infrastructure=infrastructure,
                       elsewhere=elsewhere))  # fmt: skip
    return _Checked(found, dict(model.sources), failed=_fails(found, config), imports=imported_files(model),
                    read=frozenset(model.sources))  # fmt: skip


def _fails(found: list[Diagnostic], config: LintConfig) -> bool:
    return any(d.severity >= Severity.ERROR if d.code[0] == "E" else config.fails(d.severity) for d in found)


def print_diagnostics(
    args: argparse.Namespace,
    diagnostics: list[Diagnostic],
    sources: Mapping[str, str],
    files: int,
    models: int | None = None,
) -> None:
    if args.format == "json":
        sys.stdout.write(render_json(diagnostics))
    elif args.format == "sarif":
        from tmdiag.output.sarif import render_sarif

        sys.stdout.write(render_sarif(diagnostics))
    elif args.format == "github":
        from tmdiag.output.github import render_github

        sys.stdout.write(render_github(diagnostics))
    else:
        colour = use_colour(args, sys.stdout)
        for d in diagnostics:
            print(render_text(d, sources, colour) + "\n")
        if not args.quiet:
            print(summary(diagnostics, files, models))
