"""Validation of attribute values beyond the conformance corpus: odd input gives diagnostics, never a traceback."""

from __future__ import annotations

import pytest

from tmdiag.api import check_text
from tmdiag.model import schema


def ingress_messages(rule: str) -> list[str]:
    _, diagnostics = check_text(f'process web {{ ingress: ["{rule}"] }}', "m.tm", lint=False)
    return [d.message for d in diagnostics if d.code == "E202"]


# superscript two, Arabic-Indic three, fullwidth 22: `str.isdigit` takes them, `int` not all
@pytest.mark.parametrize("port", ["\u00b2", "\u0663", "\uff12\uff12"])
def test_ingress_port_in_non_ascii_digits_is_an_error_not_a_crash(port: str) -> None:
    assert ingress_messages(f"0.0.0.0/0:{port}") == [
        f'"{port}" in ingress rule "0.0.0.0/0:{port}" is not a port or port range'
    ]


def test_ingress_port_range_that_runs_backwards_is_an_error() -> None:
    assert ingress_messages("0.0.0.0/0:25-20") == [
        'port range "25-20" in ingress rule "0.0.0.0/0:25-20" runs backwards: write "20-25"'
    ]


@pytest.mark.parametrize("rule", ["0.0.0.0/0:22", "::/0:20-25", "10.0.0.0/8:*", "10.0.0.0/8:443-443", "10.0.0.0/8:0"])
def test_well_formed_ingress_rules_pass(rule: str) -> None:
    assert ingress_messages(rule) == []


RULE = 'process p\nrule INP02 "Mine" { targets: [process], when: true }\n'


@pytest.mark.parametrize("header", ["", 'model "M" { }\n', 'model "M" { rules: extend }\n'])
def test_a_rule_may_not_take_a_pytm_threat_id_while_the_library_stays(header: str) -> None:
    # without a header the library stays too (`rules: extend` is the default)
    _, diagnostics = check_text(header + RULE, "m.tm", lint=False)
    assert [(d.code, d.message) for d in diagnostics] == [("E102", "rule id `INP02` is a pytm threat id")]


def test_a_rule_may_take_a_pytm_threat_id_when_it_replaces_the_library() -> None:
    _, diagnostics = check_text('model "M" { rules: replace }\n' + RULE, "m.tm", lint=False)
    assert diagnostics == []


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("actor a\nactor b\na -> b\nflow-3: b -> a\na -> b", 4),  # a name taken by the third flow
        ("actor a\nactor b\nq: a -> b reply\nprocess q-reply", 4),  # the id of q's reply
        ("process flow-1\nactor b\nb -> flow-1", 1),
    ],
)
def test_a_name_may_not_take_the_id_of_an_unnamed_flow(text: str, line: int) -> None:
    # ids are the targets of findings and decisions: one id, one thing
    _, diagnostics = check_text(text, "m.tm", lint=False)
    assert [(d.code, d.span.line) for d in diagnostics] == [("E102", line)]
    assert "which has no name of its own" in diagnostics[0].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("boundary b { trust: true }", "`true` is not a valid `trust`"),
        ("actor a\nactor b\na -> b { tls: false }", "`false` is not a TLS version"),
    ],
)
def test_a_boolean_where_a_name_belongs_is_spelt_as_in_the_model(text: str, message: str) -> None:
    _, diagnostics = check_text(text, "m.tm", lint=False)
    assert [d.message.split(";")[0] for d in diagnostics] == [message]


def test_the_names_that_may_go_unquoted_are_string_attributes_of_the_schema() -> None:
    strings = {a.name for attrs in schema.SCHEMAS.values() for a in attrs if a.type in (schema.STR, schema.STRS)}
    assert strings >= schema.UNQUOTED_OK
    refs = {a.ref for attrs in schema.SCHEMAS.values() for a in attrs if a.ref}
    assert refs <= set(schema.REF_NOUNS)


# A new user coming from pytm writes pytm's field names: each is found exactly (before any fuzzy
# match) through the schema's `pytm` column, with a fix that writes the `.tm` attribute.
@pytest.mark.parametrize(
    ("statement", "written", "meant"),
    [
        ("datastore db { storesPII: true }", "storesPII", "stores_pii"),
        ('data card "Card" { credentialsLife: short }', "credentialsLife", "lifetime"),
        ("process a\nprocess b\na -> b { dstPort: 443 }", "dstPort", "port"),
        ("process a\nprocess b\na -> b { tlsVersion: 1.2 }", "tlsVersion", "tls"),
        ("actor admin_user { isAdmin: true }", "isAdmin", "admin"),
        ("llm model { isThirdParty: false }", "isThirdParty", "third_party"),
        ("llm model { processesUntrustedInput: true }", "processesUntrustedInput", "untrusted_input"),
        ("process a\nprocess b\na -> b { isEncrypted: true }", "isEncrypted", "encrypted"),  # controls.isEncrypted
        ("datastore db { storespii: true }", "storespii", "stores_pii"),  # case aside
    ],
)
def test_pytm_attribute_names_point_to_the_tm_attribute(statement: str, written: str, meant: str) -> None:
    _, diagnostics = check_text(statement, "m.tm", lint=False)
    (d,) = [d for d in diagnostics if d.code == "E201"]
    assert d.message.startswith(f"unknown attribute `{written}`")
    assert d.fix is not None and d.fix.replacement == meant
    assert d.hint is not None and f"is `{meant}` in tmdiag" in d.hint
    assert d.span.end_column - d.span.column == len(written)


def test_every_pytm_field_of_the_schema_is_found_back() -> None:
    for kind, specs in schema.SCHEMAS.items():
        for spec in specs:
            if spec.pytm:
                field, attribute = schema.from_pytm(kind, spec.pytm.rpartition(".")[2]) or ("", "")
                assert field == spec.pytm.rpartition(".")[2]
                assert schema.BY_NAME[kind][attribute].pytm == spec.pytm


def test_a_view_that_excludes_all_it_includes_points_at_exclude() -> None:
    text = 'process a "A"\nview v { include: [a], exclude: [a] }\nview w { include: [] }\n'
    _, diagnostics = check_text(text)
    hints = {d.message: d.hint for d in diagnostics if d.code == "E206"}
    assert hints == {"view `v` draws nothing: everything it includes is excluded":
                     "take out of `exclude:` what the view should draw",
                     "view `w` draws nothing: `include:` is empty":
                     "name boundaries or elements: `include: [payments, psp]`"}  # fmt: skip
