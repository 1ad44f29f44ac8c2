"""Screenshots to look at (tests/artifacts/), and the printed runbook without navigation chrome."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import Served

pytestmark = pytest.mark.browser

RUNBOOK = "runbooks/compose-incident-response/"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(
    scheme: Literal["light", "dark"], project_web: Served, context: BrowserContext, artifacts: Path
) -> None:
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    page.goto(project_web.url, wait_until="networkidle")
    page.screenshot(path=artifacts / f"home-{scheme}.png", full_page=True)
    page.goto(project_web.url + RUNBOOK + "?service-name=notification", wait_until="networkidle")
    page.screenshot(path=artifacts / f"runbook-{scheme}.png")
    danger = page.locator(".admonition.danger")
    if danger.count():  # runbooks/ changes; the fixture's page is shot below either way
        danger.first.scroll_into_view_if_needed()
        page.screenshot(path=artifacts / f"runbook-danger-{scheme}.png")
    expected = "slate" if scheme == "dark" else "default"
    assert page.get_attribute("body", "data-md-color-scheme") == expected


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot_placeholders(
    scheme: Literal["light", "dark"], fixture_web: Served, context: BrowserContext, artifacts: Path
) -> None:
    """One variable filled from the URL, one left as a placeholder, one refused."""
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    page.goto(fixture_web.url + "runbooks/db-connections/?namespace=payments&pod-name=x")
    page.locator("#if-the-pod-crashed").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / f"placeholders-{scheme}.png")
    page.evaluate("window.scrollTo(0, 0)")
    page.fill("input[name=namespace]", "Not_Valid")
    page.mouse.move(0, 0)
    page.locator(".rb-vars").screenshot(path=artifacts / f"variables-invalid-{scheme}.png")


def test_print(fixture_web: Served, context: BrowserContext, artifacts: Path) -> None:
    page = context.new_page()
    page.goto(fixture_web.url + "runbooks/db-connections/", wait_until="networkidle")
    page.wait_for_function("document.querySelectorAll('pre.mermaid').length === 0")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    page.screenshot(path=artifacts / "runbook-print.png", full_page=True)
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator("details:not([open])").count() == 0
    assert page.locator("div.mermaid").first.bounding_box()["height"] > 100  # type: ignore[index]
    page.pdf(path=str(artifacts / "runbook.pdf"))
