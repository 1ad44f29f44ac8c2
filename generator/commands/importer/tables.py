"""Tables that are more than tables: a symptom → action table (| Issue | Action |) as a decision
table, a revision history (| Version | Date | Changes |) as the runbook's history, and a simple
mermaid flowchart (boxes, diamonds, arrows with labels) as the runbook's flow.

Each reader gives what it made, or None when the source is not quite of its shape: the caller
then keeps it as a table or a diagram, which loses nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from generator.commands.importer.markdown import Table
from generator.commands.importer.words import LOCAL_ID, Text

_SYMPTOM = re.compile(
    r"symptom|issue|problem|error|alert|signal|if you see|observ|indicator|situation"
    r"|scenario|condition|check|what you see|failure|when",
    re.I,
)
# A column titled so holds commands (each cell that is one is the row's command).
_COMMAND_COLUMN = re.compile(r"command|run|cli|query", re.I)
# Where a column of text goes in a decision row, by its title.
_KEYS = (
    ("check", re.compile(r"check|cause|diagnos|verify|look|investigat|why", re.I)),
    (
        "action",
        re.compile(r"action|fix|resolution|remed|mitigat|then|do\b|solution|response|next", re.I),
    ),
)
_CODE_SPAN = re.compile(r"`([^`\n]+)`|``\s?([^\n]+?)\s?``")
_VERSION = re.compile(r"version|\brev\b|\brevision|^v\.?$", re.I)
_DATE = re.compile(r"date|when|updated", re.I)
_CHANGES = re.compile(r"change|description|summary|what|notes?|comment", re.I)
_AUTHOR = re.compile(r"author|by|who|editor|owner", re.I)
_MERMAID_NODE = (
    r"([A-Za-z0-9_]+)(?:\[\"?([^\]\"]+)\"?\]|\{\"?([^}\"]+)\"?\}|\(\[?\"?([^)\]\"]+)\"?\]?\))?"
)
_EDGE = re.compile(rf"{_MERMAID_NODE}\s*-->\s*(?:\|([^|]+)\|\s*)?{_MERMAID_NODE}\s*;?")
_LONE = re.compile(rf"{_MERMAID_NODE}\s*;?")


def decision_table(table: Table, text: Text, ident: str) -> dict[str, Any] | None:
    """| Issue | Action |: a row a symptom and what to do; a column whose every cell is one code
    span is the command, runnable from the page."""
    head = list(table.head)
    if not 2 <= len(head) <= 4 or not table.rows or not _SYMPTOM.search(head[0]):
        return None
    keys = ["symptom"]
    mixed = {"symptom": False, "check": False, "command": False, "action": False}
    for column, title in enumerate(head[1:], start=1):
        cells = [row[column] for row in table.rows if row[column].strip()]
        whole = cells and all(_code(cell) is not None for cell in cells)
        key = "command" if whole else _key(title)
        if key is None and _COMMAND_COLUMN.search(title):
            key = "action"  # commands and words: a cell that is a command is the row's command
            mixed[key] = True
        if key is None or key in keys:
            return None
        keys.append(key)
    if "command" not in keys and "action" not in keys:
        return None
    made = [_row(row, keys, text) for row in table.rows]
    rows = [row for row in made if row is not None]
    if len(rows) < len(made):
        return None
    found: dict[str, Any] = {"id": ident, "rows": rows}
    defaults = {"symptom": "Symptom", "check": "Check", "command": "Command", "action": "Action"}
    headings = {
        key: " ".join(title.split())[:100]
        for key, title in zip(keys, head, strict=False)
        if title.strip() and title.strip() != defaults[key] and not mixed[key]
    }
    if "command" not in keys and any("command" in row for row in rows):
        # The command column's title: the column's own when it said "command", else "Run".
        title = head[keys.index("action")] if mixed["action"] else "Run"
        if title.strip() != defaults["command"]:
            headings["command"] = " ".join(title.split())[:100]
    if headings:
        found["headings"] = headings
    return found


# Commands people write inline: `kubectl ...`, `docker compose ...` (a program and its arguments).
PROGRAMS = (
    "kubectl|docker|docker-compose|podman|helm|systemctl|journalctl|curl|wget|psql|mysql|"
    "redis-cli|aws|gcloud|az|terraform|git|sudo|oc|etcdctl|ceph|vault|consul|nomad|ssh|scp|"
    "rsync|tail|grep|ps|top|df|du|free|ls|cat|kill|pkill|service|nginx|openssl|dig|nslookup"
)
_INLINE_COMMAND = re.compile(rf"(.*\S)\s*`((?:{PROGRAMS})\s[^`\n]+)`\s*\.?", re.S)


def inline_command(text: str) -> tuple[str, str] | None:
    """ "Scale up: `kubectl scale ...`": the words before, and the command that ends the text."""
    match = _INLINE_COMMAND.fullmatch(text.strip()) if text.count("`") == 2 else None
    if match is None or len(match.group(1)) > 200:
        return None
    return match.group(1), match.group(2).strip()


def _key(title: str) -> str | None:
    return next((key for key, pattern in _KEYS if pattern.search(title)), None)


def _row(cells: tuple[str, ...], keys: list[str], text: Text) -> dict[str, Any] | None:
    row: dict[str, Any] = {}
    for key, cell in zip(keys, cells, strict=False):
        code = _code(cell)
        if not cell.strip():
            continue
        free = key != "symptom" and "command" not in [*keys, *row]
        inline = inline_command(cell) if free and not code else None
        if key == "command" or (code and free):
            row["command"] = code  # a command alone in its cell: runnable, not text
        elif inline:  # "Scale up: `kubectl scale ...`": its words, and its command runnable
            row[key], row["command"] = text(inline[0]), inline[1]
        else:
            row[key] = text(cell)
    return row if "symptom" in row else None


def _code(cell: str) -> str | None:
    match = _CODE_SPAN.fullmatch(cell.strip())
    return (match.group(1) or match.group(2)) if match else None


def history(table: Table, text: Text) -> list[dict[str, Any]] | None:
    """| Version | Date | Changes | (and an author): the runbook's history, oldest first."""
    head = list(table.head)
    columns: dict[str, int] = {}
    for at, title in enumerate(head):
        for key, pattern in (
            ("version", _VERSION),
            ("date", _DATE),
            ("changes", _CHANGES),
            ("author", _AUTHOR),
        ):
            if key not in columns and pattern.search(title):
                columns[key] = at
                break
        else:
            return None
    if not {"date", "changes"} <= set(columns) or not table.rows:
        return None
    entries = []
    for number, row in enumerate(table.rows, start=1):
        date = _date(row[columns["date"]])
        changes = row[columns["changes"]].strip()
        if date is None or not changes:
            return None
        version = row[columns["version"]].strip() if "version" in columns else ""
        if "author" in columns and row[columns["author"]].strip():
            changes += f" ({row[columns['author']].strip()})"
        entries.append({"version": version or str(number), "date": date, "changes": text(changes)})
    if len(entries) > 1 and entries[0]["date"] > entries[-1]["date"]:
        entries.reverse()  # written newest first; the format keeps the newest last
    return entries


def _date(cell: str) -> str | None:
    """An ISO date as written (another form would not be the source's words)."""
    cell = re.sub(r"[*_`]", "", cell).strip()
    try:
        return dt.date.fromisoformat(cell).isoformat() if len(cell) == 10 else None
    except ValueError:
        return None


def flow(body: str, title: str) -> dict[str, Any] | None:
    """A mermaid flowchart of nodes and arrows only (`A[Alert] --> B{Bad?}`, `B -->|Yes| C`)
    as the runbook's flow; anything more (subgraphs, styles, chains, links) None."""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    lines = [line for line in lines if not line.startswith("%%")]
    kind = re.fullmatch(r"(?:flowchart|graph)\s+(TD|TB|LR)\s*;?", lines[0]) if lines else None
    if kind is None:
        return None
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for line in lines[1:]:
        edge = _EDGE.fullmatch(line)
        lone = None if edge else _LONE.fullmatch(line)
        if edge is None and lone is None:
            return None
        found = edge or lone
        assert found is not None
        if not _node(nodes, found.groups()[:4]):
            return None
        if edge is not None:
            if not _node(nodes, edge.groups()[5:]):
                return None
            arrow = {"from": edge.group(1), "to": edge.group(6)}
            if edge.group(5) and edge.group(5).strip():
                arrow["label"] = edge.group(5).strip().strip('"')[:100]
            edges.append(arrow)
    if not nodes:
        return None
    direction = "LR" if kind.group(1) == "LR" else "TD"
    return {"title": title, "direction": direction, "nodes": list(nodes.values()), "edges": edges}


def _node(nodes: dict[str, dict[str, Any]], groups: tuple[str | None, ...]) -> bool:
    """Add a node (id, box label, diamond label, rounded label); False when it is said twice
    with two labels."""
    ident, box, diamond, rounded = groups
    assert ident is not None
    label = box or diamond or rounded
    shape = "decision" if diamond else "start" if rounded else None
    if not LOCAL_ID.fullmatch(ident):
        return False
    if ident in nodes:
        known = nodes[ident]
        if label is not None and known["label"] == ident:
            nodes.pop(ident)  # named first, labelled later: the label it has
        else:
            return label is None or known["label"] == label.strip()
    node: dict[str, Any] = {"id": ident, "label": (label or ident).strip()[:200]}
    if shape:
        node["shape"] = shape
    nodes[ident] = node
    return True
