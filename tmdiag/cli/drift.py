"""`tmdiag drift MODEL`: compare a model's claims with the infrastructure its `iac` links name.

The infrastructure is Terraform (`--terraform`: a folder of `.tf` files, or the JSON of
`terraform show -json` for a plan or a state) or a live AWS account (`--aws`, read-only through
boto3: `pip install tmdiag[aws]`). Findings are the TM7xx rules (docs/rules/), positioned in the
`.tm` file with the resource as a related location; configure and suppress them like lint rules.
`tmdiag check --against PATH` runs the same comparison together with the other rules.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from tmdiag.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from tmdiag.cli._against import add_var_file_option, read_terraform
from tmdiag.cli._common import add_output_options, codes, date_arg, error, folder_arg, path_arg
from tmdiag.diagnostics import Severity
from tmdiag.iac.resources import Infrastructure
from tmdiag.lint import lint
from tmdiag.lint.config import FAIL_ON, ConfigError, load_config, read_config
from tmdiag.pipeline import load

EXAMPLES = """\
examples:
  tmdiag drift model.tm --terraform infra/                  against the .tf files
  terraform show -json plan.out > plan.json
  tmdiag drift model.tm --terraform plan.json               against what a plan would deploy
  terraform show -json > state.json
  tmdiag drift model.tm --aws --state state.json --region eu-west-1   against the live account
  tmdiag drift model.tm --terraform infra/ --format sarif > drift.sarif

exit codes: 0 no drift, 1 drift at or above --fail-on (or the model or the infrastructure has errors),
            2 usage, I/O, credentials or AWS API error
"""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "drift",
        help="compare a model with Terraform or a live AWS account (TM7xx)",
        description=__doc__,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", type=path_arg, metavar="MODEL", help="the .tm model")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--terraform", type=path_arg, metavar="PATH", help="a folder of .tf files, or `terraform show -json` output"
    )
    where.add_argument("--aws", action="store_true", help="read the live AWS account (read-only; tmdiag[aws])")
    parser.add_argument("--state", type=path_arg, metavar="FILE",
                        help="with --aws: the state (`terraform show -json`) that maps addresses to resource ids "
                        "(default: match by the `Name` tag or name)")  # fmt: skip
    parser.add_argument("--profile", metavar="NAME", help="with --aws: the AWS profile")
    parser.add_argument("--region", metavar="REGION", help="with --aws: the region (default: the profile's)")
    parser.add_argument("--endpoint-url", metavar="URL", help="with --aws: another endpoint (LocalStack, moto)")
    parser.add_argument(
        "--format", choices=("text", "json", "sarif", "github"), default="text", help="output format (default: text)"
    )
    parser.add_argument("--fail-on", choices=FAIL_ON, default=None, help="lowest severity that makes the exit code 1")
    parser.add_argument("--select", type=codes, metavar="CODES",
                        help="comma-separated TM7xx codes or prefixes to run (default: every drift rule)")  # fmt: skip
    parser.add_argument("--ignore", type=codes, metavar="CODES", help="comma-separated codes or prefixes to skip")
    add_var_file_option(parser)
    parser.add_argument("--config", type=folder_arg, metavar="FILE", help="configuration file (default: the nearest)")
    parser.add_argument("--today", type=date_arg, metavar="DATE", help="date for the rules, YYYY-MM-DD")
    add_output_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from tmdiag.cli.check import print_diagnostics

    if not args.aws and (args.state or args.profile or args.region):
        error("--state, --profile and --region go with --aws")
        return EXIT_ERROR
    if args.aws and args.var_files:
        error("--var-file goes with --terraform (a folder of .tf files)")
        return EXIT_ERROR
    if args.select and not any(c.upper().startswith("TM7") for c in args.select):
        error("--select: `tmdiag drift` runs the drift rules (TM7xx); `tmdiag check --against` runs the others too")
        return EXIT_ERROR
    try:
        base = read_config(args.config) if args.config else load_config(Path(args.model))
        selected = [c for c in (args.select or ["TM7"]) if c.upper().startswith("TM7")]
        config = base.with_options(select=[*selected, "TM9"], ignore=args.ignore, fail_on=args.fail_on)
    except ConfigError as problem:
        error(str(problem))
        return EXIT_ERROR
    loaded = load(args.model)
    model = loaded.model
    if model is None or loaded.errors:  # nothing to compare: the model's own problems are the output
        print_diagnostics(args, list(loaded.diagnostics), loaded.sources, 1)
        return EXIT_ERROR if model is None else EXIT_FINDINGS
    if args.aws:
        try:
            infra = _read_aws(args)
        except _AwsProblem as problem:
            error(str(problem))
            return EXIT_ERROR
        problems, usable = list(infra.problems), True
    else:
        infra, problems, usable = read_terraform(args.terraform, args.var_files)
    if not usable:
        print_diagnostics(args, problems, infra.texts, 1)
        return EXIT_ERROR
    drift = lint(model, config, args.today or datetime.date.today(), infra)
    diagnostics = problems + drift
    print_diagnostics(args, diagnostics, {**infra.texts, **model.sources}, 1)
    failed = any(p.severity >= Severity.ERROR for p in problems) or any(config.fails(d.severity) for d in drift)
    return EXIT_FINDINGS if failed else EXIT_OK


class _AwsProblem(Exception):
    pass


def _read_aws(args: argparse.Namespace) -> Infrastructure:
    try:
        from tmdiag.iac.aws import AwsError, read_aws
    except ImportError:
        raise _AwsProblem("--aws needs boto3: pip install 'tmdiag[aws]'") from None
    state = None
    if args.state:
        infra, problems, usable = read_terraform(args.state)
        if not usable or problems:
            raise _AwsProblem(f"cannot read the state {args.state}: " + "; ".join(p.message for p in problems))
        state = infra
    try:
        return read_aws(profile=args.profile, region=args.region, state=state, endpoint_url=args.endpoint_url)
    except AwsError as problem:
        raise _AwsProblem(str(problem)) from None
