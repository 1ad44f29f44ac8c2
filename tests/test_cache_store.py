"""Where the cache keeps its entries: one SQLite database a tool version, written a batch at a
time. Reading creates nothing, a damaged database is started over, and an entry is always the
result of the content its key was made of."""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import pytest

from generator.core.model import Site
from generator.run import project as project_module
from generator.run import workers as workers_module
from generator.run.cache import DATABASE, Cache
from generator.run.project import load_site
from tests.conftest import FIXTURES, runbooks_dir

SOURCES = sorted((FIXTURES / "valid").glob("*.yaml")) + sorted(
    (FIXTURES / "invalid").glob("*.yaml")
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    runbooks_dir(tmp_path, SOURCES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(workers_module.threading, "active_count", lambda: 1)  # the pool may run
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
def test_entry_is_the_result_of_the_content_read(
    project: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """A file edited while it is loaded: its entry is stored under the key of the content that
    was read and loaded, whatever the file holds afterwards."""
    edited = Path("runbooks") / "valid-full.yaml"
    read_source = project_module.read_source

    def read_then_edit(path: Path, *, name: str, max_bytes: int) -> tuple[object, object]:
        found = read_source(path, name=name, max_bytes=max_bytes)
        if path == edited:
            path.write_text(path.read_text().replace("title: Database", "title: Edited", 1))
        return found

    original = edited.read_text()
    monkeypatch.setattr(project_module, "read_source", read_then_edit)
    first = load(Cache.open(), jobs)
    monkeypatch.setattr(project_module, "read_source", read_source)
    again = Cache.open()
    assert summary(load(again, jobs)) == summary(load(None))  # the edited content, loaded again
    assert again.misses == 1
    edited.write_text(original)
    restored = Cache.open()
    assert summary(load(restored, jobs)) == summary(first)  # the first content's entry
    assert restored.misses == 0


def test_get_many(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache", "tool")
    assert not cache.exists() and cache.get_many(["a"]) == {} and cache.misses == 1
    cache.put_many([("a", pickle.dumps(1)), ("b", b"not a pickle")])
    assert cache.exists()
    keys = [f"k{i}" for i in range(2000)]
    assert cache.get_many(["a", "b", *keys]) == {"a": 1}
    assert (cache.hits, cache.misses) == (1, 1 + 2001)


def test_torn_entry_is_a_miss(tmp_path: Path) -> None:
    """An entry whose bytes are not those written (a page lost to a power cut: nothing is
    synced) fails its checksum: a miss, never another result."""
    cache = Cache(tmp_path / "cache", "tool")
    cache.put_many([("a", pickle.dumps("right")), ("b", pickle.dumps("also right"))])
    database = sqlite3.connect(cache.directory / DATABASE)
    with database:
        database.execute("update entries set blob = ? where key = 'a'", (pickle.dumps("wrong"),))
    database.close()
    assert cache.get("a") is None and cache.get_many(["a", "b"]) == {"b": "also right"}
