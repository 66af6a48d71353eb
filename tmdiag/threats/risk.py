"""Risk = likelihood × impact, each on a 1–5 scale, explained (the method: docs/risk.md).

Likelihood: the threat's rating (pytm's "Likelihood Of Attack", a rule's `likelihood`; unrated:
medium), moved by exposure: +1 when the target is exposed (`public: true`, in an untrusted or
internet boundary, or an actor/external entity outside every boundary) or a threat agent reaches
it (inside a boundary the agent `enters`, one flow from there, or in the agent's `targets`);
0 when it is only reachable further along the flows; −1 when no flow path leads to it from an
exposed element. A flow's exposure is its source's (or an agent's that reaches either end). Clamped to 1–5.
Impact: the threat's severity, averaged (rounding up) with the asset value when the model says
what is at stake: the element's declared `impact` and the most sensitive data it stores or
carries (classification, PII or credentials count as at least 3, the data's own `impact`).
Levels: score ≥ 20 critical, ≥ 12 high, ≥ 6 medium, ≥ 3 low, else info."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from tmdiag.model import nodes as n
from tmdiag.model import schema
from tmdiag.model.levels import RiskLevel

WORDS = ("very_low", "low", "medium", "high", "very_high")  # scale 1..5
RATINGS = {"very low": 1, "very_low": 1, "low": 2, "medium": 3, "high": 4, "very high": 5, "very_high": 5,
           "info": 1, "critical": 5}  # fmt: skip
_CLASSIFICATION_VALUE = {"unknown": 0, "public": 1, "restricted": 2, "sensitive": 3, "secret": 4, "top_secret": 5}
_IMPACT_VALUE = {"info": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}
UNKNOWN_LIKELIHOOD = 3  # pytm leaves 13 threats unrated: assume medium


def level(score: int) -> RiskLevel:
    """Risk level of a score 1..25."""
    return RiskLevel.of_score(score)


@dataclass(frozen=True, slots=True)
class Exposure:
    adjustment: int  # -1, 0 or +1
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AssetValue:
    value: int | None  # 1..5, None when the model says nothing about what is at stake
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rating:
    likelihood: int
    impact: int
    score: int
    risk: RiskLevel
    explanation: str


class RiskModel:
    """Per-target exposure and asset value, computed once per model; ratings are cached."""

    def __init__(self, model: n.Model):
        self.model = model
        self.exposed = {e.id: why for e in model.elements if (why := _untrusted(model, e))}
        self.untrusted = set(self.exposed)
        self.distance = _distances(model, self.untrusted)
        self._ratings: dict[tuple[str, str, str, tuple[str, ...]], Rating] = {}
        self._exposures: dict[str, Exposure] = {}
        self._values: dict[str, AssetValue] = {}

    # ---- exposure ------------------------------------------------------------------------
    def exposure(self, target_id: str) -> Exposure:
        cached = self._exposures.get(target_id)
        if cached is None:
            cached = self._exposures[target_id] = self._exposure(target_id)
        return cached

    def _exposure(self, target_id: str) -> Exposure:
        if self.model.element(target_id) is None and self.model.flow(target_id) is None:
            # a control-plane setting, a data asset, or the model as a whole
            if self.model.boundary(target_id) is not None:
                what = f"boundary {target_id}'s settings"
            elif self.model.data_asset(target_id) is not None:
                what = f"data {target_id}"
            else:
                what = "the model as a whole"
            return Exposure(0, (f"+0 {what}: rated as the rule rates it",))
        flow = self.model.flow(target_id)
        element_id = flow.source if flow is not None else target_id
        who = f"its source {element_id}" if flow else element_id
        distance = self.distance.get(element_id)
        # a flow is exposed where an agent reaches either end: say which end each agent reaches
        ends = [(who, element_id)]
        if flow is not None and flow.sink != element_id:
            ends.append((f"its sink {flow.sink}", flow.sink))
        reached = [f"{name}: " + ", ".join(agents) for name, end in ends if (agents := self.model.agents_reaching(end))]
        if distance == 0:
            return Exposure(1, (f"+1 {who} is exposed ({self.exposed[element_id]})",))
        if reached:
            return Exposure(1, ("+1 threat agents reach " + "; ".join(reached),))
        if distance is None:
            return Exposure(-1, (f"-1 no flow path from an exposed element to {who}",))
        return Exposure(0, (f"+0 {who} is {distance} flow{'s' if distance > 1 else ''} from an exposed element",))

    # ---- impact --------------------------------------------------------------------------
    def asset_value(self, target_id: str) -> AssetValue:
        cached = self._values.get(target_id)
        if cached is None:
            cached = self._values[target_id] = self._asset_value(target_id)
        return cached

    def _asset_value(self, target_id: str) -> AssetValue:
        node: n.Node | None = self.model.element(target_id) or self.model.flow(target_id)
        if node is None:
            return AssetValue(None, ())
        best, reasons = 0, []
        declared = node.get("impact")
        if declared:
            best = _IMPACT_VALUE.get(str(declared), 0)
            reasons.append(f"declared impact {declared}")
        for asset in self.model.data_of(node):
            value, why = _data_value(asset)
            if value > best:
                best, reasons = (
                    value,
                    [*reasons[:1], f"data {asset.id}: {why}"] if declared else [f"data {asset.id}: {why}"],
                )
        return AssetValue(best or None, tuple(reasons))

    # ---- rating --------------------------------------------------------------------------
    def rate(self, target_id: str, likelihood_rating: str, severity_rating: str, lowered_by: tuple[str, ...] = ()
             ) -> Rating:  # fmt: skip
        """The rating of a threat on a target; `lowered_by`: facts that make it harder (likelihood −1)."""
        key = (target_id, likelihood_rating, severity_rating, lowered_by)
        cached = self._ratings.get(key)
        if cached is None:
            cached = self._ratings[key] = self._rate(target_id, likelihood_rating, severity_rating, lowered_by)
        return cached

    def _rate(self, target_id: str, likelihood_rating: str, severity_rating: str, lowered_by: tuple[str, ...]
              ) -> Rating:  # fmt: skip
        base = RATINGS.get(likelihood_rating.strip().lower(), UNKNOWN_LIKELIHOOD)
        exposure = self.exposure(target_id)
        lowered = -1 if lowered_by else 0
        likelihood = max(1, min(5, base + exposure.adjustment + lowered))
        severity = RATINGS.get(severity_rating.strip().lower(), 3)
        asset = self.asset_value(target_id)
        impact = severity if asset.value is None else (severity + asset.value + 1) // 2  # half up
        score = likelihood * impact
        rated = likelihood_rating.strip().lower().replace(" ", "_") or "unrated (medium)"
        why_impact = f"severity {severity_rating.strip() or 'unrated'} {severity}"
        if asset.value is not None:
            why_impact += f", averaged (rounding up) with asset value {asset.value} (" + "; ".join(asset.reasons) + ")"
        lowering = f" -1 lowered by {', '.join(lowered_by)}" if lowered_by else ""
        explanation = (f"likelihood {likelihood} = {rated} {base} " + " ".join(exposure.reasons) + lowering
                       + f"; impact {impact} = {why_impact}; score {likelihood}×{impact} = {score}")  # fmt: skip
        return Rating(likelihood, impact, score, level(score), explanation)


def _data_value(asset: n.DataAsset) -> tuple[int, str]:
    classification = str(asset.get("classification"))
    value, why = _CLASSIFICATION_VALUE.get(classification, 0), f"classification {classification}"
    if (asset.get("pii") or asset.get("credentials")) and value < 3:
        value, why = 3, "pii" if asset.get("pii") else "credentials"
    declared = asset.get("impact")
    if declared and _IMPACT_VALUE.get(str(declared), 0) > value:
        value, why = _IMPACT_VALUE[str(declared)], f"declared impact {declared}"
    return value, why


def _untrusted(model: n.Model, element: n.Element) -> str | None:
    """Why an element is exposed to the internet, in the model's words; None when it is not."""
    if element.get("public"):
        return "`public: true`"
    world = schema.world_ingress(element.get("ingress"))
    if world:
        return "ingress open to the internet: " + ", ".join(f'"{rule}"' for rule in world)
    chain = model.boundary_chain(element.boundary)
    if not chain:  # outside every boundary: the outside world
        return "outside every boundary" if element.kind in ("actor", "external") else None
    for boundary in chain:
        if str(boundary.get("trust")) == "untrusted" or boundary.get("kind") == "internet":
            return f"in untrusted boundary {boundary.id}"
        if boundary.get("public"):
            return f"in public boundary {boundary.id}"
    return None


def _graph(model: n.Model) -> dict[str, list[str]]:
    graph: dict[str, list[str]] = {}
    for flow in model.flows:
        if not flow.is_reply:
            graph.setdefault(flow.source, []).append(flow.sink)
    return graph


def _distances(model: n.Model, starts: set[str]) -> dict[str, int]:
    """Hops from the nearest untrusted element along flows (requests only)."""
    graph = _graph(model)
    distance = dict.fromkeys(sorted(starts), 0)
    queue = deque(distance)
    while queue:
        here = queue.popleft()
        for there in graph.get(here, ()):
            if there not in distance:
                distance[there] = distance[here] + 1
                queue.append(there)
    return distance
