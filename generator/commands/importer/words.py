"""What the readers of a Markdown runbook's shapes (convert, people, severity, tables) share:
a heading's or a label's plain words, ids made of them, the `**Label:** value` line, and the
format's own id pattern (read from the schema, not written again)."""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.core.validate import load_schema

Text = Callable[[str], str]
"""A piece of inline Markdown as the format's text (the converter's links made right)."""

LOCAL_ID = re.compile(load_schema()["$defs"]["localId"]["pattern"])
"""An id within a runbook, as the schema says it (a severity level's, a flow node's)."""

LABEL_LINE = re.compile(r"\*\*([^*\n]{1,60}?):?\*\*:?[ \t]*(.*)")
"""`**Impact:** text`: a label, then its value."""


def plain(text: str) -> str:
    """A heading's or label's words: emphasis and code marks, a trailing `{#anchor}` and colons
    taken off, blanks made one ("" when nothing is left)."""
    text = re.sub(r"\{#[^}]*\}\s*$", "", text)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split()).strip().rstrip(":").strip()


def slug(text: str, fallback: str = "part") -> str:
    """An id from a heading or a file name: lowercase letters, digits and single dashes."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return words[:60].strip("-") or fallback
