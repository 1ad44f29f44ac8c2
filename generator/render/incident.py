"""What a runbook's page gives its incident script (assets/incident.js): the phases and their
time budgets, the headed steps that can be ticked, the severity levels with who to page and how
often to post an update, the escalation steps and contacts, the names templates are filled
from, and which variables are secrets. The layout writes it into the page as one JSON block
(`escape.script_json`), so the script reads data, never the page's text.

Times said in words ("< 5 minutes", "Every 1 hour", "within 48h") are read here into seconds;
a time no number gives ("Next business day") is None, and the page shows the words alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from generator.core.model import Contact, Level, Runbook, SeverityScheme, Variable

# A number and its unit; the last number of a range ("15-30 minutes") is the one the unit is
# written after.
_DURATION = re.compile(
    r"(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)\b",
    re.I,
)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
# What a variable's name or description says when its value must never be written down: the
# timeline leaves it out, the page's URL does not carry it, its field hides what is typed.
_SECRET = re.compile(r"(?<![a-z])(?:token|secret|password|passphrase|passwd|key)s?(?![a-z])")
# Words of a level's escalation that mean someone is paged now.
_PAGING = re.compile(r"\b(?:page|paged|paging|pager|immediate)\b", re.I)
# The incident's own values a template may name, as a variable is named (<severity>,
# {{start time}}): filled by the page from the incident under way.
INCIDENT_FIELDS = (
    "incident",
    "severity",
    "date",
    "start time",
    "timestamp",
    "end time",
    "duration",
    "total duration",
)


def duration_seconds(text: str) -> int | None:
    """The first time *text* says in numbers, in seconds; None when it says none."""
    match = _DURATION.search(text)
    if match is None:
        return None
    unit = match.group(2).lower()
    unit_key = "m" if unit.startswith("min") else unit[0]
    return round(float(match.group(1)) * _UNIT_SECONDS[unit_key])


def is_secret(variable: Variable) -> bool:
    """Whether a variable's name or description says it holds a token, secret, password or
    key (a name's camelCase parts read as words: `apiKey`)."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", variable.name)
    return any(_SECRET.search(text.lower()) for text in (name, variable.description))


def incident_data(
    runbook: Runbook,
    scheme: SeverityScheme | None,
    contacts: Sequence[Contact],
    step_titles: Sequence[tuple[str, str]],
    phase_titles: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    """The page's incident data. *step_titles* and *phase_titles*: (anchor, heading as plain
    text) of each tickable step and phase, as the layout names them."""
    phases = [
        {"id": anchor, "title": title, **_budget(phase.time_budget)}
        for phase, (anchor, title) in zip(runbook.phases, phase_titles, strict=True)
    ]
    names = {c.id: i for i, c in enumerate(contacts)}
    return {
        "runbook": runbook.id,
        "title": runbook.title,
        "service": ", ".join(runbook.services),
        "phases": phases,
        "steps": [{"id": anchor, "title": title} for anchor, title in step_titles],
        "levels": [_level(level, contacts) for level in (scheme.levels if scheme else ())],
        "escalation": [
            {
                **_after(step.after),
                "condition": step.condition,
                "action": step.action,
                "contact": names.get(step.contact),
            }
            for step in runbook.escalation
        ],
        "contacts": [_contact(c) for c in contacts],
        "fields": [
            f for f in INCIDENT_FIELDS if f not in {n for v in runbook.variables for n in v.names}
        ],
        "secrets": [n for v in runbook.variables if is_secret(v) for n in v.names],
    }


def _budget(text: str) -> dict[str, Any]:
    return {"budget": duration_seconds(text) if text else None, "budget_text": text}


def _after(text: str) -> dict[str, Any]:
    return {"after": duration_seconds(text) if text else None, "after_text": text}


def _level(level: Level, contacts: Sequence[Contact]) -> dict[str, Any]:
    cadence = level.update_cadence
    return {
        "id": level.id,
        "name": level.name,
        "response": level.response_time,
        "escalation": level.escalation,
        "cadence": duration_seconds(cadence) if cadence else None,
        "cadence_text": cadence,
        "page": paged(level, contacts),
    }


def paged(level: Level, contacts: Sequence[Contact]) -> list[int]:
    """Who a level says to page or notify now, by index in *contacts*: the primary tier when
    its escalation says to page, and every contact its escalation names by role."""
    said = level.escalation.casefold()
    paging = bool(_PAGING.search(said))
    return [
        i
        for i, contact in enumerate(contacts)
        if (paging and contact.tier == "primary")
        or (contact.role and contact.role.casefold() in said)
    ]


def _contact(contact: Contact) -> dict[str, Any]:
    return {
        "role": contact.role,
        "tier": contact.tier,
        "reach": [[channel.type, channel.value] for channel in contact.channels],
    }
