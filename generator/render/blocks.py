"""The few kinds of block a page is made of, and the inline parts of their text.

The layout (`layout.py`) turns the model into these; the writers only serialise them:
`to_markdown` as the Markdown page (any MkDocs-compatible engine builds it), `to_html` as the
HTML Python-Markdown makes of that Markdown. Text arrives already escaped for both (the filters
of `escape.py` write what reads the same as Markdown and as HTML: entities, <code>, <br>); what
the two write differently is a block's frame and the inline parts below.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---- Inline parts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Strong:
    text: str  # escaped


@dataclass(frozen=True)
class Em:
    text: str  # escaped


@dataclass(frozen=True)
class Code:
    """Code of our own words (a static text): `x` in Markdown."""

    text: str


@dataclass(frozen=True)
class Target:
    """Where a link goes: a runbook's page (and a fragment of it), another generated page by
    its docs path, a URL, or an anchor of this page. Each writer says it its own way."""

    kind: str  # "runbook", "page", "url" or "anchor"
    value: str
    fragment: str = ""


@dataclass(frozen=True)
class Img:
    """A picture of the site's own (its target a file the site ships), with its alt text as
    plain text: `![alt](path)` in Markdown."""

    target: Target
    alt: str


@dataclass(frozen=True)
class Link:
    target: Target
    text: str  # escaped
    css: str = ""  # classes of its own: `md-button`


@dataclass(frozen=True)
class Anchor:
    """Text with an id of its own (a diagnostic code's row)."""

    id: str  # a slug
    text: str


Inline = str | Strong | Em | Code | Link | Anchor | Img  # a str is escaped text, the same in both
Inlines = tuple[Inline, ...]

# ---- Blocks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int
    text: Inlines
    anchor: str  # a slug


@dataclass(frozen=True)
class Paragraph:
    text: Inlines
    anchor: str = ""  # an id of its own
    css: str = ""  # a class of its own


@dataclass(frozen=True)
class Item:
    text: Inlines
    children: List | None = None
    done: bool = False  # in a checklist: ticked already


@dataclass(frozen=True)
class List:
    items: tuple[Item, ...]
    ordered: bool = False
    tasks: bool = False  # a checklist: every item a checkbox
    apart: bool = False  # right after another list, which must stay another list


@dataclass(frozen=True)
class Table:
    head: tuple[Inlines, ...]
    rows: tuple[tuple[Inlines, ...], ...]


@dataclass(frozen=True)
class CodeBlock:
    """A command, an expected output, a template's body or a diagram, as written."""

    body: str
    language: str = ""  # the fence's language: `language-x` in HTML
    output: bool = False  # shown, never copied (`no-copy`)
    diagram: bool = False  # a mermaid diagram


@dataclass(frozen=True)
class Admonition:
    kind: str  # note, warning, danger
    title: str  # "" for the kind's own
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Div:
    """A <div> around blocks, Markdown inside it read as Markdown (md_in_html)."""

    css: str
    blocks: tuple[Block, ...]
    search_exclude: bool = False  # kept out of Material's search
    tight: bool = False  # its one paragraph written right inside it, no blank line between


@dataclass(frozen=True)
class Raw:
    """HTML of our own, the same in both pages (a raw HTML block of the Markdown page)."""

    html: str


Block = Heading | Paragraph | List | Table | CodeBlock | Admonition | Div | Raw
