"""Hostile text in every free-text field runs nothing and shows as written (issue 17, security suite).

Every (field, payload) pair of tests/security/hostile.py is rendered: 10 models, each field holding
two payloads, and one model with a 10,000-character text in every field. Checked: report.html in
Chromium with its Content-Security-Policy stripped (escaping must hold alone), report.md rendered
by CommonMark (markdown-it-py) and Python-Markdown and opened in Chromium, the standalone dfd.svg
in Chromium, the threats CSV in a spreadsheet's eyes, a real `mkdocs build` with the
mkdocs-macros plugin, and the bidi isolation of every word on the page. The checks compare with a
baseline report of the same model holding plain text, so they keep holding when the templates
change.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
from markdown_it import MarkdownIt

from tests.security import hostile
from tmdiag import pipeline
from tmdiag.cli import main
from tmdiag.model.text import BIDI_CONTROLS

TODAY = datetime.date(2026, 11, 27)
P, F = hostile.PAYLOADS, hostile.fields()
MODELS = (len(P) + 1) // 2  # model k: field j holds payloads 2k+j and 2k+j+1 (mod P): every pair once
# Text is compared without bidi controls: tmdiag adds isolates around model text and closes what it opens.
INVISIBLE = dict.fromkeys(map(ord, BIDI_CONTROLS))


def assignment(k: int) -> Any:
    return lambda f: P[(F.index(f) + 2 * k) % len(P)] + " ~ " + P[(F.index(f) + 2 * k + 1) % len(P)]


def shown(payload: str) -> str:
    """A payload as a reader sees it: the .tm escapes decoded, whitespace collapsed."""
    value = payload.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"').replace("\\\\", "\\")
    return " ".join(value.translate(INVISIBLE).split())


@dataclass
class Case:
    name: str
    folder: Path
    files: dict[str, bytes]


def _render(name: str, text: str, folder: Path) -> Case:
    loaded = pipeline.load_text(text, f"{name}.tm", folder)
    assert loaded.errors == (), [d.message for d in loaded.errors][:3]
    built = pipeline.report(pipeline.analyze(loaded, today=TODAY), draw=True)
    target = folder / name
    target.mkdir()
    for file, data in built.files.items():
        (target / file).write_bytes(data)
    (target / "model.tm").write_text(text, encoding="utf-8")
    return Case(name, target, dict(built.files))


@pytest.fixture(scope="module")
def risk() -> tuple[str, str]:
    """A decision that applies (its justification and ticket are fields too)."""
    loaded = pipeline.load_text(hostile.model_text(lambda f: "x"), "r.tm")
    finding = next(f for f in pipeline.analyze(loaded, today=TODAY, lint=False).findings if f.target_id == "e_process")
    return finding.threat_id, finding.target_id


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, risk: tuple[str, str]) -> Case:
    return _render("baseline", hostile.model_text(lambda f: "plain text", risk), tmp_path_factory.mktemp("b"))


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory, risk: tuple[str, str]) -> list[Case]:
    folder = tmp_path_factory.mktemp("hostile")
    return [_render(f"m{k}", hostile.model_text(assignment(k), risk), folder) for k in range(MODELS)]


@pytest.fixture(scope="module")
def long_case(tmp_path_factory: pytest.TempPathFactory, risk: tuple[str, str]) -> Case:
    return _render("long", hostile.model_text(lambda f: hostile.LONG, risk), tmp_path_factory.mktemp("long"))


@pytest.fixture(scope="module")
def rendered_md(cases: list[Case]) -> dict[tuple[str, str], str]:
    """report.md of every case rendered by each Markdown renderer, once."""
    return {(renderer, case.name): RENDERERS[renderer](case.files["report.md"].decode())
            for renderer in RENDERERS for case in cases}  # fmt: skip


def test_every_field_holds_every_payload(cases: list[Case]) -> None:
    pairs = {(str(f), P[(F.index(f) + 2 * k + d) % len(P)]) for k in range(MODELS) for f in F for d in (0, 1)}
    assert len(pairs) == len(F) * len(P)
    assert len(F) >= 90 and len(P) >= 20
    assert len(cases) == MODELS


# ---- static checks: markup from model text ------------------------------------------------------


class Tags(HTMLParser):
    """Start tags and the attributes that could run code or load something."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.active: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            lowered = (value or "").strip().lower()
            if name.startswith("on"):
                self.active.append(f"<{tag} {name}=…>")
            elif (
                name in ("href", "src", "xlink:href", "action", "formaction", "data")
                and lowered.startswith(("javascript:", "data:text", "vbscript:"))
            ) or (name in ("src", "data", "srcset", "poster") and "evil.invalid" in lowered):
                self.active.append(f"<{tag} {name}={value!r}>")


def tags(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def assert_no_new_markup(html: str, baseline_html: str, where: str) -> None:
    found, base = tags(html), tags(baseline_html)
    assert found.active == [], f"{where}: {found.active[:5]}"
    extra = set(found.tags) - set(base.tags) - {"a"}  # links: a reference may hold a real https URL
    assert extra == set(), f"{where}: markup from model text: {extra}"
    assert found.tags["script"] == base.tags["script"], f"{where}: script elements"
    assert found.tags["img"] == base.tags["img"] and found.tags["svg"] == base.tags["svg"], where


def test_report_html_holds_no_markup_from_the_model(cases: list[Case], baseline: Case) -> None:
    for case in cases:
        assert_no_new_markup(case.files["report.html"].decode(), baseline.files["report.html"].decode(), case.name)


def test_standalone_svg_holds_nothing_active(cases: list[Case]) -> None:
    for case in cases:
        svg = case.files["dfd.svg"].decode()
        found = tags(svg)
        assert found.active == [] and not {"script", "foreignobject", "iframe", "image"} & set(found.tags), case.name


RENDERERS = {
    "commonmark": lambda text: MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text),
    "python-markdown": lambda text: markdown.markdown(text, extensions=["tables"]),
}


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_report_md_renders_as_inert_text_in_both_renderers(
    renderer: str, cases: list[Case], baseline: Case, rendered_md: dict[tuple[str, str], str]
) -> None:
    base = RENDERERS[renderer](baseline.files["report.md"].decode())
    for case in cases:
        html = rendered_md[renderer, case.name]
        assert_no_new_markup(html, base, f"{case.name} via {renderer}")
        text = _text(html)
        for payload in P:
            assert shown(payload) in text, f"{case.name} via {renderer}: {payload!r} does not show as written"


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_markdown_tables_keep_their_columns(
    renderer: str, cases: list[Case], baseline: Case, rendered_md: dict[tuple[str, str], str]
) -> None:
    """A `|` from model text never adds a cell: every row has the baseline's number of cells."""
    want = [len(r) for r in _rows(RENDERERS[renderer](baseline.files["report.md"].decode()))]
    for case in cases:
        assert [len(r) for r in _rows(rendered_md[renderer, case.name])] == want, case.name


def test_a_10000_character_text_in_every_field_renders_everywhere(long_case: Case, baseline: Case) -> None:
    """Long labels are shortened in the diagram (Graphviz refuses strings over 16 KB) and kept whole
    in the report; nothing fails, nothing is dropped."""
    html = long_case.files["report.html"].decode()
    assert_no_new_markup(html, baseline.files["report.html"].decode(), "long")
    assert html.count(hostile.LONG) > 50
    assert long_case.files["report.md"].decode().count(hostile.LONG) > 50
    svg = long_case.files["dfd.svg"].decode()
    assert "L" * 200 in svg and hostile.LONG not in svg  # drawn, shortened
    assert "The diagram was not drawn" not in html


def _rows(html: str) -> list[list[str]]:
    return [re.findall(r"<t[dh]\b", row) for row in re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL)]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).translate(INVISIBLE).split())


def _page(body: str) -> str:
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{body}</body></html>'


# ---- GitHub issues (threats --format github) ------------------------------------------------------


ISSUE_TAGS = {"p", "table", "thead", "tbody", "tr", "th", "td", "strong", "code", "details", "summary", "ul", "li",
              "em"}  # fmt: skip


def test_github_issue_bodies_are_inert_markdown(cases: list[Case], capsys: pytest.CaptureFixture[str]) -> None:
    """Issue bodies are Markdown on GitHub: model text makes no markup, no mention, no extra cell."""
    import json

    gfm = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for case in cases:
        for group in ("owner", "risk"):
            args = ["threats", str(case.folder / "model.tm"), "--format", "github", "--group", group]
            assert main([*args, "--today", "2026-11-27"]) in (0, 1)
            issues = json.loads(capsys.readouterr().out)
            assert issues
            for issue in issues:
                html = gfm.render(issue["body"])
                found = tags(html)
                assert found.active == [] and set(found.tags) <= ISSUE_TAGS, (case.name, set(found.tags))
                assert "@" not in issue["body"], (case.name, "a mention")
                widths = {len(r) for r in _rows(html)}
                assert len(widths) <= 1, (case.name, "a cell added by model text")


# ---- the threats CSV ---------------------------------------------------------------------------


def test_csv_cells_never_start_a_formula(cases: list[Case], capsys: pytest.CaptureFixture[str]) -> None:
    for case in cases:
        assert main(["threats", str(case.folder / "model.tm"), "--format", "csv", "--today", "2026-11-27"]) in (0, 1)
        rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
        assert len(rows) > 10
        for row in rows[1:]:
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (case.name, cell[:60])


# ---- Chromium, with the Content-Security-Policy removed --------------------------------------------

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')
_WATCH = """
window.__dialogs = [];
window.alert = window.confirm = window.prompt = function (m) { window.__dialogs.push(String(m)); };
"""
# Every word of four or more ASCII letters outside model text must read left to right: a bidi control
# leaking out of a label reverses the words after it (the "02 erocs · hgih_yrev tcapmi" of issue 17).
_REVERSED_WORDS = """
(skip) => {
  const bad = [];
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const mixed = new Map();  // block -> does it hold anything but ASCII (only then can a word be reversed)
  let node;
  while ((node = walker.nextNode())) {
    const text = node.nodeValue;
    const block = node.parentElement && node.parentElement.closest("p,li,td,th,dd,dt,h1,h2,h3,h4,h5,h6,div,text,g");
    if (!block) continue;
    if (!mixed.has(block)) mixed.set(block, /[^\x00-\x7f]/.test(block.textContent));
    if (!mixed.get(block)) continue;
    const re = /[A-Za-z]{4,}/g;
    let m;
    while ((m = re.exec(text))) {
      if (skip.some(s => s.includes(m[0]))) continue;
      range.setStart(node, m.index); range.setEnd(node, m.index + 1);
      const first = range.getBoundingClientRect();
      range.setStart(node, m.index + m[0].length - 1); range.setEnd(node, m.index + m[0].length);
      const last = range.getBoundingClientRect();
      if (first.width && last.width && Math.abs(first.top - last.top) < 2 && first.left > last.left) {
        bad.push(m[0]);
        if (bad.length > 20) return bad;
      }
    }
  }
  return bad;
}
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian chromium is not installed (make test-deps)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        yield launched
        launched.close()


class Visitor:
    """One browser page that opens files offline and reports what ran, what was fetched and which
    words read backwards. Only the file and the files beside it (the report's own) may load."""

    def __init__(self, browser: Any):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.allowed: set[str] = set()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.add_init_script(_WATCH)

    def _route(self, route: Any) -> None:
        if route.request.url.split("#")[0] in self.allowed:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def visit(self, path: Path) -> dict[str, Any]:
        self.allowed = {p.resolve().as_uri() for p in path.parent.iterdir()}
        self.requests, self.errors = [], []
        page = self.page
        page.goto(path.resolve().as_uri())
        page.mouse.move(700, 10)
        page.mouse.move(700, 900, steps=5)  # over what is on screen: `onmouseover` must have nowhere to fire
        return {
            "pwned": page.evaluate("window.__pwned === undefined ? null : String(window.__pwned)"),
            "dialogs": page.evaluate("window.__dialogs"),
            "root": page.evaluate("document.documentElement.localName"),
            "parsererror": page.evaluate("document.getElementsByTagName('parsererror').length"),
            "reversed": page.evaluate(_REVERSED_WORDS, [shown(p) for p in P]),
            "requests": list(self.requests),
            "errors": list(self.errors),
            "text": page.evaluate("(document.body || document.documentElement).textContent || ''"),
        }


@pytest.fixture
def visitor(browser: Any) -> Iterator[Visitor]:
    visiting = Visitor(browser)
    yield visiting
    visiting.context.close()


def assert_inert(result: dict[str, Any], where: str) -> None:
    assert result["pwned"] is None, f"{where}: ran {result['pwned']}"
    assert result["dialogs"] == [] and result["errors"] == [], f"{where}: {result['dialogs']} {result['errors']}"
    assert result["requests"] == [], f"{where}: fetched {result['requests'][:3]}"
    assert result["reversed"] == [], f"{where}: words reversed by a bidi control: {result['reversed'][:10]}"


@pytest.mark.browser
def test_report_html_without_its_csp_runs_nothing_and_shows_the_text(visitor: Visitor, cases: list[Case]) -> None:
    for case in cases:
        stripped = case.folder / "report.no-csp.html"
        html = case.files["report.html"].decode()
        assert _CSP.search(html), "the report sets a Content-Security-Policy"
        stripped.write_text(_CSP.sub("", html), encoding="utf-8")
        result = visitor.visit(stripped)
        assert_inert(result, f"{case.name} report.html")
        text = " ".join(result["text"].translate(INVISIBLE).split())
        for payload in P:
            assert shown(payload) in text, f"{case.name}: {payload!r} is not shown as written"


@pytest.mark.browser
@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_report_md_rendered_runs_nothing_in_chromium(
    renderer: str, visitor: Visitor, cases: list[Case], rendered_md: dict[tuple[str, str], str]
) -> None:
    for case in cases:
        page = case.folder / f"report.{renderer}.html"
        page.write_text(_page(rendered_md[renderer, case.name]), encoding="utf-8")
        assert_inert(visitor.visit(page), f"{case.name} report.md via {renderer}")


@pytest.mark.browser
def test_the_report_with_10000_character_texts_opens_in_chromium(visitor: Visitor, long_case: Case) -> None:
    for name in ("report.html", "dfd.svg"):
        result = visitor.visit(long_case.folder / name)
        assert_inert(result, f"long {name}")
        assert hostile.LONG[-20:] in result["text"] or name == "dfd.svg"


@pytest.mark.browser
def test_standalone_svg_runs_nothing_in_chromium(visitor: Visitor, cases: list[Case]) -> None:
    for case in cases:
        result = visitor.visit(case.folder / "dfd.svg")
        assert result["root"] == "svg" and result["parsererror"] == 0, f"{case.name}: dfd.svg does not display"
        assert_inert(result, f"{case.name} dfd.svg")


@pytest.mark.browser
def test_a_member_named_with_an_override_reverses_nothing_around_her(visitor: Visitor, tmp_path: Path) -> None:
    """Issue 17's example: `"Alice\\u202e"` owns threats; every card must still read left to right."""
    text = (Path("examples/checkout.tm").read_text(encoding="utf-8")
            .replace('alice "Alice Ng"', 'alice "Alice\u202e"'))  # fmt: skip
    case = _render("alice", text, tmp_path)
    assert "Alice\u202e" not in case.files["report.html"].decode() and "Alice" in case.files["report.html"].decode()
    for name in ("report.html", "dfd.svg"):
        assert_inert(visitor.visit(case.folder / name), name)


# ---- a docs pipeline: mkdocs with the macros plugin ------------------------------------------------


def test_mkdocs_with_macros_shows_model_text_and_runs_none_of_it(cases: list[Case], tmp_path: Path) -> None:
    """mkdocs-macros renders every page as a Jinja template before Markdown: model text must survive
    it unexecuted (`{{ 7*7 }}` stays, `{{ environment }}` dumps nothing), and the page must build."""
    site = tmp_path / "site-src"
    (site / "docs").mkdir(parents=True)
    for case in cases:
        (site / "docs" / f"{case.name}.md").write_bytes(case.files["report.md"])
    (site / "mkdocs.yml").write_text("site_name: Threat models\nplugins:\n  - macros\n", encoding="utf-8")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    done = subprocess.run([str(mkdocs), "build", "-q", "-d", str(tmp_path / "out")], cwd=site,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    for case in cases:
        html = (tmp_path / "out" / case.name / "index.html").read_text(encoding="utf-8")
        assert "Macro Syntax Error" not in html, case.name
        built, plain = _text(html), _text(markdown.markdown(case.files["report.md"].decode(), extensions=["tables"]))
        for payload in ("{{ 7*7 }}", "{{ environment }}", "{% raw %}", "{# open comment", "R&D shop <v2>"):
            assert built.count(payload) >= plain.count(payload) > 0, (case.name, payload)  # + the page title


def test_language_server_hovers_show_labels_as_text() -> None:
    """Editors render hovers as Markdown: a label must not add a link (`command:` URIs), an image that
    phones home, or HTML."""
    from tmdiag.lsp.hover import describe

    label = "[run](command:workbench.action.terminal.new) ![t](http://evil.invalid/t.png) <img src=x> @team"
    loaded = pipeline.load_text(f'process web "{label}"\n', "h.tm")
    assert loaded.model is not None
    html = MarkdownIt("commonmark").render(describe(loaded.model, loaded.model.elements[0], None))
    assert set(tags(html).tags) <= {"p", "strong", "code"}, html
    assert shown(label) in _text(html)


def test_mermaid_in_report_md_holds_model_text_only_as_entities(cases: list[Case], baseline: Case) -> None:
    """`report --diagram-format mermaid` puts the diagram in report.md as Mermaid code, where Markdown
    escaping does not apply: labels are Mermaid entities, no bidi control, nothing that ends the
    fence or a string, and no `click` line beyond tmdiag's own."""

    def mermaid(text: str) -> tuple[str, ...]:
        loaded = pipeline.load_text(text, "m.tm")
        md = pipeline.report(pipeline.analyze(loaded, today=TODAY), draw=True, mermaid=True).files["report.md"]
        return tuple(re.findall(r"```mermaid\n(.*?)```", md.decode(), re.DOTALL))

    base = mermaid((baseline.folder / "model.tm").read_text(encoding="utf-8"))
    assert base, "report.md holds a Mermaid diagram"
    for case in cases:
        blocks = mermaid((case.folder / "model.tm").read_text(encoding="utf-8"))
        assert len(blocks) == len(base), case.name
        for block, plain in zip(blocks, base, strict=True):
            assert not set(block) & (BIDI_CONTROLS - {"\u2068", "\u2069"}), case.name
            clicks = [line.strip() for line in block.splitlines() if line.strip().startswith("click ")]
            assert len(clicks) == plain.count("click "), case.name
            assert all(re.fullmatch(r'click \w+ href "#[\w.:-]+"( "[^"]*")?( _\w+)?', c) for c in clicks), case.name
            assert len(block.splitlines()) == len(plain.splitlines()), f"{case.name}: a label added a line"


# ---- a big report's linked pages (tmdiag.report.pages) -------------------------------------------


@pytest.fixture(scope="module")
def paged_cases(tmp_path_factory: pytest.TempPathFactory, risk: tuple[str, str]) -> list[Case]:
    """Two hostile models rendered as a big model's report is: split into linked pages (page sizes
    shrunk so that every kind of page exists)."""
    from tmdiag.report import pages

    folder = tmp_path_factory.mktemp("hostile-pages")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"PAGED_ABOVE": 0, "THREATS_PER_PAGE": 10, "ELEMENTS_PER_PAGE": 2, "FLOWS_PER_PAGE": 2,
                            "PLAN_ROWS_PER_PAGE": 10}.items():  # fmt: skip
            patch.setattr(pages, name, value)
        return [_render(f"p{k}", hostile.model_text(assignment(k), risk), folder) for k in range(2)]


def test_every_page_of_a_big_report_holds_no_markup_from_the_model(paged_cases: list[Case], baseline: Case) -> None:
    base = tags(baseline.files["report.html"].decode())
    for case in paged_cases:
        names = [n for n in case.files if n.endswith(".html")]
        assert len(names) > 5 and any(n.startswith("threats-") for n in names)
        for name in names:
            found = tags(case.files[name].decode())
            assert found.active == [], f"{case.name}/{name}: {found.active[:5]}"
            assert set(found.tags) - set(base.tags) - {"a"} == set(), f"{case.name}/{name}"
            assert found.tags["script"] == 1, f"{case.name}/{name}: script elements"


@pytest.mark.browser
def test_every_page_without_its_csp_runs_nothing(visitor: Visitor, paged_cases: list[Case]) -> None:
    for case in paged_cases:
        for name in sorted(n for n in case.files if n.endswith(".html")):
            html = case.files[name].decode()
            assert _CSP.search(html), f"{name} sets a Content-Security-Policy"
            (case.folder / name).write_text(_CSP.sub("", html), encoding="utf-8")
            assert_inert(visitor.visit(case.folder / name), f"{case.name} {name}")
