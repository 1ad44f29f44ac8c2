"""Generated pages converted and put through the theme in worker processes: the same site as
one process, warnings kept."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from bench.generate import generate
from generator.plugin.pages import Prerendered, convert_pages
from generator.run import workers as workers_module
from tests.conftest import ROOT, make_project, mkdocs_build

PAGES = 60  # enough for worker processes (`workers.PARALLEL_MIN_FILES`)


@pytest.fixture(autouse=True)
def _pool_may_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # Browser tests may leave a server thread behind, and forking then falls back to one process.
    monkeypatch.setattr(workers_module.threading, "active_count", lambda: 1)


@pytest.mark.parametrize(
    "options",
    [
        "jobs: 1",  # one process: MkDocs converts and renders every page itself
        "html_pages: false",  # runbook pages as Markdown, converted by MkDocs
    ],
)
def test_the_same_site_however_it_is_built(tmp_path: Path, options: str) -> None:
    project = make_project(tmp_path / "project", [])
    generate(project / "runbooks", PAGES)
    assert mkdocs_build(project, "--site-dir", "default").returncode == 0
    config = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(
        config.replace("  - runbooks\n", f"  - runbooks:\n      {options}\n")
    )
    assert mkdocs_build(project, "--site-dir", "other").returncode == 0
    other = sorted(p.relative_to(project / "other") for p in (project / "other").rglob("*.html"))
    assert len(other) > PAGES
    for page in [*other, Path("search/search_index.json"), Path("sitemap.xml")]:
        assert (project / "default" / page).read_bytes() == (
            project / "other" / page
        ).read_bytes(), page
    shutil.rmtree(project / "default")


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


def test_theme_templates_rendered_in_workers_are_what_mkdocs_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project", [])
    generate(project / "runbooks", PAGES)
    (project / "docs" / "guide.md").write_text("# Guide\n\nWritten by hand.\n")
    read: list[str] = []
    kept: dict[str, bool] = {}  # whether the page still had its HTML when read back
    directories: set[Path] = set()
    original = Prerendered._read

    def spy(self: Prerendered, page: Page) -> object:
        read.append(page.file.src_uri)
        kept[page.file.src_uri] = bool(page.content)
        directories.add(self.directory)  # type: ignore[arg-type]
        return original(self, page)

    monkeypatch.setattr(Prerendered, "_read", spy)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site = tmp_path / "site"
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)))
    runbooks = sorted(str(p.relative_to(project)) for p in (project / "runbooks").rglob("*.yaml"))
    services = {p.parent.name for p in (project / "runbooks").rglob("*.yaml")} - {"shared"}
    # not contacts and severity; seven site-wide pages and a page per service
    assert len(read) == len(runbooks) - 2 + 7 + len(services)
    assert "guide.md" not in read and "Written by hand" in (site / "guide/index.html").read_text()
    assert read[:2] == ["index.md", "severity.md"]  # in the order MkDocs builds them
    page = (site / read[-1].removesuffix(".md") / "index.html").read_text()
    assert page.lstrip().startswith("<!doctype html>") and "md-nav__link--active" in page
    assert len(directories) == 1 and not directories.pop().exists()  # the pages' files removed
    # Dropped once made, except where Material's search still indexes it.
    assert [path for path, has in kept.items() if has] == [
        "index.md",
        "severity.md",
        "diagnostics.md",
        "format.md",
    ]


@pytest.mark.parametrize(("size", "in_workers"), [(200_000, True), (2_000, False)])
def test_few_pages_go_to_workers_only_if_large(tmp_path: Path, size: int, in_workers: bool) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"p{i}.md").write_text(f"# P{i}\n\n" + "A line of words.\n" * (size // 17))
    files = Files([File(f"p{i}.md", str(docs), config.site_dir, True) for i in range(3)])
    pages = [Page(None, file, config) for file in files]
    convert_pages(pages, config, files, jobs=2)
    assert all((page.content is not None) is in_workers for page in pages)
    assert all(page.toc.items[0].title == f"P{i}" for i, page in enumerate(pages) if in_workers)


def test_an_interrupted_build_leaves_no_pages_behind(tmp_path: Path) -> None:
    """Ctrl-C stops MkDocs without a plugin event: the workers' pages are removed at exit."""
    project = make_project(tmp_path / "project", [])
    generate(project / "runbooks", PAGES)
    (project / "interrupt.py").write_text(
        "built = []\n\n\ndef on_post_page(output, page, config):\n"
        "    built.append(page)\n"
        "    if len(built) == 10:\n"
        "        raise KeyboardInterrupt\n"
        "    return output\n"
    )
    config = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(config + "hooks:\n  - interrupt.py\n")
    temp = tmp_path / "tmp"
    temp.mkdir()
    built = mkdocs_build(project, env={"TMPDIR": str(temp)})
    assert built.returncode != 0 and "Aborted!" in built.stderr  # click, on KeyboardInterrupt
    assert list(temp.iterdir()) == []
