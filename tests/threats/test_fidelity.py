"""Fidelity: a model written in .tm and the same model written as a pytm script give the same
(threat id, element) pairs before decisions in parity mode, on pytm's own sample and on two more
models; by default they differ only by the documented errata and by what the model states."""

from __future__ import annotations

import importlib
import sys

import pytest

from tests.threats.conftest import MODELS, load_model, load_text
from tmdiag.threats import adapter, analyze, errata

sys.path.insert(0, str(MODELS.parent.parent.parent / "bench"))


def raw_pairs(tm) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    tm.check()
    tm.resolve()
    return {(f.threat_id, f.element.name) for f in tm.findings}


def tmdiag_pairs(model, parity: bool = True) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The pairs that hold (not those only closed by stated protections)."""
    compiled = adapter.build(model, parity=parity)
    return {(t.id, compiled.node_of(obj).title) for t, obj, closing in adapter.enumerate_threats(compiled)
            if not closing}  # fmt: skip


@pytest.mark.parametrize("name", ["pytm_sample", "assistant"])
def test_tm_and_pytm_script_give_the_same_pairs_in_parity_mode(name: str) -> None:
    script = importlib.import_module(f"tests.threats.pytm_models.{name}")
    expected = raw_pairs(script.build())
    model = load_model(MODELS / f"{name}.tm")
    assert tmdiag_pairs(model, parity=True) == expected
    found = analyze(model, parity=True).findings
    parity = {(f.threat_id, f.target_label) for f in found}
    assert parity == expected  # the whole analysis too: no fact or custom rule adds, closes or hides a pair
    assert len(expected) > 40  # the models exercise the library, not an empty set


@pytest.mark.parametrize("name", ["pytm_sample", "assistant"])
def test_default_mode_differs_only_by_errata_and_stated_facts(name: str) -> None:
    script = importlib.import_module(f"tests.threats.pytm_models.{name}")
    raw = raw_pairs(script.build())
    model = load_model(MODELS / f"{name}.tm")
    findings = analyze(model).findings
    listed = {(f.threat_id, f.target_label) for f in findings if f.source == "pytm"}
    flows = {f.title for f in model.flows if any(f.has(k) for k in ("protocol", "port", "encrypted"))}
    for threat_id, target in raw - listed:  # pytm has it, tmdiag does not
        assert threat_id in errata.BY_ID or target in flows, (threat_id, target)
    for f in findings:
        if (f.threat_id, f.target_label) in raw or f.source != "pytm":
            continue
        assert f.threat_id in errata.BY_ID or f.mitigated_by or f.target_label in flows, (f.threat_id, f.target_id)


def test_analyze_reports_the_pytm_pairs_as_findings() -> None:
    model = load_model(MODELS / "assistant.tm")
    held = {(f.threat_id, f.target_label) for f in analyze(model).findings if f.source == "pytm" and not f.mitigated_by}
    assert held == tmdiag_pairs(model, parity=False) - _closed_by_table(model)


def _closed_by_table(model) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    from tmdiag.model import facts

    found = facts.effects(model)
    return {(threat_id, (model.element(target) or model.flow(target)).title) for threat_id, target in found.removes}


def test_enumeration_matches_pytm_resolve() -> None:
    """tmdiag applies each threat with pytm's Threat.apply instead of building pytm Findings."""
    model = load_model(MODELS / "assistant.tm")
    compiled = adapter.build(model, parity=True)
    ours = [(t.id, id(obj)) for t, obj, _ in adapter.enumerate_threats(compiled)]
    compiled.tm.resolve()
    assert ours == [(f.threat_id, id(f.element)) for f in compiled.tm.findings]


@pytest.mark.parametrize("parity", [True, False])
def test_conditions_hold_exactly_where_pytm_threat_apply_says(parity: bool) -> None:
    import pytm

    adapter.build(load_model(MODELS / "assistant.tm"), parity=parity)  # the objects: pytm.TM._elements
    holds = adapter.Conditions().holds
    threats = [t if parity else errata.corrected(t) for t in pytm.TM._threats]
    pairs = [(t, obj) for obj in pytm.TM._elements for t in threats]
    matched = [(t, obj) for t, obj in pairs if adapter._targets(t, type(obj))]  # as threats_by_class groups them
    assert [holds(t, obj) for t, obj in matched] == [t.apply(obj) for t, obj in matched]
    assert not any(t.apply(obj) for t, obj in pairs if (t, obj) not in matched)
    assert sum(holds(t, obj) for t, obj in matched) > 40


def test_generated_system_matches_raw_pytm() -> None:
    import generate

    spec = generate.system(48)
    expected = raw_pairs(generate.to_pytm(spec))
    assert tmdiag_pairs(load_text(generate.to_tm(spec)), parity=True) == expected


def test_every_element_kind_and_llm_threats_fire() -> None:
    model = load_model(MODELS / "assistant.tm")
    findings = analyze(model).findings
    kinds = {f.target_kind for f in findings}
    assert {"process", "server", "lambda", "datastore", "external", "llm", "agent", "flow"} <= kinds
    ids = {f.threat_id for f in findings}
    assert {"LLM01", "LLM02", "LLM05", "LLM06", "LLM09", "AC24", "HA02"} <= ids
    assert not any(f.target_id == "legacy" for f in findings)  # in_scope: false


def test_declared_flow_values_survive_pytm_check() -> None:
    """pytm 1.4's check() copies the sink's defaults over a flow's protocol and encryption."""
    text = """
    process a "A"
    process b "B"
    f: a -> b "F" { protocol: https, port: 443, encrypted: true }
    """
    model = load_text(text)
    kept = adapter.build(model).objects["f"]
    assert (kept.protocol, kept.dstPort, kept.controls.isEncrypted) == ("HTTPS", 443, True)
    overwritten = adapter.build(model, parity=True).objects["f"]
    assert (overwritten.protocol, overwritten.dstPort, overwritten.controls.isEncrypted) == ("", -1, False)
    assert "CR08" not in {f.threat_id for f in analyze(model).for_target("f") if f.is_open}


def test_every_schema_pytm_name_is_a_real_pytm_field() -> None:
    """pytm accepts misspelt attributes silently; the schema's pytm names must be real fields."""
    import pytm

    from tmdiag.model import schema

    classes = {**adapter.CLASSES, "flow": pytm.Dataflow, "data": pytm.Data}
    for kind, klass in classes.items():
        for spec in schema.SCHEMAS[kind]:
            if spec.pytm is None:
                continue
            owner, _, name = spec.pytm.rpartition(".")
            fields = (pytm.Controls if owner == "controls" else klass).model_fields
            assert name in fields, f"{kind}.{spec.name} maps to unknown pytm field {spec.pytm}"


def test_every_attribute_pytm_conditions_read_can_be_written_in_tm() -> None:
    import re

    from tmdiag.semantics import threatlib
    from tmdiag.threats import evidence

    kinds = {"Process": "process", "Server": "server", "Lambda": "lambda", "Datastore": "datastore",
             "ExternalEntity": "external", "LLM": "llm", "Agent": "agent", "Dataflow": "flow"}  # fmt: skip
    derived = {"data", "inputs", "isResponse", "checkTLSVersion", "hasDataLeaks", "inScope"}
    missing = []
    for threat in threatlib.catalogue().values():
        for read in re.findall(r"target((?:\.\w+)+)", threat.condition):
            path = read.strip(".").split(".")
            path = path[1:] if path[0] in ("source", "sink") else path
            name = ".".join(path)
            for target in threat.targets:
                if name not in derived and name not in evidence.reverse_names(kinds[target]):
                    missing.append((threat.id, target, name))
    assert missing == []
