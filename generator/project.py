"""Load a whole project: every file through loading, validation and modelling, then cross-references.

This is the one entry point the CLI and the MkDocs plugin share.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.diagnostics import Diagnostic, make
from generator.loader import MAX_BYTES, Document, iter_yaml_files, load
from generator.model import (
    Contact,
    SeverityScheme,
    Site,
    Source,
    build_contacts,
    build_runbook,
    build_scheme,
)
from generator.references import check_references
from generator.validate import kind_of, validate


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working directory when inside it."""
    absolute = path.absolute()
    cwd = Path.cwd()
    return str(absolute.relative_to(cwd)) if absolute.is_relative_to(cwd) else str(path)


def load_document(
    path: Path, *, max_bytes: int = MAX_BYTES
) -> tuple[Document | None, list[Diagnostic]]:
    """Load and schema-validate one file; the document is None when it cannot be used."""
    doc, problems = load(path, display=display_path(path), max_bytes=max_bytes)
    if doc is None:
        return None, problems
    problems = validate(doc)
    return (None if problems else doc), problems


def load_site(paths: Iterable[Path], *, max_bytes: int = MAX_BYTES) -> Site:
    """Load every YAML file under *paths* into one Site, collecting every diagnostic."""
    site = Site()
    for path in iter_yaml_files(list(paths)):
        doc, problems = load_document(path, max_bytes=max_bytes)
        site.diagnostics.extend(problems)
        if doc is not None:
            _add(site, doc)
    site.diagnostics.extend(check_references(site))
    site.diagnostics.sort()
    return site


def _add(site: Site, doc: Document) -> None:
    kind = kind_of(doc)
    if kind == "severity-scheme":
        _add_scheme(site, build_scheme(doc))
    elif kind == "contacts":
        for contact in build_contacts(doc):
            _add_contact(site, contact)
    else:
        site.runbooks.append(build_runbook(doc))


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
