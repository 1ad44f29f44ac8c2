"""The atoms of a real Markdown runbook: what a transcription into our format must keep.

An atom is one of:

- ``code:`` a non-blank line of a fenced or indented code block, as written (a leading ``$ ``
  prompt taken off, trailing blanks dropped);
- ``check:`` the text of a task-list item (``- [ ] ...``), inline markup taken off;
- ``cell:`` the text of a non-empty table cell (a pipe table's or an HTML table's, header cells
  too), inline markup taken off;
- ``link:`` the target of a link (inline, reference definition, autolink, bare URL, HTML
  ``href``), as written; a bare ``#`` (a link to nowhere) is not one.

The Markdown read is what the runbooks are written in: CommonMark with GitHub's tables, task
lists and bare URLs, and MkDocs' admonitions (``!!! note``, its body indented). Front matter is
not part of the page. What an HTML comment hides is the author's too (an issue template hides
its optional steps in comments): each comment is read as a document of its own, where a line
``| a | b |`` is a table row even without a header (the rows a comment cuts out of a table).

Written with the standard library only, knowing nothing of our YAML format::

    python tests/real_atoms.py ORIGINAL.md > tests/fixtures/real/NAME.atoms.txt
"""

from __future__ import annotations

import re
import sys
from collections.abc import Set
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

FENCE_OPEN = re.compile(r"^( *)(`{3,}|~{3,})(.*)$")
FENCE_CLOSE = re.compile(r"^ {0,3}(`{3,}|~{3,}) *$")
HEADING = re.compile(r"^#{1,6}(?:\s|$)")
RULE = re.compile(r"^(?:(?:\* *){3,}|(?:- *){3,}|(?:_ *){3,}|=+ *)$")
LIST_ITEM = re.compile(r"^([-*+]|\d{1,9}[.)])( +|$)")
TASK = re.compile(r"^\[[ xX]\](?: +|$)")
ADMONITION = re.compile(r"^(?:!!!|\?\?\?\+?) ")
QUOTE = re.compile(r"^> ?")
HTML_BLOCK = re.compile(
    r"^</?(?:table|thead|tbody|tfoot|tr|td|th|div|details|summary|p|ul|ol|li|dl|dt|dd|h[1-6]"
    r"|center|section|figure|blockquote|pre)\b",
    re.I,
)
LOOSE_ROW = re.compile(r"^\|.*\|\s*$")
DELIMITER_ROW = re.compile(r"^\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *$")
REFERENCE = re.compile(
    r"^ {0,3}\[([^\]]+)\]: *<?(\S+?)>?(?: +(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))? *$"
)
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
INLINE_LINK = re.compile(
    r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
REF_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\[([^\]]*)\]")
AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
BARE_URL = re.compile(r"(?<![\w/(<\[\"'=])https?://[^\s<>]+")
HREF = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
INLINE_TAG = re.compile(
    r"</?(?:a|b|i|em|strong|code|br|span|abbr|sup|sub|img|kbd|del|s|u|mark|small)\b[^>]*>", re.I
)
EMPHASIS = [
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"),
    re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"),
    re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
]
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def atoms(markdown: str) -> list[str]:
    """Every atom of *markdown*, as ``kind: text``, in order of first appearance."""
    found = _Found(references=_references(markdown))
    lines, comments = _uncommented(_body(markdown))
    _Blocks(found).read(lines)
    for comment in comments:
        _Blocks(found, loose_rows=True).read(comment.split("\n"))
    return list(dict.fromkeys(found.atoms))


@dataclass
class _Found:
    """The atoms found so far, in order; the reference labels of the whole document."""

    references: set[str]
    atoms: list[str] = field(default_factory=list)

    def add(self, kind: str, text: str) -> None:
        if kind == "link" and text in ("", "#"):
            return
        if text.strip():
            self.atoms.append(f"{kind}: {text}")

    def inline(self, text: str) -> None:
        """The link targets of a run of inline Markdown."""
        for target in _link_targets(text, self.references):
            self.add("link", target)


def _body(markdown: str) -> str:
    """The Markdown without its BOM, its line ends made \\n, and its front matter."""
    text = markdown.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    match = re.match(r"---\n.*?\n(?:---|\.\.\.) *(?:\n|$)", text, re.S)
    return text[match.end() :] if match else text


def _references(markdown: str) -> set[str]:
    """The labels of the reference definitions, lowercased."""
    return {m[1].lower() for m in (REFERENCE.match(x) for x in markdown.split("\n")) if m}


def _uncommented(text: str) -> tuple[list[str], list[str]]:
    """The lines with HTML comments taken out (outside code), and the comments' texts.

    A line that held only a comment goes, so that a comment between table rows or list
    items does not end the table or the list.
    """
    lines: list[str] = []
    comments: list[str] = []
    fence: re.Match[str] | None = None
    inside: list[str] | None = None
    for line in text.split("\n"):
        if inside is None and fence is None and FENCE_OPEN.match(_unquoted(line)):
            fence = FENCE_OPEN.match(_unquoted(line))
            lines.append(line)
            continue
        if fence is not None:
            closed = _closes(_dedent(_unquoted(line), len(fence[1])), fence[2])
            fence = None if closed else fence
            lines.append(line)
            continue
        was_inside = inside is not None
        kept, inside = _strip_comments(line, inside, comments)
        if kept.strip() or not (line.strip() or was_inside):
            lines.append(kept)
    return lines, comments


def _strip_comments(
    line: str, inside: list[str] | None, comments: list[str]
) -> tuple[str, list[str] | None]:
    """*line* without comments; *inside* collects the text of a comment still open."""
    kept = ""
    rest = line
    while rest:
        if inside is not None:
            body, end, rest = rest.partition("-->")
            inside.append(body)
            if not end:
                return kept, inside
            comments.append("\n".join(inside))
            inside = None
            continue
        before, start, rest = rest.partition("<!--")
        kept += before
        if start:
            inside = []
    if inside is not None:
        inside.append("")
    return kept, inside


def _unquoted(line: str) -> str:
    return re.sub(r"^(?: {0,3}> ?)+", "", line)


def _closes(line: str, mark: str) -> bool:
    """Whether *line* closes a fence opened with *mark*."""
    match = FENCE_CLOSE.match(line)
    return match is not None and match[1][0] == mark[0] and len(match[1]) >= len(mark)


class _Blocks:
    """A reader of block structure, line by line: containers (list items, admonitions, block
    quotes) by indentation, and the leaf blocks atoms come from."""

    def __init__(self, found: _Found, *, loose_rows: bool = False) -> None:
        self.found = found
        self.loose_rows = loose_rows
        self.indents: list[int] = []  # content columns of the open list items and admonitions
        self.para: list[str] | None = None
        self.check = False
        self.table = False
        self.html: list[str] | None = None
        self.fence: tuple[int, str, bool] | None = None  # its indent, its mark, in a quote
        self.code_indent: int | None = None

    def read(self, lines: list[str]) -> None:
        for index, raw in enumerate(lines):
            following = lines[index + 1].expandtabs(4) if index + 1 < len(lines) else ""
            if self.fence is not None:
                self.fenced(raw)
            elif not raw.strip():
                self.close(keep_code=True)
            else:
                self.block(raw.expandtabs(4), following)
        self.close()

    def fenced(self, line: str) -> None:
        assert self.fence is not None
        indent, mark, quoted = self.fence
        text = _unquoted(line) if quoted else line
        if _closes(_dedent(text, indent), mark):
            self.fence = None
        else:
            self.code(_dedent(text, indent))

    def code(self, line: str) -> None:
        self.found.add("code", re.sub(r"^\$ ", "", line).rstrip())

    def block(self, line: str, following: str) -> None:
        width = len(line) - len(line.lstrip(" "))
        if self.code_indent is not None and width >= self.code_indent:
            self.code(line[self.code_indent :])
            return
        self.code_indent = None
        text = line.lstrip(" ")
        if self.para is not None and not self.interrupts(text, following):
            self.para.append(text)  # a continuation line, lazy or not
            return
        while self.indents and width < self.indents[-1]:
            self.indents.pop()
        base = self.indents[-1] if self.indents else 0
        if width - base >= 4 and self.para is None and self.html is None:
            self.close()
            self.code_indent = base + 4
            self.code(line[self.code_indent :])
            return
        self.leaf(text, width, following, quoted=False)

    def interrupts(self, text: str, following: str) -> bool:
        """Whether *text* ends the paragraph open rather than continuing it."""
        loose_row = self.loose_rows and LOOSE_ROW.match(text)
        return bool(_starts(text) or self.table_starts(text, following) or loose_row)

    def leaf(self, text: str, width: int, following: str, *, quoted: bool) -> None:
        quote = QUOTE.match(text)
        if quote:
            self.leaf(text[quote.end() :].lstrip(" ") or " ", width, following, quoted=True)
        elif self.html is not None:
            self.html.append(text)
        elif self.table and not _starts(text):
            self.table_row(text)
        else:
            self.close()
            self.leaf_block(text, width, following, quoted=quoted)

    def leaf_block(self, text: str, width: int, following: str, *, quoted: bool) -> None:
        fence = FENCE_OPEN.match(text)
        item = _list_item(text)
        if fence and (fence[2][0] == "~" or "`" not in fence[3]):
            self.fence = (width, fence[2], quoted)
        elif HEADING.match(text) or RULE.match(text):
            self.found.inline(text)
        elif ADMONITION.match(text):
            self.indents.append(width + 4)
        elif item:
            self.list_item(text, width, item)
        elif HTML_BLOCK.match(text):
            self.html = [text]
        elif reference := REFERENCE.match(text):
            self.found.add("link", _target(reference[2]))
        elif self.table_starts(text, following) or (self.loose_rows and LOOSE_ROW.match(text)):
            self.table_row(text, header=True)
        elif text.strip():
            self.para = [text.strip()]

    def list_item(self, text: str, width: int, item: re.Match[str]) -> None:
        gap = len(item[2]) if 0 < len(item[2]) <= 4 else 1
        self.indents.append(width + len(item[1]) + gap)
        rest = text[item.end() :]
        task = TASK.match(rest)
        if task:
            self.para, self.check = [rest[task.end() :]], True
        elif rest.strip():
            self.leaf_block(rest, self.indents[-1], "", quoted=False)

    def table_starts(self, text: str, following: str) -> bool:
        if self.table or "|" not in text or not DELIMITER_ROW.match(following.strip()):
            return False
        return len(_cells(text)) == len(_cells(following.strip()))

    def table_row(self, text: str, *, header: bool = False) -> None:
        self.table = True
        if DELIMITER_ROW.match(text.strip()) and not header:
            return
        for cell in _cells(text):
            self.found.inline(cell)
            self.found.add("cell", plain(cell, self.found.references))

    def close(self, *, keep_code: bool = False) -> None:
        """End the paragraph, table or HTML block open (at a blank line or a new block)."""
        if self.para is not None:
            text = "\n".join(self.para)
            self.found.inline(text)
            if self.check:
                self.found.add("check", plain(text, self.found.references))
        if self.html is not None:
            _HtmlAtoms(self.found).feed("\n".join(self.html))
        self.para, self.check, self.table, self.html = None, False, False, None
        if not keep_code:
            self.code_indent = None


def _starts(text: str) -> bool:
    """Whether *text* starts a block of its own (and so ends a paragraph)."""
    return bool(
        HEADING.match(text)
        or RULE.match(text)
        or FENCE_OPEN.match(text)
        or QUOTE.match(text)
        or ADMONITION.match(text)
        or HTML_BLOCK.match(text)
        or _list_item(text)
    )


def _dedent(line: str, columns: int) -> str:
    """*line* with up to *columns* leading spaces taken off."""
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, columns) :]


def _list_item(text: str) -> re.Match[str] | None:
    match = LIST_ITEM.match(text)
    if match and RULE.match(text):
        return None
    return match


def _cells(row: str) -> list[str]:
    """The cells of a pipe-table row: split at each | outside code spans, unless escaped."""
    text = row.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    cells, current, ticks = [], "", 0
    for i, char in enumerate(text):
        if char == "`":
            ticks = 0 if ticks else 1
        if char == "|" and not ticks and (i == 0 or text[i - 1] != "\\"):
            cells.append(current)
            current = ""
            continue
        current += char
    cells.append(current)
    return [cell.replace("\\|", "|").strip() for cell in cells]


def plain(text: str, references: Set[str] = frozenset()) -> str:
    """The text a reader sees of inline Markdown: code spans as written, links by their
    text, no emphasis marks, escapes or known HTML tags, entities decoded, blanks made one."""
    spans: list[str] = []

    def hold(span: re.Match[str]) -> str:
        spans.append(_code_span(span[2]))
        return f"\ue000{len(spans) - 1}\ue001"

    prose = _plain_prose(CODE_SPAN.sub(hold, text), references)
    prose = re.sub("\ue000(\\d+)\ue001", lambda m: spans[int(m[1])], prose)
    return " ".join(prose.split())


def _code_span(text: str) -> str:
    body = text.replace("\n", " ")
    return body[1:-1] if len(body) > 2 and body[0] == body[-1] == " " and body.strip() else body


def _plain_prose(text: str, references: Set[str]) -> str:
    text = INLINE_LINK.sub(lambda m: m[1], text)
    text = REF_LINK.sub(lambda m: m[1], text)
    text = re.sub(r"\[([^\[\]]+)\]", lambda m: m[1] if m[1].lower() in references else m[0], text)
    text = AUTOLINK.sub(lambda m: m[1], text)
    text = INLINE_TAG.sub("", text)
    for pattern in EMPHASIS:
        text = pattern.sub(lambda m: m[1], text)
    return unescape(ESCAPED.sub(lambda m: m[1], text))


def _link_targets(text: str, references: Set[str]) -> list[str]:
    """The link targets of inline Markdown, code spans left out."""
    prose = CODE_SPAN.sub(" ", text)
    targets = [_target(m[2]) for m in INLINE_LINK.finditer(prose)]
    rest = INLINE_LINK.sub(lambda m: f"[{m[1]}]", prose)
    targets += [m[1] for m in AUTOLINK.finditer(rest)]
    targets += [unescape(m[1] or m[2]) for m in HREF.finditer(rest)]
    targets += _bare_urls(AUTOLINK.sub(" ", HREF.sub(" ", rest)))
    return targets


def _target(raw: str) -> str:
    return unescape(ESCAPED.sub(lambda m: m[1], raw))


def _bare_urls(text: str) -> list[str]:
    """URLs written out, as GitHub links them: trailing punctuation and an unmatched ')'
    are not part of them."""
    urls = []
    for match in BARE_URL.finditer(text):
        url = match[0]
        while url and (
            url[-1] in "?!.,:*_~'\"" or (url[-1] == ")" and url.count(")") > url.count("("))
        ):
            url = url[:-1]
        urls.append(url)
    return urls


class _HtmlAtoms(HTMLParser):
    """Cells and link targets of a block of HTML."""

    def __init__(self, found: _Found) -> None:
        super().__init__(convert_charrefs=True)
        self.found = found
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th", "tr"):
            self.end_cell()
        if tag in ("td", "th"):
            self.cell = []
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.found.add("link", value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "tr", "table"):
            self.end_cell()

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def end_cell(self) -> None:
        if self.cell is not None:
            self.found.add("cell", " ".join("".join(self.cell).split()))
        self.cell = None

    def close(self) -> None:
        super().close()
        self.end_cell()

    def feed(self, data: str) -> None:
        super().feed(data)
        self.close()


def read_atoms(path: Path) -> list[str]:
    """The atoms of an .atoms.txt file, one a line."""
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/real_atoms.py ORIGINAL.md > NAME.atoms.txt", file=sys.stderr)
        return 2
    text = Path(argv[0]).read_text(encoding="utf-8")
    sys.stdout.write("".join(f"{atom}\n" for atom in atoms(text)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
