"""Completion contexts (in process; the session tests cover the wiring)."""

from __future__ import annotations

import pytest

from tmdiag.lsp.completion import complete
from tmdiag.model import schema

RULE = 'rule R1 "Open store" {\n  severity: high\n  targets: [datastore]\n  when: '


def labels(text: str) -> list[str]:
    return [item.label for item in complete(None, text, 0, len(text))]


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("", {"public", "encrypted_at_rest", "crosses", "data", "trust", "and"}),
        ("public and data.", {"classification", "pii", "credentials"}),
        ("data.classification > ", set(schema.CLASSIFICATIONS)),
        ("trust == ", set(schema.TRUST_LEVELS)),
        ("crosses ", {"boundary"}),
    ],
)
def test_rule_conditions(tail: str, expected: set[str]):
    assert expected <= set(labels(RULE + tail))


def test_after_a_condition_the_rule_keys_come_back():
    assert "details" in labels(RULE + 'public\n  mitigations: "x"\n  ')


def test_after_a_complete_list_the_block_keys_come_back():
    text = 'datastore db "DB" { stores: [card], '
    assert "encrypted_at_rest" in labels(text)
    assert "stores" in labels('datastore db "DB" {\n  kind: sql\n  ')


def test_no_completion_inside_a_string():
    assert labels('process web "Web ') == []
