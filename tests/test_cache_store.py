"""Where the cache keeps its entries: one SQLite database a tool version, written a batch at a
time. Reading creates nothing, a damaged database is started over, and a file edited while it
was loaded keeps no entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import project as project_module
from generator.cache import DATABASE, Cache
from generator.model import Site
from generator.project import FileResult, load_site
from tests.conftest import FIXTURES, runbooks_dir

SOURCES = sorted((FIXTURES / "valid").glob("*.yaml")) + sorted(
    (FIXTURES / "invalid").glob("*.yaml")
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    runbooks_dir(tmp_path, SOURCES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(project_module.threading, "active_count", lambda: 1)  # the pool may run
    return tmp_path


def load(cache: Cache | None, jobs: int = 1) -> Site:
    return load_site([Path("runbooks")], cache=cache, jobs=jobs)


def summary(site: Site) -> tuple[object, ...]:
    return [str(d) for d in site.diagnostics], site.runbooks, site.schemes, site.contacts


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_database_for_every_entry(project: Path, jobs: int) -> None:
    cache = Cache.open()
    load(cache, jobs)
    assert [p.name for p in cache.directory.iterdir() if not p.name.startswith(DATABASE)] == []
    again = Cache.open()
    load(again, jobs)
    assert again.misses == 0 and again.hits > len(SOURCES) // 2


def test_reading_creates_nothing(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache", "tool")
    assert cache.get("key") is None
    assert not (tmp_path / "cache").exists()


def test_damaged_database_is_started_over(project: Path) -> None:
    plain = summary(load(None))
    cache = Cache.open()
    load(cache)
    for entry in cache.directory.iterdir():  # the database, its log and its index
        entry.write_bytes(b"not a database" * 1000)
    damaged = Cache.open()
    assert summary(load(damaged)) == plain
    assert damaged.hits == 0
    repaired = Cache.open()
    assert summary(load(repaired)) == plain
    assert repaired.misses == 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_file_edited_while_loading_keeps_no_entry(
    project: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    edited = Path("runbooks") / "valid-full.yaml"
    load_file = project_module.load_file

    def load_and_edit(path: Path, *, max_bytes: int) -> FileResult:
        result = load_file(path, max_bytes=max_bytes)
        if path == edited:
            path.write_text(path.read_text() + "\n# edited\n")
        return result

    monkeypatch.setattr(project_module, "load_file", load_and_edit)
    load(Cache.open(), jobs)
    monkeypatch.setattr(project_module, "load_file", load_file)
    again = Cache.open()
    load(again, jobs)
    assert again.misses == 1  # the edited file, loaded again
