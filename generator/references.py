"""Stage 4: cross-references. What a schema cannot say: ids that must resolve and be unique."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.diagnostics import Diagnostic, make
from generator.model import Runbook, Site, Source, Step


def check_references(site: Site) -> list[Diagnostic]:
    """Every unresolved or duplicate reference in the site."""
    found = list(_unique_runbooks(site))
    for runbook in site.runbooks:
        found.extend(check_runbook(runbook, site))
    return found


def _at(source: Source, code: str, message: str) -> Diagnostic:
    return make(source.path, source.line, source.col, code, message)


def _unique_runbooks(site: Site) -> Iterator[Diagnostic]:
    first: dict[str, Runbook] = {}
    folded: dict[str, Runbook] = {}
    for runbook in site.runbooks:
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
        if scheme is not None and scheme.id in site.schemes:
            yield _at(
                runbook.at("severity", "id"),
                "RB200",
                f"severity scheme id {scheme.id!r} is also defined in {site.schemes[scheme.id].source.path}: rename one",
            )


def check_runbook(runbook: Runbook, site: Site) -> Iterator[Diagnostic]:
    """The references of one runbook."""
    yield from _severity(runbook, site)
    yield from _contacts(runbook, site)
    yield from _local_ids(runbook)
    yield from _steps(runbook)
    yield from _tables(runbook)
    yield from _flow(runbook)
    yield from _links(runbook, site)


def _severity(runbook: Runbook, site: Site) -> Iterator[Diagnostic]:
    if runbook.severity and site.scheme_of(runbook) is None:
        known = ", ".join(sorted(site.schemes)) or "none defined"
        yield _at(
            runbook.at("severity"),
            "RB201",
            f"unknown severity scheme {runbook.severity!r} (known: {known})",
        )
    scheme = site.scheme_of(runbook)
    if scheme is None and runbook.severity:
        return  # RB201 already says the scheme is missing
    levels = {lv.id for lv in scheme.levels} if scheme else set()
    for i, procedure in enumerate(runbook.procedures):
        if procedure.severity and procedure.severity not in levels:
            hint = (
                _known(procedure.severity, levels)
                if scheme
                else ": the runbook has no `severity:` scheme"
            )
            message = f"unknown severity level {procedure.severity!r}{hint}"
            yield _at(runbook.at("procedures", i, "severity"), "RB209", message)


def _contacts(runbook: Runbook, site: Site) -> Iterator[Diagnostic]:
    known = set(site.contacts) | {c.id for c in runbook.inline_contacts}
    if runbook.owner not in known:
        hint = _known(runbook.owner, known)
        message = f"owner {runbook.owner!r} is not a known contact{hint}: define it in a `kind: contacts` file"
        yield _at(runbook.at("owner"), "RB202", message)
    for i, contact_id in enumerate(runbook.contacts):
        if contact_id not in known:
            message = f"unknown contact {contact_id!r}{_known(contact_id, known)}"
            yield _at(runbook.at("contacts", i), "RB202", message)
    for i, step in enumerate(runbook.escalation):
        if step.contact and step.contact not in known:
            message = f"unknown contact {step.contact!r}{_known(step.contact, known)}"
            yield _at(runbook.at("escalation", i, "contact"), "RB202", message)
    for i, contact_id in enumerate(runbook.contacts):
        shared = site.contacts.get(contact_id)
        if shared is not None and contact_id in {c.id for c in runbook.inline_contacts}:
            where = f"{shared.source.path}:{shared.source.line}"
            message = (
                f"inline contact {contact_id!r} has the id of a shared contact ({where}): rename it"
            )
            yield _at(runbook.at("contacts", i, "id"), "RB200", message)


def _duplicates(
    runbook: Runbook, what: str, entries: Iterable[tuple[str, tuple[str | int, ...]]]
) -> Iterator[Diagnostic]:
    seen: dict[str, tuple[str, tuple[str | int, ...]]] = {}
    for ident, path in entries:
        key = unicodedata.normalize("NFKC", ident).casefold()
        if key in seen:  # positions only for what is reported: reading them decodes them all
            first, first_path = seen[key]
            here, at = runbook.at(*path), f"line {runbook.at(*first_path).line}"
            if first == ident:
                yield _at(here, "RB206", f"{what} id {ident!r} is already used at {at}: rename one")
            else:
                message = f"{what} id {ident!r} differs only by case from {first!r} ({at}): they would share an anchor, rename one"
                yield _at(here, "RB207", message)
        seen.setdefault(key, (ident, path))


def _local_ids(runbook: Runbook) -> Iterator[Diagnostic]:
    anchors = [
        *((p.id, ("phases", i, "id")) for i, p in enumerate(runbook.phases)),
        *((p.id, ("procedures", i, "id")) for i, p in enumerate(runbook.procedures)),
        *((t.id, ("decision_tables", i, "id")) for i, t in enumerate(runbook.decision_tables)),
        *((t.id, ("templates", i, "id")) for i, t in enumerate(runbook.templates)),
    ]
    yield from _duplicates(runbook, "section", anchors)
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
        ((v.name, ("variables", i, "name")) for i, v in enumerate(runbook.variables)),
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
            message = f"unknown template {step.template!r}{_known(step.template, templates)}: define it under `templates:`"
            yield _at(runbook.at(*step.path, "template"), "RB205", message)
        for i, link_id in enumerate(step.see):
            if link_id not in links:
                message = (
                    f"unknown link {link_id!r}{_known(link_id, links)}: define it under `links:`"
                )
                yield _at(runbook.at(*step.path, "see", i), "RB205", message)


def _known(wrong: str, known: Iterable[str]) -> str:
    """ ", did you mean 'x'?" or " (known: a, b)" for a message about an unknown id."""
    names = sorted(known)
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
            message = f"unknown phase {table.phase!r}{_known(table.phase, phases)}"
            yield _at(runbook.at("decision_tables", i, "phase"), "RB205", message)
        for j, row in enumerate(table.rows):
            if row.see and row.see not in links:
                yield _at(
                    runbook.at("decision_tables", i, "rows", j, "see"),
                    "RB205",
                    f"unknown link {row.see!r}{_known(row.see, links)}: define it under `links:`",
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
                f"unknown phase or procedure {node.phase!r}{_known(node.phase, sections)}",
            )
    for i, edge in enumerate(runbook.flow.edges):
        for end, name in ((edge.source, "from"), (edge.target, "to")):
            if end not in nodes:
                message = f"unknown flow node {end!r}{_known(end, nodes)}"
                yield _at(runbook.at("flow", "edges", i, name), "RB205", message)


def _links(runbook: Runbook, site: Site) -> Iterator[Diagnostic]:
    for i, link in enumerate(runbook.links):
        if link.runbook:
            yield from _runbook_link(runbook, site, i)
        elif (
            link.document and not link.unpublished and not _document_exists(runbook, link.document)
        ):
            message = f"document {link.document!r} not found next to {runbook.source.path}: fix the path or add `unpublished: true`"
            yield _at(runbook.at("links", i, "document"), "RB208", message)


def _runbook_link(runbook: Runbook, site: Site, i: int) -> Iterator[Diagnostic]:
    link = runbook.links[i]
    target = site.runbook(link.runbook)
    if target is None:
        hint = _known(link.runbook, (r.id for r in site.runbooks))
        message = f"link to unknown runbook {link.runbook!r}{hint}: fix the id, or use `document:` with `unpublished: true`"
        yield _at(runbook.at("links", i, "runbook"), "RB203", message)
    elif link.procedure and link.procedure not in _section_ids(target):
        yield _at(
            runbook.at("links", i, "procedure"),
            "RB204",
            f"runbook {target.id!r} has no procedure or phase {link.procedure!r}"
            f"{_known(link.procedure, _section_ids(target))}",
        )


def _section_ids(runbook: Runbook) -> set[str]:
    return {p.id for p in runbook.procedures} | {p.id for p in runbook.phases}


def _document_exists(runbook: Runbook, document: str) -> bool:
    base = Path(runbook.source.path).parent
    target = (base / document.split("#", 1)[0]).resolve()
    root = Path.cwd().resolve()
    return target.is_relative_to(root) and target.is_file()
