"""What a runbook page is made of, for every writer and reader of it: its anchors and the
texts of its headings. The Markdown and HTML pages (`markdown`, `html`), search and diff read
them from here, so a heading or anchor is defined once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.core.loader import JsonPath
from generator.core.model import Runbook, Step
from generator.core.references import all_steps
from generator.render.escape import slug


@dataclass(frozen=True)
class Section:
    """A fixed section of a runbook page: its anchor and its heading."""

    anchor: str
    heading: str


# The fixed sections of a runbook page, as both page templates write them (`sections.x`).
SECTIONS = {
    "severity": Section("rb-severity", "Severity levels"),
    "escalation": Section("rb-escalation", "Escalation"),
    "flow": Section("rb-flow", "Incident flow"),
    "procedures": Section("rb-procedures", "Procedures"),
    "templates": Section("rb-templates", "Templates"),
    "links": Section("rb-links", "Related"),
    "history": Section("rb-history", "History"),
}
FIXED_ANCHORS = tuple(section.anchor for section in SECTIONS.values())


def step_anchors(runbook: Runbook) -> dict[JsonPath, str]:
    """The anchor of every step with a heading (a title or a `when`), by the step's path.

    Derived from the heading's text, as a reader would guess it; made unique on the page by a
    number, never by reusing an id the page already has.
    """
    taken = {slug(i) for i in _explicit_ids(runbook)}
    anchors: dict[JsonPath, str] = {}
    for step in all_steps(runbook):  # page order
        if not (step.when or step.title):
            continue
        # Letters, digits and single dashes: `_` could pair up into emphasis in `{ #anchor }`.
        base = re.sub(r"[^a-z0-9]+", "-", slug(heading_text(step))).strip("-") or "step"
        anchor, n = base, 1
        while anchor in taken:
            n += 1
            anchor = f"{base}-{n}"
        taken.add(anchor)
        anchors[step.path] = anchor
    return anchors


def heading_text(step: Step) -> str:
    """The text of a headed step's heading: its title, or "If <when>:"."""
    return f"If {step.when}:" if step.when else step.title


def _explicit_ids(runbook: Runbook) -> Iterator[str]:
    yield runbook.id
    yield from FIXED_ANCHORS
    yield from (p.id for p in runbook.phases)
    yield from (p.id for p in runbook.procedures)
    yield from (t.id for t in runbook.decision_tables)
    yield from (t.id for t in runbook.templates)


def list_breaks(runbook: Runbook) -> frozenset[tuple[JsonPath, str]]:
    """The lists of the runbook's steps (by step path, and "items" or "checklist") that come
    right after another list on the page, with nothing between them: each is kept a list of
    its own (a Markdown reader would join the two, and renumber an ordered one into the
    next step's items), by a comment between them on both pages."""
    breaks: set[tuple[JsonPath, str]] = set()
    regions = [p.steps for p in runbook.phases]
    regions += [steps for p in runbook.procedures for steps in (p.diagnosis, p.resolution)]
    for steps in regions:
        after_list = False
        for block in (b for s in steps for b in _blocks(s, runbook)):
            if block is not None and after_list:
                breaks.add(block)
            after_list = block is not None
    return frozenset(breaks)


def _blocks(step: Step, runbook: Runbook) -> Iterator[tuple[JsonPath, str] | None]:
    """The blocks a step writes, in order: each list as (step path, kind), None for any other
    block (the page templates write them in this order)."""
    if step.when or step.title or step.time_budget or step.text:
        yield None
    if step.items:
        yield step.path, "items"
    if step.checklist:
        yield step.path, "checklist"
    template = step.template and runbook.template(step.template)
    if step.table or step.commands or template or step.see or step.note:
        yield None
    for sub in step.steps:
        yield from _blocks(sub, runbook)
