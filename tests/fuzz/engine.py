"""The fuzzer: mutated models (from the conformance corpus and the examples) and generated valid
models, each run through what `check`, `fmt`, `threats`, `diagram --format dot` and `report` do.

An input passes when every stage answers with a result or positioned diagnostics; anything else is
a finding: an exception (`crash`), a formatter that changes the model or is not stable (`crash`
via UnsafeFormat), output that is not XML-safe or not parseable (`bad-output`), a generated model
that does not validate (`invalid-generated`), or an input slower than SLOW_SECONDS (`slow`).
Everything is seeded: the same seed and count give the same inputs.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import random
import re
import string
import time
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tmdiag import pipeline
from tmdiag.diagnostics import Diagnostic, Severity
from tmdiag.fmt import SyntaxProblems, format_text
from tmdiag.lint import lint
from tmdiag.lint.config import LintConfig
from tmdiag.model import schema
from tmdiag.output.diagnostics import render_text
from tmdiag.semantics import threatlib

ROOT = Path(__file__).resolve().parents[2]
SLOW_SECONDS = 10.0
DAY = datetime.date(2026, 11, 27)
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# ---- seeds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    text: str
    root: Path  # imports resolve against the seed's own folder
    name: str


def seeds() -> list[Seed]:
    paths = sorted((ROOT / "dsl/conformance").rglob("*.tm")) + sorted((ROOT / "examples").glob("*.tm"))
    found = []
    for path in paths:
        text = path.read_bytes().decode("utf-8", errors="replace")
        if len(text) <= 50_000:  # the 20 KB word and the like: mutated they only get slower, not new
            found.append(Seed(text, path.parent, str(path.relative_to(ROOT))))
    return found


# ---- mutation ---------------------------------------------------------------------------------

_TOKEN = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"|#[^\n]*|[A-Za-z_][\w-]*|\d[\w.-]*|->|\s+|.', re.DOTALL)
PIECES = (
    "{", "}", "[", "]", "(", ")", ":", ",", "->", '"', "#", "\n", "\r\n", "\\", "\\n", "\\u", "reply", "boundary",
    "process", "data", "when:", "risk", "import", "model", "team", "-", ".", "0", "-1", "2026-13-99", "2026-02-29",
    "9999-12-31", "90x", "0d", "99999999999999999999", "9" * 5000, "1" * 18, "1.5e9", "0.0000000001", "1e", "x" * 300,
    "a-", "-a", "a--b", "\x00", "\x0b", "\x1b[31m", "\x07", "\x08", "\x0c", "\x7f", "\x85", "\x9b", "\ufffe",
    "\ufdd0", "\U0010ffff", "\ud800", "\u202e", "\u2066", "\u2069", "\u200f", "\u2028", "\ufeff", "é", "日本",
    "שלום", "😀", "<script>alert(1)</script>", "{{ 7*7 }}", "{% include 'x' %}", "]]>", "-->", "=cmd|' /C calc'!A0",
    "javascript:alert(1)", "&amp;", "%0A", "${HOME}", "../../etc/passwd", '"std/aws.tm"', '"lib/shared.tm"',
    "not", "and", "or", "in", "==", ">=", "crosses", "enters", "exits", "true", "false",
)  # fmt: skip


def mutate(seed: Seed, rng: random.Random, others: list[Seed]) -> str:
    text = seed.text
    for _ in range(rng.randint(1, 6)):
        tokens = _TOKEN.findall(text) or [""]
        i, j = rng.randrange(len(tokens)), rng.randrange(len(tokens))
        op = rng.choice(("delete", "insert", "duplicate", "swap", "char", "splice", "repeat", "truncate"))
        if op == "delete":
            del tokens[i]
        elif op == "insert":
            tokens.insert(i, rng.choice(PIECES))
        elif op == "duplicate":
            tokens.insert(i, tokens[j])
        elif op == "swap":
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif op == "char":
            token = tokens[i]
            k = rng.randrange(len(token) + 1)
            tokens[i] = token[:k] + _random_char(rng) + token[k + 1 :]
        elif op == "splice":  # a piece of another file
            other = _TOKEN.findall(rng.choice(others).text) or [""]
            a = rng.randrange(len(other))
            tokens[i:i] = other[a : a + rng.randint(1, 40)]
        elif op == "repeat":
            tokens[i:i] = tokens[i : i + rng.randint(1, 8)] * rng.randint(2, 60)
        else:
            tokens = tokens[: i + 1]
        text = "".join(tokens)
    return text


def _random_char(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        return rng.choice(string.printable)
    if kind < 0.8:
        return rng.choice(PIECES)[:1] or "x"
    return chr(rng.randrange(0x110000))


# ---- generation of valid models ------------------------------------------------------------------

_TEXTS = (
    "Checkout web app", "R&D shop <v2>", "Alice Ng", "\u05e9\u05dc\u05d5\u05dd web", "\u0645\u0631\u062d\u0628\u0627",
    "\u65e5\u672c\u8a9e", "emoji \U0001f600 ok", "<script>window.x=1</script>", "{{ environment }}",
    "{% raw %}", "| pipe | cell |", "*bold* _it_ `code`", "line one\\nline two", "tab\\there", 'quote \\" inside',
    "back\\\\slash", "=SUM(A1:A9)", "@cmd", "+1 -1", "]]> --> <!--", "javascript:alert(1)", "https://example.org/x",
    "x" * 400, "", " leading and trailing ", "# heading", "1. numbered", "$x$ ~~strike~~ ^sup^", "a\u2028b",
)  # fmt: skip
_CONDITIONS = {
    "flow": ("not encrypted and crosses boundary", "data.classification >= secret", "protocol == \"http\"",
             "port in [80, 8080]", "enters internet or exits prod", "not authenticated"),
    "datastore": ("public", "not encrypted_at_rest", "kind == s3 and not versioning", "trust < high"),
    "process": ("not validates_input", "boundary.trust == untrusted", "not (hardened or least_privilege)"),
}  # fmt: skip


class _Ids:
    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set(["internet", "prod"])

    def new(self, prefix: str) -> str:
        while True:
            candidate = f"{prefix}{self.rng.randrange(10_000)}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate


def generate(rng: random.Random) -> str:
    """A random model that must load without errors: every kind of statement, values of every type."""
    ids = _Ids(rng)
    out: list[str] = []
    members = [ids.new("m") for _ in range(rng.randint(0, 4))]
    data = [ids.new("d") for _ in range(rng.randint(0, 4))]
    refs: dict[str, list[str]] = {"member": members, "data": data, "element": [], "boundary": ["internet", "prod"],
                                  "control": [], "agent": [], "flow": []}  # fmt: skip
    header = _attributes(rng, "model", refs, 0.5)
    out.append(f"model {_string(rng)} {{ {header} }}" if rng.random() < 0.8 else "")
    if members:
        roles = list(schema.ROLES)
        team = [f"  {m} {_string(rng)} {rng.choice(roles)}" for m in members]
        out.append("team {\n" + "\n".join(team) + "\n}")
    for d in data:
        out.append(f"data {d} {_string(rng)} {{ {_attributes(rng, 'data', refs, 0.5)} }}")
    elements: list[tuple[str, str]] = []

    def boundary(bid: str, depth: int) -> str:
        body = [_attributes(rng, "boundary", refs, 0.4)]
        for _ in range(rng.randint(0, 4)):
            kind = rng.choice(schema.ELEMENT_KINDS)
            eid = ids.new(kind[:2])
            elements.append((eid, kind))
            body.append(f"  {kind} {eid} {_string(rng)} {{ {_attributes(rng, kind, refs, 0.15)} }}")
        if depth < 4 and rng.random() < 0.5:
            child = ids.new("b")
            refs["boundary"].append(child)
            body.append(boundary(child, depth + 1))
        return f"boundary {bid} {_string(rng)} {{\n" + "\n".join(body) + "\n}"

    out.append(boundary("internet", 1))
    out.append(boundary("prod", 1))
    for _ in range(rng.randint(0, 3)):
        kind = rng.choice(schema.ELEMENT_KINDS)
        eid = ids.new(kind[:2])
        elements.append((eid, kind))
        out.append(f"{kind} {eid} {_string(rng)}")
    refs["element"] = [e for e, _ in elements]
    for _ in range(rng.randint(0, 2)):
        aid = ids.new("ag")
        refs["agent"].append(aid)
        out.append(f"threat_agent {aid} {_string(rng)} {{ {_attributes(rng, 'threat_agent', refs, 0.5)} }}")
    flow_ids: list[str] = []
    if elements:
        for _ in range(rng.randint(0, 8)):
            (a, _), (b, _) = rng.choice(elements), rng.choice(elements)
            name = ""
            if rng.random() < 0.3:
                name = ids.new("f")
                flow_ids.append(name)
                name += ": "
            reply = f" reply {_string(rng)}" if rng.random() < 0.2 else ""
            out.append(f"{name}{a} -> {b} {_string(rng)} {{ {_attributes(rng, 'flow', refs, 0.15)} }}{reply}")
    refs["flow"] = flow_ids
    threat_ids = sorted(threatlib.catalogue())
    for _ in range(rng.randint(0, 2)):
        if not refs["element"]:
            break
        cid = ids.new("c")
        on = ", ".join(rng.sample(refs["element"], k=min(len(refs["element"]), rng.randint(1, 2))))
        owner = f", owner: {rng.choice(members)}" if members and rng.random() < 0.5 else ""
        out.append(f"control {cid} {_string(rng)} {{ on: [{on}], mitigates: [{rng.choice(threat_ids)}]{owner} }}")
        refs["control"].append(cid)
    if refs["element"] and members:
        for _ in range(rng.randint(0, 2)):
            target = rng.choice(refs["element"])
            threat = rng.choice(threat_ids)
            owner = rng.choice(members)
            status = rng.choice(("open", "accepted", "transferred", "avoided", "false_positive"))
            extra = {"open": f"due: {_date(rng)}", "accepted": f"owner: {owner}, until: {_date(rng)}, justification: "
                     f"{_string(rng)}"}.get(status, f"owner: {owner}, justification: {_string(rng)}")  # fmt: skip
            out.append(f"risk {threat} on {target} {{ status: {status}, {extra} }}")
    for _ in range(rng.randint(0, 2)):
        on = f" {{ on: [{rng.choice(refs['element'])}] }}" if refs["element"] else ""
        out.append(f"assume {_string(rng)}{on}")
    for _ in range(rng.randint(0, 2)):
        target = rng.choice(sorted(_CONDITIONS))
        severity = rng.choice(("low", "medium", "high", "very_high"))
        out.append(f"rule {ids.new('ORG')} {_string(rng)} {{ severity: {severity}, targets: [{target}], "
                   f"when: {rng.choice(_CONDITIONS[target])}, references: {_string(rng)} }}")  # fmt: skip
    rng.shuffle(out)  # declaration order does not matter
    return "\n".join(out) + "\n"


def _string(rng: random.Random) -> str:
    return '"' + rng.choice(_TEXTS) + '"'


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2000, 2099)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _attributes(rng: random.Random, kind: str, refs: dict[str, list[str]], share: float) -> str:
    chosen = []
    for attr in schema.SCHEMAS[kind]:
        if kind == "model" and attr.name == "rules":
            continue  # `replace` with no rules is valid but empties the analysis; keep pytm's library
        if rng.random() > share:
            continue
        value = _value(rng, attr, refs)
        if value is not None:
            chosen.append(f"{attr.name}: {value}")
    return ", ".join(chosen)


def _value(rng: random.Random, attr: schema.Attr, refs: dict[str, list[str]]) -> str | None:
    kind = attr.type
    if kind == schema.BOOL:
        return rng.choice(("true", "false"))
    if kind == schema.INT:
        return str(rng.randint(0, 1000))
    if kind == schema.STR:
        return _string(rng)
    if kind in (schema.ENUM, schema.TLS):
        return rng.choice(attr.values)
    if kind == schema.DATE:
        return _date(rng)
    if kind == schema.DURATION:
        return rng.choice(("36h", "90d", "12w", "1y", "100y"))
    if kind in (schema.REF, schema.REFS):
        pool = refs.get(attr.ref or "", [])
        if not pool:
            return None
        picked = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
        return picked[0] if kind == schema.REF else "[" + ", ".join(picked) + "]"
    if kind == schema.STRS:
        return "[" + ", ".join(_string(rng) for _ in range(rng.randint(0, 3))) + "]"
    if kind == schema.INGRESS:
        return rng.choice(('["10.0.0.0/16:443"]', '["0.0.0.0/0:22", "::/0:80-90"]', '["192.168.1.0/24:*"]'))
    if kind == schema.PORT:
        return str(rng.randint(0, 65535))
    if kind == schema.ICON:
        return rng.choice(("aws.ec2", "k8s.pod", "gcp.compute.gce", "azure.vm", "generic.rack", "aws.nope"))
    return None  # threat ids: only in controls, assumptions and risks, written above


# ---- running one input -------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # ok | diagnostics | crash | bad-output | invalid-generated | slow
    signature: str = ""
    detail: str = ""
    seconds: float = 0.0


def run_one(text: str, root: Path, *, generated: bool = False, analyse: bool = True) -> Outcome:
    start = time.perf_counter()
    try:
        outcome = _run(text, root, generated, analyse)
    except Exception as error:  # a crash: its type and the innermost tmdiag frame
        outcome = Outcome("crash", _signature(error), "".join(traceback.format_exception(error))[-3000:])
    outcome.seconds = time.perf_counter() - start
    if outcome.kind in ("ok", "diagnostics") and outcome.seconds > SLOW_SECONDS:
        outcome = Outcome("slow", "slow", f"{outcome.seconds:.1f} s", outcome.seconds)
    return outcome


def _run(text: str, root: Path, generated: bool, analyse: bool) -> Outcome:
    name = "fuzz.tm"
    loaded = pipeline.load_text(text, name, root)
    problems = _positions(text, loaded.diagnostics, name)
    if problems:
        return Outcome("bad-output", "diagnostic outside the file", problems)
    for d in loaded.diagnostics:
        render_text(d, loaded.sources)
    errors = [d for d in loaded.diagnostics if d.severity >= Severity.ERROR]
    if generated and errors:
        return Outcome("invalid-generated", errors[0].code, "\n".join(render_text(d, loaded.sources) for d in errors))
    with contextlib.suppress(SyntaxProblems):  # verifies the result means the same model and is stable
        format_text(text, name)  # (UnsafeFormat otherwise: a crash here)
    model = loaded.model
    if model is None:
        return Outcome("diagnostics")
    if not any(d.code.startswith("E0") for d in loaded.diagnostics):
        for d in lint(model, LintConfig(), today=DAY):
            render_text(d, model.sources)
    if errors:
        return Outcome("diagnostics")
    from tmdiag.diagram import render

    dot = render(model, fmt="dot").data.decode("utf-8")
    if _XML_UNSAFE.search(dot):
        return Outcome("bad-output", "unsafe character in DOT", repr(_XML_UNSAFE.search(dot)))
    if not analyse:
        return Outcome("ok")
    analysis = pipeline.analyze(loaded, today=DAY, lint=LintConfig())
    built = pipeline.report(analysis, draw=False)
    for file_name, data in built.files.items():
        decoded = data.decode("utf-8")
        if _XML_UNSAFE.search(decoded):
            return Outcome("bad-output", f"unsafe character in {file_name}", file_name)
        if file_name.endswith(".svg"):
            ET.fromstring(decoded)
        if file_name.endswith(".json"):
            json.loads(decoded)
    return Outcome("ok" if not loaded.diagnostics else "diagnostics")


def _positions(text: str, diagnostics: tuple[Diagnostic, ...], path: str) -> str:
    lines = text.removeprefix("\ufeff").split("\n")
    for d in diagnostics:
        if d.span.path != path:
            continue
        line_ok = 1 <= d.span.line <= len(lines)
        if not line_ok or not 1 <= d.span.column <= len(lines[d.span.line - 1].removesuffix("\r")) + 1:
            return f"{d.code} at {d.span.line}:{d.span.column}: {d.message}"
    return ""


def _signature(error: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "/tmdiag/" in f.filename.replace("\\", "/")]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(error).__name__}@{where}"


# ---- a campaign -------------------------------------------------------------------------------------


@dataclass
class Report:
    count: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    findings: dict[str, tuple[str, str]] = field(default_factory=dict)  # signature -> (input, detail)
    seconds: float = 0.0
    slowest: float = 0.0

    def add(self, text: str, outcome: Outcome) -> None:
        self.count += 1
        self.outcomes[outcome.kind] = self.outcomes.get(outcome.kind, 0) + 1
        self.slowest = max(self.slowest, outcome.seconds)
        if outcome.kind not in ("ok", "diagnostics"):
            key = f"{outcome.kind}: {outcome.signature}"
            if key not in self.findings or len(text) < len(self.findings[key][0]):  # keep the smallest input
                self.findings[key] = (text, outcome.detail)

    @property
    def failed(self) -> bool:
        return bool(self.findings)


def inputs(seed: int, count: int, generated_share: float = 0.05) -> Iterator[tuple[str, Path, bool]]:
    """`count` inputs: mutated seeds and generated models, reproducible from `seed`."""
    rng = random.Random(seed)
    pool = seeds()
    for _ in range(count):
        if rng.random() < generated_share:
            yield generate(rng), ROOT / "examples", True
        else:
            base = rng.choice(pool)
            yield mutate(base, rng, pool), base.root, False


def campaign(
    seed: int,
    count: int,
    *,
    analyse_every: int = 1,
    generated_share: float = 0.05,
    progress: Callable[[int, Report], None] | None = None,
) -> Report:
    """Run `count` inputs; threats and report (pytm: ~0.25 s a model) on every `analyse_every`-th."""
    report = Report()
    run_one((ROOT / "examples/checkout.tm").read_text(encoding="utf-8"), ROOT / "examples")  # imports pytm & co.
    start = time.perf_counter()
    for index, (text, root, generated) in enumerate(inputs(seed, count, generated_share)):
        outcome = run_one(text, root, generated=generated, analyse=index % analyse_every == 0)
        report.add(text, outcome)
        if progress is not None:
            progress(index + 1, report)
    report.seconds = time.perf_counter() - start
    return report


def work(job: tuple[int, int, int, float]) -> Report:
    """One chunk of a parallel campaign (a module-level function: worker processes import it)."""
    seed, count, analyse_every, generated_share = job
    return campaign(seed, count, analyse_every=analyse_every, generated_share=generated_share)
