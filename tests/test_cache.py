"""The per-file cache and the worker processes never change a result; any change misses."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator
from generator.checks import Checked
from generator.cli import main
from generator.core.model import Site
from generator.diagnostics import has_errors
from generator.run import cache as cache_module
from generator.run import workers as workers_module
from generator.run.cache import Cache
from generator.run.pages import render_site
from generator.run.project import check_site, load_project, load_site, worker_count
from tests.conftest import FIXTURES, runbooks_dir

SOURCES = [
    *sorted((FIXTURES / "valid").glob("*.yaml")),
    *sorted((FIXTURES / "invalid").glob("*.yaml")),
    *sorted((FIXTURES / "hostile").glob("*.yaml")),
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Valid, invalid and hostile fixtures side by side in runbooks/; the working directory."""
    runbooks_dir(tmp_path, SOURCES)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(site: Site) -> tuple[object, ...]:
    """Everything a site holds, positions included (runbook equality leaves them out)."""
    return (
        [str(d) for d in site.diagnostics],
        site.runbooks,
        [r.positions for r in site.runbooks],
        site.schemes,
        site.contacts,
    )


def load(cache: Cache | None = None, jobs: int = 1) -> Site:
    return load_site([Path("runbooks")], cache=cache, jobs=jobs)


def test_cached_equals_uncached(project: Path) -> None:
    plain = snapshot(load())
    cache = Cache.open()
    assert snapshot(load(cache)) == plain
    assert cache.hits == 0
    again = Cache.open()
    assert snapshot(load(again)) == plain
    assert again.misses == 0
    assert again.hits > len(SOURCES) // 2  # all but the files refused before reading


def test_workers_equal_one_process(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Threads other tests leave running (the browser tests' server) would keep the pool off.
    monkeypatch.setattr(workers_module.threading, "active_count", lambda: 1)
    assert worker_count(2, len(SOURCES)) == 2  # enough files for the pool
    plain = snapshot(load())
    assert snapshot(load(jobs=2)) == plain
    cache = Cache.open()
    assert snapshot(load(cache, jobs=2)) == plain  # entries written by the workers
    assert snapshot(load(Cache.open(), jobs=2)) == plain


def test_no_fork_beside_other_threads() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:  # a lock the other thread holds would never be released in the forked worker
        assert worker_count(2, len(SOURCES)) == 1
    finally:
        stop.set()
        thread.join()


def test_edit_invalidates(project: Path) -> None:
    load(Cache.open())
    full = project / "runbooks" / "valid-full.yaml"
    full.write_text(full.read_text().replace("title: Database", "title: Edited database", 1))
    cache = Cache.open()
    site = load(cache)
    assert cache.misses == 1
    assert snapshot(site) == snapshot(load())
    assert next(r.title for r in site.runbooks if r.id == "db-connections").startswith("Edited")


def test_schema_change_invalidates(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load(Cache.open())
    before = Cache.open().tool
    schema = project / "schema.json"
    schema.write_bytes(cache_module.schema_path().read_bytes() + b"\n")
    monkeypatch.setattr(cache_module, "schema_path", lambda: schema)
    cache = Cache.open()
    assert cache.tool != before
    assert snapshot(load(cache)) == snapshot(load())
    assert cache.hits == 0
    assert [p.name for p in cache.root.iterdir()] == [cache.tool]  # the old entries are gone


def test_version_change_invalidates(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load(Cache.open())
    monkeypatch.setattr(generator, "__version__", "99.0.0")
    cache = Cache.open()
    load(cache)
    assert cache.hits == 0


def test_damaged_entries_are_misses(project: Path) -> None:
    cache = Cache.open()
    plain = snapshot(load(cache))
    for entry in cache.directory.iterdir():
        entry.write_bytes(b"not a pickle")
    again = Cache.open()
    assert snapshot(load(again)) == plain
    assert again.hits == 0


def test_unwritable_cache_is_skipped(project: Path) -> None:
    (project / "blocked").write_text("a file where the cache directory should be")
    cache = Cache(project / "blocked" / "runbookgen", "tool")
    assert snapshot(load(cache)) == snapshot(load())


def check_output(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "runbooks", "--today", "2026-11-23", *args])
    return result.exit_code, result.output


def test_check_reuses_a_whole_run_only_while_no_file_changed(project: Path) -> None:
    plain = check_output("--no-cache")
    assert check_output() == plain  # fills the cache
    memo = check_site([Path("runbooks")], cache=Cache.open())
    assert isinstance(memo, Checked) and memo.diagnostics  # the stored run, nothing loaded
    assert check_output() == plain
    full = project / "runbooks" / "valid-full.yaml"
    full.write_text(
        full.read_text().replace("last_reviewed: ", "last_reviewed: 2020-01-01\nx: ", 1)
    )
    edited = check_output()
    assert edited != plain and edited == check_output("--no-cache")
    assert isinstance(check_site([Path("runbooks")], cache=Cache.open()), Checked)
    shutil.copy(project / "runbooks" / "valid-full.yaml", project / "runbooks" / "copy.yaml")
    cache = Cache.open()
    site = check_site([Path("runbooks")], cache=cache)  # a new file: loaded again
    assert isinstance(site, Checked) and cache.misses == 3  # the run, the new file's two entries
    assert check_output() == check_output("--no-cache")


def checked(site: Checked) -> tuple[object, ...]:
    """What `check` reports of a site."""
    return sorted(map(str, site.diagnostics)), site.findings, site.reviews


@pytest.mark.parametrize("jobs", [1, 2])
def test_check_finds_what_a_loaded_site_holds(
    project: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(workers_module.threading, "active_count", lambda: 1)  # see above
    loaded = checked(load_project([Path("runbooks")], jobs=1)[1])
    assert checked(check_site([Path("runbooks")], jobs=jobs, cache=None)) == loaded
    assert checked(check_site([Path("runbooks")], jobs=jobs, cache=Cache.open())) == loaded
    # Every file from what the workers stored of it for `check` (the run as a whole is new).
    (project / "runbooks" / "extra.yaml").write_text("id: [", encoding="utf-8")
    plain = checked(check_site([Path("runbooks")], cache=None))
    cache = Cache.open()
    assert checked(check_site([Path("runbooks")], jobs=jobs, cache=cache)) == plain
    assert cache.misses == 3 and cache.hits > len(SOURCES) // 2  # the run, the new file


def test_check_after_a_build_uses_its_entries(project: Path) -> None:
    """Entries of whole results (what the build stores) serve `check` too, which keeps what
    it needs of them."""
    plain = checked(check_site([Path("runbooks")], cache=None))
    load(Cache.open())
    first = Cache.open()
    assert checked(check_site([Path("runbooks")], cache=first)) == plain
    assert first.misses > len(SOURCES) // 2  # what `check` keeps: not there yet
    (project / "runbooks" / "extra.yaml").write_text("id: [", encoding="utf-8")
    second = Cache.open()
    assert checked(check_site([Path("runbooks")], cache=second)) == checked(
        check_site([Path("runbooks")], cache=None)
    )
    assert second.misses == 3  # the whole run, and the new file's two entries


def test_render_workers_equal_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers_module.threading, "active_count", lambda: 1)  # see above
    full = (FIXTURES / "valid" / "full.yaml").read_text(encoding="utf-8")
    for i in range(60):  # enough runbooks for the pool
        text = full.replace("id: db-connections", f"id: db-connections-{i}", 1)
        (tmp_path / f"full-{i}.yaml").write_text(text, encoding="utf-8")
    for shared in ("severity.yaml", "contacts.yaml"):
        shutil.copy(FIXTURES / "valid" / shared, tmp_path / shared)
    site = load_site([tmp_path], jobs=1)
    assert not has_errors(site.diagnostics) and len(site.runbooks) == 60
    assert worker_count(2, len(site.runbooks)) == 2
    today = dt.date(2026, 11, 23)
    assert render_site(site, today=today, jobs=2) == render_site(site, today=today, jobs=1)
