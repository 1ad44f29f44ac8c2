"""What the pages that gather every runbook are made from, by service, so that they stop growing
with every runbook: the escalation matrix (each service's contacts and escalation, each contact
once), the symptom index (each service's symptoms, on its own page past a thousand), and a page
per service (`services/<service>.md`: who to reach, its runbooks' escalation steps grouped where
they are the same, their symptoms and alerts).

At 3,000 runbooks the escalation page listed every runbook's contacts table and steps (4.8 MB
of HTML, 3.5 s to open) and the symptom index every symptom (5.6 MB). Now the escalation page
grows with services and distinct contacts, the symptom index with services once it passes
`SYMPTOMS_ON_ONE_PAGE`, and a service's page with its own runbooks only; the site's search still
finds every symptom of every service.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.core.model import Alert, Contact, EscalationStep, Procedure, Runbook, Site
from generator.render.escape import slug

# Up to this many symptoms the index lists them all, A to Z, on its own page (at 1,000 the page
# is about 0.2 MB); past it, by service, each service's on the service's page.
SYMPTOMS_ON_ONE_PAGE = 1_000
# Rows of one table of an index: a browser lays out one table of 26,000 rows for seconds each
# time a script asks where something is, where it skips tables out of view (runbooks.css:
# content-visibility).
ROWS_A_TABLE = 200

SymptomRow = tuple[str, Runbook, Procedure]
AlertRow = tuple[Alert, Runbook, Procedure | None, str]


@dataclass(frozen=True)
class Chain:
    """Escalation steps that one or more runbooks share, word for word; the contacts' names as
    the first of them resolves them."""

    steps: tuple[EscalationStep, ...]
    names: Mapping[str, str]
    runbooks: tuple[Runbook, ...]


@dataclass(frozen=True)
class Service:
    """A service as the site-wide pages list it."""

    name: str
    runbooks: tuple[Runbook, ...]
    contacts: tuple[str, ...]  # anchors of its runbooks' contacts in the directory, in order
    chains: tuple[Chain, ...]
    symptoms: int


class Directory:
    """Every contact once, by what it says (role, tier, channels, notes): the shared contacts
    file's and each runbook's own, each with an anchor of its own."""

    def __init__(self) -> None:
        self.entries: dict[tuple[object, ...], tuple[str, Contact]] = {}
        self.users: dict[str, dict[str, None]] = {}  # anchor → the services it is reached for
        self.taken: set[str] = set()

    def add(self, contact: Contact, service: str) -> str:
        """The anchor of *contact*, added if it is new, as a contact of *service*."""
        key = _contact_key(contact)
        if key not in self.entries:
            anchor = base = f"contact-{slug(contact.id) or 'x'}"
            count = 1
            while anchor in self.taken:
                count += 1
                anchor = f"{base}-{count}"
            self.taken.add(anchor)
            self.entries[key] = (anchor, contact)
            self.users[anchor] = {}
        anchor = self.entries[key][0]
        self.users[anchor][service] = None
        return anchor

    def listed(self) -> list[tuple[str, Contact]]:
        """(anchor, contact) of every contact, by role."""
        return sorted(self.entries.values(), key=lambda e: (e[1].role.casefold(), e[0]))

    def services(self, anchor: str) -> list[str]:
        """The services the contact at *anchor* is reached for, in the order met."""
        return list(self.users[anchor])


def _contact_key(contact: Contact) -> tuple[object, ...]:
    channels = tuple((ch.type, ch.value) for ch in contact.channels)
    return (contact.role, contact.tier, channels, contact.notes)


def contact_names(
    directory: Mapping[str, Contact], runbook: Runbook | None = None
) -> dict[str, str]:
    """Contacts' names by id: the shared *directory*'s, then the runbook's own."""
    names = {c.id: c.role for c in directory.values()}
    if runbook is not None:
        names.update({c.id: c.role for c in runbook.inline_contacts})
    return names


def chains(site: Site, runbooks: Iterable[Runbook]) -> tuple[Chain, ...]:
    """The runbooks' escalation steps, the same ones once, in the order first met."""
    groups: dict[tuple[tuple[str, ...], ...], list[Runbook]] = {}
    first: dict[tuple[tuple[str, ...], ...], Mapping[str, str]] = {}
    for runbook in runbooks:
        if not runbook.escalation:
            continue
        names = contact_names(site.contacts, runbook)
        key = tuple(
            (e.after, e.condition, e.action, names.get(e.contact, e.contact))
            for e in runbook.escalation
        )
        groups.setdefault(key, []).append(runbook)
        first.setdefault(key, names)
    return tuple(Chain(g[0].escalation, first[k], tuple(g)) for k, g in groups.items())


def services(site: Site, directory: Directory) -> list[Service]:
    """Every service of the site, its contacts added to *directory*."""
    found = []
    for name, runbooks in site.services().items():
        anchors = [directory.add(c, name) for r in runbooks for c in site.contacts_of(r)]
        found.append(
            Service(
                name=name,
                runbooks=tuple(runbooks),
                contacts=tuple(dict.fromkeys(anchors)),
                chains=chains(site, runbooks),
                symptoms=sum(len(p.symptoms) for r in runbooks for p in r.procedures),
            )
        )
    return found


def symptom_rows(runbooks: Iterable[Runbook]) -> list[SymptomRow]:
    """(symptom, runbook, procedure) of every procedure of *runbooks*, A to Z."""
    rows = [(s, r, p) for r in runbooks for p in r.procedures for s in p.symptoms]
    rows.sort(key=lambda row: (row[0].casefold(), row[1].id, row[2].id))
    return rows


def alert_rows(site: Site, runbooks: Iterable[Runbook]) -> list[AlertRow]:
    """(alert, runbook, procedure or None, severity) of every alert *runbooks* answer, A to Z:
    the severity the rules say when the build was given them, else the procedure's usual one."""
    rows = []
    for runbook in runbooks:
        answers: list[tuple[Alert, Procedure | None]] = [(a, None) for a in runbook.alerts]
        answers += [(a, p) for p in runbook.procedures for a in p.alerts]
        for alert, procedure in answers:
            usual = procedure.severity if procedure else ""
            rows.append((alert, runbook, procedure, site.alert_severity.get(alert.name, usual)))
    rows.sort(key=lambda row: (row[0].name.casefold(), row[0].matcher(), row[1].id))
    return rows


def tables(rows: Sequence[object]) -> list[Sequence[object]]:
    """*rows* cut into tables of `ROWS_A_TABLE`; one empty table for none."""
    return [rows[i : i + ROWS_A_TABLE] for i in range(0, len(rows), ROWS_A_TABLE)] or [[]]
