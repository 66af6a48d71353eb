"""The TextMate grammar (VS Code, and any editor that reads `.tmLanguage.json`)."""

from __future__ import annotations

import json
from typing import Any

from devtools.grammars.vocabulary import TokenRule, Vocabulary, combined_regex, token_rules

SCOPE = "source.tm"
SUFFIX = ".tm"


def _pattern(rule: TokenRule) -> dict[str, Any]:
    if rule.single:
        scope = rule.segments[0].scope
        return {"name": f"{scope}{SUFFIX}", "match": rule.segments[0].regex}
    captures = {
        str(index): {"name": f"{segment.scope}{SUFFIX}"}
        for index, segment in enumerate(rule.segments, 1)
        if segment.scope
    }
    return {"match": combined_regex(rule), "captures": captures}


def textmate_grammar(vocab: Vocabulary) -> dict[str, Any]:
    rules = token_rules(vocab)
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "tmdiag",
        "comment": "Generated from grammar/tm.lark by `make grammars`. Do not edit.",
        "scopeName": SCOPE,
        "fileTypes": ["tm"],
        "patterns": [{"include": f"#{rule.name}"} for rule in rules],
        "repository": {rule.name: _pattern(rule) for rule in rules},
    }


def render(vocab: Vocabulary) -> str:
    return json.dumps(textmate_grammar(vocab), indent=2, ensure_ascii=False) + "\n"
