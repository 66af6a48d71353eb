"""Facts the model implies (tmdiag/model/derived.py) and attribute aliases (schema `Attr.aliases`)."""

from __future__ import annotations

from tmdiag import pipeline
from tmdiag.model import schema
from tmdiag.model.derived import Reach
from tmdiag.model.nodes import Model


def model_of(text: str) -> Model:
    return pipeline.load_text(text, "m.tm").require()


NESTED = """\
threat_agent a "A" { enters: [outer], targets: [far, inside] }
boundary outer "Outer" {
  boundary inner "Inner" { process inside "Inside" }
}
process next "Next"
process far "Far"
process beyond "Beyond"
inside -> next "Call" reply "Answer"
next -> beyond "Onward"
far -> inside "Back"
"""


def test_reach_inside_nested_boundaries_one_request_flow_and_targets() -> None:
    model = model_of(NESTED)
    assert model.reached_by("a") == (
        Reach("a", "inside", "inside", "outer"),  # inside `inner`, inside `outer`: the entered one is named
        Reach("a", "next", "flow", "flow-1"),  # one request flow from inside
        Reach("a", "far", "target"),  # `inside` is a target too, but reached first from inside
    )
    assert model.agents_reaching("beyond") == ()  # two flows away
    assert [r.describe() for r in model.reached_by("a")] == [
        "inside outer, which it enters", "by flow flow-1 from where it enters", "one of its targets",
    ]  # fmt: skip


def test_a_reply_does_not_carry_an_agent_back() -> None:
    model = model_of(
        'threat_agent a "A" { enters: [b] }\nboundary b "B" { datastore db "DB" }\nprocess api "API"\n'
        'api -> db "Query" reply "Rows"\n'
    )
    assert [r.element for r in model.reached_by("a")] == ["db"]


def test_stored_and_handled_data() -> None:
    model = model_of(
        'data a "A"\ndata b "B"\ndata c "C"\ndata d "D"\nprocess p "P"\n'
        'datastore s "S" { stores: [a] }\np -> s "W" { data: [b, a] } reply "R" { data: [c] }\n'
        'p -> p "Self" { data: [d] }\n'
    )
    assert [d.id for d in model.stored_data("s")] == ["a", "b", "c"]  # `stores:` first, then flows, each once
    assert model.stored_data("p") == ()  # only datastores store
    assert [e.id for e in model.stored_in("c")] == ["s"] and model.stored_in("d") == ()
    assert [d.id for d in model.data_of(model.element("p"))] == ["b", "a", "c", "d"]
    assert [d.id for d in model.data_of(model.flow("flow-2"))] == ["c"]


def test_an_alias_is_one_attribute() -> None:
    assert schema.BY_NAME["flow"]["authenticated"] is schema.BY_NAME["flow"]["authenticates_source"]
    assert schema.canonical("flow", "authenticated") == "authenticates_source"
    assert schema.canonical("process", "authenticated") == "authenticated"  # not a name there
    assert "authenticated" not in {a.name for a in schema.SCHEMAS["flow"]}  # one row in every table
    model = model_of('process a "A"\na -> a "Loop" { authenticated: true }\n')
    flow = model.flows[0]
    assert flow.get("authenticates_source") is True and flow.has("authenticates_source")
    assert flow.attribute("authenticates_source") is flow.attribute("authenticated") is not None


def test_a_boundary_owner_comes_from_the_enclosing_boundary() -> None:
    model = model_of(
        'team { ann "Ann" security_lead }\nboundary o "O" { owner: ann\n  boundary i "I" { process p "P" }\n}\n'
    )
    inner = model.boundary("i")
    assert inner is not None and model.owner_of(inner) == "ann" and model.owner_from(inner) is model.boundary("o")
