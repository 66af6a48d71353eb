"""Generated systems for benchmarks: one neutral description, written as `.tm` text and built
directly as a pytm model (without tmdiag), so both tools work on the same system.

    spec = system(1000)          # ~1,000 elements, ~2 flows each, 10 nested boundaries
    text = to_tm(spec)           # .tm source
    tm = to_pytm(spec)           # pytm.TM with every element created (call check/resolve)
    script = to_pytm_script(spec)  # the same system as a plain pytm script (what a pytm user writes)
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = (  # (tm kind, pytm class, share of elements in percent)
    ("actor", "Actor", 5), ("process", "Process", 30), ("server", "Server", 20),
    ("lambda", "Lambda", 12), ("datastore", "Datastore", 20), ("external", "ExternalEntity", 5),
    ("llm", "LLM", 5), ("agent", "Agent", 3),
)  # fmt: skip
DATA = (("card", "secret", True), ("session", "sensitive", False), ("order", "restricted", True),
        ("catalog", "public", False), ("token", "secret", False))  # fmt: skip
TRUST = ("untrusted", "low", "medium", "high", "high", "high", "medium", "high", "high", "high")


@dataclass
class Spec:
    boundaries: list[tuple[str, str | None, str]] = field(default_factory=list)  # id, parent, trust
    elements: list[tuple[str, str, str]] = field(default_factory=list)  # id, kind, boundary
    flows: list[tuple[str, str, str, int, bool]] = field(default_factory=list)  # src, dst, data, port, enc


def system(n_elements: int, n_boundaries: int = 10, run: int = 1) -> Spec:
    """`run` consecutive elements share a boundary (element i is in boundary (i // run) % n_boundaries):
    with 76 boundaries, run=3 links ~3,300 pairs of boundaries at 3,000 elements, run=1 ~1,300."""
    spec = Spec()
    # internet at the top; then a tree: b1 holds b2..b4, each of those holds up to two more.
    spec.boundaries.append(("b0", None, TRUST[0]))
    for i in range(1, n_boundaries):
        parent = None if i == 1 else ("b1" if i <= 4 else f"b{2 + (i - 5) // 2}")
        spec.boundaries.append((f"b{i}", parent, TRUST[i % len(TRUST)]))
    pool = [kind for kind, _, share in KINDS for _ in range(share)]
    for i in range(n_elements):
        kind = pool[(i * 37) % len(pool)]
        boundary = spec.boundaries[(i // run) % n_boundaries][0]
        spec.elements.append((f"e{i}", kind, boundary))
    for i in range(n_elements):
        for step, offset in ((7, 1), (13, 5)):
            j = (i * step + offset) % n_elements
            if j != i:
                data = DATA[(i + j) % len(DATA)][0]
                spec.flows.append((f"e{i}", f"e{j}", data, 443 if (i + j) % 3 else 5432, (i + j) % 4 != 0))
    return spec


def to_tm(spec: Spec) -> str:
    out = [
        f'model "Generated {len(spec.elements)}" {{ scope: "benchmark", reviewed: 2026-11-01, review_every: 90d }}',
        'team { lead "Lead" security_lead  dev "Dev" developer  ops "Ops" sre  biz "Biz" business_owner }',
    ]
    for name, classification, pii in DATA:
        out.append(f'data {name} "{name.title()}" {{ classification: {classification}, pii: {str(pii).lower()} }}')
    children: dict[str | None, list[str]] = {}
    for bid, parent, _ in spec.boundaries:
        children.setdefault(parent, []).append(bid)
    trust = {bid: t for bid, _, t in spec.boundaries}
    members: dict[str, list[tuple[str, str]]] = {}
    for eid, kind, boundary in spec.elements:
        members.setdefault(boundary, []).append((eid, kind))

    def write(bid: str, indent: str) -> None:
        out.append(f'{indent}boundary {bid} "Boundary {bid}" {{')
        out.append(f"{indent}  trust: {trust[bid]}")
        for eid, kind in members.get(bid, []):
            out.append(f'{indent}  {kind} {eid} "Element {eid}"')
        for child in children.get(bid, []):
            write(child, indent + "  ")
        out.append(f"{indent}}}")

    for top in children.get(None, []):
        write(top, "")
    for src, dst, data, port, encrypted in spec.flows:
        out.append(
            f'{src} -> {dst} "{src} to {dst}" {{ protocol: https, port: {port}, data: [{data}], '
            f"encrypted: {str(encrypted).lower()} }}"
        )
    return "\n".join(out) + "\n"


def to_pytm(spec: Spec):  # type: ignore[no-untyped-def]
    """The same system as pytm objects. Resets pytm's class-level state first."""
    import pytm

    pytm.TM.reset()
    tm = pytm.TM(f"Generated {len(spec.elements)}", description="benchmark")
    classification = {c.name.lower(): c for c in pytm.Classification}
    data = {name: pytm.Data(name, classification=classification[cls], isPII=pii) for name, cls, pii in DATA}
    boundaries: dict[str, pytm.Boundary] = {}
    for bid, parent, _ in spec.boundaries:
        boundaries[bid] = pytm.Boundary(f"Boundary {bid}")
        if parent:
            boundaries[bid].inBoundary = boundaries[parent]
    classes = {kind: getattr(pytm, cls) for kind, cls, _ in KINDS}
    elements = {}
    for eid, kind, boundary in spec.elements:
        elements[eid] = classes[kind](f"Element {eid}", inBoundary=boundaries[boundary])
    for src, dst, name, port, encrypted in spec.flows:
        flow = pytm.Dataflow(elements[src], elements[dst], f"{src} to {dst}", protocol="https", dstPort=port)
        flow.data = [data[name]]
        flow.controls.isEncrypted = encrypted
    return tm


PYTM_SCRIPT_TAIL = """
# What to do: `python model.py [check|resolve|findings-json FILE|pytm-json FILE|report TEMPLATE|dfd]`.
# check: pytm's own validation; resolve: + enumerate findings; findings-json: + write the findings
# with their threat texts as indented JSON; pytm-json: + write the model and its findings the way
# `tm.process()`'s --json does; report: + render a report() template; dfd: print pytm's DOT.
work = sys.argv[1] if len(sys.argv) > 1 else "check"
tm.check()
if work == "dfd":
    print(tm.dfd())
    sys.exit(0)
if work != "check":
    tm.resolve()
if work == "findings-json":
    fields = ("id", "threat_id", "target", "severity", "likelihood", "description", "details", "mitigations",
              "example", "references", "condition")
    with open(sys.argv[2], "w", encoding="utf8") as out:
        json.dump({"findings": [{k: getattr(f, k) for k in fields} for f in tm.findings]}, out, indent=2)
elif work == "pytm-json":
    with open(sys.argv[2], "w", encoding="utf8") as out:
        json.dump(tm, out, default=to_serializable)
elif work == "report":
    # pytm 1.4.0's report() crashes when one Data is carried by 3+ flows (its deep copy hashes a
    # half-built Data): identity hashing lets the unchanged system render (bench/README.md).
    Data.__hash__ = object.__hash__
    print(tm.report(sys.argv[2]))
print(f"{len(tm.findings)} findings" if work != "check" else "checked", file=sys.stderr)
"""


def to_pytm_script(spec: Spec) -> str:
    """The system as a plain pytm script, one statement per boundary, element and flow, as a pytm
    user writes a model; it builds exactly what `to_pytm` builds. The tail is PYTM_SCRIPT_TAIL."""
    classes = sorted({cls for _, cls, _ in KINDS})
    out = [
        f'"""Generated {len(spec.elements)}: the benchmark system as a plain pytm script (bench/generate.py)."""',
        "import json",
        "import sys",
        "",
        f"from pytm import TM, Boundary, Classification, Data, Dataflow, {', '.join(classes)}",
        "from pytm.pytm import to_serializable",
        "",
        f'tm = TM("Generated {len(spec.elements)}", description="benchmark")',
    ]
    for name, classification, pii in DATA:
        out.append(f'{name} = Data("{name}", classification=Classification.{classification.upper()}, isPII={pii})')
    for bid, parent, _ in spec.boundaries:
        inside = f", inBoundary={parent}" if parent else ""
        out.append(f'{bid} = Boundary("Boundary {bid}"{inside})')
    pytm_class = {kind: cls for kind, cls, _ in KINDS}
    for eid, kind, boundary in spec.elements:
        out.append(f'{eid} = {pytm_class[kind]}("Element {eid}", inBoundary={boundary})')
    for src, dst, name, port, encrypted in spec.flows:
        flow = f'Dataflow({src}, {dst}, "{src} to {dst}", protocol="https", dstPort={port}, data=[{name}])'
        if encrypted:  # pytm's default is False
            out += [f"flow = {flow}", "flow.controls.isEncrypted = True"]
        else:
            out.append(flow)
    return "\n".join(out) + "\n" + PYTM_SCRIPT_TAIL


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="bench/generate.py",
        description="Write a generated system as a .tm model (the benchmarks' systems), or as a pytm script.",
        epilog="examples:\n  bench/generate.py 3000 -o big.tm\n"
        "  bench/generate.py 3000 --boundaries 76 --run 3 -o zoned.tm\n"
        "  bench/generate.py 300 --realistic -o site.tm      nested VPCs, mostly local flows (legibility)\n"
        "  bench/generate.py 1000 --pytm -o big_pytm.py      the same system as a plain pytm script",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("elements", type=int, help="number of elements (about two flows each)")
    parser.add_argument("--boundaries", type=int, default=10, help="trust boundaries (default 10)")
    parser.add_argument("--run", type=int, default=1, help="consecutive elements sharing a boundary (default 1)")
    parser.add_argument("--realistic", action="store_true", help="the legibility bench's realistic shape instead")
    parser.add_argument("--pytm", action="store_true", help="write a plain pytm script instead of .tm")
    parser.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    if args.realistic:
        from bench.realistic import realistic

        text = realistic(args.elements)
    else:
        spec = system(args.elements, args.boundaries, args.run)
        text = to_pytm_script(spec) if args.pytm else to_tm(spec)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # `bench.…` from a checkout
    raise SystemExit(main())
