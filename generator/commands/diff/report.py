"""The diff report as a reviewer reads it (Markdown, for a pull-request comment) or a script does
(JSON). Every user value reaches the Markdown through the escaping filters of `diff.md.j2`."""

from __future__ import annotations

import dataclasses
import json
import re

from generator.commands.diff.compare import Report
from generator.render.markdown import environment

# The first line of the Markdown report, so a CI job can find and update its previous comment.
MARKER = "<!-- runbookgen diff -->"
_STATUS_ORDER = ("added", "removed", "moved", "renamed", "changed")


def _counts(statuses: list[str]) -> str:
    counts = ((statuses.count(s), s) for s in _STATUS_ORDER)
    return ", ".join(f"{n} {status}" for n, status in counts if n)


def summary(report: Report) -> str:
    """'runbooks: 1 added, 2 changed · shared definitions: 1 changed' (no user text)."""
    parts = [
        f"{what}: {_counts([d.status for d in diffs])}"
        for what, diffs in (("runbooks", report.runbooks), ("shared definitions", report.shared))
        if diffs
    ]
    return " · ".join(parts)


def to_markdown(report: Report) -> str:
    """The report as Markdown for a pull-request comment."""
    template = environment().get_template("diff.md.j2")
    text = template.render(report=report, summary=summary(report), marker=MARKER)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def to_json(report: Report) -> str:
    """The report as JSON, for scripts."""
    data = dataclasses.asdict(report)
    # `code` only tells the Markdown how to show a value.
    for item in (*data["runbooks"], *data["shared"]):
        for change in item["changes"]:
            del change["code"]
    return json.dumps({"changed": report.changed, **data}, indent=2, ensure_ascii=False) + "\n"
