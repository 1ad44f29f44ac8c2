"""A step with an id is a place others point to: a text of its page (`[x](#id)`) and another
runbook's link (`procedure: id`) land on its heading."""

from __future__ import annotations

from pathlib import Path

from generator.render.html import render_inputs_html
from generator.render.markdown import runbook_inputs
from generator.run.project import load_site
from tests.conftest import FIXTURES, TODAY

A = """\
id: a
title: A
owner: test-platform
last_reviewed: 2026-01-10
procedures:
  - id: pods
    title: Pods crash
    symptoms: [CrashLoopBackOff]
    resolution:
      - title: Restart the pods
        id: restart-pods
        text: Then [check them](#check-them).
      - title: Check them
        id: check-them
        text: Still crashing? Go back to [restarting](#restart-pods).
"""
B = """\
id: b
title: B
owner: test-platform
last_reviewed: 2026-01-10
phases:
  - id: fix
    title: Fix
    steps:
      - text: Restart the pods as the other runbook says.
        see: [restart]
links:
  - {id: restart, title: Restarting pods, runbook: a, procedure: restart-pods}
"""


def test_a_step_id_is_its_anchor_and_links_land_on_it(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(A)
    (tmp_path / "b.yaml").write_text(B)
    site = load_site([tmp_path, FIXTURES / "valid" / "contacts.yaml"])
    assert [str(d) for d in site.diagnostics] == []
    a, b = (next(r for r in site.runbooks if r.id == x) for x in "ab")
    page_a = render_inputs_html(runbook_inputs(a, site, today=TODAY)).content
    assert '<h4 id="restart-pods">Restart the pods' in page_a
    assert '<h4 id="check-them">Check them' in page_a
    assert 'Then <a href="#check-them">check them</a>.' in page_a
    assert 'Go back to <a href="#restart-pods">restarting</a>.' in page_a
    page_b = render_inputs_html(runbook_inputs(b, site, today=TODAY)).content
    assert 'href="a.md#restart-pods"' in page_b


def test_a_link_to_a_step_another_runbook_lacks_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(A)
    (tmp_path / "b.yaml").write_text(B.replace("procedure: restart-pods", "procedure: restart"))
    site = load_site([tmp_path, FIXTURES / "valid" / "contacts.yaml"])
    assert [d.message for d in site.diagnostics] == [
        "runbook 'a' has no procedure, phase or step 'restart' (did you mean 'restart-pods'?)"
    ]


def test_escalation_without_times_shows_no_empty_columns(tmp_path: Path) -> None:
    """Escalation that is not time-based (no `after`, no condition): no empty After and
    Condition columns, and not 'If there is no progress:'."""
    (tmp_path / "c.yaml").write_text(
        A.replace("id: a\ntitle: A", "id: c\ntitle: C")
        + "escalation:\n  - {action: Page the incident commander, contact: test-platform}\n"
    )
    site = load_site([tmp_path, FIXTURES / "valid" / "contacts.yaml"])
    (runbook,) = site.runbooks
    page = render_inputs_html(runbook_inputs(runbook, site, today=TODAY)).content
    assert "<p><strong>Escalate:</strong></p>" in page
    assert "<th>After</th>" not in page and "<th>Condition</th>" not in page
    assert "<th>Action</th>\n<th>Contact</th>" in page
