"""Search entries for a runbook page, made from the model instead of from its HTML.

Material's search plugin parses every page's HTML and indexes all of its text: at 1,000
runbooks that is 17 MB that the browser must load and index before the first result, and a
template repeated in every runbook crowds out the procedure someone looks for. Our pages are
structured, so each section's entry holds what people search for:

- `title`: the runbook's, a phase's, a procedure's or a headed step's title;
- `keywords` (boosted in mkdocs.yml): symptoms, commands, decision-table rows, tags;
- `text`: a short summary (the result's snippet): summary, goal or step text, shortened.

The escalation section has an entry of its own: who to page (a contact's role, tier, notes,
handles) and when to escalate, so "VP engineering" or "DBA on-call" finds the runbook that
says who.

Template bodies and history are left out on purpose (boilerplate). An entry points at the
anchors the page's layout gives its sections and headed steps (`generator.render.layout`); a
runbook's own entry names its service when its title does not (two runbooks are both titled
"Incident Response Runbook").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from generator.core.model import Check, Contact, Runbook, Step
from generator.render.escape import slug
from generator.render.layout import SECTIONS, heading_text, step_anchors
from generator.search.analysis import Split, compounds, phrase_keys, pieces

__all__ = ["NOT_SEARCHED", "SEARCHED", "Split", "search_entries", "splitter"]

SNIPPET = 120  # characters of text shown under a result


@dataclass
class _Entry:
    location: str
    title: str
    text: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    def as_dict(self, split: Split) -> dict[str, str]:
        snippet = " ".join(t for t in self.text if t)
        if len(snippet) > SNIPPET:
            snippet = snippet[: SNIPPET - 1].rstrip() + "…"
        entry = {
            "location": self.location,
            "title": html.escape(self.title, quote=False),
            "text": html.escape(snippet, quote=False),
        }
        # Each word once, as the search's tokenizer cuts and lower-cases it: what it matches on;
        # the phrases found before, in each keyword, as its words were written.
        words: dict[str, None] = {}
        phrases: dict[str, None] = {}
        for keyword in self.keywords:
            found = pieces(keyword, split)
            words.update(dict.fromkeys([*found, *compounds(keyword, split)]))
            phrases.update(dict.fromkeys(k for _, _, k in phrase_keys(found)))
        if words:
            entry["keywords"] = html.escape(" ".join(words))
        if phrases:
            entry["phrases"] = " ".join(phrases)
        return entry


def splitter(separator: str) -> Split:
    """A function that cuts text where the search's separator (a JavaScript regex) does.

    Cutting finer than the search does would lose matches, so a separator Python cannot read
    falls back to whitespace, which the search cuts at too.
    """
    try:
        pattern = re.compile(separator)
    except re.error:
        return str.split
    return pattern.split


def _checked(checks: Iterable[Check]) -> Iterator[str]:
    """The text of every checklist item, nested ones included."""
    for check in checks:
        yield check.text
        yield from _checked(check.items)


def search_entries(
    runbook: Runbook,
    url: str,
    split: Split = str.split,
    *,
    contacts: Mapping[str, Contact] | None = None,
) -> list[dict[str, str]]:
    """The search entries of one runbook's page at *url* (site-relative, like `runbooks/x/`);
    *split* cuts keywords into words as the search's tokenizer does (see `splitter`);
    *contacts*: the shared contacts by id, whose roles the escalation entry holds."""
    top = _Entry(url, shown_title(runbook), [runbook.summary], [*runbook.tags, *runbook.services])
    top.keywords.extend(a.name for a in runbook.alerts)
    sections = _sections(runbook, url)
    anchors = step_anchors(runbook)
    headed: list[_Entry] = []

    def visit(steps: Iterable[Step], target: _Entry) -> None:
        for step in steps:
            own = target
            if step.path in anchors:  # a headed step is its own result
                own = _Entry(f"{url}#{anchors[step.path]}", heading_text(step), [step.text])
                headed.append(own)
            own.keywords.extend(c.run for c in step.commands)
            own.keywords.extend([step.role] if step.role else [])
            own.keywords.extend(step.environments)
            own.keywords.extend(_checked(step.checklist))
            visit(step.steps, own)

    for phase in runbook.phases:
        visit(phase.steps, sections[slug(phase.id)])
    for procedure in runbook.procedures:
        visit((*procedure.diagnosis, *procedure.resolution), sections[slug(procedure.id)])
    for table in runbook.decision_tables:
        target = sections.get(slug(table.phase), top)
        for row in table.rows:
            target.keywords.extend((row.symptom, row.check, row.command))
    escalation = _escalation(runbook, url, contacts or {})
    found = (top, *sections.values(), *([escalation] if escalation else []), *headed)
    return [e.as_dict(split) for e in found]


def _sections(runbook: Runbook, url: str) -> dict[str, _Entry]:
    """The entries of the page's phases, procedures, sections and diagrams, by anchor."""
    sections: dict[str, _Entry] = {}
    for phase in runbook.phases:
        entry = _Entry(f"{url}#{slug(phase.id)}", phase.title, [phase.goal])
        entry.keywords.extend([phase.role] if phase.role else [])
        sections[slug(phase.id)] = entry
    for procedure in runbook.procedures:
        anchor = slug(procedure.id)
        entry = _Entry(f"{url}#{anchor}", procedure.title, [procedure.summary, procedure.impact])
        entry.keywords.extend([*procedure.symptoms, *procedure.causes])
        entry.keywords.extend(a.name for a in procedure.alerts)  # who arrives from an alert
        sections[anchor] = entry
    for section in runbook.sections:  # what explains, found by its title and words
        anchor = slug(section.id)
        sections[anchor] = _Entry(f"{url}#{anchor}", section.title, [section.text])
    for diagram in runbook.diagrams:  # found by its title and what it shows
        anchor = slug(diagram.id)
        sections[anchor] = _Entry(f"{url}#{anchor}", diagram.title, [diagram.description])
    return sections


def shown_title(runbook: Runbook) -> str:
    """The title of a runbook's result, which tells it from other runbooks of the same title:
    its service after it, unless the title names it ("Incident Response Runbook · hotswap-api")."""
    if not runbook.services or runbook.service.lower() in runbook.title.lower():
        return runbook.title
    return f"{runbook.title} · {runbook.service}"


def _escalation(runbook: Runbook, url: str, directory: Mapping[str, Contact]) -> _Entry | None:
    """The entry of the page's escalation section (who to page, when to escalate), if the page
    has one: found by a contact's role, tier, notes or handle, or a step's action ("page VP")."""
    inline = {c.id: c for c in runbook.inline_contacts}
    contacts = [c for c in (inline.get(i) or directory.get(i) for i in runbook.contacts) if c]
    if not contacts and not runbook.escalation:
        return None
    names = {c.id: c.role for c in [*directory.values(), *runbook.inline_contacts]}
    section = SECTIONS["escalation"]
    roles = ", ".join(c.role for c in contacts)
    entry = _Entry(f"{url}#{section.anchor}", section.heading, [f"Who to page: {roles}."])
    for contact in contacts:
        entry.keywords.extend((contact.role, contact.tier, contact.notes))
        entry.keywords.extend(ch.value for ch in contact.channels)
    for step in runbook.escalation:
        entry.keywords.extend((step.action, step.condition, names.get(step.contact, "")))
    return entry


# Fields whose text search finds (in an entry's title, keywords or snippet); every other field
# of the model is in NOT_SEARCHED with why (tests/test_fields.py holds the two whole).
SEARCHED = frozenset(
    {
        *("Runbook.title", "Runbook.summary", "Runbook.tags", "Runbook.services"),
        *("Phase.title", "Phase.goal"),
        *("Procedure.title", "Procedure.summary", "Procedure.symptoms", "Procedure.causes"),
        *("Procedure.impact", "Section.title", "Section.text"),
        *("Step.title", "Step.when", "Check.text", "Command.run", "Step.role", "Phase.role"),
        *("Step.environments", "Alert.name", "Diagram.title", "Diagram.description"),
        *("DecisionRow.symptom", "DecisionRow.check", "DecisionRow.command"),
        *("Contact.role", "Contact.tier", "Contact.notes", "Channel.value"),
        *("EscalationStep.action", "EscalationStep.condition"),
    }
)
_PAGE = "on the page, not among search results"
NOT_SEARCHED = {
    **dict.fromkeys(
        (
            "Runbook.id",
            "Runbook.owner",
            "Runbook.last_reviewed",
            "Runbook.next_review",
            "Runbook.version",
            "Runbook.severity",
            "Runbook.contacts",
            "Phase.id",
            "Procedure.id",
            "Procedure.severity",
            "Step.template",
            "Step.see",
            "Step.time_budget",
            "Phase.time_budget",
            "DecisionTable.id",
            "DecisionTable.phase",
            "DecisionTable.headings",
            "DecisionRow.see",
            "FlowNode.id",
            "FlowNode.shape",
            "FlowNode.phase",
            "FlowEdge.source",
            "FlowEdge.target",
            "Flow.direction",
            "Link.id",
            "Link.runbook",
            "Link.procedure",
            "Link.url",
            "Link.document",
            "Variable.name",
            "Variable.aliases",
            "Variable.pattern",
            "Variable.values",
            "Variable.example",
            "Template.id",
            "Section.id",
            "Template.kind",
            "Template.format",
            "Alert.labels",
            "Diagram.id",
            "Image.src",
            "Step.id",
            "Footnote.id",
        ),
        "an id, a flag or a setting: nothing a reader types",
    ),
    **dict.fromkeys(
        (
            "HistoryEntry.version",
            "HistoryEntry.date",
            "HistoryEntry.changes",
            "Template.title",
            "Template.body",
            "Template.description",
        ),
        "boilerplate that recurs in many runbooks and crowds out procedures",
    ),
    **dict.fromkeys(
        (
            "SeverityScheme.id",
            "SeverityScheme.title",
            "SeverityScheme.description",
            *(f"Level.{f}" for f in ("id", "name", "label", "description", "response_time")),
            *(f"Level.{f}" for f in ("escalation", "update_cadence", "examples", "responses")),
        ),
        "shared by many runbooks: found on the severity and escalation pages",
    ),
    **dict.fromkeys(
        ("Contact.id", "EscalationStep.contact"),
        "an id: the escalation entry holds the contact's role",
    ),
    "Channel.type": "slack, phone, email: every contact has them",
    "EscalationStep.after": "a delay (15 min): no one searches for it",
    "Step.text": "the snippet of a headed step's own result, not matched in other steps",
    **dict.fromkeys(
        (
            "Step.note",
            "Item.text",
            "Table.columns",
            "Table.rows",
            "Command.language",
            "Command.description",
            "Command.output",
            "Destructive.reason",
            "Destructive.precondition",
            "Destructive.rollback",
            "DecisionTable.title",
            "DecisionRow.action",
            "Procedure.notes",
            "Flow.title",
            "FlowNode.label",
            "FlowEdge.label",
            "Link.title",
            "Link.group",
            "Link.description",
            "Variable.description",
            "Callout.kind",
            "Callout.title",
            "Callout.text",
            "Diagram.mermaid",
            "Image.alt",
            "Image.caption",
            "Footnote.text",
        ),
        _PAGE,
    ),
}
