"""Generated pages converted to HTML and put through the theme, for the MkDocs plugin.

MkDocs converts and renders one page at a time, in one process. The steps here do that work
first, and MkDocs then goes through every page as usual (plugins' events included) with it done.
Before MkDocs reads the pages:

- `take_html`: a page made as HTML (generator/render/html.py) is given its HTML, table of
  contents and anchors as they are, with nothing to convert;
- `convert_pages`: the other generated pages, each converted by its own `Page.render` (the same
  Markdown extensions, link checks and table of contents) in forked workers, the results handed
  to the page;
- `Prerendered.start`, once every page is read: each page's theme template rendered in forked
  workers with the context MkDocs would give it (plugins' `on_page_context` included) into a
  file, while MkDocs builds the pages in order; the page's template is one that reads its file
  back (waiting for it if need be), so MkDocs' own build of the page (plugins' events, writing
  it) costs little.

What MkDocs logged in a worker is logged again here, so `--strict` counts it.

This is the one module of the plugin that leans on MkDocs' private API, because MkDocs has no
public way to give it a page's HTML or to render one page's theme template elsewhere:
`_render_template` does what `mkdocs.commands.build._build_page` does up to the template's
output (setting `config._current_page`, which the theme reads), with `get_context`; a page is
given its results by replacing its `render` and setting what `Page.render` sets
(`_title_from_render`, `present_anchor_ids`, `links_to_anchors`). tests/test_mkdocs_api.py
fails when any of these changes in MkDocs, saying what to re-read here.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents, get_toc

from generator.render.html import HtmlPage
from generator.run.workers import PARALLEL_MIN_FILES, Lazy, forked_map, state, worker_count


@dataclass(frozen=True)
class Converted:
    """What `Page.render` leaves on a page; links to anchors by the target's source path."""

    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None
    logged: list[tuple[str, int, str]]


# Markdown (characters) worth converting in workers however few the pages: about a second's work.
LARGE = 500_000


def convert_pages(pages: Sequence[Page], config: MkDocsConfig, files: Files, jobs: int = 0) -> None:
    """Convert *pages* in worker processes; too few of them (or no fork): left to MkDocs.

    A few large pages (a site's symptom index and escalation page: every runbook's) are worth
    the workers too; given first, they start first.
    """
    large = sum(len(page.file.content_string) for page in pages) > LARGE
    workers = min(len(pages), worker_count(jobs, PARALLEL_MIN_FILES if large else len(pages)))
    if workers <= 1:
        return
    converted = forked_map(_convert, len(pages), (pages, config, files), workers)
    for page, result in zip(pages, converted, strict=True):
        _install(page, result, files)


def _convert(index: int) -> Converted:
    pages, config, files = state()
    page = pages[index]
    with _logged() as logged:
        page.read_source(config)
        page.render(config, files)
    links = page.links_to_anchors
    return Converted(
        content=page.content or "",
        toc=page.toc,
        title=getattr(page, "_title_from_render", None),
        anchors=page.present_anchor_ids,
        links=None if links is None else {f.src_uri: found for f, found in links.items()},
        logged=logged,
    )


@contextmanager
def _logged() -> Iterator[list[tuple[str, int, str]]]:
    """What MkDocs logs meanwhile, as (logger, level, message), instead of printing it."""
    records: list[tuple[str, int, str]] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append((record.name, record.levelno, record.getMessage()))  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs")
    saved, logger.handlers = logger.handlers, [handler]
    try:
        yield records
    finally:
        logger.handlers = saved


def _install(page: Page, converted: Converted, files: Files) -> None:
    page.content = converted.content
    page.toc = converted.toc
    page._title_from_render = converted.title  # what `render` sets: the title of a page without one
    page.present_anchor_ids = converted.anchors
    if converted.links is not None:
        page.links_to_anchors = {
            file: found
            for path, found in converted.links.items()
            if (file := files.get_file_from_path(path)) is not None
        }
    _replay(converted.logged)
    page.render = _rendered  # type: ignore[method-assign]


def take_html(page: Page, html: Mapping[str, HtmlPage]) -> bool:
    """Give *page* its HTML if *html* has it (the fast path of generator/render_html.py): its
    source file holds the content after the front matter, so `render` takes that as it is.
    Returns whether it did."""
    made = html.get(page.file.src_uri)
    if made is None:
        return False

    def render(config: MkDocsConfig, files: Files) -> None:
        # The source is the content: kept once (a plugin that rewrites the content, as
        # Material's search does, would otherwise leave two copies of each page until the end).
        page.content, page.markdown = page.markdown, ""
        page.toc = get_toc(made.toc)  # type: ignore[arg-type]
        page.present_anchor_ids = set(made.anchors)

    page.render = render  # type: ignore[method-assign]
    return True


def _replay(records: list[tuple[str, int, str]]) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, message)


def _rendered(config: MkDocsConfig, files: Files) -> None:
    """A converted page's `render`: its results are in place already."""


# The template a prerendered page is built with: the file its worker wrote.
PRERENDERED = "runbookgen/prerendered.html"


class Prerendered:
    """Pages put through the theme's template in worker processes while MkDocs builds the
    others (`start`), each read back by MkDocs' build of the page through the template
    `PRERENDERED`, waiting for it if need be (see the module's doc)."""

    def __init__(self) -> None:
        self.directory: Path | None = None
        self.pool: Lazy | None = None  # what each page logged, in order
        self.index: dict[str, int] = {}  # pages not read back yet, by source path
        self.done = 0  # pages rendered so far

    def start(
        self,
        pages: Sequence[Page],
        *,
        config: MkDocsConfig,
        documents: Sequence[File],
        nav: Navigation,
        env: jinja2.Environment,
        jobs: int = 0,
    ) -> None:
        """Start rendering *pages*' templates in workers, given MkDocs' *documents* (the pages it
        builds) and *nav*, in the order MkDocs builds them; each page's template is then
        `PRERENDERED`. Too few pages: left to MkDocs."""
        workers = worker_count(jobs, len(pages))
        if workers <= 1:
            return
        self.directory = Path(tempfile.mkdtemp(prefix="runbookgen-pages-"))
        # Interrupted (Ctrl-C), MkDocs calls no plugin: up to 75 KB a page would stay behind.
        atexit.register(self.close)
        work = (pages, config, documents, nav, env, self.directory)
        chunk = max(1, min(16, len(pages) // (workers * 8)))  # small: MkDocs waits for the first
        self.pool = Lazy(_render_template, len(pages), work, workers, chunk)
        self.index = {page.file.src_uri: i for i, page in enumerate(pages)}
        for page in pages:
            page.meta["template"] = PRERENDERED
        stub = jinja2.DictLoader({PRERENDERED: "{{ runbookgen_prerendered(page) }}"})
        env.loader = jinja2.ChoiceLoader([stub, *([env.loader] if env.loader else [])])
        env.globals["runbookgen_prerendered"] = self._read

    def holds(self, page: Page) -> bool:
        """Whether *page*'s output is made in a worker (and not read back yet)."""
        return page.file.src_uri in self.index

    def _read(self, page: Page) -> Markup:
        assert self.directory is not None and self.pool is not None
        index = self.index.pop(page.file.src_uri)
        while self.done <= index:
            _replay(self.pool.next())
            self.done += 1
        path = self.directory / f"{index}.html"
        output = path.read_text(encoding="utf-8")
        path.unlink()
        return Markup(output)  # the theme's HTML, as its template made it

    def close(self) -> None:
        """Stop the workers (a failed build: without finishing) and remove what they left."""
        if self.pool is not None:
            self.pool.close()
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            atexit.unregister(self.close)
        self.directory, self.pool, self.index, self.done = None, None, {}, 0


def _render_template(index: int) -> list[tuple[str, int, str]]:
    """What `_build_page` of mkdocs.commands.build does up to the template's output."""
    pages, config, documents, nav, env, directory = state()
    page = pages[index]
    with _logged() as logged:
        config._current_page = page
        page.active = True
        try:
            context = get_context(nav, documents, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            output = template.render(context)
        finally:
            page.active = False
            config._current_page = None
    (directory / f"{index}.html").write_text(output, encoding="utf-8")
    return logged
