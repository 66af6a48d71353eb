"""Fidelity: a model written in .tm and the same model written as a pytm script give the same
(threat id, element) pairs before decisions, on pytm's own sample and on two more models."""

from __future__ import annotations

import importlib
import sys

import pytest

from tests.threats.conftest import MODELS, load_model, load_text
from tmdiag.threats import adapter, analyze

sys.path.insert(0, str(MODELS.parent.parent.parent / "bench"))


def raw_pairs(tm) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    tm.check()
    tm.resolve()
    return {(f.threat_id, f.element.name) for f in tm.findings}


def tmdiag_pairs(model, keep: bool) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    compiled = adapter.build(model, keep_declared_flow_values=keep)
    return {(threat.id, compiled.node_of(obj).title) for threat, obj in adapter.enumerate_threats(compiled)}


@pytest.mark.parametrize("name", ["pytm_sample", "assistant"])
def test_tm_and_pytm_script_give_the_same_pairs(name: str) -> None:
    script = importlib.import_module(f"tests.threats.pytm_models.{name}")
    expected = raw_pairs(script.build())
    model = load_model(MODELS / f"{name}.tm")
    assert tmdiag_pairs(model, keep=False) == expected
    assert len(expected) > 40  # the models exercise the library, not an empty set


def test_pytm_sample_needs_no_flow_workaround() -> None:
    """The sample declares no flow encryption, so keeping declared flow values changes nothing."""
    model = load_model(MODELS / "pytm_sample.tm")
    script = importlib.import_module("tests.threats.pytm_models.pytm_sample")
    assert tmdiag_pairs(model, keep=True) == raw_pairs(script.build())


def test_analyze_reports_the_pytm_pairs_as_findings() -> None:
    model = load_model(MODELS / "assistant.tm")
    pairs = {(f.threat_id, f.target_label) for f in analyze(model).findings if f.source == "pytm"}
    assert pairs == tmdiag_pairs(model, keep=True)


def test_enumeration_matches_pytm_resolve() -> None:
    """tmdiag applies each threat with pytm's Threat.apply instead of building pytm Findings."""
    model = load_model(MODELS / "assistant.tm")
    compiled = adapter.build(model)
    ours = [(t.id, id(obj)) for t, obj in adapter.enumerate_threats(compiled)]
    compiled.tm.resolve()
    assert ours == [(f.threat_id, id(f.element)) for f in compiled.tm.findings]


def test_generated_system_matches_raw_pytm() -> None:
    import generate

    spec = generate.system(48)
    expected = raw_pairs(generate.to_pytm(spec))
    assert tmdiag_pairs(load_text(generate.to_tm(spec)), keep=False) == expected


def test_every_element_kind_and_llm_threats_fire() -> None:
    model = load_model(MODELS / "assistant.tm")
    findings = analyze(model).findings
    kinds = {f.target_kind for f in findings}
    assert {"process", "server", "lambda", "datastore", "external", "llm", "agent", "flow"} <= kinds
    ids = {f.threat_id for f in findings}
    assert {"LLM01", "LLM02", "LLM05", "LLM06", "LLM09", "AC24", "DS06", "HA02"} <= ids
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
    overwritten = adapter.build(model, keep_declared_flow_values=False).objects["f"]
    assert (overwritten.protocol, overwritten.dstPort, overwritten.controls.isEncrypted) == ("", -1, False)
    assert "CR08" not in {f.threat_id for f in analyze(model).for_target("f")}


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
