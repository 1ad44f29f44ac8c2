"""Escaping for every context user text lands in: Markdown+HTML, code fences, mermaid labels, anchors.

All user-supplied text is data. Templates pass it through these filters and never
concatenate it into Markdown themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from html import escape as _html

from generator.core.prose import EMPHASIS, FOOTNOTE, LINK, LINK_TARGET, STRONG

# Characters Markdown (and its extensions: attr_list, tables, tasklist) could read as syntax.
# Leading '-', '+' or '1.' would start a list, and '!!!' an admonition; elsewhere they are
# harmless.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]{}#|<>&~]|^\s*[-+]|^\s*\d+\.|^\s*!(?=!!)", re.M)
# Only the simple form: `code` on one line. Anything else with backticks (fences) stays literal.
_CODE_SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
# What `inline` reads first, from the left: a code span, a link (whose label may hold one), a
# footnote's mark.
_CODE_OR_LINK = re.compile(f"{_CODE_SPAN.pattern}|{LINK.pattern}|{FOOTNOTE.pattern}")
_FENCE_RUN = re.compile(r"`{3,}|~{3,}")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Text with none of these characters, and no list or admonition marker at its start, needs no
# escaping and no code spans: most text (the fast path). Two tests, a search for one class of
# characters then a match at the start, are quicker than one search for the alternation.
_NOT_PLAIN_CHARACTER = re.compile(r"[\\`*_\[\]{}#|<>&~\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_BLOCK_MARKER = re.compile(r"\s*(?:[-+]|\d+\.|!!!)")
# What `slug` returns as it is: ids are slugs already.
_SLUG = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")


def entities(text: str) -> str:
    """Every character Markdown could treat as syntax as a numeric entity: shown, never parsed."""
    return _MD_SPECIAL.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), text)


def inline(text: str) -> str:
    """Text for a paragraph, list item or table cell, with a safe subset of Markdown: `code`,
    [links](https://...) to http(s), mailto and tel addresses, **strong** and *emphasis* (or
    _emphasis_). Everything else, raw HTML included, is shown as written.

    Newlines are folded into spaces (prose may be re-flowed); a blank line becomes a line break.
    """
    if not (_NOT_PLAIN_CHARACTER.search(text) or _BLOCK_MARKER.match(text)):
        return " ".join(text.split())
    marked = "`" in text or "](" in text or "[^" in text
    joined = _marked(text) if marked else _emphasised(text)
    paragraphs = [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(joined)]
    return "<br><br>".join(paragraphs)


def _marked(text: str) -> str:
    """*text* with its code spans, links, strong text and emphasis as HTML, every other
    character Markdown could read as syntax as an entity. Read from the left, as the page reads
    Markdown: a code span holds no link, and a link's label may hold code spans."""
    out: list[str] = []
    written = looked = 0  # what is written up to; where to look for the next code span or link
    while match := _CODE_OR_LINK.search(text, looked):
        code, label, target, note = match.groups()
        if label is not None and not LINK_TARGET.match(target):
            looked = match.start() + 1  # another kind of address: its `[` is shown as written
            continue
        out.append(_emphasised(text[written : match.start()]))
        if note is not None:
            out.append(footnote_mark(note))
        else:
            out.append(_code(code) if code is not None else _link(label, target))
        written = looked = match.end()
    out.append(_emphasised(text[written:]))
    return "".join(out)


def footnote_mark(note: str) -> str:
    """Where a text refers to a footnote: its id, raised, linking to the note."""
    return f'<sup class="rb-fn"><a href="#fn-{note}">{note}</a></sup>'


def _code(text: str) -> str:
    return f"<code>{entities(text)}</code>"


def _link(label: str, target: str) -> str:
    """A link in text: its label's code spans as <code>, strong text and emphasis around them."""
    out, last = [f'<a href="{_html(target, quote=True)}">'], 0
    for match in _CODE_SPAN.finditer(label):
        out.append(_emphasised(label[last : match.start()]))
        out.append(_code(match.group(1)))
        last = match.end()
    out.append(_emphasised(label[last:]))
    return "".join(out) + "</a>"


def _emphasised(text: str) -> str:
    """*text* (no link in it) with its strong text and emphasis as HTML."""
    if "*" not in text and "_" not in text:
        return entities(text)
    return _spans(STRONG, "strong", text, _em)


def _em(text: str) -> str:
    return _spans(EMPHASIS, "em", text, entities)


def _spans(pattern: re.Pattern[str], tag: str, text: str, inner: Callable[[str], str]) -> str:
    """*text* with what *pattern* finds in it as <tag> elements, *inner* written around and
    inside them."""
    out, last = [], 0
    for match in pattern.finditer(text):
        found = next(group for group in match.groups() if group is not None)
        out.append(inner(text[last : match.start()]))
        out.append(f"<{tag}>{inner(found)}</{tag}>")
        last = match.end()
    out.append(inner(text[last:]))
    return "".join(out)


def attr(text: str) -> str:
    """Text for an HTML attribute value in double quotes, on one line (a raw HTML block ends at
    a blank line), its tabs as references (Python-Markdown would turn them into spaces)."""
    escaped = _html(text, quote=True)
    return escaped.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")


# What could end a <script> element early, or start a comment the parser reads in it ("<!--"
# then "<script" would hide its end), or break a line in old JavaScript parsers: none is left in
# the JSON as itself.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def script_json(value: object) -> str:
    """*value* as JSON for the inside of a `<script type="application/json">` element, on one
    line: ASCII only (U+2028 and controls as escapes) and `<`, `>`, `&` as \\u escapes, so no
    text of a runbook (`</script>`, `<!--`) can end the element or be read as HTML. The same
    JSON to a parser: `JSON.parse` reads the escapes back."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), sort_keys=False)
    return re.sub(r"[<>&]", lambda m: _SCRIPT_UNSAFE[m.group()], text)


def code_inline(text: str) -> str:
    """A command shown inside a table cell: inline code, line breaks kept as <br>, tabs as
    references (Python-Markdown would turn them into spaces)."""
    lines = [entities(line).replace("\t", "&#9;") for line in text.splitlines() or [""]]
    return "<code>" + "<br>".join(lines) + "</code>"


def fence(body: str, *, info: str = "") -> str:
    """A fenced code block around *body*, with a fence longer than any run inside it."""
    longest = max((len(m.group()) for m in _FENCE_RUN.finditer(body)), default=0)
    marker = "`" * max(3, longest + 1)
    body = body[:-1] if body.endswith("\n") else body
    return f"{marker}{info}\n{body}\n{marker}"


# What a YAML double-quoted scalar may not hold as it is: characters outside YAML's printable
# set (DEL, C1 controls, lone surrogates, U+FFFE/F) and those it reads as line breaks or a BOM.
_YAML_ESCAPE = re.compile(
    r"[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
)


def yaml_string(text: str) -> str:
    """*text* as a YAML double-quoted scalar on one line, for front matter: JSON's escapes, but
    characters beyond ASCII written as they are (YAML refuses JSON's surrogate-pair escapes of
    an emoji, and the page would lose its front matter), except those YAML cannot hold."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


# Mermaid writes an entity code `#182;` as `ﬂ°°182¶ß` while it parses and reads every `¶ß` back
# as `;`, even in the text the codes make: these letters go as entity codes, and a `¶ß` of the
# label is kept apart by a word joiner (U+2060), which shows nothing.
_MERMAID_MARKERS = frozenset("ﬂ°¶ß")
MERMAID_MARKER = "¶ß"
MERMAID_MARKER_SHOWN = "¶\u2060ß"


def mermaid_label(text: str) -> str:
    """A mermaid node or edge label: quoted, with quotes and markup as mermaid entity codes."""
    cleaned = " ".join(text.split()).replace(MERMAID_MARKER, MERMAID_MARKER_SHOWN)
    out = []
    for ch in cleaned:
        if ch in _MERMAID_MARKERS:
            out.append(f"#{ord(ch)};")
        elif ch.isalnum() or ch in " ,.?!'/+*%@=-_()[]{}:;|<>&#":
            # `:` too: mermaid drops the last `;` of a line with `style`, `:` and `#` in it.
            out.append(f"#{ord(ch)};" if ch in '"#;:<>&|[]{}()' else ch)
        else:
            out.append(f"#{ord(ch)};")
    return '"' + ("".join(out) or "#160;") + '"'  # mermaid refuses "" (a no-break space)


def slug(text: str) -> str:
    """An anchor-safe id (ids are already slugs; this guards anything else)."""
    if _SLUG.fullmatch(text):
        return text
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-").lower() or "section"


def table_cell(text: str) -> str:
    """Text for a Markdown table cell: inline text with the pipe escaped (entities cover it)."""
    return inline(text)


# The HTML page (generator/render_html.py) writes what Python-Markdown makes of the Markdown
# page; these give, for one context each, the HTML it makes of a filter's Markdown output.

# Backslash escapes Python-Markdown reads in a link target (its ESCAPED_CHARS, tables' | too).
_LINK_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!|])")
# `&` that does not start an entity, as Python-Markdown's serializer finds it.
_BARE_AMP = re.compile(r"&(?!(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);)", re.I)


def code_text(text: str) -> str:
    """Text of a <pre><code> element, escaped as pymdownx's fences escape it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code_block(body: str) -> str:
    """The <pre><code> text of a command, an output or a template: *body* as written, escaped
    (one last line break dropped, as `fence` drops it; a CR as a reference, which an HTML parser
    would read as a line feed).

    Here the HTML page differs from the Markdown page on purpose: Python-Markdown turns every
    tab of a page into spaces, code included, and cuts lines at other line breaks (form feed,
    U+2028 ...), where a `<<-EOF` heredoc needs its tabs and a command must copy exactly.
    """
    body = body[:-1] if body.endswith("\n") else body
    return code_text(body).replace("\r", "&#13;")


def link_href(target: str) -> str:
    """A link target written `[text](target)` (after `urlpath`), as the href attribute
    Python-Markdown writes: backslash escapes read, `&`, `<`, `>` and `"` escaped."""
    if "\\" in target:
        target = _LINK_ESCAPE.sub(r"\1", target)
    if "&" in target:
        target = _BARE_AMP.sub("&amp;", target)
    return target.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# What a raw HTML line may hold that the Markdown page changes: line breaks `attr` leaves as
# they are (it writes CR, LF and tab as references).
_RAW_CHANGED = re.compile(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def raw_block(html: str) -> str:
    """A raw HTML block (lines ending in \\n) as the converted Markdown page has it: cut into
    lines where str.splitlines cuts, trailing whitespace dropped (render._tidy)."""
    if not _RAW_CHANGED.search(html):
        return html
    return "".join(line.rstrip() + "\n" for line in html.splitlines())


# The HTML pages call `inline` hundreds of times a page, much of it on text they have seen
# before (a scheme's levels and the shared contacts on every runbook's page, a runbook's title
# in every row of the symptom index).
@lru_cache(maxsize=16384)
def inline_cached(text: str) -> str:
    """`inline(text)`, remembered for the next page."""
    return inline(text)


# What would end a <script> element early ("</script"), or open a comment the parser then reads
# it in ("<!--"), from the inside; looked for case-insensitively, as the parser does.
_SCRIPT_END = re.compile(r"</script|<!--", re.I)


def script_text(source: str) -> str:
    """A script of our own (generator/assets/) as the text of an inline `<script>` element: as
    it is, or ValueError if it holds what would end the element early. Never for a runbook's
    text: that goes in as `script_json`."""
    if _SCRIPT_END.search(source):
        raise ValueError("the script holds '</script' or '<!--': it cannot be written inline")
    return source
