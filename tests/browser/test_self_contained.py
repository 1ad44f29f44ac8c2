"""Every page, in a real Chromium: no request leaves the site, every diagram is drawn, no script error."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import Served

pytestmark = pytest.mark.browser


def mermaid_blocks(site: Path, url: str, served: Served) -> int:
    """How many diagrams the page's HTML holds (before Material replaces them)."""
    path = urlsplit(url).path.removeprefix(urlsplit(served.url).path)
    html = site / (path + "index.html" if path.endswith("/") or not path else path)
    return html.read_text(encoding="utf-8").count('<pre class="mermaid">')


def drawn_diagrams(page: Page) -> list[float]:
    """Heights of the diagrams Material drew (each into a closed shadow root of a div.mermaid)."""
    page.wait_for_function("document.querySelectorAll('pre.mermaid').length === 0")
    return page.eval_on_selector_all(
        "div.mermaid", "els => els.map(e => e.getBoundingClientRect().height)"
    )


def visit_every_page(context: BrowserContext, served: Served) -> dict[str, list[str]]:
    """Load each page of the site in turn; returns the URLs each one requested."""
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    by_page: dict[str, list[str]] = {}
    for url in served.pages():
        start = len(requests)
        page.goto(url, wait_until="networkidle")
        heights = drawn_diagrams(page)
        assert len(heights) == mermaid_blocks(served.site, url, served), url
        assert all(h > 100 for h in heights), (url, heights)
        by_page[url] = requests[start:]
    assert errors == []
    return by_page


def foreign(requests: dict[str, list[str]], origin: str) -> list[str]:
    return sorted({r for urls in requests.values() for r in urls if not r.startswith(origin)})


@pytest.mark.parametrize("site", ["fixture_web", "project_web"])
def test_no_request_leaves_the_site(
    site: str, context: BrowserContext, request: pytest.FixtureRequest, artifacts: Path
) -> None:
    served: Served = request.getfixturevalue(site)
    requests = visit_every_page(context, served)
    assert len(requests) >= 6  # home, three indexes, runbooks, 404
    assert foreign(requests, served.url) == []
    counts = {url.removeprefix(served.url) or "/": len(urls) for url, urls in requests.items()}
    (artifacts / f"requests-{site}.json").write_text(json.dumps(counts, indent=2))


def test_offline_site_from_disk(fixture_offline: Path, context: BrowserContext) -> None:
    """Opened from file://: diagrams drawn and search answers, with nothing fetched from a network."""
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto((fixture_offline / "runbooks" / "db-connections.html").as_uri())
    assert len(drawn_diagrams(page)) == 1
    assert any(link.endswith("#idle-connections") for link in search(page, "pg_stat_activity")[:3])
    assert [r for r in requests if not r.startswith("file://")] == []


def search(page: Page, query: str) -> list[str]:
    """Type *query* into Material's search box; returns the result links, best first."""
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(query)
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(
        "el => /matching|No matching/.test(el.textContent)", arg=meta.element_handle()
    )
    page.wait_for_timeout(300)  # results follow the last keystroke
    return page.eval_on_selector_all(
        ".md-search-result__list a.md-search-result__link", "els => els.map(e => e.href)"
    )
