"""Who the site is for. A public build leaves out everything marked `internal: true`.

Filtering happens on the model, before rendering, so no page, search entry, sitemap
line or URL list can carry what was left out.
"""

from __future__ import annotations

import dataclasses

from generator.core.model import Contact, Runbook, Site

AUDIENCES = ("internal", "public")


def for_audience(site: Site, audience: str) -> Site:
    """The site as *audience* may see it."""
    if audience == "internal":
        return site
    runbooks = [r for r in site.runbooks if not r.internal]
    published = {r.id for r in runbooks}
    contacts = {k: _public_contact(c) for k, c in site.contacts.items() if not c.internal}
    return Site(
        runbooks=tuple(_public_runbook(r, published) for r in runbooks),
        schemes=site.schemes,
        contacts={k: c for k, c in contacts.items() if c is not None},
        diagnostics=site.diagnostics,
    )


def _public_contact(contact: Contact) -> Contact:
    return dataclasses.replace(
        contact, channels=tuple(ch for ch in contact.channels if not ch.internal)
    )


def _public_runbook(runbook: Runbook, published: set[str]) -> Runbook:
    inline = tuple(_public_contact(c) for c in runbook.inline_contacts if not c.internal)
    links = tuple(x for x in runbook.links if not x.runbook or x.runbook in published)
    return dataclasses.replace(runbook, inline_contacts=inline, links=links)
