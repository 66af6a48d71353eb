"""How legible `tmdiag diagram` is on realistic generated models (`realistic.py`), with render times.

For each size: the pictures drawn (one, or an overview plus one view per boundary), the least legible
of them (aspect, smallest text at fit in a 1600 × 1000 viewport, overlapping labels), how many miss a
target (text >= 8 px, aspect within 1:3 … 3:1, no overlaps) and the seconds to render them all.
"""

from __future__ import annotations

import time

import legibility
import realistic

SIZES = [20, 50, 100, 300, 600]


def run(sizes: list[int] | None = None) -> list[dict[str, object]]:
    from tmdiag.api import loads
    from tmdiag.diagram import render

    results: list[dict[str, object]] = []
    print(f"{'elements':>8} {'flows':>6} {'pictures':>9}  {'worst aspect':>12} {'text px':>8} {'overlaps':>8}"
          f"  {'missing':>7}  {'seconds':>7}")  # fmt: skip
    for size in sizes or SIZES:
        model = loads(realistic.realistic(size))
        start = time.perf_counter()
        diagram = render(model, fmt="svg", warn=False)
        seconds = time.perf_counter() - start
        pictures = [diagram.data, *(data for _, data in diagram.views)]
        measures = [legibility.measure(p) for p in pictures]
        worst, missing = legibility.worst(measures)
        overlaps = sum(m.overlaps for m in measures)
        shown = "1" if len(pictures) == 1 else f"1+{len(pictures) - 1}"
        print(f"{size:>8} {len(model.flows):>6} {shown:>9}  {worst.ratio():>12} {worst.text_px:>8.1f} {overlaps:>8}"
              f"  {missing:>7}  {seconds:>7.2f}", flush=True)  # fmt: skip
        row = {"elements": size, "pictures": len(pictures), "aspect": worst.aspect, "text_px": worst.text_px}
        results.append(row | {"overlaps": overlaps, "missing": missing, "seconds": seconds})
    return results


if __name__ == "__main__":
    run()
