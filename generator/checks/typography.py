"""Typography: a command holding a curly quote, a dash, a no-break or invisible space where a
shell wants ASCII (word processors and chat tools put them there) copies as a command that
fails (RB321).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from generator.checks.common import SourceLines, at, commands
from generator.core.model import (
    Runbook,
)
from generator.diagnostics import Diagnostic

# What a shell wants instead of each typographic character ("" for an invisible one): it reads
# “x” as the text “x”, –n as no option, and a no-break space as part of a word.
_ASCII_FOR = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f", '"'),
    **dict.fromkeys("\u2010\u2011\u2013\u2014\u2212", "-"),
    **dict.fromkeys("\u00a0\u2007\u202f", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", ""),
    "\u2026": "...",
}
_TYPOGRAPHIC = re.compile(f"[{''.join(_ASCII_FOR)}]")


def check_typography(runbook: Runbook, *, files: SourceLines | None = None) -> Iterator[Diagnostic]:
    """Typographic characters in commands (and decision table command cells): for each ASCII
    character they stand in for, the first in a command, where it is written."""
    files = files or SourceLines()
    for text, path, _ in commands(runbook):
        first: dict[str, str] = {}
        for char in _TYPOGRAPHIC.findall(text):
            first.setdefault(_ASCII_FOR[char], char)
        for char in first.values():  # in the order they are written
            where = files.locate(runbook.at(*path), char)
            yield at(where, "RB321", _typographic(char))


def _typographic(char: str) -> str:
    name = f"U+{ord(char):04X} {unicodedata.name(char)}"
    ascii_char = _ASCII_FOR[char]
    if not ascii_char:
        return f"command holds an invisible {name}, which a shell keeps: delete it"
    if ascii_char == " ":
        return f"command holds a {name}, which a shell reads as part of a word: type a plain space"
    return f"command holds {char} ({name}) where a shell wants `{ascii_char}`: type `{ascii_char}`"
