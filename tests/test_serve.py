"""`make serve` (`mkdocs serve --dirty`), for real: an edit rebuilds what it changed.

The edited runbook's page comes first; the pages made from every runbook (home, escalation,
symptoms), the 404 page and the search index follow in the rebuild asked for right after.
No other runbook's page is built again.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from generator.core.model import Site
from generator.render.markdown import RunbookInputs
from generator.run import pages as run_pages
from generator.run.pages import Kept, render_site
from generator.run.project import load_site
from tests.conftest import ROOT, TODAY, make_project, mkdocs_serve, wait_for_text

EDITED = ROOT / "runbooks" / "compose" / "compose-incident-response.yaml"
TITLE = "Incident Response Runbook (docker-compose stack)"


def shipped_site() -> Site:
    return load_site([ROOT / "runbooks"])


def retitled(site: Site, runbook_id: str, title: str) -> Site:
    runbooks = [replace(r, title=title) if r.id == runbook_id else r for r in site.runbooks]
    return replace(site, runbooks=runbooks)


def test_kept_renders_again_only_what_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    site, kept = shipped_site(), Kept()
    first = render_site(site, today=TODAY, jobs=1, kept=kept)
    assert first == render_site(site, today=TODAY, jobs=1) and not kept.stale
    rendered: list[str] = []
    original = run_pages.render_inputs

    def counting(inputs: RunbookInputs) -> str:
        rendered.append(inputs.runbook.id)
        return original(inputs)

    monkeypatch.setattr(run_pages, "render_inputs", counting)
    assert render_site(shipped_site(), today=TODAY, jobs=1, kept=kept) == first
    assert rendered == [] and not kept.stale

    edited = retitled(shipped_site(), "compose-incident-response", "Compose, edited")
    pages = render_site(edited, today=TODAY, jobs=1, kept=kept)
    assert rendered == ["compose-incident-response"]
    fresh = render_site(edited, today=TODAY, jobs=1)
    assert kept.stale  # the site-wide pages are left as they were
    assert pages["index.md"] == first["index.md"] != fresh["index.md"]
    assert {p: t for p, t in pages.items() if p.startswith("runbooks/")} == {
        p: t for p, t in fresh.items() if p.startswith("runbooks/")
    }
    assert render_site(edited, today=TODAY, jobs=1, kept=kept) == fresh and not kept.stale


@dataclass
class Served:
    project: Path
    url: str
    log: Path

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return str(response.read().decode("utf-8"))

    def wait_for(self, path: str, text: str, timeout_s: float = 120) -> None:
        if not wait_for_text(self.url + path, text, timeout_s):
            raise AssertionError(f"{path} never showed {text!r}:\n{self.log.read_text()[-3000:]}")

    def written(self) -> dict[str, int]:
        """Every page of the served site directory (from the log) → when it was last written."""
        site = Path(re.findall(r"Config value 'site_dir' = '([^']+)'", self.log.read_text())[0])
        return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*.html")}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The shipped runbooks, served by `mkdocs serve --dirty --verbose` (it logs its site_dir)."""
    project = make_project(tmp_path / "project", [])
    shutil.rmtree(project / "runbooks")
    shutil.copytree(ROOT / "runbooks", project / "runbooks")
    log = tmp_path / "serve.log"
    with mkdocs_serve(project, log, "-v") as url:
        served = Served(project, url, log)
        served.wait_for("", "Incident Response Runbook", timeout_s=300)
        yield served


def test_an_edit_rebuilds_its_page_then_the_site_wide_pages(served: Served) -> None:
    before = served.written()
    time.sleep(0.01)  # a page written again gets a later time
    source = served.project / "runbooks" / "compose" / EDITED.name
    source.write_text(
        EDITED.read_text().replace(f"title: {TITLE}\n", "title: Compose stack, edited\n")
    )
    served.wait_for("runbooks/compose-incident-response/", "Compose stack, edited")
    served.wait_for("", "Compose stack, edited")  # the home page, in the follow-up rebuild
    served.wait_for("services/compose/", "Compose stack, edited")
    served.wait_for("search/search_index.json", "Compose stack, edited")
    after = served.written()
    rewritten = {page for page, written in after.items() if written != before.get(page)}
    assert "runbooks/compose-incident-response/index.html" in rewritten
    # The pages that name the runbook (the escalation page names services and contacts only).
    assert {"index.html", "symptoms/index.html", "services/compose/index.html"} <= rewritten
    others = {p for p in rewritten if p.startswith("runbooks/")}
    assert others == {"runbooks/compose-incident-response/index.html"}


def test_search_keeps_every_page_after_an_edit(served: Served) -> None:
    before = entries(served.get("search/search_index.json"))
    source = served.project / "runbooks" / "compose" / EDITED.name
    source.write_text(EDITED.read_text().replace(f"title: {TITLE}\n", "title: Compose, again\n"))
    served.wait_for("search/search_index.json", "Compose, again")
    after = entries(served.get("search/search_index.json"))
    assert after == before
    # Material's plugin indexes this page; it was built once, before the edit.
    assert any(page == "diagnostics/" for page, _ in after)


def entries(index: str) -> list[tuple[str, str]]:
    """The (page, anchor) of every entry of our search index."""
    ours = json.loads(index)["config"]["runbookgen"]
    return [(ours["pages"][doc[0]], doc[1]) for doc in ours["docs"]]
