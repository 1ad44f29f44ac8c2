"""What `runbookgen import` left for a person to write (RB305): a value it could not know (why a
command is destructive, what a placeholder is, what a diagram shows) is written as `MARK ...`,
and each is reported until someone writes it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.checks.common import SourceLines, at, strings
from generator.core.model import Runbook
from generator.diagnostics import Diagnostic

MARK = "TODO (runbookgen import): "


def check_left_to_decide(
    runbook: Runbook, *, files: SourceLines | None = None, texts: Sequence[str] | None = None
) -> Iterator[Diagnostic]:
    """Each value that still holds the import's mark."""
    if texts is not None and not any(MARK in text for text in texts):
        return
    files = files or SourceLines()
    for parent, key, text in strings(runbook):
        if MARK in text:
            wanted = text.split(MARK, 1)[1].strip()
            where = files.locate(runbook.at(*parent, key), MARK.strip())
            message = f"left by the import for a person: {wanted}; then remove the mark"
            yield at(where, "RB305", message)
