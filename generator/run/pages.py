"""Every generated page of a site, made in worker processes for a large one, and remade only
where its inputs changed while the site is served for live editing (`Kept`).

The pages themselves come from `generator.render` (a runbook's page from its inputs only, the
site-wide ones from the whole site); this module decides which to make and where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from generator.core.model import Site
from generator.render.markdown import (
    RunbookInputs,
    page_path,
    render_inputs,
    render_site_wide,
    runbook_inputs,
)
from generator.run.workers import collector_paused, forked, forked_pool, state, worker_count

Page = TypeVar("Page")  # a runbook's page as a renderer makes it: Markdown, or HTML (render_html)
PageRenderer = Callable[[RunbookInputs], Page]


@dataclass
class Kept(Generic[Page]):
    """What earlier renders made, for live editing (`mkdocs serve`): a later `render_pages`
    given it renders again only runbooks whose inputs changed (`RunbookInputs`), and while
    runbooks change it leaves the site-wide pages as they were (`stale`), so an edited
    runbook shows in a second; the next render with no runbook changed catches them up."""

    pages: dict[str, tuple[RunbookInputs, Page]] = field(default_factory=dict)
    site_wide: dict[str, str | Page] = field(default_factory=dict)
    stale: bool = False


@dataclass(frozen=True)
class Rendered(Generic[Page]):
    """The generated pages by docs-relative path, as `render_pages` made them: the site-wide
    ones and the runbooks', in the site's order."""

    site_wide: dict[str, str | Page]
    runbooks: dict[str, Page]


def render_site(
    site: Site,
    *,
    today: dt.date,
    sources: dict[str, str] | None = None,
    jobs: int = 0,
    kept: Kept[str] | None = None,
) -> dict[str, str]:
    """Every generated page: docs-relative path → Markdown (see `render_pages`)."""
    rendered = render_pages(
        site, page=render_inputs, today=today, sources=sources, jobs=jobs, kept=kept
    )
    return {**rendered.site_wide, **rendered.runbooks}


def render_pages(
    site: Site,
    *,
    page: PageRenderer[Page],
    site_wide: Callable[..., Mapping[str, str | Page]] = render_site_wide,
    today: dt.date,
    sources: dict[str, str] | None = None,
    jobs: int = 0,
    kept: Kept[Page] | None = None,
) -> Rendered[Page]:
    """Every generated page, each runbook's made by *page* from its inputs, the site-wide
    ones by *site_wide*(site, today=…) (`render_site_wide`'s pages).

    *jobs*: worker processes for the pages (0: one per CPU; few runbooks: none).
    *kept*: pages of earlier renders to reuse where their inputs are unchanged; updated.
    """
    sources = sources or {}
    work = (site, today, sources, page, site_wide)
    if kept is None:
        runbooks, made = _render_runbooks(work, jobs, range(len(site.runbooks)), site_wide=True)
    else:
        runbooks, changed = _render_changed(work, jobs, kept)
        kept.stale = bool(changed and kept.site_wide)
        if not kept.stale:
            kept.site_wide = dict(site_wide(site, today=today))
        made = dict(kept.site_wide)
    paths = [page_path(r.id) for r in site.runbooks]
    return Rendered(made, dict(zip(paths, runbooks, strict=True)))


# What workers render from (site, today, sources, the runbook page renderer, the site-wide
# one): inherited by the fork (`state()`).
_Forked = tuple[Site, dt.date, dict[str, str], PageRenderer[Any], Callable[..., Mapping[str, Any]]]


def _render_changed(work: _Forked, jobs: int, kept: Kept[Page]) -> tuple[list[Page], list[int]]:
    """Every runbook's page, rendering only those whose inputs differ from *kept*'s (their
    indices: the second item); *kept* then holds exactly this site's pages."""
    site, today, sources, *_ = work
    inputs = [
        runbook_inputs(r, site, today=today, source_path=sources.get(r.id, ""))
        for r in site.runbooks
    ]
    earlier = [kept.pages.get(r.id) for r in site.runbooks]
    changed = [i for i, old in enumerate(earlier) if old is None or old[0] != inputs[i]]
    fresh = dict(zip(changed, _render_runbooks(work, jobs, changed)[0], strict=True))
    pages = [fresh[i] if old is None or i in fresh else old[1] for i, old in enumerate(earlier)]
    kept.pages = {r.id: (inputs[i], pages[i]) for i, r in enumerate(site.runbooks)}
    return pages, changed


def _render_runbooks(
    work: _Forked, jobs: int, indices: Sequence[int], *, site_wide: bool = False
) -> tuple[list[Any], dict[str, Any]]:
    """The pages of the runbooks at *indices*, in worker processes for many (3–6 ms a page);
    and (*site_wide*) the site-wide pages, which grow with the site: one worker makes them
    while the others start on the runbooks."""
    workers = worker_count(jobs, len(indices))
    with forked(work):
        if workers <= 1:
            return [_runbook_page(i) for i in indices], _site_wide_pages() if site_wide else {}
        # A worker's collector leaves the site alone (walking it, it would copy its memory, and
        # free nothing), and so does this one's while the pages come in.
        with collector_paused(), forked_pool(workers, frozen=True) as pool:
            made = pool.submit(_site_wide_pages) if site_wide else None
            chunk = max(1, len(indices) // (workers * 8))
            pages = list(pool.map(_runbook_page, indices, chunksize=chunk))
            return pages, made.result() if made else {}


def _site_wide_pages() -> dict[str, Any]:
    site, today, _, _, site_wide = state()
    return dict(site_wide(site, today=today))


def _runbook_page(index: int) -> Any:
    site, today, sources, page, _ = state()
    runbook = site.runbooks[index]
    source_path = sources.get(runbook.id, "")
    return page(runbook_inputs(runbook, site, today=today, source_path=source_path))
