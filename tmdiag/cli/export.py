"""`tmdiag export`: write a model and its findings in another format.

- `otm`: Open Threat Model 0.2.0 JSON (IriusRisk, Threat Dragon, StartLeft and other OTM tools):
  project, trust zones, components, data flows, assets, threats with the finding's risk, and
  mitigations from controls and decisions (docs/export.md maps every field).
- `json`: tmdiag's own model JSON with the findings (docs/schemas/model.schema.json).

Both carry the register `tmdiag threats` shows: pytm's library, custom rules and the lint findings
that are risks, ranked and decided together.
- `pytm`: a standalone pytm 1.4 script of the model; run with plain pytm, it finds what raw pytm
  finds (pytm's library, before tmdiag's decisions and custom rules).

The model is checked first; a model with errors writes nothing. Output is deterministic.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from tmdiag.cli import EXIT_ERROR, EXIT_OK
from tmdiag.cli._common import add_output_options, date_arg, error, load_model, path_arg, progress, warning

EXAMPLES = """\
examples:
  tmdiag export examples/checkout.tm --to otm -o checkout.otm.json   for IriusRisk, Threat Dragon, …
  tmdiag export model.tm --to json --today 2026-11-27 > model.json   model + findings, tmdiag's schema
  tmdiag export model.tm --to pytm -o model_pytm.py && python model_pytm.py --dfd | dot -Tpng > dfd.png

Back from OTM: `tmdiag import otm model.otm.json -o model.tm`.
exit codes: 0 written, 1 the model has errors (nothing written), 2 usage or I/O error
"""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "export", help="write the model as OTM, tmdiag JSON or a pytm script", description=__doc__,
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("path", type=path_arg, metavar="FILE", help="the .tm model")
    parser.add_argument("--to", choices=("otm", "json", "pytm"), required=True, help="the format to write")
    parser.add_argument("-o", "--output", type=path_arg, metavar="OUT", help="file to write (default: stdout)")
    parser.add_argument("--today", type=date_arg, default=None, metavar="YYYY-MM-DD",
                        help="the date decisions expire against (default: today)")  # fmt: skip
    parser.add_argument("--project-id", metavar="ID", help="otm: the project id (default: the file's name)")
    add_output_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from tmdiag.lint.config import ConfigError

    loaded = load_model(args, args.path, "nothing exported")
    try:
        text = render(args, loaded)
    except ConfigError as problem:
        error(str(problem))
        return EXIT_ERROR
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    from tmdiag.output.files import write_atomic

    try:
        write_atomic(args.output, text)
    except OSError as problem:
        error(f"cannot write {args.output}: {problem.strerror or problem}")
        return EXIT_ERROR
    if not args.quiet:
        print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def render(args: argparse.Namespace, loaded) -> str:  # type: ignore[no-untyped-def]
    from tmdiag import pipeline

    model = loaded.require()
    if args.to == "pytm":
        from tmdiag.export import pytm_script

        return pytm_script.render(model)
    today = args.today or datetime.date.today()
    with progress(args) as step:  # the register `tmdiag threats` shows: threats and the lint findings that are risks
        analysis = pipeline.analyze(loaded, today=today, step=step)
    if args.to == "otm":
        from tmdiag.export import otm

        for where in otm.Suppressions(model, today).left:
            warning(f"{where}: this suppression covers no statement OTM has a place for; not carried into the export")
        project = args.project_id or Path(args.path).stem.removesuffix(".otm")
        return otm.render(model, analysis.findings, project, today)
    from tmdiag.export import model_json

    return model_json.render(model, analysis.today, analysis.findings, summary=analysis.summary,
                             excluded=analysis.excluded, diagnostics=analysis.diagnostics)  # fmt: skip
