"""The parser's tables ship as JSON inside the package: no pickle from a cache folder can run code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lark import Lark

from tmdiag.syntax import tables
from tmdiag.syntax.grammar import grammar_text, parser

CORPUS = sorted(Path("dsl/conformance").rglob("*.tm")) + sorted(Path("examples").glob("*.tm"))


def test_the_shipped_tables_are_used_and_parse_like_a_parser_built_from_the_grammar() -> None:
    shipped = tables.load(grammar_text())
    assert shipped is not None, "parser_tables.json is stale: run `make grammars`"
    built = Lark(grammar_text(), **tables.OPTIONS)
    parsed = 0
    for path in CORPUS:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            expected = built.parse(text)
        except Exception as error:  # the same error from both
            try:
                shipped.parse(text)
            except Exception as other:
                assert type(other) is type(error), path
                continue
            raise AssertionError(f"{path}: the shipped tables accept what the grammar refuses") from error
        assert shipped.parse(text) == expected, path
        parsed += 1
    assert parsed > 20
    assert {t.name for t in shipped.terminals} == {t.name for t in built.terminals}


def test_stale_or_foreign_tables_are_ignored(tmp_path: Path) -> None:
    document = json.loads(tables.TABLES_PATH.read_text(encoding="utf-8"))
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({**document, "grammar_sha256": "0" * 64}), encoding="utf-8")
    assert tables.load(grammar_text(), stale) is None
    other = tmp_path / "other-lark.json"
    other.write_text(json.dumps({**document, "lark_version": "0.0.1"}), encoding="utf-8")
    assert tables.load(grammar_text(), other) is None
    broken = tmp_path / "broken.json"
    broken.write_text('{"grammar_sha256": [', encoding="utf-8")
    assert tables.load(grammar_text(), broken) is None
    assert tables.load(grammar_text(), tmp_path / "missing.json") is None


def test_nothing_is_read_from_or_written_to_a_cache_folder(tmp_path: Path) -> None:
    """A planted pickle where Lark (and tmdiag before) kept its cache is never opened."""
    cache = tmp_path / "cache"
    planted = cache / "tmdiag"
    planted.mkdir(parents=True)
    marker = tmp_path / "pwned"
    payload = b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR."  # pickle protocol 0: os.system("touch …")
    for name in ("lark-grammar.cache", "lark.cache"):
        (planted / name).write_bytes(payload)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "HOME": str(tmp_path), "TMPDIR": str(cache)}
    code = "from tmdiag.syntax import parse; assert parse('actor a \"A\"').ok"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert sorted(p.name for p in cache.rglob("*")) == ["lark-grammar.cache", "lark.cache", "tmdiag"]


def test_the_strict_parser_is_built_from_the_grammar() -> None:
    assert parser(strict=True).source_path != "<deserialized>"
