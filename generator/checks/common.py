"""What the checks share: where a finding is, and the commands of a runbook."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from generator.core.loader import JsonPath
from generator.core.model import (
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
