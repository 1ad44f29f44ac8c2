"""Markdown as teams write it (CommonMark + GFM, MkDocs/Material, Hugo, MyST) read into blocks.

Block structure only: the text of paragraphs, headings and table cells stays as written, inline
Markdown included. No Markdown library: one pass over the lines follows the block algorithm of
the CommonMark reference parser (commonmark.js): the open containers are matched top-down, then
new blocks may start, then what is left of the line is text. Each line is looked at a bounded
number of times, so the time is linear in the input. Containers nested deeper than `MAX_DEPTH`
are not opened: their markers stay in the text of the deepest one, and no reader of the tree
(this module's included) recurses without end.

Beyond CommonMark: GFM tables and task list items, Material admonitions (`!!!`, `???`, `???+`),
GitHub alerts (`> [!WARNING]`) and Obsidian callouts, MyST directives (```` ```{note} ````,
`:::{warning}`), Docusaurus and Pandoc fenced divs (`:::tip Title`, `::: {.callout-note}`),
Hugo shortcodes on a line of their own, `<details>` and `<table>` kept whole across blank
lines, YAML and TOML front matter.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import Any, TypeAlias, cast

import yaml

MAX_DEPTH = 100
"""Containers (quotes, lists, list items, admonitions) nested deeper are not opened."""
FRONT_MATTER_LIMIT = 100_000
"""Front matter longer than this (characters) is not read: no YAML parser takes seconds here."""


@dataclass(frozen=True, slots=True)
class Heading:
    """An ATX (`## Title`, closing `#`s stripped) or setext (`Title` over `===`) heading."""

    level: int
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Text lines joined with "\\n", each without its indentation, inline Markdown as written."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Code:
    """A fenced (``` or ~~~) or indented code block; the body byte for byte, without the
    indentation of the containers it is in, and without a final newline. `info` is the fence's
    info string as written (the option lines of a MyST `{code-block}` follow it, one a line)."""

    body: str
    language: str
    line: int
    fenced: bool
    closed: bool = True  # False: a fence that never closed ran to the end of its container
    info: str = ""


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item: its blocks; `checked` None when it is no task, else whether `[x]` is ticked."""

    blocks: tuple[Block, ...]
    line: int
    checked: bool | None


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A list: `start` is the first item's number (1 for a bullet list)."""

    items: tuple[ListItem, ...]
    ordered: bool
    line: int
    start: int


@dataclass(frozen=True, slots=True)
class Table:
    """A GFM pipe table; a row may have more cells than the head (none are dropped), never
    fewer (padded with "")."""

    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    line: int


@dataclass(frozen=True, slots=True)
class Quote:
    """A blockquote (`>`) that is no alert."""

    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Admonition:
    """A callout: Material `!!!`/`???`, a GitHub alert, a MyST directive, a fenced div.
    `kind` lowercased ("" when the source names none); `title` "" when it has none."""

    kind: str
    title: str
    blocks: tuple[Block, ...]
    line: int
    collapsible: bool


@dataclass(frozen=True, slots=True)
class Html:
    """An HTML block or comment, kept raw and whole."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Rule:
    """A thematic break (`---`, `***`, `___`)."""

    line: int


Block: TypeAlias = Heading | Paragraph | Code | ListBlock | Table | Quote | Admonition | Html | Rule


@dataclass(frozen=True, slots=True)
class Document:
    """A Markdown file read: its front matter, its blocks and its link definitions."""

    front_matter: dict[str, Any]
    front_matter_error: str
    blocks: tuple[Block, ...]
    links: dict[str, str]


def parse(text: str) -> Document:
    """Read *text* (decoded, "\\n" newlines) into a `Document`; never raises on any text."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the newline that ends the last line opens no other
    front_matter, error, skipped = read_front_matter(lines)
    parser = _Parser(text, lines)
    parser.read(skipped)
    return Document(front_matter, error, parser.finish(), parser.links)


# --- front matter -------------------------------------------------------------------------------


def read_front_matter(lines: list[str]) -> tuple[dict[str, Any], str, int]:
    """The front matter of a file of *lines*, why it could not be read, and how many lines it
    takes. Front matter that cannot be read takes none: its lines are read as Markdown, so that
    nothing is lost when a page only opens with a rule. A YAML block that reads as no mapping
    (`---`, a line of text, `---`) is no front matter but a rule and a heading, as in MkDocs."""
    fence = lines[0].rstrip() if lines else ""
    if fence not in ("---", "+++"):
        return {}, "", 0
    ends = ("---", "...") if fence == "---" else ("+++",)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ends), 0)
    if not end:
        return {}, "", 0
    body = "\n".join(lines[1:end])
    if len(body) > FRONT_MATTER_LIMIT:
        return {}, f"front matter of over {FRONT_MATTER_LIMIT:,} characters is not read", 0
    data, error = _load_yaml(body) if fence == "---" else _load_toml(body)
    return (data, "", end + 1) if data is not None else ({}, error, 0)


def _load_yaml(body: str) -> tuple[dict[str, Any] | None, str]:
    """The mapping of a YAML front matter ({} when empty); None and why, when it is none."""
    try:
        data = yaml.safe_load(body)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 2}: " if mark is not None else ""
        return None, f"YAML front matter, {where}{exc.problem or exc}"
    except Exception as exc:  # a YAML parser's every failure (deep nesting included) is data
        return None, f"YAML front matter: {type(exc).__name__}: {exc}"[:300]
    if data is None:
        return {}, ""
    if not isinstance(data, dict):
        return None, ""
    return {str(key): value for key, value in data.items()}, ""


def _load_toml(body: str) -> tuple[dict[str, Any] | None, str]:
    try:
        return tomllib.loads(body), ""
    except Exception as exc:  # TOMLDecodeError, and RecursionError on deep nesting
        return None, f"TOML front matter (lines counted from the one after +++): {exc}"[:300]


# --- the parser ---------------------------------------------------------------------------------

# Node kinds: containers hold blocks; leaves hold lines.
_DOC, _QUOTE, _LIST, _ITEM, _ADMON, _DIRECTIVE = "doc", "quote", "list", "item", "admon", "dir"
_PARA, _HEADING, _FENCE = "para", "heading", "fence"
_INDENTED, _HTML, _TABLE = "indented", "html", "table"
_CONTAINERS = frozenset((_QUOTE, _LIST, _ITEM, _ADMON, _DIRECTIVE))
_HOLDERS = _CONTAINERS | {_DOC}
_OWN_PAD = frozenset((_QUOTE, _DIRECTIVE, _ITEM, _ADMON))  # items and admonitions set theirs
_HAS_LINES = frozenset((_PARA, _FENCE, _INDENTED, _HTML))
_TAKES_LINES = _HAS_LINES | {_TABLE}
_TAKES_ALL_LINES = frozenset((_FENCE, _INDENTED, _HTML))  # no new block starts in these
_CODE_INDENT = 4

_HTML_STARTS = (
    (1, re.compile(r"<(?:script|pre|style|textarea)(?:[ \t>]|$)", re.I)),
    (2, re.compile(r"<!--")),
    (3, re.compile(r"<\?")),
    (4, re.compile(r"<![A-Za-z]")),
    (5, re.compile(r"<!\[CDATA\[")),
    (
        6,
        re.compile(
            r"</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col"
            r"|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form"
            r"|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu"
            r"|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table"
            r"|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[ \t>]|/>|$)",
            re.I,
        ),
    ),
    (
        7,
        re.compile(
            r"(?:<[A-Za-z][A-Za-z0-9-]*(?:[ \t]+[A-Za-z_:][\w.:-]*"
            r"(?:[ \t]*=[ \t]*(?:[^ \t\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*[ \t]*/?>"
            r"|</[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$"
        ),
    ),
)
_HTML_ENDS = {
    1: re.compile(r"</(?:script|pre|style|textarea)>", re.I),
    2: re.compile(r"-->"),
    3: re.compile(r"\?>"),
    4: re.compile(r">"),
    5: re.compile(r"\]\]>"),
}
# Blocks kept whole up to their closing tag, blank lines and all, when the file has one.
_WHOLE_TAG = re.compile(r"<(details|table)(?=[\s>/]|$)", re.I)
_ORDERED = re.compile(r"(\d{1,9})([.)])")
_ATX = re.compile(r"#{1,6}(?=[ \t]|$)")
_FENCE_OPEN = re.compile(r"`{3,}|~{3,}")
_COLONS = re.compile(r":{3,}")
_NON_SPACE = re.compile(r"[^ \t]")
_SHORTCODE = re.compile(r"\{\{[<%].*[>%]\}\}")
_ADMONITION = re.compile(
    r"(!!!|\?\?\?\+?)[ \t]*([\w-]+(?:[ \t]+[\w-]+)*)?[ \t]*(?:\"(.*)\")?[ \t]*$"
)
_DIRECTIVE_NAME = re.compile(r"\{([A-Za-z][\w:-]*)\}[ \t]*(.*)")
_OPTION = re.compile(r":([\w-]+):(?:[ \t]+(.*))?$")
_ADMONITION_DIRECTIVES = frozenset(
    (
        *("admonition", "attention", "caution", "danger", "dropdown", "error", "hint"),
        *("important", "note", "seealso", "tip", "warning"),
    )
)
_CODE_DIRECTIVES = frozenset(("code-block", "code", "code-cell", "sourcecode"))
_MAYBE_SPECIAL = frozenset("#`~*+_=<>-0123456789|:!?{")
_WHOLE_BALANCE = {tag: re.compile(rf"<(/?){tag}(?=[\s>/]|$)", re.I) for tag in ("details", "table")}
_WHOLE_CLOSE = {tag: re.compile(rf"</{tag}", re.I) for tag in ("details", "table")}
_TASK = re.compile(r"\[([ xX])\](?:[ \t\n]+|$)")
_ALERT = re.compile(r"\[!([A-Za-z][\w-]*)\]([+-]?)(?:[ \t]+(.*))?")
_LINK_DEFINITION = re.compile(
    r"\[((?:[^\\\[\]]|\\.){1,999})\]:[ \t]*(?:<([^<>]*)>|(\S+))"
    r"(?:[ \t]+(\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*$"
)
_LINK_TITLE = re.compile(r"[ \t]*(?:\"[^\"]*\"|'[^']*'|\([^()]*\))[ \t]*$")
_LANGUAGE = re.compile(r"\.?([^\s{}(),:;=\[\]]+)")
_WORD = re.compile(r"([A-Za-z][\w-]*)(.*)")
_TITLE_ATTRIBUTE = re.compile(r"title=(?:\"([^\"]*)\"|'([^']*)')")


_Start: TypeAlias = "Callable[[_Node], int]"


class _Node:
    """A block while the lines are read: open until a line does not continue it. Only the
    open blocks are nodes (a block is made frozen when it closes), so a node is short-lived:
    its attributes are set only where they differ from these defaults."""

    level = 0  # heading
    ordered = False  # list
    marker = ""  # list: its bullet or delimiter; fence, directive: the fence
    start = 1  # list
    offset = 0  # item, admonition: the marker's indent; fence, directive: the fence's
    padding = 0  # item: from the marker to the content
    info = ""  # fence: the info string
    name = ""  # admonition, directive: the kind
    title = ""  # admonition, directive
    collapsible = False
    closed = False  # fence, directive: its closing fence was found
    options = False  # directive: `:option:` lines may still come
    html_type = 0  # CommonMark's HTML block types 1-7
    html_tag = ""  # an HTML block kept whole up to this tag's closing
    html_depth = 0
    head: list[str]  # table: set when it opens
    rows: list[list[str]]  # table: set when it opens
    pad: str | None

    def __init__(self, kind: str, line: int, parent: _Node | None) -> None:
        self.kind = kind
        self.line = line
        self.parent = parent
        self.child: _Node | None = None  # the open block in this one, if any
        self.open = True
        # The blocks of a container, each added when it closes; a leaf's lines.
        self.children: list[Block | ListItem] = [] if kind in _HOLDERS else _NO_BLOCKS
        self.lines: list[str] = [] if kind in _HAS_LINES else _NO_LINES
        # The blanks that open each line inside this block, when they are all it takes (no
        # quote or directive around): such lines are read the short way (`_read_quickly`).
        if parent is None:
            self.depth, self.pad = 0, ""
        else:
            self.depth = parent.depth + (kind in _CONTAINERS)
            self.pad = None if kind in _OWN_PAD else parent.pad


# Shared by the blocks that have none: never added to.
_NO_BLOCKS: list[Block | ListItem] = []
_NO_LINES: list[str] = []


class _Parser:
    """The block parser: `read` the lines, then `finish`."""

    def __init__(self, text: str, lines: list[str]) -> None:
        self.doc = _Node(_DOC, 1, None)
        self.tip = self.doc
        self.old_tip = self.doc
        self.last_matched = self.doc
        self.all_closed = True
        self.links: dict[str, str] = {}
        self.number = 0
        self.text = text  # the whole file: where the closing tags of whole blocks are
        self.lines = lines
        self.line_starts: list[int] = []  # where each line starts in it, once asked
        self.next_close: dict[str, int] = {}
        self.line = ""
        self.offset = 0
        self.column = 0
        self.partial = False  # a tab only partly consumed by a container's indentation
        self.scan_from = 1
        self.nonspace = 0
        self.nonspace_column = 0
        self.indent = 0
        self.blank = False
        self.break_line = 0  # the line, character and tail `_is_break` found last
        self.break_char = ""
        self.break_tail = 0
        self.starts = {char: self._starts_for(char) for char in _MAYBE_SPECIAL}
        self.continues: dict[str, Callable[[_Node], int]] = {
            _PARA: self._continue_leaf,
            _TABLE: self._continue_leaf,
            _ITEM: self._continue_item,
            _QUOTE: self._continue_quote,
            _FENCE: self._continue_fence,
            _DIRECTIVE: self._continue_directive,
            _ADMON: self._continue_admonition,
            _INDENTED: self._continue_code,
            _HTML: self._continue_html,
            _LIST: self._continue_list,
            _HEADING: self._continue_closed,  # a setext heading: closed at once
        }

    # --- one line ---

    def read(self, skipped: int) -> None:
        """Read the lines after the first *skipped* (the front matter)."""
        lines, quickly, the_long_way = self.lines, self._read_quickly, self._read
        for index in range(skipped, len(lines)):
            line = lines[index]
            self.number = index + 1
            tip = self.tip
            if tip.pad is None or not quickly(line, tip, tip.pad):
                the_long_way(line)

    def _read(self, line: str) -> None:
        """Read a line the long way: CommonMark's three steps."""
        self.line, self.offset, self.column, self.partial = line, 0, 0, False
        self.scan_from, self.nonspace = 1, 0
        self.old_tip = self.tip
        container = self._match_open_blocks()
        if container is not None:
            container = self._open_new_blocks(container)
            if container is not None:
                self._add_text(container)

    def _read_quickly(self, line: str, tip: _Node, pad: str) -> bool:
        """Read the most frequent lines the short way, to the result the long way gives: a
        line that goes on with a paragraph, a table or a code block, ends one with a blank, or
        starts a paragraph or the next item of a list, inside containers that take only an
        indent (*pad*: no quote or directive around). False: it is to be read the long way."""
        kind = tip.kind
        if not line or (line[0] in " \t" and not line.strip(" \t")):
            return self._blank_quickly(line, tip, pad)
        if kind in (_PARA, _ITEM) and self._item_quickly(line, tip):
            return True
        if not line.startswith(pad):
            return False
        rest = line[len(pad) :] if pad else line
        if kind == _FENCE:
            return self._code_quickly(tip, rest)
        text = rest.lstrip(" \t")
        if kind == _PARA and _plain(text):
            tip.lines.append(text)
            return True
        if text[0] in "#`~" and kind != _HTML and kind != _INDENTED:
            return self._start_quickly(tip, rest, text)
        if kind == _TABLE and (text[0] == "|" or text[0] not in _MAYBE_SPECIAL):
            tip.rows.append(split_row(text))
            return True
        if kind in (_DOC, _ADMON) or (kind == _ITEM and tip.children):
            indent = len(rest) - len(rest.lstrip(" "))
            if indent == len(rest) - len(text) and indent < _CODE_INDENT and _plain(text):
                self._add_child(_PARA, self.number).lines.append(text)
                return True
        return False

    def _start_quickly(self, tip: _Node, rest: str, text: str) -> bool:
        """A heading or an opening fence, where every open container goes on (*rest* is the
        line within them)."""
        indent = len(rest) - len(rest.lstrip(" "))
        if indent != len(rest) - len(text) or indent >= _CODE_INDENT:
            return False
        if text[0] == "#":
            found = _ATX.match(text)
            if found is None:
                return False
            self._add_block(Heading(found.end(), atx_text(text[found.end() :]), self.number))
            return True
        found = _FENCE_OPEN.match(text)
        if found is None:
            return False
        fence, info = found.group(), text[found.end() :]
        if (fence[0] == "`" and "`" in info) or "{" in info:
            return False  # no fence, or maybe a directive: the long way
        self._add_child(_FENCE, self.number)
        self.tip.marker, self.tip.offset, self.tip.info = fence, indent, info.strip()
        return True

    def _blank_quickly(self, line: str, tip: _Node, pad: str) -> bool:
        kind = tip.kind
        if kind in (_PARA, _TABLE):
            self._finalize(tip)
            return True
        if kind == _FENCE and not pad and " " * tip.offset == line[: tip.offset]:
            tip.lines.append(line[tip.offset :])
            return True
        return kind in (_DOC, _ADMON) or (kind == _ITEM and bool(tip.children))

    def _item_quickly(self, line: str, tip: _Node) -> bool:
        """The next item of the list *tip* is in (or ends), when its text starts no block."""
        item = tip if tip.kind == _ITEM else tip.parent
        if item is None or item.kind != _ITEM or item.parent is None:
            return False
        parent = item.parent
        base = parent.pad
        if base is None or not line.startswith(base):
            return False
        rest = line[len(base) :] if base else line
        text = rest.lstrip(" ")
        indent = len(rest) - len(text)
        if indent >= min(item.offset + item.padding, _CODE_INDENT):
            return False
        width = _marker_width(text, parent.ordered, parent.marker)
        content = text[width:].lstrip(" ")
        spaces = len(text) - width - len(content)
        if not width or not 1 <= spaces <= 4 or not content.strip() or not _plain(content):
            return False
        self._close(item)
        new = parent.child = _Node(_ITEM, self.number, parent)
        new.offset, new.padding = indent, width + spaces
        new.pad = base + " " * (indent + width + spaces)
        paragraph = new.child = self.tip = _Node(_PARA, self.number, new)
        paragraph.lines.append(content)
        return True

    def _code_quickly(self, tip: _Node, rest: str) -> bool:
        text = rest.lstrip(" ")
        indent = len(rest) - len(text)
        if text[0] == tip.marker[0] and indent < _CODE_INDENT:
            if not closes_fence(text, tip.marker):
                return False
            tip.closed = True
            self._close(tip)
            return True
        if indent >= tip.offset:
            tip.lines.append(rest[tip.offset :])
            return True
        if text[0] == "\t":
            return False
        tip.lines.append(text)
        return True

    def _match_open_blocks(self) -> _Node | None:
        """The deepest open block this line continues; None when the line is used up."""
        container, child, continues = self.doc, self.doc.child, self.continues
        while child is not None:
            self._find_nonspace()
            result = continues[child.kind](child)
            if result == 2:
                return None
            if result == 1:
                break
            container, child = child, child.child
        self.all_closed = container is self.old_tip
        self.last_matched = container
        return container

    def _open_new_blocks(self, container: _Node) -> _Node | None:
        """Open the blocks this line starts inside *container*: the block to add the rest of
        the line to, or None when the line is used up."""
        if container.kind in _TAKES_ALL_LINES:
            return container
        while True:
            self._find_nonspace()
            if self.indent >= _CODE_INDENT:
                starts: tuple[_Start, ...] = (self._indented_code,)
            elif self.blank or self.line[self.nonspace] not in _MAYBE_SPECIAL:
                starts = ()
            else:
                starts = self.starts[self.line[self.nonspace]]
            result = 0
            for start in starts:
                result = start(container)
                if result:
                    break
            if result == 0:
                self._advance_to_nonspace()
                return container
            if result == 3:
                return None
            container = self.tip
            if result == 2:
                return container

    def _add_text(self, container: _Node) -> None:
        """The rest of the line: a lazy continuation, a leaf's line, or a new paragraph."""
        if not self.all_closed and not self.blank and self.tip.kind == _PARA and self._lazy():
            self._add_to(self.tip)
            return
        self._close_unmatched()
        if container.kind in _TAKES_LINES:
            self._add_to(container)
            if container.kind == _HTML:
                self._maybe_end_html(container)
        elif not self.blank:
            self._advance_to_nonspace()
            self._add_to(self._add_child(_PARA, self.number))

    def _lazy(self) -> bool:
        """Whether the open paragraph may go on with a line that left containers unmatched:
        not in an admonition (Python-Markdown ends one at the first line not indented)."""
        node: _Node | None = self.tip
        while node is not None and node is not self.last_matched:
            if node.kind in (_ADMON, _DIRECTIVE):
                return False
            node = node.parent
        return True

    def _add_to(self, node: _Node) -> None:
        rest = self.line[self.offset :]
        if self.partial:  # the columns left of a tab a container took part of
            rest = " " * (4 - self.column % 4) + self.line[self.offset + 1 :]
        if node.kind == _PARA:
            node.lines.append(rest.lstrip(" \t"))
        elif node.kind == _TABLE:
            node.rows.append(split_row(rest))
        else:
            node.lines.append(rest)

    # --- where in the line ---

    def _find_nonspace(self) -> None:
        """The next non-blank character and the indent up to it (tabs stop every 4 columns);
        remembered over a run of blanks, so a deep indent is scanned once a line."""
        line, i = self.line, self.offset
        if not (self.scan_from <= i <= self.nonspace):
            column, n = self.column, len(line)
            self.scan_from = i
            while i < n:
                c = line[i]
                if c == " ":
                    column += 1
                elif c == "\t":
                    column += 4 - column % 4
                else:
                    break
                i += 1
            self.nonspace, self.nonspace_column = i, column
        self.indent = self.nonspace_column - self.column
        self.blank = self.nonspace >= len(line)

    def _advance_to_nonspace(self) -> None:
        self.offset, self.column, self.partial = self.nonspace, self.nonspace_column, False

    def _advance(self, count: int, *, columns: bool = False) -> None:
        """Move on *count* characters, or *count* columns (a tab may be partly consumed)."""
        line = self.line
        while count > 0 and self.offset < len(line):
            if line[self.offset] != "\t":
                self.partial = False
                self.offset += 1
                self.column += 1
                count -= 1
                continue
            to_tab = 4 - self.column % 4
            if columns:
                self.partial = to_tab > count
                step = min(to_tab, count)
                self.column += step
                self.offset += 0 if self.partial else 1
                count -= step
            else:
                self.partial = False
                self.column += to_tab
                self.offset += 1
                count -= 1

    def _to_end(self) -> None:
        self.offset, self.partial = len(self.line), False

    def _space_or_tab_at(self, i: int) -> bool:
        return i < len(self.line) and self.line[i] in " \t"

    def _rest(self) -> str:
        """The line from its next non-blank character, without trailing blanks."""
        return self.line[self.nonspace :].rstrip(" \t")

    # --- the tree ---

    def _add_child(self, kind: str, line: int) -> _Node:
        """A new open block in the deepest open container that can hold it."""
        while (self.tip.kind not in _CONTAINERS and self.tip.kind != _DOC) or (
            (self.tip.kind == _LIST) != (kind == _ITEM)
        ):
            self._finalize(self.tip)
        node = _Node(kind, line, self.tip)
        self.tip.child = node
        self.tip = node
        return node

    def _add_block(self, block: Block) -> None:
        """A block made whole at once (a heading, a rule) in the deepest open container."""
        while self.tip.kind not in _HOLDERS or self.tip.kind == _LIST:
            self._finalize(self.tip)
        self.tip.children.append(block)

    def _close_unmatched(self) -> None:
        if not self.all_closed:
            while self.old_tip is not self.last_matched and self.old_tip.parent is not None:
                parent = self.old_tip.parent
                self._finalize(self.old_tip)
                self.old_tip = parent
            self.all_closed = True

    def _close(self, node: _Node) -> None:
        """Close *node* and the blocks open inside it."""
        while self.tip is not node and self.tip.parent is not None:
            self._finalize(self.tip)
        self._finalize(node)

    def _finalize(self, node: _Node) -> None:
        node.open = False
        if node.kind == _PARA and node.lines and node.lines[0][:1] == "[":
            self._take_definitions(node)
        parent = node.parent
        if parent is not None:
            self.tip, parent.child = parent, None
            block = _block(node)
            if block is not None:
                parent.children.append(block)

    def _take_definitions(self, node: _Node) -> None:
        skipped = take_link_definitions(node.lines, self.links)
        del node.lines[:skipped]
        node.line += skipped

    def finish(self) -> tuple[Block, ...]:
        """Close every open block; the blocks of the document."""
        self._close(self.doc)
        return _contents(self.doc)

    def _room(self, container: _Node, need: int) -> bool:
        """Whether *need* more containers may open in *container* (MAX_DEPTH)."""
        return container.depth + need <= MAX_DEPTH

    # --- continuing open blocks: 0 continued, 1 not continued, 2 the line is used up ---

    def _continue_leaf(self, node: _Node) -> int:
        return 1 if self.blank else 0

    def _continue_list(self, node: _Node) -> int:
        return 0

    def _continue_closed(self, node: _Node) -> int:
        return 1

    def _continue_html(self, node: _Node) -> int:
        return 1 if self.blank and node.html_type >= 6 and not node.html_tag else 0

    def _continue_admonition(self, node: _Node) -> int:
        return self._continue_indented(node.offset + _CODE_INDENT)

    def _continue_code(self, node: _Node) -> int:
        return self._continue_indented(_CODE_INDENT)

    def _continue_quote(self, node: _Node) -> int:
        if self.indent >= _CODE_INDENT or self.blank or self.line[self.nonspace] != ">":
            return 1
        self._advance_to_nonspace()
        self._advance(1)
        if self._space_or_tab_at(self.offset):
            self._advance(1, columns=True)
        return 0

    def _continue_item(self, node: _Node) -> int:
        if not self.blank:
            return self._continue_indented(node.offset + node.padding)
        if not node.children and node.child is None:
            return 1  # an item that opened with a blank line ends at the second
        self._advance_to_nonspace()
        return 0

    def _continue_indented(self, width: int) -> int:
        """Continue a block whose lines are indented by *width* columns (blank lines too)."""
        if self.indent >= width:
            self._advance(width, columns=True)
            return 0
        if self.blank:
            self._advance_to_nonspace()
            return 0
        return 1

    def _closes_fence(self, node: _Node) -> bool:
        """Whether the line is the closing fence of *node* (a fence or a directive)."""
        if self.indent >= _CODE_INDENT or self.blank or self.line[self.nonspace] != node.marker[0]:
            return False
        return closes_fence(self.line[self.nonspace :], node.marker)

    def _continue_fence(self, node: _Node) -> int:
        if self._closes_fence(node):
            node.closed = True
            self._close(node)
            return 2
        self._skip_spaces(node.offset)
        return 0

    def _skip_spaces(self, width: int) -> None:
        while width > 0 and self._space_or_tab_at(self.offset):
            self._advance(1, columns=True)
            width -= 1

    def _continue_directive(self, node: _Node) -> int:
        if self._closes_fence(node):
            node.closed = True
            self._close(node)
            return 2
        self._skip_spaces(node.offset)
        return 2 if node.options and self._directive_option(node) else 0

    def _directive_option(self, node: _Node) -> bool:
        """Whether the line is one of the `:name: value` options that may open a MyST
        directive (read, not kept: `:class:` names the kind of an `{admonition}`)."""
        self._find_nonspace()
        found = None if self.blank else _OPTION.match(self.line, self.nonspace)
        if found is None or self.indent >= _CODE_INDENT:
            node.options = False
            return False
        if found.group(1) == "class" and node.name == "admonition" and found.group(2):
            node.name = found.group(2).split()[0].lower()
        return True

    # --- starting blocks: 0 none, 1 a container, 2 a leaf taking the line, 3 line used up ---

    def _starts_for(self, char: str) -> tuple[_Start, ...]:
        """The blocks a line whose first character is *char* may start, in CommonMark's order."""
        starts: dict[str, tuple[_Start, ...]] = {
            ">": (self._quote,),
            "#": (self._atx_heading,),
            "`": (self._fence,),
            "~": (self._fence,),
            ":": (self._colon_fence, self._table),
            "<": (self._html,),
            "=": (self._setext_heading,),
            "-": (self._setext_heading, self._table, self._thematic_break, self._list_item),
            "*": (self._thematic_break, self._list_item),
            "_": (self._thematic_break,),
            "+": (self._list_item,),
            "|": (self._table,),
            "!": (self._admonition,),
            "?": (self._admonition,),
            "{": (self._shortcode,),
        }
        return starts.get(char, (self._list_item,))  # a digit

    def _quote(self, container: _Node) -> int:
        if not self._room(container, 1):
            return 0
        self._advance_to_nonspace()
        self._advance(1)
        if self._space_or_tab_at(self.offset):
            self._advance(1, columns=True)
        self._close_unmatched()
        self._add_child(_QUOTE, self.number)
        return 1

    def _atx_heading(self, container: _Node) -> int:
        found = _ATX.match(self.line, self.nonspace)
        if found is None:
            return 0
        level, text = found.end() - found.start(), atx_text(self.line[found.end() :])
        self._close_unmatched()
        self._add_block(Heading(level, text, self.number))
        self._to_end()
        return 3

    def _fence(self, container: _Node) -> int:
        found = _FENCE_OPEN.match(self.line, self.nonspace)
        if found is None:
            return 0
        fence, info = found.group(), self.line[found.end() :]
        if fence[0] == "`" and "`" in info:
            return 0
        directive = _DIRECTIVE_NAME.match(info.strip())
        name = directive.group(1).lower() if directive else ""
        if directive and name in _ADMONITION_DIRECTIVES and self._room(container, 1):
            return self._open_directive(fence, name, directive.group(2))
        self._close_unmatched()
        node = self._add_child(_FENCE, self.number)
        node.marker, node.offset, node.info = fence, self.indent, info.strip()
        self._to_end()
        return 3

    def _colon_fence(self, container: _Node) -> int:
        found = _COLONS.match(self.line, self.nonspace)
        if found is None or not self._room(container, 1):
            return 0
        directive = colon_directive(self.line[found.end() :])
        if directive is None:
            return 0
        kind, title, myst = directive
        return self._open_directive(found.group(), kind, title, options=myst)

    def _open_directive(self, fence: str, kind: str, title: str, *, options: bool = True) -> int:
        indent = self.indent
        self._close_unmatched()
        node = self._add_child(_DIRECTIVE, self.number)
        node.marker, node.offset, node.options = fence, indent, options
        node.name, node.title = kind.lower(), title.strip()
        node.collapsible = node.name == "dropdown"
        self._to_end()
        return 3

    def _html(self, container: _Node) -> int:
        lazy = not self.all_closed and not self.blank and self.tip.kind == _PARA
        for html_type, pattern in _HTML_STARTS:
            if html_type == 7 and (container.kind == _PARA or lazy or len(self.line) > 10_000):
                continue
            if pattern.match(self.line, self.nonspace):
                self._close_unmatched()
                node = self._add_child(_HTML, self.number)
                node.html_type = html_type
                if html_type == 6:
                    self._keep_whole(node)
                return 2
        return 0

    def _keep_whole(self, node: _Node) -> None:
        """Keep a `<details>` or `<table>` block whole, blank lines and all, up to its closing
        tag, when the file has one further on (else it ends at a blank line, as CommonMark's)."""
        found = _WHOLE_TAG.match(self.line, self.nonspace)
        if found is not None and self._closing_after(found.group(1).lower()):
            node.html_tag = found.group(1).lower()

    def _closing_after(self, tag: str) -> bool:
        """Whether the text has `</tag` after the start of this line (searched once in all)."""
        if not self.line_starts:
            self.line_starts = [0, *accumulate(len(line) + 1 for line in self.lines)]
        here = self.line_starts[self.number - 1]
        found = self.next_close.get(tag, -2)
        if found != -1 and found < here:
            match = _WHOLE_CLOSE[tag].search(self.text, here)
            found = self.next_close[tag] = match.start() if match else -1
        return found >= 0

    def _maybe_end_html(self, node: _Node) -> None:
        added = node.lines[-1]
        if node.html_tag:
            for found in _WHOLE_BALANCE[node.html_tag].finditer(added):
                node.html_depth += -1 if found.group(1) else 1
            if node.html_depth > 0:
                return
            if len(node.lines) == 1:
                node.html_tag = ""  # closed on its first line: ends at a blank line
                return
            self._finalize(node)
        elif node.html_type <= 5 and _HTML_ENDS[node.html_type].search(added):
            self._finalize(node)

    def _setext_heading(self, container: _Node) -> int:
        if container.kind != _PARA:
            return 0
        rest = self._rest()
        if rest.strip(rest[0]):
            return 0
        self._close_unmatched()
        self._take_definitions(container)
        if not container.lines:
            return 0
        container.kind, container.level = _HEADING, 1 if rest[0] == "=" else 2
        container.title = "\n".join(container.lines).strip(" \t")
        self._finalize(container)
        self._to_end()
        return 3

    def _table(self, container: _Node) -> int:
        if container.kind != _PARA or not container.lines:
            return 0
        width = delimiter_cells(self._rest())
        head = split_row(container.lines[-1]) if width else []
        if not width or len(head) != width:
            return 0
        self._close_unmatched()
        line = container.line + len(container.lines) - 1
        container.lines.pop()
        if container.lines:
            self._finalize(container)
        elif container.parent is not None:  # the paragraph was the head alone
            container.parent.child = None
            self.tip = container.parent
        node = self._add_child(_TABLE, line)
        node.head, node.rows = head, []
        self._to_end()
        return 3

    def _thematic_break(self, container: _Node) -> int:
        if not self._is_break():
            return 0
        self._close_unmatched()
        self._add_block(Rule(self.number))
        self._to_end()
        return 3

    def _is_break(self) -> bool:
        """Whether the rest of the line is 3+ of one of `-*_`, with blanks between: how far the
        trailing run of those runs is found once a line, as a long line of `- - -` items is
        asked again at each item."""
        line, i = self.line, self.nonspace
        char = line[i]
        if self.break_line != self.number or self.break_char != char:
            self.break_line, self.break_char = self.number, char
            self.break_tail = len(line.rstrip(char + " \t"))
        if i < self.break_tail:
            return False
        second = line.find(char, i + 1)
        return second > 0 and line.find(char, second + 1) > 0

    def _list_item(self, container: _Node) -> int:
        line, i = self.line, self.nonspace
        if line[i] in "-+*":
            ordered, marker, start, end = False, line[i], 1, i + 1
        else:
            found = _ORDERED.match(line, i)
            if found is None or (container.kind == _PARA and int(found.group(1)) != 1):
                return 0
            ordered, marker, start, end = True, found.group(2), int(found.group(1)), found.end()
        if end < len(line) and line[end] not in " \t":
            return 0
        if container.kind == _PARA and not _NON_SPACE.search(line, end):
            return 0  # an empty item does not interrupt a paragraph
        same = container.kind == _LIST and (container.ordered, container.marker) == (
            ordered,
            marker,
        )
        if not self._room(container, 1 if same else 2):
            return 0
        offset = self.indent
        padding = self._item_padding(end - i)
        self._close_unmatched()
        if not same:
            node = self._add_child(_LIST, self.number)
            node.ordered, node.marker, node.start = ordered, marker, start
        item = self._add_child(_ITEM, self.number)
        item.offset, item.padding = offset, padding
        item.pad = _padded(item.parent, offset + padding)
        return 1

    def _item_padding(self, width: int) -> int:
        """Move past a list marker *width* characters wide and the blanks after it; the width
        from the marker to the item's content (CommonMark: 1-4 blanks, else 1)."""
        self._advance_to_nonspace()
        self._advance(width, columns=True)
        start_column, start_offset = self.column, self.offset
        while True:
            self._advance(1, columns=True)
            if self.column - start_column >= 5 or not self._space_or_tab_at(self.offset):
                break
        spaces = self.column - start_column
        if 1 <= spaces < 5 and self.offset < len(self.line):
            return width + spaces
        self.column, self.offset, self.partial = start_column, start_offset, False
        if self._space_or_tab_at(self.offset):
            self._advance(1, columns=True)
        return width + 1

    def _admonition(self, container: _Node) -> int:
        found = _ADMONITION.match(self.line, self.nonspace)
        if found is None or not self._room(container, 1):
            return 0
        marker, kind, title = found.groups()
        if not kind and (marker == "!!!" or title is None):
            return 0
        offset = self.indent
        self._close_unmatched()
        node = self._add_child(_ADMON, self.number)
        node.offset, node.collapsible = offset, marker != "!!!"
        node.pad = _padded(node.parent, offset + _CODE_INDENT)
        node.name, node.title = kind.split()[0].lower() if kind else "", title or ""
        self._to_end()
        return 3

    def _shortcode(self, container: _Node) -> int:
        rest = self._rest()
        if not _SHORTCODE.fullmatch(rest):
            return 0
        self._close_unmatched()
        self._add_block(Paragraph(rest, self.number))
        self._to_end()
        return 3

    def _indented_code(self, container: _Node) -> int:
        if self.tip.kind in (_PARA, _TABLE) or self.blank:
            return 0
        self._advance(_CODE_INDENT, columns=True)
        self._close_unmatched()
        self._add_child(_INDENTED, self.number)
        return 2


def _marker_width(text: str, ordered: bool, marker: str) -> int:
    """How wide the list marker *text* starts with is, if it is of the list of *marker*; 0."""
    if not ordered:
        return 1 if text[0] == marker else 0
    found = _ORDERED.match(text)
    return found.end() if found is not None and found.group(2) == marker else 0


def _plain(text: str) -> bool:
    """Whether a line whose text (from its first non-blank) is *text* can start no block but
    a paragraph, nor end one: told at a glance for most lines; False, when in doubt."""
    char = text[0]
    if char not in _MAYBE_SPECIAL:
        return char != "\t"
    if char in "*_":  # emphasis, not a bullet nor a rule
        bullet = char == "*" and text[1:2] in ("", " ", "\t")
        return not bullet and bool(text.rstrip(char + " \t"))
    if char in "`~!?":
        return not text.startswith(char * 3)
    if char == "{":
        return not text.startswith("{{")
    if char == ":":
        return not text.startswith(":::") and "|" not in text
    if char.isdigit():
        found = _ORDERED.match(text)
        return found is None or text[found.end() : found.end() + 1] not in ("", " ", "\t")
    return False


def _padded(parent: _Node | None, width: int) -> str | None:
    """The pad of a container *width* columns in from its *parent*'s content."""
    return None if parent is None or parent.pad is None else parent.pad + " " * width


# --- pieces of lines ----------------------------------------------------------------------------


def closes_fence(text: str, fence: str) -> bool:
    """Whether *text* (a line from its first non-blank) closes a block opened by *fence*: as
    long a run of its character, or longer, and nothing after but blanks."""
    run = len(text) - len(text.lstrip(fence[0]))
    return run >= len(fence) and not text[run:].strip(" \t")


def atx_text(rest: str) -> str:
    """The text of an ATX heading from what follows its `#`s: a closing run of `#` dropped."""
    text = rest.strip(" \t")
    bare = text.rstrip("#")
    if not bare:
        return ""
    return bare.rstrip(" \t") if bare[-1] in " \t" else text


def delimiter_cells(text: str) -> int:
    """How many cells a GFM table's delimiter row (`| --- | :-: |`) has; 0 when it is none."""
    if "|" not in text:
        return 0
    text = text.strip(" \t")
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") else text
    cells = text.split("|")
    for cell in cells:
        dashes = cell.strip(" \t").removeprefix(":").removesuffix(":")
        if not dashes or dashes.strip("-"):
            return 0
    return len(cells)


def split_row(text: str) -> list[str]:
    """The cells of a table row, stripped: split at each pipe that is neither escaped (`\\|`)
    nor inside a `code span`; an escaped pipe is unescaped."""
    text = text.strip(" \t")
    if "\\" not in text and "`" not in text:
        cells = text.split("|")
        if len(cells) == 1:
            return cells
        if text[0] == "|":
            cells.pop(0)
        if text[-1] == "|" and cells:
            cells.pop()
        return [cell.strip(" \t") for cell in cells]
    cuts = _cuts(text)
    if not cuts:
        return [text.replace("\\|", "|")]
    edges = [-1, *cuts, len(text)]
    cells = [text[a + 1 : b] for a, b in pairwise(edges)]
    if cuts[0] == 0:
        cells.pop(0)
    if cuts[-1] == len(text) - 1 and cells:
        cells.pop()
    return [cell.strip(" \t").replace("\\|", "|") for cell in cells]


_TOKENS = re.compile(r"\\.|`+|\|")


def _cuts(text: str) -> list[int]:
    """Where the cell-separating pipes of a row with escapes or code spans are."""
    tokens = [(m.start(), m.group()) for m in _TOKENS.finditer(text)]
    closers = _code_span_closers(tokens)
    cuts, k = [], 0
    while k < len(tokens):
        start, token = tokens[k]
        if token == "|":
            cuts.append(start)
        elif token[0] == "`" and k in closers:
            k = closers[k]
        k += 1
    return cuts


def _code_span_closers(tokens: list[tuple[int, str]]) -> dict[int, int]:
    """For each backtick run that opens a code span, the index of the run closing it: the next
    run of the same length (found in one pass: the runs of each length, in order)."""
    by_length: dict[int, list[int]] = {}
    for k, (_, token) in enumerate(tokens):
        if token[0] == "`":
            by_length.setdefault(len(token), []).append(k)
    closers: dict[int, int] = {}
    position = dict.fromkeys(by_length, 0)
    k = 0
    while k < len(tokens):
        token = tokens[k][1]
        if token[0] == "`":
            runs, p = by_length[len(token)], position[len(token)]
            while p < len(runs) and runs[p] <= k:
                p += 1
            position[len(token)] = p
            if p < len(runs):
                closers[k] = runs[p]
                k = runs[p]
        k += 1
    return closers


def take_link_definitions(lines: list[str], links: dict[str, str]) -> int:
    """How many of a paragraph's *lines*, from its first, are link reference definitions
    (`[label]: url "title"`, the title maybe on the next line); each goes into *links* under its
    label, lowercased. `[^note]:` is a footnote, no definition; a second definition of a label
    stays text (CommonMark ignores it: here it is not lost)."""
    i = 0
    while i < len(lines) and lines[i].startswith("["):
        found = _LINK_DEFINITION.match(lines[i])
        if found is None or found.group(1).startswith("^") or not found.group(1).strip():
            break
        label = " ".join(found.group(1).split()).lower()
        if label in links:
            break
        links[label] = found.group(2) if found.group(2) is not None else found.group(3)
        i += 1
        if found.group(4) is None and i < len(lines) and _LINK_TITLE.match(lines[i]):
            i += 1
    return i


def fence_language(info: str) -> str:
    """The language of a fence's info string, lowercased: its first word (`bash title="x"`,
    `js{1,3}`, `rust,ignore`), a Pandoc class (`{.bash}`), an R Markdown engine (`{r echo=F}`),
    the argument of a MyST `{code-block} bash`, else a MyST directive's name (`{mermaid}`)."""
    text = info.strip()
    if not text.startswith("{"):
        return _first_word(text)
    inner, _, after = text[1:].partition("}")
    words = inner.replace(",", " ").split()
    classes = [word for word in words if word.startswith(".")]
    if classes:
        return _first_word(classes[0])
    if not words or words[0][0] == "#" or "=" in words[0]:
        return ""
    name = words[0].lower()
    return _first_word(after) if name in _CODE_DIRECTIVES else _first_word(name)


def _first_word(text: str) -> str:
    found = _LANGUAGE.match(text.strip())
    return found.group(1).lower() if found else ""


def colon_directive(rest: str) -> tuple[str, str, bool] | None:
    """The kind and title of a `:::` fence from what follows the colons, and whether it is
    MyST's (`:::{note} Title`, whose `:option:` lines may follow); Docusaurus `:::tip[Title]` or
    `:::tip Title`, Pandoc and Quarto `::: {.callout-warning title="Title"}` and `::: warning`.
    None when no kind is named (a closing fence, or text)."""
    text = rest.strip()
    if text.startswith("{"):
        inner, closed, after = text[1:].partition("}")
        words = inner.split()
        if not closed or not words:
            return None
        if words[0][0] not in ".#" and "=" not in inner:
            return words[0].lower(), after.strip(), True
        classes = [word[1:] for word in words if word.startswith(".")]
        kind = classes[0].removeprefix("callout-") if classes else ""
        attribute = _TITLE_ATTRIBUTE.search(inner)
        title = (attribute.group(1) or attribute.group(2)) if attribute else after.strip()
        return kind.lower(), title, False
    found = _WORD.match(text)
    if found is None:
        return None
    title = found.group(2).strip()
    if title.startswith("[") and title.endswith("]"):
        title = title[1:-1]
    return found.group(1).lower(), title, False


# --- the frozen blocks --------------------------------------------------------------------------


def _block(node: _Node) -> Block | ListItem | None:
    """The frozen block of a node that closes (None: a paragraph of link definitions only)."""
    kind = node.kind
    if kind == _PARA:
        text = "\n".join(node.lines).rstrip(" \t")
        return Paragraph(text, node.line) if text else None
    if kind == _HEADING:
        return Heading(node.level, node.title, node.line)
    if kind in (_FENCE, _INDENTED):
        return _code(node)
    if kind == _LIST:
        items = tuple(item for item in node.children if isinstance(item, ListItem))
        return ListBlock(items, node.ordered, node.line, node.start)
    if kind == _ITEM:
        return _item(node)
    if kind == _TABLE:
        return _table(node)
    if kind == _QUOTE:
        return _quote(node)
    if kind in (_ADMON, _DIRECTIVE):
        blocks = _contents(node)
        return Admonition(node.name, node.title, blocks, node.line, node.collapsible)
    return Html("\n".join(_without_trailing_blanks(node.lines)), node.line)


def _contents(node: _Node) -> tuple[Block, ...]:
    """The blocks of a container other than a list (which alone holds items)."""
    return tuple(cast("list[Block]", node.children))


def _without_trailing_blanks(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip(" \t"):
        end -= 1
    return lines[:end]


def _code(node: _Node) -> Code:
    fenced = node.kind == _FENCE
    lines = node.lines
    if not fenced or not node.closed:  # where it ends is not written: no blank lines after
        lines = _without_trailing_blanks(lines)
    info = node.info
    directive = _DIRECTIVE_NAME.match(info)
    if directive is not None and directive.group(1).lower() in _CODE_DIRECTIVES:
        options = _leading_options(lines)
        info, lines = "\n".join([info, *lines[:options]]), lines[options:]
        lines = lines[1:] if lines and not lines[0].strip(" \t") else lines
    language = fence_language(node.info) if fenced else ""
    body = "\n".join(lines)
    return Code(body, language, node.line, fenced, node.closed or not fenced, info)


def _leading_options(lines: list[str]) -> int:
    """How many of *lines* are MyST `:option: value` lines, from the first."""
    count = 0
    while count < len(lines) and _OPTION.match(lines[count].lstrip(" ")):
        count += 1
    return count


def _item(node: _Node) -> ListItem:
    blocks = _contents(node)
    first = blocks[0] if blocks else None
    task = _TASK.match(first.text) if isinstance(first, Paragraph) else None
    if task is None or not isinstance(first, Paragraph):
        return ListItem(blocks, node.line, None)
    rest = first.text[task.end() :]
    line = first.line + task.group().count("\n")
    kept = (Paragraph(rest, line),) if rest else ()
    return ListItem(kept + blocks[1:], node.line, task.group(1) != " ")


def _quote(node: _Node) -> Quote | Admonition:
    """A blockquote, or the GitHub alert (`> [!WARNING]`) or Obsidian callout
    (`> [!tip]- Title`, foldable) it is."""
    blocks = _contents(node)
    first = blocks[0] if blocks else None
    if not isinstance(first, Paragraph):
        return Quote(blocks, node.line)
    head, _, rest = first.text.partition("\n")
    alert = _ALERT.fullmatch(head.strip(" \t"))
    if alert is None:
        return Quote(blocks, node.line)
    kind, fold, title = alert.groups()
    inner = ((Paragraph(rest, first.line + 1),) if rest else ()) + blocks[1:]
    return Admonition(kind.lower(), (title or "").strip(), inner, node.line, bool(fold))


def _table(node: _Node) -> Table:
    width = len(node.head)
    rows = tuple(tuple(row + [""] * (width - len(row))) for row in node.rows)
    return Table(tuple(node.head), rows, node.line)
