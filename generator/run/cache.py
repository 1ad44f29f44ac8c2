"""A content-hash cache for the per-file stages (load, validate, model).

An entry holds what those stages made of one file, pickled: its diagnostics and its model
objects; `check` keeps beside it what it needs of the file (`generator.project.FileCheck`).
Its key is a hash of the file's bytes, the path it is reported under and the size limit,
inside a directory named after the tool (its version and source code, the schema and the
Python version): any change to any of these misses. References across files are never cached.

The entries of a directory live in one SQLite database (`entries.db`), written a batch at a
time, each batch one transaction, by the processes that load the files: a first run over 1,000
files spent more time creating 1,000 entry files than loading a tenth of them. Anything
unreadable is a miss, a database that cannot be written is skipped, and a damaged one is
started over, so a cache never changes a result and never fails a run. Nothing is synced to
disk: a cache need not outlive a power cut, and one that left an entry torn is told by the
entry's checksum (a miss) or by SQLite (started over). Entries are pickles: the cache
directory is trusted like the source tree. Delete it (`.cache/runbookgen/` by default) to
start over.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import generator
from generator.core.validate import schema_path

DEFAULT_DIR = Path(".cache") / "runbookgen"
PROTOCOL = pickle.HIGHEST_PROTOCOL
DATABASE = "entries.db"
_SCHEMA = (
    "create table if not exists entries (key text primary key, blob blob, crc integer)"
    " without rowid"
)
# SQLite binds at most 32,766 values a statement (999 before 3.32).
_KEYS_A_QUERY = 900
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
    return [p.read_bytes() for p in sorted(package.rglob("*.py"))]


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

    def get_many(self, keys: list[str]) -> dict[str, object]:
        """The stored results of *keys* that are in the cache, read together (see `get`)."""
        found: dict[str, object] = {}
        try:
            rows = self._read_many(keys)
        except Exception:  # any unreadable entry is a miss, never an error
            rows = []
        for key, blob in rows:
            try:
                found[key] = pickle.loads(blob)
            except Exception:
                continue
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def exists(self) -> bool:
        """Whether anything was ever stored here (a cache never written has nothing to find)."""
        return (self.directory / DATABASE).is_file()

    def put(self, key: str, blob: bytes) -> None:
        """Store a pickled result; a cache that cannot be written is silently skipped."""
        self.put_many([(key, blob)])

    def put_many(self, entries: Iterable[tuple[str, bytes]]) -> None:
        """Store pickled results (key, blob), all in one transaction."""
        rows = list(entries)
        if rows:
            self._safely(lambda: self._write(rows))

    def create(self) -> None:
        """Make the database if there is none, then close this process's connection to it:
        what to do before forking processes that write to it (each opens its own)."""
        self._safely(lambda: None)
        _forget(self.directory / DATABASE, remove=False)

    def _safely(self, write: Callable[[], None]) -> None:
        """Open the database (made if need be) and *write*; skipped if it cannot be done."""
        database = self.directory / DATABASE
        try:
            self._prepare()
            _connection(database, create=True)
            write()
        except sqlite3.OperationalError:  # locked, read-only, full: skipped
            return
        except sqlite3.DatabaseError:  # damaged: started over, once
            try:
                _forget(database, remove=True)
                _connection(database, create=True)
                write()
            except (OSError, sqlite3.Error):
                return
        except OSError:  # no directory can be made there
            return

    def _read(self, key: str) -> bytes:
        row = (
            _connection(self.directory / DATABASE, create=False)
            .execute("select blob, crc from entries where key = ?", (key,))
            .fetchone()
        )
        if row is None or zlib.crc32(row[0]) != row[1]:
            raise LookupError(key)
        return bytes(row[0])

    def _read_many(self, keys: list[str]) -> list[tuple[str, bytes]]:
        database = _connection(self.directory / DATABASE, create=False)
        rows: list[tuple[str, bytes]] = []
        for start in range(0, len(keys), _KEYS_A_QUERY):
            part = keys[start : start + _KEYS_A_QUERY]
            marks = ", ".join("?" * len(part))
            query = f"select key, blob, crc from entries where key in ({marks})"
            found = database.execute(query, part)
            rows.extend(
                (str(key), bytes(blob)) for key, blob, crc in found if zlib.crc32(blob) == crc
            )
        return rows

    def _write(self, rows: list[tuple[str, bytes]]) -> None:
        database = _connection(self.directory / DATABASE, create=True)
        checked = [(key, blob, zlib.crc32(blob)) for key, blob in rows]
        with database:  # one transaction: committed, or rolled back on an error
            database.executemany(
                "insert or replace into entries (key, blob, crc) values (?, ?, ?)", checked
            )

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
    try:  # write-ahead log: readers never wait for a writer; no sync (see the module docstring)
        connection.execute("pragma journal_mode = wal")
        connection.execute("pragma synchronous = off")
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
