"""`tmdiag diagram`: draw a model as a data-flow diagram (SVG, PNG, DOT or Mermaid) with nested
trust boundaries, numbered flows, links to the report's anchors and, with --threats, risk colours.

Graphviz (`dot`) lays the picture out; DOT and Mermaid output (`-o x.dot`, `-o x.mmd`) work without it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tmdiag import pipeline
from tmdiag.cli import EXIT_ERROR, EXIT_OK
from tmdiag.cli._common import add_output_options, date_arg, error, path_arg, progress, try_load

EXAMPLES = """\
examples:
  tmdiag diagram examples/checkout.tm -o dfd.svg             classic DFD shapes, clickable SVG
  tmdiag diagram examples/checkout.tm -o cloud.png --style cloud   provider icons (aws, gcp, k8s, …)
  tmdiag diagram model.tm -o dfd.svg --threats              mark open high/critical findings
  tmdiag diagram model.tm -o prod.svg --boundary prod       one boundary and the flows crossing it
  tmdiag diagram model.tm -o pay.svg --view payments        a view declared in the model
  tmdiag diagram model.tm --format dot | dot -Tpdf > dfd.pdf    DOT needs no Graphviz
  tmdiag diagram model.tm -o dfd.mmd                         Mermaid flowchart (GitHub, wikis, MkDocs)
  tmdiag diagram model.tm -o dfd.svg --link-prefix report.html  links go to report.html#el-<id>
  tmdiag diagram model.tm -o dfd.svg --watch                redraw on every change of the model or its imports

A model whose one picture would not fit a screen legibly (every model above 60 elements) is drawn
as an overview plus one file per boundary (dfd.<boundary>.svg beside dfd.svg); a note says so.

exit codes: 0 drawn, 1 the model has errors (nothing written), 2 usage, I/O or Graphviz error
"""

EXTENSIONS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid"}
FORMATS = ("svg", "png", "dot", "mermaid")


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "diagram", help="draw the data-flow diagram (SVG, PNG, DOT, Mermaid)", description=__doc__, epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("path", type=path_arg, metavar="FILE", help="the .tm model")
    parser.add_argument("-o", "--output", type=path_arg, metavar="OUT",
                        help="output file: .svg, .png, .dot or .mmd (default: stdout); its folder must exist",
                        )  # fmt: skip
    parser.add_argument("--format", choices=FORMATS, help="output format (default: from -o, else svg)")
    parser.add_argument("--style", choices=("dfd", "cloud"), default="dfd",
                        help="dfd: classic data-flow shapes (default); cloud: provider icons")  # fmt: skip
    parser.add_argument("--boundary", metavar="ID", help="draw one boundary and what crosses it")
    parser.add_argument("--view", metavar="ID", help="draw a view the model declares (`view ID { include: … }`)")
    parser.add_argument("--threats", action="store_true", help="run the threat analysis and mark open high/critical")
    parser.add_argument("--today", metavar="DATE", type=date_arg, help="date for risk decisions (with --threats)")
    parser.add_argument("--link-prefix", metavar="URL", default="", help="prefix of links, e.g. report.html")
    parser.add_argument("--watch", action="store_true",
                        help="redraw when the model or an import changes (needs -o); Ctrl-C stops")  # fmt: skip
    add_output_options(parser)
    return parser


def _format(args: argparse.Namespace) -> str | None:
    if args.format:
        return str(args.format)
    if not args.output or args.output == "-":
        return "svg"
    return EXTENSIONS.get(Path(args.output).suffix.lower())


def run(args: argparse.Namespace) -> int:
    fmt = _format(args)
    if fmt is None:
        error(f"cannot tell the format from `{args.output}`: use .svg, .png, .dot or .mmd, or --format")
        return EXIT_ERROR
    to_stdout = not args.output or args.output == "-"
    if to_stdout and fmt == "png" and sys.stdout.isatty():
        error("refusing to write PNG to a terminal: use -o FILE.png")
        return EXIT_ERROR
    folder = Path(args.output).parent if not to_stdout else None
    if folder is not None and not folder.is_dir():  # a typo in -o must not create folders
        error(f"no such folder: {folder} (create it first)")
        return EXIT_ERROR
    if args.watch:
        if to_stdout:
            error("--watch writes a file: name it with -o")
            return EXIT_ERROR
        from tmdiag.cli._watch import watch

        return watch(args.path, lambda: _build(args, fmt, to_stdout)[1], args.quiet)
    return _build(args, fmt, to_stdout)[0]


def _build(args: argparse.Namespace, fmt: str, to_stdout: bool) -> tuple[int, list[str]]:
    """Draw and write: (exit code, the files read)."""
    kept = "; the last drawing stays" if args.watch else ""
    loaded, code = try_load(args, args.path, f"nothing drawn{kept}")
    if loaded is None or code:
        return code, list(loaded.sources) if loaded is not None else []
    return _draw(args, loaded, fmt, to_stdout), list(loaded.sources)


def _draw(args: argparse.Namespace, loaded: pipeline.Loaded, fmt: str, to_stdout: bool) -> int:
    model = loaded.require()

    from tmdiag.diagram import DiagramError, render

    findings = None
    stem = "diagram" if to_stdout else Path(args.output).stem
    try:
        with progress(args) as step:
            if args.threats:  # imports pytm: only when asked
                findings = pipeline.analyze(loaded, today=args.today, lint=False, step=step).findings
            step(f"Drawing {len(model.elements)} elements with Graphviz…")
            diagram = render(model, fmt=fmt, style=args.style, findings=findings, boundary=args.boundary,
                             view=args.view, link_prefix=args.link_prefix, stem=stem, warn=False)  # fmt: skip
    except DiagramError as problem:
        error(str(problem))
        return EXIT_ERROR
    for note in diagram.notes:
        print(f"tmdiag: note: {note}", file=sys.stderr)
    if to_stdout:
        if diagram.views:
            print("tmdiag: note: the per-boundary views are written only with -o FILE", file=sys.stderr)
        sys.stdout.buffer.write(diagram.data)
        sys.stdout.flush()
        return EXIT_OK
    return _write(Path(args.output), fmt, stem, diagram.data, diagram.views, args.quiet)


def _write(target: Path, fmt: str, stem: str, data: bytes, views: tuple[tuple[str, bytes], ...], quiet: bool) -> int:
    from tmdiag.output.files import write_all_atomic

    files: dict[str | Path, bytes | str] = {target: data}
    suffix = "mmd" if fmt == "mermaid" else fmt
    for boundary_id, view in views:
        files[target.with_name(f"{stem}.{boundary_id}.{suffix}")] = view
    try:
        write_all_atomic(files)
    except OSError as problem:
        error(f"cannot write {problem.filename or target}: {problem.strerror or problem}")
        return EXIT_ERROR
    if not quiet and not os.environ.get("CI"):
        extra = f" and {len(views)} boundary views" if views else ""
        print(f"wrote {target}{extra}", file=sys.stderr)
    return EXIT_OK
