"""Stage 5, fast path: the pages' HTML straight from the model, with no Markdown in between.

`render_inputs` (render.py) writes a runbook's Markdown page and MkDocs converts it with
Python-Markdown, at about 30 ms of CPU a page. Everything on that page is ours and regular
(user text arrives through the filters of escape.py), so `render_inputs_html` writes the HTML
Python-Markdown makes of it directly, through templates that mirror the Markdown ones block for
block (runbook.html.j2 beside runbook.md.j2): the same content, its table of contents and its
anchors, byte for byte (tests/test_render_html.py converts every page both ways).

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
from typing import Any

import jinja2
import markupsafe

from generator import escape
from generator.loader import JsonPath
from generator.model import Runbook, Site, Step
from generator.render import (
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


@dataclass(frozen=True)
class ListPlace:
    """Where a step's list sits in its run: Python-Markdown continues a list with the next one
    when only a blank line is between, making one element of both and wrapping the two items
    that meet in <p> ("loose"). A list alone is a run of one."""

    opens: bool = True  # the run starts here: open its element
    closes: bool = True  # the run ends here: close it
    tag: str = "ul"  # the run's element: its first list's
    tasks: bool = False  # the run holds checklist items (class="task-list")


@dataclass
class _Collector:
    """What the templates report as they render: the headings and the other anchors."""

    headings: list[dict[str, Any]] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)

    def heading(self, level: int, anchor: str, html: str) -> str:
        self.anchors.add(anchor)
        if level <= TOC_DEPTH:
            name = " ".join(_TAG.sub("", html).split()) if "<" in html else html
            token = {"level": level, "id": anchor, "name": name, "html": html}
            self.headings.append(token | {"data-toc-label": ""})
        return ""

    def anchor(self, anchor: str) -> str:
        self.anchors.add(anchor)
        return ""


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
    content = template.render(
        context, collect=collected, lists=list_places(inputs.runbook), href=href or markdown_href
    ).strip()
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
    # A runbook is linked to from many rows of a page (each of its symptoms): one target each.
    links = {"href": cache(href or markdown_href), "link": link or _relative}
    return {path: _site_page(path, context | links) for path, context in contexts.items()}


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


class ListPlaces:
    """The place of every list of a runbook's steps in its run (see `ListPlace`), by step and
    kind ("items" or "checklist")."""

    def __init__(self, runs: dict[tuple[JsonPath, str], ListPlace]) -> None:
        self._runs = runs

    def place(self, step: Step, kind: str) -> ListPlace:
        found = self._runs.get((step.path, kind))
        if found is not None:
            return found
        return ListPlace(
            tag="ol" if kind == "items" and step.ordered else "ul", tasks=kind != "items"
        )


def list_places(runbook: Runbook) -> ListPlaces:
    """Where the lists of the runbook's steps meet: runs of two or more lists with nothing but
    blank lines between them on the Markdown page (its blocks in the order step() writes them)."""
    runs: dict[tuple[JsonPath, str], ListPlace] = {}
    regions = [p.steps for p in runbook.phases]
    regions += [steps for p in runbook.procedures for steps in (p.diagnosis, p.resolution)]
    for steps in regions:
        run: list[tuple[Step, str]] = []
        for block in [*(b for s in steps for b in _blocks(s, runbook)), None]:
            if block is not None:
                run.append(block)
                continue
            if len(run) > 1:
                runs.update(_run_places(run))
            run = []
    return ListPlaces(runs)


def _blocks(step: Step, runbook: Runbook) -> Iterator[tuple[Step, str] | None]:
    """The blocks step() writes for *step*, in order: each list as (step, kind), None for any
    other block."""
    if step.when or step.title or step.time_budget or step.text:
        yield None
    if step.items:
        yield step, "items"
    if step.checklist:
        yield step, "checklist"
    template = step.template and runbook.template(step.template)
    if step.table or step.commands or template or step.see or step.note:
        yield None
    for sub in step.steps:
        yield from _blocks(sub, runbook)


def _run_places(run: list[tuple[Step, str]]) -> Iterator[tuple[tuple[JsonPath, str], ListPlace]]:
    first, kind = run[0]
    tag = "ol" if kind == "items" and first.ordered else "ul"
    tasks = any(k == "checklist" for _, k in run)
    for i, (step, k) in enumerate(run):
        yield (step.path, k), ListPlace(i == 0, i == len(run) - 1, tag, tasks)
