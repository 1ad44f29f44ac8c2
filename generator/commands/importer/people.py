"""Who to reach, and when: a Markdown runbook's contact tables and lists as contacts (each way to
reach someone a channel of its kind, as written), its escalation tables and lists as escalation
steps (a time, a condition, an action), and a heading's or a line's time (`(< 5 minutes)`,
`within 48h`) as a time budget.

Each reader takes the blocks of one section and gives what it made, or None when the blocks are
not of its shape: the caller then keeps them as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from generator.commands.importer.markdown import Block, Heading, ListBlock, Paragraph, Rule, Table
from generator.commands.importer.words import LABEL_LINE, Text, plain, slug

_UNIT = r"(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)"
_DURATION = rf"\d+(?:\.\d+)?\s*{_UNIT}"
_BUDGET = re.compile(
    rf"(.*?)\s*[(\[]\s*((?:<|<=|≤|~|within|in|under|max(?:imum)?|up to)?\s*"
    rf"(?:{_DURATION}|\d+\s*[-–]\s*{_DURATION}))\s*[)\]]\s*",
    re.I,
)
_AFTER = re.compile(rf"(?:after\s+)?({_DURATION}|\d+\s*{_UNIT}\+?)\b[,:]?\s*(.*)", re.I | re.S)
# Words, not parts of words: `KubeAPIInstanceUnreachable` is an alert, not a way to reach anyone.
_CONTACT_HEADING = re.compile(r"\b(?:contacts?|on-?call|who to|people|roster|how to reach)\b", re.I)
_ESCALATION_HEADING = re.compile(r"\bescalat", re.I)
_ROLE_COLUMN = re.compile(r"role|who|team|name|person|contact|position|function", re.I)
_REACH_COLUMN = re.compile(r"contact|reach|escalation path|channel|how|handle|pager|method", re.I)
_TIER_COLUMN = re.compile(r"tier|level", re.I)
_WHEN_COLUMN = re.compile(r"after|time|when|elapsed|duration|trigger|condition", re.I)
_ACTION_COLUMN = re.compile(r"escalat|action|who|contact|notify|page|then|step", re.I)
_KINDS = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\be-?mail\b|mailto:", re.I)),
    ("pagerduty", re.compile(r"pager\s*duty|\bpager\b|opsgenie|\bpage\b", re.I)),
    ("slack", re.compile(r"slack|^#[\w-]+$|^@[\w.-]+$|\bchannel\b", re.I)),
    ("phone", re.compile(r"phone|\btel\b|mobile|\+?\d[\d ().-]{6,}\d|\bX{3}", re.I)),
    ("ticket", re.compile(r"ticket|jira|servicenow", re.I)),
    ("url", re.compile(r"^https?://\S+$", re.I)),
)


_SAID_TIME = r"(\d+(?:\.\d+)?\s*(?:min(?:ute)?s?|hours?|hrs?|h))\b"
_ESCALATE_WORD = r"(?:escalate|(?:page|call|wake)\s+(?:the|a|an|someone|on-?call)|notify|bring in)"
# "Escalate to the lead after 30 minutes", "If it is not resolved within 1 hour, page the VP".
_ESCALATE_AFTER = re.compile(
    rf"[^.\n]*?\b{_ESCALATE_WORD}\b[^.\n]{{0,80}}?\b(?:after|within|in)\s+{_SAID_TIME}[^.\n]*",
    re.I,
)
_AFTER_ESCALATE = re.compile(
    rf"[^.\n]*?\b(?:if|when|unless)\b[^.\n]{{0,60}}?\b(?:within|after|in)\s+{_SAID_TIME}"
    rf"[^.\n]{{0,20}}?,?\s*\b{_ESCALATE_WORD}\b[^.\n]*",
    re.I,
)


def escalation_in(text: str) -> list[dict[str, Any]]:
    """The escalation steps a text says in words: each sentence that escalates after a time,
    as that time and the sentence."""
    steps: list[dict[str, Any]] = []
    for pattern in (_AFTER_ESCALATE, _ESCALATE_AFTER):
        for match in pattern.finditer(text):
            sentence = " ".join(match.group(0).split()).strip(" -*:")
            if sentence and not any(s["action"] == sentence for s in steps):
                steps.append({"after": match.group(1), "action": sentence})
    return steps


def budget(title: str) -> tuple[str, str] | None:
    """A heading's title and the time it gives in parentheses, or None:
    "Initial Response (< 5 minutes)" is ("Initial Response", "< 5 minutes")."""
    match = _BUDGET.fullmatch(title)
    if not match or not match.group(1).strip():
        return None
    return match.group(1).strip(), match.group(2).strip()


def kind_of(text: str) -> str:
    """The kind of channel a piece of text (or a column's title) names; `other` when none."""
    return next((kind for kind, pattern in _KINDS if pattern.search(text.strip())), "other")


def channels(cell: str, hint: str = "") -> list[dict[str, Any]]:
    """The ways to reach someone a table cell or a line names, each as written: pieces apart
    (`,` `;` a line break) are channels apart; the kind from the piece, else from the column."""
    pieces = [p.strip() for p in re.split(r"[;,]|<br\s*/?>|\n", cell) if p.strip()]
    found = []
    named = kind_of(hint) if hint else "other"
    for piece in pieces:
        kind = named if named != "other" else kind_of(piece)
        found.append({"type": kind, "value": piece[:300]})
    return found


def is_contact_heading(title: str) -> bool:
    return bool(_CONTACT_HEADING.search(title)) or is_escalation_heading(title)


def is_escalation_heading(title: str) -> bool:
    return bool(_ESCALATION_HEADING.search(title))


class People:
    """The contacts and escalation steps of one runbook, as its sections are read."""

    def __init__(self, runbook_id: str, text: Text) -> None:
        self.runbook_id, self.text = runbook_id, text
        self.contacts: list[dict[str, Any]] = []
        self.escalation: list[dict[str, Any]] = []
        self.said: list[dict[str, Any]] = []  # escalation said in running text, if none else

    def take(self, title: str, blocks: Sequence[Block]) -> list[Block]:
        """The blocks of a section titled *title* less what was read as contacts or escalation:
        the whole section when its title says so (each sub-heading's part on its own), else
        each sub-heading's part whose title says so. A part is read whole, or not at all."""
        left: list[Block] = []
        head: Heading | None = None
        part: list[Block] = []
        for block in [*blocks, None]:
            if block is not None and not isinstance(block, Heading):
                part.append(block)
                continue
            name = plain(head.text) if head else title
            wanted = is_contact_heading(name) or is_contact_heading(title)
            if not (wanted and self._read(name, part)):
                left.extend([head, *part] if head else part)
            head, part = block, []
        return left

    def _read(self, title: str, blocks: Sequence[Block]) -> bool:
        kept = [b for b in blocks if not isinstance(b, Rule)]
        if not kept:
            return False
        made = [self._block(title, block) for block in kept]
        if any(m is None for m in made):
            return False
        for contacts, steps in (m for m in made if m is not None):
            self._add(contacts)
            self.escalation.extend(steps)
        return True

    def _block(
        self, title: str, block: Block
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
        if isinstance(block, Table):
            steps = self.escalation_table(block)
            if steps is not None:
                return [], steps
            contacts = self.contact_table(block)
            return None if contacts is None else (contacts, [])
        if isinstance(block, ListBlock | Paragraph):
            lines = _lines(block)
            if lines is None:
                return None
            steps = self.escalation_lines(lines)
            if steps is not None:
                return [], steps
            contacts = self.contact_lines(title, lines)
            return None if contacts is None else (contacts, [])
        return None

    def contact_table(self, table: Table) -> list[dict[str, Any]] | None:
        """| Role | Contact | Phone |: a contact a row; a column of ways to reach them gives
        channels, a tier column the tier, any other column a line of the notes."""
        head = list(table.head)
        if len(head) < 2 or not _ROLE_COLUMN.search(head[0]) or not table.rows:
            return None
        if not any(_REACH_COLUMN.search(h) or kind_of(h) != "other" for h in head[1:]):
            return None
        contacts = []
        for row in table.rows:
            role = plain(row[0])
            if not role:
                return None
            contact = self.contact(role, [])
            for cell, title in zip(row[1:], head[1:], strict=False):
                if cell.strip():
                    self._cell(contact, title, self.text(cell))
            contacts.append(contact)
        return contacts

    def _cell(self, contact: dict[str, Any], title: str, cell: str) -> None:
        if _TIER_COLUMN.search(title) and len(cell) <= 60:
            contact["tier"] = cell
        elif _REACH_COLUMN.search(title) or kind_of(title) != "other":
            contact.setdefault("channels", []).extend(channels(cell, title))
        else:
            note = f"{plain(title)}: {cell}"
            contact["notes"] = f"{contact['notes']}\n\n{note}" if "notes" in contact else note

    def contact_lines(self, title: str, lines: list[str]) -> list[dict[str, Any]] | None:
        """`**Slack:** @lead` lines: the channels of one contact named by the heading; a line
        whose label is a role (`**VP Engineering:** [Slack/Phone]`) a contact of its own."""
        own: list[dict[str, Any]] = []
        others = []
        for line in lines:
            match = LABEL_LINE.fullmatch(line) or re.fullmatch(r"([^:]{1,60}):\s+(.+)", line)
            if not match:
                return None
            label, value = match.group(1).strip(), self.text(match.group(2).strip())
            if kind_of(label) != "other":
                own.extend(channels(value, label))
            else:
                others.append(self.contact(plain(label), channels(value)))
        return ([self.contact(plain(title), own)] if own else []) + others

    def contact(self, role: str, reach: list[dict[str, Any]]) -> dict[str, Any]:
        """A contact of this runbook's (its id made unique when it is added)."""
        ident = f"{self.runbook_id}-{slug(role, 'contact')}"[:60].strip("-")
        contact: dict[str, Any] = {"id": ident, "role": role[:120]}
        if reach:
            contact["channels"] = reach
        return contact

    def _add(self, contacts: list[dict[str, Any]]) -> None:
        """*contacts* as this runbook's, each id numbered when another has it already."""
        for contact in contacts:
            taken = {c["id"] for c in self.contacts}
            base, n = contact["id"], 1
            while contact["id"] in taken:
                n += 1
                contact["id"] = f"{base}-{n}"
            self.contacts.append(contact)

    def escalation_table(self, table: Table) -> list[dict[str, Any]] | None:
        """| After | Escalate to |: an escalation step a row."""
        head = list(table.head)
        if len(head) < 2 or not _WHEN_COLUMN.search(head[0]):
            return None
        if not _ACTION_COLUMN.search(" ".join(head[1:])) or not table.rows:
            return None
        steps = []
        for row in table.rows:
            action = "; ".join(self.text(c) for c in row[1:] if c.strip())
            if not action or not row[0].strip():
                return None
            steps.append(_step(self.text(row[0]), action))
        return steps

    def escalation_lines(self, lines: list[str]) -> list[dict[str, Any]] | None:
        """Lines such as "After 15 minutes without progress: page the lead"."""
        steps = []
        for line in lines:
            when, sep, action = _plain_label(line).partition(":")
            if not sep or not action.strip() or not _AFTER.fullmatch(when.strip()):
                return None
            steps.append(_step(self.text(when.strip()), self.text(action.strip())))
        return steps


def _step(when: str, action: str) -> dict[str, Any]:
    """An escalation step: "15 min no progress" is after 15 min, on condition no progress."""
    step: dict[str, Any] = {}
    match = _AFTER.fullmatch(when)
    if match and len(match.group(1)) <= 120:
        step["after"] = match.group(1)
        if match.group(2).strip():
            step["condition"] = match.group(2).strip()[:200]
    else:
        step["condition"] = when[:200]
    step["action"] = action
    return step


def _lines(block: ListBlock | Paragraph) -> list[str] | None:
    """The lines of a paragraph, or the one-paragraph items of a flat list."""
    if isinstance(block, Paragraph):
        return [line.strip() for line in block.text.split("\n") if line.strip()]
    lines = []
    for item in block.items:
        if item.checked is not None or len(item.blocks) != 1:
            return None
        (only,) = item.blocks
        if not isinstance(only, Paragraph):
            return None
        lines.append(" ".join(only.text.split()))
    return lines


def _plain_label(line: str) -> str:
    """`**After 15 min:** page` as `After 15 min: page`."""
    match = LABEL_LINE.fullmatch(line)
    return f"{match.group(1)}: {match.group(2)}" if match else line
