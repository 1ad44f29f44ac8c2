"""The pages' HTML straight from the model, with no Markdown in between.

`render_inputs` (markdown.py) writes a runbook's Markdown page and MkDocs would convert it with
Python-Markdown, at about 30 ms of CPU a page. Everything on that page is ours and regular, so
`render_inputs_html` writes the HTML Python-Markdown makes of it directly, from the same blocks
(`layout.py`, written by `to_html.py` where the Markdown page is written by `to_markdown.py`):
the same content, its table of contents and its anchors, byte for byte (tests/test_render_html.py
converts every page both ways), except for what Python-Markdown would change inside a command,
an output or a template: the HTML page keeps their text as written (`escape.code_block`).

The site-wide pages grow with the site too (the symptom index of 300 runbooks is 450 KB of
Markdown, a second to convert): `render_site_wide_html` writes theirs the same way, tested the
same way (tests/test_render_html_site.py).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markupsafe

from generator.core.model import Site
from generator.render.layout import runbook_blocks, site_wide
from generator.render.markdown import (
    RunbookInputs,
    alerts_context,
    diagnostics_context,
    escalation_context,
    format_context,
    front_matter,
    index_context,
    markdown_href,
    page_context,
    service_contexts,
    severity_context,
    symptoms_context,
)
from generator.render.to_html import Collected, HtmlWriter

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


def render_inputs_html(
    inputs: RunbookInputs, *, href: Href | None = None, link: Href | None = None
) -> HtmlPage:
    """The HTML of a runbook's page, from its inputs only: what Python-Markdown (with
    mkdocs.yml's extensions) makes of `render_inputs(inputs)` without its front matter.

    *href*(runbook_id, from_page) is the link target of another runbook's page; by default the
    relative .md path the Markdown page links to. *link*(path, from_page): that of another file
    of the site by its docs path (an image); by default the relative path.
    """
    context = page_context(inputs)
    collected = Collected()
    writer = HtmlWriter(
        context["page"], href=href or markdown_href, link=link or _relative, collected=collected
    )
    content = writer.blocks(runbook_blocks(context)).strip()
    if "\x02" in content or "\x03" in content:  # Python-Markdown drops them from its input
        content = content.replace("\x02", "").replace("\x03", "")
    runbook = inputs.runbook
    return HtmlPage(
        title=str(markupsafe.escape(runbook.title)),
        description=str(markupsafe.escape(runbook.summary or runbook.title)),
        content=content,
        toc=_nest(collected.headings),
        anchors=frozenset(collected.anchors),
        front=front_matter(runbook.title, runbook.summary or runbook.title) + "\n",
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
        "alerts.md": alerts_context(site),
        "diagnostics.md": diagnostics_context(),
        "format.md": format_context(),
        **service_contexts(site),
    }
    find = href or _by_folder(markdown_href)
    return {
        path: site_page(path, context, href=find, link=link or _relative)
        for path, context in contexts.items()
    }


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


def site_page(path: str, context: dict[str, Any], *, href: Href, link: Href) -> HtmlPage:
    """The site-wide page at *path* (`layout.site_wide`), as HTML."""
    front, blocks = site_wide(path)
    collected = Collected()
    writer = HtmlWriter(path, href=href, link=link, collected=collected)
    content = writer.blocks(blocks(context))
    if "\x02" in content or "\x03" in content:  # Python-Markdown drops them from its input
        content = content.replace("\x02", "").replace("\x03", "")
    return HtmlPage(
        title=_front_value(front, "title"),
        description=_front_value(front, "description"),
        content=content.strip(),
        toc=_nest(collected.headings),
        anchors=frozenset(collected.anchors),
        front=front + "\n",
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
