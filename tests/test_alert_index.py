"""The alert index (alerts.md): every alert a runbook answers, A to Z, linked to the procedure
(or the runbook) that answers it, with its severity: the alerting rules' when the build is given
them (`alert_rules:` of the plugin), else the procedure's usual one."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

from generator.render.html import render_site_wide_html
from generator.render.markdown import render_alerts, render_index
from generator.run.project import load_site
from tests.conftest import FIXTURES, TODAY, make_project, mkdocs_build

ALERTS = FIXTURES / "alerts"


def rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| <code>")]


def test_every_declared_alert_leads_to_what_answers_it() -> None:
    site = load_site([ALERTS / "runbooks"])
    page = render_alerts(site)
    assert page.startswith("---\ntitle: Alert index\n---\n")
    found = rows(page)
    names = [re.match(r"\| <code>([^<&]+)", row)[1] for row in found]  # type: ignore[index]
    assert names == sorted(names, key=str.casefold)
    declared = [a.name for r in site.runbooks for a in r.alerts]
    declared += [a.name for r in site.runbooks for p in r.procedures for a in p.alerts]
    assert len(found) == len(declared)
    crash = next(row for row in found if row.startswith("| <code>KubePodCrashLooping</code>"))
    assert "(runbooks/pod-crashloop.md#crash-looping)" in crash
    api = next(row for row in found if row.startswith("| <code>KubeAPIDown</code>"))
    assert "(runbooks/apiserver.md)" in api  # declared by the runbook itself: its page


def test_the_rules_severity_when_the_build_has_rules() -> None:
    site = load_site([ALERTS / "runbooks"])
    said = replace(site, alert_severity={"KubePodCrashLooping": "warning"})
    crash = next(
        r for r in rows(render_alerts(said)) if r.startswith("| <code>KubePodCrashLooping</code>")
    )
    assert crash.startswith("| <code>KubePodCrashLooping</code><br>warning |")
    assert "its severity: the alerting rules'." in render_alerts(said)
    assert "its severity: the procedure's usual one." in render_alerts(site)


def test_the_html_page_and_the_home_page_s_way_in() -> None:
    site = load_site([ALERTS / "runbooks"])
    html = render_site_wide_html(site, today=TODAY)["alerts.md"]
    assert 'href="runbooks/pod-crashloop.md#crash-looping"' in html.content  # type: ignore[union-attr]
    assert "[Find by alert](alerts.md)" in render_index(site, today=TODAY)
    without = load_site([FIXTURES / "valid" / "contacts.yaml"])
    assert "Find by alert" not in render_index(without, today=TODAY)


def test_a_build_with_alert_rules_shows_their_severity(tmp_path: Path) -> None:
    project = make_project(tmp_path, sorted((ALERTS / "runbooks").glob("*.yaml")))
    shutil.copytree(ALERTS / "rules", project / "rules")
    config = project / "mkdocs.yml"
    text = config.read_text()
    config.write_text(text.replace("  - runbooks\n", "  - runbooks:\n      alert_rules: [rules]\n"))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site" / "alerts" / "index.html").read_text()
    # Two rules define KubeAPIErrorBudgetBurn, one critical and one warning.
    row = re.search(r"<tr>\s*<td><code>KubeAPIErrorBudgetBurn</code>.*?</tr>", page, re.S)
    assert row is not None and "critical, warning" in row[0]
    assert 'href="../runbooks/pod-crashloop/#crash-looping"' in page


def test_a_build_whose_rule_file_cannot_be_read_says_why(tmp_path: Path) -> None:
    project = make_project(tmp_path, sorted((ALERTS / "runbooks").glob("*.yaml")))
    (project / "rules.yaml").write_text("groups: [\n")
    config = project / "mkdocs.yml"
    text = config.read_text()
    config.write_text(
        text.replace("  - runbooks\n", "  - runbooks:\n      alert_rules: [rules.yaml]\n")
    )
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "alert_rules: rules.yaml:" in result.stderr and "RB401" in result.stderr
