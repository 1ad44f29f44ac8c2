"""axe-core on every kind of page, at a desk and on a phone: no critical or serious violation.

axe-core is a test-only asset (`make axe` vendors it into build/vendor/axe-core/; the site never
ships it): it is injected into the page as it was served, after the page's own scripts ran, so
what it judges is what a reader with a screen reader or a keyboard meets.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import AXE, PAGE_KINDS, Served

pytestmark = pytest.mark.browser

BLOCKING = {"critical", "serious"}


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations of the page as it is now."""
    if not AXE.is_file():
        pytest.fail(f"no axe-core at {AXE}: run `make axe`", pytrace=False)
    page.add_script_tag(path=str(AXE))
    # Tables off screen are not laid out (content-visibility: auto): axe measures every one.
    page.add_style_tag(
        content=".md-typeset table, .md-typeset .rb-chunk { content-visibility: visible }"
    )
    return page.evaluate("axe.run(document).then(r => r.violations)")  # type: ignore[no-any-return]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and node: impact, rule, help, the node's selector."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            lines.append(f"{v['impact']} {v['id']}: {v['help']} at {node['target']}")
    return "\n".join(lines)


def assert_nothing_blocking(page: Page) -> None:
    """No critical or serious violation on *page* as it is now."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_no_serious_violations(
    kind: str, sized: tuple[str, BrowserContext], project_web: Served
) -> None:
    _, context = sized
    page = context.new_page()
    page.goto(project_web.url + PAGE_KINDS[kind], wait_until="networkidle")
    assert_nothing_blocking(page)


def test_incident_mode_no_serious_violations(context: BrowserContext, project_web: Served) -> None:
    """Incident mode adds ticks, a clock, a timeline: they are judged too."""
    page = context.new_page()
    page.goto(project_web.url + PAGE_KINDS["runbook"], wait_until="networkidle")
    page.click(".rb-start")
    assert_nothing_blocking(page)


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_dark_scheme_no_serious_violations(
    kind: str, sized: tuple[str, BrowserContext], project_web: Served
) -> None:
    """The dark scheme's colours are judged too (contrast above all)."""
    _, context = sized
    page = context.new_page()
    page.emulate_media(color_scheme="dark")
    page.goto(project_web.url + PAGE_KINDS[kind], wait_until="networkidle")
    assert_nothing_blocking(page)
