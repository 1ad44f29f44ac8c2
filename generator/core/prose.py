"""What a text of a runbook may hold besides words: the safe subset of Markdown the page reads
in it (links, strong text, emphasis, `code`). The page writes it (`render.escape.inline`), the
checks check its links (`checks.urls`): both read the rule here.
"""

from __future__ import annotations

import re

# A link's label: words, `code` (brackets in it included) and line breaks (a text in a block
# scalar wraps), never a blank line. A backtick opens code only if another closes it on its line,
# as the page reads it; each character can start one kind of part only, so a label that never
# ends is given up on in one pass.
LABEL = r"(?:[^\[\]`\n]|`[^`\n]+`|`(?![^`\n]+`)|\n(?![ \t]*\n))+"
# A link with a label and an address of its own: [label](https://example.com/x)
LINK = re.compile(rf"\[({LABEL})\]\(([^()\s<>\"'`]+)\)")
# The addresses a link in text may go to: the web, mail, a phone, a part of the page by its id.
# Any other is shown as written.
LINK_TARGET = re.compile(
    r"(?:https?://[^/?#\s]+|mailto:[^\s@]+@|tel:\+?[0-9]|#[A-Za-z0-9][A-Za-z0-9_-]*\Z)", re.I
)
STRONG = re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])")
EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"
    r"|(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"
)


# What the author meant as such a link, well written or not: what the checks look at.
LINK_MEANT = re.compile(rf"\[{LABEL}\]\(((?:https?|mailto|tel):[^)\n]*)\)", re.I)


# A reference to a footnote of the runbook: [^1], [^vendor-docs]
FOOTNOTE = re.compile(r"\[\^([A-Za-z0-9][A-Za-z0-9_-]*)\]")


def footnotes(text: str) -> list[str]:
    """The ids of the footnotes *text* refers to."""
    return FOOTNOTE.findall(text) if "[^" in text else []


# A link in text to a part of the page: [restart the pods](#restart-pods)
FRAGMENT = re.compile(rf"\[{LABEL}\]\(#([^()\s<>\"'`]*)\)")


def fragments(text: str) -> list[str]:
    """The ids that the links of *text* to parts of its page name."""
    return [m[1] for m in FRAGMENT.finditer(text)] if "](#" in text else []


def links(text: str) -> list[str]:
    """The addresses of the links *text* means to the web, mail or a phone (a link the page
    cannot make is shown as text: its address is worth a check)."""
    return [m[1] for m in LINK_MEANT.finditer(text)] if "](" in text else []
