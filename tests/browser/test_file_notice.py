"""The normal build opened from disk says so, and where the builds that work there are
(runbooks.js's `noticeOpenedFromDisk`); served over HTTP, the offline build from disk and the
one-file bundle say nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import BrowserContext, Page

from generator.cli import main
from tests.browser.conftest import Served
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

NOTICE = ".rb-file-notice"
RUNBOOK = "db-connections"  # tests/fixtures/valid/full.yaml


def loaded(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("article h1")
    return page


@pytest.mark.parametrize("path", ["index.html", f"runbooks/{RUNBOOK}/index.html"])
def test_normal_build_from_disk_says_so(
    fixture_web: Served, context: BrowserContext, path: str
) -> None:
    page = loaded(context, (fixture_web.site / path).as_uri())
    notice = page.locator(NOTICE)
    assert notice.count() == 1
    text = notice.inner_text()
    assert text.startswith("Opened from disk: search and some links do not work here.")
    assert "make site-offline" in text and "runbookgen bundle OUT.html" in text
    # At the top of the page, above its title.
    assert page.evaluate(
        "document.querySelector('.rb-file-notice').nextElementSibling.tagName"
    ) in ("H1", "A")


def test_served_site_says_nothing(fixture_web: Served, context: BrowserContext) -> None:
    for url in (fixture_web.url, f"{fixture_web.url}runbooks/{RUNBOOK}/"):
        assert loaded(context, url).locator(NOTICE).count() == 0


def test_offline_build_from_disk_says_nothing(
    fixture_offline: Path, context: BrowserContext
) -> None:
    for path in ("index.html", f"runbooks/{RUNBOOK}.html"):
        page = loaded(context, (fixture_offline / path).as_uri())
        assert page.locator(NOTICE).count() == 0


def test_bundle_from_disk_says_nothing(tmp_path: Path, context: BrowserContext) -> None:
    out = tmp_path / "go-bag.html"
    result = CliRunner().invoke(main, ["bundle", str(out), str(FIXTURES / "valid")])
    assert result.exit_code == 0, result.output
    for query in ("", f"?_runbook={RUNBOOK}"):
        page = loaded(context, out.as_uri() + query)
        assert page.locator(NOTICE).count() == 0
