"""Stage 4: cross-references. What a schema cannot say: ids that must resolve and be unique.

Most references stay inside one runbook (`runbook_references`). Those that cross files (ids
unique across the site; severity schemes, contacts and runbooks defined elsewhere; documents
next to the file) are checked on an `Outline` of each runbook: what those checks read of it,
small enough for `check` to send from a worker process and keep in the cache.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from generator.core.fill import accepts, compiled
from generator.core.loader import JsonPath
from generator.core.model import (
    Contact,
    Image,
    Positions,
    Runbook,
    SeverityScheme,
    Site,
    Source,
    Step,
    Variable,
)
from generator.diagnostics import Diagnostic, make, pickle_by_dict


class LinkTarget(NamedTuple):
    """What a link of a runbook points to (one of them is set)."""

    runbook: str
    procedure: str
    document: str
    unpublished: bool


@dataclass(frozen=True)
class Outline:
    """What the checks across files read of one runbook: its ids, the ids it refers to (each
    list in the order of the file, empty where an entry has none), and their positions."""

    id: str
    source: Source
    owner: str
    severity: str = ""
    inline_scheme: SeverityScheme | None = None
    procedure_levels: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    inline_contacts: frozenset[str] = frozenset()
    escalation: tuple[str, ...] = ()
    links: tuple[LinkTarget, ...] = ()
    sections: frozenset[str] = frozenset()  # procedure and phase ids: what a link may name
    images: tuple[tuple[JsonPath, str], ...] = ()  # (where, src) of each image
    positions: Positions = field(default_factory=Positions, compare=False, repr=False)

    def at(self, *path: str | int) -> Source:
        """Source position of the value at *path*, as `Runbook.at` gives it."""
        return Source(self.source.path, *self.positions.resolve(path))

    def paths(self) -> Iterator[JsonPath]:
        """Every path the checks across files may ask the position of."""
        yield from (("id",), ("severity",), ("severity", "id"), ("owner",))
        yield from (("procedures", i, "severity") for i, x in enumerate(self.procedure_levels) if x)
        for i in range(len(self.contacts)):
            yield from (("contacts", i), ("contacts", i, "id"))
        yield from (("escalation", i, "contact") for i, x in enumerate(self.escalation) if x)
        for i in range(len(self.links)):
            yield from (
                ("links", i, "runbook"),
                ("links", i, "procedure"),
                ("links", i, "document"),
            )
        yield from (where for where, _ in self.images)


pickle_by_dict(Outline)  # one a runbook, from `check`'s workers and cache


def outline(runbook: Runbook, *, detached: bool = False) -> Outline:
    """The outline of *runbook*: sharing its positions, or (*detached*) with a copy of only
    those the checks may read (a few dozen of its hundreds)."""
    steps = tuple(all_steps(runbook))  # walked once: ids and images
    found = Outline(
        id=runbook.id,
        source=runbook.source,
        owner=runbook.owner,
        severity=runbook.severity,
        inline_scheme=runbook.inline_scheme,
        procedure_levels=tuple(p.severity for p in runbook.procedures),
        contacts=runbook.contacts,
        inline_contacts=frozenset(c.id for c in runbook.inline_contacts),
        escalation=tuple(e.contact for e in runbook.escalation),
        links=tuple(
            LinkTarget(x.runbook, x.procedure, x.document, x.unpublished) for x in runbook.links
        ),
        sections=frozenset(_section_ids(runbook, steps)),
        images=tuple((where, image.src) for where, image in images(runbook, steps)),
        positions=runbook.positions,
    )
    return replace(found, positions=runbook.positions.subset(found.paths())) if detached else found


def images(
    runbook: Runbook, steps: Iterable[Step] | None = None
) -> Iterator[tuple[JsonPath, Image]]:
    """(where its `src` is, image) of every image of the runbook, in page order (*steps*: its
    steps, when the caller has walked them already)."""
    for step in all_steps(runbook) if steps is None else steps:
        for i, image in enumerate(step.images):
            yield (*step.path, "images", i, "src"), image
    for i, section in enumerate(runbook.sections):
        for j, image in enumerate(section.images):
            yield ("sections", i, "images", j, "src"), image


def check_references(site: Site) -> list[Diagnostic]:
    """Every unresolved or duplicate reference in the site."""
    outlines = [outline(runbook) for runbook in site.runbooks]
    found = site_references(outlines, schemes=site.schemes, contacts=site.contacts)
    for runbook in site.runbooks:
        found.extend(runbook_references(runbook))
    return found


def runbook_references(runbook: Runbook) -> list[Diagnostic]:
    """The references of one runbook to its own parts (unique and defined ids), and the values
    its variables accept."""
    found = [*_local_ids(runbook), *_steps(runbook), *_tables(runbook), *_flow(runbook)]
    found.extend(_found_by(runbook))
    found.extend(_step_ids(runbook))
    found.extend(_variables(runbook))
    found.extend(_prompts(runbook))
    return found


def site_references(
    outlines: list[Outline],
    *,
    schemes: Mapping[str, SeverityScheme],
    contacts: Mapping[str, Contact],
) -> list[Diagnostic]:
    """The references across files of every runbook (outlined, in the order of the site)."""
    found = list(_unique_runbooks(outlines, schemes))
    targets: dict[str, Outline] = {}
    for each in outlines:
        targets.setdefault(each.id, each)
    ids = [each.id for each in outlines]
    for each in outlines:
        found.extend(_severity(each, schemes))
        found.extend(_contacts(each, contacts))
        found.extend(_links(each, targets, ids))
        found.extend(_missing_images(each))
    return found


def _at(source: Source, code: str, message: str) -> Diagnostic:
    return make(source.path, source.line, source.col, code, message)


def _unique_runbooks(
    outlines: list[Outline], schemes: Mapping[str, SeverityScheme]
) -> Iterator[Diagnostic]:
    first: dict[str, Outline] = {}
    folded: dict[str, Outline] = {}
    for runbook in outlines:
        key = unicodedata.normalize("NFKC", runbook.id).casefold()
        if runbook.id in first:
            where = first[runbook.id].source
            yield _at(
                runbook.at("id"),
                "RB200",
                f"runbook id {runbook.id!r} is already used by {where.path}: rename one",
            )
        elif key in folded:
            yield _at(
                runbook.at("id"),
                "RB207",
                f"runbook id {runbook.id!r} collides with {folded[key].id!r} ({folded[key].source.path})",
            )
        first.setdefault(runbook.id, runbook)
        folded.setdefault(key, runbook)
        scheme = runbook.inline_scheme
        if scheme is not None and scheme.id in schemes:
            yield _at(
                runbook.at("severity", "id"),
                "RB200",
                f"severity scheme id {scheme.id!r} is also defined in {schemes[scheme.id].source.path}: rename one",
            )


def _severity(runbook: Outline, schemes: Mapping[str, SeverityScheme]) -> Iterator[Diagnostic]:
    scheme = runbook.inline_scheme or schemes.get(runbook.severity)
    if runbook.severity and scheme is None:
        known = ", ".join(sorted(schemes)) or "none defined"
        yield _at(
            runbook.at("severity"),
            "RB201",
            f"unknown severity scheme {runbook.severity!r} (known: {known})",
        )
        return  # RB201 already says the scheme is missing
    levels = {lv.id for lv in scheme.levels} if scheme else set()
    for i, level in enumerate(runbook.procedure_levels):
        if level and level not in levels:
            hint = (
                unknown_hint(level, levels) if scheme else ": the runbook has no `severity:` scheme"
            )
            message = f"unknown severity level {level!r}{hint}"
            yield _at(runbook.at("procedures", i, "severity"), "RB209", message)


def _contacts(runbook: Outline, contacts: Mapping[str, Contact]) -> Iterator[Diagnostic]:
    known = set(contacts) | runbook.inline_contacts
    if runbook.owner and runbook.owner not in known:
        hint = unknown_hint(runbook.owner, known)
        message = f"owner {runbook.owner!r} is not a known contact{hint}: define it in a `kind: contacts` file"
        yield _at(runbook.at("owner"), "RB202", message)
    for i, contact_id in enumerate(runbook.contacts):
        if contact_id not in known:
            message = f"unknown contact {contact_id!r}{unknown_hint(contact_id, known)}"
            yield _at(runbook.at("contacts", i), "RB202", message)
    for i, contact_id in enumerate(runbook.escalation):
        if contact_id and contact_id not in known:
            message = f"unknown contact {contact_id!r}{unknown_hint(contact_id, known)}"
            yield _at(runbook.at("escalation", i, "contact"), "RB202", message)
    for i, contact_id in enumerate(runbook.contacts):
        shared = contacts.get(contact_id)
        if shared is not None and contact_id in runbook.inline_contacts:
            where = f"{shared.source.path}:{shared.source.line}"
            message = (
                f"inline contact {contact_id!r} has the id of a shared contact ({where}): rename it"
            )
            yield _at(runbook.at("contacts", i, "id"), "RB200", message)


# What each list of the runbook holds, in a message about its ids.
_KINDS = {
    "phases": "phase",
    "procedures": "procedure",
    "decision_tables": "decision table",
    "templates": "template",
    "sections": "section",
    "diagrams": "diagram",
}


def _kind(path: JsonPath, what: str) -> str:
    """What the id at *path* is the id of: a step, or what its list holds."""
    if path[0] == "variables":  # a variable's alias is as much its name as its name
        return what
    return "step" if len(path) > 3 else _KINDS.get(str(path[0]), what)


_SHARED = (
    "phases, procedures, steps, decision tables, templates, sections and diagrams share the"
    " page's anchors"
)


def _duplicates(
    runbook: Runbook, what: str, entries: Iterable[tuple[str, tuple[str | int, ...]]]
) -> Iterator[Diagnostic]:
    seen: dict[str, tuple[str, tuple[str | int, ...]]] = {}
    for ident, path in entries:
        key = unicodedata.normalize("NFKC", ident).casefold()
        if key in seen:  # positions only for what is reported: reading them decodes them all
            first, first_path = seen[key]
            here, at = runbook.at(*path), f"line {runbook.at(*first_path).line}"
            this, other = _kind(path, what), _kind(first_path, what)
            shared = "" if this == other else f" ({_SHARED})"
            yield _duplicate(here, (ident, this), (first, other, at), shared)
        seen.setdefault(key, (ident, path))


def _duplicate(
    here: Source, this: tuple[str, str], first: tuple[str, str, str], shared: str
) -> Diagnostic:
    (ident, kind), (seen, other, at) = this, first
    if kind == "variable":  # names (and aliases) of placeholders, not anchors
        if seen == ident:
            message = (
                f"variable name {ident!r} is already a name of the variable at {at}: rename one"
            )
            return _at(here, "RB206", message)
        message = f"variable name {ident!r} differs only by case from the name {seen!r} of the variable at {at}: placeholders and links would mix them up, rename one"
        return _at(here, "RB207", message)
    if seen == ident:
        message = (
            f"{kind} id {ident!r} is already the id of the {other} at {at}{shared}: rename one"
        )
        return _at(here, "RB206", message)
    message = f"{kind} id {ident!r} differs only by case from the {other} id {seen!r} ({at}): they would share an anchor{shared}, rename one"
    return _at(here, "RB207", message)


def _local_ids(runbook: Runbook) -> Iterator[Diagnostic]:
    anchors = [
        *((p.id, ("phases", i, "id")) for i, p in enumerate(runbook.phases)),
        *((p.id, ("procedures", i, "id")) for i, p in enumerate(runbook.procedures)),
        *((t.id, ("decision_tables", i, "id")) for i, t in enumerate(runbook.decision_tables)),
        *((t.id, ("templates", i, "id")) for i, t in enumerate(runbook.templates)),
        *((x.id, ("sections", i, "id")) for i, x in enumerate(runbook.sections)),
        *((x.id, ("diagrams", i, "id")) for i, x in enumerate(runbook.diagrams)),
        *((s.id, (*s.path, "id")) for s in all_steps(runbook) if s.id),
    ]
    yield from _duplicates(runbook, "section", anchors)
    notes = ((x.id, ("footnotes", i, "id")) for i, x in enumerate(runbook.footnotes))
    yield from _duplicates(runbook, "footnote", notes)
    yield from _duplicates(
        runbook, "link", ((x.id, ("links", i, "id")) for i, x in enumerate(runbook.links))
    )
    nodes = runbook.flow.nodes if runbook.flow else ()
    yield from _duplicates(
        runbook, "flow node", ((n.id, ("flow", "nodes", i, "id")) for i, n in enumerate(nodes))
    )
    yield from _duplicates(
        runbook,
        "variable",
        (
            (name, ("variables", i, "name") if j == 0 else ("variables", i, "aliases", j - 1))
            for i, v in enumerate(runbook.variables)
            for j, name in enumerate(v.names)
        ),
    )


def all_steps(runbook: Runbook) -> Iterator[Step]:
    """Every step of the runbook, nested ones included, in page order."""
    for phase in runbook.phases:
        yield from _walk(phase.steps)
    for procedure in runbook.procedures:
        yield from _walk(procedure.diagnosis)
        yield from _walk(procedure.resolution)


def _walk(steps: Iterable[Step]) -> Iterator[Step]:
    for step in steps:
        yield step
        yield from _walk(step.steps)


def _steps(runbook: Runbook) -> Iterator[Diagnostic]:
    templates = {t.id for t in runbook.templates}
    links = {x.id for x in runbook.links}
    for step in all_steps(runbook):
        if step.template and step.template not in templates:
            message = f"unknown template {step.template!r}{unknown_hint(step.template, templates)}: define it under `templates:`"
            yield _at(runbook.at(*step.path, "template"), "RB205", message)
        for i, link_id in enumerate(step.see):
            if link_id not in links:
                message = f"unknown link {link_id!r}{unknown_hint(link_id, links)}: define it under `links:`"
                yield _at(runbook.at(*step.path, "see", i), "RB205", message)
        if step.table is not None:
            yield from _table_rows(runbook, step)


def _table_rows(runbook: Runbook, step: Step) -> Iterator[Diagnostic]:
    """A row with more cells than its table has columns: no column would show the extra ones."""
    assert step.table is not None
    width = len(step.table.columns)
    for i, row in enumerate(step.table.rows):
        if len(row) > width:
            message = (
                f"row {i + 1} has {len(row)} cells but the table has {width} columns, so"
                f" {row[width]!r} would not be shown: add a column to `columns:`, or join the"
                " cells (quote a cell that holds a comma)"
            )
            yield _at(runbook.at(*step.path, "table", "rows", i, width), "RB213", message)


def _step_ids(runbook: Runbook) -> Iterator[Diagnostic]:
    """A step with an id but no heading: the id would name nothing on the page."""
    for step in all_steps(runbook):
        if step.id and not (step.title or step.when):
            message = f"step id {step.id!r} names the step's heading, but it has none: give the step a `title`"
            yield _at(runbook.at(*step.path, "id"), "RB216", message)


def _found_by(runbook: Runbook) -> Iterator[Diagnostic]:
    """A procedure nobody can find: neither a symptom nor an alert leads to it."""
    for i, procedure in enumerate(runbook.procedures):
        if not procedure.symptoms and not procedure.alerts:
            message = (
                f"procedure {procedure.id!r} has neither `symptoms:` nor `alerts:`: add what"
                " people see (symptoms) or the alerts it answers, or both"
            )
            yield _at(runbook.at("procedures", i), "RB214", message)


def unknown_hint(wrong: str, ids: Iterable[str]) -> str:
    """ ", did you mean 'x'?" or " (known: a, b)" for a message about an unknown id."""
    names = sorted(ids)
    close = difflib.get_close_matches(wrong, names, n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return f" (known: {shown})" if names else " (none defined)"


def _tables(runbook: Runbook) -> Iterator[Diagnostic]:
    phases = {p.id for p in runbook.phases}
    links = {x.id for x in runbook.links}
    for i, table in enumerate(runbook.decision_tables):
        if table.phase and table.phase not in phases:
            message = f"unknown phase {table.phase!r}{unknown_hint(table.phase, phases)}"
            yield _at(runbook.at("decision_tables", i, "phase"), "RB205", message)
        for j, row in enumerate(table.rows):
            if row.see and row.see not in links:
                yield _at(
                    runbook.at("decision_tables", i, "rows", j, "see"),
                    "RB205",
                    f"unknown link {row.see!r}{unknown_hint(row.see, links)}: define it under `links:`",
                )


def _variables(runbook: Runbook) -> Iterator[Diagnostic]:
    """A pattern the page cannot read, and an example or listed value its variable refuses."""
    for i, variable in enumerate(runbook.variables):
        regexp = compiled(variable.pattern) if variable.pattern else None
        name = variable.name
        if variable.pattern and regexp is None:
            message = f"variable {name!r}: pattern {variable.pattern!r} is not a valid regular expression: fix it (JavaScript syntax)"
            yield _at(runbook.at("variables", i, "pattern"), "RB211", message)
            continue
        for j, value in enumerate(variable.values):
            if regexp is not None and regexp.fullmatch(value) is None:
                message = f"variable {name!r}: value {value!r} does not match its pattern {variable.pattern!r}: fix one of them"
                yield _at(runbook.at("variables", i, "values", j), "RB211", message)
        if variable.example and not accepts(variable, variable.example):
            message = f"variable {name!r}: the page would refuse its example {variable.example!r}: {_refused(variable)}"
            yield _at(runbook.at("variables", i, "example"), "RB211", message)


def _prompts(runbook: Runbook) -> Iterator[Diagnostic]:
    """A command written with its shell prompt, which its copy would hand over as well."""
    for step in all_steps(runbook):
        for i, command in enumerate(step.commands):
            if command.language != "console" and command.run.lstrip(" ").startswith("$ "):
                message = (
                    "the command starts with a `$ ` prompt, which its copy would hand over too:"
                    " remove it, or set `language: console` (prompts are then left out of the copy)"
                )
                yield _at(runbook.at(*step.path, "commands", i, "run"), "RB212", message)


def _refused(variable: Variable) -> str:
    if variable.values:
        return "it is not one of its `values`"
    if variable.pattern:
        return f"it does not match its pattern {variable.pattern!r}"
    return (
        "the default pattern allows no spaces or shell metacharacters: declare a `pattern`"
        " that allows what values need, or change the example"
    )


def _flow(runbook: Runbook) -> Iterator[Diagnostic]:
    if runbook.flow is None:
        return
    nodes = {n.id for n in runbook.flow.nodes}
    sections = {p.id for p in runbook.phases} | {p.id for p in runbook.procedures}
    for i, node in enumerate(runbook.flow.nodes):
        if node.phase and node.phase not in sections:
            yield _at(
                runbook.at("flow", "nodes", i, "phase"),
                "RB205",
                f"unknown phase or procedure {node.phase!r}{unknown_hint(node.phase, sections)}",
            )
    for i, edge in enumerate(runbook.flow.edges):
        for end, name in ((edge.source, "from"), (edge.target, "to")):
            if end not in nodes:
                message = f"unknown flow node {end!r}{unknown_hint(end, nodes)}"
                yield _at(runbook.at("flow", "edges", i, name), "RB205", message)


def _links(
    runbook: Outline, targets: Mapping[str, Outline], ids: list[str]
) -> Iterator[Diagnostic]:
    for i, link in enumerate(runbook.links):
        if link.runbook:
            yield from _runbook_link(runbook, i, targets, ids)
        elif (
            link.document
            and not link.unpublished
            and not _document_exists(runbook.source.path, link.document)
        ):
            message = f"document {link.document!r} not found next to {runbook.source.path}: fix the path or add `unpublished: true`"
            yield _at(runbook.at("links", i, "document"), "RB208", message)


def _missing_images(runbook: Outline) -> Iterator[Diagnostic]:
    """An image whose file is not where its runbook says (the site would show a broken one)."""
    for where, src in runbook.images:
        if not _document_exists(runbook.source.path, src):
            message = f"image {src!r} not found next to {runbook.source.path}: fix the path, or add the file (it is copied into the site)"
            yield _at(runbook.at(*where), "RB215", message)


def _runbook_link(
    runbook: Outline, i: int, targets: Mapping[str, Outline], ids: list[str]
) -> Iterator[Diagnostic]:
    link = runbook.links[i]
    target = targets.get(link.runbook)
    if target is None:
        hint = unknown_hint(link.runbook, ids)
        message = f"link to unknown runbook {link.runbook!r}{hint}: fix the id, or use `document:` with `unpublished: true`"
        yield _at(runbook.at("links", i, "runbook"), "RB203", message)
    elif link.procedure and link.procedure not in target.sections:
        yield _at(
            runbook.at("links", i, "procedure"),
            "RB204",
            f"runbook {target.id!r} has no procedure, phase or step {link.procedure!r}"
            f"{unknown_hint(link.procedure, target.sections)}",
        )


def _section_ids(runbook: Runbook, steps: Iterable[Step] | None = None) -> set[str]:
    """What another runbook's link may point to: a procedure, a phase, a step with an id."""
    named = {s.id for s in (all_steps(runbook) if steps is None else steps) if s.id}
    return {p.id for p in runbook.procedures} | {p.id for p in runbook.phases} | named


def page_ids(runbook: Runbook) -> set[str]:
    """The ids that are anchors of the runbook's page, for a link in a text (`#id`)."""
    ids = {*_section_ids(runbook), *(t.id for t in runbook.decision_tables)}
    ids |= {t.id for t in runbook.templates} | {x.id for x in runbook.sections}
    return ids | {x.id for x in runbook.diagrams}


def _document_exists(path: str, document: str) -> bool:
    base = Path(path).parent
    target = (base / document.split("#", 1)[0]).resolve()
    root = Path.cwd().resolve()
    return target.is_relative_to(root) and target.is_file()
