"""Runbook pages converted in worker processes: the same site as one process, warnings kept."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from bench.generate import generate
from generator import project as project_module
from generator.plugin_pages import convert_pages
from tests.conftest import ROOT, make_project, mkdocs_build

PAGES = 60  # enough for worker processes (`project.PARALLEL_MIN_FILES`)


@pytest.fixture(autouse=True)
def _pool_may_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # Browser tests may leave a server thread behind, and forking then falls back to one process.
    monkeypatch.setattr(project_module.threading, "active_count", lambda: 1)


def test_workers_build_the_same_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", [])
    generate(project / "runbooks", PAGES)
    assert mkdocs_build(project, "--site-dir", "parallel").returncode == 0
    config = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(
        config.replace("  - runbooks\n", "  - runbooks:\n      jobs: 1\n")
    )
    assert mkdocs_build(project, "--site-dir", "serial").returncode == 0
    serial = sorted(p.relative_to(project / "serial") for p in (project / "serial").rglob("*.html"))
    assert len(serial) > PAGES
    for page in [*serial, Path("search/search_index.json")]:
        assert (project / "parallel" / page).read_bytes() == (
            project / "serial" / page
        ).read_bytes(), page
    shutil.rmtree(project / "parallel")


def test_converted_pages_keep_their_warnings_and_links(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(PAGES):
        (docs / f"p{i}.md").write_text(
            f"# P{i}\n\n[gone](missing-{i}.md) [next](p{i + 1}.md#top)\n"
        )
    files = Files([File(f"p{i}.md", str(docs), config.site_dir, True) for i in range(PAGES)])
    pages = [Page(None, file, config) for file in files]
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        convert_pages(pages, config, files, jobs=2)
    warned = [r.getMessage() for r in caplog.records if "missing-" in r.getMessage()]
    assert len(warned) == PAGES and "'missing-0.md'" in warned[0]
    assert '<a href="missing-0.md">gone</a>' in (pages[0].content or "")
    assert pages[0].toc.items[0].title == "P0" and pages[0].present_anchor_ids == {"p0"}
    links = pages[0].links_to_anchors or {}
    assert links[files.get_file_from_path("p1.md")] == {"top": "p1.md#top"}
    content = pages[0].content
    pages[0].render(config, files)  # MkDocs' own call: nothing left to convert
    assert pages[0].content is content
