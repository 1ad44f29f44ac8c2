"""Stage 3: typed, frozen views of validated documents, each keeping its source position.

Builders here trust the schema: they run only on documents that validated.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from generator.core.loader import Document, JsonPath
from generator.diagnostics import Diagnostic, pickle_by_dict


@dataclass(frozen=True)
class Source:
    """Where a thing was written."""

    path: str
    line: int = 1
    col: int = 1


@dataclass(frozen=True)
class Level:
    id: str
    description: str
    response_time: str
    name: str = ""
    label: str = ""
    escalation: str = ""
    update_cadence: str = ""
    examples: tuple[str, ...] = ()
    responses: tuple[str, ...] = ()


@dataclass(frozen=True)
class SeverityScheme:
    id: str
    levels: tuple[Level, ...]
    source: Source
    title: str = ""
    description: str = ""


@dataclass(frozen=True)
class Channel:
    type: str
    value: str
    internal: bool = False


@dataclass(frozen=True)
class Contact:
    id: str
    role: str
    source: Source
    tier: str = ""
    channels: tuple[Channel, ...] = ()
    notes: str = ""
    internal: bool = False


@dataclass(frozen=True)
class EscalationStep:
    after: str
    action: str
    source: Source
    condition: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Variable:
    name: str
    description: str
    example: str = ""
    pattern: str = ""
    values: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name its placeholders may have: its own, then its aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Destructive:
    reason: str
    precondition: str = ""
    rollback: str = ""


@dataclass(frozen=True)
class Callout:
    kind: str
    text: str
    title: str = ""


@dataclass(frozen=True)
class Image:
    """A picture kept beside the runbook (`src` relative to its file)."""

    src: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Alert:
    """An alert that a procedure or runbook answers; only those with these label values when
    it has labels."""

    name: str
    labels: dict[str, str] = field(default_factory=dict)

    def matcher(self) -> str:
        """As Prometheus writes a selector: `Name{severity="critical"}`."""
        if not self.labels:
            return self.name
        pairs = ",".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in self.labels.items())
        return f"{self.name}{{{pairs}}}"


@dataclass(frozen=True)
class Command:
    run: str
    source: Source
    language: str = "bash"
    description: str = ""
    output: str = ""
    destructive: Destructive | None = None


@dataclass(frozen=True)
class Item:
    text: str
    items: tuple[Item, ...] = ()
    ordered: bool = False


@dataclass(frozen=True)
class Check:
    """A checklist item: it may start ticked, and hold items of its own."""

    text: str
    done: bool = False
    items: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Step:
    source: Source
    title: str = ""
    when: str = ""
    time_budget: str = ""
    text: str = ""
    items: tuple[Item, ...] = ()
    ordered: bool = False
    checklist: tuple[Check, ...] = ()
    commands: tuple[Command, ...] = ()
    table: Table | None = None
    template: str = ""
    see: tuple[str, ...] = ()
    note: str = ""
    steps: tuple[Step, ...] = ()
    path: JsonPath = field(default=(), compare=False)  # where in the file, for diagnostics
    callouts: tuple[Callout, ...] = ()
    role: str = ""
    environments: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    id: str = ""


@dataclass(frozen=True)
class Phase:
    id: str
    title: str
    source: Source
    time_budget: str = ""
    goal: str = ""
    steps: tuple[Step, ...] = ()
    role: str = ""


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    symptoms: tuple[str, ...]
    source: Source
    summary: str = ""
    severity: str = ""
    causes: tuple[str, ...] = ()
    diagnosis: tuple[Step, ...] = ()
    resolution: tuple[Step, ...] = ()
    notes: str = ""
    impact: str = ""
    alerts: tuple[Alert, ...] = ()


@dataclass(frozen=True)
class DecisionRow:
    symptom: str
    check: str = ""
    command: str = ""
    action: str = ""
    see: str = ""


@dataclass(frozen=True)
class DecisionTable:
    id: str
    rows: tuple[DecisionRow, ...]
    source: Source
    title: str = ""
    phase: str = ""
    headings: dict[str, str] = field(default_factory=dict)

    def columns(self) -> tuple[tuple[str, str], ...]:
        """(field, heading) for every column some row fills, in symptom/check/command/action order."""
        names = {
            "symptom": "Symptom",
            "check": "Check",
            "command": "Command",
            "action": "Action",
        } | self.headings
        used = [
            f
            for f in ("symptom", "check", "command", "action")
            if any(getattr(r, f) for r in self.rows)
        ]
        return tuple((f, names[f]) for f in used)


@dataclass(frozen=True)
class FlowNode:
    id: str
    label: str
    shape: str = "step"
    phase: str = ""


@dataclass(frozen=True)
class FlowEdge:
    source: str
    target: str
    label: str = ""


@dataclass(frozen=True)
class Diagram:
    """A diagram of its own, in Mermaid's language."""

    id: str
    title: str
    mermaid: str
    description: str


@dataclass(frozen=True)
class Flow:
    nodes: tuple[FlowNode, ...]
    edges: tuple[FlowEdge, ...]
    title: str = ""
    direction: str = "TD"


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    body: str
    kind: str = "other"
    format: str = "text"
    description: str = ""


@dataclass(frozen=True)
class Link:
    id: str
    title: str
    source: Source
    group: str = ""
    description: str = ""
    runbook: str = ""
    procedure: str = ""
    url: str = ""
    document: str = ""
    unpublished: bool = False


@dataclass(frozen=True)
class Section:
    """A section that explains (background, how it works), under its own heading."""

    id: str
    title: str
    text: str
    images: tuple[Image, ...] = ()


@dataclass(frozen=True)
class Footnote:
    id: str
    text: str


@dataclass(frozen=True)
class HistoryEntry:
    version: str
    date: str
    changes: str


class Positions(Mapping[JsonPath, tuple[int, int]]):
    """Where each value of a runbook's file is (line, column). Kept as one pickled blob once
    packed, and decoded only when asked: a runbook has hundreds, only diagnostics read them, and
    as tuples and dicts they made up half of a loaded site's memory and of its cache entries.
    A runbook just built keeps its dict until `pack`, for the checks that run right after."""

    __slots__ = ("_blob", "_map")

    def __init__(self, positions: Mapping[JsonPath, tuple[int, int]] | None = None) -> None:
        self._map: dict[JsonPath, tuple[int, int]] | None = dict(positions or {})
        self._blob: bytes | None = None

    def _decoded(self) -> dict[JsonPath, tuple[int, int]]:
        if self._map is None:
            assert self._blob is not None
            self._map = pickle.loads(self._blob)
        return self._map

    def packed(self) -> bytes:
        """The positions as one bytes object (what pickling a runbook stores)."""
        if self._blob is None:
            # pickle: a third of the time json took both ways, and two thirds of its size
            self._blob = pickle.dumps(self._map, protocol=pickle.HIGHEST_PROTOCOL)
        return self._blob

    def pack(self) -> None:
        """Keep only the packed form, until a lookup decodes it again."""
        self.packed()
        self._map = None

    def resolve(self, path: JsonPath) -> tuple[int, int]:
        """Where the value at *path* is, or its nearest parent with a position; (1, 1) if none."""
        positions = self._decoded()
        while path not in positions and path:
            path = path[:-1]
        return positions.get(path, (1, 1))

    def subset(self, paths: Iterable[JsonPath]) -> Positions:
        """The positions of *paths* only, each resolved: what a reader of just those needs."""
        return Positions({path: self.resolve(path) for path in paths})

    def __getitem__(self, path: JsonPath) -> tuple[int, int]:
        return self._decoded()[path]

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())

    def __getstate__(self) -> bytes:
        return self.packed()  # never the decoded copy

    def __setstate__(self, blob: bytes) -> None:
        self._blob, self._map = blob, None


@dataclass(frozen=True)
class Runbook:
    """One runbook, ready to render. References are still ids; `Site` resolves them."""

    id: str
    title: str
    owner: str
    last_reviewed: str
    source: Source
    summary: str = ""
    services: tuple[str, ...] = ()
    version: str = ""
    next_review: str = ""
    tags: tuple[str, ...] = ()
    internal: bool = False
    history: tuple[HistoryEntry, ...] = ()
    severity: str = ""
    inline_scheme: SeverityScheme | None = None
    contacts: tuple[str, ...] = ()
    inline_contacts: tuple[Contact, ...] = ()
    escalation: tuple[EscalationStep, ...] = ()
    variables: tuple[Variable, ...] = ()
    flow: Flow | None = None
    phases: tuple[Phase, ...] = ()
    decision_tables: tuple[DecisionTable, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    templates: tuple[Template, ...] = ()
    links: tuple[Link, ...] = ()
    positions: Positions = field(default_factory=Positions, compare=False, repr=False)
    sections: tuple[Section, ...] = ()
    alerts: tuple[Alert, ...] = ()
    diagrams: tuple[Diagram, ...] = ()
    footnotes: tuple[Footnote, ...] = ()

    def at(self, *path: str | int) -> Source:
        """Source position of the value at *path* in this runbook's file (or its nearest parent)."""
        return Source(self.source.path, *self.positions.resolve(path))

    @property
    def service(self) -> str:
        """The service that groups this runbook in the navigation."""
        return self.services[0] if self.services else "general"

    def template(self, template_id: str) -> Template | None:
        return next((t for t in self.templates if t.id == template_id), None)

    def link(self, link_id: str) -> Link | None:
        return next((x for x in self.links if x.id == link_id), None)

    def tables_for(self, phase_id: str) -> tuple[DecisionTable, ...]:
        return tuple(t for t in self.decision_tables if t.phase == phase_id)


@dataclass(frozen=True)
class ReviewDates:
    """A runbook's review dates and where they are written: what the review checks judge."""

    last_reviewed: str
    next_review: str
    last_at: Source
    next_at: Source


@dataclass(frozen=True)
class Site:
    """Everything the sources define, with ids resolved to objects. Frozen: what the checks
    find in it travels beside it (`generator.checks.Checked`)."""

    runbooks: tuple[Runbook, ...] = ()
    schemes: Mapping[str, SeverityScheme] = field(default_factory=dict)
    contacts: Mapping[str, Contact] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    # The `severity` label of each alert as the alerting rules given to the build say it (an
    # alert defined by several rules: their severities, joined); empty without rules.
    alert_severity: Mapping[str, str] = field(default_factory=dict)
    # runbooks by id (the first of duplicates): lookups are many
    _by_id: Mapping[str, Runbook] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: what a list given for a tuple becomes, and the index
        set_(self, "runbooks", tuple(self.runbooks))
        set_(self, "diagnostics", tuple(self.diagnostics))
        by_id: dict[str, Runbook] = {}
        for runbook in self.runbooks:
            by_id.setdefault(runbook.id, runbook)
        set_(self, "_by_id", by_id)

    def runbook(self, runbook_id: str) -> Runbook | None:
        return self._by_id.get(runbook_id)

    def scheme_of(self, runbook: Runbook) -> SeverityScheme | None:
        return runbook.inline_scheme or self.schemes.get(runbook.severity)

    def contacts_of(self, runbook: Runbook) -> list[Contact]:
        inline = {c.id: c for c in runbook.inline_contacts}
        found = (inline.get(i) or self.contacts.get(i) for i in runbook.contacts)
        return [c for c in found if c is not None]

    def services(self) -> dict[str, list[Runbook]]:
        """Runbooks grouped by their first service, both sorted."""
        groups: dict[str, list[Runbook]] = {}
        for runbook in sorted(self.runbooks, key=lambda r: (r.service, r.title.lower(), r.id)):
            groups.setdefault(runbook.service, []).append(runbook)
        return dict(sorted(groups.items()))


# Fields that are not in the file (or, inline contacts, not at their own index), and fields
# named differently in the file: what the schema-driven tests and the secret scan read.
NOT_IN_FILE = frozenset({"positions", "path", "inline_contacts", "_by_id"})
FILE_NAMES: dict[tuple[type, str], str] = {
    (Runbook, "inline_scheme"): "severity",
    (FlowEdge, "source"): "from",
    (FlowEdge, "target"): "to",
}


# Pickled by the hundred: into the cache, from worker processes.
pickle_by_dict(
    Source,
    Level,
    SeverityScheme,
    Channel,
    Contact,
    EscalationStep,
    Variable,
    Destructive,
    Callout,
    Image,
    Alert,
    Command,
    Item,
    Check,
    Table,
    Step,
    Phase,
    Procedure,
    DecisionRow,
    DecisionTable,
    FlowNode,
    FlowEdge,
    Diagram,
    Flow,
    Template,
    Link,
    Section,
    Footnote,
    HistoryEntry,
    Runbook,
    ReviewDates,
    Site,
)


_Model = TypeVar("_Model")
_new_object = object.__new__


def _made(cls: type[_Model], values: dict[str, Any]) -> _Model:
    """An instance of the frozen dataclass *cls*, *values* holding each of its fields in order,
    made as unpickling makes one: its `__init__` sets each field through `object.__setattr__`,
    four times slower (a runbook has a hundred steps, commands and positions)."""
    made = _new_object(cls)
    made.__dict__.update(values)
    return made


class _Builder:
    """Builds model objects from one document, attaching positions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.path, self.positions = doc.path, doc.positions

    def source(self, path: JsonPath) -> Source:
        where = self.positions.get(path) or self.doc.pos(path)  # every mapping has its own
        return _made(Source, {"path": self.path, "line": where[0], "col": where[1]})

    def variable(self, d: Mapping[str, Any]) -> Variable:
        lists = {key: tuple(d.get(key, ())) for key in ("values", "aliases")}
        return Variable(**{**d, **lists})

    def runbook(self) -> Runbook:
        d = self.doc.data
        severity = d.get("severity", "")
        contacts = d.get("contacts", [])
        return Runbook(
            id=d["id"],
            title=d["title"],
            owner=d.get("owner", ""),
            last_reviewed=d.get("last_reviewed", ""),
            source=self.source(()),
            summary=d.get("summary", ""),
            services=tuple(d.get("services", ())),
            version=d.get("version", ""),
            next_review=d.get("next_review", ""),
            tags=tuple(d.get("tags", ())),
            internal=d.get("internal", False),
            history=tuple(HistoryEntry(**h) for h in d.get("history", ())),
            severity=severity if isinstance(severity, str) else severity["id"],
            inline_scheme=None
            if isinstance(severity, str)
            else self.scheme(severity, ("severity",)),
            contacts=tuple(c if isinstance(c, str) else c["id"] for c in contacts),
            inline_contacts=tuple(
                self.contact(c, ("contacts", i))
                for i, c in enumerate(contacts)
                if isinstance(c, dict)
            ),
            escalation=tuple(
                self.escalation(e, ("escalation", i)) for i, e in enumerate(d.get("escalation", ()))
            ),
            variables=tuple(self.variable(v) for v in d.get("variables", ())),
            flow=self.flow(d["flow"]) if "flow" in d else None,
            phases=tuple(self.phase(p, ("phases", i)) for i, p in enumerate(d.get("phases", ()))),
            decision_tables=tuple(
                self.decision_table(t, ("decision_tables", i))
                for i, t in enumerate(d.get("decision_tables", ()))
            ),
            procedures=tuple(
                self.procedure(p, ("procedures", i)) for i, p in enumerate(d.get("procedures", ()))
            ),
            templates=tuple(Template(**t) for t in d.get("templates", ())),
            links=tuple(
                Link(**x, source=self.source(("links", i)))
                for i, x in enumerate(d.get("links", ()))
            ),
            positions=Positions(self.doc.positions),
            sections=tuple(
                Section(**{**x, "images": tuple(Image(**i) for i in x.get("images", ()))})
                for x in d.get("sections", ())
            ),
            alerts=tuple(map(_alert, d.get("alerts", ()))),
            diagrams=tuple(Diagram(**x) for x in d.get("diagrams", ())),
            footnotes=tuple(Footnote(**x) for x in d.get("footnotes", ())),
        )

    def scheme(self, d: dict[str, Any], path: JsonPath) -> SeverityScheme:
        levels = tuple(
            Level(
                **{
                    "response_time": "",
                    **lv,
                    "examples": tuple(lv.get("examples", ())),
                    "responses": tuple(lv.get("responses", ())),
                }
            )
            for lv in d["levels"]
        )
        return SeverityScheme(
            d["id"], levels, self.source(path), d.get("title", ""), d.get("description", "")
        )

    def contact(self, d: dict[str, Any], path: JsonPath) -> Contact:
        channels = tuple(Channel(**c) for c in d.get("channels", ()))
        fields = {k: v for k, v in d.items() if k != "channels"}
        return Contact(**fields, channels=channels, source=self.source(path))

    def escalation(self, d: dict[str, Any], path: JsonPath) -> EscalationStep:
        return EscalationStep(**{"after": "", **d}, source=self.source(path))

    def command(self, d: dict[str, Any], path: JsonPath) -> Command:
        get = d.get
        destructive = Destructive(**d["destructive"]) if "destructive" in d else None
        return _made(
            Command,
            {
                "run": d["run"],
                "source": self.source(path),
                "language": get("language", "bash"),
                "description": get("description", ""),
                "output": get("output", ""),
                "destructive": destructive,
            },
        )

    def step(self, d: dict[str, Any], path: JsonPath) -> Step:
        # Most steps have a few of these: nothing is made for those they leave out.
        get = d.get
        items, commands, table, steps = get("items"), get("commands"), get("table"), get("steps")
        return _made(
            Step,
            {
                "source": self.source(path),
                "title": get("title", ""),
                "when": get("when", ""),
                "time_budget": get("time_budget", ""),
                "text": get("text", ""),
                "items": tuple(map(_item, items)) if items else (),
                "ordered": get("ordered", False),
                "checklist": tuple(map(_check, get("checklist", ()))),
                "commands": self.commands(commands, path) if commands else (),
                "table": Table(tuple(table["columns"]), tuple(map(tuple, table["rows"])))
                if table
                else None,
                "template": get("template", ""),
                "see": tuple(get("see", ())),
                "note": get("note", ""),
                "steps": self.steps(steps, (*path, "steps")) if steps else (),
                "path": path,
                "callouts": tuple(Callout(**c) for c in get("callouts", ())),
                "role": get("role", ""),
                "environments": tuple(get("environments", ())),
                "images": tuple(Image(**x) for x in get("images", ())),
                "id": get("id", ""),
            },
        )

    def commands(self, items: list[dict[str, Any]], path: JsonPath) -> tuple[Command, ...]:
        return tuple(self.command(c, (*path, "commands", i)) for i, c in enumerate(items))

    def steps(self, items: Any, path: JsonPath) -> tuple[Step, ...]:
        return tuple(self.step(s, (*path, i)) for i, s in enumerate(items))

    def phase(self, d: dict[str, Any], path: JsonPath) -> Phase:
        steps = self.steps(d.get("steps", ()), (*path, "steps"))
        return Phase(
            d["id"],
            d["title"],
            self.source(path),
            d.get("time_budget", ""),
            d.get("goal", ""),
            steps,
            d.get("role", ""),
        )

    def procedure(self, d: dict[str, Any], path: JsonPath) -> Procedure:
        return Procedure(
            id=d["id"],
            title=d["title"],
            symptoms=tuple(d.get("symptoms", ())),
            source=self.source(path),
            summary=d.get("summary", ""),
            severity=d.get("severity", ""),
            causes=tuple(d.get("causes", ())),
            diagnosis=self.steps(d.get("diagnosis", ()), (*path, "diagnosis")),
            resolution=self.steps(d.get("resolution", ()), (*path, "resolution")),
            notes=d.get("notes", ""),
            impact=d.get("impact", ""),
            alerts=tuple(map(_alert, d.get("alerts", ()))),
        )

    def decision_table(self, d: dict[str, Any], path: JsonPath) -> DecisionTable:
        rows = tuple(DecisionRow(**r) for r in d["rows"])
        return DecisionTable(
            d["id"],
            rows,
            self.source(path),
            d.get("title", ""),
            d.get("phase", ""),
            dict(d.get("headings", {})),
        )

    def flow(self, d: dict[str, Any]) -> Flow:
        nodes = tuple(FlowNode(**n) for n in d["nodes"])
        edges = tuple(FlowEdge(e["from"], e["to"], e.get("label", "")) for e in d["edges"])
        return Flow(nodes, edges, d.get("title", ""), d.get("direction", "TD"))


def _alert(d: str | dict[str, Any]) -> Alert:
    if isinstance(d, str):
        return Alert(d)
    return Alert(d["name"], dict(d.get("labels", {})))


def _check(d: str | dict[str, Any]) -> Check:
    if isinstance(d, str):
        return Check(d)
    return Check(d["text"], d.get("done", False), tuple(map(_check, d.get("items", ()))))


def _item(d: str | dict[str, Any]) -> Item:
    if isinstance(d, str):
        return Item(d)
    return Item(d["text"], tuple(_item(i) for i in d.get("items", ())), d.get("ordered", False))


def build_runbook(doc: Document) -> Runbook:
    """The runbook of a validated `kind: runbook` document."""
    return _Builder(doc).runbook()


def build_scheme(doc: Document) -> SeverityScheme:
    """The scheme of a validated `kind: severity-scheme` document."""
    return _Builder(doc).scheme(doc.data, ())


def build_contacts(doc: Document) -> tuple[Contact, ...]:
    """The contacts of a validated `kind: contacts` document."""
    builder = _Builder(doc)
    return tuple(builder.contact(c, ("contacts", i)) for i, c in enumerate(doc.data["contacts"]))
