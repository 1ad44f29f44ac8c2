"""What a runbook page is made of, for every writer and reader of it: its blocks, in order
(`runbook_blocks`), its anchors and the texts of its headings. The Markdown and HTML writers
(`to_markdown`, `to_html`) only serialise the blocks; search reads the anchors from here, so a
heading or anchor is defined once.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.core.loader import JsonPath
from generator.core.model import (
    Alert,
    Callout,
    Check,
    Command,
    Contact,
    DecisionTable,
    EscalationStep,
    Flow,
    Image,
    Level,
    Phase,
    Procedure,
    Runbook,
    SeverityScheme,
    Step,
)
from generator.core.model import Item as ModelItem
from generator.core.model import Link as ModelLink
from generator.core.model import Template as ModelTemplate
from generator.core.references import all_steps, images
from generator.render.blocks import (
    Admonition,
    Anchor,
    Block,
    Code,
    CodeBlock,
    Div,
    Em,
    Heading,
    Img,
    Inline,
    Inlines,
    Item,
    Link,
    List,
    Paragraph,
    Raw,
    Strong,
    Table,
    Target,
)
from generator.render.escape import code_inline, entities, script_json, slug
from generator.render.escape import inline_cached as inline
from generator.render.incident import incident_data
from generator.render.services import AlertRow, Chain, Service, SymptomRow


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
    "footnotes": Section("rb-footnotes", "Notes"),
    "history": Section("rb-history", "History"),
}
FIXED_ANCHORS = tuple(section.anchor for section in SECTIONS.values())


def step_anchors(runbook: Runbook) -> dict[JsonPath, str]:
    """The anchor of every step with a heading (a title or a `when`), by the step's path.

    A step's own `id`, or derived from the heading's text, as a reader would guess it; made
    unique on the page by a number, never by reusing an id the page already has.
    """
    taken = {slug(i) for i in _explicit_ids(runbook)}
    anchors: dict[JsonPath, str] = {}
    for step in all_steps(runbook):  # page order
        if not (step.when or step.title):
            continue
        if step.id:  # its own, unique among the page's ids (check says so)
            anchors[step.path] = slug(step.id)
            continue
        # Letters, digits and single dashes: `_` could pair up into emphasis in `{ #anchor }`.
        # A step with a title is named by it, whatever its condition.
        named = step.title or heading_text(step)
        base = re.sub(r"[^a-z0-9]+", "-", slug(named)).strip("-") or "step"
        anchor, n = base, 1
        while anchor in taken:
            n += 1
            anchor = f"{base}-{n}"
        taken.add(anchor)
        anchors[step.path] = anchor
    return anchors


def heading_text(step: Step) -> str:
    """The text of a headed step's heading: its title, "If <when>:", or both."""
    if step.when and step.title:
        return f"If {step.when}: {step.title}"
    return f"If {step.when}:" if step.when else step.title


def _explicit_ids(runbook: Runbook) -> Iterator[str]:
    yield runbook.id
    yield from FIXED_ANCHORS
    yield from (p.id for p in runbook.phases)
    yield from (p.id for p in runbook.procedures)
    yield from (t.id for t in runbook.decision_tables)
    yield from (t.id for t in runbook.templates)
    yield from (x.id for x in runbook.sections)
    yield from (x.id for x in runbook.diagrams)
    yield from (s.id for s in all_steps(runbook) if s.id)


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


# ---- A runbook page as blocks ----------------------------------------------------------------


def runbook_blocks(context: Mapping[str, Any]) -> tuple[Block, ...]:
    """The blocks of a runbook's page, in order, from its context (`markdown.page_context`)."""
    page = _RunbookPage(context)
    return tuple(page.blocks())


def heading(level: int, text: str, anchor: str, *, prefix: str = "", budget: str = "") -> Heading:
    """A heading of user *text* (escaped here), with our own *prefix* and a time *budget*."""
    extra = f" ({inline(budget)})" if budget else ""
    return Heading(level, (f"{prefix}{inline(text)}{extra}",), slug(anchor))


def severity_table(scheme: SeverityScheme) -> list[Block]:
    """A severity scheme's title, description and levels."""
    blocks: list[Block] = []
    if scheme.title:
        blocks.append(Paragraph((Strong(inline(scheme.title)),)))
    if scheme.description:
        blocks.append(Paragraph((inline(scheme.description),)))
    rows = tuple(_level_row(level) for level in scheme.levels)
    head = ("Level", "Impact", "Response", "Escalation", "Updates", "Examples")
    blocks.append(Table(tuple((h,) for h in head), rows))
    return blocks


def _level_row(level: Level) -> tuple[Inlines, ...]:
    name = f" {inline(level.name)}" if level.name else ""
    label = f" ({inline(level.label)})" if level.label else ""
    return (
        (Strong(inline(level.id)), f"{name}{label}"),
        (inline(level.description),),
        ("<br>".join(_responses(level)),),
        (inline(level.escalation),),
        (inline(level.update_cadence),),
        ("<br>".join(inline(x) for x in level.examples),),
    )


def _responses(level: Level) -> list[str]:
    """A level's response time, then each of its responses."""
    within = [f"Respond: {inline(level.response_time)}"] if level.response_time else []
    return [*within, *(inline(x) for x in level.responses)]


def escalation_blocks(
    runbook: Runbook, contacts: Sequence[Contact], names: Mapping[str, str]
) -> list[Block]:
    """Who to reach for a runbook, and when to escalate."""
    blocks: list[Block] = [contacts_table(contacts)] if contacts else []
    return blocks + steps_blocks(runbook.escalation, names)


def contacts_table(contacts: Sequence[Contact], anchors: Sequence[str] = ()) -> Table:
    """Role, tier, how to reach and notes of each contact (each role with its anchor, if given)."""
    head = (("Role",), ("Tier",), ("How to reach",), ("Notes",))
    rows = tuple(_contact_row(c) for c in contacts)
    if anchors:
        rows = tuple(
            ((Anchor(anchor, inline(c.role)),), *row[1:])
            for anchor, c, row in zip(anchors, contacts, rows, strict=True)
        )
    return Table(head, rows)


def steps_blocks(steps: Sequence[EscalationStep], names: Mapping[str, str]) -> list[Block]:
    """When to escalate, and to whom: a table of the steps, under what starts them."""
    if not steps:
        return []
    timed = any(e.after for e in steps)
    columns = {
        "After": [inline(e.after) for e in steps],
        "Condition": [inline(e.condition) for e in steps],
        "Action": [inline(e.action) for e in steps],
        "Contact": [inline(names.get(e.contact, e.contact)) for e in steps],
    }
    # A column no step fills (no time, no condition, no contact) is left out.
    used = {k: v for k, v in columns.items() if k == "Action" or any(v)}
    titles = tuple((title,) for title in used)
    rows = tuple(tuple((cells[i],) for cells in used.values()) for i in range(len(steps)))
    return [
        Paragraph((Strong("If there is no progress:" if timed else "Escalate:"),)),
        Table(titles, rows),
    ]


def _contact_row(contact: Contact) -> tuple[Inlines, ...]:
    reach = "<br>".join(f"{inline(ch.type)}: {inline(ch.value)}" for ch in contact.channels)
    return ((inline(contact.role),), (inline(contact.tier),), (reach,), (inline(contact.notes),))


class _RunbookPage:
    """The blocks of one runbook's page (see `runbook_blocks`)."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.context = context
        self.runbook: Runbook = context["runbook"]
        self.anchors: Mapping[JsonPath, str] = context["step_anchors"]
        self.breaks: frozenset[tuple[JsonPath, str]] = context["list_breaks"]

    def blocks(self) -> Iterator[Block]:
        """First what an engineer arriving from an alert acts on: where to go for what they
        see, the procedures, the phases; then the reference parts (severity, escalation), which
        the top of the page links to."""
        yield from self.top()
        yield from self.procedures()
        if self.runbook.flow:
            yield from self.flow(self.runbook.flow)
        for number, phase in enumerate(self.runbook.phases, start=1):
            yield from self.phase(number, phase)
        yield from self.loose_templates()
        yield from self.extra_sections()
        yield from self.reference()
        yield from self.links()
        yield from self.notes_and_history()

    def top(self) -> Iterator[Block]:
        """The title, who owns the runbook, its summary and alerts; where to go for what you
        see; the variables, folded when there are many; the incident script's data."""
        runbook, context = self.runbook, self.context
        yield heading(1, runbook.title, runbook.id)
        yield from self.trust()
        if runbook.summary:
            yield Paragraph((inline(runbook.summary),))
        if runbook.alerts:
            yield _alerts(runbook.alerts)
        goto = tuple(self.goto())
        if goto:
            yield Div("rb-goto", goto)
        if runbook.variables:
            yield Raw(context["variables_form"])
        yield Raw(f'<script type="application/json" id="rb-incident">{self.incident()}</script>\n')

    def goto(self) -> Iterator[Block]:
        """ "I see X: go here", a line a procedure; then a line of links to the phases and one
        to the reference parts further down."""
        runbook = self.runbook
        if runbook.procedures:
            yield Paragraph((Strong("If you see:"),), css="rb-goto-title")
            yield List(tuple(_goto_item(p) for p in runbook.procedures))
        if runbook.phases:
            phases: list[Inline] = [Strong("Phases:"), " "]
            for number, phase in enumerate(runbook.phases, start=1):
                phases += [" · "] if number > 1 else []
                text = f"{phase_prefix(number, phase.title)}{inline(phase.title)}"
                phases.append(Link(Target("anchor", slug(phase.id)), text))
            yield Paragraph(tuple(phases), css="rb-jump")
        parts = [
            Link(Target("anchor", SECTIONS[name].anchor), SECTIONS[name].heading)
            for name in self.reference_parts()
        ]
        if parts:
            refs: list[Inline] = [Strong("Reference:"), " "]
            for i, part in enumerate(parts):
                refs += [" · "] if i else []
                refs.append(part)
            yield Paragraph(tuple(refs), css="rb-jump")

    def reference_parts(self) -> list[str]:
        """The fixed sections below the procedures and phases the page has, in its order."""
        runbook, context = self.runbook, self.context
        used = context["used_templates"]
        has = {
            "templates": any(t.id not in used for t in runbook.templates),
            "severity": bool(context["scheme"]),
            "escalation": bool(context["contacts"] or runbook.escalation),
            "links": bool(runbook.links),
        }
        return [name for name, present in has.items() if present]

    def incident(self) -> str:
        """The incident script's data (`incident.incident_data`), as JSON for a script block."""
        runbook = self.runbook
        steps = [
            (anchor, _plain(heading_text(step)))
            for step in all_steps(runbook)
            if (anchor := self.anchors.get(step.path))
        ]
        phases = [
            (slug(p.id), f"{phase_prefix(n, p.title)}{_plain(p.title)}")
            for n, p in enumerate(runbook.phases, start=1)
        ]
        data = incident_data(
            runbook, self.context["scheme"], self.context["contacts"], steps, phases
        )
        return script_json(data)

    def procedures(self) -> Iterator[Block]:
        """The procedures, then the quick checks no phase holds (triage by symptom too)."""
        if self.runbook.procedures:
            yield self.section("procedures")
            for procedure in self.runbook.procedures:
                yield from self.procedure(procedure)
        for table in self.runbook.decision_tables:
            if not table.phase:
                yield heading(2, table.title or "Quick checks", table.id)
                yield self.decision_table(table)

    def extra_sections(self) -> Iterator[Block]:
        """The runbook's own sections and diagrams."""
        for section in self.runbook.sections:
            yield heading(2, section.title, section.id)
            yield from _paragraphs(section.text)
            yield from self.images(section.images)
        for diagram in self.runbook.diagrams:
            yield heading(2, diagram.title, diagram.id)
            yield Paragraph((inline(diagram.description),), css="rb-diagram-text")
            # Blank lines around the source, spaces ending a line and tabs mean nothing to
            # Mermaid (a mindmap reads indents relative to each other); Markdown would keep
            # some of them and expand the tabs.
            lines = diagram.mermaid.expandtabs(4).split("\n")
            source = "\n".join(line.rstrip(" ") for line in lines).strip("\n")
            yield CodeBlock(source, diagram=True)

    def reference(self) -> Iterator[Block]:
        """Severity levels and escalation: looked up, a click from the top."""
        runbook, context = self.runbook, self.context
        if context["scheme"]:
            yield self.section("severity")
            levels = severity_table(context["scheme"])
            yield Div("rb-severity", tuple(levels), search_exclude=True)
        if context["contacts"] or runbook.escalation:
            yield self.section("escalation")
            yield from escalation_blocks(runbook, context["contacts"], context["contact_names"])

    def notes_and_history(self) -> Iterator[Block]:
        runbook = self.runbook
        if runbook.footnotes:
            yield self.section("footnotes")
            for note in runbook.footnotes:
                mark = Anchor(f"fn-{note.id}", f"[{entities(note.id)}]")
                yield Paragraph((mark, " ", inline(note.text)), css="rb-footnote")
        if runbook.history:
            yield self.section("history")
            rows = tuple(
                ((inline(h.version),), (inline(h.date),), (inline(h.changes),))
                for h in runbook.history
            )
            yield Table((("Version",), ("Date",), ("Changes",)), rows)

    def section(self, name: str, title: str = "") -> Heading:
        found = SECTIONS[name]
        return heading(2, title or found.heading, found.anchor)

    def trust(self) -> Iterator[Block]:
        """The review banner, and who owns the runbook, when it was reviewed, its source."""
        runbook, context = self.runbook, self.context
        if context["review"].overdue:
            # One line, not a box: the top of the page is for what to do.
            due = (
                f" due on {runbook.next_review}. This runbook may be out of date: check with its"
                " owner."
            )
            yield Paragraph((Strong("Review overdue:"), due), css="rb-overdue")
        services = ", ".join(runbook.services) or "general"
        parts: list[Inline] = [Strong("Owner:"), f" {inline(context['owner_name'])} · "]
        parts += [Strong("Service:"), f" {services} · "]
        parts += [Strong("Last reviewed:"), f" {runbook.last_reviewed or 'never'}"]
        if runbook.next_review:
            parts += [" · ", Strong("Next review:"), f" {runbook.next_review}"]
        if runbook.version:
            parts += [" · ", Strong("Version:"), f" {inline(runbook.version)}"]
        parts += [" · ", Strong("Source:"), f" <code>{entities(context['source_path'])}</code>"]
        yield Div("rb-meta", (Paragraph(tuple(parts)),), tight=True)

    def flow(self, flow: Flow) -> Iterator[Block]:
        yield self.section("flow", flow.title)
        yield CodeBlock(self.context["flow_text"], diagram=True)
        linked = [n for n in flow.nodes if n.phase]
        if linked:
            parts: list[Inline] = ["Go to: "]
            for i, node in enumerate(linked):
                parts += [" · "] if i else []
                parts.append(Link(Target("anchor", slug(node.phase)), inline(node.label)))
            yield Paragraph(tuple(parts))

    def phase(self, number: int, phase: Phase) -> Iterator[Block]:
        prefix = phase_prefix(number, phase.title)
        yield heading(2, phase.title, phase.id, prefix=prefix, budget=phase.time_budget)
        if phase.role:
            yield Paragraph((Strong("Who:"), f" {inline(phase.role)}"))
        if phase.goal:
            yield Paragraph((inline(phase.goal),))
        yield from self.steps(phase.steps, 3)
        for table in self.runbook.tables_for(phase.id):
            if table.title:
                yield Paragraph((Strong(inline(table.title)),), anchor=slug(table.id))
            yield self.decision_table(table)

    def procedure(self, procedure: Procedure) -> Iterator[Block]:
        yield heading(3, procedure.title, procedure.id)
        if procedure.summary:
            yield Paragraph((inline(procedure.summary),))
        if procedure.impact:
            yield Paragraph((Strong("Impact:"), f" {inline(procedure.impact)}"))
        if procedure.severity:
            yield Paragraph((Strong("Usual severity:"), f" {inline(procedure.severity)}"))
        if procedure.alerts:
            yield _alerts(procedure.alerts)
        if procedure.symptoms:
            yield Paragraph((Strong("Symptoms:"),))
            yield List(tuple(Item((inline(s),)) for s in procedure.symptoms))
        if procedure.causes:
            yield Paragraph((Strong("Common causes:"),))
            yield List(tuple(Item((inline(c),)) for c in procedure.causes))
        if procedure.diagnosis:
            yield Paragraph((Strong("Diagnosis:"),))
            yield from self.steps(procedure.diagnosis, 4)
        if procedure.resolution:
            yield Paragraph((Strong("Resolution:"),))
            yield from self.steps(procedure.resolution, 4)
        if procedure.notes:
            yield Admonition("note", "", (Paragraph((inline(procedure.notes),)),))

    def images(self, images: Sequence[Image]) -> Iterator[Block]:
        for image in images:
            alt = " ".join(image.alt.split())  # plain text, on one line
            target = Target("page", image_path(self.runbook.id, image))
            yield Paragraph((Img(target, alt),), css="rb-figure")
            if image.caption:
                yield Paragraph((inline(image.caption),), css="rb-caption")

    def steps(self, steps: Sequence[Step], level: int) -> Iterator[Block]:
        for step in steps:
            yield from self.step(step, level)

    def step(self, step: Step, level: int) -> Iterator[Block]:
        anchor = self.anchors.get(step.path, "")
        budget = (Paragraph((Em(f"Time budget: {inline(step.time_budget)}"),)),)
        if step.when and step.title:
            condition = f"If {inline(step.when)}: "
            yield heading(level, step.title, anchor, prefix=condition, budget=step.time_budget)
        elif step.when:
            yield Heading(level, (f"If {inline(step.when)}:",), slug(anchor))
            yield from budget if step.time_budget else ()
        elif step.title:
            yield heading(level, step.title, anchor, budget=step.time_budget)
        elif step.time_budget:
            yield from budget
        if step.environments:
            only = ", ".join(inline(x) for x in step.environments)
            yield Paragraph((Strong("Only in:"), f" {only}"))
        if step.role:
            yield Paragraph((Strong("Who:"), f" {inline(step.role)}"))
        if step.text:
            yield Paragraph((inline(step.text),))
        yield from self.images(step.images)
        if step.items:
            apart = (step.path, "items") in self.breaks
            yield List(tuple(map(_item, step.items)), ordered=step.ordered, apart=apart)
        if step.checklist:
            items = tuple(map(_check, step.checklist))
            yield List(items, tasks=True, apart=(step.path, "checklist") in self.breaks)
        if step.table:
            head = tuple((inline(c),) for c in step.table.columns)
            rows = tuple(tuple((inline(c),) for c in row) for row in step.table.rows)
            yield Table(head, rows)
        for command in step.commands:
            yield from command_blocks(command)
        template = self.runbook.template(step.template) if step.template else None
        if template is not None:
            yield Paragraph((Strong(inline(template.title)),), anchor=slug(template.id))
            yield from template_blocks(template)
        if step.see:
            yield Paragraph(("See: ", *self.see(step.see)))
        if step.note:
            yield Admonition("note", "", (Paragraph((inline(step.note),)),))
        for callout in step.callouts:
            yield callout_block(callout)
        for sub in step.steps:
            yield from self.step(sub, min(level + 1, 6))

    def see(self, ids: Sequence[str]) -> Iterator[Inline]:
        for i, link_id in enumerate(ids):
            if i:
                yield "; "
            link = self.runbook.link(link_id)
            if link is not None:
                yield from link_to(link)

    def decision_table(self, table: DecisionTable) -> Table:
        columns = table.columns()
        see = any(row.see for row in table.rows)
        head = tuple((inline(h),) for _, h in columns) + ((("See",),) if see else ())
        rows = []
        for row in table.rows:
            cells: list[Inlines] = []
            for name, _ in columns:
                text = getattr(row, name)
                command = name == "command" and text
                cells.append((code_inline(text),) if command else (inline(text),))
            if see:
                link = self.runbook.link(row.see) if row.see else None
                cells.append(tuple(link_to(link)) if link else ("",))
            rows.append(tuple(cells))
        return Table(head, tuple(rows))

    def loose_templates(self) -> Iterator[Block]:
        used = self.context["used_templates"]
        loose = [t for t in self.runbook.templates if t.id not in used]
        if loose:
            yield self.section("templates")
        for template in loose:
            yield heading(3, template.title, template.id)
            yield from template_blocks(template)

    def links(self) -> Iterator[Block]:
        if not self.runbook.links:
            return
        yield self.section("links")
        by_group = sorted(self.runbook.links, key=lambda x: x.group)  # as Jinja's groupby
        for group, links in itertools.groupby(by_group, key=lambda x: x.group):
            if group:
                yield Paragraph((Strong(inline(group)),))
            yield List(tuple(Item(_described(link)) for link in links))


RUNBOOK_DIR = "runbooks"  # the docs folder of the runbooks' pages (and of their images)
SERVICE_DIR = "services"  # the docs folder of the services' pages


def service_path(service: str) -> str:
    """Where a service's page lives in the docs tree (a service is a slug)."""
    return f"{SERVICE_DIR}/{service}.md"


def image_files(runbook: Runbook) -> dict[str, str]:
    """The images the runbook's page shows: docs path → `src` (relative to its file)."""
    return {image_path(runbook.id, image): image.src for _, image in images(runbook)}


def image_path(runbook_id: str, image: Image) -> str:
    """Where the site keeps a runbook's image (docs path): in the runbook's folder, by a name
    no other image of it has (two `src` may end in the same file name)."""
    name = posixpath.normpath(image.src)
    digest = hashlib.sha256(name.encode()).hexdigest()[:10]
    return f"{RUNBOOK_DIR}/{runbook_id}/{digest}-{posixpath.basename(name)}"


def phase_prefix(number: int, title: str) -> str:
    """The number a phase's heading starts with: none when its title starts with its own
    number already ("1. Detection & Alert" stays as written, never "1. 1. Detection")."""
    return "" if re.match(rf"\s*{number}\s*[.):]\s", title) else f"{number}. "


def _goto_item(procedure: Procedure) -> Item:
    """What you see, and the procedure for it: its symptoms, an arrow, its title (and its
    usual severity)."""
    said = "; ".join(inline(s) for s in procedure.symptoms)
    severity = f" ({inline(procedure.severity)})" if procedure.severity else ""
    link = Link(Target("anchor", slug(procedure.id)), inline(procedure.title))
    return Item((f"{said} → " if said else "", link, severity))


def _plain(text: str) -> str:
    """A heading's text for a script to show as text: its Markdown marks left as written, on
    one line."""
    return " ".join(text.split())


def _alerts(alerts: Sequence[Alert]) -> Paragraph:
    """The alerts a procedure or runbook answers, as their rules name them."""
    names: list[Inline] = [Strong("Alerts:" if len(alerts) > 1 else "Alert:")]
    for i, alert in enumerate(alerts):
        names += [", " if i else " ", code_inline(alert.matcher())]
    return Paragraph(tuple(names))


def _paragraphs(text: str) -> Iterator[Paragraph]:
    """A longer text, a paragraph for each part between blank lines."""
    for part in re.split(r"\n[ \t]*\n", text):
        if part.strip():
            yield Paragraph((inline(part),))


def _check(check: Check) -> Item:
    children = List(tuple(map(_check, check.items)), tasks=True) if check.items else None
    return Item((inline(check.text),), children, done=check.done)


def _item(item: ModelItem) -> Item:
    children = List(tuple(map(_item, item.items)), ordered=item.ordered) if item.items else None
    return Item((inline(item.text),), children)


def _described(link: ModelLink) -> Inlines:
    found = tuple(link_to(link))
    return (*found, f": {inline(link.description)}") if link.description else found


def link_to(link: ModelLink) -> Iterator[Inline]:
    """A link of the runbook: to a URL, to a runbook (and a procedure of it), or the name of a
    document not on this site."""
    if link.url:
        yield Link(Target("url", link.url), inline(link.title))
    elif link.runbook:
        fragment = slug(link.procedure) if link.procedure else ""
        yield Link(Target("runbook", link.runbook, fragment), inline(link.title))
    else:
        unpublished = ", not yet published" if link.unpublished else ""
        yield f"{inline(link.title)} ({code_inline(link.document)}{unpublished})"


def command_blocks(command: Command) -> Iterator[Block]:
    """A command, with what it does and its expected output; a destructive one in a red box
    with why, what to check first and how to undo it."""
    body: list[Block] = []
    if command.description:
        body.append(Paragraph((inline(command.description),)))
    body.append(CodeBlock(command.run, command.language))
    if command.output:
        body.append(Paragraph(("Expected output:",)))
        body.append(CodeBlock(command.output, "text", output=True))
    danger = command.destructive
    if danger is None:
        yield from body
        return
    boxed: list[Block] = [Paragraph((Strong(inline(danger.reason)),))]
    if danger.precondition:
        boxed.append(Paragraph((Strong("Before you run it:"), f" {inline(danger.precondition)}")))
    boxed += body
    if danger.rollback:
        boxed.append(Paragraph((Strong("To undo:"), f" {inline(danger.rollback)}")))
    yield Admonition("danger", "Destructive command", tuple(boxed))


# How each kind of callout is drawn (Material's admonition types), and its title by default.
CALLOUTS = {
    "note": ("note", "Note"),
    "tip": ("tip", "Tip"),
    "important": ("info", "Important"),
    "warning": ("warning", "Warning"),
    "danger": ("danger", "Danger"),
}


def callout_block(callout: Callout) -> Admonition:
    kind, title = CALLOUTS[callout.kind]
    heading = inline(callout.title) if callout.title else title
    return Admonition(kind, heading, (Paragraph((inline(callout.text),)),))


def template_blocks(template: ModelTemplate) -> Iterator[Block]:
    """A message template: what it is for, and its body to copy (kept out of search: the same
    template recurs in many runbooks)."""
    if template.description:
        yield Paragraph((inline(template.description),))
    language = "markdown" if template.format == "markdown" else "text"
    yield Div("rb-template", (CodeBlock(template.body, language),), search_exclude=True)


# ---- The site-wide pages as blocks -----------------------------------------------------------


def index_blocks(context: Mapping[str, Any]) -> tuple[Block, ...]:
    """The home page: the catalogue by service, and the ways in."""
    services: Mapping[str, Sequence[Runbook]] = context["services"]
    intro = (
        f"{context['runbooks_count']} runbook(s) for {len(services)} service(s). Search (press"
        " <kbd>/</kbd>) finds commands, error messages and symptoms."
    )
    ways = (
        Link(Target("page", "symptoms.md"), "Find by symptom", "md-button md-button--primary"),
        " ",
        *(
            (Link(Target("page", "alerts.md"), "Find by alert", "md-button"), " ")
            if context.get("alerts")
            else ()
        ),
        Link(Target("page", "severity.md"), "Severity levels", "md-button"),
        " ",
        Link(Target("page", "escalation.md"), "Escalation", "md-button"),
    )
    blocks: list[Block] = [
        heading(1, "Runbooks", "runbooks"),
        Paragraph((intro,)),
        Paragraph(ways, css="rb-quick"),
    ]
    head = tuple((h,) for h in ("Runbook", "Owner", "Last reviewed", "Review", "Severity scheme"))
    for service, runbooks in services.items():
        blocks.append(heading(2, service, f"service-{service}"))
        page = Link(Target("page", service_path(service)), "Who to reach, symptoms, alerts")
        blocks.append(Paragraph((page,), css="rb-service-link"))
        rows = tuple(_catalogue_row(context, r) for r in runbooks)
        blocks.append(Table(head, rows))
    return tuple(blocks)


def _catalogue_row(context: Mapping[str, Any], runbook: Runbook) -> tuple[Inlines, ...]:
    return (
        (Link(Target("runbook", runbook.id), inline(runbook.title)),),
        (inline(context["owner_names"][runbook.id]),),
        (runbook.last_reviewed or "never",),
        (context["review_status"][runbook.id],),
        (inline(context["scheme_names"][runbook.id]),),
    )


def severity_blocks(context: Mapping[str, Any]) -> tuple[Block, ...]:
    """Every severity scheme side by side, rank by rank, then each on its own."""
    schemes: Sequence[SeverityScheme] = context["schemes"]
    intro = (
        "Every severity scheme used on this site, side by side: the rows line up by rank, so a"
        " P1 can be compared with a SEV-2."
    )
    head = (("Rank",), *((inline(s.title or s.id),) for s in schemes))
    rows = tuple(
        ((str(rank + 1),), *(_ranked(s, rank) for s in schemes)) for rank in range(context["depth"])
    )
    blocks: list[Block] = [
        heading(1, "Severity levels", "severity"),
        Paragraph((intro,)),
        Table(head, rows),
    ]
    for scheme in schemes:
        blocks.append(heading(2, scheme.title or scheme.id, scheme.id))
        users: list[Inline] = ["Used by: "]
        for i, runbook in enumerate(context["users"][scheme.id]):
            users += [", "] if i else []
            users.append(Link(Target("runbook", runbook.id), inline(runbook.title)))
        blocks.append(Paragraph(tuple(users) if len(users) > 1 else ("Used by: no runbook",)))
        blocks.extend(severity_table(scheme))
    return tuple(blocks)


def _ranked(scheme: SeverityScheme, rank: int) -> Inlines:
    if rank >= len(scheme.levels):
        return ("",)
    level = scheme.levels[rank]
    name = f" {inline(level.name)}" if level.name else ""
    respond = f"<br>Respond: {inline(level.response_time)}" if level.response_time else ""
    text = f"{name}<br>{inline(level.description)}{respond}"
    return (Strong(inline(level.id)), text)


def escalation_page_blocks(context: Mapping[str, Any]) -> tuple[Block, ...]:
    """Who to reach for each service and when to escalate, then every contact once."""
    listed: Sequence[Service] = context["services"]
    intro = (
        "Who to reach for each service, and when to escalate. A service's page has its runbooks'"
        " escalation steps; each runbook's page its own."
    )
    directory: Sequence[tuple[str, Contact, Sequence[str]]] = context["directory"]
    roles = {anchor: inline(contact.role) for anchor, contact, _ in directory}
    head = (("Service",), ("Contacts",), ("Escalation",))
    rows = tuple(_escalation_row(service, roles) for service in listed)
    return (
        heading(1, "Escalation", "escalation"),
        Paragraph((intro,)),
        heading(2, "By service", "by-service"),
        Table(head, rows),
        heading(2, "Contacts", "contacts"),
        _directory_table(directory),
    )


# A contact reached for more services than this says how many, not which.
SERVICES_NAMED = 5


def _directory_table(directory: Sequence[tuple[str, Contact, Sequence[str]]]) -> Table:
    """Every contact once, with the services it is reached for (two contacts may share a role:
    "CTO" of two companies)."""
    table = contacts_table([c for _, c, _ in directory], [a for a, _, _ in directory])
    users: list[Inlines] = []
    for _, _, names in directory:
        cell: list[Inline] = []
        for i, name in enumerate(names if len(names) <= SERVICES_NAMED else ()):
            cell += [", "] if i else []
            cell.append(Link(Target("page", service_path(name)), inline(name)))
        users.append(tuple(cell) or (f"{len(names)} services",))
    rows = tuple((*row, cell) for row, cell in zip(table.rows, users, strict=True))
    return Table((*table.head, ("For",)), rows)


def _escalation_row(service: Service, roles: Mapping[str, str]) -> tuple[Inlines, ...]:
    page = service_path(service.name)
    who: list[Inline] = []
    for i, anchor in enumerate(service.contacts):
        who += [", "] if i else []
        who.append(Link(Target("anchor", anchor), roles[anchor]))
    return (
        (Link(Target("page", page), inline(service.name)), f"<br>{_count(service.runbooks)}"),
        tuple(who) or ("none named",),
        _chains_said(service, page),
    )


def _count(runbooks: Sequence[Runbook]) -> str:
    return f"{len(runbooks)} runbook" + ("" if len(runbooks) == 1 else "s")


def _chains_said(service: Service, page: str) -> Inlines:
    """One service's escalation in a cell: its steps when its runbooks share them, else how
    many kinds there are, on its page."""
    where = Target("page", page, "escalation")
    if not service.chains:
        return (
            "no steps written: see the ",
            Link(Target("page", "severity.md"), "severity levels"),
        )
    if len(service.chains) == 1 and len(service.chains[0].runbooks) == len(service.runbooks):
        chain = service.chains[0]
        said = "<br>".join(_step_said(step, chain.names) for step in chain.steps)
        return (said,)
    kinds = f"{len(service.chains)} different escalations"
    return (Link(where, f"{kinds}, by runbook"),)


def _step_said(step: EscalationStep, names: Mapping[str, str]) -> str:
    when = " ".join(inline(x) for x in (step.after, step.condition) if x)
    who = f" → {inline(names.get(step.contact, step.contact))}" if step.contact else ""
    return f"{when + ': ' if when else ''}{inline(step.action)}{who}"


def service_blocks(context: Mapping[str, Any]) -> tuple[Block, ...]:
    """A service's page: its runbooks, who to reach and when to escalate, its symptoms and
    alerts, each leading to the procedure."""
    service: Service = context["service"]
    links: list[Inline] = [f"{_count(service.runbooks)}: "]
    for i, runbook in enumerate(service.runbooks):
        links += [", "] if i else []
        links.append(Link(Target("runbook", runbook.id), inline(runbook.title)))
    blocks: list[Block] = [heading(1, service.name, "service"), Paragraph(tuple(links))]
    blocks.append(heading(2, "Who to reach", "escalation"))
    if context["contacts"]:
        blocks.append(contacts_table(context["contacts"]))
    for chain in service.chains:
        blocks.extend(_chain_blocks(service, chain))
    symptoms = context["symptoms"]
    if symptoms[0]:
        blocks.append(heading(2, "Symptoms", "symptoms"))
        blocks.append(_symptom_tables(symptoms, services=False))
    alerts = context["alerts"]
    if alerts[0]:
        blocks.append(heading(2, "Alerts", "alerts"))
        blocks.append(_alert_tables(alerts))
    return tuple(blocks)


def _chain_blocks(service: Service, chain: Chain) -> list[Block]:
    steps = steps_blocks(chain.steps, chain.names)
    if len(chain.runbooks) == len(service.runbooks):
        return steps
    users: list[Inline] = ["For "]
    for i, runbook in enumerate(chain.runbooks):
        users += [", "] if i else []
        users.append(Link(Target("runbook", runbook.id), inline(runbook.title)))
    return [Paragraph((*users, ":")), *steps]


def symptoms_blocks(context: Mapping[str, Any]) -> tuple[Block, ...]:
    """Every symptom of every procedure, alphabetically (a small site's) in tables of a few
    hundred rows, and how many each service has, on its page."""
    listed: Sequence[Service] = context["services"]
    if not context["total"]:
        none = ("No procedure lists a symptom yet (", Code("symptoms:"), " of a procedure).")
        return (heading(1, "Symptom index", "symptoms"), Paragraph(none))
    if context["one_page"]:
        intro = "Every symptom of every procedure, alphabetically. Find what you see, go to the procedure."
    else:
        intro = (
            f"{context['total']} symptoms, too many for one page: each service's page lists its"
            " own. Search (press <kbd>/</kbd>) finds a symptom in every service."
        )
    head = (("Service",), ("Symptoms",))
    rows = tuple(
        (
            (Link(Target("page", service_path(s.name), "symptoms"), inline(s.name)),),
            (str(s.symptoms),),
        )
        for s in listed
        if s.symptoms
    )
    blocks: list[Block] = [heading(1, "Symptom index", "symptoms"), Paragraph((intro,))]
    if context["one_page"]:
        blocks.append(_symptom_tables(context["tables"]))
    return (*blocks, heading(2, "By service", "by-service"), Table(head, rows))


def _symptom_tables(tables: Sequence[Sequence[SymptomRow]], *, services: bool = True) -> Div:
    """The symptoms' tables; the runbooks named with their services (*services*) where they
    are not all of one service."""
    head = (("Symptom",), ("Procedure",), ("Runbook",))
    chunks = tuple(
        Div("rb-chunk", (Table(head, tuple(_symptom_row(*row, services) for row in rows)),))
        for rows in tables
    )
    return Div("rb-symptoms", chunks)


def _symptom_row(
    symptom: str, runbook: Runbook, procedure: Procedure, services: bool
) -> tuple[Inlines, ...]:
    target = Target("runbook", runbook.id, slug(procedure.id))
    return (
        (inline(symptom),),
        (Link(target, inline(procedure.title)),),
        (runbook_name(runbook) if services else inline(runbook.title),),
    )


def runbook_name(runbook: Runbook) -> str:
    """A runbook's title as an index shows it, its services beside it: two runbooks may share a
    title ("Incident Response Runbook"), rarely a service too."""
    services = ", ".join(inline(x) for x in runbook.services)
    return f"{inline(runbook.title)} ({services})" if services else inline(runbook.title)


def alerts_blocks(context: Mapping[str, Any]) -> tuple[Block, ...]:
    """Every alert a runbook answers, alphabetically: from the alert to the procedure (two
    columns, which a phone has room for)."""
    said = "the alerting rules'" if context["from_rules"] else "the procedure's usual one"
    intro: Inlines = (
        "Every alert a runbook answers, A to Z, and where it leads (an alert's ",
        Code("runbook_url"),
        " should lead there too: ",
        Code("runbookgen alerts check"),
        f"). Under each alert its severity: {said}.",
    )
    if not context["tables"][0]:  # no empty table (a filter would count its empty row)
        none = ("No runbook declares an alert yet (", Code("alerts:"), " of a procedure).")
        return (heading(1, "Alert index", "alerts"), Paragraph(none))
    return (
        heading(1, "Alert index", "alerts"),
        Paragraph(intro),
        _alert_tables(context["tables"]),
    )


def _alert_tables(tables: Sequence[Sequence[AlertRow]]) -> Div:
    head = (("Alert",), ("Go to",))
    chunks = tuple(
        Div("rb-chunk", (Table(head, tuple(_alert_row(*row) for row in rows)),)) for rows in tables
    )
    return Div("rb-alerts", chunks)


def _alert_row(
    alert: Alert, runbook: Runbook, procedure: Procedure | None, severity: str
) -> tuple[Inlines, ...]:
    anchor = slug(procedure.id) if procedure else ""
    title = inline(procedure.title) if procedure else runbook_name(runbook)
    said = (f"<br>{inline(severity)}",) if severity else ()
    where = (f"<br>{runbook_name(runbook)}",) if procedure else ()
    return (
        (code_inline(alert.matcher()), *said),
        (Link(Target("runbook", runbook.id, anchor), title), *where),
    )


def diagnostics_blocks(context: Mapping[str, Any]) -> tuple[Block, ...]:
    """Every diagnostic code, with its fix."""
    intro: Inlines = (
        "Every problem ",
        Code("runbookgen check"),
        " (and the build) can report, with how to fix it. Lines read\n",
        Code("path:line:col: severity CODE message"),
        "; positions are 1-based. Exit status: 0 clean, 1 problems\n(warnings too with ",
        Code("--strict"),
        "), 2 usage error.",
    )
    head = (("Code",), ("Severity",), ("Problem",), ("Fix",))
    rows = tuple(
        (
            (Anchor(code.code.lower(), code.code),),
            (code.severity.value,),
            (inline(code.title),),
            (inline(code.fix),),
        )
        for code in context["codes"]
    )
    return (heading(1, "Diagnostics", "diagnostics"), Paragraph(intro), Table(head, rows))


# ---- What the page leaves out ----------------------------------------------------------------

# Fields of the model a runbook's page does not show as text, and why; every other field's
# text is on the page (tests/test_fields.py renders a runbook that sets each and looks).
NOT_SHOWN = {
    "Runbook.owner": "an id: the page shows the contact's role",
    "Runbook.tags": "search keywords",
    "Runbook.internal": "says who the site is for, not what the page says",
    "Runbook.severity": "an id: the page shows the scheme",
    "Runbook.contacts": "ids: the page shows the contacts",
    "SeverityScheme.id": "an id: the severity page's anchor",
    "Contact.id": "an id: the page shows the role",
    "Contact.internal": "says who the site is for",
    "Channel.internal": "says who the site is for",
    "EscalationStep.contact": "an id: the page shows the contact's role",
    "FlowNode.shape": "drawn as the node's shape",
    "Step.ordered": "numbers the list",
    "Step.template": "an id: the page shows the template",
    "Step.see": "ids: the page shows the links",
    "Item.ordered": "numbers the list",
    "DecisionTable.phase": "an id: the table stands in its phase",
    "DecisionRow.see": "an id: the page shows the link",
    "Template.kind": "sorts templates (status update, ...)",
    "Template.format": "says how the body is shown",
    "Link.id": "an id: steps and rows name the link by it",
    "Link.unpublished": "shown as ', not yet published'",
    "Callout.kind": "drawn as the box's colour, and its title when it has none",
    "Image.src": "the site's copy of the file is shown, under a name of its own",
}


def format_blocks(context: Mapping[str, Any]) -> tuple[Block, ...]:
    """The format, from the schema: every kind of object a runbook holds, each property with
    its type, whether it is required, what it means and an example; types link to their
    object's section, so every property is a click from the top."""
    schema: Mapping[str, Any] = context["schema"]
    intro = (
        "What a runbook file may hold, property by property, read from the schema editors use"
        " (`schemas/runbook.schema.json`: point your editor at it for completion and hover"
        " help). A runbook is one YAML mapping; the sections below follow it down."
    )
    blocks: list[Block] = [heading(1, "Runbook format", "format"), Paragraph((inline(intro),))]
    for name, node in _objects(schema):
        blocks.append(heading(2, name, f"format-{name}"))
        if node.get("description"):
            blocks.append(Paragraph((inline(node["description"]),)))
        required = set(node.get("required", ()))
        rows = tuple(
            _property_row(prop, sub, prop in required, schema)
            for prop, sub in node["properties"].items()
        )
        head = (("Property",), ("Type",), ("Required",), ("What it is",))
        blocks.append(Table(head, rows))
    return tuple(blocks)


def _objects(schema: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The runbook, then every object of the schema's definitions, in the schema's order."""
    yield "runbook", schema
    for name, node in schema["$defs"].items():
        if "properties" in node:
            yield name, node
        for option in node.get("oneOf", ()):  # an item written as text, or as a mapping
            if "properties" in option:
                yield name, {"description": node.get("description", ""), **option}


def _property_row(
    name: str, node: Mapping[str, Any], required: bool, schema: Mapping[str, Any]
) -> tuple[Inlines, ...]:
    described = dict(_resolved(node, schema))
    text = inline(described.get("description", ""))
    examples = node.get("examples") or ()  # its own: a shared definition's are for another
    if examples:
        shown = ", ".join(code_inline(_example(x).rstrip("\n")) for x in examples[:2])
        text += f"<br>Example: {shown}"
    return (
        (f"<code>{entities(name)}</code>",),
        _type_of(node, schema),
        ("yes" if required else "",),
        (text,),
    )


def _resolved(node: Mapping[str, Any], schema: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """A property's schema with what its `$ref` says beneath what it says itself."""
    if "$ref" in node:
        yield from _resolved(schema["$defs"][node["$ref"].rsplit("/", 1)[-1]], schema)
    yield from node.items()


def _example(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _type_of(node: Mapping[str, Any], schema: Mapping[str, Any]) -> Inlines:
    """A property's type, in words, linking to the object it is."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        target = schema["$defs"][name]
        if "properties" in target or any("properties" in x for x in target.get("oneOf", ())):
            return (Link(Target("anchor", slug(f"format-{name}")), name),)
        return _type_of(target, schema)
    if "const" in node:
        return (f"<code>{entities(str(node['const']))}</code>",)
    if "enum" in node:
        return ("one of: " + ", ".join(f"<code>{entities(str(x))}</code>" for x in node["enum"]),)
    if "oneOf" in node or "anyOf" in node:
        parts: list[Inline] = []
        for i, option in enumerate(node.get("oneOf") or node.get("anyOf") or ()):
            parts += [" or "] if i else []
            parts.extend(_type_of(option, schema))
        return tuple(parts)
    kind = node.get("type", "")
    if kind == "array":
        return ("list of ", *_type_of(node.get("items", {}), schema))
    if kind == "object":
        return ("mapping",)
    words = {"string": "text", "boolean": "true or false", "integer": "whole number"}
    if node.get("format") == "date" or "[0-9]{4}" in node.get("pattern", ""):
        return ("date (YYYY-MM-DD)",)
    return (words.get(kind, kind or "any"),)


# The site-wide pages: their front matter (as it is on both pages) and their blocks.
SITE_WIDE = {
    "index.md": ("---\ntitle: Runbooks\nsearch:\n  boost: 0.5\n---", index_blocks),
    "severity.md": ("---\ntitle: Severity levels\n---", severity_blocks),
    "escalation.md": ("---\ntitle: Escalation\n---", escalation_page_blocks),
    "symptoms.md": ("---\ntitle: Symptom index\n---", symptoms_blocks),
    "alerts.md": ("---\ntitle: Alert index\n---", alerts_blocks),
    "diagnostics.md": ("---\ntitle: Diagnostics\n---", diagnostics_blocks),
    "format.md": ("---\ntitle: Runbook format\n---", format_blocks),
}


def site_wide(path: str) -> tuple[str, Callable[[Mapping[str, Any]], tuple[Block, ...]]]:
    """The front matter and blocks of the site-wide page at *path*: one of `SITE_WIDE`, or a
    service's page (`service_path`)."""
    if path in SITE_WIDE:
        return SITE_WIDE[path]
    service = path.removeprefix(f"{SERVICE_DIR}/").removesuffix(".md")
    return f"---\ntitle: {service}\n---", service_blocks
