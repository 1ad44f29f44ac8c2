"""Comparing two loaded sites: what changed, in the terms a responder and a reviewer use.

Runbooks are matched by id (then by file, for a renamed id), shared severity schemes and contacts
by id. Within a runbook, fields a responder acts on are named with before and after; every
command-like text (commands of steps and of decision-table rows, checklist items, message
templates) is compared one by one, so a reviewer sees each edit; everything else is named, not
detailed ("Also edited: ...").
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

from generator.core.model import (
    Check,
    Command,
    Contact,
    DecisionRow,
    EscalationStep,
    Phase,
    Procedure,
    Runbook,
    SeverityScheme,
    Site,
    Step,
    Template,
)
from generator.diagnostics import Severity


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


# Comparing two sites.


def compare_sites(old: Side, new: Side) -> Report:
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
    changes = tuple(_added_text(_COMMAND, p) for p in _commands(runbook) if p.danger)
    return RunbookDiff(runbook.id, runbook.title, "added", path, changes=changes)


def _runbook_changes(a: Runbook, b: Runbook, old: Site, new: Site) -> Iterator[Change]:
    yield from _fields(a, b, _RUNBOOK_FIELDS)
    yield from _severity(a, b, old, new)
    yield from _contact_refs(a, b)
    yield from _escalation(a.escalation, b.escalation)
    yield from _text_changes(a, b)
    yield from _sections("Phase", a.phases, b.phases, _PHASE_FIELDS)
    yield from _sections("Procedure", a.procedures, b.procedures, _PROCEDURE_FIELDS)
    yield from _template_changes(a, b)
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
    _Field("responses", "responses"),
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


# Command-like texts: what a responder runs or ticks off. Each is matched by its text within its
# place (a phase's or procedure's part, a decision table), then by position (edited in place).


@dataclass(frozen=True)
class _Kind:
    subject: str
    code: bool  # commands are shown as code, checklist items as the prose they are


_COMMAND = _Kind("Command", code=True)
_CHECKLIST_ITEM = _Kind("Checklist item", code=False)


@dataclass(frozen=True)
class _Placed:
    """A command-like text and where it is."""

    text: str
    # The phase or procedure, whose own "added"/"removed" line stands for the texts in it;
    # "" in a decision table, which has no such line.
    section: str
    scope: str  # texts are matched within one scope only
    where: str  # where the report says it is
    slot: tuple[int, ...]  # its position in the scope
    command: Command | None = None  # a step's command: destructive or not, its details

    @property
    def danger(self) -> str:
        """Why the command is destructive, when it is."""
        marked = self.command.destructive if self.command else None
        return marked.reason if marked else ""


@dataclass(frozen=True)
class _StepAt:
    """A step (nested ones too), with its phase or procedure and its position there."""

    section: str
    where: str
    slot: tuple[int, ...]
    step: Step


def _steps(runbook: Runbook) -> Iterator[_StepAt]:
    for phase in runbook.phases:
        yield from _walk(phase.steps, f"phase {phase.id}", "", ())
    for procedure in runbook.procedures:
        section = f"procedure {procedure.id}"
        yield from _walk(procedure.diagnosis, section, ", diagnosis", ())
        yield from _walk(procedure.resolution, section, ", resolution", ())


def _walk(
    steps: Sequence[Step], section: str, part: str, slot: tuple[int, ...]
) -> Iterator[_StepAt]:
    for i, step in enumerate(steps):
        yield _StepAt(section, section + part, (*slot, i), step)
        yield from _walk(step.steps, section, part, (*slot, i, -1))


def _commands(runbook: Runbook) -> list[_Placed]:
    """Every command: those of steps, then those of decision-table rows."""
    in_steps = [
        _Placed(command.run, at.section, at.where, at.where, (*at.slot, j), command)
        for at in _steps(runbook)
        for j, command in enumerate(at.step.commands)
    ]
    return [*in_steps, *_row_commands(runbook)]


def _row_commands(runbook: Runbook) -> Iterator[_Placed]:
    for table in runbook.decision_tables:
        scope = f"decision table {table.id}"
        for j, row in enumerate(table.rows):
            if row.command:
                yield _Placed(row.command, "", scope, f"{scope}, row {row.symptom}", (j,))


def _checklist_items(runbook: Runbook) -> list[_Placed]:
    return [
        _Placed(text, at.section, at.where, at.where, (*at.slot, *slot))
        for at in _steps(runbook)
        for slot, text in _checks(at.step.checklist, ())
    ]


def _checks(
    checks: tuple[Check, ...], slot: tuple[int, ...]
) -> Iterator[tuple[tuple[int, ...], str]]:
    """(where, text) of every checklist item, nested ones included; a ticked one says so."""
    for j, check in enumerate(checks):
        yield (*slot, j), f"{check.text} (ticked)" if check.done else check.text
        yield from _checks(check.items, (*slot, j))


def _section_names(runbook: Runbook) -> set[str]:
    return {f"phase {p.id}" for p in runbook.phases} | {
        f"procedure {p.id}" for p in runbook.procedures
    }


def _text_changes(a: Runbook, b: Runbook) -> Iterator[Change]:
    existed, kept = _section_names(a), _section_names(b)
    yield from _placed_changes(_COMMAND, _commands(a), _commands(b), existed, kept)
    yield from _placed_changes(
        _CHECKLIST_ITEM, _checklist_items(a), _checklist_items(b), existed, kept
    )


def _placed_changes(
    kind: _Kind, a: list[_Placed], b: list[_Placed], existed: set[str], kept: set[str]
) -> Iterator[Change]:
    """Texts added, removed or changed; those of a phase or procedure that was added or removed
    as a whole are left to that line, except destructive commands."""
    for before, after in _matches(a, b):
        if before is None:
            if after is not None and (_listed(after, existed) or after.danger):
                yield _added_text(kind, after)
        elif after is None:
            if _listed(before, kept):
                yield _removed_text(kind, before)
        elif before.text == after.text:
            yield from _same_command(before, after)
        else:
            yield _changed_text(kind, before, after)


def _listed(placed: _Placed, sections: set[str]) -> bool:
    """Whether *placed* is reported on its own: its section, if any, is in *sections*."""
    return not placed.section or placed.section in sections


def _matches(a: list[_Placed], b: list[_Placed]) -> Iterator[tuple[_Placed | None, _Placed | None]]:
    """Each text of *a* with its counterpart in *b*, if any: the same text first, then the text
    at the same position; then the texts of *b* nothing matched."""
    pending = list(b)
    left: list[_Placed] = []
    for before in a:
        same = _take(pending, _text_key, before)
        if same is None:
            left.append(before)
        else:
            yield before, same
    for before in left:
        yield before, _take(pending, _slot_key, before)
    for after in pending:
        yield None, after


def _text_key(placed: _Placed) -> tuple[object, ...]:
    return (placed.scope, placed.text)


def _slot_key(placed: _Placed) -> tuple[object, ...]:
    return (placed.scope, placed.slot)


def _take(
    pending: list[_Placed], key: Callable[[_Placed], tuple[object, ...]], like: _Placed
) -> _Placed | None:
    for i, candidate in enumerate(pending):
        if key(candidate) == key(like):
            return pending.pop(i)
    return None


def _added_text(kind: _Kind, after: _Placed) -> Change:
    new, where, danger = _short(after.text), after.where, after.danger
    return Change(kind.subject, "added", new=new, where=where, code=kind.code, destructive=danger)


def _removed_text(kind: _Kind, before: _Placed) -> Change:
    old, where = _short(before.text), before.where
    return Change(kind.subject, "removed", old=old, where=where, code=kind.code)


def _changed_text(kind: _Kind, before: _Placed, after: _Placed) -> Change:
    old, new, line = _excerpts(before.text, after.text)
    where = f"{after.where}, {line}" if line else after.where
    return Change(kind.subject, "changed", old, new, where, after.danger, kind.code)


def _same_command(before: _Placed, after: _Placed) -> Iterator[Change]:
    """A command whose text stayed: marked or no longer marked destructive, or otherwise edited."""
    if before.command is None or after.command is None:
        return  # a checklist item or a decision-table command: its text is all there is
    was, now = before.command.destructive, after.command.destructive
    if now and not was:
        action = "marked destructive"
    elif was and not now:
        action = "no longer marked destructive"
    elif _plain(before.command) != _plain(after.command):
        action = "edited"  # description, language or expected output
    else:
        return
    run, danger = _short(after.text), after.danger
    yield Change("Command", action, new=run, where=after.where, code=True, destructive=danger)


# Showing a text in a summary line: its first line, cut to what the line holds; for a changed
# text, the first line that differs, from shortly before where it differs when that is past the
# cut, so that what changed is always in view.

_WIDTH = 80  # what a summary line shows of one line of text
_LEAD = 20  # what it shows before a difference past the cut


class _Difference(NamedTuple):
    line: int  # 1-based: in the new text, or in the old one for a line removed
    old: str
    new: str
    places: int  # how many places differ
    verb: str = ""  # "added" or "removed" for a whole line inserted or deleted


_VERBS = {"insert": "added", "delete": "removed"}


def _first_difference(before: str, after: str) -> _Difference:
    """Where two different texts first differ, line by line."""
    olds, news = before.split("\n"), after.split("\n")
    matcher = difflib.SequenceMatcher(None, olds, news, autojunk=False)
    changed = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    tag, i1, i2, j1, j2 = changed[0]
    old = olds[i1].strip() if i1 < i2 else ""
    new = news[j1].strip() if j1 < j2 else ""
    line = i1 + 1 if tag == "delete" else j1 + 1
    return _Difference(line, *_excerpt_pair(old, new), len(changed), _VERBS.get(tag, ""))


def _line_note(difference: _Difference) -> str:
    verb = f" {difference.verb}" if difference.verb else ""
    more = f", first of {difference.places} changes" if difference.places > 1 else ""
    return f"line {difference.line}{verb}{more}"


def _excerpts(before: str, after: str) -> tuple[str, str, str]:
    """Before and after as a summary line shows them, and which line when not the first: two
    commands whose first lines are the same would otherwise look unchanged."""
    olds, news = _lines(before), _lines(after)
    if olds[:1] != news[:1]:
        old, new = _excerpt_pair(olds[0] if olds else "", news[0] if news else "")
        return old + _more(olds), new + _more(news), ""
    difference = _first_difference(before, after)
    return difference.old, difference.new, _line_note(difference)


def _excerpt_pair(old: str, new: str) -> tuple[str, str]:
    """Two lines as a summary line shows them, both from shortly before where they part when
    that is past the cut (a token appended to a long command would be cut off)."""
    parted = _parting(old, new)
    start = parted - _LEAD if parted > _WIDTH - _LEAD else 0
    return _window(old, start), _window(new, start)


def _parting(old: str, new: str) -> int:
    """The index of the first character that differs (the shorter length if none does)."""
    pairs = enumerate(zip(old, new, strict=False))
    return next((i for i, (a, b) in pairs if a != b), min(len(old), len(new)))


def _short(text: str) -> str:
    """The first line of a text, cut to a length a summary line can hold."""
    lines = _lines(text)
    return _window(lines[0] if lines else "", 0) + _more(lines)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines()]


def _more(lines: list[str]) -> str:
    return " …" if len(lines) > 1 else ""


def _window(line: str, start: int) -> str:
    """*line* from *start* on, cut to _WIDTH, with "…" where a part is left out."""
    shown = line[start:]
    cut = shown if len(shown) <= _WIDTH else shown[: _WIDTH - 1] + "…"
    return ("…" if start else "") + cut


# Message templates, by id: compared as text.


def _template_changes(a: Runbook, b: Runbook) -> Iterator[Change]:
    olds, news = {t.id: t for t in a.templates}, {t.id: t for t in b.templates}
    for template in a.templates:
        if template.id not in news:
            yield Change(f"Template {template.id}", "removed", old=_short(template.body), code=True)
    for template in b.templates:
        before = olds.get(template.id)
        if before is None:
            yield Change(f"Template {template.id}", "added", new=_short(template.body), code=True)
        elif before.body != template.body:
            yield _body_change(template, before.body)


def _body_change(template: Template, before: str) -> Change:
    """A template edited: its first changed line, before and after."""
    difference = _first_difference(before, template.body)
    subject, where = f"Template {template.id}", _line_note(difference)
    return Change(subject, "changed", difference.old, difference.new, where, code=True)


# Everything else: named, not detailed.

# Compared and reported one by one above, so not named again as "Also edited".
_REPORTED: dict[type, frozenset[str]] = {
    Step: frozenset({"commands", "checklist"}),
    DecisionRow: frozenset({"command"}),
    Template: frozenset({"body"}),
}
_OTHER = (
    ("summary", "summary"),
    ("tags", "tags"),
    ("history", "history"),
    ("variables", "variables"),
    ("flow", "flow chart"),
    ("decision_tables", "decision tables"),
    ("templates", "message templates"),
    ("links", "links"),
    ("sections", "explanatory sections"),
    ("alerts", "alerts answered"),
    ("diagrams", "diagrams"),
    ("footnotes", "footnotes"),
)


def _plain(value: object, skip: frozenset[str] = frozenset()) -> object:
    """The value as plain data, for comparing: without positions (nor fields that do not count
    for equality), without what is reported on its own, and without *skip*."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        left_out = skip | _REPORTED.get(type(value), frozenset())
        # Where a thing is in its file (a `Source`) moves with every edit above it: left out.
        fields = [
            f.name for f in dataclasses.fields(value) if f.compare and str(f.type) != "Source"
        ]
        return {n: _plain(getattr(value, n)) for n in fields if n not in left_out}
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
