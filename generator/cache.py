"""A content-hash cache for the per-file stages (load, validate, model).

An entry holds what those stages made of one file, pickled: its diagnostics and its model
objects. Its key is a hash of the file's bytes, the path it is reported under and the size
limit, inside a directory named after the tool (its version and source code, the schema and
the Python version): any change to any of these misses. Cross-references are never cached.

Entries are written atomically, and anything unreadable is a miss, so a cache never changes a
result and never fails a run. Entries are pickles: the cache directory is trusted like the
source tree. Delete it (`.cache/runbookgen/` by default) to start over.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import generator
from generator.validate import schema_path

DEFAULT_DIR = Path(".cache") / "runbookgen"
PROTOCOL = pickle.HIGHEST_PROTOCOL


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
        digest = hashlib.sha256(f"{display}\0{max_bytes}\0".encode())
        digest.update(content)
        return digest.hexdigest()

    def get(self, key: str) -> object | None:
        """The stored result, or None on a miss (absent, unreadable or from another tool)."""
        try:
            value: object = pickle.loads((self.directory / key).read_bytes())
        except Exception:  # any unreadable entry is a miss, never an error
            value = None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, blob: bytes) -> None:
        """Store a pickled result; a cache that cannot be written is silently skipped."""
        try:
            self._prepare()
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(blob)
            os.replace(tmp, self.directory / key)
        except OSError:
            Path(tmp).unlink(missing_ok=True)

    def _prepare(self) -> None:
        if self.directory.is_dir():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for other in self.root.iterdir():  # entries of other tool versions can never hit again
            if other.is_dir() and other.name != self.tool:
                shutil.rmtree(other, ignore_errors=True)


def dumps(value: object) -> bytes:
    """A result as an entry."""
    return pickle.dumps(value, protocol=PROTOCOL)
