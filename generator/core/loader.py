"""Stage 1: read a YAML file safely, with a source position for every node.

Rejects what YAML would accept silently: duplicate keys, anchors and aliases,
explicit tags, several documents, non-mapping documents and deep nesting.
Scalars keep YAML 1.1 meanings (``no`` is a boolean) so the validator can say
what happened; timestamps stay text, since the schema checks dates as text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from generator.diagnostics import Diagnostic, make

try:  # The C loader is ten times faster; every rule below holds for both.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024
MAX_LINE = 10_000
MAX_DEPTH = 40
JsonPath = tuple[str | int, ...]


class Pos(NamedTuple):
    """Where a value (and, in a mapping, its key) starts; 1-based."""

    line: int
    col: int
    key_line: int
    key_col: int
    raw: str | None = None  # the scalar as written, for messages about YAML 1.1 types
    tag: str = ""


@dataclass
class Document:
    """A loaded file: its data and the (line, column) of every value in it; loaded `detailed`,
    also each value's `Pos`: where its key is and how YAML read it, for explaining errors."""

    path: str
    data: dict[str, Any]
    positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    details: dict[JsonPath, Pos] | None = None
    # Every text value of the file (not its keys), in order, when loaded: the secret scan reads
    # these first, and looks for where one is only in the rare file that holds a secret.
    texts: list[str] = field(default_factory=list)

    def pos(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """Position of the value at *path* (or of its key, when loaded detailed), falling back
        to the nearest parent."""
        while path not in self.positions and path:
            path = path[:-1]
        if key and self.details is not None and path in self.details:
            p = self.details[path]
            return p.key_line, p.key_col
        return self.positions.get(path, (1, 1))


class _Reject(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working directory when inside it."""
    if not path.is_absolute():
        return str(path)  # as given (pathlib's relative_to is lexical: the same text)
    text, cwd = str(path), os.getcwd()  # strings: pathlib took 0.5 s for 3,000 paths
    inside = cwd.rstrip(os.sep) + os.sep
    return text[len(inside) :] if text.startswith(inside) else "." if text == cwd else text


def load(
    path: Path, *, display: str | None = None, max_bytes: int = MAX_BYTES
) -> tuple[Document | None, list[Diagnostic]]:
    """Load one file, detailed; return the document or the diagnostics that stopped it."""
    name = display or str(path)
    raw, problems = read_source(path, name=name, max_bytes=max_bytes)
    return (None, problems) if raw is None else load_bytes(raw, name)


def read_source(
    path: Path, *, name: str, max_bytes: int = MAX_BYTES
) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of one file, or why it cannot be loaded (too big, unreadable)."""
    try:
        return _read(path, name, max_bytes), []
    except _Reject as exc:
        return None, [exc.diagnostic]


def load_bytes(
    raw: bytes, name: str, *, detailed: bool = True
) -> tuple[Document | None, list[Diagnostic]]:
    """Load a file's bytes, already read (by `read_source`), as `load` does."""
    try:
        return parse(raw, name, detailed=detailed), []
    except _Reject as exc:
        return None, [exc.diagnostic]


def parse(raw: bytes, name: str, *, detailed: bool = True) -> Document:
    """Parse bytes already read; raises _Reject on the first problem.

    Not *detailed*, the document has no `details`: a valid file needs none, and loads a tenth
    faster without them.
    """
    text = _decode(raw, name)
    _check_lines(text, name)
    try:
        return _Builder(name, detailed=detailed).build(text)
    except _Reject:
        if detailed:
            raise
        # A message may need a detail (where a duplicate key was first): say it as detailed.
        return _Builder(name, detailed=True).build(text)


def _read(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            message = f"file is {size:,} bytes, over the limit of {max_bytes:,}: split it"
            raise _Reject(make(name, 0, 0, "RB001", message))
        return path.read_bytes()
    except OSError as exc:
        raise _Reject(make(name, 0, 0, "RB001", f"cannot read the file: {exc.strerror}")) from None


_BOM = b"\xef\xbb\xbf"
# Line breaks as YAML counts them, so every stage reports the same line numbers.
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def _decode(raw: bytes, name: str) -> str:
    skip = len(_BOM) if raw.startswith(_BOM) else 0
    try:
        text = raw[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        line_start = max(raw.rfind(b"\n", 0, offset) + 1, skip)
        line = raw.count(b"\n", 0, offset) + 1
        col = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
        msg = f"invalid UTF-8 byte 0x{raw[offset]:02x} at byte offset {offset}: save the file as UTF-8"
        raise _Reject(make(name, line, col, "RB002", msg)) from None
    nul = text.find("\0")
    if nul >= 0:
        line, col = _line_col(text, nul)
        raise _Reject(make(name, line, col, "RB003", "NUL character in the file: remove it"))
    return text


def _line_col(text: str, offset: int) -> tuple[int, int]:
    breaks = list(_BREAK.finditer(text, 0, offset))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - start + 1


def _check_lines(text: str, name: str) -> None:
    # A line between two "\n" holds every line YAML counts there: when none of those is too
    # long, none is (one split in C, where the exact count below takes a regex and a loop).
    if max(map(len, text.split("\n"))) <= MAX_LINE:
        return
    for number, line in enumerate(_BREAK.split(text), start=1):
        if len(line) > MAX_LINE:
            msg = f"line is {len(line):,} characters, over the limit of {MAX_LINE:,}: break it up"
            raise _Reject(make(name, number, MAX_LINE + 1, "RB004", msg))


# A comment right after a value, its `#` followed by a word (a chat channel, an issue number):
# where it is in the line (group 1), and the word.
_COMMENT_CUT = re.compile(r"[ \t]#[^\s#]")
_COMMENT_AFTER = re.compile(r"[ \t]+(#([^\s#]\S*))")

_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_COLLECTIONS: dict[type, type] = {yaml.MappingStartEvent: dict, yaml.SequenceStartEvent: list}
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


_Resolvers = list[tuple[str, re.Pattern[str]]]


class _AnyText:
    """Contains every first character (for resolvers that apply to any)."""

    def __contains__(self, first: object) -> bool:
        return True


def _implicit_resolvers() -> tuple[dict[str, _Resolvers], _Resolvers]:
    """YAML 1.1's implicit resolvers by a plain scalar's first character ("" when empty), as
    `yaml.resolver.Resolver.resolve` tries them, and those for any first character."""
    table: dict[str | None, _Resolvers] = yaml.resolver.Resolver.yaml_implicit_resolvers
    wildcard = table.get(None, [])
    return {key: [*found, *wildcard] for key, found in table.items() if key is not None}, wildcard


_IMPLICIT, _IMPLICIT_ANY = _implicit_resolvers()
# First characters of a plain scalar that some resolver may turn into another type than text.
_PLAIN: Any = frozenset(_IMPLICIT) if not _IMPLICIT_ANY else _AnyText()
# Pos is a tuple: made straight from one, it costs a fifth of a dataclass; a file has hundreds.
_new_pos: Any = tuple.__new__


class _Builder:
    """Builds data and positions straight from the parser's events.

    The event stream is flat, so no input can exhaust a stack (the C composer
    segfaults on deep nesting); anchors, aliases, tags, duplicate keys, depth and
    extra documents are all seen in this one pass, each with its position. The open
    collections are a stack of (container, path, pending key, its line, its column);
    a pending key of None means a mapping waits for a key (a list never does).
    """

    def __init__(self, name: str, *, detailed: bool) -> None:
        self.doc = Document(name, {}, details={} if detailed else None)
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.root_mark: Any = None
        self.documents = 0

    def reject(self, mark: Any, code: str, message: str) -> _Reject:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return _Reject(make(self.doc.path, line, col, code, message))

    def build(self, text: str) -> Document:
        # A ` #word` after a plain value starts a comment that cuts the text: looked for only
        # in files that have one.
        self.source = text
        self.text = text if _COMMENT_CUT.search(text) else ""
        self.lines: list[str] = _BREAK.split(text) if self.text else []
        # The lines where a ` #word` is: only a value on one of them can be cut short.
        self.cut_lines = {i for i, line in enumerate(self.lines) if _COMMENT_CUT.search(line)}
        parser = _Loader(text)
        try:
            self.read(parser)
        except yaml.YAMLError as exc:
            raise _Reject(_syntax(exc, self.doc.path, text)) from None
        finally:
            parser.dispose()
        self.doc.data = self.mapping_root()
        return self.doc

    def read(self, parser: Any) -> None:
        """Every event, in order: each is judged before the parser reads the next.

        The hot path (a plain key, a value, the end of a collection) is written out here: a
        file has a thousand events, and a call or an attribute less for each is a fifth faster.
        """
        get_event, stack = parser.get_event, self.stack
        positions, details = self.doc.positions, self.doc.details
        text = self.doc.texts.append
        while (event := get_event()) is not None:
            kind = type(event)
            if kind is not _SCALAR:
                if kind in _ENDS:
                    stack.pop()
                    continue
                if kind not in _COLLECTIONS:
                    self.other(event, kind)
                    continue
            if event.anchor or event.tag:
                self.check(event)
            if not stack:
                self.place_root(event, kind)
                continue
            frame = stack[-1]
            container, key = frame[0], frame[2]
            if key is None and type(container) is dict:
                if kind is not _SCALAR or event.value in container:
                    self.reject_key(frame, event, kind)
                frame[2] = event.value
                if details is not None:  # where the key is: only details tell
                    mark = event.start_mark
                    frame[3], frame[4] = mark.line + 1, mark.column + 1
                continue
            mark = event.start_mark
            line, col = mark.line + 1, mark.column + 1
            path = frame[1] + (len(container) if key is None else key,)
            if kind is _SCALAR:
                value = event.value
                # Quoted and block scalars are text; so is a plain one no resolver starts with.
                tag = _resolved(value) if event.implicit[0] and value[:1] in _PLAIN else _STR
                # (Text too: a value that only looks like a key YAML 1.1 merges, '<<'.)
                if tag in (_STR, _TIMESTAMP) or type(value := _scalar(event, tag)) is str:
                    text(value)
                if self.text and not event.style:  # plain ("" from the C loader)
                    self.comment_cut(event, value)
            else:
                tag, value = "", _COLLECTIONS[kind]()
            positions[path] = (line, col)
            if details is not None:
                raw = None if tag in (_STR, "") else event.value
                where = (line, col) if key is None else (frame[3], frame[4])
                details[path] = _new_pos(Pos, (line, col, *where, raw, tag))
            if key is None:
                container.append(value)
            else:
                container[key] = value
                frame[2] = None
            if kind is not _SCALAR:
                self.open(value, path, mark)

    def comment_cut(self, event: Any, value: Any) -> None:
        """A plain value followed by ` #word` on its line: a comment that cut the text short
        (`post in #incident-management` is read as `post in`)."""
        mark = event.end_mark
        if mark.line not in self.cut_lines:
            return
        found = _COMMENT_AFTER.match(self.lines[mark.line], mark.column)
        if found is None:
            return
        col = found.start(1) + 1
        shown = str(value)[-30:]
        message = (
            f"' #{found.group(2)}' starts a YAML comment here, so the text ends at {shown!r}:"
            " quote the whole text, or put a space after '#' if it is a comment"
        )
        raise _Reject(make(self.doc.path, mark.line + 1, col, "RB018", message))

    def other(self, event: Any, kind: type) -> None:
        """An alias, or an event that is no node (a document's start counts)."""
        if kind is _ALIAS:
            self.check(event)
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise self.reject(
                    event.start_mark,
                    "RB016",
                    "several documents in one file: keep one runbook per file",
                )

    def open(self, value: Any, path: JsonPath, mark: Any) -> None:
        if len(self.stack) > MAX_DEPTH:  # the root mapping is level 0
            message = f"nesting deeper than {MAX_DEPTH} levels: flatten the structure"
            raise self.reject(mark, "RB017", message)
        self.stack.append([value, path, None, 0, 0])

    def place_root(self, event: Any, kind: type) -> None:
        mark = event.start_mark
        value = _scalar(event, _tag(event)) if kind is _SCALAR else _COLLECTIONS[kind]()
        self.root, self.root_mark = value, mark
        line, col = mark.line + 1, mark.column + 1
        self.doc.positions[()] = line, col
        if self.doc.details is not None:
            self.doc.details[()] = Pos(line, col, line, col)
        if kind is not _SCALAR:
            self.open(value, (), mark)

    def check(self, event: Any) -> None:
        """Reject aliases, anchors and explicit tags (`!` included)."""
        if isinstance(event, yaml.AliasEvent):
            raise self.reject(
                event.start_mark, "RB013", f"alias *{event.anchor}: write the value out in full"
            )
        if event.anchor:
            raise self.reject(
                event.start_mark,
                "RB013",
                f"anchor &{event.anchor}: anchors and aliases are not allowed, remove it",
            )
        if event.tag and (event.tag == "!" or not _implicit(event)):
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.reject(
                event.start_mark,
                "RB014",
                f"explicit tag {tag}: tags are not allowed, write a plain value",
            )

    def reject_key(self, frame: list[Any], event: Any, kind: type) -> None:
        """A key that is a collection, or that the mapping already has."""
        if kind is not _SCALAR:
            mark = event.start_mark
            line = _BREAK.split(self.source)[mark.line]
            if "{{" in line[max(0, mark.column - 1) : mark.column + 2]:
                message = (
                    "a text that starts with `{` is read as a YAML mapping (here `{{ ... }}`):"
                    ' quote the whole text: `"{{ ... }} ..."`'
                )
                raise self.reject(mark, "RB010", message)
            raise self.reject(
                mark, "RB010", "a mapping key must be a plain word, not a list or mapping"
            )
        key = event.value  # the first one's value is in place: its position has the key's
        first_line, first_col = self.doc.pos((*frame[1], key), key=True)
        msg = f"duplicate key {key!r} (first at line {first_line}, column {first_col}): remove one"
        raise self.reject(event.start_mark, "RB012", msg)

    def mapping_root(self) -> dict[str, Any]:
        root = self.root
        if isinstance(root, dict):
            return root
        if root is None or root == "":
            raise self.reject(
                None,
                "RB015",
                "the file has no content: a runbook is a mapping (`id: ...`, `title: ...`)",
            )
        what = "a list" if isinstance(root, list) else "a single value"
        raise self.reject(
            self.root_mark,
            "RB015",
            f"the document is {what}: a runbook is a mapping (`id: ...`, `title: ...`)",
        )


def _implicit(event: Any) -> bool:
    implicit = event.implicit
    return bool(any(implicit) if isinstance(implicit, tuple) else implicit)


def _tag(event: yaml.ScalarEvent) -> str:
    """The tag YAML 1.1 gives a scalar written without one."""
    return _resolved(event.value) if event.implicit[0] else _STR  # quoted or block: always text


def _resolved(value: str) -> str:
    """The tag YAML 1.1 gives a plain scalar written without one (what `Resolver.resolve` says)."""
    for tag, pattern in _IMPLICIT.get(value[:1], _IMPLICIT_ANY):
        if pattern.match(value):
            return tag
    return _STR


def _scalar(event: yaml.ScalarEvent, tag: str) -> Any:
    if tag in (_STR, _TIMESTAMP):
        return event.value
    constructor = _CONSTRUCTOR.yaml_constructors.get(tag)
    if constructor is None:  # e.g. the merge key '<<': keep the text, the schema rejects it
        return event.value
    node = yaml.ScalarNode(tag, event.value)
    return constructor(_CONSTRUCTOR, node)


# A Markdown task-list item pasted into YAML: `- [ ] text`, `- [x] text`.
_TASK_ITEM = re.compile(r"\s*- \[[ xX]\] ")
_HINTS = {
    "mapping values are not allowed": "a value that contains ': ' must be quoted",
    "did not find expected '-' indicator": "check the indentation of this list",
    "expected <block end>": "check the indentation: this line does not line up with its siblings",
    "found unexpected end of stream": "a quote or bracket is never closed",
    "did not find expected ',' or ']'": "a [ list is not closed, or an item needs quoting",
    "did not find expected ',' or '}'": "a { mapping is not closed, or an item needs quoting",
    "found undefined alias": "aliases are not allowed: write the value out",
}


def _syntax(exc: yaml.YAMLError, name: str, text: str) -> Diagnostic:
    problem = str(getattr(exc, "problem", None) or exc).strip()
    context = str(getattr(exc, "context", None) or "").strip()
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if "end of stream" in problem and context_mark is not None:
        mark = context_mark  # point at what was never closed, not at the end of the file
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    at_tab = mark is not None and text[mark.index : mark.index + 1] == "\t"
    if at_tab or "\t" in problem or "tab" in problem.lower():
        return make(
            name, line, col, "RB011", "tab character used for indentation: indent with spaces"
        )
    where = (
        f" {context} started at {context_mark.line + 1}:{context_mark.column + 1}"
        if context and context_mark
        else ""
    )
    hint = next((h for key, h in _HINTS.items() if key in problem), "")
    lines = _BREAK.split(text)
    near = [lines[m.line] for m in (mark, context_mark) if m is not None and m.line < len(lines)]
    if any(_TASK_ITEM.match(line) for line in near):
        hint = (
            "a Markdown task-list item (`- [x] ...`): YAML reads `[x]` as a list: write the item"
            ' as text, quoted (`- "[x] Paged the DBA"`), or without its box'
        )
    message = f"YAML syntax error: {problem}{';' if where else ''}{where}" + (
        f": {hint}" if hint else ""
    )
    return make(name, line, col, "RB010", message)


def iter_yaml_files(paths: list[Path]) -> Iterator[Path]:
    """Every .yaml/.yml file under *paths*, sorted, hidden directories skipped."""
    for path in paths:
        if path.is_dir():
            yield from _yaml_files_under(path)
        else:
            yield path


def _yaml_files_under(root: Path) -> list[Path]:
    """What `root.rglob("*")` finds that is a .yaml/.yml file outside hidden folders, in the
    order of paths (by parts); os.walk takes a third of its time."""
    found: list[tuple[tuple[str, ...], str]] = []
    top = str(root)
    for folder, folders, files in os.walk(top):  # symlinked folders listed, not followed
        folders[:] = [name for name in folders if not name.startswith(".")]
        inside = folder[len(top) :].strip(os.sep)
        parts = tuple(inside.split(os.sep)) if inside else ()
        for name in files:
            full = os.path.join(folder, name)
            if name.endswith((".yaml", ".yml")) and name[0] != "." and os.path.isfile(full):
                found.append(((*parts, name), full))
    return [Path(full) for _, full in sorted(found, key=lambda entry: entry[0])]
