"""The Python API (load, loads, check_file, TmError) and what the typed model holds."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest

import tmdiag
from tmdiag.model import nodes as n


def test_load_returns_a_typed_frozen_model_with_spans() -> None:
    model = tmdiag.load("examples/checkout.tm")
    assert model.name == "Checkout"
    web = model.element("web")
    assert web is not None and web.kind == "process" and web.boundary == "public"
    assert web.span.path == "examples/checkout.tm" and web.id_span.line == web.span.line
    assert model.boundary_chain("public")[-1].id == "prod"
    assert model.info is not None and model.info.get("reviewed") == datetime.date(2026, 10, 1)
    assert model.info.get("review_every") == n.Duration(90, "90d")
    with pytest.raises(dataclasses.FrozenInstanceError):
        web.id = "other"  # type: ignore[misc]


def test_imported_nodes_keep_their_own_path() -> None:
    model = tmdiag.load("examples/checkout.tm")
    key = model.data_asset("aws_access_key")
    assert key is not None and key.span.path != model.path and key.span.path.endswith("aws.tm")
    assert [i.path for i in model.imports] == ["std/aws.tm"]


def test_loads_and_defaults() -> None:
    model = tmdiag.loads('data card "Card" { pii: true }\nactor customer')
    card = model.data_asset("card")
    assert card is not None
    assert card.get("pii") is True and card.get("classification") == "unknown"
    assert card.has("pii") and not card.has("classification")
    assert model.element("customer") is not None and model.element("customer").boundary is None  # type: ignore[union-attr]


def test_tm_error_carries_every_diagnostic() -> None:
    with pytest.raises(tmdiag.TmError) as raised:
        tmdiag.loads("data a { clasification: secret }\nactor b { port: true }", "m.tm")
    codes = [d.code for d in raised.value.diagnostics]
    assert codes == ["E201", "E202"]
    assert str(raised.value).startswith("m.tm:1:10: unknown attribute `clasification`")
    assert "(and 1 more)" in str(raised.value)


def test_load_missing_file_raises_tm_error(tmp_path: Path) -> None:
    with pytest.raises(tmdiag.TmError) as raised:
        tmdiag.load(tmp_path / "nope.tm")
    assert raised.value.diagnostics[0].code == "E301"


def test_check_file_never_raises_for_bad_input() -> None:
    model, diagnostics = tmdiag.check_file("dsl/conformance/invalid/e001-recovery.tm", lint=False)
    assert model is not None
    assert [d.code for d in diagnostics] == ["E001"] * 4
    # the good statements around the broken ones still load, and so do statements whose block only
    # has a broken attribute (the attribute is dropped)
    assert {d.id for d in model.data} == {"card", "order"}
    assert {e.id for e in model.elements} == {"customer", "web", "db"}
    assert model.data_asset("order").attributes == ()


def test_check_file_reports_what_tmdiag_check_reports(tmp_path: Path) -> None:
    # the lint rules included, as `tmdiag check` runs them (a regression: the API once skipped them)
    import json
    import subprocess
    import sys

    model = tmp_path / "tiny.tm"
    model.write_text(
        'actor user "User"\nprocess web "Web"\nuser -> web "Browse" { protocol: http }\n', encoding="utf-8"
    )
    _, diagnostics = tmdiag.check_file(model)
    shown = subprocess.run(
        [sys.executable, "-m", "tmdiag", "check", "--format", "json", str(model)], capture_output=True, text=True
    )
    assert [d.code for d in diagnostics] == [d["code"] for d in json.loads(shown.stdout)]
    assert any(d.code.startswith("TM") for d in diagnostics)
    _, validated = tmdiag.check_file(model, lint=False)
    assert not any(d.code.startswith("TM") for d in validated)
    from_text = tmdiag.check_text(model.read_text(encoding="utf-8"), "tiny.tm")[1]
    assert [(d.code, d.message, d.span.line) for d in from_text] == [
        (d.code, d.message, d.span.line) for d in diagnostics
    ]


def test_flows_are_numbered_in_model_order_with_replies() -> None:
    model = tmdiag.load("dsl/conformance/valid/v08-flows.tm")
    numbers = [(f.number, f.id, f.source, f.sink, f.reply_to) for f in model.flows]
    assert numbers[:5] == [
        (1, "flow-1", "web-user", "shop-front", None),
        (2, "flow-2", "web-user", "shop-front", None),
        (3, "checkout", "web-user", "shop-front", None),
        (4, "checkout-reply", "shop-front", "web-user", 3),
        (5, "flow-5", "shop-front", "order-db", None),
    ]
    assert [(f.number, f.reply_to, f.label) for f in model.flows[5:7]] == [(6, 5, "Row id"), (7, 5, "Replication ack")]
    assert model.flow("checkout-reply").label == "Receipt"  # type: ignore[union-attr]
    assert model.flow("checkout").named and not model.flow("checkout-reply").named  # type: ignore[union-attr]
    assert model.flows[3].get("merge_reply") is True


def test_imports_flow_numbering_and_the_entry_header_wins() -> None:
    model = tmdiag.load("dsl/conformance/valid/v13-imports.tm")
    assert model.info is not None and model.info.label == "Imports"
    ids = [d.id for d in model.data]
    assert ids.index("more_data") < ids.index("shared_token")  # depth first: more.tm before shared.tm
    assert ids.count("more_data") == 1  # imported twice, loaded once
    assert model.data_asset("aws_session") is not None


def test_values_are_converted() -> None:
    model = tmdiag.load("dsl/conformance/valid/v14-lexical.tm")
    assert model.info is not None
    assert model.info.get("description") == 'Tab:\tnewline:\nbackslash:\\ quote:" done'
    assert model.info.get("review_every") == n.Duration(1, "36h")
    p1 = model.element("p-1")
    assert (
        p1 is not None and p1.get("port") == 0 and p1.get("tags") == () and p1.get("source_files") == ("a.py", "b.py")
    )
    flow = model.flows[0]
    assert flow.get("data") == ("d1", "d2") and isinstance(flow.get("data")[0], n.Name)
    assert model.flow("model_note") is not None
    assert [a.id for a in model.assumptions] == ["A1"]


def test_boundaries_nest_and_elements_belong_to_the_innermost() -> None:
    model = tmdiag.load("dsl/conformance/valid/v06-nested-boundaries.tm")
    vault = model.element("vault")
    assert vault is not None and vault.boundary == "private_subnet"
    chain = [b.id for b in model.boundary_chain("private_subnet")]
    assert chain == ["private_subnet", "vpc", "prod", "org"]
    assert model.boundary("private_subnet").depth == 3  # type: ignore[union-attr]
    assert model.trust_of("vault") == "full"


def test_rule_conditions_become_expression_trees() -> None:
    model = tmdiag.load("dsl/conformance/valid/v12-custom-rules.tm")
    rule = next(r for r in model.rules if r.id == "ORG001")
    condition = rule.condition
    assert isinstance(condition, n.BoolOp) and condition.op == "and"
    assert isinstance(condition.operands[0], n.Not)
    assert condition.operands[1] == n.BoundaryTest(condition.operands[1].span, "crosses", None)
    org3 = next(r for r in model.rules if r.id == "ORG003").condition
    assert isinstance(org3, n.BoolOp) and isinstance(org3.operands[1], n.In)


def test_every_example_loads() -> None:
    for path in sorted(Path("examples").glob("*.tm")):
        model = tmdiag.load(path)
        assert model.elements and model.flows and model.risks, path


def test_the_package_is_marked_typed_for_users_of_the_api() -> None:
    # PEP 561: without py.typed, mypy treats `import tmdiag` in a user's code as untyped
    assert (Path(tmdiag.__file__).parent / "py.typed").is_file()


def test_every_reply_of_a_named_flow_has_its_own_id() -> None:
    # ids feed the anchors of findings (#threat-<id>-<target>): two replies must not share one
    model = tmdiag.loads('process a\ndatastore b\nq: a -> b "Query" reply "Rows" reply "Ack"\na -> b reply')
    assert [(f.number, f.id, f.reply_to) for f in model.flows] == [
        (1, "q", None),
        (2, "q-reply", 1),
        (3, "q-reply-2", 1),
        (4, "flow-4", None),
        (5, "flow-5", 4),
    ]


@pytest.mark.parametrize(
    ("module", "hint"),
    [
        ("std/awz.tm", "did you mean `std/aws.tm`?"),
        ("std/k8", "did you mean `std/k8s.tm`?"),
        ("std/gcp.tm", "standard modules: std/aws.tm, std/k8s.tm, std/llm.tm"),  # not "did you mean `std/llm.tm`?"
    ],
)
def test_a_missing_standard_module_gets_a_hint_by_module_name(module: str, hint: str) -> None:
    _, diagnostics = tmdiag.check_text(f'import "{module}"\nactor a', "m.tm", lint=False)
    assert [(d.code, d.hint) for d in diagnostics] == [("E301", hint)]
