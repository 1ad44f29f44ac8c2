"""Stage 5, fast path: the pages' HTML straight from the model, with no Markdown in between.

`render_inputs` (render.py) writes a runbook's Markdown page and MkDocs converts it with
Python-Markdown, at about 30 ms of CPU a page. Everything on that page is ours and regular
(user text arrives through the filters of escape.py), so `render_inputs_html` writes the HTML
Python-Markdown makes of it directly, through templates that mirror the Markdown ones block for
block (runbook.html.j2 beside runbook.md.j2): the same content, its table of contents and its
anchors, byte for byte (tests/test_render_html.py converts every page both ways), except for
what Python-Markdown would change inside a command, an output or a template: the HTML page keeps
their text as written (`escape.code_block`).

The site-wide pages grow with the site too (the symptom index of 300 runbooks is 450 KB of
Markdown, a second to convert): `render_site_wide_html` writes theirs the same way, each
template beside its Markdown one (symptoms.html.j2 beside symptoms.md.j2), tested the same way
(tests/test_render_html_site.py).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

import jinja2
import markupsafe

from generator.core.loader import JsonPath
from generator.core.model import Link, Runbook, Site, Step, Template
from generator.render import escape
from generator.render.layout import list_breaks
from generator.render.markdown import (
    TEMPLATES,
    RunbookInputs,
    diagnostics_context,
    environment,
    escalation_context,
    index_context,
    markdown_href,
    page_context,
    severity_context,
    symptoms_context,
)

# Heading levels the table of contents lists: mkdocs.yml's `toc_depth`.
TOC_DEPTH = 3
# Filters of the Markdown templates the HTML ones use as they are: their output is already
# what Python-Markdown makes of it (plain text, numeric entities, <code> and <br>).
_SHARED_FILTERS = (
    "inline",
    "entities",
    "attr",
    "code_inline",
    "mermaid_label",
    "slug",
    "urlpath",
    "yaml_string",
)
_TAG = re.compile(r"<[^<>]*>")

Href = Callable[[str, str], str]


@dataclass(frozen=True)
class HtmlPage:
    """A page (a runbook's or a site-wide one) as MkDocs would have it after converting its
    Markdown page."""

    # The front matter's values, decoded: for a runbook page, the title and description as
    # HTML-escaped text (the Markdown page's `| e`), which is how Material prints them; a
    # site-wide page has no description ("").
    title: str
    description: str
    content: str  # the page's HTML
    toc: list[dict[str, Any]]  # Python-Markdown's toc_tokens for it
    anchors: frozenset[str]  # every id="…" in the content
    front: str  # the Markdown page's front matter, `---` lines included, as it is

    def front_matter(self) -> str:
        """The Markdown page's front matter (`---` lines included), the same text: for a page
        whose content is given as HTML."""
        return self.front


@dataclass
class _Collector:
    """What the templates report as they render (the context's `collect`, through the filters
    `toc` and `anchor`): the headings and the other anchors."""

    headings: list[dict[str, Any]] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)

    def heading(self, level: int, anchor: str, html: str) -> None:
        self.anchors.add(anchor)
        if level <= TOC_DEPTH:
            name = " ".join(_TAG.sub("", html).split()) if "<" in html else html
            self.headings.append(
                {"level": level, "id": anchor, "name": name, "html": html, "data-toc-label": ""}
            )


# Filters, not methods of `collect`, as Jinja calls a filter straight and a method through its
# checks, and a page has dozens of headings.


@jinja2.pass_context
def _toc(context: jinja2.runtime.Context, html: str, level: int, anchor: str) -> str:
    """The inner *html* of the heading *anchor*, as it is, entered in the page's headings."""
    context["collect"].heading(level, anchor, html)
    return html


@jinja2.pass_context
def _anchor(context: jinja2.runtime.Context, anchor: str) -> str:
    """The id *anchor*, as it is, entered in the page's anchors."""
    context["collect"].anchors.add(anchor)
    return anchor


@cache
def html_environment() -> jinja2.Environment:
    """The Jinja2 environment of the HTML page: the Markdown one's settings and filters (the
    flow and variables partials are shared), with those for HTML contexts."""
    markdown = environment()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # every value is escaped by a filter for its context
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        auto_reload=False,  # templates ship with the package: no stat() of each, every page
    )
    env.filters.update({name: markdown.filters[name] for name in _SHARED_FILTERS})
    env.filters.update(
        code_block=escape.code_block,
        code_text=escape.code_text,
        link_href=escape.link_href,
        raw_block=escape.raw_block,
        inline=escape.inline_cached,  # the hottest filter
        toc=_toc,
        anchor=_anchor,
    )
    return env


def render_inputs_html(inputs: RunbookInputs, *, href: Href | None = None) -> HtmlPage:
    """The HTML of a runbook's page, from its inputs only: what Python-Markdown (with
    mkdocs.yml's extensions) makes of `render_inputs(inputs)` without its front matter.

    *href*(runbook_id, from_page) is the link target of another runbook's page; by default the
    relative .md path the Markdown page links to.
    """
    context = page_context(inputs)
    collected = _Collector()
    template = html_environment().get_template("runbook.html.j2")
    rows = step_rows(inputs.runbook, context["step_anchors"])
    content = template.render(context | rows, collect=collected, href=href or markdown_href)
    content = content.strip()
    if "\x02" in content or "\x03" in content:  # Python-Markdown drops them from its input
        content = content.replace("\x02", "").replace("\x03", "")
    runbook = inputs.runbook
    title = str(markupsafe.escape(runbook.title))
    description = str(markupsafe.escape(runbook.summary or runbook.title))
    front = html_environment().get_template("_front_matter.md.j2")
    return HtmlPage(
        title=title,
        description=description,
        content=content,
        toc=_nest(collected.headings),
        anchors=frozenset(collected.anchors),
        front=front.render(title=title, description=description),
    )


def _relative(path: str, page: str) -> str:
    return posixpath.relpath(path, posixpath.dirname(page) or ".")


def render_site_wide_html(
    site: Site, *, today: dt.date, href: Href | None = None, link: Href | None = None
) -> dict[str, str | HtmlPage]:
    """The site-wide pages as `render.render_site_wide` names them, in its order, each the
    HTML Python-Markdown makes of its Markdown page (front matter kept as it is).

    *href*(runbook_id, from_page): the link target of a runbook's page, as for
    `render_inputs_html`. *link*(path, from_page): that of another generated page, by its
    docs path (index.md's buttons to symptoms.md, …); by default the relative .md path the
    Markdown page links to.
    """
    contexts = {
        "index.md": index_context(site, today=today),
        "severity.md": severity_context(site),
        "escalation.md": escalation_context(site),
        "symptoms.md": symptoms_context(site),
        "diagnostics.md": diagnostics_context(),
    }
    # Every site-wide page sits at the top of the docs: the default targets are the same from
    # each page, so found once for all.
    find = href or _by_folder(markdown_href)
    return {
        path: _site_page(path, context | site_links(path, href=find, link=link or _relative))
        for path, context in contexts.items()
    }


def site_links(page: str, *, href: Href, link: Href) -> dict[str, Any]:
    """What the template of the site-wide page *page* links with: `runbook_hrefs[id]`, the
    link target of a runbook's page (`href`), and `link`."""
    return {"href": href, "runbook_hrefs": _Hrefs(href, page), "link": link}


class _Hrefs(dict[str, str]):
    """The link target of each runbook's page from *page*, found once a runbook: a site-wide
    page links to a runbook from many rows (each of its symptoms), and a template's lookup
    costs less than its call."""

    def __init__(self, href: Href, page: str) -> None:
        super().__init__()
        self._href = href
        self._page = page

    def __missing__(self, runbook_id: str) -> str:
        self[runbook_id] = target = self._href(runbook_id, self._page)
        return target


def _by_folder(href: Href) -> Href:
    """*href*, found once a runbook and folder: for an *href* that depends on the linking
    page's folder only, as `markdown_href` does (a relative path)."""
    found: dict[tuple[str, str], str] = {}

    def in_folder(runbook_id: str, page: str) -> str:
        key = (runbook_id, posixpath.dirname(page))
        if key not in found:
            found[key] = href(runbook_id, page)
        return found[key]

    return in_folder


def _site_page(path: str, context: dict[str, Any]) -> HtmlPage:
    """The page at *path* from its template (index.html.j2 for index.md), which writes the
    Markdown page's front matter and then the HTML."""
    collected = _Collector()
    template = html_environment().get_template(path.replace(".md", ".html.j2"))
    text = template.render(context, collect=collected)
    head, content = text.split("\n---\n", 1)
    if "\x02" in content or "\x03" in content:  # Python-Markdown drops them from its input
        content = content.replace("\x02", "").replace("\x03", "")
    return HtmlPage(
        title=_front_value(head, "title"),
        description=_front_value(head, "description"),
        content=content.strip(),
        toc=_nest(collected.headings),
        anchors=frozenset(collected.anchors),
        front=head + "\n---\n",
    )


def _front_value(front: str, key: str) -> str:
    """A plain value of our own front matter (`title: Runbooks`); "" if it has no *key*."""
    prefix = f"{key}: "
    return next((x.removeprefix(prefix) for x in front.splitlines() if x.startswith(prefix)), "")


def _nest(headings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The headings as a tree, each under the last one of a higher level before it."""
    top: list[dict[str, Any]] = []
    open_: list[dict[str, Any]] = []
    for token in headings:
        token["children"] = []
        while open_ and open_[-1]["level"] >= token["level"]:
            open_.pop()
        (open_[-1]["children"] if open_ else top).append(token)
        open_.append(token)
    return top


class StepRow(NamedTuple):
    """A step as the page writes it, with what its blocks look up (once here: a lookup from a
    template costs more than most of a step's HTML). A region's steps come as one list in page
    order, each step's nested steps right after it, so one loop writes them, not a macro call
    a step; a tuple, which the loop unpacks, as a template's attribute lookups add up."""

    step: Step
    level: int  # of its heading: the region's, one more a nesting, <h6> at most
    anchor: str  # its heading's id (its step_anchors, as a slug); "" without a heading
    items_break: bool  # its list comes right after another list (`layout.list_breaks`)
    checklist_break: bool
    template: Template | None  # the template it shows, if that template exists
    see: tuple[Link | None, ...]  # its `see` links, None for an id that names none


def step_rows(runbook: Runbook, anchors: dict[JsonPath, str]) -> dict[str, list[list[StepRow]]]:
    """The rows of every region of steps, as lists beside the model's: `phase_steps[i]` for
    `runbook.phases[i]`, `diagnosis_steps[i]` and `resolution_steps[i]` for its procedures."""
    breaks = list_breaks(runbook)

    def rows(steps: tuple[Step, ...], level: int) -> list[StepRow]:
        return [_row(s, n, runbook, anchors, breaks) for s, n in _in_page_order(steps, level)]

    return {
        "phase_steps": [rows(p.steps, 3) for p in runbook.phases],
        "diagnosis_steps": [rows(p.diagnosis, 4) for p in runbook.procedures],
        "resolution_steps": [rows(p.resolution, 4) for p in runbook.procedures],
    }


def _in_page_order(steps: tuple[Step, ...], level: int) -> Iterator[tuple[Step, int]]:
    for step in steps:
        yield step, level
        yield from _in_page_order(step.steps, min(level + 1, 6))


def _row(
    step: Step,
    level: int,
    runbook: Runbook,
    anchors: dict[JsonPath, str],
    breaks: frozenset[tuple[JsonPath, str]],
) -> StepRow:
    return StepRow(
        step,
        level,
        escape.slug(anchors[step.path]) if step.when or step.title else "",
        (step.path, "items") in breaks,
        (step.path, "checklist") in breaks,
        runbook.template(step.template) if step.template else None,
        tuple(runbook.link(x) for x in step.see) if step.see else (),
    )
