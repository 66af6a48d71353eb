"""The HTML report in a real browser (Debian chromium through Playwright; never `playwright install`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian chromium is not installed (make test-deps)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


class Page:
    """A page that records console errors and fails every request other than the report file itself."""

    def __init__(self, browser: Any, report: Path, *, folder: bool = False):
        self.url = report.resolve().as_uri()
        self.folder = report.resolve().parent.as_uri() + "/" if folder else None  # its linked pages too
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(5000)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        page = url.split("#", 1)[0]
        if page == self.url or (self.folder and page.startswith(self.folder) and "/" not in page[len(self.folder) :]):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def open(self) -> Any:
        self.page.goto(self.url)
        return self.page


@pytest.fixture()
def example_page(browser: Any, example_dir: Path) -> Iterator[Page]:
    page = Page(browser, example_dir / "report.html")
    yield page
    page.context.close()


def test_opens_offline_without_errors(example_page: Page, tmp_path: Path) -> None:
    page = example_page.open()
    sync_api.expect(page.locator("h1")).to_contain_text("Checkout")
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert example_page.errors == []
    assert example_page.requests == []


def test_diagram_node_opens_the_element_section(example_page: Page) -> None:
    page = example_page.open()
    node = page.locator('#diagram ~ figure svg a[href="#el-db"], figure.diagram svg a[*|href="#el-db"]').first
    node.click()
    assert page.url.endswith("#el-db")
    sync_api.expect(page.locator("section#el-db")).to_be_in_viewport()
    sync_api.expect(page.locator("section#el-db h3")).to_contain_text("Orders DB")


def test_threat_links_to_its_element_and_back_to_the_diagram(example_page: Page) -> None:
    page = example_page.open()
    threat = page.locator("article.threat").first
    threat_id = threat.get_attribute("id")
    assert threat_id and threat_id.startswith("threat-")
    target = threat.locator(".meta a").first
    href = target.get_attribute("href")
    assert href and (href.startswith("#el-") or href.startswith("#flow-"))
    target.click()
    sync_api.expect(page.locator(href)).to_be_in_viewport()
    # the element's own section lists this threat
    if href.startswith("#el-"):
        sync_api.expect(page.locator(f'{href} a[href="#{threat_id}"]')).to_have_count(1)
    threat.locator('a[href="#diagram"]').click()
    sync_api.expect(page.locator("#diagram")).to_be_in_viewport()


def test_element_section_links_its_flows(example_page: Page) -> None:
    page = example_page.open()
    page.locator('section#el-web a[href^="#flow-"]').first.click()
    sync_api.expect(page.locator('tr[id^="flow-"]:target')).to_be_in_viewport()


def test_filter_script_hides_threats(example_page: Page) -> None:
    page = example_page.open()
    total = page.locator("article.threat").count()
    assert total > 0
    sync_api.expect(page.locator("#threat-filters")).to_be_visible()
    page.select_option("#filter-status", "mitigated")
    visible = page.locator("article.threat:visible").count()
    assert visible < total
    assert page.locator('article.threat:visible[data-status="open"]').count() == 0


def test_readable_without_javascript(browser: Any, example_dir: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((example_dir / "report.html").resolve().as_uri())
    assert page.locator("article.threat:visible").count() == page.locator("article.threat").count() > 0
    sync_api.expect(page.locator("#threat-filters")).to_be_hidden()
    context.close()


def test_hostile_labels_run_no_script(browser: Any, hostile_dir: Path, tmp_path: Path) -> None:
    hostile = Page(browser, hostile_dir / "report.html")
    page = hostile.open()
    for link in page.locator("figure.diagram svg a").all()[:8]:
        link.dispatch_event("mouseover")
    page.locator("h1").hover()
    assert page.evaluate("window.__pwned") is None
    sync_api.expect(page.locator("h1")).to_contain_text("<script>window.__pwned = 1</script>")
    page.screenshot(path=str(tmp_path / "hostile.png"))
    assert hostile.requests == []
    assert hostile.errors == []
    hostile.context.close()


def test_top_open_risks_follow_the_overview_and_link_to_the_plan(example_page: Page) -> None:
    """Issue 17 item 8: right after the overview, each owner's worst open risks with due date and
    ticket; the remediation plan is one click from the top."""
    page = example_page.open()
    order = page.evaluate("""() => ["overview", "top-risks", "team", "plan"].map(
        id => document.getElementById(id).getBoundingClientRect().top + window.scrollY)""")
    assert order == sorted(order)
    table = page.locator("table.top-risks")
    sync_api.expect(table).to_be_visible()
    sync_api.expect(table.locator("thead")).to_contain_text("Due")
    sync_api.expect(table).to_contain_text("PAY-151")  # bob's in-progress risk with its ticket
    first = table.locator('tbody a[href^="#threat-"]').first
    href = first.get_attribute("href")
    first.click()
    sync_api.expect(page.locator(f"article{href}")).to_be_in_viewport()
    page.goto(example_page.url)
    page.locator('p.jump a[href="#plan"]').click()
    sync_api.expect(page.locator("#plan")).to_be_in_viewport()


@pytest.fixture()
def paged_page(browser: Any, paged_dir: Path) -> Iterator[Page]:
    page = Page(browser, paged_dir / "report.html", folder=True)
    yield page
    page.context.close()


def test_paged_report_opens_offline_and_marks_overdue_risks(paged_page: Page) -> None:
    page = paged_page.open()
    sync_api.expect(page.locator("h1")).to_contain_text("Checkout")
    overdue = page.locator("table.top-risks .badge", has_text="overdue")
    sync_api.expect(overdue.first).to_be_visible()  # due 2027-01-15, the report is for 2027-06-01
    sync_api.expect(page.locator("#plan ~ h3 .badge", has_text="overdue").first).to_be_visible()
    assert paged_page.errors == [] and paged_page.requests == []


def test_paged_report_element_index_opens_the_element_page_and_its_threats(paged_page: Page) -> None:
    page = paged_page.open()
    link = page.locator('tr#el-db a[href*="elements-"]')
    link.click()
    assert "/elements-" in page.url and page.url.endswith("#el-db")
    sync_api.expect(page.locator("section#el-db h3")).to_contain_text("Orders DB")
    threat = page.locator('section#el-db a[href*="threats-"][href*="#threat-"]').first
    href = threat.get_attribute("href")
    assert href
    threat.click()
    anchor = href.split("#", 1)[1]
    assert "/threats-" in page.url
    sync_api.expect(page.locator(f"article#{anchor}")).to_be_in_viewport()
    # and back: the finding's target opens the element's section on its page
    page.locator(f"article#{anchor} .meta a").first.click()
    sync_api.expect(page.locator("section#el-db")).to_be_in_viewport()
    assert paged_page.errors == [] and paged_page.requests == []


def test_paged_report_diagram_view_links_into_the_pages(paged_page: Page) -> None:
    page = paged_page.open()
    page.locator('a[href^="boundary-"]').first.click()
    assert "/boundary-" in page.url
    node = page.locator('figure.diagram svg a[*|href*="#el-"]').first
    node.click()
    sync_api.expect(page.locator("section.element:target")).to_be_in_viewport()
    assert paged_page.errors == [] and paged_page.requests == []


def test_paged_threats_filter_is_incremental(browser: Any, paged_dir: Path) -> None:
    first = Page(browser, paged_dir / "threats-1.html")
    try:
        page = first.open()
        total = page.locator("article.threat").count()
        sync_api.expect(page.locator("#filter-count")).to_have_text(f"{total} of {total}")
        page.locator("#filter-text").press_sequentially("orders d", delay=20)  # debounced: one pass at the end
        sync_api.expect(page.locator("#filter-count")).not_to_have_text(f"{total} of {total}", timeout=20_000)
        shown = page.locator("article.threat:visible")
        assert 0 < shown.count() < total
        assert all("orders d" in text.lower() for text in shown.all_inner_texts())
        page.locator("#filter-text").fill("")
        sync_api.expect(page.locator("#filter-count")).to_have_text(f"{total} of {total}", timeout=20_000)
        page.select_option("#filter-risk", "high")
        assert page.locator('article.threat:visible:not([data-risk="high"])').count() == 0
        assert first.errors == []
    finally:
        first.context.close()
