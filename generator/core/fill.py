"""What the checks need to know of fill-in values: the page's rule is in assets/fill.js.

The page decides, for every value typed into its form or given by a link, whether it may fill
a placeholder and how it is written into a command (fill.js, the one place of that rule). Here
is what `check` reads of the same rule, to tell authors before a reader meets it: which
languages are shell (a test holds the list equal to fill.js's), what a variable accepts, and
which characters a variable's pattern lets through.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from generator.core.model import Variable
from generator.core.validate import default_variable_pattern

# The languages fill.js writes a value into as a shell command (single-quoted where needed),
# and those it writes it into as it is, as text to send ("" is a command with no language).
SHELL_LANGUAGES = frozenset({"bash", "sh", "console", "shell", "zsh", ""})
PROSE_LANGUAGES = frozenset({"text", "markdown", "md", "plaintext"})
# Characters a shell gives a meaning (or that split words), beyond the default pattern's (and
# besides tabs and line breaks, which the page refuses in any value).
SHELL_SPECIAL = " ;&|<>()$`\\\"'*?[]#~!{}^"


def kind_of(language: str) -> str:
    """How fill.js writes a value into a command in *language*: shell, prose or code."""
    language = language.lower()
    if language in SHELL_LANGUAGES:
        return "shell"
    return "prose" if language in PROSE_LANGUAGES else "code"


def pattern_of(variable: Variable) -> str:
    """The pattern a value of *variable* must match (its own, or the default)."""
    return variable.pattern or default_variable_pattern()


@cache
def compiled(pattern: str) -> re.Pattern[str] | None:
    """*pattern* (JavaScript syntax, as the page reads it) as Python reads it, or None when
    Python cannot read it."""
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None


def accepts(variable: Variable, value: str) -> bool:
    """Whether the page lets *value* fill *variable* (its values, or its pattern as a whole)."""
    if variable.values:
        return value in variable.values
    regexp = compiled(pattern_of(variable))
    return regexp is not None and regexp.fullmatch(value) is not None


def admitted(pattern: str, characters: str) -> str:
    """Those of *characters* that some value matching *pattern* may hold (all of them when
    Python cannot read the pattern): what reading its character sets tells, without trying
    values."""
    try:
        tree = re._parser.parse(pattern)  # type: ignore[attr-defined]
    except (re.error, RecursionError, OverflowError):
        return characters
    atoms: list[tuple[Any, Any]] = []
    _atoms(list(tree), atoms)
    return "".join(c for c in characters if any(_admits(op, av, c) for op, av in atoms))


def _atoms(items: list[tuple[Any, Any]], out: list[tuple[Any, Any]]) -> None:
    """The parts of a parsed pattern that match one character, wherever they are."""
    c = re._constants  # type: ignore[attr-defined]
    for op, av in items:
        if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN, c.CATEGORY):
            out.append((op, av))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            _atoms(list(av[2]), out)
        elif op is c.SUBPATTERN:
            _atoms(list(av[-1]), out)
        elif op is c.ATOMIC_GROUP:
            _atoms(list(av), out)
        elif op is c.BRANCH:
            for branch in av[1]:
                _atoms(list(branch), out)
        elif op is c.GROUPREF_EXISTS:
            _atoms(list(av[1]), out)
            if av[2] is not None:
                _atoms(list(av[2]), out)
        elif op is c.GROUPREF:
            out.append((c.ANY, None))  # what a group matched: anything it may
        # AT (anchors) and lookarounds match no character of the value


def _admits(op: Any, av: Any, char: str) -> bool:
    c = re._constants  # type: ignore[attr-defined]
    if op is c.LITERAL:
        return bool(chr(av) == char)
    if op is c.NOT_LITERAL:
        return bool(chr(av) != char)
    if op is c.ANY:
        return char != "\n"
    if op is c.CATEGORY:
        return _category(av, char)
    negate = any(o is c.NEGATE for o, _ in av)
    inside = any(_in_set(o, a, char) for o, a in av if o is not c.NEGATE)
    return inside != negate


def _in_set(op: Any, av: Any, char: str) -> bool:
    c = re._constants  # type: ignore[attr-defined]
    if op is c.RANGE:
        return bool(av[0] <= ord(char) <= av[1])
    if op is c.CATEGORY:
        return _category(av, char)
    return _admits(op, av, char)


def _category(category: Any, char: str) -> bool:
    c = re._constants  # type: ignore[attr-defined]
    tests = {
        c.CATEGORY_DIGIT: char.isdecimal(),
        c.CATEGORY_SPACE: char.isspace(),
        c.CATEGORY_WORD: char.isalnum() or char == "_",
    }
    for positive, negative in (
        (c.CATEGORY_DIGIT, c.CATEGORY_NOT_DIGIT),
        (c.CATEGORY_SPACE, c.CATEGORY_NOT_SPACE),
        (c.CATEGORY_WORD, c.CATEGORY_NOT_WORD),
    ):
        if category is negative:
            return not tests[positive]
    return bool(tests.get(category, True))
