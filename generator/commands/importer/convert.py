"""A Markdown runbook, read (`markdown.parse`), as the data of a runbook of our format: structure
mapped where it is clear, everything else kept as text at its place, and each such place noted
(RB9xx) so that a person can look. Nothing is evaluated (`{{ }}` is text), nothing is dropped.

The shapes it knows:
- the alert runbook (## Meaning / Impact / Diagnosis / Mitigation): one procedure answering the
  alert the title names;
- sections of procedures (### Name, then **Symptoms**: ..., **Checks**: ..., **Actions**: ...);
- everything else: each `##` section a phase, its content steps (`###` a titled step; "If ...:"
  a condition), code blocks commands, task lists checklists (nested, ticked), tables tables (a
  severity table the runbook's severity scheme), admonitions and quotes callouts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from generator.checks.decide import MARK
from generator.checks.placeholders import undeclared
from generator.commands.importer.markdown import (
    Admonition,
    Block,
    Code,
    Document,
    Heading,
    Html,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Table,
)
from generator.commands.importer.people import People, budget, escalation_in
from generator.commands.importer.severity import Severity
from generator.commands.importer.tables import decision_table, flow, history, inline_command
from generator.commands.importer.words import LOCAL_ID, plain, slug
from generator.commands.importer.yaml_out import COMMENT
from generator.core.prose import LINK_TARGET
from generator.core.validate import load_schema, mermaid_kinds
from generator.diagnostics import Diagnostic, make

# The languages a command may have (the schema's), and how other fence languages map to them.
LANGUAGES = frozenset(load_schema()["$defs"]["command"]["properties"]["language"]["enum"])
MERMAID_KINDS = frozenset(mermaid_kinds())
ALIASES = {
    "": "text",
    "shell-session": "console",
    "shellsession": "console",
    "terminal": "console",
    "ps1": "powershell",
    "pwsh": "powershell",
    "yml": "yaml",
    "js": "javascript",
    "py": "python",
    "golang": "go",
    "terraform": "hcl",
    "tf": "hcl",
    "psql": "sql",
    "postgresql": "sql",
    "mysql": "sql",
    "plaintext": "text",
    "txt": "text",
    "output": "text",
    "log": "text",
    "none": "text",
    "jsonc": "json",
    "jsonnet": "text",
    "docker": "dockerfile",
    "html": "xml",
}
CALLOUTS = {
    "note": "note",
    "info": "important",
    "important": "important",
    "tip": "tip",
    "hint": "tip",
    "success": "tip",
    "warning": "warning",
    "caution": "warning",
    "attention": "warning",
    "danger": "danger",
    "error": "danger",
    "failure": "danger",
    "bug": "danger",
}
_ORDER = tuple(load_schema()["properties"])  # the format's order of a runbook's keys
# `[POD_NAME]`, `[pod-name]`, `[NAMESPACE]`: a word in brackets, standing alone.
_BRACKET = re.compile(
    r"(?<![\[\w=~$])\[([A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)+|[A-Z][A-Z0-9]{2,})\](?![\]\w(])"
)
_HUGO_REF = re.compile(r"\]\(\{\{[<%]\s*(?:rel)?ref\s+\"([^\"\s]+)\"\s*[>%]\}\}\)")
_HTML_ANCHOR = re.compile(r"\s*<a\s+(?:id|name)=[\"']([^\"'<>]+)[\"']\s*>\s*</a>\s*")
_ALERT_PARTS = {"meaning", "impact", "diagnosis", "mitigation"}
_ALERT_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_LABEL = re.compile(r"\*\*([^*\n]{1,40}?):?\*\*:?[ \t]*(.*)", re.S)
_TASK = re.compile(r"[ \t]*(?:[-*+][ \t]+)?\[([ xX])\][ \t]+(.*)")
_IF = re.compile(r"(?:If|When)\s+(.+?):?\s*$", re.S | re.I)
_SHELLS = frozenset({"bash", "sh", "shell", "zsh", "console", "text"})
_NOT_RUN = frozenset({"text", "json", "yaml", "toml", "ini", "xml"})  # configuration, output
_SLOTS = ("text", "items", "checklist", "table", "commands", "callouts")
_DESTRUCTIVE = re.compile(
    r"\b(?:delete|drop|destroy|truncate|revoke|flushall|flushdb|terminate)\b"
    r"|\brm\s+-[a-zA-Z]*[rf]|--replicas[= ]0\b|\bscale\b[^\n]*\b0\b",
    re.I,
)
DECIDE = MARK


@dataclass
class Imported:
    """A runbook's data, and what the import noted of its source."""

    data: dict[str, Any]
    notes: list[Diagnostic] = field(default_factory=list)
    link_lines: dict[str, int] = field(default_factory=dict)  # a link's id: its source line


class _Steps:
    """Steps as they are gathered: those done, and the one being filled."""

    def __init__(self) -> None:
        self.finished: list[dict[str, Any]] = []
        self.current: dict[str, Any] = {}

    def start(self, step: dict[str, Any] | None = None) -> None:
        if self.current:
            self.finished.append(self.current)
        self.current = step or {}

    def put(self, slot: str, value: Any) -> None:
        """*value* in the step's *slot*, or in a new step when the page would show it before
        what the step holds (or the slot is taken: commands and callouts add up)."""
        adds = slot in ("commands", "callouts")
        filled = [s for s in _SLOTS if s in self.current]
        earlier = bool(filled) and _SLOTS.index(slot) < _SLOTS.index(filled[-1])
        if earlier or (slot in self.current and not adds):
            self.start()
        if adds:
            self.current.setdefault(slot, []).extend(value)
        else:
            self.current[slot] = value

    def extend(self, steps: list[dict[str, Any]]) -> None:
        """Steps made elsewhere, in order; the last stays open."""
        if steps:
            self.start()
            self.finished.extend(steps[:-1])
            self.current = steps[-1]

    def done(self) -> list[dict[str, Any]]:
        self.start()
        return [s for s in self.finished if s]


class _Converter:
    def __init__(self, path: str, doc: Document, resolve: Callable[[str], str | None]) -> None:
        self.path, self.doc, self.resolve = path, doc, resolve
        self.notes: list[Diagnostic] = []
        self.ids: set[str] = set()
        self.diagrams: list[dict[str, Any]] = []
        self.templates: list[dict[str, Any]] = []
        self.decisions: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []
        self.flow: dict[str, Any] | None = None
        self.phase_id = self.phase_title = ""
        self.alert_levels: dict[str, None] = {}  # the severities alerts said, in order
        self.line = 1  # of the block being read, for the notes of its texts
        self.links: dict[str, str] = {}  # a link's address: the id of the link made for it
        self.link_lines: dict[str, int] = {}
        self.link_data: list[dict[str, Any]] = []
        self.seen: list[str] = []  # links of the text being read, for its step's `see`
        self.moved: dict[str, str] = {}  # a section's anchor: what its content became
        self.anchor_lines: dict[str, int] = {}  # a `#x` link's id: the line it is on
        self.aliases: dict[str, str] = {}  # an HTML anchor's id: the heading's id under it
        self.used: set[str] = set()  # link definitions (`[x]: url`) a text used

    def note(self, line: int, code: str, message: str) -> None:
        """A note at *line* of the source (0: the block being read)."""
        self.notes.append(make(self.path, line or self.line, 1, code, message))

    def unique(self, base: str) -> str:
        ident, n = base, 1
        while ident in self.ids:
            n += 1
            ident = f"{base}-{n}"
        self.ids.add(ident)
        return ident

    # ---- The runbook ---------------------------------------------------------------------

    def runbook(self, stem: str) -> Imported:
        blocks, title = self.title(stem)
        data: dict[str, Any] = {"id": slug(stem, "imported"), "title": title}
        self.people = People(data["id"], self.text)
        self.levels = Severity(data["id"], self.text)
        blocks = self.anchors(blocks)
        intro, parts = _split(blocks, 2)
        summary = [b for b in intro if isinstance(b, Paragraph)][:1]
        if summary:
            data["summary"] = self.text(summary[0].text)
            intro = [b for b in intro if b is not summary[0]]
        self._front(self.doc.front_matter, data)
        heads = {_plain(h.text).lower(): h for h, _ in parts}
        parts = self.gather(parts)
        if len(_ALERT_PARTS & set(heads)) >= 2:
            self.alert(title, parts, data)
        else:
            self.sections(intro, parts, data)
        self.variables(data)
        self.alert_scheme(data)
        if self.flow is not None:
            _link_phases(self.flow, data.get("phases", []))
        self.unused_definitions()
        if not self.people.escalation and self.people.said:
            self.people.escalation = self.people.said  # the text stays where it is too
        found = {
            "history": self.history,
            "flow": self.flow,
            "decision_tables": self.decisions,
            "severity": self.levels.scheme(),
            "contacts": self.people.contacts,
            "escalation": self.people.escalation,
            "templates": self.templates,
            "diagrams": self.diagrams,
            "links": self.link_data,
        }
        data.update({key: value for key, value in found.items() if value})
        data = self.fragments(data)
        ordered = {key: data[key] for key in _ORDER if key in data}
        return Imported(_decide(ordered), self.notes, self.link_lines)

    def title(self, stem: str) -> tuple[list[Block], str]:
        """The blocks after the `# Title`, and the title (the front matter's first)."""
        blocks = list(self.doc.blocks)
        title = str(self.doc.front_matter.get("title") or "").strip()
        if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
            title = title or _plain(blocks[0].text)
            if _plain(blocks[0].text) != title:
                self.note(
                    blocks[0].line,
                    "RB905",
                    f"the heading {blocks[0].text!r} is kept as the summary's first line; the title is the front matter's",
                )
            blocks = blocks[1:]
        return blocks, title or stem.replace("-", " ").replace(
            "_", " "
        ).strip() or "Imported runbook"

    def unused_definitions(self) -> None:
        """A link definition (`[x]: url`) that no text uses: a link of the runbook's all the
        same (the source kept it for a reason), and a note."""
        for ref, definition in self.doc.links.items():
            target = (definition.split() or [""])[0].strip("<>")
            if ref in self.used or not target or target in self.links:
                continue
            self.line = 0
            if LINK_TARGET.match(target):
                ident = self.unique(slug(ref, "link"))
                self.links[target] = ident
                self.link_data.append({"id": ident, "title": ref[:200], "url": target})
            else:
                self.refer(ref, target)
            message = f"the link definition [{ref}] is used by no text: it is listed under `links:`"
            self.note(0, "RB916", message)

    def alert_scheme(self, data: dict[str, Any]) -> None:
        """The severities the alerts said as the runbook's scheme, when the source has none; a
        severity the source's scheme does not have, a line of the procedure's notes."""
        if not self.alert_levels:
            return
        if self.levels.levels:
            known = {level["id"] for level in self.levels.levels}
            for procedure in data.get("procedures", ()):
                if procedure.get("severity", "") not in known and "severity" in procedure:
                    said = f"Severity: {procedure.pop('severity')}"
                    procedure["notes"] = "\n\n".join(filter(None, [procedure.get("notes"), said]))
            return
        self.levels.levels = [
            {"id": ident, "description": f"{DECIDE}say what an alert of severity {ident} means"}
            for ident in sorted(self.alert_levels, key=_severity_rank)
        ]

    def anchors(self, blocks: list[Block]) -> list[Block]:
        """*blocks* less each HTML anchor (`<a id="x"></a>`) that stands over a heading: a link
        to it goes to the heading's part."""
        kept: list[Block] = []
        for block, after in zip(blocks, [*blocks[1:], None], strict=True):
            anchor = _HTML_ANCHOR.fullmatch(block.text) if isinstance(block, Html) else None
            if anchor and isinstance(after, Heading):
                self.aliases[anchor.group(1)] = slug(_plain(after.text))
            else:
                kept.append(block)
        return kept

    def gather(self, parts: list[tuple[Heading, list[Block]]]) -> list[tuple[Heading, list[Block]]]:
        """The sections less what went to the severity scheme, the contacts and the escalation
        (a section left empty is gone)."""
        left = []
        for heading, blocks in parts:
            title = _plain(heading.text)
            blocks = self.levels.take(title, blocks)
            went = "severity levels"
            if _content(blocks):
                blocks = self.people.take(title, blocks)
                went = "contacts and escalation"
            if _content(blocks):
                left.append((heading, blocks))
            else:  # a link to the section goes to where the page shows what it held
                self.moved[slug(title)] = went
        for _, blocks in left:
            self.levels.cadences(blocks)
        return left

    def _front(self, front: dict[str, Any], data: dict[str, Any]) -> None:
        if self.doc.front_matter_error:
            self.note(
                1,
                "RB906",
                f"the front matter could not be read ({self.doc.front_matter_error}): its lines are kept as text; copy owner, review date and tags by hand",
            )
        for key in ("owner", "team"):
            if isinstance(front.get(key), str) and re.fullmatch(r"[a-z0-9][a-z0-9-]*", front[key]):
                data["owner"] = front[key]
                break
        for key in ("last_reviewed", "lastReviewed", "last-reviewed", "reviewed", "review_date"):
            value = str(front.get(key) or "")
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                data["last_reviewed"] = value
                break
        tags = front.get("tags")
        if isinstance(tags, list) and all(isinstance(t, str) and t.strip() for t in tags):
            data["tags"] = [t.strip()[:60] for t in tags]

    def alert(
        self, title: str, parts: list[tuple[Heading, list[Block]]], data: dict[str, Any]
    ) -> None:
        """The alert runbook: one procedure; other sections phases."""
        procedure: dict[str, Any] = {"id": self.unique(slug(title, "alert")), "title": title}
        name = re.sub(r"\s+", "", _plain(title))
        if _ALERT_NAME.fullmatch(name):
            procedure["alerts"] = [name]
        else:
            procedure["symptoms"] = [f"The alert {title} fires"]
        rest: list[tuple[Heading, list[Block]]] = []
        for heading, blocks in parts:
            key = _plain(heading.text).lower()
            if key == "meaning":
                procedure["summary"] = self.prose(blocks)
            elif key == "impact":
                procedure["impact"] = self.prose(blocks)
            elif key in ("diagnosis", "mitigation"):
                steps = self.steps(blocks)
                if steps:
                    procedure["diagnosis" if key == "diagnosis" else "resolution"] = steps
            else:
                rest.append((heading, blocks))
        for slot in ("summary", "impact"):
            if not procedure.get(slot):
                procedure.pop(slot, None)
        data["procedures"] = [procedure]
        if rest:
            phases = [self.phase(h, b) for h, b in rest]
            data["phases"] = [p for p in phases if p is not None]

    def sections(
        self, intro: list[Block], parts: list[tuple[Heading, list[Block]]], data: dict[str, Any]
    ) -> None:
        phases, procedures = [], []
        if intro:
            fake = Heading(2, "Overview", intro[0].line)
            parts = [(fake, intro), *parts]
        for heading, blocks in parts:
            found_alerts, blocks = self.alerts_in(blocks)
            procedures.extend(found_alerts)
            if found_alerts and not _content(blocks):
                continue
            subs = _split(blocks, 3)[1]
            found = [self.procedure(h, b) for h, b in subs if _labelled(b, "symptom")]
            if found and len(found) == len(subs):
                intro_blocks = _split(blocks, 3)[0]
                procedures.extend(found)
                if [b for b in intro_blocks if not isinstance(b, Rule)]:
                    phases.append(self.phase(heading, intro_blocks))
                continue
            phases.append(self.phase(heading, blocks))
        if [p for p in phases if p is not None]:
            data["phases"] = [p for p in phases if p is not None]
        if procedures:
            data["procedures"] = procedures

    def procedure(
        self, heading: Heading, blocks: list[Block], alert: str | None = None
    ) -> dict[str, Any]:
        """### Name, then **Symptoms**: a, b; **Checks**: ...; **Actions**: ... (or the section
        of one *alert*: its `*Severity*:`, `*Message*:` lines read as such)."""
        procedure: dict[str, Any] = {
            "id": self.unique(slug(alert or _plain(heading.text))),
            "title": alert or _plain(heading.text),
        }
        if alert:
            procedure["alerts"] = [alert]
        slot = "diagnosis"
        gathered: dict[str, list[Block]] = {"diagnosis": [], "resolution": []}
        for block in blocks:
            fields = _fields(block) if alert else None
            if fields is not None:
                self.alert_fields(procedure, fields)
                continue
            label = _label(block)
            if label is not None:
                name, rest = label
                kind = _slot_of(name)
                if kind in ("symptoms", "causes"):
                    items = [x.strip() for x in re.split(r",|;", rest) if x.strip()]
                    procedure.setdefault(kind, []).extend(items or [rest.strip() or name])
                    continue
                if kind is not None:
                    slot = kind
                    if rest.strip():
                        gathered[slot].append(Paragraph(rest.strip(), block.line))
                    continue
            gathered[slot].append(block)
        for kind, found in gathered.items():
            steps = self.steps(found)
            if steps:
                procedure[kind] = steps
        if not procedure.get("symptoms") and not alert:
            procedure["symptoms"] = [procedure["title"]]
        return procedure

    def alerts_in(self, blocks: list[Block]) -> tuple[list[dict[str, Any]], list[Block]]:
        """Each part under a heading that names an alert (`### CortexIngesterRestarts`,
        `##### Alert Name: "KubeAPIDown"`), and each row of an alert table, as the alert's
        procedure; the other blocks as they were."""
        procedures: list[dict[str, Any]] = []
        left: list[Block] = []
        at = 0
        while at < len(blocks):
            block = blocks[at]
            name = _alert_of(block.text) if isinstance(block, Heading) else None
            rows = self.alert_table(block) if isinstance(block, Table) else None
            if rows is not None:
                procedures.extend(rows)
                at += 1
                continue
            if name is None or not isinstance(block, Heading):
                left.append(block)
                at += 1
                continue
            end = at + 1
            while end < len(blocks) and not _ends(blocks[end], block.level):
                end += 1
            procedures.append(self.procedure(block, list(blocks[at + 1 : end]), alert=name))
            at = end
        return procedures, left

    def alert_fields(self, procedure: dict[str, Any], fields: list[tuple[str, str]]) -> None:
        """An alert's `*Message*: x`, `*Severity*: critical`, `*Runbook*: [Link](url)` lines:
        its summary, its usual severity, and the rest its notes."""
        notes = []
        for key, value in fields:
            name = key.lower()
            if name in ("message", "summary", "description") and "summary" not in procedure:
                procedure["summary"] = self.text(value)
            elif name == "severity" and LOCAL_ID.fullmatch(_plain(value)):
                procedure["severity"] = _plain(value)
                self.alert_levels.setdefault(_plain(value), None)
            else:
                notes.append(f"{key}: {self.text(value)}")
        if notes:
            procedure["notes"] = "\n\n".join([*filter(None, [procedure.get("notes")]), *notes])

    def alert_table(self, block: Table) -> list[dict[str, Any]] | None:
        """| Name | Summary | Description | Severity | Runbook |: a procedure a row, for the
        alert the row names."""
        head = [_plain(h) for h in block.head]
        if len(head) < 2 or not re.fullmatch(r"(?:alert\s*)?name|alert", head[0], re.I):
            return None
        if not any(re.search(r"severity|summary|description|message", h, re.I) for h in head):
            return None
        names = [_plain(row[0]) for row in block.rows]
        if not names or not all(_ALERT_NAME.fullmatch(n) for n in names):
            return None
        procedures = []
        for name, row in zip(names, block.rows, strict=True):
            fields = [(h, c) for h, c in zip(head[1:], row[1:], strict=False) if c.strip()]
            procedure = {"id": self.unique(slug(name, "alert")), "title": name, "alerts": [name]}
            self.alert_fields(procedure, fields)
            procedures.append(procedure)
        return procedures

    def phase(self, heading: Heading, blocks: list[Block]) -> dict[str, Any] | None:
        phase: dict[str, Any] = {"id": self.unique(slug(_plain(heading.text), "phase"))}
        phase.update(_titled(_plain(heading.text)))
        self.phase_id, self.phase_title = phase["id"], phase["title"]
        steps = self.steps(blocks)
        self.phase_id = ""
        if not steps and _content(blocks):  # all it held is the runbook's flow or history
            self.ids.discard(phase["id"])
            self.moved[phase["id"]] = "flow or history"
            return None
        phase["steps"] = steps or [{"text": "(empty in the source)"}]
        return phase

    def fragments(self, value: Any) -> Any:
        """*value* with each link in a text to an anchor the page will not have (`#x` of a
        heading that is no part of the runbook) made its label: a link to nowhere helps no
        one."""
        if isinstance(value, dict):
            return {
                k: v if k in ("run", "body", "mermaid") else self.fragments(v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.fragments(v) for v in value]
        if isinstance(value, str) and "](#" in value:

            def label(match: re.Match[str]) -> str:
                text, ident = match.group(1), match.group(2)
                if ident in self.ids and ident not in self.links.values():
                    return match.group(0)
                if self.aliases.get(ident) in self.ids:  # <a id="x"></a> over a heading
                    return f"[{text}](#{self.aliases[ident]})"
                became = self.moved.get(ident)
                said = (
                    f"a section that became the page's {became}"
                    if became
                    else "which no part of the runbook is"
                )
                self.note(
                    self.anchor_lines.get(ident, 0),
                    "RB913",
                    f"a link to #{ident}, {said}: kept as its text",
                )
                return text

            return re.sub(r"\[([^\[\]]+)\]\(#([^()\s]*)\)", label, value)
        return value

    def variables(self, data: dict[str, Any]) -> None:
        """Each placeholder of a command (`<pod>`, `${NAMESPACE}`, `{{ cluster }}`) declared, for
        a person to describe: the page can then fill it."""
        names: dict[str, None] = {}
        for run in _runs(data):
            for _, name in undeclared(run, set(names)):
                names.setdefault(name, None)
        if names:
            data["variables"] = [
                {"name": name, "description": f"{DECIDE}say what {name} is, and give an example"}
                for name in names
            ]
            data["variables"][0] = {
                COMMENT: "The placeholders of the commands, which the page asks for: describe each,"
                " give an `example`, and a `pattern` or `values` where only some values are right.",
                **data["variables"][0],
            }

    # ---- Steps -------------------------------------------------------------------------

    def steps(self, blocks: Sequence[Block]) -> list[dict[str, Any]]:
        """Blocks as steps in their order: a heading starts a titled step, and a block whose
        place in a step comes before what the step holds already starts another."""
        into = _Steps()
        outer = self.seen  # a block's steps are read inside another's (a list item's)
        for block in blocks:
            self.line, self.seen = block.line, []
            self.block(block, into)
            if self.seen and into.current:
                see = into.current.setdefault("see", [])
                see.extend(i for i in self.seen if i not in see)
        self.seen = outer
        return into.done()

    def block(self, block: Block, into: _Steps) -> None:
        """One block into the steps."""
        if isinstance(block, Heading):
            into.start(self.headed(block))
        elif isinstance(block, Paragraph):
            self.paragraph(block, into)
        elif isinstance(block, Code):
            self.code(block, into)
        elif isinstance(block, ListBlock):
            self.list_block(block, into)
        elif isinstance(block, Table):
            self.table_block(block, into)
        elif isinstance(block, Quote | Admonition):
            into.put("callouts", [self.callout(block)])
            for inner in _inner_blocks(block):
                message = (
                    "a code block, list or table inside a callout follows it as a step of its own"
                )
                self.note(inner.line, "RB903", message)
                into.extend(self.steps([inner]))
        elif isinstance(block, Html):
            self.html(block, into)

    def table_block(self, block: Table, into: _Steps) -> None:
        """A revision history as the runbook's history; a symptom → action table in a phase as
        a decision table (the page shows it at the end of the phase, its step says where);
        else a table."""
        found = None if self.history else history(block, self.text)
        if found:
            self.history = found
            return
        title = into.current.get("title") or self.phase_title
        ident = self.unique(slug(f"{title}-table", "table"))
        table = decision_table(block, self.text, ident) if self.phase_id else None
        if table is None:
            self.ids.discard(ident)
            into.put("table", self.table(block))
            return
        self.decisions.append({**table, "title": title, "phase": self.phase_id})
        into.put("text", f"See [{title}](#{ident}) at the end of this phase.")

    def paragraph(self, block: Paragraph, into: _Steps) -> None:
        """Text; "If ...:" a condition; "**Label**" alone the title of a step to come."""
        ends = block.text.rstrip().endswith(":")
        condition = _IF.fullmatch(_plain(block.text)) if ends and len(block.text) < 200 else None
        label = _label(block)
        inline = inline_command(block.text)
        if condition:
            into.start({"when": condition.group(1).strip()})
        elif label and not label[1].strip() and not into.current:
            into.current["title"] = _plain(label[0])
        elif inline is not None:  # "Scale up: `kubectl scale ...`": words, then a command
            into.start({"text": self.text(inline[0])})
            into.put(
                "commands",
                [self.command(Code(inline[1], "bash", block.line, False), inline[1], "bash")],
            )
        else:
            into.put("text", self.text(block.text))

    def code(self, block: Code, into: _Steps) -> None:
        """A checklist written as code, a diagram, a message to post, or commands."""
        checks = _checklist_in_code(block.body)
        language = block.language.lower()
        if checks:
            into.put("checklist", checks)
        elif language == "mermaid" and self.flow is None and self.as_flow(block, into):
            pass
        elif language == "mermaid" and _first_word(block.body) in MERMAID_KINDS:
            diagram = self.diagram(block, into.current)
            self.diagrams.append(diagram)
            into.put("text", f"See the diagram [{diagram['title']}](#{diagram['id']}).")
        elif language in ("markdown", "md") and block.body.strip():
            template = self.template(block, into.current)
            if list(into.current) == ["title"]:  # the step the template's heading opened
                into.current["template"] = template
            else:
                into.start({"template": template})
        else:
            into.put("commands", self.commands(block))

    def list_block(self, block: ListBlock, into: _Steps) -> None:
        """A task list as a checklist; a list with code or a table in an item as a step an
        item, in order; a list with an item that ends in a command, that item a step; any other
        list as items."""
        if any(item.checked is not None for item in block.items):
            into.put("checklist", [self.check(item) for item in block.items])
        elif any(_rich(item) for item in block.items):
            self.rich_list(block, into)
        elif not self.inline_commands(block, into):
            into.put("items", [self.item(item) for item in block.items])
            if block.ordered:
                into.current["ordered"] = True

    def rich_list(self, block: ListBlock, into: _Steps) -> None:
        """A list whose items hold code or tables: a step an item, in order."""
        for number, item in enumerate(block.items, start=block.start):
            first = next((b for b in item.blocks if isinstance(b, Paragraph)), None)
            marker = f"{number}. " if block.ordered else ""
            into.start({"text": marker + self.text(first.text)} if first else {})
            into.extend(self.steps([b for b in item.blocks if b is not first]))
        into.start()

    def inline_commands(self, block: ListBlock, into: _Steps) -> bool:
        """A list with an item that ends in a command (`- Scale up: `kubectl scale ...``): each
        such item a step (its words, then the command, copyable); the other items, as many as
        stand together, a list. False (nothing done) when no item does."""
        found = [inline_command(_item_text(item)) for item in block.items]
        if block.ordered or not any(found):
            return False
        rest: list[ListItem] = []
        for item, inline in zip(block.items, found, strict=True):
            if inline is None:
                rest.append(item)
                continue
            if rest:
                into.put("items", [self.item(i) for i in rest])
                rest = []
            code = Code(inline[1], "bash", item.line, False)
            into.start({"text": self.text(inline[0])})
            into.put("commands", [self.command(code, inline[1], "bash")])
        if rest:
            into.start()
            into.put("items", [self.item(i) for i in rest])
        return True

    def html(self, block: Html, into: _Steps) -> None:
        """An HTML table as a table; any other HTML as text, as written."""
        table = _html_table(block.text)
        if table is not None:
            self.note(block.line, "RB902", "an HTML table is read as a table: check it")
            into.put("table", self.table(Table(table[0], tuple(table[1:]), block.line)))
        else:
            message = "HTML is kept as text (the page shows it as written): rewrite it as Markdown or YAML"
            self.note(block.line, "RB902", message)
            into.put("text", block.text.strip() or "(HTML)")

    def headed(self, heading: Heading) -> dict[str, Any]:
        text = _plain(heading.text)
        condition = _IF.fullmatch(text)
        text = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", text) or text  # "1. Triage": the page numbers
        step = {"when": condition.group(1).strip()} if condition else _titled(text)
        step["id"] = self.unique(slug(_plain(heading.text), "step"))  # the source's anchor, kept
        return step

    def item(self, item: ListItem) -> Any:
        texts = [self.text(b.text) for b in item.blocks if isinstance(b, Paragraph)]
        subs = [b for b in item.blocks if isinstance(b, ListBlock)]
        text = "\n\n".join(texts) or "(empty item)"
        if not subs:
            return text
        nested: dict[str, Any] = {
            "text": text,
            "items": [self.item(i) for s in subs for i in s.items],
        }
        if subs[0].ordered:
            nested["ordered"] = True
        return nested

    def check(self, item: ListItem) -> Any:
        texts = [self.text(b.text) for b in item.blocks if isinstance(b, Paragraph)]
        text = "\n\n".join(texts) or "(empty item)"
        subs = [i for b in item.blocks if isinstance(b, ListBlock) for i in b.items]
        for other in item.blocks:
            if not isinstance(other, Paragraph | ListBlock):
                self.note(
                    other.line,
                    "RB904",
                    "a checklist item holds a block a checklist cannot: it is kept as the item's text",
                )
                text += "\n\n" + _source_text(other)
        if not subs and not item.checked:
            return text
        check: dict[str, Any] = {"text": text}
        if item.checked:
            check["done"] = True
        if subs:
            check["items"] = [self.check(i) for i in subs]
        return check

    def table(self, block: Table) -> dict[str, Any]:
        width = len(block.head)
        rows = []
        for row in block.rows:
            cells = list(row)
            if len(cells) > width:
                self.note(
                    block.line,
                    "RB907",
                    f"a row has {len(cells)} cells for {width} columns: the extra cells are joined into the last",
                )
                cells = [*cells[: width - 1], " | ".join(cells[width - 1 :])]
            rows.append([self.text(c) if c.strip() else "" for c in cells])
        columns = [
            self.text(h) if h.strip() else f"Column {i + 1}" for i, h in enumerate(block.head)
        ]
        return {"columns": columns, "rows": rows}

    def callout(self, block: Quote | Admonition) -> dict[str, Any]:
        kind = CALLOUTS.get(block.kind.lower(), "note") if isinstance(block, Admonition) else "note"
        callout: dict[str, Any] = {"kind": kind}
        if isinstance(block, Admonition) and block.title.strip():
            callout["title"] = _plain(block.title)[:200]
        callout["text"] = (
            self.prose([b for b in block.blocks if isinstance(b, Paragraph)]) or "(see below)"
        )
        return callout

    def as_flow(self, block: Code, into: _Steps) -> bool:
        """A simple flowchart as the runbook's flow (the page draws it, its boxes linked to the
        phases they name)."""
        title = into.current.get("title") or self.phase_title or "Flow"
        self.flow = flow(block.body, title)
        if self.flow is not None and list(into.current) == ["title"]:
            into.current = {}
        return self.flow is not None

    def diagram(self, block: Code, step: dict[str, Any]) -> dict[str, Any]:
        """A mermaid block: a diagram of the runbook's, as written."""
        title = step.get("title") or f"Diagram {len(self.diagrams) + 1}"
        body = re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", "", block.body)
        return {
            "id": self.unique(slug(title, "diagram")),
            "title": title,
            "description": f"{DECIDE}say in words what the diagram shows",
            "mermaid": body,
        }

    def template(self, block: Code, step: dict[str, Any]) -> str:
        """A Markdown block (a message to post): a template of the runbook's, shown here."""
        title = step.get("title") or f"Message {len(self.templates) + 1}"
        ident = self.unique(slug(title, "template"))
        self.templates.append(
            {"id": ident, "title": title, "format": "markdown", "body": block.body}
        )
        return ident

    def commands(self, block: Code) -> list[dict[str, Any]]:
        """A code block as commands: a shell session (`$ ` prompts) split into its commands,
        each with the output printed after it; any other block one command, as written."""
        language = ALIASES.get(block.language.lower(), block.language.lower())
        if language not in LANGUAGES:
            message = f"code in {block.language!r}, which commands do not know: kept as `text`"
            self.note(block.line, "RB901", message)
            language = "text"
        body = block.body if block.body.strip() else "# (empty in the source)"
        lines = body.split("\n")
        if language not in _SHELLS or not any(line.startswith("$ ") for line in lines):
            return [self.command(block, body, language)]
        found: list[dict[str, Any]] = []
        before = []
        while lines and not lines[0].startswith("$ "):
            before.append(lines.pop(0))
        if "\n".join(before).strip():
            found.append(self.command(block, "\n".join(before).strip("\n"), "text"))
        shell = "bash" if language in ("text", "console") else language
        while lines:
            run = [lines.pop(0)[2:]]
            while run[-1].endswith("\\") and lines:  # a command continued on the next line
                run.append(lines.pop(0))
            output = []
            while lines and not lines[0].startswith("$ "):
                output.append(lines.pop(0))
            command = self.command(block, "\n".join(run), shell)
            if "\n".join(output).strip():
                command["output"] = "\n".join(output).strip("\n")
            found.append(command)
        return found

    def command(self, block: Code, run: str, language: str) -> dict[str, Any]:
        if language in _SHELLS - {"text"} and "[" in run:
            run = self.brackets(block, run)
        command: dict[str, Any] = {"run": run}
        if language != "bash":
            command["language"] = language
        destroys = _DESTRUCTIVE.search(run) if language not in _NOT_RUN else None
        if destroys:
            word = " ".join(destroys.group(0).split())
            command = {
                COMMENT: f"Marked destructive by the import ({word!r}): say why and what to check"
                " first, or take `destructive` out if it destroys nothing.",
                **command,
            }
            command["destructive"] = {
                "reason": f"{DECIDE}say what this destroys",
                "precondition": f"{DECIDE}say what to check before running it",
            }
            message = "a command that looks destructive is marked so: write why, and what to check first, where the file says TODO"
            self.note(block.line, "RB908", message)
        return command

    def brackets(self, block: Code, run: str) -> str:
        """`[POD_NAME]` in a shell command, a placeholder the page cannot fill, as `<POD_NAME>`,
        which it can (a shell test `[ -f x ]`, a class `[a-z]`, a quoted `"[x]"` left alone)."""
        lines = []
        for line in run.split("\n"):
            for match in reversed(list(_BRACKET.finditer(line))):
                name, before = match.group(1), line[: match.start()]
                if all(len(p) == 1 for p in re.split(r"[-_]", name)) or before.count("'") % 2:
                    continue
                if before.count('"') % 2:
                    continue
                line = f"{before}<{name}>{line[match.end() :]}"
                message = f"the placeholder [{name}] is written <{name}>, which the page fills in"
                self.note(block.line, "RB917", message)
            lines.append(line)
        return "\n".join(lines)

    # ---- Text --------------------------------------------------------------------------

    def text(self, text: str) -> str:
        """Inline Markdown as our texts read it: reference links made inline."""
        if re.search(r"(?i)escalat|page|notify|call", text):
            self.people.said.extend(escalation_in(text))
        if "{{<" in text or "{{%" in text:  # Hugo's `[x]({{< relref "db.md" >}})`: a link to db.md
            text = _HUGO_REF.sub(r"](\1)", text)
        if "](#" in text:
            for match in re.finditer(r"\]\(#([^()\s]*)\)", text):
                self.anchor_lines.setdefault(match.group(1), self.line)
        if self.doc.links and "]" in text:

            def inline(match: re.Match[str]) -> str:
                label, ref = match.group(1), (match.group(2) or match.group(1)).lower()
                url = self.doc.links.get(ref, "").split()  # a title after it: left out
                if not url:
                    return match.group(0)
                self.used.add(ref)
                return f"[{label}]({url[0].strip('<>')})"

            text = re.sub(r"\[([^\[\]\n]+)\](?:\[([^\[\]\n]*)\])?(?!\()", inline, text)
        if "](" in text:
            # A link's title (`[x](url "Title")`) is a tooltip our texts do not have: left out.
            text = re.sub(r"(\]\(<?[^()\s<>]+>?)\s+(?:\"[^\"\n]*\"|'[^'\n]*')\)", r"\1)", text)
            text = re.sub(r"\[([^\[\]\n]+)\]\(<([^<>\s]+)>\)", r"[\1](\2)", text)
            text = re.sub(r"\[([^\[\]\n]+)\]\(([^()\s]+)\)", self.elsewhere, text)
        return text.strip() or "(empty)"

    def elsewhere(self, match: re.Match[str]) -> str:
        """A link to another document (`./x.md`, `/guide/`): a link of the runbook's (to the
        runbook imported from that file, else to the document as written), which the step
        points to with `see`; the text keeps the label (a text links only to the web, mail, a
        phone and its own page's parts)."""
        label, target = match.group(1), match.group(2)
        if LINK_TARGET.match(target) or target.startswith("#"):
            return match.group(0)
        self.refer(label, target)
        return label

    def refer(self, label: str, target: str) -> None:
        """The link of the runbook's for *target* (made the first time), for the step's `see`."""
        ident = self.links.get(target)
        if ident is None:
            ident = self.unique(slug(label, "link"))
            self.links[target] = ident
            self.link_lines[ident] = self.line
            self.link_data.append(self.link(ident, label, target))
        if ident not in self.seen:
            self.seen.append(ident)

    def link(self, ident: str, label: str, target: str) -> dict[str, Any]:
        path, _, fragment = target.partition("#")
        runbook = self.resolve(path) if path else None
        found: dict[str, Any] = {"id": ident, "title": _plain(label)[:200] or target[:200]}
        if runbook is not None:
            found["runbook"] = runbook
            if fragment:
                found["procedure"] = fragment
            return found
        self.note(
            0,
            "RB914",
            f"a link to {target!r}, a document not imported with this one, is listed under `links:` as a document: make it `runbook: ID` once that document is a runbook on the site",
        )
        found["document"] = target[:300]
        found["unpublished"] = True  # its path is the source's, not one beside the runbook
        return found

    def prose(self, blocks: Iterable[Block]) -> str:
        """Blocks as one text: paragraphs apart, list items a line each, code as written."""
        texts = [
            _source_text(b) if isinstance(b, Code) else self.text(_source_text(b))
            for b in blocks
            if not isinstance(b, Rule)
        ]
        return "\n\n".join(texts).strip()


# ---- Helpers -------------------------------------------------------------------------------


def _split(
    blocks: Sequence[Block], level: int
) -> tuple[list[Block], list[tuple[Heading, list[Block]]]]:
    """Blocks before the first heading of *level* (or above), and each such heading with its
    blocks."""
    intro: list[Block] = []
    parts: list[tuple[Heading, list[Block]]] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level <= level:
            parts.append((block, []))
        elif parts:
            parts[-1][1].append(block)
        else:
            intro.append(block)
    return intro, parts


def _decide(data: dict[str, Any]) -> dict[str, Any]:
    """*data* with a comment, under its title, on what the source did not say."""
    missing = [
        "`owner:` the id of the contact (team) that keeps this runbook" * ("owner" not in data),
        "`last_reviewed:` the date a person last checked it (YYYY-MM-DD)"
        * ("last_reviewed" not in data),
    ]
    missing = [m for m in missing if m]
    if not missing:
        return data
    text = "The source does not say, so the import could not: add " + "; and ".join(missing) + "."
    at = list(data).index("summary" if "summary" in data else "title") + 1
    items = list(data.items())
    return dict([*items[:at], (COMMENT, text), *items[at:]])


def _alert_of(heading: str) -> str | None:
    """The alert a heading names: `Alert Name: "KubeAPIDown"`, or a name of three or more
    capitalised words run together (`CortexIngesterRestarts`), else None."""
    text = _plain(heading)
    said = re.fullmatch(
        r"(?:alert(?:\s*name)?|alertname)\s*:\s*[\"']?([A-Za-z_:][\w:]*)[\"']?", text, re.I
    )
    if said:
        return said.group(1)
    return text if re.fullmatch(r"(?:[A-Z][A-Za-z0-9]*?[a-z0-9]+){3,}", text) else None


def _ends(block: Block, level: int) -> bool:
    return isinstance(block, Heading) and block.level <= level


def _fields(block: Block) -> list[tuple[str, str]] | None:
    """A list whose every item is `*Key*: value` (or `**Key**: value`), as (key, value)."""
    if not isinstance(block, ListBlock):
        return None
    fields = []
    for item in block.items:
        text = " ".join(b.text for b in item.blocks if isinstance(b, Paragraph))
        match = re.fullmatch(r"\*{1,2}([^*\n]{1,40}?)\*{1,2}\s*:\s*(.+)", text.strip(), re.S)
        if len(item.blocks) != 1 or match is None:
            return None
        fields.append((match.group(1).strip(), match.group(2).strip()))
    return fields


def _severity_rank(ident: str) -> tuple[int, str]:
    order = ("critical", "high", "error", "major", "warning", "medium", "minor", "low", "info")
    name = ident.lower()
    return (order.index(name) if name in order else len(order), name)


def _item_text(item: ListItem) -> str:
    """An item's one paragraph (or "" when it holds anything else)."""
    if len(item.blocks) != 1 or not isinstance(item.blocks[0], Paragraph):
        return ""
    return item.blocks[0].text


def _content(blocks: Sequence[Block]) -> bool:
    return any(not isinstance(b, Rule) for b in blocks)


def _link_phases(flow: dict[str, Any], phases: list[dict[str, Any]]) -> None:
    """Each box of the flow that names a phase (its title, or its id) links to it."""
    for node in flow["nodes"]:
        for phase in phases:
            if node["label"].lower() in (phase["title"].lower(), phase["id"]):
                node["phase"] = phase["id"]
                break


def _titled(title: str) -> dict[str, Any]:
    """A title, and the time budget it gives: "Triage (< 5 minutes)"."""
    found = budget(title)
    return {"title": found[0], "time_budget": found[1]} if found else {"title": title}


def _plain(text: str) -> str:
    """A heading's words (`words.plain`), or the heading as written when they are none."""
    return plain(text) or text.strip()


def _label(block: Block) -> tuple[str, str] | None:
    if not isinstance(block, Paragraph):
        return None
    match = _LABEL.fullmatch(block.text.strip())
    return (match.group(1).strip(), match.group(2)) if match else None


def _slot_of(label: str) -> str | None:
    label = label.lower()
    if label.startswith("symptom"):
        return "symptoms"
    if label.startswith("cause"):
        return "causes"
    if re.match(r"check|diagnos|investigat|verify", label):
        return "diagnosis"
    if re.match(r"action|resolution|fix|mitigat|remediat|recover", label):
        return "resolution"
    return None


def _labelled(blocks: Sequence[Block], prefix: str) -> bool:
    return any(
        (label := _label(b)) is not None and label[0].lower().startswith(prefix) for b in blocks
    )


def _checklist_in_code(body: str) -> list[Any]:
    """A code block of `[ ] item` lines (a checklist written as code)."""
    lines = [line for line in body.splitlines() if line.strip()]
    matches = [_TASK.fullmatch(line) for line in lines]
    if not lines or not all(matches):
        return []
    return [
        m.group(2).strip() if m.group(1) == " " else {"text": m.group(2).strip(), "done": True}
        for m in matches
        if m
    ]


class _TableReader(HTMLParser):
    """The rows of an HTML table, each cell's text (a link as `[text](href)`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.href = ""
        self.tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.cell = []
        elif tag == "a" and self.cell is not None:
            self.href = dict(attrs).get("href") or ""
            self.cell.append("\x00")
        elif tag in ("br", "p", "div", "li") and self.cell is not None:
            self.cell.append(" ")  # a line or paragraph of a cell: words apart

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "a" and self.cell is not None and "\x00" in self.cell:
            at = len(self.cell) - 1 - self.cell[::-1].index("\x00")
            label = " ".join("".join(self.cell[at + 1 :]).split())
            href = self.href
            # As a Markdown link: the cell's text makes it a link, or one of the runbook's.
            ok = href and href != "#" and not re.search(r"[\s()<>]", href)
            linked = f"[{label}]({href})" if ok else label
            self.cell[at:] = [linked]

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _html_table(text: str) -> list[tuple[str, ...]] | None:
    """The rows of the one table an HTML block is (the first its header), or None."""
    if "<table" not in text.lower() or text.lower().count("<table") > 1:
        return None
    reader = _TableReader()
    reader.feed(text)
    reader.close()
    rows = [row for row in reader.rows if row]
    if not rows:
        return None
    width = max(len(row) for row in rows)
    return [tuple(row + [""] * (width - len(row))) for row in rows]


def _runs(value: Any) -> Iterator[str]:
    """Every command of a runbook's data."""
    if isinstance(value, dict):
        if isinstance(value.get("run"), str):
            yield value["run"]
        for key, item in value.items():
            if key != "run":
                yield from _runs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _runs(item)


def _first_word(body: str) -> str:
    """The first word of a mermaid block (its kind), comments (`%%`) skipped."""
    lines = (line.strip() for line in body.splitlines())
    return next((line.split()[0] for line in lines if line and not line.startswith("%%")), "")


def _rich(item: ListItem) -> bool:
    """Whether an item holds (at any depth of lists) a block an item's text cannot."""
    found = [b for b in item.blocks if isinstance(b, Code | Table | Quote | Admonition | Html)]
    lists = [b for b in item.blocks if isinstance(b, ListBlock)]
    return bool(found) or any(_rich(i) for b in lists for i in b.items)


def _inner_blocks(block: Quote | Admonition) -> Iterator[Block]:
    for inner in block.blocks:
        if not isinstance(inner, Paragraph | Rule):
            yield inner


def _source_text(block: Block) -> str:
    """A block as text that keeps every word of it."""
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Heading):
        return block.text
    if isinstance(block, Code):
        return block.body
    if isinstance(block, ListBlock):
        lines = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}." if block.ordered else "-"
            lines.append(f"{marker} " + " ".join(_source_text(b) for b in item.blocks))
        return "\n".join(lines)
    if isinstance(block, Table):
        return "\n".join(" | ".join(row) for row in (block.head, *block.rows))
    if isinstance(block, Quote | Admonition):
        return "\n\n".join(_source_text(b) for b in block.blocks)
    if isinstance(block, Html):
        return block.text
    return ""


def anchors_of(data: dict[str, Any]) -> set[str]:
    """The ids a link from another runbook may name: its phases, procedures and steps."""
    found: set[str] = set()
    for key in ("phases", "procedures"):
        for part in data.get(key, ()):
            found.add(part["id"])
            for slot in ("steps", "diagnosis", "resolution"):
                found.update(_step_ids(part.get(slot, ())))
    return found


def _step_ids(steps: Iterable[dict[str, Any]]) -> Iterator[str]:
    for step in steps:
        if "id" in step:
            yield step["id"]
        yield from _step_ids(step.get("steps", ()))


def convert(
    path: str, stem: str, doc: Document, resolve: Callable[[str], str | None] = lambda _: None
) -> Imported:
    """The runbook *doc* (read from *path*, named after *stem*) as our format's data;
    *resolve* names the runbook imported from a file a relative link names (or None)."""
    return _Converter(path, doc, resolve).runbook(stem)
