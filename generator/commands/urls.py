"""`runbookgen urls`: the stable URL of every runbook and procedure, and of every alert a
runbook declares, for alert rules and chat-ops."""

from __future__ import annotations

from generator.core.model import Site
from generator.render.escape import slug
from generator.render.markdown import page_url


def deep_links(site: Site, site_url: str) -> dict[str, str]:
    """Runbook ids and `runbook-id#procedure-id` → absolute URL, as the site is built."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    links: dict[str, str] = {}
    for runbook in sorted(site.runbooks, key=lambda r: r.id):
        url = base + page_url(runbook.id)
        links[runbook.id] = url
        for procedure in runbook.procedures:
            links[f"{runbook.id}#{procedure.id}"] = f"{url}#{slug(procedure.id)}"
    return links


def alert_links(site: Site, site_url: str) -> dict[str, str]:
    """`alert:Name` (with its label matchers, as `Alert.matcher` writes them) → the URL of
    the runbook or procedure that declares it, sorted by name; the first of two declarations
    (`runbookgen alerts check` reports the second, RB409)."""
    pages = deep_links(site, site_url)
    links: dict[str, str] = {}
    for runbook in site.runbooks:
        for alert in runbook.alerts:
            links.setdefault(f"alert:{alert.matcher()}", pages[runbook.id])
        for procedure in runbook.procedures:
            for alert in procedure.alerts:
                key = f"alert:{alert.matcher()}"
                links.setdefault(key, pages[f"{runbook.id}#{procedure.id}"])
    return dict(sorted(links.items()))
