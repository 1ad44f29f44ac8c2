"""The built site's shape: stable deep links resolve, and navigation stays small (no browser)."""

from __future__ import annotations

import re
import shutil
import urllib.request
from pathlib import Path

import pytest

from generator.commands.urls import deep_links
from generator.run.project import load_site
from tests.browser.conftest import Served
from tests.conftest import FIXTURES, ROOT, make_project, mkdocs_build


@pytest.mark.parametrize(
    ("site", "sources"), [("fixture_web", FIXTURES / "valid"), ("project_web", ROOT / "runbooks")]
)
def test_deep_links_resolve(site: str, sources: Path, request: pytest.FixtureRequest) -> None:
    """Every URL `runbookgen urls` prints is a page of the site with that anchor."""
    served: Served = request.getfixturevalue(site)
    links = deep_links(load_site([sources]), served.url)
    assert links
    for key, url in links.items():
        page, _, anchor = url.partition("#")
        with urllib.request.urlopen(page) as response:  # served on 127.0.0.1 by the fixture
            html = response.read().decode()
        assert not anchor or f'id="{anchor}"' in html, key


def build_with(tmp: Path, services: list[int]) -> Path:
    """A project of copies of full.yaml, the i-th in service svc-{services[i]}."""
    project = make_project(
        tmp, [FIXTURES / "valid" / n for n in ("contacts.yaml", "severity.yaml")]
    )
    full = (FIXTURES / "valid" / "full.yaml").read_text(encoding="utf-8")
    for i, service in enumerate(services):
        text = full.replace("id: db-connections", f"id: rb-{i:03}", 1)
        text = re.sub(r"^services: .*$", f"services: [svc-{service:02}]", text, flags=re.M)
        (project / "runbooks" / f"rb-{i:03}.yaml").write_text(text, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_runbook_page_does_not_grow_with_the_catalogue(tmp_path: Path) -> None:
    """navigation.prune: a page holds one entry per service and its own service's runbooks.

    40 services of one runbook each, then 120 more runbooks in the other services: the page
    of the runbook alone in svc-00 stays the same size.
    """
    one_each = list(range(40))
    small = build_with(tmp_path / "small", one_each)
    large = build_with(tmp_path / "large", one_each + [1 + i % 39 for i in range(120)])
    page = "runbooks/rb-000/index.html"
    small_size, large_size = ((site / page).stat().st_size for site in (small, large))
    assert abs(large_size - small_size) < 200, (small_size, large_size)


def test_missing_vendored_scripts_fail_the_build(tmp_path: Path) -> None:
    project = make_project(tmp_path, [FIXTURES / "valid" / "contacts.yaml"])
    shutil.rmtree(project / "build")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "missing vendored script(s): " in result.stderr
    assert "Run `make vendor`" in result.stderr
    assert "Traceback" not in result.stderr
