"""Fill-in variables whose pattern lets shell metacharacters or spaces through, used in a shell
command (the page quotes such a value) or in other code (where it goes in as it is) (RB322).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.checks.common import at, commands
from generator.core.fill import SHELL_SPECIAL, admitted, kind_of
from generator.core.model import (
    Runbook,
    Source,
)
from generator.diagnostics import Diagnostic


def check_variables(runbook: Runbook) -> Iterator[Diagnostic]:
    """Variables whose pattern lets shell metacharacters or whitespace through, used in a
    shell command (the page quotes such a value) or in other code (where it goes as it is)."""
    for i, variable in enumerate(runbook.variables):
        special = admitted(variable.pattern, SHELL_SPECIAL) if variable.pattern else ""
        if not special:
            continue
        uses = _uses(runbook, variable.names)
        shown = ", ".join(f"'{c}'" for c in special[:6])
        shown += f" and {len(special) - 6} more" if len(special) > 6 else ""
        for kind, language, used in uses:
            where = f"line {used.line}"
            if kind == "shell":
                what = f"a shell command ({where}): the page quotes such a value where a shell would read them"
            else:
                what = (
                    f"a {language} command ({where}): there it goes in as it is (a quote, backtick"
                    " or backslash refused)"
                )
            message = f"variable {variable.name!r} may hold {shown} (its pattern lets them through) and is used in {what}: narrow the pattern unless values need them"
            yield at(runbook.at("variables", i, "pattern"), "RB322", message)


def _uses(runbook: Runbook, names: tuple[str, ...]) -> list[tuple[str, str, Source]]:
    """Where a variable (by any of its *names*) is used in a command: the first shell command,
    and the first command of other code (kind, language, where)."""
    spellings = [s for n in names for s in (f"<{n}>", "{{" + n + "}}", "{{ " + n + " }}")]
    spellings += ["${" + n + "}" for n in names if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n)]
    alternatives = "|".join(re.escape(n) for n in names)
    dollar = re.compile(rf"\$(?:{alternatives})(?![A-Za-z0-9_])")
    found: dict[str, tuple[str, str, Source]] = {}
    for text, path, language in commands(runbook):
        kind = kind_of(language)
        used = any(s in text for s in spellings) or bool(dollar.search(text))
        if used and kind != "prose" and kind not in found:
            found[kind] = (kind, language, runbook.at(*path))
    return list(found.values())
