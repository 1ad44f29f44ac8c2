"""Stage 4: cross-references. What a schema cannot say: ids that must resolve and be unique."""

from __future__ import annotations

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
    levels = {lv.id for lv in scheme.levels} if scheme else set()
    for i, procedure in enumerate(runbook.procedures):
        if procedure.severity and procedure.severity not in levels:
            choices = ", ".join(sorted(levels)) or "the runbook has no severity scheme"
            yield _at(
                runbook.at("procedures", i, "severity"),
                "RB209",
                f"unknown severity level {procedure.severity!r} (levels: {choices})",
            )


def _contacts(runbook: Runbook, site: Site) -> Iterator[Diagnostic]:
    known = set(site.contacts) | {c.id for c in runbook.inline_contacts}
    if runbook.owner not in known:
        yield _at(
            runbook.at("owner"),
            "RB202",
            f"owner {runbook.owner!r} is not a known contact: define it in a `kind: contacts` file",
        )
    for i, contact_id in enumerate(runbook.contacts):
        if contact_id not in known:
            yield _at(runbook.at("contacts", i), "RB202", f"unknown contact {contact_id!r}")
    for i, step in enumerate(runbook.escalation):
        if step.contact and step.contact not in known:
            yield _at(
                runbook.at("escalation", i, "contact"), "RB202", f"unknown contact {step.contact!r}"
            )


def _duplicates(
    runbook: Runbook, what: str, entries: Iterable[tuple[str, tuple[str | int, ...]]]
) -> Iterator[Diagnostic]:
    seen: dict[str, str] = {}
    for ident, path in entries:
        key = unicodedata.normalize("NFKC", ident).casefold()
        if key in seen:
            code = "RB206" if seen[key] == ident else "RB207"
            yield _at(
                runbook.at(*path),
                code,
                f"{what} id {ident!r} is used twice in this runbook (also {seen[key]!r}): rename one",
            )
        seen.setdefault(key, ident)


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
            yield _at(
                step.source,
                "RB205",
                f"unknown template {step.template!r}: define it under `templates:`",
            )
        for link_id in step.see:
            if link_id not in links:
                yield _at(
                    step.source, "RB205", f"unknown link {link_id!r}: define it under `links:`"
                )


def _tables(runbook: Runbook) -> Iterator[Diagnostic]:
    phases = {p.id for p in runbook.phases}
    links = {x.id for x in runbook.links}
    for i, table in enumerate(runbook.decision_tables):
        if table.phase and table.phase not in phases:
            yield _at(
                runbook.at("decision_tables", i, "phase"), "RB205", f"unknown phase {table.phase!r}"
            )
        for j, row in enumerate(table.rows):
            if row.see and row.see not in links:
                yield _at(
                    runbook.at("decision_tables", i, "rows", j, "see"),
                    "RB205",
                    f"unknown link {row.see!r}: define it under `links:`",
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
                f"unknown phase or procedure {node.phase!r}",
            )
    for i, edge in enumerate(runbook.flow.edges):
        for end, name in ((edge.source, "from"), (edge.target, "to")):
            if end not in nodes:
                yield _at(
                    runbook.at("flow", "edges", i, name), "RB205", f"unknown flow node {end!r}"
                )


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
        message = f"link to unknown runbook {link.runbook!r}: fix the id, or use `document:` with `unpublished: true`"
        yield _at(runbook.at("links", i, "runbook"), "RB203", message)
    elif link.procedure and link.procedure not in _section_ids(target):
        yield _at(
            runbook.at("links", i, "procedure"),
            "RB204",
            f"runbook {target.id!r} has no procedure or phase {link.procedure!r}",
        )


def _section_ids(runbook: Runbook) -> set[str]:
    return {p.id for p in runbook.procedures} | {p.id for p in runbook.phases}


def _document_exists(runbook: Runbook, document: str) -> bool:
    base = Path(runbook.source.path).parent
    target = (base / document.split("#", 1)[0]).resolve()
    root = Path.cwd().resolve()
    return target.is_relative_to(root) and target.is_file()
