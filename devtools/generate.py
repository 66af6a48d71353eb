"""Regenerate the files derived from the code, or check that the committed ones are current.

    python -m devtools.generate docs              docs/rules/, the schema tables of docs/language.md
                                                  and dsl/SPEC.md, the pytm mapping in docs/threats.md,
                                                  the Terraform mapping in docs/iac.md
    python -m devtools.generate grammars          the TextMate grammar and the Pygments lexer
    python -m devtools.generate all --check       exit 1 and name the stale files (`make lint`)

`make docs` and `make grammars` run the first two. The drift tests call `stale()` too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from devtools import grammars, iac_docs, language_docs, pytm_mapping, rules_docs
from tmdiag.output.files import write_atomic

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Generator:
    name: str
    target: str  # the `make` target that runs it: docs or grammars
    files: Callable[[Path], dict[Path, str]]  # repository root -> {path relative to it: text it should have}
    owns: str | None = None  # a glob of files it alone writes: any it does not generate is stale (removed)


RULES_DOCS = Generator("rules-docs", "docs", rules_docs.files, owns=f"{rules_docs.FOLDER}/*.md")
LANGUAGE_DOCS = Generator("language-docs", "docs", language_docs.files)
PYTM_MAPPING = Generator("pytm-mapping", "docs", pytm_mapping.files)
IAC_MAPPING = Generator("iac-mapping", "docs", iac_docs.files)
GRAMMARS = Generator("grammars", "grammars", grammars.files)
GENERATORS = (RULES_DOCS, LANGUAGE_DOCS, PYTM_MAPPING, IAC_MAPPING, GRAMMARS)
TARGETS = ("all", "docs", "grammars")


def select(target: str) -> tuple[Generator, ...]:
    return tuple(g for g in GENERATORS if target in ("all", g.target))


@dataclass(frozen=True)
class Change:
    path: Path  # relative to the root
    text: str | None  # what it should hold; None: remove it
    generator: Generator


def changes(root: Path, generators: Iterable[Generator]) -> list[Change]:
    """What is out of date under `root`, by path."""
    found: list[Change] = []
    for generator in generators:
        files = generator.files(root)
        for path, text in files.items():
            target = root / path
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                found.append(Change(path, text, generator))
        if generator.owns:
            extra = (p.relative_to(root) for p in root.glob(generator.owns))
            found.extend(Change(path, None, generator) for path in extra if path not in files)
    return sorted(found, key=lambda c: c.path)


def stale(root: Path = REPO, generators: Iterable[Generator] = GENERATORS) -> list[Path]:
    """Committed files that differ from what the generators produce, or that they would remove."""
    return [c.path for c in changes(root, generators)]


def write(root: Path = REPO, generators: Iterable[Generator] = GENERATORS) -> list[Change]:
    """Bring the files up to date; return what changed."""
    done = changes(root, generators)
    for change in done:
        target = root / change.path
        if change.text is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, change.text)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.generate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", choices=TARGETS, help="what to generate")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 and name the stale files")
    parser.add_argument("--root", type=Path, default=REPO, help="repository root (default: this checkout)")
    args = parser.parse_args(argv)
    generators = select(args.target)
    try:
        if args.check:
            out_of_date = changes(args.root, generators)
            for change in out_of_date:
                print(f"out of date: {change.path} (run `make {change.generator.target}`)", file=sys.stderr)
            return 1 if out_of_date else 0
        for change in write(args.root, generators):
            print(f"{'removed' if change.text is None else 'updated'} {change.path}")
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
