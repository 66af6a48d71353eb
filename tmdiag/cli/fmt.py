"""`tmdiag fmt`: rewrite .tm files in the canonical layout (comments kept, statements never reordered).

Every run checks that the formatted file parses to the same model and that formatting it again
changes nothing; if not, the file is left untouched and tmdiag reports an internal error.
"""

from __future__ import annotations

import argparse
import codecs
import difflib
import json
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tmdiag.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from tmdiag.cli._common import add_output_options, error, expand_paths, path_arg, use_colour
from tmdiag.cli._parallel import add_jobs_option, each
from tmdiag.diagnostics import Diagnostic
from tmdiag.fmt import SyntaxProblems, UnsafeFormat, format_text
from tmdiag.inputs import read_bytes, read_stream
from tmdiag.limits import MAX_FILE_BYTES
from tmdiag.loader import decode
from tmdiag.output.diagnostics import printable, render_json, render_text
from tmdiag.output.files import write_atomic
from tmdiag.syntax.grammar import parser

EXAMPLES = """\
examples:
  tmdiag fmt model.tm                 rewrite a file in place
  tmdiag fmt models/                  every .tm file below a folder
  tmdiag fmt --check models/          exit 1 if any file would change (CI, pre-commit)
  tmdiag fmt --check -q models/       only the paths of files that would change
  tmdiag fmt --diff model.tm          show what would change, write nothing
  cat model.tm | tmdiag fmt -         stdin to stdout
  tmdiag fmt -j 1 models/             in this process only (default: one process per core)

exit codes: 0 formatted (or nothing to change), 1 files would change (--check) or have
syntax errors (left untouched), 2 usage, I/O or internal errors (files left untouched)
"""

STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass
class Outcome:
    path: str
    status: str  # unchanged | reformatted | would-reformat | syntax-error | internal-error | io-error
    diagnostics: list[Diagnostic] = field(default_factory=list)
    message: str = ""
    diff: str = ""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "fmt", help="format .tm files in the canonical layout", description=__doc__, epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("paths", nargs="+", type=path_arg, metavar="PATH", help=".tm files or folders; `-` reads stdin")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    parser.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of the changes")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format of the report")
    add_jobs_option(parser, "format files")
    add_output_options(parser)
    return parser


def _read(path: Path | None) -> tuple[str | None, Outcome | None]:
    """A file's text (`None`: stdin), decoded as `tmdiag check` decodes it, or why it cannot be."""
    name = STDIN_NAME if path is None else str(path)
    try:  # at most the size `check` reads: `fmt --check /dev/zero` must not read until memory runs out
        raw = read_stream(sys.stdin.buffer, MAX_FILE_BYTES) if path is None else read_bytes(path, MAX_FILE_BYTES)
    except OSError as problem:
        return None, Outcome(name, "io-error", message=f"cannot read: {problem.strerror or problem}")
    text, diagnostic = decode(raw, name)
    if diagnostic is not None or text is None:
        return None, Outcome(name, "syntax-error", [diagnostic] if diagnostic else [])
    return ("\ufeff" + text if raw.startswith(codecs.BOM_UTF8) else text), None  # the layout drops a BOM


def _replace(path: Path, text: str) -> None:
    """Write atomically through symlinks, keeping the file's permissions. A file with other hard links
    is rewritten in place instead (a rename would leave the other names on the old text)."""
    target = path.resolve()
    status = target.stat()
    if status.st_nlink > 1:
        data = text.encode("utf-8")
        with target.open("r+b") as handle:  # one write of the whole text, then the rest cut off
            handle.write(data)
            handle.truncate(len(data))
            handle.flush()
            os.fsync(handle.fileno())
        return
    write_atomic(target, text)
    os.chmod(target, stat.S_IMODE(status.st_mode))


def _diff(before: str, after: str, path: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{path} (original)", f"{path} (formatted)"
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def format_one(name: str, text: str, args: argparse.Namespace) -> tuple[Outcome, str | None]:
    """Format one text; returns the outcome and the new text when it changed."""
    try:
        formatted = format_text(text, name)
    except SyntaxProblems as problems:
        return Outcome(name, "syntax-error", problems.diagnostics), None
    except UnsafeFormat as problem:
        message = (
            f"internal error: {problem}; the file was left untouched (please report this bug)"
            if problem.bug
            else f"not formatted: {problem}"
        )
        return Outcome(name, "internal-error", message=message), None
    if formatted == text:
        return Outcome(name, "unchanged"), None
    outcome = Outcome(name, "would-reformat" if args.check or args.diff else "reformatted")
    if args.diff:
        outcome.diff = _diff(text, formatted, name)
    return outcome, formatted


def run(args: argparse.Namespace) -> int:
    outcomes: list[Outcome] = []
    sources: dict[str, str] = {}
    if STDIN in args.paths:
        if args.paths != [STDIN]:
            error("`-` (stdin) cannot be combined with other paths")
            return EXIT_ERROR
        text, failed = _read(None)
        if failed is not None or text is None:
            outcomes.append(failed or Outcome(STDIN_NAME, "io-error"))
        else:
            outcome, formatted = format_one(STDIN_NAME, text, args)
            sources[STDIN_NAME] = text.removeprefix("\ufeff")
            outcomes.append(outcome)
            if not args.check and not args.diff and outcome.status in ("unchanged", "reformatted"):
                sys.stdout.write(formatted if formatted is not None else text)
    else:
        files, missing = expand_paths(args.paths)
        for name in missing:
            error(f"no such file or folder: {name}")
        if missing:
            return EXIT_ERROR
        if not files:
            error("no .tm files found")
            return EXIT_ERROR
        for outcome, text in each(_format_file, files, args.jobs, _prepare, args):
            if text is not None:
                sources[outcome.path] = text
            outcomes.append(outcome)
    _report(outcomes, sources, args)
    return _exit_code(outcomes, args)


_ARGS: argparse.Namespace | None = None


def _prepare(args: argparse.Namespace) -> None:
    global _ARGS
    _ARGS = args
    parser()  # the grammar, loaded once before processes are forked


def _format_file(path: Path) -> tuple[Outcome, str | None]:
    """Format one file in place (unless checking); its outcome and its text as read."""
    assert _ARGS is not None
    text, failed = _read(path)
    if failed is not None or text is None:
        return failed or Outcome(str(path), "io-error"), None
    outcome, formatted = format_one(str(path), text, _ARGS)
    if formatted is not None and outcome.status == "reformatted":
        try:
            _replace(path, formatted)
        except OSError as problem:
            outcome = Outcome(str(path), "io-error", message=f"cannot write: {problem.strerror or problem}")
    return outcome, text.removeprefix("\ufeff")


def _exit_code(outcomes: list[Outcome], args: argparse.Namespace) -> int:
    statuses = {o.status for o in outcomes}
    if statuses & {"internal-error", "io-error"}:
        return EXIT_ERROR
    if "syntax-error" in statuses or ("would-reformat" in statuses and args.check):
        return EXIT_FINDINGS
    return EXIT_OK


def _report(outcomes: list[Outcome], sources: dict[str, str], args: argparse.Namespace) -> None:
    to_stdout = args.paths != [STDIN] or args.check or args.diff
    out = sys.stdout if to_stdout else sys.stderr  # stdin mode: stdout carries the formatted text
    if args.format == "json":
        report = [{"path": o.path, "status": o.status, "message": o.message,
                   "diagnostics": json.loads(render_json(o.diagnostics)) if o.diagnostics else []}
                  for o in outcomes]  # fmt: skip
        out.write(json.dumps({"files": report}, indent=2) + "\n")
        return
    colour = use_colour(args, out)
    for o in outcomes:
        for diagnostic in o.diagnostics:
            print(render_text(diagnostic, sources, colour) + "\n", file=sys.stderr)
        if o.status == "syntax-error":
            error(f"cannot format {o.path}: fix the syntax errors first (file left untouched)")
        elif o.status in ("internal-error", "io-error"):
            error(f"{o.path}: {o.message}")
        elif o.diff:  # on a terminal, control characters from the file must not drive it
            shown = "".join(printable(line) + "\n" for line in o.diff.splitlines()) if out.isatty() else o.diff
            out.write(_paint_diff(shown) if colour else shown)
        if o.status == "would-reformat" and args.check and not args.diff:
            print(o.path if args.quiet else f"would reformat {o.path}", file=out)
        elif o.status == "reformatted" and not args.quiet and args.paths != [STDIN]:
            print(f"reformatted {o.path}", file=out)
    if not args.quiet and args.paths != [STDIN]:
        print(_summary(outcomes, args), file=sys.stderr)


def _paint_diff(diff: str) -> str:
    colours = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m"}
    painted = []
    for line in diff.splitlines(keepends=True):
        code = "\x1b[1m" if line.startswith(("+++", "---")) else colours.get(line[:1])
        painted.append(f"{code}{line.rstrip(chr(10))}\x1b[0m\n" if code else line)
    return "".join(painted)


def _summary(outcomes: list[Outcome], args: argparse.Namespace) -> str:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1

    def files(n: int) -> str:
        return f"{n} file{'s' if n != 1 else ''}"

    parts = []
    if counts.get("reformatted"):
        parts.append(f"{files(counts['reformatted'])} reformatted")
    if counts.get("would-reformat"):
        parts.append(f"{files(counts['would-reformat'])} would be reformatted")
    if counts.get("unchanged"):
        parts.append(
            f"{files(counts['unchanged'])} {'already formatted' if args.check or args.diff else 'left unchanged'}"
        )
    failed = sum(counts.get(s, 0) for s in ("syntax-error", "internal-error", "io-error"))
    if failed:
        parts.append(f"{files(failed)} could not be formatted")
    return ", ".join(parts) + "."
