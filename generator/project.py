"""Load a whole project: every file through loading, validation and modelling, then cross-references.

This is the one entry point the CLI and the MkDocs plugin share. The per-file stages (and the
CI checks that need one file only, `generator.checks.file_findings`) run in worker processes
for large projects and can be served from a content-hash cache (`generator.cache`): a worker
sends its result back pickled, and this process writes that same blob to the cache, a batch
at a time; cross-references always run on the whole site, in this process. `check_site` also
keeps a whole run's diagnostics, for a project in which nothing changed.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.cache import Cache, dumps, entry_key
from generator.checks import Finding, file_findings, review_dates
from generator.diagnostics import Diagnostic, make
from generator.fastvalidate import compiled, is_valid
from generator.loader import MAX_BYTES, Document, display_path, iter_yaml_files, load
from generator.model import (
    Contact,
    ReviewDates,
    Runbook,
    SeverityScheme,
    Site,
    Source,
    build_contacts,
    build_runbook,
    build_scheme,
)
from generator.references import check_references
from generator.validate import kind_of, validate

# Below this many files to load, starting worker processes costs more than it saves
# (starting a worker costs about 20 ms; a runbook about 6 ms).
PARALLEL_MIN_FILES = 48


@dataclass(frozen=True)
class FileResult:
    """What the per-file stages make of one file: its diagnostics or its model objects, and
    what the checks that need only this file found in it."""

    diagnostics: tuple[Diagnostic, ...] = ()
    runbook: Runbook | None = None
    scheme: SeverityScheme | None = None
    contacts: tuple[Contact, ...] = ()
    findings: tuple[Finding, ...] = ()
    reviews: ReviewDates | None = None


@dataclass(frozen=True)
class _Job:
    """A file to load, and its cache key ("" when it is not to be cached); what goes to a
    worker (never the cache: the parent reads and writes it)."""

    path: Path
    max_bytes: int
    key: str = ""


def load_document(
    path: Path, *, max_bytes: int = MAX_BYTES
) -> tuple[Document | None, list[Diagnostic]]:
    """Load and schema-validate one file; the document is None when it cannot be used."""
    doc, problems = load(path, display=display_path(path), max_bytes=max_bytes)
    if doc is None:
        return None, problems
    # jsonschema explains; the compiled schema only proves validity, five times faster.
    problems = [] if is_valid(doc) else validate(doc)
    return (None if problems else doc), problems


def load_file(path: Path, *, max_bytes: int = MAX_BYTES) -> FileResult:
    """The per-file stages for one file: load, validate, build its model objects."""
    doc, problems = load_document(path, max_bytes=max_bytes)
    if doc is None:
        return FileResult(tuple(problems))
    kind = kind_of(doc)
    if kind == "severity-scheme":
        scheme = build_scheme(doc)
        return FileResult(scheme=scheme, findings=file_findings(None, [scheme]))
    if kind == "contacts":
        contacts = build_contacts(doc)
        return FileResult(contacts=contacts, findings=file_findings(None, contacts))
    runbook = build_runbook(doc)
    findings, reviews = file_findings(runbook, ()), review_dates(runbook)
    runbook.positions.pack()  # the checks read them as built; a loaded site keeps them packed
    return FileResult(runbook=runbook, findings=findings, reviews=reviews)


def load_site(
    paths: Iterable[Path],
    *,
    max_bytes: int = MAX_BYTES,
    jobs: int = 0,
    cache: Cache | None = None,
) -> Site:
    """Load every YAML file under *paths* into one Site, collecting every diagnostic.

    *jobs* is the number of worker processes for files to load (0: one per CPU; 1: none);
    small projects load in this process whatever it says. With a *cache*, unchanged files
    are not loaded again.
    """
    todo = [_job(path, max_bytes, cache) for path in iter_yaml_files(list(paths))]
    return _load_site(todo, jobs=jobs, cache=cache)


def check_site(
    paths: Iterable[Path], *, max_bytes: int = MAX_BYTES, jobs: int = 0, cache: Cache
) -> Site:
    """What `runbookgen check` needs: the diagnostics, findings and review dates of the site.

    When no file was added, removed or changed since a run that stored them, they come from
    one cache entry and the site holds nothing else (no runbooks, schemes or contacts).
    """
    todo = [_job(path, max_bytes, cache) for path in iter_yaml_files(list(paths))]
    key = _site_key(todo)
    stored = cache.get(key) if key else None
    if isinstance(stored, Site):
        return stored
    site = _load_site(todo, jobs=jobs, cache=cache)
    if key:
        summary = Site(diagnostics=site.diagnostics, findings=site.findings, reviews=site.reviews)
        cache.put(key, dumps(summary))
    return site


def _site_key(todo: list[_Job]) -> str:
    """The cache key of a whole run: every file's key, in order; none if a file has none."""
    if not todo or any(not job.key for job in todo):
        return ""
    digest = hashlib.sha256(b"site\0")
    for job in todo:
        digest.update(job.key.encode() + b"\0")
    return "site-" + digest.hexdigest()


def _load_site(todo: list[_Job], *, jobs: int, cache: Cache | None) -> Site:
    site = Site()
    with _collector_paused():
        for result in _load_files(todo, jobs=jobs, cache=cache):
            site.diagnostics.extend(result.diagnostics)
            site.findings.extend(result.findings)
            if result.reviews is not None:
                site.reviews.append(result.reviews)
            _add(site, result)
    site.diagnostics.extend(check_references(site))
    site.diagnostics.sort()
    return site


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the site grows.

    The model is hundreds of thousands of small acyclic objects: each collection walks them
    all again and frees nothing (it doubled the time of a warm check of 1,000 runbooks).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_files(todo: list[_Job], *, jobs: int, cache: Cache | None) -> list[FileResult]:
    """Every file's result, in order: from the cache, or computed (and stored in it)."""
    results: list[FileResult | None] = [_cached(job, cache) for job in todo]
    missing = [i for i, result in enumerate(results) if result is None]
    computed = _compute([todo[i] for i in missing], jobs=jobs, store=_Store(cache))
    for i, result in zip(missing, computed, strict=True):
        results[i] = result
    return [result for result in results if result is not None]


def _job(path: Path, max_bytes: int, cache: Cache | None) -> _Job:
    if cache is None:
        return _Job(path, max_bytes)
    try:  # files too big or unreadable are refused before any reading: not worth a cache entry
        if path.stat().st_size > max_bytes:
            return _Job(path, max_bytes)
        content = path.read_bytes()
    except OSError:
        return _Job(path, max_bytes)
    key = cache.key(display=display_path(path), max_bytes=max_bytes, content=content)
    return _Job(path, max_bytes, key)


def _cached(job: _Job, cache: Cache | None) -> FileResult | None:
    if cache is None or not job.key:
        return None
    result = cache.get(job.key)
    return result if isinstance(result, FileResult) else None


class _Store:
    """Results on their way into the cache: written a batch at a time, each one transaction."""

    BATCH = 64

    def __init__(self, cache: Cache | None) -> None:
        self.cache = cache
        self.pending: list[tuple[str, bytes]] = []

    def add(self, job: _Job, blob: bytes) -> None:
        self.pending.append((job.key, blob))
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self.cache is not None and self.pending:
            self.cache.put_many(self.pending)
        self.pending = []


def _compute(todo: list[_Job], *, jobs: int, store: _Store) -> Iterator[FileResult]:
    workers = worker_count(jobs, len(todo))
    try:
        if workers <= 1:
            yield from (_load_here(job, store) for job in todo)
        else:
            yield from _load_in_pool(todo, workers, store)
    finally:
        store.flush()


def worker_count(jobs: int, files: int) -> int:
    """How many worker processes to start for *files* items of work (*jobs*: 0 one per CPU):
    none for few, or where forking is unsafe."""
    if files < PARALLEL_MIN_FILES or sys.platform != "linux" or threading.active_count() > 1:
        return 1  # (fork copies no other thread: a lock one of them holds would never be freed)
    cpus = len(os.sched_getaffinity(0))
    return min(jobs or cpus, files // (PARALLEL_MIN_FILES // 2))


def _load_here(job: _Job, store: _Store) -> FileResult:
    result = load_file(job.path, max_bytes=job.max_bytes)
    if store.cache is not None and _unchanged(job):
        store.add(job, dumps(result))
    return result


def _load_in_pool(todo: list[_Job], workers: int, store: _Store) -> Iterator[FileResult]:
    compiled("runbook")  # before the fork: every worker starts with the schema compiled
    context = multiprocessing.get_context("fork")  # workers start in milliseconds
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        chunk = max(1, len(todo) // (workers * 8))
        loaded = pool.map(_load_pickled, todo, chunksize=chunk)
        for job, (blob, unchanged) in zip(todo, loaded, strict=True):
            result = pickle.loads(blob)
            assert isinstance(result, FileResult)
            if unchanged:
                store.add(job, blob)
            yield result


def _load_pickled(job: _Job) -> tuple[bytes, bool]:
    """In a worker: the result, pickled once for both the cache and the way back, and
    whether the file is still what its cache key was made of."""
    blob = dumps(load_file(job.path, max_bytes=job.max_bytes))
    return blob, _unchanged(job)


def _unchanged(job: _Job) -> bool:
    """A file edited while it was loaded keeps no entry: its result may be the old content's."""
    if not job.key:
        return False
    try:
        content = job.path.read_bytes()
    except OSError:
        return False
    key = entry_key(display=display_path(job.path), max_bytes=job.max_bytes, content=content)
    return key == job.key


def _add(site: Site, result: FileResult) -> None:
    if result.scheme is not None:
        _add_scheme(site, result.scheme)
    for contact in result.contacts:
        _add_contact(site, contact)
    if result.runbook is not None:
        site.runbooks.append(result.runbook)


def _add_scheme(site: Site, scheme: SeverityScheme) -> None:
    if scheme.id in site.schemes:
        site.diagnostics.append(
            _duplicate("severity scheme", scheme.id, scheme.source, site.schemes[scheme.id].source)
        )
    else:
        site.schemes[scheme.id] = scheme


def _add_contact(site: Site, contact: Contact) -> None:
    if contact.id in site.contacts:
        site.diagnostics.append(
            _duplicate("contact", contact.id, contact.source, site.contacts[contact.id].source)
        )
    else:
        site.contacts[contact.id] = contact


def _duplicate(what: str, ident: str, here: Source, first: Source) -> Diagnostic:
    message = f"{what} id {ident!r} is already defined at {first.path}:{first.line}:{first.col}: rename one"
    return make(here.path, here.line, here.col, "RB200", message)
