"""A Markdown runbook's severity levels as the runbook's severity scheme, in the two shapes teams
write them: a table (| Level | Description | Response time | ... |) and a section with a heading
a level (### SEV-1: Critical (Page immediately), then **Impact:** ..., **Response Time:** ...,
**Examples:** and a list). A list of update cadences elsewhere (**Update Frequency:** then
- SEV-1: Every 15 minutes) goes to the levels it names.

A shape is read whole or not at all: anything a level has no place for leaves the blocks as they
are (a table, a phase).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from generator.commands.importer.markdown import Block, Heading, ListBlock, Paragraph, Rule, Table
from generator.commands.importer.words import LABEL_LINE, LOCAL_ID, Text, plain
from generator.core.validate import load_schema

_LEVEL_ORDER = tuple(load_schema()["$defs"]["severityLevel"]["properties"])

_KEYS = (
    ("description", ("description", "impact", "meaning", "definition", "criteria")),
    ("response_time", ("response", "time to respond", "ack")),
    ("escalation", ("escalation", "page", "notify", "who", "contact")),
    ("update_cadence", ("update", "cadence", "frequency")),
    ("examples", ("example",)),
    ("name", ("name",)),
)
_SECTION = re.compile(r"severit|priorit|\bsev\b|incident levels|classification", re.I)
_LEVEL_HEADING = re.compile(
    r"(?P<id>[A-Za-z]{0,8}[- ]?\d{1,2}|critical|high|medium|low|major|minor)"
    r"\s*(?:[-:–—]\s*(?P<name>[^()]+?))?\s*(?:\((?P<label>[^()]+)\))?",
    re.I,
)
_CADENCE_LABEL = re.compile(r"update|cadence|frequency|communicat", re.I)


def level_key(title: str) -> str | None:
    """Where a column or a label of a severity level goes, or None."""
    title = title.lower()
    return next((key for key, names in _KEYS if any(n in title for n in names)), None)


class Severity:
    """The severity scheme of one runbook, once a table or a section gave it."""

    def __init__(self, runbook_id: str, text: Text) -> None:
        self.runbook_id, self.text = runbook_id, text
        self.levels: list[dict[str, Any]] = []

    def scheme(self) -> dict[str, Any] | None:
        if not self.levels:
            return None
        return {"id": f"{self.runbook_id}-severity", "levels": self.levels}

    def take(self, title: str, blocks: Sequence[Block]) -> list[Block]:
        """The blocks of a section less its severity table, or none at all when the section is
        the levels, a sub-heading each."""
        if self.levels:
            return list(blocks)
        if _SECTION.search(title) and self._sections(blocks):
            return []
        for block in blocks:
            if isinstance(block, Table) and self._table(block):
                return [b for b in blocks if b is not block]
        return list(blocks)

    def _table(self, table: Table) -> bool:
        head = [h.lower() for h in table.head]
        if not head or not table.rows or not re.search(r"level|severity|sev|priority", head[0]):
            return False
        keys = [level_key(title) for title in head[1:]]
        if "description" not in keys or None in keys or len(set(keys)) < len(keys):
            return False
        levels = []
        for row in table.rows:
            ident = plain(row[0]) if row else ""
            if not LOCAL_ID.fullmatch(ident) or len(ident) > 20:
                return False
            pairs = [(k, c) for k, c in zip(keys, row[1:], strict=False) if k and c.strip()]
            levels.append(self._level(ident, pairs))
        return self._keep(levels)

    def _sections(self, blocks: Sequence[Block]) -> bool:
        parts: list[tuple[Heading, list[Block]]] = []
        for block in blocks:
            if isinstance(block, Heading):
                parts.append((block, []))
            elif parts:
                parts[-1][1].append(block)
            elif not isinstance(block, Rule):
                return False  # words before the first level: a section of its own
        levels = []
        for heading, body in parts:
            level = self._section(heading, body)
            if level is None:
                return False
            levels.append(level)
        return self._keep(levels)

    def _section(self, heading: Heading, body: list[Block]) -> dict[str, Any] | None:
        match = _LEVEL_HEADING.fullmatch(plain(heading.text))
        ident = match.group("id").replace(" ", "-") if match else ""
        if not match or not LOCAL_ID.fullmatch(ident):
            return None
        pairs = _labelled(body)
        if pairs is None:
            return None
        level = self._level(ident, pairs)
        for key in ("label", "name"):
            if match.group(key) and key not in level:
                level[key] = match.group(key).strip()[:120]
        return level

    def _level(self, ident: str, pairs: Sequence[tuple[str, str | list[str]]]) -> dict[str, Any]:
        level: dict[str, Any] = {"id": ident}
        for key, value in pairs:
            if isinstance(value, list):
                level.setdefault("examples", []).extend(self.text(v) for v in value)
            elif key == "examples":
                level.setdefault("examples", []).append(self.text(value))
            elif key == "response_time" and (len(value) > 120 or "response_time" in level):
                level.setdefault("responses", []).append(self.text(value))
            elif key in level:
                level[key] += "\n\n" + self.text(value)
            else:
                level[key] = self.text(value)
        level.setdefault("description", ident)
        return level

    def _ordered(self, level: dict[str, Any]) -> dict[str, Any]:
        return {key: level[key] for key in _LEVEL_ORDER if key in level}

    def _keep(self, levels: list[dict[str, Any]]) -> bool:
        ids = [level["id"] for level in levels]
        if not levels or len(set(ids)) < len(ids):
            return False
        for level in levels:  # the format's durations and names are short
            if any(len(level.get(key, "")) > 120 for key in ("update_cadence", "name")):
                return False
        self.levels = [self._ordered(level) for level in levels]
        return True

    def cadences(self, blocks: Sequence[Block]) -> None:
        """Each list of update cadences among *blocks* (`- SEV-1: Every 15 minutes` under a
        label that says so) whose levels are the scheme's gives those levels their cadence (the
        list stays where it is: the step it is in says when to post)."""
        left = list(blocks)
        if not self.levels:
            return
        for at in range(len(left) - 1):
            label, found = left[at], left[at + 1]
            if not (isinstance(label, Paragraph) and isinstance(found, ListBlock)):
                continue
            said = LABEL_LINE.fullmatch(label.text.strip())
            if not said or said.group(2).strip() or not _CADENCE_LABEL.search(said.group(1)):
                continue
            cadences = self._cadences(found)
            if cadences:
                for level in self.levels:
                    if level["id"] in cadences and "update_cadence" not in level:
                        level["update_cadence"] = cadences[level["id"]]
                return

    def _cadences(self, found: ListBlock) -> dict[str, str]:
        ids = {level["id"] for level in self.levels}
        cadences = {}
        for item in found.items:
            text = " ".join(b.text for b in item.blocks if isinstance(b, Paragraph))
            ident, sep, value = plain(text).partition(":")
            if len(item.blocks) != 1 or not sep or ident.strip() not in ids:
                return {}
            if len(value.strip()) > 120 or not value.strip():
                return {}
            cadences[ident.strip()] = self.text(value.strip())
        return cadences


def _labelled(body: Sequence[Block]) -> list[tuple[str, str | list[str]]] | None:
    """`**Impact:** x` lines (several may share a paragraph) and the list after `**Examples:**`,
    as (key, value) pairs; None when a line or block has no key."""
    pairs: list[tuple[str, str | list[str]]] = []
    for block in body:
        if isinstance(block, Rule):
            continue
        if isinstance(block, ListBlock) and pairs and pairs[-1][1] == "":
            items = [" ".join(_item_text(item).split()) for item in block.items]
            if not all(items):
                return None
            pairs[-1] = (pairs[-1][0], items)
            continue
        if not isinstance(block, Paragraph):
            return None
        for line in block.text.split("\n"):
            match = LABEL_LINE.fullmatch(line.strip())
            key = level_key(match.group(1)) if match else None
            if match is None or key is None:
                return None
            pairs.append((key, match.group(2).strip()))
    if any(value == "" for _, value in pairs):
        return None
    return pairs


def _item_text(item: Any) -> str:
    if len(item.blocks) != 1 or not isinstance(item.blocks[0], Paragraph):
        return ""
    return str(item.blocks[0].text)
