"""A content-hash cache for the per-file stages (load, validate, model).

An entry holds what those stages made of one file, pickled: its diagnostics and its model
objects. Its key is a hash of the file's bytes, the path it is reported under and the size
limit, inside a directory named after the tool (its version and source code, the schema and
the Python version): any change to any of these misses. Cross-references are never cached.

The entries of a directory live in one SQLite database (`entries.db`), written a batch at a
time, each batch one transaction: a first run over 1,000 files spent more time creating 1,000
entry files than loading a tenth of them. Anything unreadable is a miss, a database that cannot
be written is skipped, and a damaged one is started over, so a cache never changes a result
and never fails a run. Entries are pickles: the cache directory is trusted like the source
tree. Delete it (`.cache/runbookgen/` by default) to start over.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import generator
from generator.validate import schema_path

DEFAULT_DIR = Path(".cache") / "runbookgen"
PROTOCOL = pickle.HIGHEST_PROTOCOL
DATABASE = "entries.db"
_SCHEMA = "create table if not exists entries (key text primary key, blob blob) without rowid"
# One connection a database file (absolute path) and process, with the file's inode number:
# a forked worker never uses its parent's.
_CONNECTIONS: dict[tuple[str, int], tuple[sqlite3.Connection, int]] = {}


def tool_key(*, schema: bytes) -> str:
    """What every entry depends on besides its file: tool version and code, schema, Python."""
    digest = hashlib.sha256()
    for part in (generator.__version__.encode(), sys.version.encode(), schema, *_sources()):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()[:24]


def _sources() -> list[bytes]:
    # An editable install keeps its version number while its code changes: hash the code too.
    package = Path(generator.__file__).parent
    return [p.read_bytes() for p in sorted(package.glob("*.py"))]


def entry_key(*, display: str, max_bytes: int, content: bytes) -> str:
    """The entry key of one file's content, as reported under *display*."""
    digest = hashlib.sha256(f"{display}\0{max_bytes}\0".encode())
    digest.update(content)
    return digest.hexdigest()


@dataclass
class Cache:
    """Pickled per-file results under *root*/<tool key>/; hits and misses are counted."""

    root: Path
    tool: str
    hits: int = field(default=0, compare=False)
    misses: int = field(default=0, compare=False)

    @classmethod
    def open(cls, root: Path = DEFAULT_DIR) -> Cache:
        """The cache of the running tool and schema under *root*."""
        return cls(root, tool_key(schema=schema_path().read_bytes()))

    @property
    def directory(self) -> Path:
        return self.root / self.tool

    def key(self, *, display: str, max_bytes: int, content: bytes) -> str:
        """The entry key of one file's content, as reported under *display*."""
        return entry_key(display=display, max_bytes=max_bytes, content=content)

    def get(self, key: str) -> object | None:
        """The stored result, or None on a miss (absent, unreadable or from another tool)."""
        try:
            value: object = pickle.loads(self._read(key))
        except Exception:  # any unreadable entry is a miss, never an error
            value = None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, blob: bytes) -> None:
        """Store a pickled result; a cache that cannot be written is silently skipped."""
        self.put_many([(key, blob)])

    def put_many(self, entries: Iterable[tuple[str, bytes]]) -> None:
        """Store pickled results (key, blob), all in one transaction."""
        rows = list(entries)
        try:
            if rows:
                self._prepare()
                self._write(rows)
        except sqlite3.OperationalError:  # locked, read-only, full: skipped
            return
        except sqlite3.DatabaseError:  # damaged: started over, once
            try:
                _forget(self.directory / DATABASE, remove=True)
                self._write(rows)
            except (OSError, sqlite3.Error):
                return
        except OSError:  # no directory can be made there
            return

    def _read(self, key: str) -> bytes:
        row = (
            _connection(self.directory / DATABASE, create=False)
            .execute("select blob from entries where key = ?", (key,))
            .fetchone()
        )
        if row is None:
            raise LookupError(key)
        return bytes(row[0])

    def _write(self, rows: list[tuple[str, bytes]]) -> None:
        database = _connection(self.directory / DATABASE, create=True)
        with database:  # one transaction: committed, or rolled back on an error
            database.executemany("insert or replace into entries (key, blob) values (?, ?)", rows)

    def _prepare(self) -> None:
        if self.directory.is_dir():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for other in self.root.iterdir():  # entries of other tool versions can never hit again
            if other.is_dir() and other.name != self.tool:
                shutil.rmtree(other, ignore_errors=True)


def _connection(database: Path, *, create: bool) -> sqlite3.Connection:
    """This process's connection to *database* (made, with its table, if *create*).

    A connection follows the file: one deleted, or replaced, is opened again.
    """
    path = os.path.abspath(database)
    try:
        inode = os.stat(path).st_ino
    except FileNotFoundError:
        if not create:
            raise LookupError(path) from None  # reading makes no file
        inode = None
    known = _CONNECTIONS.get((path, os.getpid()))
    if known is not None and known[1] == inode:
        return known[0]
    _forget(database, remove=False)
    connection = sqlite3.connect(path, timeout=2.0, check_same_thread=False)
    try:  # write-ahead log: readers never wait for a writer, and commits need no sync
        connection.execute("pragma journal_mode = wal")
        connection.execute("pragma synchronous = normal")
        connection.execute(_SCHEMA)
    except sqlite3.Error:
        connection.close()
        raise
    _CONNECTIONS[path, os.getpid()] = connection, os.stat(path).st_ino
    return connection


def _forget(database: Path, *, remove: bool) -> None:
    """Close this process's connection to *database*; with *remove*, delete its files."""
    path = os.path.abspath(database)
    known = _CONNECTIONS.pop((path, os.getpid()), None)
    if known is not None:
        known[0].close()
    for suffix in ("-wal", "-shm", "-journal", "") if remove else ():
        Path(path + suffix).unlink(missing_ok=True)


def dumps(value: object) -> bytes:
    """A result as an entry."""
    return pickle.dumps(value, protocol=PROTOCOL)
