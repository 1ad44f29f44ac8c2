"""The top of a runbook page and the incident data it gives its script (issue 21): what an
engineer from an alert needs first, the data block no runbook text can end, times read from
words, secrets named, who a severity pages, runbooks of one title told apart in the indexes.
The script's behaviour is tests/browser/test_incident.py's."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from generator.core.model import Contact, Level, Source, Variable
from generator.render.escape import script_json
from generator.render.html import render_inputs_html, render_site_wide_html
from generator.render.incident import duration_seconds, is_secret, paged
from generator.render.layout import phase_prefix
from generator.render.markdown import runbook_inputs
from generator.run.project import load_site
from tests.conftest import FIXTURES, TODAY

DATA = re.compile(r'<script type="application/json" id="rb-incident">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """The incident fixtures' runbook pages (HTML content), by runbook id."""
    site = load_site([FIXTURES / "incident"], jobs=1)
    assert not [d for d in site.diagnostics if d.severity == "error"]
    return {
        r.id: render_inputs_html(runbook_inputs(r, site, today=TODAY)).content
        for r in site.runbooks
    }


def data_of(page: str) -> dict[str, Any]:
    (found,) = DATA.findall(page)
    parsed: dict[str, Any] = json.loads(found)
    return parsed


@pytest.mark.parametrize(
    "value",
    [
        "</script><script>alert(1)</script>",
        "</SCRIPT >",
        "<!-- <script>",
        "a & b > c",
        "line\u2028separator\u2029and\x00nul",
        "emoji \U0001f525 and é",
    ],
)
def test_script_json_cannot_end_its_element_and_reads_back(value: str) -> None:
    written = script_json({"text": value, "list": [value]})
    assert not re.search(r"[<>&]", written)
    assert "\n" not in written and written.isascii()
    assert json.loads(written) == {"text": value, "list": [value]}


def test_the_page_data_block_holds_runbook_text_as_data(pages: dict[str, str]) -> None:
    page = pages["incident-a"]
    assert page.count('id="rb-incident"') == 1
    (block,) = DATA.findall(page)
    assert "<" not in block  # the summary's </script><!-- is in the data, escaped
    data = data_of(page)
    assert data["phases"][1] == {
        "id": "fix",
        "title": "2. Mitigate </script>",
        "budget": 3600,
        "budget_text": "within 1 hour",
    }


def test_the_incident_data_of_a_runbook(pages: dict[str, str]) -> None:
    data = data_of(pages["incident-a"])
    assert data["runbook"] == "incident-a"
    assert data["service"] == "api-gateway"
    assert [(p["id"], p["budget"]) for p in data["phases"]] == [
        ("triage", 300),
        ("fix", 3600),
        ("follow-up", None),
    ]
    assert [s["title"] for s in data["steps"]] == [
        "Acknowledge the page",
        "Look at the pods",
        "Call the admin API",
        "If the config is bad:",
    ]
    levels = {level["id"]: level for level in data["levels"]}
    assert levels["SEV-1"]["cadence"] == 900 and levels["SEV-1"]["page"] == [0, 2]
    assert levels["SEV-2"]["cadence"] == 1800 and levels["SEV-2"]["page"] == [0]
    assert levels["SEV-3"]["cadence"] is None and levels["SEV-3"]["page"] == []
    assert [(e["after"], e["contact"]) for e in data["escalation"]] == [(900, 1), (3600, 2)]
    assert [c["role"] for c in data["contacts"]] == [
        "Gateway On-Call",
        "Gateway Lead",
        "VP Engineering",
    ]
    assert data["secrets"] == ["api-token", "ADMIN_TOKEN"]  # an alias of a secret is one
    assert "severity" in data["fields"] and "start time" in data["fields"]


def test_what_to_do_comes_before_the_reference_parts(pages: dict[str, str]) -> None:
    page = pages["incident-a"]
    order = [
        '<div class="rb-goto">',
        '<details class="rb-vars"',
        'id="rb-incident"',
        'id="rb-procedures"',
        'id="triage"',
        'id="rb-severity"',
        'id="rb-escalation"',
    ]
    places = [page.index(marker) for marker in order]
    assert places == sorted(places)


def test_if_you_see_leads_to_each_procedure(pages: dict[str, str]) -> None:
    goto = pages["incident-a"].split('<div class="rb-goto">', 1)[1].split("</div>", 1)[0]
    assert (
        "<li>502 from every route; All gateway pods restarting → "
        '<a href="#gateway-down">Gateway down</a> (SEV-1)</li>'
    ) in goto
    # Its own number, once (escaped: a "2." starting a line of Markdown would make a list).
    assert '<a href="#fix">&#50;&#46; Mitigate &#60;/script&#62;</a>' in goto
    assert '<a href="#rb-severity">Severity levels</a>' in goto


def test_the_variables_fold_when_there_are_many_and_secrets_hide() -> None:
    site = load_site([FIXTURES / "incident"], jobs=1)
    (runbook,) = [r for r in site.runbooks if r.id == "incident-a"]
    page = render_inputs_html(runbook_inputs(runbook, site, today=TODAY)).content
    assert '<details class="rb-vars" data-runbook="incident-a" open>' in page  # two: open
    assert '<input type="password" data-rb-secret name="api-token"' in page
    assert '<input name="pod" data-rb-var="pod"' in page


@pytest.mark.parametrize(
    ("number", "title", "prefix"),
    [
        (1, "Detection", "1. "),
        (1, "1. Detection & Alert", ""),
        (2, "2) Declare", ""),
        (3, " 3. Investigate", ""),
        (1, "10. Metrics", "1. "),  # another number: ours is kept
        (2, "2FA outage", "2. "),
    ],
)
def test_a_phase_title_with_its_own_number_is_not_numbered_again(
    number: int, title: str, prefix: str
) -> None:
    assert phase_prefix(number, title) == prefix


def test_phase_headings_number_once(pages: dict[str, str]) -> None:
    assert (
        '<h2 id="fix">&#50;&#46; Mitigate &#60;/script&#62; (within 1 hour)' in pages["incident-a"]
    )
    assert '<h2 id="detect">&#49;&#46; Detect<a' in pages["incident-b"]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("< 5 minutes", 300),
        ("Every 15 minutes", 900),
        ("Every 1 hour", 3600),
        ("< 1 hour (during business hours)", 3600),
        ("Immediate (< 5 minutes)", 300),
        ("within 48h", 172800),
        ("Within 48 hours", 172800),
        ("2 min", 120),
        ("90 s", 90),
        ("1.5 hours", 5400),
        ("Next business day", None),
        ("", None),
        ("5 mangos", None),
    ],
)
def test_times_said_in_words(text: str, seconds: int | None) -> None:
    assert duration_seconds(text) == seconds


@pytest.mark.parametrize(
    ("name", "description", "secret"),
    [
        ("key-1", "First unseal key share", True),
        ("api-token", "", True),
        ("apiKey", "", True),
        ("DB_PASSWORD", "", True),
        ("x", "The client secret of the app", True),
        ("keys", "", True),
        ("monkey", "Which monkey to restart", False),
        ("keyboard-layout", "", False),
        ("pod-name", "Name of the API pod", False),
    ],
)
def test_secret_variables(name: str, description: str, secret: bool) -> None:
    assert is_secret(Variable(name, description)) is secret


def test_who_a_level_pages() -> None:
    source = Source("c.yaml")
    contacts = [
        Contact("a", "Primary On-Call", source, tier="primary"),
        Contact("b", "Secondary On-Call", source, tier="secondary"),
        Contact("c", "VP Engineering", source, tier="executive"),
    ]

    def level(escalation: str) -> Level:
        return Level("S", "", "", escalation=escalation)

    assert paged(level("Page on-call, notify VP Engineering"), contacts) == [0, 2]
    assert paged(level("Immediate page"), contacts) == [0]
    assert paged(level("Slack notification"), contacts) == []
    assert paged(level("Create ticket"), contacts) == []


def test_indexes_tell_runbooks_of_one_title_apart() -> None:
    site = load_site([FIXTURES / "incident"], jobs=1)
    pages = render_site_wide_html(site, today=TODAY)
    symptoms = pages["symptoms.md"]
    alerts = pages["alerts.md"]
    assert not isinstance(symptoms, str) and not isinstance(alerts, str)
    assert "<td>Incident Response Runbook (api-gateway)</td>" in symptoms.content
    assert "<td>Incident Response Runbook (billing)</td>" in symptoms.content
    assert ">Invoices stuck</a><br>Incident Response Runbook (billing)</td>" in alerts.content
    assert ">Incident Response Runbook (billing)</a></td>" in alerts.content
