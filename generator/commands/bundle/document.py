"""The go-bag's one HTML file: its runbooks' pages, the list of them, the search index, the
styles and scripts, all inside it (see the package's docstring for why each is so)."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import markupsafe

from generator.commands.bundle.jinja import environment
from generator.commands.bundle.pages import (
    PARAM,
    BundlePage,
    bundle_page,
    runbook_href,
)
from generator.core.model import Runbook, Site
from generator.render.assets import ASSETS, OWN_ASSETS
from generator.render.escape import inline, script_json, script_text
from generator.render.layout import image_files
from generator.render.markdown import runbook_inputs
from generator.search.entries import search_entries, shown_title, splitter
from generator.search.index import build_index

HERE = Path(__file__).parent
# The site's search separator (mkdocs.yml's `search: separator:`, which the site's index and
# queries are cut with); tests/test_bundle.py checks that the two agree.
SEPARATOR = (
    r"""[\s\-_,:;!=\[\]{}()<>"'`|/\\$@#%]+|(?!\b)(?=[A-Z][a-z])|\.(?!\d)|&(?:[lg]t|amp|quot|#39);"""
)
GENERAL = "general"  # the heading of runbooks that name no service, as on the site's home page


class UnknownService(ValueError):
    """No runbook covers the service asked for."""


@dataclass(frozen=True)
class Entry:
    """A runbook in the bundle's list."""

    id: str
    title: str  # with its service when another runbook has the same title (`shown_title`)
    summary: markupsafe.Markup  # the summary's inline Markdown as HTML (`escape.inline`)
    href: str


def services(site: Site) -> list[str]:
    """Every service a runbook of *site* covers, sorted."""
    return sorted({s for r in site.runbooks for s in r.services})


def chosen(site: Site, service: str | None) -> list[Runbook]:
    """The runbooks covering *service* (all without one), by title; UnknownService if none."""
    found = [r for r in site.runbooks if service is None or service in r.services]
    if not found:
        known = ", ".join(services(site)) or "none"
        raise UnknownService(f"no runbook covers the service {service!r} (services: {known})")
    return sorted(found, key=lambda r: (r.title.lower(), r.id))


@dataclass(frozen=True)
class Packed:
    """mermaid, for a bundle whose runbooks have free diagrams: gzipped then base64 (1.3 MB of
    its 3.5), unpacked in the page with DecompressionStream only when a page shows a diagram."""

    data: str  # base64 of the gzipped script
    license: str  # its licence travels with it


def packed_mermaid(script: Path) -> Packed:
    """The vendored mermaid at *script* (its LICENSE beside it), packed; FileNotFoundError if
    either is missing."""
    data = gzip.compress(script.read_bytes(), compresslevel=9, mtime=0)
    license_text = (script.parent / "LICENSE").read_text("utf-8")
    return Packed(base64.b64encode(data).decode("ascii"), license_text)


def make_bundle(
    site: Site, *, service: str | None = None, today: dt.date, mermaid: Path | None = None
) -> str:
    """The go-bag of *site*'s runbooks covering *service* (all without one), as HTML. With
    *mermaid* (the vendored script) and a runbook with free diagrams, mermaid is packed in and
    draws them; without, they are shown as their source."""
    runbooks = chosen(site, service)
    pages = [_page(site, runbook, today) for runbook in runbooks]
    drawn = any(page.diagrams for page in pages)
    packed = packed_mermaid(mermaid) if mermaid is not None and drawn else None
    return (
        environment()
        .get_template("bundle.html.j2")
        .render(
            mermaid=packed,
            title=f"Runbooks: {service}" if service else "Runbooks",
            built=today.isoformat(),
            groups=_groups(runbooks, service),
            pages=pages,
            param=PARAM,
            index=markupsafe.Markup(script_json(_search(site, runbooks))),
            styles=[_style(ASSETS / "runbooks.css"), _style(HERE / "bundle.css")],
            scripts=_scripts(),
            worker=markupsafe.Markup(script_text((ASSETS / "search-worker.js").read_text("utf-8"))),
        )
    )


def _page(site: Site, runbook: Runbook, today: dt.date) -> BundlePage:
    folder = Path(runbook.source.path).parent
    images = {path: folder / src for path, src in image_files(runbook).items()}
    return bundle_page(runbook_inputs(runbook, site, today=today), images=images)


def _groups(runbooks: Iterable[Runbook], service: str | None) -> dict[str, list[Entry]]:
    """The runbooks under their service's heading (the one asked for, else their first)."""
    groups: dict[str, list[Entry]] = {}
    for runbook in runbooks:
        summary = markupsafe.Markup(inline(runbook.summary))
        entry = Entry(runbook.id, shown_title(runbook), summary, runbook_href(runbook.id))
        groups.setdefault(service or runbook.service or GENERAL, []).append(entry)
    return dict(sorted(groups.items()))


def _search(site: Site, runbooks: Iterable[Runbook]) -> dict[str, object]:
    """What the site's search worker is set up with: the separator, and the index of the
    runbooks' entries, each page named by its runbook's id."""
    split = splitter(SEPARATOR)
    entries = [
        entry
        for runbook in runbooks
        for entry in search_entries(runbook, runbook.id, split, contacts=site.contacts)
    ]
    return {"config": {"separator": SEPARATOR, "runbookgen": build_index(entries, split)}}


def _style(path: Path) -> markupsafe.Markup:
    # Our own stylesheets: no text of a runbook is in them, and none holds "</style".
    text = path.read_text("utf-8")
    if "</style" in text.lower():
        raise ValueError(f"{path} cannot be written into a <style> element")
    return markupsafe.Markup(text)


def _scripts() -> list[markupsafe.Markup]:
    """The scripts, in the order they run: the bundle's first (it puts the runbook in the page
    the site's scripts then read), then the site's as its pages load them."""
    names = ["bundle.js"] + [n for n in OWN_ASSETS.values() if n.endswith(".js")]
    files = [HERE / names[0]] + [ASSETS / n for n in names[1:]]
    return [markupsafe.Markup(script_text(f.read_text("utf-8"))) for f in files]
