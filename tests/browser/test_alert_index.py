"""The alert index in Chromium: filtered by a name typed as an alert shows it, and its link
opens the procedure that answers it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import Served, _serve, build
from tests.conftest import FIXTURES, make_project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def alerts_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    runbooks = sorted((FIXTURES / "alerts" / "runbooks").glob("*.yaml"))
    yield from _serve(build(make_project(tmp_path_factory.mktemp("alerts-site"), runbooks)))


def test_the_alert_index_filters_and_leads_to_the_procedure(
    alerts_web: Served, context: BrowserContext, artifacts: Path
) -> None:
    page = context.new_page()
    page.goto(alerts_web.url + "alerts/")
    total = page.locator(".rb-alerts tbody tr").count()
    assert total == 17
    assert page.inner_text(".rb-filter-count") == "17 alerts"
    page.fill("input.rb-filter", "crashloop")
    rows = page.locator(".rb-alerts tbody tr:not([hidden])")
    assert rows.count() == 1
    assert page.inner_text(".rb-filter-count") == "1 of 17"
    page.screenshot(path=artifacts / "alerts-filter.png")
    rows.first.locator("a").click()
    page.wait_for_url("**/runbooks/pod-crashloop/#crash-looping")
    assert page.locator("#crash-looping").is_visible()
