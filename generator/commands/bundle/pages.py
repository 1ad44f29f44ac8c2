"""A runbook's page for the go-bag: the site's HTML page (`render.html`), from the same layout
and HTML writer, with its diagrams drawn without mermaid and its links kept inside the file.

- The incident flow is drawn as inline SVG (`flow.py`).
- A diagram of the runbook's own (`diagrams:`, free Mermaid) is shown as its source: mermaid
  would weigh more than a service's whole go-bag may. With `--mermaid` the bundle carries
  mermaid packed (document.py) and bundle.js draws the source in place.
- A link to another runbook goes to it inside the bundle (`?_runbook=<id>`); an image is
  written into the page as a data: URL.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import markupsafe

from generator.commands.bundle.flow import flow_svg
from generator.commands.bundle.jinja import environment
from generator.core.model import Runbook
from generator.render.blocks import CodeBlock
from generator.render.escape import code_text
from generator.render.layout import runbook_blocks
from generator.render.markdown import RunbookInputs, page_context
from generator.render.to_html import Collected, HtmlWriter

# The query parameter that names the runbook shown. A variable's name starts with a letter
# (the schema's pattern), so no link that fills a variable can take it.
PARAM = "_runbook"


@dataclass(frozen=True)
class BundlePage:
    """A runbook's page in the bundle: its HTML and its sections (level-2 headings)."""

    id: str
    title: str
    content: markupsafe.Markup
    sections: tuple[tuple[str, str], ...]  # (anchor, heading text as HTML)
    diagrams: int  # free diagrams (`diagrams:`), shown as their source


def runbook_href(runbook_id: str, _page: str = "") -> str:
    """Where a runbook is inside the bundle."""
    return f"?{PARAM}={quote(runbook_id, safe='')}"


class BundleWriter(HtmlWriter):
    """The site's HTML writer, but for diagrams: the flow as SVG, other diagrams as source."""

    def __init__(self, runbook: Runbook, flow_text: str, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.runbook = runbook
        self.flow_text = flow_text
        self.diagrams = 0

    def code(self, block: CodeBlock) -> str:
        if not block.diagram:
            return super().code(block)
        macros = environment().get_template("diagram.html.j2").module
        if self.runbook.flow and block.body == self.flow_text:
            drawn = flow_svg(self.runbook.flow, name=self.runbook.id)
            return str(macros.flow(drawn)) + "\n"  # type: ignore[attr-defined]
        self.diagrams += 1
        source = markupsafe.Markup(code_text(block.body))
        return str(macros.source(source)) + "\n"  # type: ignore[attr-defined]


def bundle_page(inputs: RunbookInputs, *, images: Mapping[str, Path]) -> BundlePage:
    """The page of *inputs*' runbook; *images*: the files of the images it shows, by docs path."""
    context = page_context(inputs)
    collected = Collected()
    runbook = inputs.runbook
    writer = BundleWriter(
        runbook,
        context["flow_text"],
        page=context["page"],
        href=runbook_href,
        link=lambda path, _page: data_url(images[path]) if path in images else "#",
        collected=collected,
    )
    content = writer.blocks(runbook_blocks(context)).strip()
    # As render.html does: Python-Markdown drops these from its input, and so does the site.
    content = content.replace("\x02", "").replace("\x03", "")
    sections = tuple((h["id"], h["html"]) for h in collected.headings if h["level"] == 2)
    markup = markupsafe.Markup(content)
    return BundlePage(runbook.id, runbook.title, markup, sections, writer.diagrams)


def data_url(path: Path) -> str:
    """The file at *path* as a data: URL, so the bundle needs no other file."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
