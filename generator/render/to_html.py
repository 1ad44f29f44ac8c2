"""Blocks as HTML: what Python-Markdown (with mkdocs.yml's extensions) makes of the same blocks
written as Markdown (`to_markdown`), byte for byte, but for commands, outputs and templates,
whose text the HTML keeps as written (`escape.code_block`). tests/test_render_html.py converts
every page both ways and requires the same HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.render.blocks import (
    Admonition,
    Anchor,
    Code,
    CodeBlock,
    Div,
    Em,
    Heading,
    Img,
    Inline,
    Item,
    Link,
    List,
    Paragraph,
    Raw,
    Strong,
    Table,
)
from generator.render.escape import code_block, code_text, link_href, raw_block
from generator.render.writer import APART, Href, Writer

# Heading levels the table of contents lists: mkdocs.yml's `toc_depth`.
TOC_DEPTH = 3
_TAG = re.compile(r"<[^<>]*>")
_ID = re.compile(r'\sid="([^"]*)"')
_CHECKBOX = (
    '<label class="task-list-control"><input type="checkbox" disabled{checked}/>'
    '<span class="task-list-indicator"></span></label>'
)


@dataclass
class Collected:
    """What a page's HTML holds besides its text: its headings (Python-Markdown's toc tokens)
    and every id in it."""

    headings: list[dict[str, Any]] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)

    def heading(self, level: int, anchor: str, html: str) -> None:
        self.anchors.add(anchor)
        if level <= TOC_DEPTH:
            name = " ".join(_TAG.sub("", html).split()) if "<" in html else html
            self.headings.append(
                {"level": level, "id": anchor, "name": name, "html": html, "data-toc-label": ""}
            )


class HtmlWriter(Writer):
    """Writes blocks as the HTML of the page *page*: links to a runbook through *href*, to
    another generated page (by its docs path) through *link*; what the page holds besides its
    text goes into *collected*."""

    def __init__(self, page: str, *, href: Href, link: Href, collected: Collected) -> None:
        super().__init__(page, href=href, link=link)
        self.collected = collected

    def inline(self, part: Inline) -> str:
        if isinstance(part, str):
            return part
        if isinstance(part, Strong):
            return f"<strong>{part.text}</strong>"
        if isinstance(part, Em):
            return f"<em>{part.text}</em>"
        if isinstance(part, Code):
            return f"<code>{code_text(part.text)}</code>"
        if isinstance(part, Anchor):
            self.collected.anchors.add(part.id)
            return f'<span id="{part.id}">{part.text}</span>'
        if isinstance(part, Img):  # as Python-Markdown writes `![alt](path)`
            alt = part.alt.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            alt = alt.replace('"', "&quot;")
            src = link_href(self.target(part.target))
            return f'<img alt="{alt}" src="{src}" />'
        assert isinstance(part, Link)
        css = f' class="{part.css}"' if part.css else ""
        return f'<a{css} href="{link_href(self.target(part.target))}">{part.text}</a>'

    def heading(self, block: Heading) -> str:
        level, anchor = block.level, block.anchor
        inner = self.text(block.text).strip()
        self.collected.heading(level, anchor, inner)
        link = f'<a class="headerlink" href="#{anchor}" title="Permanent link">&para;</a>'
        return f'<h{level} id="{anchor}">{inner}{link}</h{level}>\n'

    def paragraph(self, block: Paragraph) -> str:
        attributes = ""
        if block.anchor:
            self.collected.anchors.add(block.anchor)
            attributes = f' id="{block.anchor}"'
        elif block.css:
            attributes = f' class="{block.css}"'
        return f"<p{attributes}>{self.text(block.text).strip()}</p>\n"

    def list(self, block: List) -> str:
        apart = f"{APART}\n\n" if block.apart else ""
        tag = "ol" if block.ordered else "ul"
        opening = f'<{tag} class="task-list">' if block.tasks else f"<{tag}>"
        items = "".join(self.item(block, item) for item in block.items)
        return f"{apart}{opening}\n{items}</{tag}>\n"

    def item(self, block: List, item: Item) -> str:
        nested = self.list(item.children) if item.children is not None else ""
        if block.tasks:
            box = _CHECKBOX.format(checked=" checked" if item.done else "")
            return f'<li class="task-list-item">{box} {self.text(item.text)}{nested}</li>\n'
        return f"<li>{self.text(item.text)}{nested}</li>\n"

    def table(self, block: Table) -> str:
        # Python-Markdown fills a short row with empty cells, drops the cells past the last
        # column and writes a table without rows with one empty row.
        width = len(block.head)
        head = "".join(f"<th>{self.text(cell).strip()}</th>\n" for cell in block.head)
        rows = []
        for row in block.rows or ((),):
            cells = [self.text(row[i]).strip() if i < len(row) else "" for i in range(width)]
            rows.append("<tr>\n" + "".join(f"<td>{cell}</td>\n" for cell in cells) + "</tr>\n")
        body = "".join(rows)
        return f"<table>\n<thead>\n<tr>\n{head}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>\n"

    def code(self, block: CodeBlock) -> str:
        if block.diagram:
            return f'<pre class="mermaid"><code>{code_text(block.body)}</code></pre>\n'
        if block.output:
            language = ' class="language-text no-copy"'
        else:
            language = f' class="language-{block.language}"' if block.language else ""
        return f'<pre class="highlight"><code{language}>{code_block(block.body)}</code></pre>\n'

    def admonition(self, block: Admonition) -> str:
        title = block.title or block.kind.capitalize()
        inner = self.blocks(block.blocks)
        return (
            f'<div class="admonition {block.kind}">\n'
            f'<p class="admonition-title">{title}</p>\n{inner}</div>\n'
        )

    def div(self, block: Div) -> str:
        exclude = ' data-search-exclude="data-search-exclude"' if block.search_exclude else ""
        return f'<div class="{block.css}"{exclude}>\n{self.blocks(block.blocks)}</div>\n'

    def raw(self, block: Raw) -> str:
        # Python-Markdown keeps a raw HTML block's lines as written, and a blank line after it.
        if " id=" in block.html:  # ours (the incident data's script): the page has its id
            self.collected.anchors.update(_ID.findall(block.html))
        return raw_block(block.html) + "\n"
