"""`tmdiag diff`: what changed for security between two versions of a model — declarations added,
removed, renamed or changed; elements moved across boundaries; flows that newly cross a boundary
or go into lower trust; data newly carried across or stored; controls weakened; findings new,
resolved or re-rated (both sides enumerated by the same engine); decisions stale or expired.

Compare two files, two folders (their entry models, paired by path), or a git revision with the
working tree (`--git REV [PATH]`: the old version, imports included, is read with `git show`).
Statement order, layout and comments are not changes.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tmdiag.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from tmdiag.cli._common import add_output_options, date_arg, error, path_arg, progress, refuse
from tmdiag.model.levels import RiskLevel

if TYPE_CHECKING:
    from tmdiag.diff.pairs import Version
    from tmdiag.lint.config import LintConfig

LEVELS = tuple(level.value for level in RiskLevel.highest_first())

EXAMPLES = """\
examples:
  tmdiag diff old.tm new.tm                          what changed, grouped, weakening first
  tmdiag diff --git main                             every model in the repository vs. branch main
  tmdiag diff --git HEAD~1 examples/checkout.tm      one model (and its imports) vs. the last commit
  tmdiag diff --git origin/main --format markdown > comment.md   a pull-request comment
  tmdiag diff --git origin/main --fail-on-new high   CI gate: exit 1 on a new open high/critical risk
  tmdiag diff v1/ v2/ --format json                  folders: entry models paired by path
  tmdiag diff --git main -q                          only the changed lines

exit codes: 0 compared (changes or not), 1 --fail-on-new was hit (a line on stderr says how many),
            2 not compared: a version has errors (its diagnostics on stderr, the side named; the
            output says which), or a usage or I/O error (no such file, unknown revision, not git)
"""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "diff", help="what changed for security between two versions", description=__doc__, epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("paths", nargs="*", type=path_arg, metavar="PATH",
                        help="OLD NEW (files or folders); with --git: the file or folder (default: .)")  # fmt: skip
    parser.add_argument("--git", metavar="REV", help="compare the working tree with this revision (git show)")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format")
    parser.add_argument("--fail-on-new", choices=(*LEVELS, "never"), default=None, metavar="LEVEL",
                        help="exit 1 when the change adds an open risk at or above LEVEL "
                        "(critical, high, medium, low, info; never: only report)")  # fmt: skip
    parser.add_argument("--today", type=date_arg, default=None, metavar="YYYY-MM-DD",
                        help="the date decisions expire against, on both sides (default: today)")  # fmt: skip
    add_output_options(parser, quiet="text: print only the changes (no headline or totals, nothing for a pair "
                       "without changes)")  # fmt: skip
    return parser


def run(args: argparse.Namespace) -> int:
    from tmdiag.diff.git import GitError

    try:
        pairs = _pairs(args)
    except GitError as problem:
        error(str(problem))
        return EXIT_ERROR
    if pairs is None:
        return EXIT_ERROR
    today = args.today or datetime.date.today()
    from tmdiag.diff import Uncompared, compare
    from tmdiag.lint.config import ConfigError, load_config

    new_paths = [new.path for _, new in pairs if new.path is not None]
    try:  # one lint configuration for both sides (the working tree's): the same engine on both
        config = load_config((new_paths[0].resolve().parent) if new_paths else Path.cwd())
    except ConfigError as problem:
        error(str(problem))
        return EXIT_ERROR

    results: list = []  # type: ignore[type-arg]
    with progress(args) as step:
        for old, new in pairs:
            step(f"Comparing {old.name} with {new.name}…")
            names = (old.name if old.path else "", new.name if new.path else "")
            sides = [
                _side(args, version, which, today, config, names) for version, which in ((old, "old"), (new, "new"))
            ]
            broken = next((s for s in sides if isinstance(s, Uncompared)), None)
            results.append(broken or compare(sides[0], sides[1], *names))
    level = RiskLevel(args.fail_on_new) if args.fail_on_new not in (None, "never") else None
    _print(args, results, level)
    if any(isinstance(r, Uncompared) for r in results):
        return EXIT_ERROR  # not compared: no diff exists to gate on (said on stderr and in the output)
    if level is not None:
        added = sum(f.adds_open_risk(level) for r in results for f in r.findings)
        if added:
            error(f"{added} new open risk{'s' if added != 1 else ''} at or above {level} (--fail-on-new {level})")
            return EXIT_FINDINGS
    return EXIT_OK


def _print(args: argparse.Namespace, results: list, level: RiskLevel | None) -> None:  # type: ignore[type-arg]
    from tmdiag.cli._common import use_colour
    from tmdiag.output import diff as output

    if args.format == "json":
        sys.stdout.write(output.render_json(results))
    elif args.format == "markdown":
        sys.stdout.write(output.render_markdown(results, level))
    else:
        sys.stdout.write(output.render_text(results, use_colour(args), quiet=args.quiet))


def _side(  # type: ignore[no-untyped-def]
    args: argparse.Namespace, version: Version, which: str, today: datetime.date, config: LintConfig,
    names: tuple[str, str],
):  # fmt: skip
    """The version loaded and analysed, or `Uncompared` after printing why it cannot be (the side named)."""
    from tmdiag import pipeline
    from tmdiag.diff import Side, Uncompared

    if version.path is None:
        return Side.empty(today=today)
    loaded = pipeline.load(version.path, files=version.files)
    if loaded.model is None or loaded.errors:
        shown = loaded.errors or loaded.diagnostics
        refuse(args, loaded, f"the {which} version cannot be compared", hint=_check_hint(version), name=version.name)
        first = shown[0] if shown else None
        line = f"{first.span.path}:{first.span.line}:{first.span.column}: error[{first.code}]: {first.message}" \
            if first is not None else f"{version.name} cannot be read"  # fmt: skip
        return Uncompared(*names, which, len(shown), line)
    analysis = pipeline.analyze(loaded, today=today, lint=config)  # the register: threats and lint risks
    return Side(analysis.model, analysis.findings, today, analysis.excluded)


def _check_hint(version: Version) -> str | None:
    """How to check the version on its own: a revision is checked in a worktree of its own (its
    imports come with it); a file on disk with `tmdiag check` (refuse's default)."""
    from tmdiag.diff.git import GitFiles

    if not isinstance(version.files, GitFiles) or version.path is None:
        return None
    files = version.files
    rel = files.relative(version.path) or version.name
    folder = f"/tmp/tmdiag-{files.commit[:12]}"
    worktree = f"git worktree add --detach {folder} {files.commit[:12]}"
    return f"to check that version: `{worktree} && tmdiag check {folder}/{rel}`"


def _pairs(args: argparse.Namespace) -> list[tuple[Version, Version]] | None:
    from tmdiag.diff.pairs import PairError, files_pairs, git_pairs

    try:
        if args.git is not None:
            if len(args.paths) > 1:
                error("--git compares one file or folder with a revision: `tmdiag diff --git REV [PATH]`")
                return None
            return git_pairs(args.git, args.paths[0] if args.paths else ".")
        if len(args.paths) != 2:
            error("name two versions: `tmdiag diff OLD NEW`, or compare with git: `tmdiag diff --git REV [PATH]`")
            return None
        return files_pairs(Path(args.paths[0]), Path(args.paths[1]))
    except PairError as problem:
        error(str(problem))
        return None
