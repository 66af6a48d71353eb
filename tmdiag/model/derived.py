"""Facts the model implies rather than states, each defined once here and read through `Model`:
what a datastore stores, which data an element handles, and which elements a threat agent reaches.

- A datastore **stores** the data it lists in `stores:` and every data asset a flow carries into or
  out of it: what is written to a store is kept there, and what a store sends was kept there
  (docs/language.md, "Data a datastore stores").
- An element **handles** what it stores and the data of every flow to or from it.
- A threat agent **reaches** every element inside a boundary it `enters` (at any depth), every
  element one request flow (not a reply) from one of those, and every element in its `targets`
  (docs/risk.md). Each element once per agent, with the first of those ways that applies.

Built once per model (linear in its size) and kept on the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tmdiag.model.nodes import Model

INSIDE, FLOW, TARGET = "inside", "flow", "target"


@dataclass(frozen=True, slots=True)
class Reach:
    """A threat agent reaches an element: how (`inside`, `flow` or `target`) and through what
    (the boundary it entered, the flow's id; "" for a target)."""

    agent: str
    element: str
    how: str
    via: str = ""

    def describe(self) -> str:
        """How, in words: `inside net, which it enters`, `by flow web-db from where it enters`, `a target`."""
        if self.how == INSIDE:
            return f"inside {self.via}, which it enters"
        if self.how == FLOW:
            return f"by flow {self.via} from where it enters"
        return "one of its targets"


class Derived:
    def __init__(self, model: Model):
        order = {e.id: i for i, e in enumerate(model.elements)}
        data_ids = {d.id for d in model.data}
        stores = {e.id for e in model.elements if e.kind == "datastore"}
        handled: dict[str, dict[str, None]] = {e.id: dict.fromkeys(e.ids("stores")) for e in model.elements}
        stored: dict[str, dict[str, None]] = {s: dict(handled[s]) for s in stores}
        for flow in model.flows:
            for end in dict.fromkeys((flow.source, flow.sink)):
                if end in handled:
                    handled[end].update(dict.fromkeys(flow.ids("data")))
                if end in stored:
                    stored[end].update(dict.fromkeys(flow.ids("data")))
        self.handled = {e: tuple(d for d in ids if d in data_ids) for e, ids in handled.items()}
        self.stored = {s: tuple(d for d in ids if d in data_ids) for s, ids in stored.items()}
        stored_in: dict[str, list[str]] = {}
        for element in model.elements:  # model order
            for data in self.stored.get(element.id, ()):
                stored_in.setdefault(data, []).append(element.id)
        self.stored_in = {data: tuple(stores) for data, stores in stored_in.items()}
        self.reach = {agent.id: _reach(model, agent.id, order) for agent in model.agents}
        agents_at: dict[str, list[str]] = {}
        for agent_id, reached in self.reach.items():  # model order of agents
            for r in reached:
                agents_at.setdefault(r.element, []).append(agent_id)
        self.agents_at = {element: tuple(agents) for element, agents in agents_at.items()}


def _reach(model: Model, agent_id: str, order: dict[str, int]) -> tuple[Reach, ...]:
    agent = model.agent(agent_id)
    if agent is None:
        return ()
    found: dict[str, Reach] = {}
    entered = set(agent.ids("enters"))
    for element in model.elements:
        via = next((b.id for b in model.boundary_chain(element.boundary) if b.id in entered), None)
        if via is not None:
            found[element.id] = Reach(agent_id, element.id, INSIDE, via)
    inside = set(found)
    for flow in model.flows:
        if not flow.is_reply and flow.source in inside and flow.sink in order and flow.sink not in found:
            found[flow.sink] = Reach(agent_id, flow.sink, FLOW, flow.id)
    for target in agent.ids("targets"):
        if target in order and target not in found:
            found[target] = Reach(agent_id, target, TARGET)
    return tuple(sorted(found.values(), key=lambda r: order[r.element]))
