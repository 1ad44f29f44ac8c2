"""`runbookgen diff`: what changed in the runbooks between two git revisions, in incident terms.

Both sides go through the normal pipeline (`load_site`), so the same loader rules apply: a
revision's `runbooks/` is copied out of git into a temporary directory first, the working tree is
read where it is. The report says what a responder cares about (severity levels, contacts,
escalation, commands, procedures, review dates), not which YAML lines moved.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from generator.core.loader import MAX_BYTES
from generator.core.model import (
    Command,
    Contact,
    EscalationStep,
    Phase,
    Procedure,
    Runbook,
    SeverityScheme,
    Site,
    Step,
)
from generator.diagnostics import Severity
from generator.render.markdown import environment
from generator.run.project import load_site

SOURCES = "runbooks"
WORKING_TREE = "working tree"
# The first line of the Markdown report, so a CI job can find and update its previous comment.
MARKER = "<!-- runbookgen diff -->"
_UPSTREAMS = ("origin/HEAD", "main", "master")
_STATUS_ORDER = ("added", "removed", "moved", "renamed", "changed")


class DiffError(Exception):
    """A usage or environment problem: not a git repository, unknown revision, no git."""


@dataclass(frozen=True)
class Change:
    """One difference, read as '<subject> <action>: <old> → <new> (<where>)'."""

    subject: str
    action: str
    old: str = ""
    new: str = ""
    where: str = ""
    destructive: str = ""  # why the command concerned is destructive, when it is
    code: bool = False  # old and new are ids or commands, shown as code


@dataclass(frozen=True)
class RunbookDiff:
    """A runbook that was added, removed, moved (new file), renamed (new id) or changed."""

    id: str
    title: str
    status: str
    path: str
    old_path: str = ""
    old_id: str = ""
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class SharedDiff:
    """A shared severity scheme or contact that changed, and the runbooks that use it."""

    kind: str
    id: str
    name: str
    status: str
    path: str
    affects: tuple[str, ...] = ()
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A file that could not be loaded at one side, so it was not compared."""

    revision: str
    path: str


@dataclass(frozen=True)
class Report:
    """Everything that changed between two revisions; unchanged runbooks are not in it."""

    base: str
    head: str
    runbooks: tuple[RunbookDiff, ...] = ()
    shared: tuple[SharedDiff, ...] = ()
    skipped: tuple[Skipped, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.runbooks or self.shared)


@dataclass(frozen=True)
class Side:
    """One side of the comparison: the loaded site and the directory its paths are under."""

    site: Site
    root: Path
    label: str

    def path(self, shown: str) -> str:
        """A source path as the repository names it (runbooks/...), whichever directory held it."""
        try:
            return Path(shown).absolute().relative_to(self.root.absolute()).as_posix()
        except ValueError:
            return shown


# Git.


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"cannot run git ({exc.strerror}): install git and retry") from None


def _git_text(cwd: Path, *args: str) -> str | None:
    done = _git(cwd, *args)
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None


def require_repository(cwd: Path) -> None:
    """Raise DiffError unless *cwd* is inside a git work tree."""
    if _git_text(cwd, "rev-parse", "--is-inside-work-tree") != "true":
        raise DiffError(
            f"{cwd} is not inside a git repository: run `runbookgen diff` from your checkout"
        )


def resolve(cwd: Path, revision: str) -> str:
    """The commit id of *revision*; DiffError when there is none."""
    sha = None
    if revision and not revision.startswith("-"):
        sha = _git_text(cwd, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if not sha:
        raise DiffError(
            f"unknown revision {revision!r}: give a branch, tag or commit (e.g. origin/main)"
        )
    return sha


def default_base(cwd: Path) -> str:
    """Where the current branch left the default branch; HEAD when there is no such branch."""
    for upstream in _UPSTREAMS:
        base = _git_text(cwd, "merge-base", "HEAD", upstream)
        if base:
            return base
    return resolve(cwd, "HEAD")


def _tree_files(cwd: Path, sha: str) -> list[str]:
    done = _git(cwd, "ls-tree", "-r", "-z", "--name-only", sha, "--", f"{SOURCES}/")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise DiffError(f"cannot list {SOURCES}/ at {sha[:12]}: {message}")
    names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [n for n in names if n.endswith((".yaml", ".yml")) and _is_safe(n)]


def _is_safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _blob(cwd: Path, sha: str, name: str) -> bytes:
    """The file at *sha*, cut just over the loader's size cap so the loader reports it as too big."""
    command = ["git", "show", f"{sha}:./{name}"]
    with subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as proc:
        data = proc.stdout.read(MAX_BYTES + 1) if proc.stdout else b""
        if len(data) > MAX_BYTES:
            proc.kill()
    if len(data) <= MAX_BYTES and proc.returncode != 0:
        raise DiffError(f"cannot read {name} at {sha[:12]} with git show")
    return data


def _export(cwd: Path, sha: str, dest: Path) -> None:
    for name in _tree_files(cwd, sha):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_blob(cwd, sha, name))


def _load(root: Path, label: str) -> Side:
    sources = root / SOURCES
    return Side(load_site([sources] if sources.is_dir() else []), root, label)


def _label(revision: str | None, sha: str) -> str:
    short = sha[:7]
    return f"{revision} ({short})" if revision and not sha.startswith(revision) else short


def diff_revisions(
    base: str | None = None, head: str | None = None, *, cwd: Path | None = None
) -> Report:
    """Compare the runbooks of *base* and *head*.

    *base* defaults to the merge-base with the default branch, *head* to the working tree.
    Raises DiffError outside a git repository or for a revision that does not exist.
    """
    cwd = (cwd or Path.cwd()).absolute()
    require_repository(cwd)
    base_sha = resolve(cwd, base) if base else default_base(cwd)
    head_sha = resolve(cwd, head) if head else None
    with tempfile.TemporaryDirectory(prefix="runbookgen-diff-") as tmp:
        _export(cwd, base_sha, Path(tmp, "base"))
        old = _load(Path(tmp, "base"), _label(base, base_sha))
        if head_sha is None:
            return compare(old, _load(cwd, WORKING_TREE))
        _export(cwd, head_sha, Path(tmp, "head"))
        return compare(old, _load(Path(tmp, "head"), _label(head, head_sha)))


# Comparing two sites.


def compare(old: Side, new: Side) -> Report:
    """The report of what changed from *old* to *new*."""
    runbooks = sorted(_runbook_diffs(old, new), key=lambda d: (d.id, d.old_id))
    shared = [
        *_shared_diffs("severity scheme", old.site.schemes, new.site.schemes, old, new),
        *_shared_diffs("contact", old.site.contacts, new.site.contacts, old, new),
    ]
    skipped = [*_skipped(old), *_skipped(new)]
    return Report(old.label, new.label, tuple(runbooks), tuple(shared), tuple(skipped))


def _by_id(runbooks: Sequence[Runbook]) -> dict[str, Runbook]:
    found: dict[str, Runbook] = {}
    for runbook in runbooks:
        found.setdefault(runbook.id, runbook)
    return found


def _runbook_diffs(old: Side, new: Side) -> Iterator[RunbookDiff]:
    olds, news = _by_id(old.site.runbooks), _by_id(new.site.runbooks)
    for ident in olds.keys() & news.keys():
        found = _pair(old, new, olds[ident], news[ident])
        if found is not None:
            yield found
    # Same file, different id: the id was renamed (and its URL with it).
    gone = {old.path(r.source.path): r for i, r in olds.items() if i not in news}
    fresh = {new.path(r.source.path): r for i, r in news.items() if i not in olds}
    for path in gone.keys() & fresh.keys():
        found = _pair(old, new, gone[path], fresh[path])
        if found is not None:
            yield found
    for path in gone.keys() - fresh.keys():
        yield RunbookDiff(gone[path].id, gone[path].title, "removed", path)
    for path in fresh.keys() - gone.keys():
        yield _added(fresh[path], path)


def _pair(old: Side, new: Side, a: Runbook, b: Runbook) -> RunbookDiff | None:
    changes = tuple(_runbook_changes(a, b, old.site, new.site))
    before, after = old.path(a.source.path), new.path(b.source.path)
    if a.id != b.id:
        return RunbookDiff(b.id, b.title, "renamed", after, before, a.id, changes)
    if before != after:
        return RunbookDiff(b.id, b.title, "moved", after, before, "", changes)
    return RunbookDiff(b.id, b.title, "changed", after, changes=changes) if changes else None


def _added(runbook: Runbook, path: str) -> RunbookDiff:
    """A new runbook: only its destructive commands are worth a reviewer's attention here."""
    changes = tuple(_added_command(p) for p in _commands(runbook) if p.command.destructive)
    return RunbookDiff(runbook.id, runbook.title, "added", path, changes=changes)


def _runbook_changes(a: Runbook, b: Runbook, old: Site, new: Site) -> Iterator[Change]:
    yield from _fields(a, b, _RUNBOOK_FIELDS)
    yield from _severity(a, b, old, new)
    yield from _contact_refs(a, b)
    yield from _escalation(a.escalation, b.escalation)
    yield from _command_changes(a, b)
    yield from _sections("Phase", a.phases, b.phases, _PHASE_FIELDS)
    yield from _sections("Procedure", a.procedures, b.procedures, _PROCEDURE_FIELDS)
    yield from _fields(a, b, _REVIEW_FIELDS)
    yield from _other_edits(a, b)


# Field by field.


@dataclass(frozen=True)
class _Field:
    name: str
    label: str
    code: bool = False
    verb: str = "changed"


_RUNBOOK_FIELDS = (
    _Field("title", "Title"),
    _Field("owner", "Owner", code=True),
    _Field("services", "Services", code=True),
    _Field("internal", "Internal only"),
    _Field("version", "Version"),
)
_REVIEW_FIELDS = (
    _Field("last_reviewed", "Last review", verb="moved"),
    _Field("next_review", "Next review", verb="moved"),
)
_SCHEME_FIELDS = (
    _Field("title", "Severity scheme title"),
    _Field("description", "Severity scheme description"),
)
_LEVEL_FIELDS = (
    _Field("response_time", "response time"),
    _Field("escalation", "escalation"),
    _Field("update_cadence", "update cadence"),
    _Field("name", "name"),
    _Field("label", "label"),
    _Field("description", "description"),
    _Field("examples", "examples"),
)
_CONTACT_FIELDS = (
    _Field("role", "Role"),
    _Field("tier", "Tier"),
    _Field("internal", "Internal only"),
    _Field("notes", "Notes"),
)
_ESCALATION_FIELDS = (
    _Field("contact", "Escalation contact", code=True),
    _Field("action", "Escalation action"),
    _Field("condition", "Escalation condition"),
)
_PHASE_FIELDS = (_Field("title", "Phase title"), _Field("time_budget", "Phase time budget"))
_PROCEDURE_FIELDS = (_Field("title", "Procedure title"), _Field("severity", "Procedure severity"))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _verb(old: str, new: str, verb: str) -> str:
    return "added" if not old else "removed" if not new else verb


def _fields(
    a: object, b: object, fields: Sequence[_Field], *, prefix: str = "", where: str = ""
) -> Iterator[Change]:
    for f in fields:
        old, new = _text(getattr(a, f.name)), _text(getattr(b, f.name))
        if old != new:
            verb = _verb(old, new, f.verb)
            yield Change(f"{prefix}{f.label}", verb, old, new, where, code=f.code)


# Severity schemes and contacts.


def _severity(a: Runbook, b: Runbook, old: Site, new: Site) -> Iterator[Change]:
    if a.severity != b.severity:
        yield Change(
            "Severity scheme",
            _verb(a.severity, b.severity, "changed"),
            a.severity,
            b.severity,
            code=True,
        )
        return
    before, after = old.scheme_of(a), new.scheme_of(b)
    # A shared scheme is reported once, with the runbooks it affects; inline ones here.
    if before and after and (a.inline_scheme or b.inline_scheme):
        yield from scheme_changes(before, after)


def scheme_changes(a: SeverityScheme, b: SeverityScheme) -> Iterator[Change]:
    """What changed in a severity scheme: its levels above all."""
    yield from _fields(a, b, _SCHEME_FIELDS)
    olds, news = {lv.id: lv for lv in a.levels}, {lv.id: lv for lv in b.levels}
    for level in a.levels:
        if level.id not in news:
            yield Change("Severity level", "removed", old=level.id)
    for level in b.levels:
        if level.id not in olds:
            where = f"response time {level.response_time}"
            yield Change("Severity level", "added", new=level.id, where=where)
        else:
            yield from _fields(olds[level.id], level, _LEVEL_FIELDS, prefix=f"{level.id} ")


def contact_changes(a: Contact, b: Contact, *, where: str = "") -> Iterator[Change]:
    """What changed in a contact: role, tier, channels."""
    yield from _fields(a, b, _CONTACT_FIELDS, where=where)
    before = [f"{c.type}: {c.value}" for c in a.channels]
    after = [f"{c.type}: {c.value}" for c in b.channels]
    for channel in before:
        if channel not in after:
            yield Change("Channel", "removed", old=channel, where=where)
    for channel in after:
        if channel not in before:
            yield Change("Channel", "added", new=channel, where=where)


def _contact_refs(a: Runbook, b: Runbook) -> Iterator[Change]:
    for ident in a.contacts:
        if ident not in b.contacts:
            yield Change("Contact", "removed", old=ident, code=True)
    for ident in b.contacts:
        if ident not in a.contacts:
            yield Change("Contact", "added", new=ident, code=True)
    inline = {c.id: c for c in a.inline_contacts}
    for contact in b.inline_contacts:
        if contact.id in inline:
            yield from contact_changes(inline[contact.id], contact, where=f"contact {contact.id}")


# Escalation steps have no id: match them by their time, then what is left by position.


def _keyed(steps: Sequence[EscalationStep]) -> dict[tuple[str, int], EscalationStep]:
    keyed: dict[tuple[str, int], EscalationStep] = {}
    for step in steps:
        keyed[(step.after, sum(1 for k in keyed if k[0] == step.after))] = step
    return keyed


def _escalation(a: Sequence[EscalationStep], b: Sequence[EscalationStep]) -> Iterator[Change]:
    olds, news = _keyed(a), _keyed(b)
    for key, step in news.items():
        if key in olds:
            yield from _fields(olds[key], step, _ESCALATION_FIELDS, where=f"after {step.after}")
    gone = [s for k, s in olds.items() if k not in news]
    fresh = [s for k, s in news.items() if k not in olds]
    for before, after in zip(gone, fresh, strict=False):
        yield Change("Escalation time", "changed", before.after, after.after)
        yield from _fields(before, after, _ESCALATION_FIELDS, where=f"after {after.after}")
    for step in gone[len(fresh) :]:
        yield Change("Escalation step", "removed", old=step.action, where=_step_where(step))
    for step in fresh[len(gone) :]:
        yield Change("Escalation step", "added", new=step.action, where=_step_where(step))


def _step_where(step: EscalationStep) -> str:
    return f"after {step.after}" + (f", contact {step.contact}" if step.contact else "")


# Phases and procedures, by id.

_S = TypeVar("_S", Phase, Procedure)


def _sections(
    kind: str, a: Sequence[_S], b: Sequence[_S], fields: Sequence[_Field]
) -> Iterator[Change]:
    olds, news = {s.id: s for s in a}, {s.id: s for s in b}
    for section in a:
        if section.id not in news:
            yield Change(kind, "removed", old=section.title, where=section.id)
    for section in b:
        if section.id not in olds:
            yield Change(kind, "added", new=section.title, where=section.id)
        else:
            yield from _fields(olds[section.id], section, fields, where=section.id)


# Commands: matched by text within their phase or procedure, then by position.


@dataclass(frozen=True)
class _Placed:
    section: str  # the phase or procedure
    where: str
    slot: tuple[int, ...]
    command: Command


def _section_names(runbook: Runbook) -> set[str]:
    return {f"phase {p.id}" for p in runbook.phases} | {
        f"procedure {p.id}" for p in runbook.procedures
    }


def _commands(runbook: Runbook) -> list[_Placed]:
    placed: list[_Placed] = []
    for phase in runbook.phases:
        placed.extend(_step_commands(phase.steps, f"phase {phase.id}", "", ()))
    for procedure in runbook.procedures:
        section = f"procedure {procedure.id}"
        placed.extend(_step_commands(procedure.diagnosis, section, ", diagnosis", ()))
        placed.extend(_step_commands(procedure.resolution, section, ", resolution", ()))
    return placed


def _step_commands(
    steps: Sequence[Step], section: str, part: str, slot: tuple[int, ...]
) -> Iterator[_Placed]:
    for i, step in enumerate(steps):
        for j, command in enumerate(step.commands):
            yield _Placed(section, section + part, (*slot, i, j), command)
        yield from _step_commands(step.steps, section, part, (*slot, i, -1))


def _short(run: str) -> str:
    """The first line of a command, cut to a length a summary line can hold."""
    lines = [line.strip() for line in run.strip().splitlines()]
    first = lines[0] if lines else ""
    cut = first if len(first) <= 80 else first[:79] + "…"
    return cut + (" …" if len(lines) > 1 else "")


def _danger(command: Command) -> str:
    return command.destructive.reason if command.destructive else ""


def _run_key(placed: _Placed) -> tuple[object, ...]:
    return (placed.where, placed.command.run)


def _slot_key(placed: _Placed) -> tuple[object, ...]:
    return (placed.where, placed.slot)


def _take(
    pending: list[_Placed], key: Callable[[_Placed], tuple[object, ...]], like: _Placed
) -> _Placed | None:
    for i, candidate in enumerate(pending):
        if key(candidate) == key(like):
            return pending.pop(i)
    return None


def _command_changes(a: Runbook, b: Runbook) -> Iterator[Change]:
    """Commands added, removed or changed; those of a phase or procedure that was added or
    removed as a whole are left to that line, except the destructive ones."""
    pending = _commands(b)
    left: list[_Placed] = []
    for before in _commands(a):
        same = _take(pending, _run_key, before)
        if same is None:
            left.append(before)
        else:
            yield from _same_command(before, same)
    kept, existed = _section_names(b), _section_names(a)
    for before in left:
        after = _take(pending, _slot_key, before)
        if after is not None or before.section in kept:
            yield _replaced(before, after)
    for after in pending:
        if after.section in existed or after.command.destructive:
            yield _added_command(after)


def _added_command(after: _Placed) -> Change:
    run, danger = _short(after.command.run), _danger(after.command)
    return Change("Command", "added", new=run, where=after.where, code=True, destructive=danger)


def _replaced(before: _Placed, after: _Placed | None) -> Change:
    old = _short(before.command.run)
    if after is None:
        return Change("Command", "removed", old=old, where=before.where, code=True)
    new, danger = _short(after.command.run), _danger(after.command)
    return Change("Command", "changed", old, new, after.where, code=True, destructive=danger)


def _same_command(before: _Placed, after: _Placed) -> Iterator[Change]:
    was, now = before.command.destructive, after.command.destructive
    if now and not was:
        action = "marked destructive"
    elif was and not now:
        action = "no longer marked destructive"
    elif _plain(before.command) != _plain(after.command):
        action = "edited"  # description, language or expected output
    else:
        return
    run, danger = _short(after.command.run), _danger(after.command)
    yield Change("Command", action, new=run, where=after.where, code=True, destructive=danger)


# Everything else: named, not detailed.

_NOISE = frozenset({"source", "positions", "commands"})
_OTHER = (
    ("summary", "summary"),
    ("tags", "tags"),
    ("history", "history"),
    ("variables", "variables"),
    ("flow", "flow chart"),
    ("decision_tables", "decision tables"),
    ("templates", "message templates"),
    ("links", "links"),
)


def _plain(value: object, skip: frozenset[str] = frozenset()) -> object:
    """The value without source positions or commands (reported on their own), for comparing."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = (f.name for f in dataclasses.fields(value))
        return {n: _plain(getattr(value, n)) for n in names if n not in _NOISE | skip}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _steps_differ(a: Sequence[_S], b: Sequence[_S], skip: frozenset[str]) -> bool:
    common = {s.id for s in a} & {s.id for s in b}
    before = {s.id: _plain(s, skip) for s in a if s.id in common}
    after = {s.id: _plain(s, skip) for s in b if s.id in common}
    return before != after


def _other_edits(a: Runbook, b: Runbook) -> Iterator[Change]:
    names = [
        label for name, label in _OTHER if _plain(getattr(a, name)) != _plain(getattr(b, name))
    ]
    if _steps_differ(a.phases, b.phases, frozenset({"title", "time_budget"})):
        names.append("phase steps")
    if _steps_differ(a.procedures, b.procedures, frozenset({"title", "severity"})):
        names.append("procedure steps")
    if names:
        yield Change("Also edited", "", new=", ".join(names))


# Shared definitions.

_T = TypeVar("_T", SeverityScheme, Contact)


def _users(site: Site, kind: str, ident: str) -> set[str]:
    if kind == "severity scheme":
        return {r.id for r in site.runbooks if r.inline_scheme is None and r.severity == ident}
    return {r.id for r in site.runbooks if ident in _contact_ids(r)}


def _contact_ids(runbook: Runbook) -> set[str]:
    used = {runbook.owner, *runbook.contacts, *(s.contact for s in runbook.escalation)}
    return used - {c.id for c in runbook.inline_contacts}


def _name(item: SeverityScheme | Contact) -> str:
    return item.title if isinstance(item, SeverityScheme) else item.role


def _changes_of(a: _T, b: _T) -> tuple[Change, ...]:
    if isinstance(a, SeverityScheme) and isinstance(b, SeverityScheme):
        return tuple(scheme_changes(a, b))
    if isinstance(a, Contact) and isinstance(b, Contact):
        return tuple(contact_changes(a, b))
    return ()


def _shared_diffs(
    kind: str, olds: Mapping[str, _T], news: Mapping[str, _T], old: Side, new: Side
) -> Iterator[SharedDiff]:
    for ident in sorted(olds.keys() | news.keys()):
        before, after = olds.get(ident), news.get(ident)
        affects = tuple(sorted(_users(old.site, kind, ident) | _users(new.site, kind, ident)))
        if after is None and before is not None:
            path = old.path(before.source.path)
            yield SharedDiff(kind, ident, _name(before), "removed", path, affects)
        elif before is None and after is not None:
            path = new.path(after.source.path)
            yield SharedDiff(kind, ident, _name(after), "added", path, affects)
        elif before is not None and after is not None:
            changes = _changes_of(before, after)
            if changes:
                path = new.path(after.source.path)
                yield SharedDiff(kind, ident, _name(after), "changed", path, affects, changes)


def _skipped(side: Side) -> Iterator[Skipped]:
    site = side.site
    sources = [
        *(r.source for r in site.runbooks),
        *(s.source for s in site.schemes.values()),
        *(c.source for c in site.contacts.values()),
    ]
    loaded = {side.path(s.path) for s in sources}
    failed = {side.path(d.path) for d in site.diagnostics if d.severity is Severity.ERROR}
    for path in sorted(failed - loaded):
        yield Skipped(side.label, path)


# Output.


def _counts(statuses: list[str]) -> str:
    counts = ((statuses.count(s), s) for s in _STATUS_ORDER)
    return ", ".join(f"{n} {status}" for n, status in counts if n)


def _summary(report: Report) -> str:
    """'runbooks: 1 added, 2 changed · shared definitions: 1 changed' (no user text)."""
    parts = [
        f"{what}: {_counts([d.status for d in diffs])}"
        for what, diffs in (("runbooks", report.runbooks), ("shared definitions", report.shared))
        if diffs
    ]
    return " · ".join(parts)


def to_markdown(report: Report) -> str:
    """The report as Markdown for a pull-request comment."""
    template = environment().get_template("diff.md.j2")
    text = template.render(report=report, summary=_summary(report), marker=MARKER)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def to_json(report: Report) -> str:
    """The report as JSON, for scripts."""
    data = dataclasses.asdict(report)
    for item in (*data["runbooks"], *data["shared"]):
        for change in item["changes"]:
            del change["code"]
    return json.dumps({"changed": report.changed, **data}, indent=2, ensure_ascii=False) + "\n"
