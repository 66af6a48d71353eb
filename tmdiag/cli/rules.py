"""`tmdiag rules`: list the lint rules, or explain one (`tmdiag rules TM203`)."""

from __future__ import annotations

import argparse
import datetime
import json
import sys

from tmdiag.api import check_text
from tmdiag.cli import EXIT_ERROR, EXIT_OK
from tmdiag.cli._common import add_colour_option, error, use_colour
from tmdiag.diagnostics import did_you_mean
from tmdiag.lint import lint
from tmdiag.lint.config import LintConfig
from tmdiag.lint.registry import all_rules, get, help_uri
from tmdiag.lint.rule import Rule
from tmdiag.lint.suppress import META
from tmdiag.output.diagnostics import render_text

EXAMPLES = """\
examples:
  tmdiag rules                 every rule: code, default severity, name, summary
  tmdiag rules TM203           what TM203 checks, why, how to fix it, an example
  tmdiag rules TM4             the cloud control-plane family
  tmdiag rules secret-data-unencrypted    a rule by its name
  tmdiag rules --format json   rule metadata for tools
"""


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "rules",
        help="list the lint rules or explain one",
        description=__doc__,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("code", nargs="?", metavar="CODE", help="a rule code (TM203), a prefix (TM2) or a name")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_colour_option(parser)
    return parser


def as_dict(rule: Rule) -> dict[str, object]:
    return {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family,
        "family_title": rule.family_title,
        "severity": rule.severity.label,
        "summary": rule.summary,
        "rationale": rule.rationale,
        "fix": rule.fix,
        "example": example_text(rule),
        "risk": {"likelihood": rule.risk[0], "impact": rule.risk[1]} if rule.risk else None,
        "help_uri": help_uri(rule.code),
    }


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else "" for line in text.rstrip("\n").splitlines())


EXAMPLE_DATE = datetime.date(2026, 1, 1)  # fixed, so the output (and docs/rules/) does not change with the calendar


def example_text(rule: Rule) -> str:
    """The rule's example in `tmdiag fmt`'s layout, as users see it (copied, it stays as it is)."""
    from tmdiag.fmt import format_text

    return format_text(rule.example, "example.tm")


def example_output(rule: Rule) -> str:
    """What `tmdiag check` prints for the rule's example (only this rule's findings)."""
    infrastructure = None
    if rule.example_iac:  # drift rules compare the example with its Terraform
        from tmdiag.iac import read_example

        infrastructure = read_example(rule.example_iac)
    model, _ = check_text(example_text(rule), "example.tm", lint=False)
    found = [d for d in lint(model, LintConfig(), EXAMPLE_DATE, infrastructure) if d.code == rule.code]
    return "\n\n".join(render_text(d, model.sources) for d in found) + "\n"


def _suppress_line(rule: Rule) -> str:
    if rule.code in META:
        return f"{rule.code} cannot be suppressed inline; turn it off with `ignore` in the configuration."
    return f"Suppress one finding: # tmdiag: ignore[{rule.code}] reason: <why it does not apply>"


def explain(rule: Rule, colour: bool = False) -> str:
    bold, reset = ("\x1b[1m", "\x1b[0m") if colour else ("", "")
    example = _indent(example_text(rule))
    if rule.example_iac:
        example += f"\n\n{bold}compared with infra/main.tf:{reset}\n\n{_indent(rule.example_iac)}"
    command = "tmdiag drift example.tm --terraform infra/" if rule.example_iac else "tmdiag check"
    return (
        f"{bold}{rule.code} {rule.name}{reset}  ({rule.severity.label}; {rule.family} {rule.family_title})\n\n"
        f"{rule.summary}\n\n{bold}Why:{reset} {rule.rationale}\n\n{bold}How to fix:{reset} {rule.fix}\n\n"
        f"{bold}Risk:{reset} {rule.risk_text}\n\n"
        f"{bold}Example that triggers it:{reset}\n\n{example}\n\n"
        f"{bold}{command} reports:{reset}\n\n{_indent(example_output(rule))}\n\n"
        f"{_suppress_line(rule)}\n"
        f"Docs: {help_uri(rule.code)}\n"
    )


def run(args: argparse.Namespace) -> int:
    rules = all_rules()
    if args.code:
        wanted = args.code.strip().upper()
        named = next((r for r in rules if r.name == args.code.strip().lower()), None)
        wanted = named.code if named is not None else wanted  # the suggestions below offer names too
        rules = [r for r in rules if r.code.startswith(wanted)]
        if not rules:
            hint = did_you_mean(wanted, [r.code for r in all_rules()] + [r.name for r in all_rules()])
            error(f"no rule `{args.code}`" + (f"; {hint}" if hint else "") + " (`tmdiag rules` lists them)")
            return EXIT_ERROR
        exact = get(wanted)
        if exact is not None and args.format == "text":
            sys.stdout.write(explain(exact, use_colour(args, sys.stdout)))
            return EXIT_OK
    if args.format == "json":
        sys.stdout.write(json.dumps([as_dict(r) for r in rules], indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    family = ""
    for rule in rules:
        if rule.family != family:
            family = rule.family
            print(f"{'' if rule is rules[0] else chr(10)}{family}  {rule.family_title}")
        print(f"  {rule.code}  {rule.severity.label:<7}  {rule.name:<36}  {rule.summary}")
    return EXIT_OK
