"""Regenerate the editor grammars from `grammar/tm.lark`: `python -m tmdiag.editors.generate`.

`--check` exits 1 (and names the files) when the committed files are out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tmdiag.editors import pygments_source, textmate
from tmdiag.editors.vocabulary import vocabulary
from tmdiag.output.files import write_atomic

REPO = Path(__file__).resolve().parents[2]
TEXTMATE_PATH = Path("editors/vscode/syntaxes/tm.tmLanguage.json")
PYGMENTS_PATH = Path("tmdiag/editors/pygments_lexer.py")


def generated(grammar: str | None = None) -> dict[Path, str]:
    """Generated files (paths relative to the repository) and their text, built in memory."""
    vocab = vocabulary(grammar)
    return {TEXTMATE_PATH: textmate.render(vocab), PYGMENTS_PATH: pygments_source.render(vocab)}


def stale(root: Path = REPO) -> list[Path]:
    """Generated files whose committed text differs from what the grammar produces now."""
    result = []
    for path, text in generated().items():
        target = root / path
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            result.append(path)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tmdiag.editors.generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--check", action="store_true", help="only report out-of-date files (exit 1)")
    args = parser.parse_args(argv)
    if args.check:
        out_of_date = stale()
        for path in out_of_date:
            print(f"out of date: {path} (run `make grammars`)", file=sys.stderr)
        return 1 if out_of_date else 0
    for path, text in generated().items():
        write_atomic(REPO / path, text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
