"""Load a whole project: every file through loading, validation and modelling, then cross-references.

This is the one entry point the CLI and the MkDocs plugin share. The per-file stages (and the
checks that need one file only: `generator.checks.file_findings` and the references inside a
runbook) run in worker processes for large projects and can be served from a content-hash
cache (`generator.cache`). Each worker reads a file once, hashes what it read, and writes its
own results to the cache, a chunk of files a transaction; it sends back pickled what its caller
needs: `load_site` the model, `check_site` only the diagnostics, findings, review dates and
an outline of each runbook for the references across files, which always run on the whole
site, in this process. `check_site` also keeps a whole run's diagnostics, for a project in
which nothing changed.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from generator.checks import Checked, Finding, file_findings, review_dates
from generator.core.fastvalidate import compiled, is_valid
from generator.core.loader import (
    MAX_BYTES,
    Document,
    display_path,
    iter_yaml_files,
    load,
    load_bytes,
    read_source,
)
from generator.core.model import (
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
from generator.core.references import (
    Outline,
    check_references,
    outline,
    runbook_references,
    site_references,
)
from generator.core.validate import kind_of, validate
from generator.diagnostics import Diagnostic, make, pickle_by_dict
from generator.run.cache import Cache, dumps, entry_key
from generator.run.workers import collector_paused, forked_pool, worker_count


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
class FileCheck:
    """What `check` needs of one file: its diagnostics (its runbook's references inside the
    file included), findings and review dates, its shared scheme or contacts, and the outline
    of its runbook for the references across files."""

    diagnostics: tuple[Diagnostic, ...] = ()
    findings: tuple[Finding, ...] = ()
    reviews: ReviewDates | None = None
    scheme: SeverityScheme | None = None
    contacts: tuple[Contact, ...] = ()
    outline: Outline | None = None


@dataclass(frozen=True)
class _Job:
    """A file to load, and the cache key of its content when this process read it to look in
    the cache ("" when it did not); what goes to a worker."""

    path: Path
    max_bytes: int
    key: str = ""


@dataclass(frozen=True)
class _Outcome:
    """One file loaded: its result for the caller; the cache key of the content it was made of
    ("" if none: unreadable, or no cache); the cache rows to write, and the result pickled
    among them."""

    value: FileResult | FileCheck
    key: str = ""
    rows: list[tuple[str, bytes]] = field(default_factory=list)
    blob: bytes | None = None


pickle_by_dict(FileResult, FileCheck, _Job)  # to and from the workers, into the cache


def load_document(
    path: Path, *, max_bytes: int = MAX_BYTES
) -> tuple[Document | None, list[Diagnostic]]:
    """Load and schema-validate one file; the document is None when it cannot be used."""
    doc, problems = load(path, display=display_path(path), max_bytes=max_bytes)
    return _validated(doc, problems)


def _validated(
    doc: Document | None, problems: list[Diagnostic]
) -> tuple[Document | None, list[Diagnostic]]:
    if doc is None:
        return None, problems
    # jsonschema explains; the compiled schema only proves validity, five times faster.
    problems = [] if is_valid(doc) else validate(doc)
    return (None if problems else doc), problems


def load_file(path: Path, *, max_bytes: int = MAX_BYTES) -> FileResult:
    """The per-file stages for one file: load, validate, build its model objects."""
    name = display_path(path)
    raw, problems = read_source(path, name=name, max_bytes=max_bytes)
    return _packed(_result(name, raw, problems))


def _result(name: str, raw: bytes | None, problems: list[Diagnostic]) -> FileResult:
    """What the per-file stages make of a file's bytes (a runbook's positions still unpacked)."""
    doc = None
    if raw is not None:
        doc, problems = load_bytes(raw, name, detailed=False)
        if doc is not None and not is_valid(doc):  # explaining why takes the details
            doc, problems = _validated(*load_bytes(raw, name))
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
    findings = file_findings(runbook, (), texts=doc.texts)
    return FileResult(runbook=runbook, findings=findings, reviews=review_dates(runbook))


def _packed(result: FileResult) -> FileResult:
    """The result with its runbook's positions packed: the checks read them as built, a loaded
    site keeps them packed."""
    if result.runbook is not None:
        result.runbook.positions.pack()
    return result


def file_check(result: FileResult) -> FileCheck:
    """What `check` needs of one file's result (see `FileCheck`)."""
    runbook = result.runbook
    if runbook is None:
        return FileCheck(result.diagnostics, result.findings, None, result.scheme, result.contacts)
    inside = tuple(runbook_references(runbook))
    return FileCheck(
        result.diagnostics + inside,
        result.findings,
        result.reviews,
        outline=outline(runbook, detached=True),
    )


def load_site(
    paths: Iterable[Path],
    *,
    max_bytes: int = MAX_BYTES,
    jobs: int = 0,
    cache: Cache | None = None,
    references: bool = True,
) -> Site:
    """Load every YAML file under *paths* into one Site, collecting every diagnostic.

    *jobs* is the number of worker processes for files to load (0: one per CPU; 1: none);
    small projects load in this process whatever it says. With a *cache*, unchanged files
    are not loaded again. Without *references*, what the runbooks refer to is not checked
    (`alerts check` reads the site, `check` judges it: half the time of a warm load).
    """
    found = load_project(paths, max_bytes=max_bytes, jobs=jobs, cache=cache, references=references)
    return found[0]


def load_project(
    paths: Iterable[Path],
    *,
    max_bytes: int = MAX_BYTES,
    jobs: int = 0,
    cache: Cache | None = None,
    references: bool = True,
) -> tuple[Site, Checked]:
    """The site (`load_site`), and beside it what `check` would find of it (`check_site`)."""
    todo = _jobs(paths, max_bytes, cache)
    with collector_paused():
        results, _ = _gather(todo, jobs=jobs, cache=cache, check=False)
        found = _Gathered()
        for result in results:
            assert isinstance(result, FileResult)
            found.take(result)
        site = found.site()
        referred = check_references(site) if references else ()
        problems = tuple(sorted([*found.diagnostics, *referred]))
    checked = Checked(problems, tuple(found.findings), tuple(found.reviews))
    return replace(site, diagnostics=problems), checked


# A file of shared definitions, by its top-level `kind:`.
_SHARED_KIND = re.compile(
    r"(?m)^kind:[ \t]*[\"']?(?:contacts|severity-scheme)[\"']?[ \t]*(?:#.*)?$"
)


def with_shared_files(
    paths: Sequence[Path], *, sources: Path
) -> tuple[list[Path], set[str] | None]:
    """What to load to check *paths*: a file given alone refers to contacts and severity
    schemes defined beside it or in the project's *sources*, which are loaded too. Returns the
    paths to load, and the files (as diagnostics name them) whose diagnostics to report: those
    given and those in the folders given; None for all of them (no file was given alone)."""
    files = [path for path in paths if not path.is_dir()]
    if not files:
        return list(paths), None
    folders = {path.parent for path in files} | ({sources} if sources.is_dir() else set())
    given = {path.resolve() for path in paths}
    shared = [
        found
        for found in iter_yaml_files(sorted(folders))
        if found.resolve() not in given and _is_shared(found)
    ]
    dirs = [path for path in paths if path.is_dir()]  # all of a folder given is reported
    reported = {display_path(path) for path in [*files, *iter_yaml_files(dirs)]}
    return [*paths, *shared], reported


def _is_shared(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            head = file.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return _SHARED_KIND.search(head) is not None


def check_site(
    paths: Iterable[Path], *, max_bytes: int = MAX_BYTES, jobs: int = 0, cache: Cache | None
) -> Checked:
    """What `runbookgen check` needs: the diagnostics, findings and review dates of the site
    (the same as `load_site` finds), and nothing else: no runbooks, schemes or contacts.

    When no file was added, removed or changed since a run that stored them, they come from
    one cache entry.
    """
    todo = _jobs(paths, max_bytes, cache)
    key = _site_key([job.key for job in todo]) if cache is not None else ""
    stored = cache.get(key) if cache is not None and key else None
    if isinstance(stored, Checked):
        return stored
    with collector_paused():
        results, keys = _gather(todo, jobs=jobs, cache=cache, check=True)
        checked = _checked([result for result in results if isinstance(result, FileCheck)])
    key = _site_key(keys)
    if cache is not None and key:
        cache.put(key, dumps(checked))
    return checked


@dataclass
class _Gathered:
    """What the files of a project add up to, as their results come in."""

    runbooks: list[Runbook] = field(default_factory=list)
    schemes: dict[str, SeverityScheme] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reviews: list[ReviewDates] = field(default_factory=list)

    def take(self, result: FileResult | FileCheck) -> None:
        """What any file's result adds: diagnostics, findings, review dates, a runbook, a
        shared severity scheme or contacts (the first of a duplicate id, the other reported)."""
        self.diagnostics.extend(result.diagnostics)
        self.findings.extend(result.findings)
        if result.reviews is not None:
            self.reviews.append(result.reviews)
        if isinstance(result, FileResult) and result.runbook is not None:
            self.runbooks.append(result.runbook)
        if result.scheme is not None:
            self._add("severity scheme", self.schemes, result.scheme)
        for contact in result.contacts:
            self._add("contact", self.contacts, contact)

    def _add(self, what: str, known: dict[str, Any], entry: SeverityScheme | Contact) -> None:
        first = known.setdefault(entry.id, entry)
        if first is not entry:
            self.diagnostics.append(_duplicate(what, entry.id, entry.source, first.source))

    def site(self) -> Site:
        return Site(tuple(self.runbooks), self.schemes, self.contacts)


def _checked(results: list[FileCheck]) -> Checked:
    found, outlines = _Gathered(), []
    for result in results:
        found.take(result)
        if result.outline is not None:
            outlines.append(result.outline)
    found.diagnostics.extend(
        site_references(outlines, schemes=found.schemes, contacts=found.contacts)
    )
    return Checked(tuple(sorted(found.diagnostics)), tuple(found.findings), tuple(found.reviews))


def _site_key(keys: list[str]) -> str:
    """The cache key of a whole run: every file's key, in order; none if a file has none."""
    if not keys or not all(keys):
        return ""
    digest = hashlib.sha256(b"site\0")
    for key in keys:
        digest.update(key.encode() + b"\0")
    return "site-" + digest.hexdigest()


def _check_key(key: str) -> str:
    """The key of what `check` keeps of a file, beside the file's whole result."""
    return "check-" + key


def _jobs(paths: Iterable[Path], max_bytes: int, cache: Cache | None) -> list[_Job]:
    """The files to load, each hashed to look in the cache, unless it was never written: the
    worker that loads a file hashes what it reads, and stores its result under that key."""
    files = iter_yaml_files(list(paths))
    lookup = cache is not None and cache.exists()
    return [_job(path, max_bytes) if lookup else _Job(path, max_bytes) for path in files]


def _job(path: Path, max_bytes: int) -> _Job:
    try:  # files too big or unreadable are refused before any reading: not worth a cache entry
        if path.stat().st_size > max_bytes:
            return _Job(path, max_bytes)
        content = path.read_bytes()
    except OSError:
        return _Job(path, max_bytes)
    return _Job(
        path, max_bytes, entry_key(display=display_path(path), max_bytes=max_bytes, content=content)
    )


def _gather(
    todo: list[_Job], *, jobs: int, cache: Cache | None, check: bool
) -> tuple[list[FileResult | FileCheck], list[str]]:
    """Every file's result, in order, from the cache or computed (and stored in it); and the
    cache key of each file's content ("" for a file that has none)."""
    found = _lookup(todo, cache, check=check)
    keys = [job.key for job in todo]
    missing = [i for i in range(len(todo)) if i not in found]
    computed = _compute([todo[i] for i in missing], jobs=jobs, cache=cache, check=check)
    for i, (result, key) in zip(missing, computed, strict=True):
        found[i], keys[i] = result, key
    return [found[i] for i in range(len(todo))], keys


def _lookup(
    todo: list[_Job], cache: Cache | None, *, check: bool
) -> dict[int, FileResult | FileCheck]:
    """The results in the cache, by index in *todo*: for `check`, what it keeps of a file."""
    keyed = {i: job.key for i, job in enumerate(todo) if job.key}
    if cache is None or not keyed:
        return {}
    if not check:
        results = _read(cache, list(keyed.values()))
        found = {i: results.get(key) for i, key in keyed.items()}
        return {i: result for i, result in found.items() if isinstance(result, FileResult)}
    summaries = _read(cache, [_check_key(key) for key in keyed.values()])
    checked: dict[int, FileResult | FileCheck] = {}
    store = _Store(cache)
    for i, key in keyed.items():
        summary = summaries.get(_check_key(key))
        if not isinstance(summary, FileCheck):
            summary = _summary_of(cache.get(key), key, store)
        if summary is not None:
            checked[i] = summary
    store.flush()
    return checked


def _read(cache: Cache, keys: list[str]) -> dict[str, object]:
    """The entries of *keys* that the cache has, read together; one at a time from a cache
    that answers some from elsewhere (plugin_serve's, from memory), as it needs."""
    if type(cache).get is Cache.get:
        return cache.get_many(keys)
    found = {key: cache.get(key) for key in keys}
    return {key: value for key, value in found.items() if value is not None}


def _summary_of(result: object, key: str, store: _Store) -> FileCheck | None:
    """What `check` needs of a whole result the build stored (kept for the next check)."""
    if not isinstance(result, FileResult):
        return None
    summary = file_check(result)
    store.add(_check_key(key), dumps(summary))
    return summary


class _Store:
    """Results on their way into the cache: written a batch at a time, each one transaction."""

    BATCH = 64

    def __init__(self, cache: Cache | None) -> None:
        self.cache = cache
        self.pending: list[tuple[str, bytes]] = []

    def add(self, key: str, blob: bytes) -> None:
        self.pending.append((key, blob))
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self.cache is not None and self.pending:
            self.cache.put_many(self.pending)
        self.pending = []


def _compute(
    todo: list[_Job], *, jobs: int, cache: Cache | None, check: bool
) -> Iterator[tuple[FileResult | FileCheck, str]]:
    workers = worker_count(jobs, len(todo))
    if workers > 1:
        yield from _compute_in_pool(todo, workers, cache=cache, check=check)
        return
    store = _Store(cache)
    try:
        for job in todo:
            outcome = _run(job, keep=cache is not None, check=check)
            for key, blob in outcome.rows:
                store.add(key, blob)
            yield outcome.value, outcome.key
    finally:
        store.flush()


# Files a worker takes at a time: enough that handing them over costs little, few enough that
# neither worker waits long for the other at the end.
CHUNK = 24


def _compute_in_pool(
    todo: list[_Job], workers: int, *, cache: Cache | None, check: bool
) -> Iterator[tuple[FileResult | FileCheck, str]]:
    compiled("runbook")  # before the fork: every worker starts with the schema compiled
    where = None if cache is None else (cache.root, cache.tool)
    if cache is not None:
        cache.create()  # not by two workers at once
    size = max(1, min(CHUNK, len(todo) // (workers * 4)))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    with forked_pool(workers) as pool:
        for done in pool.map(partial(_run_chunk, where=where, check=check), chunks):
            for blob, key in done:
                result = pickle.loads(blob)
                assert isinstance(result, FileResult | FileCheck)
                yield result, key


def _run_chunk(
    todo: list[_Job], *, where: tuple[Path, str] | None, check: bool
) -> list[tuple[bytes, str]]:
    """In a worker: the results of a few files, pickled, each with the key of the content it
    was made of; their cache rows written here, in one transaction."""
    outcomes = [_run(job, keep=where is not None, check=check) for job in todo]
    if where is not None:
        Cache(*where).put_many(row for outcome in outcomes for row in outcome.rows)
    return [(outcome.blob or dumps(outcome.value), outcome.key) for outcome in outcomes]


def _run(job: _Job, *, keep: bool, check: bool) -> _Outcome:
    """One file: read once, loaded, and (if *keep*) its results stored under the key of what
    was read, so an entry is always the result of its key's content; for the caller, its
    result, or (*check*) only what `check` needs."""
    name = display_path(job.path)
    raw, problems = read_source(job.path, name=name, max_bytes=job.max_bytes)
    key = (
        ""
        if raw is None or not keep
        else entry_key(display=name, max_bytes=job.max_bytes, content=raw)
    )
    result = _result(name, raw, problems)
    summary = file_check(result) if check else None  # before packing: it reads positions
    _packed(result)
    value = result if summary is None else summary
    if not key:
        return _Outcome(value)
    rows = [(key, dumps(result))]
    if summary is not None:
        rows.append((_check_key(key), dumps(summary)))
    return _Outcome(value, key, rows, rows[-1][1])


def _duplicate(what: str, ident: str, here: Source, first: Source) -> Diagnostic:
    message = f"{what} id {ident!r} is already defined at {first.path}:{first.line}:{first.col}: rename one"
    return make(here.path, here.line, here.col, "RB200", message)
