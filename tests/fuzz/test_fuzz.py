"""The standing fuzz run of the normal suite: 2,000 inputs (mutated corpus files and examples, and
generated valid models) through check, fmt, lint, diagram --format dot, threats and report. The long
run is `make fuzz` (100,000 inputs, tests/fuzz/__main__.py)."""

from __future__ import annotations

import random

from tests.fuzz import engine


def test_two_thousand_inputs_give_results_or_positioned_diagnostics() -> None:
    report = engine.campaign(17, 2000, analyse_every=25, generated_share=0.05)
    shown = "\n\n".join(f"{key}\n--- input ---\n{text[:1500]}\n--- detail ---\n{detail[-1500:]}"
                        for key, (text, detail) in report.findings.items())  # fmt: skip
    assert not report.failed, shown
    assert report.count == 2000
    assert report.outcomes.get("ok", 0) > 100  # the generator keeps producing valid models


def test_generated_models_cover_every_statement_and_value_type() -> None:
    from tmdiag import pipeline

    rng = random.Random(3)
    seen: set[str] = set()
    for _ in range(30):
        text = engine.generate(rng)
        loaded = pipeline.load_text(text, "g.tm", engine.ROOT / "examples")
        assert loaded.errors == (), text
        model = loaded.model
        assert model is not None
        seen |= {n.kind for n in (*model.nodes(), *model.risks, *model.assumptions)}
    assert {"member", "data", "boundary", "flow", "control", "risk", "assume", "rule", "threat_agent"} <= seen
