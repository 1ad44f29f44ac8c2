"""Stage 5: Markdown pages from the model, through Jinja2 templates in generator/templates/.

The output is plain Markdown (with the admonition, attr_list, tables, md_in_html and
superfences/tasklist extensions), readable by any MkDocs-compatible engine.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import posixpath
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import jinja2

from generator.core.model import Contact, Runbook, SeverityScheme, Site
from generator.core.references import all_steps
from generator.core.validate import default_variable_pattern
from generator.diagnostics import CODES
from generator.render import escape
from generator.run.project import collector_paused, worker_count
from generator.search.entries import step_anchors

TEMPLATES = Path(__file__).parent / "templates"
RUNBOOK_DIR = "runbooks"


@dataclass(frozen=True)
class Review:
    """Review status of a runbook on a given day."""

    overdue: bool
    label: str


def review_of(runbook: Runbook, today: dt.date) -> Review:
    """Whether the runbook is past its next review date."""
    if runbook.next_review and runbook.next_review < today.isoformat():
        return Review(True, f"overdue since {runbook.next_review}")
    if runbook.next_review:
        return Review(False, f"due {runbook.next_review}")
    return Review(False, "no date set")


def page_path(runbook_id: str) -> str:
    """Where a runbook's page lives in the docs tree; derived from its id only, so URLs stay stable."""
    return f"{RUNBOOK_DIR}/{runbook_id}.md"


def markdown_href(runbook_id: str, page: str) -> str:
    """How the Markdown page *page* links to a runbook's page: its relative .md path, which
    MkDocs turns into the built page's URL."""
    return posixpath.relpath(page_path(runbook_id), posixpath.dirname(page) or ".")


def _urlpath(url: str) -> str:
    # Parentheses and spaces would end a Markdown link target early, a quoted part would become
    # the link's title, and a pipe would split a table row (the See column).
    return (
        url.replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E")
        .replace("'", "%27")
        .replace('"', "%22")
        .replace("|", "%7C")
    )


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment, with the escaping filters every template uses."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # output is Markdown: every value is escaped by a filter for its context
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters.update(
        inline=escape.inline,
        entities=escape.entities,
        attr=escape.attr,
        code_inline=escape.code_inline,
        fence=escape.fence,
        mermaid_label=escape.mermaid_label,
        slug=escape.slug,
        runbook_href=markdown_href,
        urlpath=_urlpath,
        yaml_string=escape.yaml_string,
    )
    return env


def _render(name: str, **context: Any) -> str:
    text = environment().get_template(name).render(**context)
    return _tidy(text)


def _tidy(text: str) -> str:
    """Collapse runs of blank lines the templates leave (outside code fences)."""
    out: list[str] = []
    fence = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if not fence and stripped.startswith(("```", "~~~")):
            fence = stripped[: len(stripped) - len(stripped.lstrip(stripped[0]))]
        elif fence and stripped.startswith(fence) and not stripped.strip(fence[0]):
            fence = ""
        if not fence and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line.rstrip() if not fence else line)
    return "\n".join(out).strip() + "\n"


@dataclass(frozen=True)
class RunbookInputs:
    """Everything a runbook's page is made from (`render_runbook` reads nothing else): equal
    inputs, the same page. *directory*: the shared contacts, by id."""

    runbook: Runbook
    scheme: SeverityScheme | None
    contacts: tuple[Contact, ...]
    directory: Mapping[str, Contact]
    review: Review
    source_path: str


def runbook_inputs(
    runbook: Runbook, site: Site, *, today: dt.date, source_path: str = ""
) -> RunbookInputs:
    return RunbookInputs(
        runbook=runbook,
        scheme=site.scheme_of(runbook),
        contacts=tuple(site.contacts_of(runbook)),
        directory=site.contacts,
        review=review_of(runbook, today),
        source_path=source_path or runbook.source.path,
    )


def render_runbook(runbook: Runbook, site: Site, *, today: dt.date, source_path: str = "") -> str:
    """The Markdown page of one runbook."""
    return render_inputs(runbook_inputs(runbook, site, today=today, source_path=source_path))


def render_inputs(inputs: RunbookInputs) -> str:
    """The Markdown page of one runbook, from its inputs only."""
    return _render("runbook.md.j2", **page_context(inputs))


def page_context(inputs: RunbookInputs) -> dict[str, Any]:
    """What a runbook page's templates read, the Markdown page's and the HTML one's
    (generator/render_html.py) alike."""
    runbook = inputs.runbook
    owner = inputs.directory.get(runbook.owner) or next(
        (c for c in runbook.inline_contacts if c.id == runbook.owner), None
    )
    return {
        "runbook": runbook,
        "page": page_path(runbook.id),
        "scheme": inputs.scheme,
        "contacts": inputs.contacts,
        "contact_names": _contact_names(inputs.directory, runbook),
        "owner_name": owner.role if owner else runbook.owner,
        "review": inputs.review,
        "source_path": inputs.source_path,
        "used_templates": {s.template for s in all_steps(runbook) if s.template},
        "step_anchors": step_anchors(runbook),
        "default_pattern": default_variable_pattern(),
    }


def _contact_names(
    directory: Mapping[str, Contact], runbook: Runbook | None = None
) -> dict[str, str]:
    names = {c.id: c.role for c in directory.values()}
    if runbook is not None:
        names.update({c.id: c.role for c in runbook.inline_contacts})
    return names


def render_index(site: Site, *, today: dt.date) -> str:
    """The home page: the catalogue grouped by service."""
    return _render("index.md.j2", **index_context(site, today=today))


def index_context(site: Site, *, today: dt.date) -> dict[str, Any]:
    """What the home page's templates read, the Markdown page's and the HTML one's alike (as
    for every site-wide page's `*_context`)."""
    names = _contact_names(site.contacts)
    return {
        "page": "index.md",
        "services": site.services(),
        "runbooks_count": len(site.runbooks),
        "owner_names": {r.id: names.get(r.owner, r.owner) for r in site.runbooks},
        "review_status": {r.id: review_of(r, today).label for r in site.runbooks},
        "scheme_names": {r.id: _scheme_name(site, r) for r in site.runbooks},
    }


def _scheme_name(site: Site, runbook: Runbook) -> str:
    scheme = site.scheme_of(runbook)
    return (scheme.title or scheme.id) if scheme else ""


def render_severity(site: Site) -> str:
    """All severity schemes side by side."""
    return _render("severity.md.j2", **severity_context(site))


def severity_context(site: Site) -> dict[str, Any]:
    schemes = {s.id: s for s in site.schemes.values()}
    schemes.update({r.inline_scheme.id: r.inline_scheme for r in site.runbooks if r.inline_scheme})
    ordered = sorted(schemes.values(), key=lambda s: s.id)
    users = {s.id: [r for r in site.runbooks if site.scheme_of(r) is s] for s in ordered}
    depth = max((len(s.levels) for s in ordered), default=0)
    return {"page": "severity.md", "schemes": ordered, "users": users, "depth": depth}


def render_escalation(site: Site) -> str:
    """Contacts and time-based escalation of every runbook."""
    return _render("escalation.md.j2", **escalation_context(site))


def escalation_context(site: Site) -> dict[str, Any]:
    runbooks = sorted(site.runbooks, key=lambda r: (r.title.lower(), r.id))
    return {
        "page": "escalation.md",
        "runbooks": runbooks,
        "contacts_by": {r.id: site.contacts_of(r) for r in runbooks},
        "contact_names": _contact_names(site.contacts),
    }


def render_symptoms(site: Site) -> str:
    """Every symptom of every procedure, alphabetically."""
    return _render("symptoms.md.j2", **symptoms_context(site))


# Rows of one table of the symptom index: a browser lays out one table of a site's 26,000
# symptoms (3,000 runbooks) for seconds each time a script asks where something is, where it
# skips the tables of 200 out of view (runbooks.css: content-visibility).
SYMPTOMS_A_TABLE = 200


def symptoms_context(site: Site) -> dict[str, Any]:
    rows = [(s, r, p) for r in site.runbooks for p in r.procedures for s in p.symptoms]
    rows.sort(key=lambda row: (row[0].casefold(), row[1].id, row[2].id))
    tables = [rows[i : i + SYMPTOMS_A_TABLE] for i in range(0, len(rows), SYMPTOMS_A_TABLE)]
    return {"page": "symptoms.md", "tables": tables or [[]]}


def render_diagnostics() -> str:
    """The catalogue of diagnostic codes, with their fixes."""
    return _render("diagnostics.md.j2", **diagnostics_context())


def diagnostics_context() -> dict[str, Any]:
    return {"codes": list(CODES.values())}


def render_site_wide(site: Site, *, today: dt.date) -> dict[str, str]:
    """The pages made from every runbook: home, severity, escalation, symptoms; diagnostics."""
    return {
        "index.md": render_index(site, today=today),
        "severity.md": render_severity(site),
        "escalation.md": render_escalation(site),
        "symptoms.md": render_symptoms(site),
        "diagnostics.md": render_diagnostics(),
    }


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
    forked = (site, today, sources, page, site_wide)
    if kept is None:
        runbooks, made = _render_runbooks(forked, jobs, range(len(site.runbooks)), site_wide=True)
    else:
        runbooks, changed = _render_changed(forked, jobs, kept)
        kept.stale = bool(changed and kept.site_wide)
        if not kept.stale:
            kept.site_wide = dict(site_wide(site, today=today))
        made = dict(kept.site_wide)
    paths = [page_path(r.id) for r in site.runbooks]
    return Rendered(made, dict(zip(paths, runbooks, strict=True)))


# What workers render from (site, today, sources, the runbook page renderer, the site-wide
# one): set before a pool starts, inherited by the fork.
_Forked = tuple[Site, dt.date, dict[str, str], PageRenderer[Any], Callable[..., Mapping[str, Any]]]
_FORKED: _Forked | None = None


def _render_changed(forked: _Forked, jobs: int, kept: Kept[Page]) -> tuple[list[Page], list[int]]:
    """Every runbook's page, rendering only those whose inputs differ from *kept*'s (their
    indices: the second item); *kept* then holds exactly this site's pages."""
    site, today, sources, *_ = forked
    inputs = [
        runbook_inputs(r, site, today=today, source_path=sources.get(r.id, ""))
        for r in site.runbooks
    ]
    earlier = [kept.pages.get(r.id) for r in site.runbooks]
    changed = [i for i, old in enumerate(earlier) if old is None or old[0] != inputs[i]]
    fresh = dict(zip(changed, _render_runbooks(forked, jobs, changed)[0], strict=True))
    pages = [fresh[i] if old is None or i in fresh else old[1] for i, old in enumerate(earlier)]
    kept.pages = {r.id: (inputs[i], pages[i]) for i, r in enumerate(site.runbooks)}
    return pages, changed


def _render_runbooks(
    forked: _Forked, jobs: int, indices: Sequence[int], *, site_wide: bool = False
) -> tuple[list[Any], dict[str, Any]]:
    """The pages of the runbooks at *indices*, in worker processes for many (3–6 ms a page);
    and (*site_wide*) the site-wide pages, which grow with the site: one worker makes them
    while the others start on the runbooks."""
    global _FORKED
    _FORKED = forked
    try:
        workers = worker_count(jobs, len(indices))
        if workers <= 1:
            return [_runbook_page(i) for i in indices], _site_wide_pages() if site_wide else {}
        context = multiprocessing.get_context("fork")
        # A worker's collector leaves the site alone (walking it, it would copy its memory,
        # and free nothing), and so does this one's while the pages come in.
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=gc.freeze)
        with collector_paused(), pool:
            made = pool.submit(_site_wide_pages) if site_wide else None
            chunk = max(1, len(indices) // (workers * 8))
            pages = list(pool.map(_runbook_page, indices, chunksize=chunk))
            return pages, made.result() if made else {}
    finally:
        _FORKED = None


def _site_wide_pages() -> dict[str, Any]:
    assert _FORKED is not None
    site, today, _, _, site_wide = _FORKED
    return dict(site_wide(site, today=today))


def _runbook_page(index: int) -> Any:
    assert _FORKED is not None
    site, today, sources, page, _ = _FORKED
    runbook = site.runbooks[index]
    source_path = sources.get(runbook.id, "")
    return page(runbook_inputs(runbook, site, today=today, source_path=source_path))
