"""pytm's conditions that contradict their descriptions (tmdiag/threats/errata.py), each tested both
ways: where pytm's condition fires and the threat cannot happen, tmdiag's reading does not (parity
mode still does); where the threat can happen, tmdiag's reading fires."""

from __future__ import annotations

import pytest

from tests.threats.conftest import load_text
from tmdiag.results import Finding
from tmdiag.threats import analyze, errata

CARD_TO_ENCRYPTED_STORE = """
data card "Card" { pii: true }
process app "App"
datastore db "DB" { stores: [card], encrypted_at_rest: true, encrypted: true }
save: app -> db "Save" { data: [card], encrypted: true }
"""
SECRET_BETWEEN_PROCESSES = """
data key "Key" { classification: secret }
process a "A"
process b "B"
send: a -> b "Send" { data: [key] }
"""
SERVER = 'server s "S"\n'
HTTPS_SINK = """
server s "S" { encrypted: true, protocol: https }
process c "Client"
call: c -> s "Call" { protocol: https, encrypted: true, session_tokens: true }
"""

# (threat id, model where pytm wrongly fires, target, model where the threat is real, target)
CASES = [
    ("DR01", CARD_TO_ENCRYPTED_STORE, "save",
     CARD_TO_ENCRYPTED_STORE.replace("encrypted_at_rest: true", "encrypted_at_rest: false"), "save"),
    ("DS06", SECRET_BETWEEN_PROCESSES, "send",
     SECRET_BETWEEN_PROCESSES.replace('process b "B"', 'process b "B" { max_classification: public }'), "send"),
    ("INP19", SERVER, "s", 'server s "S" { xml_parser: true }\n', "s"),
    ("INP21", SERVER, "s", 'server s "S" { xml_parser: true }\n', "s"),
    ("INP22", SERVER, "s", 'server s "S" { xml_parser: true }\n', "s"),
    ("DE03", HTTPS_SINK, "call", SECRET_BETWEEN_PROCESSES, "send"),
    ("CR01", HTTPS_SINK, "call",
     HTTPS_SINK.replace("encrypted: true, protocol: https", "protocol: http")
     .replace("protocol: https, encrypted: true,", "protocol: http,"), "call"),
    ("CR06", HTTPS_SINK, "call", SECRET_BETWEEN_PROCESSES, "send"),
]  # fmt: skip


def holding(findings: tuple[Finding, ...], threat_id: str, target: str) -> bool:
    """The threat holds on the target: listed and not closed by what the model states."""
    return any(f.threat_id == threat_id and f.target_id == target and not f.mitigated_by for f in findings)


def test_every_erratum_is_tested() -> None:
    assert {case[0] for case in CASES} == set(errata.BY_ID)


@pytest.mark.parametrize(("threat_id", "wrong", "wrong_target", "real", "real_target"), CASES)
def test_pytm_fires_where_the_threat_cannot_happen(threat_id: str, wrong: str, wrong_target: str, real: str,
                                                   real_target: str) -> None:  # fmt: skip
    model = load_text(wrong)
    assert holding(analyze(model, parity=True).findings, threat_id, wrong_target)  # pytm's own condition
    assert not holding(analyze(model).findings, threat_id, wrong_target)  # tmdiag's reading


@pytest.mark.parametrize(("threat_id", "wrong", "wrong_target", "real", "real_target"), CASES)
def test_tmdiag_fires_where_the_threat_is_real(threat_id: str, wrong: str, wrong_target: str, real: str,
                                              real_target: str) -> None:  # fmt: skip
    assert holding(analyze(load_text(real)).findings, threat_id, real_target)


def test_dr01_pytm_misses_unencrypted_storage() -> None:
    """The other half of DR01's inversion: pytm stays silent for data stored in clear."""
    model = load_text(CARD_TO_ENCRYPTED_STORE.replace("encrypted_at_rest: true", "encrypted_at_rest: false"))
    assert not holding(analyze(model, parity=True).findings, "DR01", "save")
    assert holding(analyze(model).findings, "DR01", "save")


def test_every_reading_names_the_fields_of_the_threat_it_corrects() -> None:
    """A reading is pytm's condition language, compiled by pytm when loaded (errata.corrected)."""
    import pytm

    pytm.TM.reset()
    pytm.TM("errata")
    loaded = {t.id: t for t in pytm.TM._threats}
    for erratum in errata.ERRATA:
        fixed = errata.corrected(loaded[erratum.threat_id])
        assert fixed.condition == erratum.condition and fixed.target == loaded[erratum.threat_id].target
        assert fixed.condition != loaded[erratum.threat_id].condition
