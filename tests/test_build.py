"""A real `mkdocs build --strict` of small projects: the plugin as users meet it."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from tests.conftest import FIXTURES, make_project, mkdocs_build


def html(project: Path, page: str) -> str:
    return (project / "site" / page).read_text(encoding="utf-8")


def text_of(markup: str) -> str:
    """The text of some HTML, entities decoded (Pygments splits code into spans)."""
    return unescape(re.sub(r"<[^>]+>", "", markup))


def test_pages_are_generated(fixture_site: Path) -> None:
    for page in (
        "index.html",
        "runbooks/db-connections/index.html",
        "severity/index.html",
        "escalation/index.html",
        "symptoms/index.html",
    ):
        assert (fixture_site / "site" / page).is_file(), page


def test_runbook_page_content(fixture_site: Path) -> None:
    page = html(fixture_site, "runbooks/db-connections/index.html")
    assert '<pre class="mermaid"><code>flowchart TD' in page
    assert 'class="task-list-item"' in page
    assert page.count('<pre class="highlight"><code class="language-') >= 4
    assert '"content.code.copy"' in page  # Material's copy button is on for every code block
    assert 'id="idle-connections"' in page  # stable anchor from the procedure id
    assert 'class="admonition danger"' in page  # destructive command warning
    # As written: the tabs a Markdown page would turn into spaces, kept.
    assert "SELECT pg_terminate_backend(pid)\n\tFROM pg_stat_activity" in text_of(page)


def test_home_lists_runbooks(fixture_site: Path) -> None:
    page = html(fixture_site, "index.html")
    assert 'href="runbooks/db-connections/"' in page
    assert "Database connection exhaustion" in page


def test_navigation_nested_by_service(fixture_site: Path) -> None:
    page = html(fixture_site, "runbooks/db-connections/index.html")
    nav = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*(?:<span[^>]*>)?\s*([^<]+?)\s*<', page)
    assert "postgres" in nav


def test_broken_runbook_fails_build(tmp_path: Path) -> None:
    project = make_project(tmp_path, [FIXTURES / "valid" / "contacts.yaml"])
    (project / "runbooks" / "broken.yaml").write_text(
        "id: broken\ntitle: B\nowner: test-platform\nlast_reviewed: 2026-01-01\ntitle: again\n"
    )
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert (
        "runbooks/broken.yaml:5:1: error RB012 duplicate key 'title' (first at line 2, column 1): remove one"
        in result.stderr
    )
    assert "Traceback" not in result.stderr + result.stdout


def test_edit_link_points_at_yaml(tmp_path: Path) -> None:
    project = make_project(tmp_path, sorted((FIXTURES / "valid").glob("*.yaml")))
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text()
        + "repo_url: https://git.example.com/ops/runbooks\nedit_uri: edit/main/docs/\n"
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    page = html(project, "runbooks/db-connections/index.html")
    assert 'href="https://git.example.com/ops/runbooks/edit/main/runbooks/full.yaml"' in page


def test_every_code_documented(fixture_site: Path) -> None:
    from generator.diagnostics import CODES

    page = html(fixture_site, "diagnostics/index.html")
    for code in CODES.values():
        assert f'id="{code.code.lower()}"' in page, code.code
        assert code.fix.split("`")[0][:20] in text_of(page), code.code


def test_schema_published(fixture_site: Path) -> None:
    import json

    from tests.conftest import ROOT

    published = json.loads((fixture_site / "site" / "schemas" / "runbook.schema.json").read_text())
    assert published == json.loads((ROOT / "schemas" / "runbook.schema.json").read_text())


def test_template_and_table_anchors(fixture_site: Path) -> None:
    page = html(fixture_site, "runbooks/db-connections/index.html")
    assert '<p id="status"><strong>Status update</strong></p>' in page
    assert '<p id="quick-checks"><strong>Quick checks</strong></p>' in page
    assert "{:" not in text_of(page)
