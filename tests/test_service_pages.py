"""The escalation matrix, the symptom index and the services' pages (generator/render/services.py):
what they hold, and that the two site-wide ones stop growing with every runbook.

tests/fixtures/services/: checkout's three runbooks (two share their escalation steps word for
word) and search's one, with contacts of their own (one the same as a shared one).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bench.generate
from generator.core.model import Site
from generator.render.html import HtmlPage, render_site_wide_html
from generator.render.markdown import render_site_wide
from generator.render.services import SYMPTOMS_ON_ONE_PAGE
from generator.run.project import load_site
from tests.conftest import FIXTURES, TODAY

SHARED = [FIXTURES / "valid" / "severity.yaml", FIXTURES / "valid" / "contacts.yaml"]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    site = load_site([FIXTURES / "services", *SHARED], jobs=1)
    assert not [d for d in site.diagnostics if d.severity == "error"]
    return render_site_wide(site, today=TODAY)


def section(page: str, title: str) -> str:
    """The Markdown of *page* from the heading *title* to the next heading of its level."""
    level = re.search(rf"^(#+) {re.escape(title)} ", page, re.M)
    assert level, title
    rest = page[level.end() :]
    end = re.search(rf"^{level[1]} ", rest, re.M)
    return rest[: end.start()] if end else rest


def test_a_page_per_service(pages: dict[str, str]) -> None:
    assert {p for p in pages if p.startswith("services/")} == {
        "services/checkout.md",
        "services/search.md",
    }
    checkout = pages["services/checkout.md"]
    assert checkout.startswith("---\ntitle: checkout\n---\n\n# checkout { #service }\n")
    assert (
        "3 runbooks: [Cards declined](../runbooks/checkout-cards.md), [Checkout errors]"
        "(../runbooks/checkout-errors.md), [Checkout is slow](../runbooks/checkout-slow.md)\n"
    ) in checkout
    symptoms = section(checkout, "Symptoms")
    for symptom in ("Checkout takes over 5 s", "HTTP 500 on /pay", "Every card declined"):
        assert f"| {symptom} |" in symptoms
    assert "Search returns nothing" not in checkout  # search's, on its own page
    assert "[Slow pages](../runbooks/checkout-slow.md#slow-pages)" in section(checkout, "Alerts")
    assert "## Alerts" not in pages["services/search.md"]  # none: no empty section


def test_the_same_escalation_steps_are_written_once(pages: dict[str, str]) -> None:
    who = section(pages["services/checkout.md"], "Who to reach")
    assert who.count("| Page the database admin |") == 1
    assert (
        "For [Checkout errors](../runbooks/checkout-errors.md), [Checkout is slow]"
        "(../runbooks/checkout-slow.md):\n"
    ) in who
    assert "For [Cards declined](../runbooks/checkout-cards.md):\n" in who
    assert who.index("| Platform team |") < who.index("For [Cards declined]")


def test_the_escalation_matrix(pages: dict[str, str]) -> None:
    page = pages["escalation.md"]
    rows = section(page, "By service")
    assert (
        "| [checkout](services/checkout.md)<br>3 runbooks | [Platform team](#contact-test-platform),"
        " [Card DBA](#contact-dba), [Database Admin](#contact-test-dba) |"
        " [2 different escalations, by runbook](services/checkout.md#escalation) |"
    ) in rows
    # search's own Platform team says what the shared one says: the same contact, once.
    assert (
        "| [search](services/search.md)<br>1 runbook | [Platform team](#contact-test-platform), [Search DBA](#contact-dba-2) |"
        in rows
    )
    contacts = section(page, "Contacts")
    assert re.findall(r'<span id="(contact-[a-z0-9-]+)">', contacts) == [
        "contact-dba",  # Card DBA
        "contact-test-dba",  # Database Admin
        "contact-test-platform",  # Platform team
        "contact-dba-2",  # Search DBA: another contact of the same id
    ]
    # Who each contact is for: two contacts may share a role.
    assert "| [checkout](services/checkout.md), [search](services/search.md) |" in contacts
    assert "runbooks/" not in page  # no runbook of its own: it cannot grow with them


def test_one_escalation_for_a_whole_service_is_in_the_matrix() -> None:
    site = load_site([FIXTURES / "services" / "checkout-errors.yaml", *SHARED], jobs=1)
    page = render_site_wide(site, today=TODAY)["escalation.md"]
    assert (
        "| 15 min no progress: Page the database admin → Database Admin<br>1 hour: Call the VP |"
    ) in page


def test_a_small_site_lists_every_symptom_on_one_page(pages: dict[str, str]) -> None:
    page = pages["symptoms.md"]
    assert page.count("](runbooks/") == 5  # every symptom, A to Z
    assert "| [checkout](services/checkout.md#symptoms) | 4 |" in page
    assert "| [search](services/search.md#symptoms) | 1 |" in page


def _bench_site(tmp_path: Path, n: int, per_service: int, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.setattr(bench.generate, "PER_SERVICE", per_service)
    bench.generate.generate(tmp_path / f"n{n}", n, seed=3)
    return load_site([tmp_path / f"n{n}"], jobs=1)


def test_the_site_wide_pages_stop_growing_with_every_runbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twice the runbooks in the same four services: the escalation page and the symptom index
    (past `SYMPTOMS_ON_ONE_PAGE`) stay the same size, to a few digits; a service's page grows."""
    small = render_site_wide_html(_bench_site(tmp_path, 120, 30, monkeypatch), today=TODAY)
    large = render_site_wide_html(_bench_site(tmp_path, 240, 60, monkeypatch), today=TODAY)
    for path in ("escalation.md", "symptoms.md"):
        before, after = small[path], large[path]
        assert isinstance(before, HtmlPage) and isinstance(after, HtmlPage)
        assert abs(len(after.content) - len(before.content)) < 50, path
    symptoms = large["symptoms.md"]
    assert isinstance(symptoms, HtmlPage)
    total = int(re.search(r"(\d+) symptoms, too many", symptoms.content)[1])  # type: ignore[index]
    assert total > SYMPTOMS_ON_ONE_PAGE
    counts = re.findall(r"#symptoms\">[^<]+</a></td>\n<td>(\d+)</td>", symptoms.content)
    assert len(counts) == 4 and sum(map(int, counts)) == total
    service = next(p for p in large if p.startswith("services/"))
    page, before_page = large[service], small[service]
    assert isinstance(page, HtmlPage) and isinstance(before_page, HtmlPage)
    assert len(page.content) > 1.5 * len(before_page.content)


def test_a_site_without_symptoms_or_alerts_says_so() -> None:
    """No empty table, whose empty row a filter would count as "1 alerts"."""
    pages = render_site_wide(Site(), today=TODAY)
    assert "No procedure lists a symptom yet (`symptoms:` of a procedure)." in pages["symptoms.md"]
    assert "No runbook declares an alert yet (`alerts:` of a procedure)." in pages["alerts.md"]
    assert "|" not in pages["symptoms.md"] + pages["alerts.md"]
