"""Stage 1: read a YAML file safely, with a source position for every node.

Rejects what YAML would accept silently: duplicate keys, anchors and aliases,
explicit tags, several documents, non-mapping documents and deep nesting.
Scalars keep YAML 1.1 meanings (``no`` is a boolean) so the validator can say
what happened; timestamps stay text, since the schema checks dates as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Pos:
    """Where a value (and, in a mapping, its key) starts; 1-based."""

    line: int
    col: int
    key_line: int
    key_col: int
    raw: str | None = None  # the scalar as written, for messages about YAML 1.1 types
    tag: str = ""


@dataclass
class Document:
    """A loaded file: its data and the position of every value in it."""

    path: str
    data: dict[str, Any]
    positions: dict[JsonPath, Pos] = field(default_factory=dict)

    def pos(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """Position of the value at *path* (or of its key), falling back to the nearest parent."""
        while path not in self.positions and path:
            path = path[:-1]
        p = self.positions.get(path)
        if p is None:
            return 1, 1
        return (p.key_line, p.key_col) if key else (p.line, p.col)


class _Reject(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def load(
    path: Path, *, display: str | None = None, max_bytes: int = MAX_BYTES
) -> tuple[Document | None, list[Diagnostic]]:
    """Load one file; return the document or the diagnostics that stopped it."""
    name = display or str(path)
    try:
        raw = _read(path, name, max_bytes)
        return parse(raw, name), []
    except _Reject as exc:
        return None, [exc.diagnostic]


def parse(raw: bytes, name: str) -> Document:
    """Parse bytes already read; raises _Reject on the first problem."""
    text = _decode(raw, name)
    _check_lines(text, name)
    if any(c in text for c in "&*!"):
        _check_events(text, name)
    node = _compose(text, name)
    doc = Document(name, {})
    doc.data = _construct_root(node, doc)
    return doc


def _read(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _Reject(
                make(
                    name,
                    0,
                    0,
                    "RB001",
                    f"file is {size:,} bytes, over the limit of {max_bytes:,}: split it",
                )
            )
        return path.read_bytes()
    except OSError as exc:
        raise _Reject(make(name, 0, 0, "RB001", f"cannot read the file: {exc.strerror}")) from None


def _decode(raw: bytes, name: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = f"invalid UTF-8 byte 0x{raw[exc.start]:02x} at byte offset {exc.start}: save the file as UTF-8"
        raise _Reject(make(name, line, col, "RB002", msg)) from None
    nul = text.find("\0")
    if nul >= 0:
        line, col = _line_col(text, nul)
        raise _Reject(make(name, line, col, "RB003", "NUL character in the file: remove it"))
    return text


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _check_lines(text: str, name: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE:
            msg = f"line is {len(line):,} characters, over the limit of {MAX_LINE:,}: break it up"
            raise _Reject(make(name, number, MAX_LINE + 1, "RB004", msg))
    depth = _flow_depth(text)
    if depth > MAX_DEPTH:
        raise _Reject(
            make(
                name,
                1,
                1,
                "RB017",
                f"nesting is {depth} levels deep, over the limit of {MAX_DEPTH}",
            )
        )


def _flow_depth(text: str) -> int:
    """Upper bound on nesting, checked before parsing so deep input never reaches the parser."""
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
    indent = max((len(ln) - len(ln.lstrip(" -")) for ln in text.splitlines()), default=0)
    return max(deepest, indent // 2) if deepest > MAX_DEPTH or indent > 2 * MAX_DEPTH * 2 else 0


def _check_events(text: str, name: str) -> None:
    """Reject anchors, aliases and explicit tags, which the composed nodes no longer show."""
    try:
        for event in yaml.parse(text, Loader=_Loader):
            _check_event(event, name)
    except yaml.YAMLError:
        return  # the composer reports syntax errors with their position


def _check_event(event: yaml.Event, name: str) -> None:
    mark = event.start_mark
    at = (name, mark.line + 1, mark.column + 1) if mark else (name, 1, 1)
    if isinstance(event, yaml.AliasEvent):
        raise _Reject(make(*at, "RB013", f"alias *{event.anchor}: write the value out in full"))
    anchor = getattr(event, "anchor", None)
    if anchor:
        raise _Reject(
            make(*at, "RB013", f"anchor &{anchor}: anchors and aliases are not allowed, remove it")
        )
    tag = getattr(event, "tag", None)
    implicit = getattr(event, "implicit", True)
    explicit = tag and (implicit is False or (isinstance(implicit, tuple) and not any(implicit)))
    if explicit and tag:
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        raise _Reject(
            make(*at, "RB014", f"explicit tag {tag}: tags are not allowed, write a plain value")
        )


def _compose(text: str, name: str) -> yaml.MappingNode:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        if "single document" in f"{exc.problem} {exc.context}":
            mark = exc.problem_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise _Reject(
                make(
                    name,
                    line,
                    col,
                    "RB016",
                    "several documents in one file: keep one runbook per file",
                )
            ) from None
        raise _Reject(_syntax(exc, name, text)) from None
    except yaml.YAMLError as exc:
        raise _Reject(_syntax(exc, name, text)) from None
    finally:
        loader.dispose()
    if node is None:
        raise _Reject(
            make(
                name,
                1,
                1,
                "RB015",
                "the file has no content: a runbook is a mapping (`id: ...`, `title: ...`)",
            )
        )
    if not isinstance(node, yaml.MappingNode):
        what = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        raise _Reject(
            make(
                name,
                line,
                col,
                "RB015",
                f"the document is {what}: a runbook is a mapping (`id: ...`, `title: ...`)",
            )
        )
    return node


def _syntax(exc: yaml.YAMLError, name: str, text: str) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = str(getattr(exc, "problem", None) or exc).strip()
    if (mark is not None and text[mark.index : mark.index + 1] == "\t") or "tab" in problem:
        return make(
            name, line, col, "RB011", "tab character used for indentation: indent with spaces"
        )
    context = getattr(exc, "context", None)
    message = f"{problem} ({context})" if context else problem
    return make(name, line, col, "RB010", f"YAML syntax error: {message}")


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _construct_root(node: yaml.MappingNode, doc: Document) -> dict[str, Any]:
    start = node.start_mark
    doc.positions[()] = Pos(start.line + 1, start.column + 1, start.line + 1, start.column + 1)
    seen: set[int] = set()
    value = _construct(node, (), doc, seen, 0)
    assert isinstance(value, dict)
    return value


def _construct(node: yaml.Node, path: JsonPath, doc: Document, seen: set[int], depth: int) -> Any:
    if id(node) in seen:  # a node met twice is an alias the event check did not see
        raise _Reject(
            make(
                doc.path,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "RB013",
                "alias: write the value out in full",
            )
        )
    seen.add(id(node))
    if depth > MAX_DEPTH:
        mark = node.start_mark
        raise _Reject(
            make(
                doc.path,
                mark.line + 1,
                mark.column + 1,
                "RB017",
                f"nesting deeper than {MAX_DEPTH} levels",
            )
        )
    if isinstance(node, yaml.MappingNode):
        return _construct_mapping(node, path, doc, seen, depth)
    if isinstance(node, yaml.SequenceNode):
        return [
            _child(item, (*path, i), None, doc, seen, depth) for i, item in enumerate(node.value)
        ]
    return _scalar(node)


def _construct_mapping(
    node: yaml.MappingNode, path: JsonPath, doc: Document, seen: set[int], depth: int
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    keys: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = _key(key_node, doc)
        if key in keys:
            first = keys[key].start_mark
            mark = key_node.start_mark
            msg = f"duplicate key {key!r} (first at line {first.line + 1}, column {first.column + 1}): remove one"
            raise _Reject(make(doc.path, mark.line + 1, mark.column + 1, "RB012", msg))
        keys[key] = key_node
        result[key] = _child(value_node, (*path, key), key_node, doc, seen, depth)
    return result


def _key(node: yaml.Node, doc: Document) -> str:
    if not isinstance(node, yaml.ScalarNode):
        mark = node.start_mark
        raise _Reject(
            make(
                doc.path,
                mark.line + 1,
                mark.column + 1,
                "RB010",
                "a mapping key must be a plain word, not a list or mapping",
            )
        )
    return str(node.value)


def _child(
    node: yaml.Node,
    path: JsonPath,
    key_node: yaml.Node | None,
    doc: Document,
    seen: set[int],
    depth: int,
) -> Any:
    mark = node.start_mark
    key_mark = key_node.start_mark if key_node is not None else mark
    raw = node.value if isinstance(node, yaml.ScalarNode) and node.tag != _STR else None
    doc.positions[path] = Pos(
        mark.line + 1, mark.column + 1, key_mark.line + 1, key_mark.column + 1, raw, node.tag
    )
    return _construct(node, path, doc, seen, depth + 1)


def _scalar(node: yaml.Node) -> Any:
    if node.tag in (_STR, _TIMESTAMP):
        return node.value
    constructor = _CONSTRUCTOR.yaml_constructors.get(node.tag)
    if constructor is None:  # e.g. the merge key '<<': keep the text, the schema rejects it
        return node.value
    return constructor(_CONSTRUCTOR, node)


def iter_yaml_files(paths: list[Path]) -> Iterator[Path]:
    """Every .yaml/.yml file under *paths*, sorted, hidden directories skipped."""
    for path in paths:
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
            yield from sorted(
                p
                for p in found
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield path
