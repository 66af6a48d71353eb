"""`tmdiag import otm` on documents of other tools and on hostile ones: wrong types, cycles in
`parent`, missing references, 10 MB strings, deep nesting, not JSON. Always diagnostics and an exit
code (0 drafted, 1 drafted with problems, 2 nothing drafted), never a traceback; a draft loads clean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tmdiag import pipeline
from tmdiag.cli import main

FOREIGN = {  # the shape of OTM's own EXAMPLE and of IriusRisk / StartLeft output
    "otmVersion": "0.2.0",
    "project": {"name": "Test project", "id": "test-project", "owner": "John Doe",
                "attributes": {"cmdbId": "MyApp123"}},
    "representations": [{"name": "Architecture Diagram", "id": "architecture-diagram", "type": "diagram",
                         "size": {"width": 1000, "height": 1100}}],
    "assets": [{"name": "Credit Card Data", "id": "cc-data", "risk": {"confidentiality": 100, "integrity": 100,
                                                                      "availability": 100}}],
    "trustZones": [
        {"name": "Internet", "id": "f0ba7722-39b6-4c81-8290-a30a248bb8d9", "risk": {"trustRating": 20}},
        {"name": "Private", "id": "2ab4effa-40b7-4cd2-ba81-8247d29a6f2d", "risk": {"trustRating": 100}},
    ],
    "components": [
        {"name": "Web Client", "id": "web-client", "type": "web-client", "tags": ["external"],
         "parent": {"trustZone": "f0ba7722-39b6-4c81-8290-a30a248bb8d9"}},
        {"name": "Web Service", "id": "web-service", "type": "web-service",
         "parent": {"trustZone": "2ab4effa-40b7-4cd2-ba81-8247d29a6f2d"},
         "threats": [{"threat": "t1", "state": "exposed",
                      "mitigations": [{"mitigation": "m1", "state": "implemented"}]}]},
        {"name": "Customer Database", "id": "customer-database", "type": "database",
         "parent": {"trustZone": "2ab4effa-40b7-4cd2-ba81-8247d29a6f2d"}, "assets": {"stored": ["cc-data"]}},
    ],
    "dataflows": [
        {"name": "Client to service", "id": "webclient-to-webservice", "bidirectional": True,
         "source": "web-client", "destination": "web-service"},
        {"name": "Store cards", "id": "cc-store-in-db", "source": "web-service", "destination": "customer-database",
         "assets": ["cc-data"]},
    ],
    "threats": [{"name": "Threat 1", "id": "t1", "risk": {"likelihood": 50, "impact": 100}}],
    "mitigations": [{"name": "Mitigation 1", "id": "m1", "riskReduction": 50}],
}  # fmt: skip


def run_import(tmp_path: Path, document: Any, capsys: pytest.CaptureFixture[str], raw: str | None = None):  # type: ignore[no-untyped-def]
    source = tmp_path / "in.otm.json"
    source.write_text(raw if raw is not None else json.dumps(document), encoding="utf-8")
    target = tmp_path / "out.tm"
    target.unlink(missing_ok=True)
    code = main(["import", "otm", str(source), "-o", str(target)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    text = target.read_text(encoding="utf-8") if target.exists() else None
    if text is not None:
        loaded = pipeline.load(target)
        assert not loaded.errors, [d.message for d in loaded.errors]
    return code, text, captured.err


def test_a_foreign_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, err = run_import(tmp_path, FOREIGN, capsys)
    assert code == 0, err
    assert 'boundary internet "Internet"' in text and 'boundary private "Private"' in text  # not UUIDs
    assert 'actor web-client "Web Client"' in text
    assert 'datastore customer-database "Customer Database"' in text and "stores: [cc-data]" in text
    assert "trust: low" in text and "trust: full" in text  # 20 and 100
    assert "classification: top_secret" in text
    assert 'reply "Client to service"' in text  # bidirectional
    assert 'control m1 "Mitigation 1"' in text and "on: [web-service]" in text
    for reported in ("representations", "1 threats of the document are not imported", "`cmdbId`",
                     "project owner `John Doe`", "drafted as a process"):  # fmt: skip
        assert reported in err, reported


def hostile(**changes: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(FOREIGN))
    document.update(changes)
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            hostile(components=[{"id": 3}, "x", {"id": "a", "name": ["list"], "type": {}, "parent": "zone"}]),
            "should be",
        ),
        (
            hostile(
                trustZones=[
                    {"id": "a", "name": "A", "risk": {"trustRating": 10}, "parent": {"trustZone": "b"}},
                    {"id": "b", "name": "B", "risk": {"trustRating": 10}, "parent": {"trustZone": "c"}},
                    {"id": "c", "name": "C", "risk": {"trustRating": "x"}, "parent": {"trustZone": "a"}},
                ]
            ),
            "are parents of each other",
        ),
        (
            hostile(
                dataflows=[
                    {"id": "f", "name": "F", "source": "nobody", "destination": "web-service", "assets": ["nothing"]}
                ]
            ),
            "is not a component",
        ),
        (
            hostile(components=[{"id": "x", "name": "X", "type": "process", "parent": {"trustZone": "gone"}}]),
            "does not exist",
        ),
        (hostile(assets={"not": "a list"}), "`assets` should be a list"),
        (
            hostile(
                components=[
                    {
                        "id": "x",
                        "name": "X",
                        "type": "process",
                        "parent": {"component": "x"},
                        "attributes": {"port": "99999", "public": "maybe", "ingress": ["nonsense"], "tags": [1, None]},
                    }
                ]
            ),
            "do not fit",
        ),
    ],
    ids=["wrong-types", "parent-cycle", "missing-flow-ends", "missing-zone", "assets-not-a-list", "bad-values"],
)
def test_hostile_documents_are_diagnosed(tmp_path: Path, document: dict[str, Any], message: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, text, err = run_import(tmp_path, document, capsys)
    assert message in err
    assert code in (0, 1) and text is not None


def test_ten_megabyte_strings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = "A" * 10_000_000
    component = {"id": huge, "name": huge, "type": huge, "parent": {"trustZone": huge}}
    document = hostile(project={"name": huge, "id": "p", "description": huge}, components=[component])
    code, text, err = run_import(tmp_path, document, capsys)
    assert code in (0, 1) and text is not None and len(text) < 1_000_000
    assert "characters long; cut to" in err


@pytest.mark.parametrize(
    "raw",
    ["{not json", "[]", '{"project": 3}', "[" * 100000 + "]" * 100000, "\udcff"],
    ids=["syntax", "list", "project", "deep", "utf8"],
)
def test_unreadable_documents_exit_2(tmp_path: Path, raw: str, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.json"
    source.write_bytes(raw.encode("utf-8", errors="surrogateescape"))
    assert main(["import", "otm", str(source), "-o", str(tmp_path / "x.tm")]) == 2
    err = capsys.readouterr().err
    assert "error[E601]" in err and "Traceback" not in err
    assert not (tmp_path / "x.tm").exists()


def test_ids_that_are_not_tmdiag_ids_and_keywords(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    zone = {"trustZone": "2ab4effa-40b7-4cd2-ba81-8247d29a6f2d"}
    document = hostile(components=[
        {"id": "process", "name": "Process", "type": "process", "parent": zone},
        {"id": "9lives", "name": "Nine", "type": "process", "parent": zone},
        {"id": "x y", "name": "Nine", "type": "process", "parent": zone},
    ], dataflows=[{"id": "d", "name": "D", "source": "process", "destination": "9lives"}])  # fmt: skip
    code, text, err = run_import(tmp_path, document, capsys)
    assert code == 0, err
    assert "process process_1" in text and "process nine " in text and "process nine_2" in text
    assert "d: process_1 -> nine " in text


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "otm", str(tmp_path / "none.json")]) == 2
    existing = tmp_path / "m.tm"
    existing.write_text("", encoding="utf-8")
    source = tmp_path / "in.json"
    source.write_text(json.dumps(FOREIGN), encoding="utf-8")
    assert main(["import", "otm", str(source), "-o", str(existing)]) == 2
    assert "exists; pass --force" in capsys.readouterr().err


def test_edges_a_user_met(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What a user found importing OTM from other tools: each is imported, or reported where it is."""
    zone = {"trustZone": "2ab4effa-40b7-4cd2-ba81-8247d29a6f2d"}
    document = hostile(components=[
        # a description some tools keep in `attributes` (was: dropped silently)
        {"id": "api", "name": "API", "type": "web-service", "parent": zone,
         "attributes": {"description": "Public order API"}},
        # wrong types (was: accepted, 42 as a label, a list as a type)
        {"id": "n42", "name": 42, "type": ["list"], "parent": zone},
        {"id": "web-service", "name": "Web Service", "type": "web-service", "parent": zone,
         "threats": [{"threat": "t1", "state": "exposed",
                      "mitigations": [{"mitigation": "m1", "state": "required"},
                                      {"mitigation": "m2", "state": "implemented"}]}]},
    ], mitigations=[{"name": "Mitigation 1", "id": "m1", "riskReduction": 50},
                    {"name": "Mitigation 2", "id": "m2", "riskReduction": 50}],
        dataflows=[])  # fmt: skip
    document["trustZones"][0]["risk"]["trustRating"] = float("inf")  # 1e400 in the JSON text
    raw = json.dumps(document).replace("Infinity", "1e400")
    code, text, err = run_import(tmp_path, document, capsys, raw=raw)
    assert code == 0, err  # drafted; the problems are warnings
    assert 'description: "Public order API"' in text
    assert "`name` should be a string, not a number (42); left out" in err
    assert "`type` should be a string, not a list; drafted as a process" in err
    assert "`trustRating` should be a number from 0 to 100, not inf; left out" in err
    assert "trust: untrusted" not in text.split("boundary private")[0]  # was: 1e400 → untrusted
    assert 'control m2 "Mitigation 2"' in text and "on: [web-service]" in text  # implemented: a control
    assert "control m1 " not in text  # required: not in place (was: a control)
    assert '# not in place yet (OTM mitigation state), so no control there: m1 "Mitigation 1" on web-service ' \
           "(required)" in text  # fmt: skip
    assert "m1` is not implemented on web-service (state `required`)" in err
    assert err.count("`name` should be a string") == 1  # each problem once


def test_a_cycle_of_zones_is_reported_at_a_zone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = hostile(trustZones=[
        {"id": "a", "name": "A", "risk": {"trustRating": 10}, "parent": {"trustZone": "b"}},
        {"id": "b", "name": "B", "risk": {"trustRating": 10}, "parent": {"trustZone": "a"}},
    ], components=[])  # fmt: skip
    raw = json.dumps(document, indent=2)
    code, _, err = run_import(tmp_path, document, capsys, raw=raw)
    assert code == 1  # a cycle is an error, broken in the draft
    line = next(i for i, text in enumerate(raw.splitlines(), 1) if text.strip() == '"id": "a",')
    assert f"in.otm.json:{line}:" in err.split("error[E604]")[0].splitlines()[-1]  # was: 1:1


@pytest.mark.parametrize(
    ("raw", "message"),
    [('{"project": "x"}', "`project` should be an object with `name` and `id`, not a string"),
     ('{"otmVersion": "0.2.0"}', "it has no `project` (an OTM document has `otmVersion` and `project`; this one "
                                 "has `otmVersion`)"),
     ("[1]", "the document should be an object with `otmVersion` and `project`, not a list")],
)  # fmt: skip
def test_not_otm_says_what_is_wrong(tmp_path: Path, raw: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.json"
    source.write_text(raw, encoding="utf-8")
    assert main(["import", "otm", str(source), "-o", str(tmp_path / "x.tm")]) == 2
    assert f"not an OTM document: {message}" in capsys.readouterr().err  # was: "an object with `project` is expected"


def test_each_format_has_its_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt, own, other in (("otm", "import otm model.otm.json", "--var-file"), ("terraform", "--var-file", "otm")):
        with pytest.raises(SystemExit):
            main(["import", fmt, "--help"])
        text = capsys.readouterr().out
        assert own in text and other not in text.partition("examples:")[2]  # was: every format's examples
