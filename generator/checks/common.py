"""What the checks share: where a finding is, and the commands of a runbook."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path

from generator.core.loader import JsonPath
from generator.core.model import (
    FILE_NAMES,
    NOT_IN_FILE,
    Runbook,
    Source,
)
from generator.core.references import all_steps
from generator.diagnostics import Diagnostic, make

# A diagnostic, and the secret it reports ("" for other checks), for the allow-list to judge.
Finding = tuple[Diagnostic, str]


def at(source: Source, code: str, message: str) -> Diagnostic:
    return make(source.path, source.line, source.col, code, message)


class SourceLines:
    """Lines of source files, read once per run, to point at the exact place of a finding."""

    # Line breaks as the loader counts them, so positions agree with every other stage.
    BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = {}

    def locate(self, start: Source, needle: str) -> Source:
        """Where *needle* is first written at or after *start*; *start* when it is not there as is
        (escaped in a quoted string, split by folding)."""
        lines = self._read(start.path)
        for number in range(start.line, len(lines) + 1):
            offset = start.col - 1 if number == start.line else 0
            col = lines[number - 1].find(needle, offset)
            if col >= 0:
                return Source(start.path, number, col + 1)
        return start

    def _read(self, path: str) -> list[str]:
        if path not in self.lines:
            try:
                text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                text = ""
            self.lines[path] = self.BREAK.split(text)
        return self.lines[path]


def commands(runbook: Runbook) -> Iterator[tuple[str, JsonPath, str]]:
    """Every command of the runbook: its text, where it is, its language ("" for a decision
    table's, inline code that the page fills as a shell command)."""
    for step in all_steps(runbook):
        for i, command in enumerate(step.commands):
            yield command.run, (*step.path, "commands", i, "run"), command.language
    for i, table in enumerate(runbook.decision_tables):
        for j, row in enumerate(table.rows):
            if row.command:
                yield row.command, ("decision_tables", i, "rows", j, "command"), ""


# A string of the file: the path of its parent, its key or index there, its value.
String = tuple[JsonPath, str | int, str]


def strings(value: object) -> list[String]:
    """Every non-empty string in a model object, with the path of the value it came from (the
    secret scan reads them all, the link check those with a link)."""
    found: list[String] = []
    collect(value, (), found)
    return found


def collect(value: object, path: JsonPath, found: list[String]) -> None:
    """Add the strings under *value* (a tuple, dict or model object) to *found*.

    The walk is hot: a string is added where it is met, and a tuple of strings without a call.
    """
    if not isinstance(value, tuple | dict):
        _collect_fields(value, path, found)
        return
    children: Iterable[tuple[str | int, object]]
    children = enumerate(value) if isinstance(value, tuple) else value.items()
    for key, item in children:
        if isinstance(item, str):
            if item:
                found.append((path, key, item))
        elif item and not isinstance(item, (bool, int, float)):  # None, (), {}: no string
            collect(item, (*path, key), found)


def _collect_fields(value: object, path: JsonPath, found: list[String]) -> None:
    for attribute, name, texts in _file_fields(type(value)):
        item = getattr(value, attribute)
        if not item:
            continue
        if isinstance(item, str):
            found.append((path, name, item))
        elif texts:
            inner = (*path, name)
            found.extend((inner, i, text) for i, text in enumerate(item) if text)
        elif not isinstance(item, (bool, int, float)):
            collect(item, (*path, name), found)


# Model classes: (attribute, name in the file, holds a tuple of strings) of each field that
# comes from the file and may hold strings.
_FIELDS: dict[type, tuple[tuple[str, str, bool], ...]] = {}
# Field types that hold no string of the file: a position, a flag.
_NO_STRINGS = frozenset({"Source", "bool"})


def _file_fields(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """The fields of a model class that come from the file and may hold strings: attribute,
    name in the file, and whether it holds a tuple of strings (dataclasses.fields() is slow,
    and called for every object)."""
    if cls not in _FIELDS:
        is_model = is_dataclass(cls) and cls is not Source
        _FIELDS[cls] = tuple(
            (f.name, FILE_NAMES.get((cls, f.name), f.name), str(f.type) == "tuple[str, ...]")
            for f in (fields(cls) if is_model else ())
            if f.name not in NOT_IN_FILE and str(f.type) not in _NO_STRINGS
        )
    return _FIELDS[cls]
