"""The site as Zensical builds it (`runbookgen zensical`, pinned Zensical), in Chromium: no
request leaves the site, every diagram is drawn with the vendored mermaid, no script error, and
the page's variables fill its commands and their copy buttons as on the MkDocs site."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import VENDOR, Served, _serve
from tests.browser.test_commands import EVENTS, copy, open_runbook
from tests.browser.test_self_contained import foreign, visit_every_page
from tests.test_zensical import VALID, build, zensical_project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def zensical_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    vendor = tmp_path_factory.mktemp("vendor")
    shutil.copytree(VENDOR, vendor, dirs_exist_ok=True)
    project = zensical_project(tmp_path_factory.mktemp("zensical") / "z", *VALID, vendor=vendor)
    yield from _serve(build(project))


def test_nothing_leaves_the_site_and_every_diagram_is_drawn(
    zensical_web: Served, context: BrowserContext
) -> None:
    requests = visit_every_page(context, zensical_web)
    assert len(requests) >= 6
    assert foreign(requests, zensical_web.url) == []


def test_variables_fill_the_commands_they_copy(
    zensical_web: Served, context: BrowserContext, artifacts: Path
) -> None:
    page = open_runbook(context, zensical_web, "?namespace=payments")
    assert page.input_value("input[name=namespace]") == "payments"
    assert copy(page, "kubectl get events") == EVENTS.format(namespace="payments")
    page.screenshot(path=artifacts / "zensical-runbook.png")
