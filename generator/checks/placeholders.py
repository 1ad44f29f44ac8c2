"""Placeholders: `<name>`, `{{NAME}}`, `$NAME` and `${NAME}` in commands must be declared under `variables:`
(RB320).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator

from generator.checks.common import SourceLines, at, commands
from generator.core.model import (
    Runbook,
)
from generator.diagnostics import Diagnostic

_ANGLE = re.compile(r"<([A-Za-z][A-Za-z0-9_-]*)>")
# $NAME or ${NAME}, upper case only: lower case is the shell's own ($service of a for loop).
# ${NAME:-default} has a default, so it is no placeholder.
# The `$` first, then "not escaped": a pattern that starts with a character is searched for
# that character first, five times faster than trying the lookbehind everywhere.
_DOLLAR = re.compile(r"\$(?<!\\\$)(?:\{([A-Z][A-Z0-9_]*)\}|([A-Z][A-Z0-9_]*)(?![A-Za-z0-9_]))")
# {{NAME}} or {{ NAME }}, upper case only: {{ .Values.x }}, {{ $labels.pod }} or a lower-case
# name are a template's own (Helm, Go, Jinja) and left to it.
_BRACES = re.compile(r"\{\{ ?([A-Z][A-Z0-9_]*) ?\}\}")
_ASSIGNED = re.compile(
    r"(?<![\w$.-])([A-Za-z_]\w*)\+?="  # NAME=value, export NAME=value
    r"|\bfor\s+([A-Za-z_]\w*)\s+in\b"  # for NAME in ...
    r"|\bread\s+(?:-[a-z]+\s+)*([A-Za-z_]\w*(?:[ \t]+[A-Za-z_]\w*)*)"  # read -r NAME OTHER
)
# Set by the shell or the login, never by the reader of a runbook.
_SHELL_VARIABLES = frozenset(
    {
        *("HOME", "PATH", "PWD", "OLDPWD", "USER", "LOGNAME", "SHELL", "HOSTNAME", "TMPDIR"),
        *("IFS", "RANDOM", "SECONDS", "LINENO", "UID", "EUID", "PPID", "LANG", "TERM"),
    }
)


def check_placeholders(
    runbook: Runbook, *, files: SourceLines | None = None
) -> Iterator[Diagnostic]:
    """Placeholders used in commands (and decision table command cells) but never declared."""
    files = files or SourceLines()
    declared = {name for v in runbook.variables for name in v.names}
    for text, path, _ in commands(runbook):
        for shown, name in undeclared(text, declared):
            where = files.locate(runbook.at(*path), shown)
            message = f"placeholder {shown} is not declared{_hint(name, declared)}: add `{name}` under `variables:` with a description and an example"
            yield at(where, "RB320", message)


def undeclared(text: str, declared: set[str]) -> Iterator[tuple[str, str]]:
    """(as written, name) of each undeclared placeholder of a command, once each."""
    found: dict[str, str] = {}
    for match in _ANGLE.finditer(text):
        found.setdefault(match[1], match[0])
    if "{{" in text:
        for match in _BRACES.finditer(text):
            found.setdefault(match[1], match[0])
    for match in _DOLLAR.finditer(text):
        found.setdefault(match[1] or match[2], match[0])
    undeclared = {name: shown for name, shown in found.items() if name not in declared}
    if any(shown.startswith("$") for shown in undeclared.values()):  # rare: parse the shell then
        shell = _assigned(text) | _SHELL_VARIABLES
        undeclared = {n: s for n, s in undeclared.items() if s.startswith("<") or n not in shell}
    yield from ((shown, name) for name, shown in undeclared.items())


def _assigned(text: str) -> set[str]:
    names: set[str] = set()
    for match in _ASSIGNED.finditer(text):
        names.update((match[1] or match[2] or match[3]).split())
    return names


def _hint(name: str, declared: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(declared), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
