"""Commands you can paste: copy buttons, variables from the form and from the URL, validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import Served

pytestmark = pytest.mark.browser

RUNBOOK = "runbooks/db-connections/"
EVENTS = "kubectl get events -n {namespace} --sort-by='.lastTimestamp'"
LOGS = "kubectl logs {pod} -n {namespace} --previous"
KILL = "SELECT pg_terminate_backend(pid)\n\tFROM pg_stat_activity\n\tWHERE state = 'idle';"  # tabs kept


def open_runbook(context: BrowserContext, served: Served, query: str = "") -> Page:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.url[:-1])
    page = context.new_page()
    page.goto(served.url + RUNBOOK + query, wait_until="networkidle")
    page.wait_for_selector("button[data-clipboard-target]")
    return page


def copy(page: Page, command_start: str) -> str:
    """Click the copy button of the code block that starts with *command_start*; the clipboard."""
    block = page.locator(".highlight", has=page.locator("code", has_text=command_start)).first
    block.hover()
    block.locator("button[data-clipboard-target]").click()
    return page.evaluate("navigator.clipboard.readText()")


def test_every_command_block_has_a_copy_button(
    fixture_web: Served, context: BrowserContext
) -> None:
    page = open_runbook(context, fixture_web)
    blocks = page.eval_on_selector_all(
        ".md-content .highlight",
        """els => els.map(e => [!!(e.matches('.no-copy') || e.querySelector('.no-copy')),
                               !!e.querySelector('button[data-clipboard-target]')])""",
    )
    commands = [has_button for no_copy, has_button in blocks if not no_copy]
    outputs = [has_button for no_copy, has_button in blocks if no_copy]
    assert len(commands) == 5 and all(commands)
    assert outputs == [False]  # expected output is shown, never copied


def test_copy_gives_the_command_as_written(fixture_web: Served, context: BrowserContext) -> None:
    page = open_runbook(context, fixture_web)
    assert copy(page, "SELECT pg_terminate_backend") == KILL
    assert copy(page, "kubectl get events") == EVENTS.format(namespace="<namespace>")


def test_variables_fill_from_query_string_and_form(
    fixture_web: Served, context: BrowserContext
) -> None:
    page = open_runbook(context, fixture_web, "?namespace=payments")
    assert page.input_value("input[name=namespace]") == "payments"
    assert copy(page, "kubectl get events") == EVENTS.format(namespace="payments")
    page.fill("input[name=pod-name]", "api-7d9f-x1")
    assert copy(page, "kubectl logs") == LOGS.format(pod="api-7d9f-x1", namespace="payments")
    # Placeholders show the value where they stand, so a copy by hand gives the same.
    shown = page.locator("code", has_text="kubectl logs").first.inner_text().rstrip()
    assert shown == LOGS.format(pod="api-7d9f-x1", namespace="payments")
    assert "pod-name=api-7d9f-x1" in page.url  # the filled page can be shared as it is


def test_value_against_pattern_is_refused(fixture_web: Served, context: BrowserContext) -> None:
    page = open_runbook(context, fixture_web, "?namespace=Payments_EU")
    assert "must match ^[a-z0-9-]+$" in page.inner_text(".rb-var-error")
    assert copy(page, "kubectl get events") == EVENTS.format(namespace="<namespace>")
    page.fill("input[name=namespace]", "payments-eu")
    assert page.inner_text(".rb-var-error") == ""
    assert copy(page, "kubectl get events") == EVENTS.format(namespace="payments-eu")


def test_destructive_command_is_unmistakable(fixture_web: Served, context: BrowserContext) -> None:
    page = open_runbook(context, fixture_web)
    title = page.locator(".admonition.danger > .admonition-title")
    assert title.inner_text() == "DESTRUCTIVE COMMAND"
    colours = title.evaluate(
        "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
    )
    assert colours == ["rgb(213, 0, 0)", "rgb(255, 255, 255)"]


def test_symptom_index_filter(
    project_web: Served, context: BrowserContext, artifacts: Path
) -> None:
    page = context.new_page()
    page.goto(project_web.url + "symptoms/")
    total = page.locator(".rb-symptoms tbody tr").count()
    assert page.inner_text(".rb-filter-count") == f"{total} symptoms"
    page.fill("input.rb-filter", "connection timeouts")
    page.screenshot(path=artifacts / "symptoms-filter.png")
    assert 0 < page.locator(".rb-symptoms tbody tr:not([hidden])").count() < total


def test_symptom_index_filter_fixture(fixture_web: Served, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(fixture_web.url + "symptoms/")
    page.fill("input.rb-filter", "timeouts")
    rows = page.locator(".rb-symptoms tbody tr:not([hidden])")
    assert rows.count() == 1
    assert "connection timeouts" in rows.first.inner_text()
    assert page.inner_text(".rb-filter-count") == "1 of 3"
