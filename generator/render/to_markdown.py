"""Blocks as Markdown: the page any MkDocs-compatible engine builds (with the admonition,
attr_list, tables, md_in_html and superfences/tasklist extensions)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from jinja2.filters import do_indent

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
    Link,
    List,
    Paragraph,
    Raw,
    Strong,
    Table,
)
from generator.render.escape import fence
from generator.render.writer import APART, Href, Writer

# What `![alt](...)` would read as Markdown in an alt text: backslash-escaped.
_ALT_ESCAPE = re.compile(r"[\\`\[\]]")


class MarkdownWriter(Writer):
    """Writes blocks as the Markdown page *page* (a docs path): links to runbooks through
    *href*, to other generated pages relative to it; a blank line between two blocks (`tidy`
    collapses what is more)."""

    separator = "\n\n"

    def __init__(self, page: str, href: Href) -> None:
        super().__init__(page, href=href, link=_relative)

    def inline(self, part: Inline) -> str:
        if isinstance(part, str):
            return part
        if isinstance(part, Strong):
            return f"**{part.text}**"
        if isinstance(part, Em):
            return f"*{part.text}*"
        if isinstance(part, Code):
            return f"`{part.text}`"
        if isinstance(part, Anchor):
            return f'<span id="{part.id}">{part.text}</span>'
        if isinstance(part, Img):
            alt = _ALT_ESCAPE.sub(r"\\\g<0>", part.alt.replace("&", "&amp;"))
            return f"![{alt}]({self.target(part.target)})"
        assert isinstance(part, Link)
        css = "{ ." + " .".join(part.css.split()) + " }" if part.css else ""
        return f"[{part.text}]({self.target(part.target)}){css}"

    def heading(self, block: Heading) -> str:
        return f"{'#' * block.level} {self.text(block.text)} {{ #{block.anchor} }}"

    def paragraph(self, block: Paragraph) -> str:
        text = self.text(block.text)
        if block.anchor:
            return f"{text}\n{{: #{block.anchor} }}"
        return f"{text}\n{{: .{block.css} }}" if block.css else text

    def list(self, block: List) -> str:
        lines = "".join(self.items(block, 0)).rstrip("\n")
        return f"{APART}\n\n{lines}" if block.apart else lines

    def items(self, block: List, indent: int) -> Iterator[str]:
        for number, item in enumerate(block.items, start=1):
            box = "- [x]" if item.done else "- [ ]"
            marker = f"{number}." if block.ordered else box if block.tasks else "-"
            yield f"{' ' * indent}{marker} {self.text(item.text)}\n"
            if item.children is not None:
                yield from self.items(item.children, indent + 4)

    def table(self, block: Table) -> str:
        head = "| " + " | ".join(self.text(cell) for cell in block.head) + " |"
        rows = ("| " + " | ".join(self.text(cell) for cell in row) + " |" for row in block.rows)
        return "\n".join([head, "|" + " --- |" * len(block.head), *rows])

    def code(self, block: CodeBlock) -> str:
        if block.diagram:
            return f"``` mermaid\n{block.body}\n```"
        info = "{ .text .no-copy }" if block.output else block.language
        return fence(block.body, info=info)

    def admonition(self, block: Admonition) -> str:
        title = f' "{block.title}"' if block.title else ""
        body = do_indent(self.blocks(block.blocks) + "\n", 4, first=True)
        return f"!!! {block.kind}{title}\n\n{body}"

    def div(self, block: Div) -> str:
        exclude = " data-search-exclude" if block.search_exclude else ""
        opening = f'<div class="{block.css}"{exclude} markdown>'
        if block.tight:
            return f"{opening}\n{self.blocks(block.blocks)}\n</div>"
        return f"{opening}\n\n{self.blocks(block.blocks)}\n\n</div>"

    def raw(self, block: Raw) -> str:
        return block.html.rstrip("\n")


def _relative(path: str, page: str) -> str:
    return posixpath.relpath(path, posixpath.dirname(page) or ".")


def tidy(text: str) -> str:
    """Collapse runs of blank lines and trailing whitespace (outside code fences)."""
    out: list[str] = []
    fenced = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if not fenced and stripped.startswith(("```", "~~~")):
            fenced = stripped[: len(stripped) - len(stripped.lstrip(stripped[0]))]
        elif fenced and stripped.startswith(fenced) and not stripped.strip(fenced[0]):
            fenced = ""
        if not fenced and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line.rstrip() if not fenced else line)
    return "\n".join(out).strip() + "\n"
