"""`runbookgen zensical OUT`: a project that Zensical (pinned, `make zensical`) builds into the
same site as MkDocs: every page, the same heading anchors, commands, task lists and tables, our
scripts, and mermaid from the site itself."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import FIXTURES, ROOT

ZENSICAL = ROOT / "build" / "zensical-venv" / "bin" / "zensical"
VENDOR = FIXTURES / "vendor"  # stand-ins for mermaid (the browser test uses the real one)
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))


class _Loader(yaml.SafeLoader):
    """Reads the config as Zensical does, the mermaid fence's Python name as its text."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda _l, suffix, _n: suffix)


def zensical_project(out: Path, *sources: Path, vendor: Path = VENDOR) -> Path:
    args = ["zensical", str(out), *map(str, sources), "--vendor-dir", str(vendor)]
    result = CliRunner().invoke(main, [*args, "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    return out


def build(project: Path) -> Path:
    if not ZENSICAL.is_file():
        pytest.fail(f"no Zensical at {ZENSICAL}: run `make zensical`", pytrace=False)
    done = subprocess.run(
        [str(ZENSICAL), "build", "--clean"], cwd=project, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"


def test_the_project_has_the_pages_our_assets_mermaid_and_a_config(tmp_path: Path) -> None:
    project = zensical_project(tmp_path / "z", *VALID)
    config = yaml.load((project / "mkdocs.yml").read_text(), Loader=_Loader)
    assert config["extra_javascript"] == [
        "assets/vendor/mermaid/mermaid.min.js",  # before Material's bundle looks for it
        "assets/runbooks/fill.js",
        "assets/runbooks/runbooks.js",
        "assets/runbooks/incident.js",  # the same scripts as the MkDocs site's
    ]
    assert config["theme"]["font"] is False  # no fonts from another host
    (fences,) = [e for e in config["markdown_extensions"] if "pymdownx.superfences" in e]
    fence = fences["pymdownx.superfences"]["custom_fences"][0]
    assert fence["format"] == "pymdownx.superfences.fence_code_format"
    for path in [
        *config["extra_javascript"],
        *config["extra_css"],
        "assets/vendor/mermaid/LICENSE",
    ]:
        assert (project / "docs" / path).is_file(), path
    listed = re.findall(r'"([\w/.-]+\.md)"', (project / "mkdocs.yml").read_text())
    written = sorted(p.relative_to(project / "docs").as_posix() for p in project.rglob("*.md"))
    assert sorted(listed) == written  # the navigation names every page, and no other
    assert "http" not in (project / "mkdocs.yml").read_text()


def test_without_vendored_mermaid_it_says_what_to_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["zensical", str(tmp_path / "z"), *map(str, VALID), "--vendor-dir", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "missing vendored file(s)" in result.output and "make vendor" in result.output
    assert not (tmp_path / "z").exists()


def article(html: str) -> str:
    """The page's content (the theme's own chrome differs between the two)."""
    found = re.search(r"<article\b.*?</article>", html, re.S)
    assert found is not None
    return found[0]


def anchors(html: str) -> set[str]:
    return set(re.findall(r'<h[1-6] id="([^"]+)"', html))


def code_lines(html: str) -> list[str]:
    return [c for c in re.findall(r"<code>(.*?)</code>", html, re.S) if "\n" in c]


def test_zensical_builds_the_pages_mkdocs_builds(tmp_path: Path, fixture_site: Path) -> None:
    site = build(zensical_project(tmp_path / "z", *VALID))
    mkdocs = fixture_site / "site"
    pages = sorted(p.relative_to(mkdocs).as_posix() for p in mkdocs.rglob("index.html"))
    for page in pages:
        ours = article((mkdocs / page).read_text())
        theirs = article((site / page).read_text())
        assert anchors(theirs) == anchors(ours), page
        assert theirs.count('type="checkbox"') == ours.count('type="checkbox"'), page
        assert theirs.count("<table>") == ours.count("<table>"), page
        assert code_lines(theirs) == code_lines(ours), page
    page = (site / "runbooks" / "db-connections" / "index.html").read_text()
    assert 'src="../../assets/vendor/mermaid/mermaid.min.js"' in page
    assert "fonts.googleapis" not in page


def test_the_catalogues_are_left_out_of_zensical_s_search(tmp_path: Path) -> None:
    project = zensical_project(tmp_path / "z", *VALID)
    for page in ("symptoms.md", "alerts.md", "escalation.md", "services/postgres.md"):
        text = (project / "docs" / page).read_text()
        assert text.startswith("---\nsearch:\n  exclude: true\ntitle: "), page
    assert "\nsearch:" not in (project / "docs" / "runbooks" / "db-connections.md").read_text()
