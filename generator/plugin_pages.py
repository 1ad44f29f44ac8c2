"""Runbook pages converted to HTML in worker processes, for the MkDocs plugin.

Python-Markdown is most of a build, and MkDocs converts one page at a time. Before MkDocs
reads the pages, `convert_pages` converts the runbook pages in forked workers through the
pages' own `Page.render` (the same Markdown extensions, link checks and table of contents), and
hands each page its results; MkDocs then goes through the page as usual (plugins' events
included) with nothing left to convert. What MkDocs logged in a worker is logged again here,
so `--strict` counts it.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from generator.project import worker_count


@dataclass(frozen=True)
class Converted:
    """What `Page.render` leaves on a page; links to anchors by the target's source path."""

    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None
    logged: list[tuple[str, int, str]]


# What forked workers convert: set just before the pool starts, inherited by the fork.
_FORKED: tuple[Sequence[Page], MkDocsConfig, Files] | None = None


def convert_pages(pages: Sequence[Page], config: MkDocsConfig, files: Files, jobs: int = 0) -> None:
    """Convert *pages* in worker processes; too few of them (or no fork): left to MkDocs."""
    global _FORKED
    workers = worker_count(jobs, len(pages))
    if workers <= 1:
        return
    _FORKED = (pages, config, files)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            chunk = max(1, len(pages) // (workers * 8))
            converted = pool.map(_convert, range(len(pages)), chunksize=chunk)
            for page, result in zip(pages, converted, strict=True):
                _install(page, result, files)
    finally:
        _FORKED = None


def _convert(index: int) -> Converted:
    assert _FORKED is not None
    pages, config, files = _FORKED
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
    for name, level, message in converted.logged:
        logging.getLogger(name).log(level, message)
    page.render = _rendered  # type: ignore[method-assign]


def _rendered(config: MkDocsConfig, files: Files) -> None:
    """A converted page's `render`: its results are in place already."""
