"""Search finds what people type: command fragments and symptoms, the procedure first."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import Served
from tests.browser.test_self_contained import search

pytestmark = pytest.mark.browser


def sections(links: list[str]) -> list[str]:
    """The section results (page#anchor), best first, without the query string."""
    return [link.split("?")[0] + "#" + link.split("#")[1] for link in links if "#" in link]


@pytest.mark.parametrize(
    ("query", "anchor"),
    [
        ("pg_stat_activity", "idle-connections"),  # a command identifier, whole
        ("stat_activity", "idle-connections"),  # ... and in part
        ("connection timeouts", "idle-connections"),  # a symptom
        ("pg_terminate_backend", "if-idle-connections-hold-the-pool"),
        ("lastTimestamp", "check-alert-details"),  # camelCase, whole
        ("timestamp", "check-alert-details"),  # ... and in part
        ("sort-by", "check-alert-details"),
    ],
)
def test_search_finds_the_procedure(
    query: str, anchor: str, fixture_web: Served, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(fixture_web.url, wait_until="networkidle")
    top = sections(search(page, query))[:3]
    assert f"{fixture_web.url}runbooks/db-connections/#{anchor}" in top, top


def test_symptoms_rank_above_body_text(fixture_web: Served, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(fixture_web.url, wait_until="networkidle")
    # "connection" is also in the summary, the history and other steps' text.
    best = sections(search(page, "connection timeouts"))[0]
    assert best == f"{fixture_web.url}runbooks/db-connections/#idle-connections"


def test_template_bodies_are_not_indexed(fixture_web: Served, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(fixture_web.url, wait_until="networkidle")
    # Only in the status-update template's body (and in the format page's example of one).
    found = search(page, "Investigating")
    assert [url for url in found if url.startswith(f"{fixture_web.url}runbooks/")] == []
