"""Incident mode and the first screen of a runbook page, in a real Chromium (issue 21).

The incident fixtures (tests/fixtures/incident/: two runbooks of one title) are built and served,
and built offline and opened from disk; the project's own runbooks are the first-screen case
(hotswap's page is the long one). The clock is Playwright's fake one, paused, so each time in
the timeline is exact; the page runs in UTC.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.conftest import Served, _serve, build
from tests.conftest import FIXTURES, make_project

pytestmark = pytest.mark.browser

START = dt.datetime(2026, 3, 1, 14, 30, tzinfo=dt.UTC)
TIMELINE = """\
## Incident INC-7: Incident Response Runbook (api-gateway)

- Started: 2026-03-01 14:30:00 (UTC+00:00)
- Severity: SEV-2 High
- Runbook: incident-a

### Timeline

- 14:30:00 Incident started
- 14:30:00 Severity set to SEV-2 High
- 14:31:00 Done: Acknowledge in PagerDuty
- 14:32:00 Copied:
  ```bash
  kubectl logs gw-7 -n gateway
  ```
- 14:33:00 Copied (secret values left out: ADMIN_TOKEN):
  ```bash
  curl -H "Authorization: Bearer ${ADMIN_TOKEN}" https://admin.example.com/drain/gw-7
  ```
- 14:34:00 Done: Look at the pods
- 14:34:00 Note: Drained gw-7, `kubectl` says ok
"""


@pytest.fixture(scope="session")
def incident_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(
        tmp_path_factory.mktemp("browser-incident"), sorted((FIXTURES / "incident").glob("*.yaml"))
    )


@pytest.fixture(scope="session")
def incident_web(incident_project: Path) -> Iterator[Served]:
    yield from _serve(build(incident_project))


@pytest.fixture(scope="session")
def incident_offline(incident_project: Path) -> Path:
    return build(incident_project, offline=True)


@pytest.fixture
def utc(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile in UTC, the clipboard allowed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="UTC")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context
    context.close()


def opened(context: BrowserContext, url: str) -> Page:
    """*url* in a new page whose clock is paused at START."""
    page = context.new_page()
    # Installed an hour before: the installed clock runs until paused, and pausing at a time it
    # has already passed (a busy machine, a few milliseconds) fails ("fast-forward to the past").
    page.clock.install(time=START - dt.timedelta(hours=1))
    page.clock.pause_at(START)
    page.goto(url)
    return page


def started(context: BrowserContext, url: str) -> Page:
    page = opened(context, url)
    page.click(".rb-start")
    return page


def ticked(page: Page) -> list[str]:
    """The labels of what is ticked, in page order."""
    return page.eval_on_selector_all(
        ".rb-ticked",
        "els => els.map(e => e.matches('li') ? e.textContent.trim().split('\\n')[0] : e.id)",
    )


def advance(page: Page, seconds: int) -> None:
    page.clock.run_for(seconds * 1000)


def test_no_incident_no_boxes_and_checklists_stay_as_written(
    incident_web: Served, utc: BrowserContext
) -> None:
    page = opened(utc, incident_web.url + "runbooks/incident-a/")
    assert page.locator(".rb-start").inner_text() == "Start incident"
    assert page.locator("input.rb-tick").count() == 0
    assert page.locator(".task-list-item input:not([disabled])").count() == 0
    assert page.locator(".rb-incident-body").is_hidden()


def test_tick_reload_still_ticked(incident_web: Served, utc: BrowserContext) -> None:
    page = started(utc, incident_web.url + "runbooks/incident-a/?incident=INC-7")
    advance(page, 60)
    page.locator("li.task-list-item", has_text="Open the incident channel").locator("input").check(
        force=True
    )  # under its drawn box
    page.check("#look-at-the-pods > input.rb-tick")
    assert page.locator("#look-at-the-pods > .rb-tick-time").inner_text() == "14:31"
    page.reload()
    assert page.is_checked("#look-at-the-pods > input.rb-tick")
    item = page.locator("li.task-list-item", has_text="Open the incident channel")
    assert item.locator("input").is_checked() and item.locator("input").is_enabled()
    assert item.locator(".rb-tick-time").inner_text() == "14:31"
    assert not page.is_checked("#acknowledge-the-page > input.rb-tick")
    assert "incident=INC-7" in page.url
    # Without ?incident= the page resumes the runbook's incident under way.
    page.goto(incident_web.url + "runbooks/incident-a/")
    assert page.is_checked("#look-at-the-pods > input.rb-tick")


def test_two_runbooks_and_two_incidents_are_kept_apart(
    incident_web: Served, utc: BrowserContext
) -> None:
    a = incident_web.url + "runbooks/incident-a/"
    page = started(utc, a + "?incident=INC-1")
    page.check("#look-at-the-pods > input.rb-tick")
    page.goto(incident_web.url + "runbooks/incident-b/")  # same origin, another runbook
    assert page.locator(".rb-start").is_visible()
    page.click(".rb-start")
    assert ticked(page) == []
    page.check("#look-at-the-invoices > input.rb-tick")
    page.goto(a + "?incident=INC-2")  # another incident of the first runbook
    assert page.locator(".rb-start").inner_text() == "Start incident INC-2"
    page.click(".rb-start")
    assert ticked(page) == []
    page.goto(a + "?incident=INC-1")
    assert ticked(page) == ["look-at-the-pods"]
    page.goto(incident_web.url + "runbooks/incident-b/")
    assert ticked(page) == ["look-at-the-invoices"]


def test_the_timeline_is_exact_and_keeps_no_secret(
    incident_web: Served, utc: BrowserContext
) -> None:
    page = started(utc, incident_web.url + "runbooks/incident-a/?incident=INC-7")
    page.select_option(".rb-severity-choice", "SEV-2")
    advance(page, 60)
    page.locator("li.task-list-item", has_text="Acknowledge in PagerDuty").locator("input").check(
        force=True
    )  # under its drawn box
    page.fill('[data-rb-var="pod"]', "gw-7")
    page.fill('[data-rb-var="api-token"]', "s3cr3t")
    advance(page, 60)
    page.locator("pre", has_text="kubectl logs").locator("[data-clipboard-target]").click()
    assert page.evaluate("navigator.clipboard.readText()") == "kubectl logs gw-7 -n gateway"
    advance(page, 60)
    page.locator("pre", has_text="curl").locator("[data-clipboard-target]").click()
    # The command has it (under its alias, ADMIN_TOKEN); the timeline never.
    assert "Bearer s3cr3t" in page.evaluate("navigator.clipboard.readText()")
    advance(page, 60)
    page.check("#look-at-the-pods > input.rb-tick")
    page.fill(".rb-note", "Drained gw-7, `kubectl` says ok")
    page.press(".rb-note", "Enter")
    page.click(".rb-copy-timeline")
    assert page.evaluate("navigator.clipboard.readText()") == TIMELINE
    assert page.locator(".rb-timeline").text_content() == TIMELINE
    stored = page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert "s3cr3t" not in stored and "s3cr3t" not in page.url
    assert "pod=gw-7" in page.url


def test_a_phase_past_its_budget_shows_overdue(incident_web: Served, utc: BrowserContext) -> None:
    page = started(utc, incident_web.url + "runbooks/incident-a/")
    advance(page, 4 * 60)
    badge = page.locator("#triage > .rb-phase-badge")
    assert badge.inner_text() == "01:00 left"
    assert page.locator(".rb-next-phase").inner_text() == "1. Triage: 01:00 left"
    advance(page, 61)
    assert badge.inner_text() == "overdue by 00:01"
    assert "rb-late" in (badge.get_attribute("class") or "")
    clock = page.locator('.rb-phase-clock[data-phase="triage"]')
    assert clock.inner_text() == "1. Triage (< 5 minutes): overdue by 00:01"
    assert page.locator(".rb-next-phase").inner_text() == "1. Triage: overdue by 00:01"
    assert page.locator(".rb-clock").inner_text() == "05:01"
    page.check("#triage > input.rb-tick")
    assert clock.inner_text() == "1. Triage (< 5 minutes): done at 14:35"
    assert badge.count() == 0
    # The next phase with a budget is the one the bar names.
    assert page.locator(".rb-next-phase").inner_text().startswith("2. Mitigate </script>: ")


def test_a_severity_says_who_to_page_and_when_to_update(
    incident_web: Served, utc: BrowserContext
) -> None:
    page = started(utc, incident_web.url + "runbooks/incident-a/")
    assert page.locator(".rb-update").inner_text() == "Choose a severity"
    page.select_option(".rb-severity-choice", "SEV-1")
    said = [x for x in page.locator(".rb-page-now").inner_text().split("\n") if x]
    assert said == [
        "SEV-1: Page on-call, notify VP Engineering; respond: 5 min",
        "Page now: Gateway On-Call (slack @gw-oncall); VP Engineering (slack @vp)",
        "Escalate:",
        "at 14:45 (15 min), if no progress: Page the lead (Gateway Lead)",
        "at 15:30 (1 hour): Call the VP (VP Engineering)",
    ]
    update = page.locator(".rb-update")
    assert update.inner_text().startswith("Next status update due 14:45")
    advance(page, 15 * 60 + 1)
    assert update.inner_text().startswith("Status update overdue since 14:45")
    page.click(".rb-update-posted")
    assert update.inner_text().startswith("Next status update due 15:00")
    page.select_option(".rb-severity-choice", "SEV-3")  # no cadence, nobody paged
    assert page.locator(".rb-page-now").inner_text() == "SEV-3: Ticket; respond: Next business day"


def test_templates_are_filled_from_the_incident(incident_web: Served, utc: BrowserContext) -> None:
    page = opened(utc, incident_web.url + "runbooks/incident-a/?incident=INC-7&pod=gw-7")
    template = page.locator(".rb-template code")
    assert template.inner_text().startswith("Incident <incident> (<severity>) since <start time>")
    page.click(".rb-start")
    page.select_option(".rb-severity-choice", "SEV-2")
    advance(page, 4 * 60)
    want = "Incident INC-7 (SEV-2) since 2026-03-01 14:30, now 14:34.\nPod: gw-7"
    assert template.inner_text() == want
    assert template.get_attribute("data-copy") == want


def test_end_incident_asks_then_clears(incident_web: Served, utc: BrowserContext) -> None:
    page = started(utc, incident_web.url + "runbooks/incident-a/?incident=INC-9")
    page.check("#look-at-the-pods > input.rb-tick")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click(".rb-end")
    assert page.is_checked("#look-at-the-pods > input.rb-tick")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".rb-end")
    assert page.locator("input.rb-tick").count() == 0
    assert "incident=" not in page.url
    keys = page.evaluate("Object.keys(localStorage)")
    assert not [k for k in keys if k.startswith("runbookgen.incident.incident-a.")]
    page.click(".rb-start")  # a new incident starts clean
    assert ticked(page) == []


def test_hostile_storage_and_url_are_refused(incident_web: Served, utc: BrowserContext) -> None:
    page = opened(utc, incident_web.url + "runbooks/incident-a/")
    hostile = {
        "start": 1772375400000,
        "severity": "<img src=x onerror=alert(1)>",
        "ticks": {"s:look-at-the-pods": "yesterday", "c:triage:1": 1772375460000},
        "log": [
            {"t": 1772375470000, "kind": "note", "text": "<b>bold</b>"},
            {"t": 1772375480000, "kind": "<script>", "text": "x"},
            {"t": "soon", "kind": "note", "text": "y"},
        ],
    }
    page.evaluate(
        "([k, v]) => { localStorage.setItem(k, v); }",
        ["runbookgen.incident.incident-a.bad", json.dumps(hostile)],
    )
    page.goto(incident_web.url + "runbooks/incident-a/?incident=bad")
    assert page.locator(".rb-severity-choice").input_value() == ""
    assert not page.is_checked("#look-at-the-pods > input.rb-tick")
    assert page.locator(".rb-timeline b").count() == 0
    assert page.locator(".rb-timeline").text_content().count("Note:") == 1
    # An id the URL may not give is not used: the incident under way stays.
    page.goto(incident_web.url + "runbooks/incident-a/?incident=../../x")
    assert page.locator(".rb-incident-body > summary").inner_text().startswith("Incident bad:")


def test_from_file_offline(incident_offline: Path, utc: BrowserContext) -> None:
    a = (incident_offline / "runbooks" / "incident-a.html").as_uri()
    b = (incident_offline / "runbooks" / "incident-b.html").as_uri()
    page = started(utc, a)
    page.check("#look-at-the-pods > input.rb-tick")
    page.reload()
    assert page.is_checked("#look-at-the-pods > input.rb-tick")
    page.goto(b)  # every file:// page shares one storage: still apart
    assert page.locator(".rb-start").is_visible()
    advance(page, 6 * 60)
    page.goto(a)
    assert page.locator(".rb-clock").is_visible()


def test_without_javascript_and_in_print_the_whole_runbook_shows(
    browser: Browser, incident_web: Served
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(incident_web.url + "runbooks/incident-a/")
    for anchor in (
        "rb-procedures",
        "gateway-down",
        "triage",
        "fix",
        "rb-severity",
        "rb-escalation",
    ):
        assert page.locator(f"#{anchor}").is_visible(), anchor
    assert page.locator(".rb-goto").is_visible()
    assert page.locator(".rb-incident").count() == 0  # nothing that needs the script
    context.close()
    context = browser.new_context()
    page = context.new_page()
    page.goto(incident_web.url + "runbooks/incident-b/")
    page.goto(incident_web.url + "runbooks/incident-a/?incident=P")
    page.click(".rb-start")
    page.emulate_media(media="print")
    assert (
        page.locator(".rb-incident-bar").is_hidden()
        and page.locator("input.rb-tick").first.is_hidden()
    )
    context.close()


# The first screens of the longest real page (hotswap's): what an engineer from an alert needs.
@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desk", "phone"])
def test_the_first_screens_of_a_long_runbook(
    browser: Browser, project_web: Served, artifacts: Path, size: tuple[int, int]
) -> None:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(project_web.url + "runbooks/hotswap-incident-response/")
    page.screenshot(path=artifacts / f"hotswap-top-{width}.png")
    top = page.evaluate(
        """() => {
          const y = s => document.querySelector(s).getBoundingClientRect().top + scrollY;
          return {
            seen: y('.rb-goto li'), start: y('.rb-start'),
            procedure: y('#rb-procedures ~ h3'),
            command: y('.md-content pre code[class*=language-]:not(.no-copy)'),
          };
        }"""
    )
    assert top["seen"] < height, top  # "If you see" starts in the first screen
    assert top["procedure"] < 2 * height, top  # the first procedure within two
    if width > 1000:
        assert top["start"] < height and top["command"] < 2 * height, top
    context.close()
