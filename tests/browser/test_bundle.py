"""The go-bag in a real Chromium, opened from disk (file://) as someone would when the site is
down: nothing but the file is loaded, and search, fill-in, copy, incident mode and the flow
work in it, at desktop and phone size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, BrowserContext, Page

from generator.cli import main
from tests.browser.conftest import VENDOR, _require_vendor
from tests.browser.test_axe import BLOCKING, axe_violations, describe
from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
RUNBOOK = "db-connections"  # tests/fixtures/valid/full.yaml


def make(out: Path, *sources: Path, options: tuple[str, ...] = ()) -> Path:
    result = CliRunner().invoke(
        main, ["bundle", "--today", "2026-11-23", *options, str(out), *map(str, sources)]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def fixture_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("bundle") / "go-bag.html", FIXTURES / "valid")


@pytest.fixture(scope="module")
def project_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("bundle") / "runbooks.html", ROOT / "runbooks")


@pytest.fixture(scope="module")
def mermaid_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/render's runbooks (one has a sequence diagram) with the real mermaid."""
    _require_vendor()
    sources = [FIXTURES / "render", FIXTURES / "valid" / "severity.yaml"]
    sources.append(FIXTURES / "valid" / "contacts.yaml")
    options = ("--mermaid", "--vendor-dir", str(VENDOR))
    return make(tmp_path_factory.mktemp("bundle") / "drawn.html", *sources, options=options)


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context
    context.close()


def opened(context: BrowserContext, bundle: Path, query: str = "") -> tuple[Page, list[str]]:
    """A page of *bundle* from disk; the URLs of every request the context makes from now."""
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(bundle.as_uri() + query)
    assert errors == []
    return page, requests


def elsewhere(requests: list[str], bundle: Path) -> list[str]:
    """Requests for anything but the file itself (any query) and data:/blob: URLs."""
    own = bundle.as_uri()
    return [
        r
        for r in requests
        if r.split("?")[0].split("#")[0] != own and not r.startswith(("data:", "blob:"))
    ]


def test_nothing_but_the_file_is_loaded(project_bundle: Path, browser: Browser) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page, requests = opened(context, project_bundle)
    for link in page.eval_on_selector_all("nav a[data-rb-runbook]", "as => as.map(a => a.href)"):
        page.goto(link)
        page.wait_for_selector("article h1")
    assert len(requests) == 6  # the list, then each of the five runbooks
    assert elsewhere(requests, project_bundle) == []
    context.close()


def test_search_finds_a_runbook(fixture_bundle: Path, context: BrowserContext) -> None:
    page, requests = opened(context, fixture_bundle)
    page.fill("#rb-b-search", "pg_stat_activity")
    first = page.locator("#rb-b-results a").first
    assert first.get_attribute("href") == f"?_runbook={RUNBOOK}"
    links = page.eval_on_selector_all("#rb-b-results a", "as => as.map(a => a.href)")
    assert any(link.endswith(f"?_runbook={RUNBOOK}#idle-connections") for link in links)
    page.locator("#rb-b-results a[href$='#idle-connections']").click()
    page.wait_for_selector("#idle-connections")
    assert page.url.endswith("#idle-connections")
    assert page.title().startswith("Database connection exhaustion")
    # On the runbook, "/" searches again, and a result on it is an anchor: no reload.
    page.keyboard.press("/")
    page.keyboard.type("pg_stat_activity")
    assert page.locator("#rb-b-results a").first.get_attribute("href") == f"#{RUNBOOK}"
    assert elsewhere(requests, fixture_bundle) == []


def copy_of(page: Page, starting: str) -> str:
    """Click the copy button of the command that starts with *starting*; the clipboard's text."""
    block = page.locator("pre", has=page.locator(f"code:text-matches('^{starting}')")).first
    block.locator("button.rb-b-copy").click()
    return str(page.evaluate("navigator.clipboard.readText()"))


def test_fill_in_and_copy(fixture_bundle: Path, context: BrowserContext) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page, _ = opened(context, fixture_bundle, f"?_runbook={RUNBOOK}")
    assert copy_of(page, "kubectl logs") == "kubectl logs <pod-name> -n <namespace> --previous"
    if not page.locator("details.rb-vars[open]").count():
        page.locator("details.rb-vars > summary").click()
    page.fill("input[data-rb-var=namespace]", "payments")
    page.fill("input[data-rb-var=pod-name]", "api-7d9f-abcde")
    assert copy_of(page, "kubectl logs") == "kubectl logs api-7d9f-abcde -n payments --previous"
    # The URL keeps the values, and a link with them fills the page, from disk as on the site.
    assert "namespace=payments" in page.url
    page, _ = opened(context, fixture_bundle, f"?_runbook={RUNBOOK}&namespace=billing")
    assert "billing" in page.locator("code:text-matches('^kubectl get events')").inner_text()


def test_incident_ticks_survive_a_reload(fixture_bundle: Path, context: BrowserContext) -> None:
    page, _ = opened(context, fixture_bundle, f"?_runbook={RUNBOOK}")
    page.locator("button.rb-start").click()
    box = page.locator("li.task-list-item input[type=checkbox]").first
    box.check()
    ticked = page.locator(".rb-ticked").count()
    assert ticked >= 1
    page.reload()
    assert page.locator("li.task-list-item input[type=checkbox]").first.is_checked()
    assert page.locator(".rb-ticked").count() == ticked
    assert page.locator("body.rb-incident-on").count() == 1


def test_flow_is_drawn(fixture_bundle: Path, context: BrowserContext) -> None:
    page, _ = opened(context, fixture_bundle, f"?_runbook={RUNBOOK}")
    svg = page.locator("svg.rb-b-flow")
    assert svg.count() == 1
    texts = svg.locator("text").all_text_contents()
    for label in ("Alert fires", "Auto-recovery?", "Monitor"):
        assert label in texts
    box = svg.bounding_box()
    assert box is not None and box["width"] > 150 and box["height"] > 200


def test_phone_size_is_usable(fixture_bundle: Path, phone: BrowserContext) -> None:
    page, requests = opened(phone, fixture_bundle, f"?_runbook={RUNBOOK}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    sizes = page.eval_on_selector_all(
        "button.rb-b-copy", "bs => bs.map(b => [b.offsetWidth, b.offsetHeight])"
    )
    assert sizes and all(w >= 44 and h >= 44 for w, h in sizes)
    # The list of runbooks folds above the page; opened, it leads to another section.
    page.locator("#rb-b-nav > summary").click()
    assert page.locator("#rb-b-toc a[href='#rb-flow']").is_visible()
    svg = page.locator("svg.rb-b-flow").bounding_box()
    assert svg is not None and svg["width"] <= PHONE["width"]
    assert elsewhere(requests, fixture_bundle) == []


def test_packed_mermaid_draws_a_diagram(mermaid_bundle: Path, context: BrowserContext) -> None:
    """With --mermaid, a runbook's own diagram is drawn from the packed script (a blob: URL),
    still under 2 MB and with nothing loaded from elsewhere."""
    assert mermaid_bundle.stat().st_size < 2_000_000
    page, requests = opened(context, mermaid_bundle, "?_runbook=constructs")
    page.wait_for_selector(".rb-b-diagram--drawn .rb-b-drawn svg")
    texts = page.locator(".rb-b-drawn svg text").all_text_contents()
    assert "API" in texts and "Replica" in texts
    assert page.locator(".rb-b-diagram-source").is_hidden()
    assert any(r.startswith("blob:") for r in requests)
    assert elsewhere(requests, mermaid_bundle) == []


@pytest.mark.parametrize(
    ("viewport", "scheme"),
    [(DESKTOP, "light"), (PHONE, "light"), (PHONE, "dark")],
    ids=["desktop", "phone", "phone-dark"],
)
def test_no_serious_axe_violations(
    project_bundle: Path, browser: Browser, viewport: dict[str, int], scheme: str
) -> None:
    """axe-core on the list and on a runbook in incident mode, search results open; in the
    reader's dark scheme too (contrast)."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    for query in ("", "?_runbook=inflow-incident-response", "?_runbook=hotswap-incident-response"):
        page, _ = opened(context, project_bundle, query)
        if query:
            page.click(".rb-start")
        page.fill("#rb-b-search", "restart")
        blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
        assert not blocking, f"{query}: {describe(blocking)}"
        dark = page.locator("body[data-md-color-scheme=slate]").count()
        assert dark == (scheme == "dark")
    context.close()


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots(
    project_bundle: Path, browser: Browser, artifacts: Path, size: str, viewport: dict[str, int]
) -> None:
    """Screenshots to look at (tests/artifacts/): the list, and a runbook at its flow."""
    context = browser.new_context(viewport=viewport)
    page, _ = opened(context, project_bundle)
    page.screenshot(path=str(artifacts / f"bundle-home-{size}.png"))
    page.goto(project_bundle.as_uri() + "?_runbook=inflow-incident-response")
    page.screenshot(path=str(artifacts / f"bundle-runbook-{size}.png"))
    page.goto(project_bundle.as_uri() + "?_runbook=inflow-incident-response#rb-flow")
    page.screenshot(path=str(artifacts / f"bundle-flow-{size}.png"))
    page.fill("#rb-b-search", "restart")
    page.screenshot(path=str(artifacts / f"bundle-search-{size}.png"))
    assert page.locator("#rb-b-results a").count() > 0
    context.close()
