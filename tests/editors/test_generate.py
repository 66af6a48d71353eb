"""The editor grammars are generated from grammar/tm.lark and committed: no drift allowed."""

from __future__ import annotations

import json
import re

from devtools import generate, grammars
from devtools.grammars.vocabulary import vocabulary
from tests.editors.conftest import ROOT
from tmdiag.syntax.grammar import grammar_text


def test_committed_files_match_the_grammar() -> None:
    assert generate.stale(ROOT, [generate.GRAMMARS]) == [], "out of date with grammar/tm.lark: run `make grammars`"


def test_check_mode_reports_no_stale_file() -> None:
    assert generate.main(["grammars", "--check"]) == 0


def test_keywords_come_from_the_grammar() -> None:
    vocab = vocabulary()
    assert "boundary" in vocab.declarations and "datastore" in vocab.element_kinds
    assert {"and", "or", "not", "in"} <= set(vocab.operators)
    assert vocab.constants == ("false", "true")
    assert "when" in vocab.non_key_keywords and "data" in vocab.key_keywords
    assert vocab.patterns["DATE"] == r"\d{4}-\d{2}-\d{2}(?![\w-])"


def test_a_new_keyword_in_the_grammar_reaches_every_highlighter() -> None:
    changed = grammar_text().replace('| "llm" | "agent"', '| "llm" | "agent" | "queue"')
    assert changed != grammar_text()
    files = grammars.generated(changed)
    assert "queue" in vocabulary(changed).element_kinds
    textmate = json.loads(files[grammars.TEXTMATE_PATH])
    assert "queue" in textmate["repository"]["element-keyword"]["match"]
    assert re.search(r"\|queue\|", files[grammars.PYGMENTS_PATH]) or "queue|" in files[grammars.PYGMENTS_PATH]
    assert re.search(r"syn match tmElementKind .*\|queue\|", files[grammars.VIM_PATH])
    assert "|queue|" in files[grammars.VIM_FTDETECT_PATH]  # a `.tm` file starting with it is a model


def test_textmate_grammar_is_valid_json_with_scopes() -> None:
    grammar = json.loads((ROOT / grammars.TEXTMATE_PATH).read_text(encoding="utf-8"))
    assert grammar["scopeName"] == "source.tm"
    names = {p["include"][1:] for p in grammar["patterns"]}
    assert names == set(grammar["repository"])
    package = json.loads((ROOT / "editors/vscode/package.json").read_text(encoding="utf-8"))
    assert package["contributes"]["grammars"][0]["scopeName"] == grammar["scopeName"]
