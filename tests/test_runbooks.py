"""The runbooks we ship: valid, each with its editor modeline, and every unpublished reference declared."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Severity
from generator.run.project import load_site
from tests.conftest import ROOT

FILES = sorted((ROOT / "runbooks").rglob("*.yaml"))


def test_runbooks_check_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    site = load_site([Path("runbooks")])
    assert [str(d) for d in site.diagnostics if d.severity is Severity.ERROR] == []
    assert len(site.runbooks) >= 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    schema = (path.parent / first.split("$schema=", 1)[-1]).resolve()
    assert first.startswith("# yaml-language-server: $schema=")
    assert schema == ROOT / "schemas" / "runbook.schema.json"


def test_unpublished_documents_are_shown_as_such(project_site: Path) -> None:
    page = (project_site / "runbooks" / "inflow-incident-response" / "index.html").read_text()
    assert "llm-disable.md" in page and "not yet published" in page
