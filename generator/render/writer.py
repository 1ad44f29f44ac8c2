"""What the two writers of blocks share: the page they write, where its links go, and which
method writes which kind of block. `to_markdown` and `to_html` say how each is written."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from generator.render.blocks import (
    Admonition,
    Block,
    CodeBlock,
    Div,
    Heading,
    Inline,
    Inlines,
    List,
    Paragraph,
    Raw,
    Table,
    Target,
)

Href = Callable[
    [str, str], str
]  # (runbook id, or a generated page's docs path; from page) → target

# A comment between two lists a reader would otherwise join into one.
APART = "<!-- -->"
# The method that writes each kind of block.
_METHOD = {
    Heading: "heading",
    Paragraph: "paragraph",
    List: "list",
    Table: "table",
    CodeBlock: "code",
    Admonition: "admonition",
    Div: "div",
    Raw: "raw",
}


class Writer:
    """Writes blocks as the page *page* (a docs path): links to a runbook's page through
    *href*, to another generated page through *link*."""

    separator = ""  # between two blocks

    def __init__(self, page: str, *, href: Href, link: Href) -> None:
        self.page = page
        self.href = href
        self.link = link
        self.runbooks: dict[str, str] = {}  # the link target of each runbook's page

    def blocks(self, blocks: Iterable[Block]) -> str:
        return self.separator.join(self.block(b) for b in blocks)

    def block(self, block: Block) -> str:
        write: Callable[[Block], str] = getattr(self, _METHOD[type(block)])
        return write(block)

    def text(self, parts: Inlines) -> str:
        return "".join(self.inline(part) for part in parts)

    def inline(self, part: Inline) -> str:
        raise NotImplementedError

    def target(self, target: Target) -> str:
        """Where a link goes, as this page says it."""
        fragment = f"#{target.fragment}" if target.fragment else ""
        if target.kind == "runbook":
            found = self.runbooks.get(target.value)
            if found is None:  # a page links to a runbook from many rows: found once
                found = self.runbooks[target.value] = self.href(target.value, self.page)
            return found + fragment
        if target.kind == "page":
            return self.link(target.value, self.page) + fragment
        if target.kind == "url":
            return urlpath(target.value)
        return f"#{target.value}"


def urlpath(url: str) -> str:
    """A URL as a link target: parentheses and spaces would end a Markdown one early, a quoted
    part would become its title, and a pipe would split a table row."""
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
