"""`tmdiag import FORMAT SOURCE -o model.tm`: draft a model from another description of the system.

Each format is one module in `tmdiag.importers` with `add_arguments(parser)` and
`draft_from(args) -> (text, diagnostics, sources)`, listed in FORMATS; `terraform` reads a folder
of `.tf` files or the JSON of `terraform show -json`; `otm` an Open Threat Model JSON document
(IriusRisk, Threat Dragon, StartLeft, `tmdiag export --to otm`). The draft is laid out by `tmdiag
fmt` and written atomically; nothing is written when the source cannot be read at all. What the
source says that tmdiag cannot represent is reported.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from tmdiag.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from tmdiag.cli._common import add_colour_option, error, path_arg, use_colour
from tmdiag.diagnostics import Severity
from tmdiag.output.diagnostics import render_text
from tmdiag.output.files import write_atomic

# format -> (module, one line of help)
FORMATS = {
    "terraform": (
        "tmdiag.importers.terraform",
        "a folder of .tf/.tf.json files, or a plan or state (`terraform show -json`)",
    ),
    "otm": ("tmdiag.importers.otm", "an Open Threat Model (OTM 0.2.0) JSON document; - reads stdin"),
}

TERRAFORM_EXAMPLES = """\
  tmdiag import terraform infra/ -o model.tm          draft from the .tf files (and local modules)
  terraform show -json plan.out > plan.json
  tmdiag import terraform plan.json -o model.tm       draft from a plan (values known after apply are noted)
  tmdiag import terraform infra/                      print the draft
  tmdiag import terraform infra/ --var-file prod.tfvars   with one environment's variable values
"""
OTM_EXAMPLES = """\
  tmdiag import otm model.otm.json -o model.tm        draft from OTM (IriusRisk, Threat Dragon, StartLeft, …)
  tmdiag import otm model.otm.json --name "Shop"      print the draft, with another model name
  tmdiag export model.tm --to otm | tmdiag import otm - -o again.tm
"""
EXIT_CODES = """
exit codes: 0 drafted, 1 drafted but some input could not be read (diagnostics on stderr),
            2 usage or I/O error (nothing written)
"""
EPILOGS = {
    "terraform": f"examples:\n{TERRAFORM_EXAMPLES}\nThen review the draft, `tmdiag check model.tm`, and keep it "
    "honest with\n`tmdiag drift model.tm --terraform infra/`. docs/iac.md\n" + EXIT_CODES,
    "otm": f"examples:\n{OTM_EXAMPLES}\nWhat OTM has that tmdiag cannot represent is reported (E605), never "
    "dropped silently;\nthe field-by-field mapping is in docs/export.md. Then review the draft, `tmdiag check "
    "model.tm`.\n" + EXIT_CODES,
}
EXAMPLES = (f"examples:\n{TERRAFORM_EXAMPLES}{OTM_EXAMPLES}\nThen review the draft, `tmdiag check model.tm`, and "
            "keep it honest with `tmdiag drift model.tm --terraform infra/`\n(Terraform) or `tmdiag diff` (any two "
            "versions).\n" + EXIT_CODES)  # fmt: skip


DESCRIPTION = """\
Draft a .tm model from another description of the system, laid out as `tmdiag fmt` writes it:
  terraform  a folder of .tf/.tf.json files (local modules followed), or the JSON of `terraform show -json`
             for a plan or a state; docs/iac.md
  otm        an Open Threat Model JSON document (IriusRisk, Threat Dragon, StartLeft, `tmdiag export`);
             docs/export.md
What the source says that tmdiag cannot represent is reported (terraform: also in comments at the end
of the draft); nothing is written when the source cannot be read at all. `tmdiag import FORMAT --help`
for one format.
"""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "import",
        help="draft a model from infrastructure as code (terraform) or an Open Threat Model (otm)",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    for name, (module, summary) in FORMATS.items():
        command = formats.add_parser(name, help=summary, description=summary, epilog=EPILOGS[name],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
        command.add_argument("source", type=path_arg, metavar="PATH", help=summary)
        command.add_argument(
            "-o", "--output", type=path_arg, metavar="FILE", help="the .tm file to write (default: stdout)"
        )
        command.add_argument("--force", action="store_true", help="overwrite an existing output file")
        add_colour_option(command)
        importlib.import_module(module).add_arguments(command)
        command.set_defaults(importer=module)
    return parser


def run(args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output and args.output != "-" else None
    if output is not None and output.exists() and not args.force:
        error(f"{output} exists; pass --force to overwrite it")
        return EXIT_ERROR
    text, diagnostics, sources = importlib.import_module(args.importer).draft_from(args)
    colour = use_colour(args, sys.stderr)
    for d in diagnostics:
        print(render_text(d, sources, colour) + "\n", file=sys.stderr)
    if text is None:
        return EXIT_ERROR
    try:
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomic(output, text)
            print(f"wrote {output}", file=sys.stderr)
    except OSError as problem:
        error(f"cannot write {output}: {problem.strerror or problem}")
        return EXIT_ERROR
    return EXIT_FINDINGS if any(d.severity >= Severity.ERROR for d in diagnostics) else EXIT_OK
