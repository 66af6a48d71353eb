"""Build a report with `tmdiag report` (a waited-for child: its time is measured), then open every
HTML page it wrote in headless Chromium (Debian's, through Playwright) and time it. Prints one JSON
object on its last line: the size of report.html and of the largest page, the `load` event and first
paint of report.html and the slowest page, and how long one keystroke in report.html's threat filter
(or the first threats page's) takes to show its result.

    python report_load.py MODEL TMDIAG OUT [--pages N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
# navigation timing: `load` event end and first (contentful) paint, ms from the navigation's start
TIMING = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByType("paint");
  const first = paint.find(p => p.name === "first-paint") || paint[0];
  return {load: nav.loadEventEnd, paint: first ? first.startTime : nav.loadEventEnd};
}"""
# one character typed into the filter box: time until the shown count changed and the page was laid out
KEYSTROKE = """async () => {
  const box = document.getElementById("filter-text"), count = document.getElementById("filter-count");
  if (!box || !count) { return -1; }
  const before = count.textContent, start = performance.now();
  box.value = "e1"; box.dispatchEvent(new Event("input"));
  await new Promise(done => {
    const check = () => (count.textContent !== before || performance.now() - start > 60000)
      ? requestAnimationFrame(() => { void document.body.offsetHeight; setTimeout(done, 0); })
      : setTimeout(check, 5);
    check();
  });
  return performance.now() - start;
}"""


def open_page(browser: Any, path: Path, keystroke: bool) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(600_000)
    page.goto(path.resolve().as_uri(), wait_until="load")
    timing: dict[str, float] = page.evaluate(TIMING)
    if keystroke:
        timing["keystroke"] = page.evaluate(KEYSTROKE)
    context.close()
    return timing


def main() -> int:
    cli = argparse.ArgumentParser()
    cli.add_argument("model", type=Path)
    cli.add_argument("tmdiag")
    cli.add_argument("out", type=Path)
    cli.add_argument("--pages", type=int, default=3, help="besides report.html, open the N largest pages")
    args = cli.parse_args()
    argv = [args.tmdiag, "report", str(args.model), "-o", str(args.out), "--today", "2026-11-30", "-q"]
    done = subprocess.run(argv, check=False)
    if done.returncode not in (0, 1):
        return done.returncode
    from playwright.sync_api import sync_playwright

    main_page = args.out / "report.html"
    others = sorted((p for p in args.out.glob("*.html") if p != main_page), key=lambda p: (-p.stat().st_size, p.name))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        first = open_page(browser, main_page, keystroke=True)
        rest = [open_page(browser, p, keystroke=False) for p in others[: args.pages]]
        threat_pages = sorted(args.out.glob("threats-*.html"))
        if first["keystroke"] < 0 and threat_pages:
            first["keystroke"] = open_page(browser, threat_pages[0], keystroke=True)["keystroke"]
        browser.close()
    mb = 1024 * 1024
    result = {
        "report.html MB": round(main_page.stat().st_size / mb, 2),
        "pages": len(others) + 1,
        "largest page MB": round(max([main_page, *others], key=lambda p: p.stat().st_size).stat().st_size / mb, 2),
        "load ms": round(first["load"]),
        "first paint ms": round(first["paint"]),
        "slowest other page load ms": round(max((r["load"] for r in rest), default=0)),
        "filter keystroke ms": round(first["keystroke"]),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
