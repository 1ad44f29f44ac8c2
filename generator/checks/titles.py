"""Two runbooks with one title (RB306): search results, the symptom index and the navigation
show titles, and two alike ("Incident Response Runbook") cannot be told apart there.

The check needs every runbook, but `check` keeps what each file's checks found with the file
(`file_findings`, cached by content): each runbook's title travels as a finding of its own
(`title_finding`), and `check_titles` judges them all together, as `run_checks` judges the
review dates by today.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from generator.checks.common import Finding, at
from generator.core.model import Runbook
from generator.diagnostics import Diagnostic, make

CODE = "RB306"


def title_finding(runbook: Runbook) -> Finding:
    """The runbook's title, where it is written and its service: for `check_titles`."""
    said = json.dumps({"title": runbook.title, "service": runbook.service})
    return at(runbook.at("title"), CODE, said), ""


def is_title(found: Diagnostic) -> bool:
    """Whether *found* is a title to judge (`title_finding`), not a problem yet."""
    return found.code == CODE


def check_titles(titles: Iterable[Diagnostic]) -> Iterator[Diagnostic]:
    """A warning at each title another runbook has too (whatever their case and spaces)."""
    by_title: dict[str, list[tuple[Diagnostic, str, str]]] = {}
    for found in titles:
        said = json.loads(found.message)
        name = " ".join(said["title"].casefold().split())
        by_title.setdefault(name, []).append((found, said["title"], said["service"]))
    for same in by_title.values():
        for found, title, service in same:
            others = ", ".join(sorted(o.path for o, _, _ in same if o is not found))
            if others:
                message = (
                    f"title {title!r} is also {others}'s: name the service in it"
                    f' ("{title} ({service})") so search results and indexes tell them apart'
                )
                yield make(found.path, found.line, found.col, CODE, message)
