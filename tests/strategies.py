"""Hypothesis strategies for runbooks, drawn from schemas/runbook.schema.json itself.

`from_schema` walks a node of the schema (its `$ref`s resolved against the root's `$defs`) and
draws documents it accepts, so a property added to the schema is drawn without anyone touching
this file: `runbooks` are any valid runbook. `checked_runbooks` then makes their references
resolve and their ids unique, what no schema can say (core/references.py), so that `check`
finds nothing wrong with them: only such runbooks reach a built site.

Texts come from a strategy the caller gives (hostile ones for the injection tests), and any
named property can have its own (code for a command's `run`); ids, dates and URLs come from the
schema's patterns, a variable's `pattern` from the schema's examples of it. Documents stay
small, to render in milliseconds: lists of at most three items, nested at most `depth` lists
deep; the runbook itself holds at least half of its optional parts, so that tens of draws meet
every property.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from generator.core.validate import BLANK, default_variable_pattern, load_schema

Node = Mapping[str, Any]
Strategy = st.SearchStrategy[Any]

DEPTH = 4
MAX_ITEMS = 3
TEXT: st.SearchStrategy[str] = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20
).filter(lambda s: s.strip() != "")
# What a pattern's characters are drawn from: a YAML file cannot hold a lone surrogate.
ALPHABET = st.characters(codec="utf-8")
# Short strings for a pattern, where they match it: ids as people write them.
SHORT = ("a", "b", "x", "db", "A1", "p-1", "a_b", "db-", "0", "ab--c")
DATES = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
URLS = st.one_of(
    st.from_regex(r"https://example\.com/[A-Za-z0-9._~/?#&=%+-]{0,20}", fullmatch=True),
    st.sampled_from(["mailto:team@example.com", "tel:+1 (555) 0100"]),
)
# Keywords this walker knows; any other in the schema fails loudly (`Walker.check`).
KNOWN = {
    *("$schema", "$id", "$defs", "$ref", "title", "description", "default", "examples"),
    *("type", "const", "enum", "oneOf", "anyOf"),
    *("properties", "required", "additionalProperties", "minProperties", "maxProperties"),
    "propertyNames",
    *("items", "minItems", "maxItems", "uniqueItems"),
    *("pattern", "minLength", "maxLength", "format"),
}


def from_schema(
    node: Node,
    *,
    text: st.SearchStrategy[str] = TEXT,
    fields: Mapping[str, st.SearchStrategy[str]] | None = None,
    depth: int = DEPTH,
    root: Node | None = None,
) -> Strategy:
    """Values *node* (of *root*, the runbook schema by default) accepts.

    Strings with only lengths and the blank-text pattern come from *text*; those of a property
    named in *fields* from its strategy. A property is named after the definition that holds
    it, `command.run`, or the path to it from there, `decisionTable.headings.command` (the
    runbook's own are `runbook.title`); a name no property has is an error. Lists hold at most
    three items, and nest at most *depth* deep: deeper, a list is as short as the schema allows.
    """
    walker = Walker(root or load_schema(), text, fields or {}, depth)
    drawn = walker.value(node, depth, "runbook")
    walker.check_fields()
    return drawn


def runbooks(
    *,
    text: st.SearchStrategy[str] = TEXT,
    fields: Mapping[str, st.SearchStrategy[str]] | None = None,
    depth: int = DEPTH,
) -> st.SearchStrategy[dict[str, Any]]:
    """Runbooks as dicts (`kind: runbook`, or none) that the schema accepts."""
    return from_schema(load_schema(), text=text, fields=fields, depth=depth)


def checked_runbooks(
    *,
    text: st.SearchStrategy[str] = TEXT,
    fields: Mapping[str, st.SearchStrategy[str]] | None = None,
    depth: int = DEPTH,
) -> st.SearchStrategy[dict[str, Any]]:
    """`runbooks` whose ids are unique and whose references resolve, in a site of their own."""
    walker = Walker(load_schema(), text, fields or {}, depth)
    drawn = walker.value(load_schema(), depth, "runbook")
    walker.check_fields()

    @st.composite
    def linked(draw: st.DrawFn) -> dict[str, Any]:
        return Linker(draw, walker, draw(drawn)).linked()

    return linked()


class Walker:
    """Builds the strategy of a schema node, recursively; *where* is the name of the
    property being drawn (see `from_schema`)."""

    def __init__(
        self,
        root: Node,
        text: st.SearchStrategy[str],
        fields: Mapping[str, Strategy],
        depth: int = DEPTH,
    ) -> None:
        self.root, self.text, self.fields, self.depth = root, text, fields, depth
        self.seen: set[str] = set()
        self.built: dict[tuple[str, int], Strategy] = {}

    def value(self, node: Node, depth: int, where: str) -> Strategy:
        definition = node["$ref"].removeprefix("#/$defs/") if "$ref" in node else ""
        node = self.resolve(node)
        self.check(node)
        if definition and node.get("type") not in ("string", "array"):
            where = definition  # an object is named by its definition, a text by its property
        if "const" in node:
            return st.just(node["const"])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        for key in ("oneOf", "anyOf"):
            if key in node:
                return self.branches(node, key, depth, where)
        return self.typed(node, depth, where)

    def typed(self, node: Node, depth: int, where: str) -> Strategy:
        kind = node.get("type")
        if kind == "object":
            return self.mapping(node, depth, where)
        if kind == "array":
            return self.array(node, depth, where)
        if kind == "string":
            return self.string(node, where)
        if kind == "boolean":
            return st.booleans()
        raise NotImplementedError(f"from_schema cannot draw {json.dumps(node)[:200]}")

    def resolve(self, node: Node) -> Node:
        """*node* with its `$ref` replaced by the definition, the node's own keywords kept."""
        while "$ref" in node:
            name = node["$ref"].removeprefix("#/$defs/")
            rest = {k: v for k, v in node.items() if k != "$ref"}
            node = {**self.root["$defs"][name], **rest}
        return node

    def definition(self, name: str, depth: int = 2) -> Strategy:
        """A `$defs` entry's strategy, built once."""
        if (name, depth) not in self.built:
            self.built[name, depth] = self.value({"$ref": f"#/$defs/{name}"}, depth, name)
        return self.built[name, depth]

    def check_fields(self) -> None:
        unknown = set(self.fields) - self.seen
        if unknown:
            raise ValueError(f"no string property is named {sorted(unknown)}")

    def check(self, node: Node) -> None:
        unknown = set(node) - KNOWN
        if unknown:
            raise NotImplementedError(f"from_schema knows no {sorted(unknown)}: teach it")

    def is_list(self, node: Node) -> bool:
        return self.resolve(node).get("type") == "array"

    def mapping(self, node: Node, depth: int, where: str) -> Strategy:
        """Every required property, and a random few of the optional ones (a list left out
        where no list may have items). An object in no list (the runbook, its flow, its
        severity scheme) takes at least half of them, so that every runbook drawn has several
        parts: tens of runbooks then meet every property."""
        properties: Mapping[str, Node] = node.get("properties", {})
        if not properties and isinstance(node.get("additionalProperties"), dict):
            return self.dictionary(node, depth, where)
        required = [p for p in properties if p in node.get("required", ())]
        optional = [
            p
            for p in properties
            if p not in required and (depth > 0 or not self.is_list(properties[p]))
        ]
        values = {
            p: self.value(properties[p], depth, f"{where}.{p}") for p in [*required, *optional]
        }
        least = len(optional) // 2 if depth == self.depth else 0
        least = max(least, node.get("minProperties", 0) - len(required))
        chosen = st.sets(st.sampled_from(optional), min_size=least) if optional else st.just(set())

        @st.composite
        def mapping(draw: st.DrawFn) -> dict[str, Any]:
            names = set(required) | draw(chosen)
            return {p: draw(values[p]) for p in properties if p in names}

        return mapping()

    def dictionary(self, node: Node, depth: int, where: str) -> Strategy:
        """A mapping of names the schema allows (`propertyNames`) to values (labels)."""
        names = node.get("propertyNames", {})
        self.check(names)
        key = st.from_regex(names.get("pattern", "^[a-z]+$"), fullmatch=True)
        key = key.filter(lambda k: len(k) <= names.get("maxLength", 100))
        value = self.value(node["additionalProperties"], depth - 1, f"{where}.*")
        least = node.get("minProperties", 0)
        most = max(least, min(node.get("maxProperties", MAX_ITEMS), MAX_ITEMS))
        return st.dictionaries(key, value, min_size=least, max_size=most)

    def array(self, node: Node, depth: int, where: str) -> Strategy:
        least = node.get("minItems", 0)
        most = least if depth <= 0 else max(least, min(node.get("maxItems", MAX_ITEMS), MAX_ITEMS))
        if most == 0:
            return st.just([])
        item = self.value(node.get("items", {}), depth - 1, where)
        unique = _canonical if node.get("uniqueItems") else None
        return st.lists(item, min_size=least, max_size=most, unique_by=unique)

    def branches(self, node: Node, key: str, depth: int, where: str) -> Strategy:
        """One branch of a `oneOf` or `anyOf`, with the node's own keywords; a `oneOf` branch
        leaves out the properties another branch requires (a link has one of runbook, url and
        document). Drawn values are filtered by the node, should the branches still overlap."""
        base = {k: v for k, v in node.items() if k != key}
        options = []
        for branch in node[key]:
            others = {p for b in node[key] if b is not branch for p in b.get("required", ())}
            merged = _merged(base, branch)
            if key == "oneOf" and "properties" in merged:
                others -= set(merged.get("required", ()))
                kept = {p: v for p, v in merged["properties"].items() if p not in others}
                merged = {**merged, "properties": kept}
            options.append(self.value(merged, depth, where))
        validator = Draft202012Validator(
            {**node, "$defs": self.root["$defs"]}, format_checker=FormatChecker()
        )
        return st.one_of(options).filter(validator.is_valid)

    def string(self, node: Node, where: str) -> Strategy:
        pattern = node.get("pattern", "")
        self.seen.add(where)
        if where in self.fields:
            drawn = self.fields[where]
        elif node.get("format") == "date" or "[0-9]{4}" in pattern:  # as validate.py tells
            drawn = DATES
        elif pattern.startswith("^(https?"):
            drawn = URLS
        elif pattern and pattern != BLANK:
            drawn = _matching(pattern)
        elif where == "variable.pattern":  # a regular expression, not text: the schema's own
            drawn = st.sampled_from([*node["examples"], node["default"]])
        elif pattern or "minLength" in node:
            drawn = self.text
        else:
            drawn = st.one_of(st.just(""), self.text)
        return drawn.filter(_string_test(node))


def _merged(base: Node, branch: Node) -> dict[str, Any]:
    """*base* with a branch's keywords; `required` lists joined."""
    merged = {**base, **branch}
    if "required" in base and "required" in branch:
        merged["required"] = [*base["required"], *branch["required"]]
    return merged


def _matching(pattern: str) -> Strategy:
    """Strings that match *pattern*: three in four of them short ones of `SHORT` where some
    match (ids that may meet), for hypothesis takes milliseconds to draw from a pattern (two
    thirds of the time a runbook takes) and makes long ids."""
    regexp = re.compile(pattern)
    short = [x for x in SHORT if regexp.fullmatch(x)]
    drawn = st.from_regex(regexp, fullmatch=True, alphabet=ALPHABET)
    return st.one_of(*[st.sampled_from(short)] * 3, drawn) if short else drawn


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _string_test(node: Node) -> Callable[[str], bool]:
    """Whether a string fits the node's lengths and pattern (read as JSON Schema reads it: a
    final `$` is the very end)."""
    least, most = node.get("minLength", 0), node.get("maxLength", float("inf"))
    pattern = node.get("pattern")
    regexp = re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern)) if pattern else None
    return lambda s: least <= len(s) <= most and (regexp is None or bool(regexp.search(s)))


# ---- References: what a schema cannot say ----------------------------------------------------

# The widest pattern a variable can have: its example and values are then accepted.
ANY_VALUE = r"^[\s\S]+$"
# An image that is there, from where the property tests run (the project's root).
IMAGE = "tests/fixtures/render/images/latency.png"
_SYMPTOMS = {"$ref": "#/$defs/textList", "minItems": 1}
SECTIONS = ("phases", "procedures", "decision_tables", "templates", "sections", "diagrams")


class Linker:
    """Makes a drawn runbook's ids unique and its references resolve, as core/references.py
    checks them, in a site of its own (no shared contacts, schemes or other runbooks): an id
    that is taken is replaced by a fresh one, a reference by one of the ids it may name (a
    target drawn when there is none)."""

    def __init__(self, draw: st.DrawFn, walker: Walker, data: dict[str, Any]) -> None:
        self.draw, self.walker, self.data = draw, walker, copy.deepcopy(data)
        self.fresh = (f"x{n}" for n in range(10**6))

    def linked(self) -> dict[str, Any]:
        self.add_contacts()
        self.add_targets()
        self.unique_ids()
        self.contacts()
        self.severities()
        self.links()
        self.steps()
        self.images()
        self.tables()
        self.flow()
        for variable in self.data.get("variables", []):
            self.variable(variable)
        return self.data

    def new(self, definition: str) -> dict[str, Any]:
        drawn: dict[str, Any] = self.draw(self.walker.definition(definition))
        return drawn

    def pick(self, ids: list[str]) -> str:
        chosen: str = self.draw(st.sampled_from(ids))
        return chosen

    def ids(self, key: str) -> list[str]:
        return [x["id"] for x in self.data.get(key, [])]

    def add_contacts(self) -> None:
        """A contact for the owner, or for contact ids when the runbook defines none; a
        severity scheme for a scheme id, or for a procedure's level."""
        data = self.data
        inline = [c["id"] for c in data.get("contacts", []) if isinstance(c, dict)]
        named = [c for c in data.get("contacts", []) if isinstance(c, str)]
        named += [e["contact"] for e in data.get("escalation", []) if "contact" in e]
        owner = data.get("owner")
        if owner is not None and owner not in inline:
            data.setdefault("contacts", []).append(self.new("contact") | {"id": owner})
        elif named and not inline:
            data.setdefault("contacts", []).append(self.new("contact"))
        severity = data.get("severity")
        if isinstance(severity, str):
            data["severity"] = self.new("severityScheme") | {"id": severity}
        elif severity is None and _any(data.get("procedures", []), "severity"):
            data["severity"] = self.new("severityScheme")

    def add_targets(self) -> None:
        """A phase, a template, a link, for references to one when the runbook has none."""
        data = self.data
        tables = data.get("decision_tables", [])
        to_phase = _any(tables, "phase") and not data.get("phases")
        to_section = _any(data.get("flow", {}).get("nodes", []), "phase")
        to_section |= _any(data.get("links", []), "procedure")
        if to_phase or (to_section and not self.sections()):
            data["phases"] = [self.new("phase")]
        steps = list(self.all_steps())
        if _any(steps, "template") and not data.get("templates"):
            data["templates"] = [self.new("template")]
        rows = [row for table in tables for row in table["rows"]]
        if (_any(steps, "see") or _any(rows, "see")) and not data.get("links"):
            data["links"] = [self.new("link")]

    def unique_ids(self) -> None:
        data = self.data
        steps = [s for s in self.all_steps() if "id" in s]
        for step in steps:  # a step's id names its heading (RB216)
            step.setdefault("title", step["id"])
        self.renamed([*(x for key in SECTIONS for x in data.get(key, [])), *steps], "id")
        self.renamed(data.get("links", []), "id")
        self.renamed(data.get("footnotes", []), "id")
        self.renamed(data.get("flow", {}).get("nodes", []), "id")
        self.variable_names(data.get("variables", []))

    def variable_names(self, variables: list[dict[str, Any]]) -> None:
        """Names and aliases, all of them apart (RB206/RB207): an alias another one has is
        renamed."""
        self.renamed(variables, "name")
        seen = {_folded(v["name"]) for v in variables}
        for variable in variables:
            aliases = variable.get("aliases", [])
            for i in range(len(aliases)):
                while _folded(aliases[i]) in seen:
                    aliases[i] = next(self.fresh)
                seen.add(_folded(aliases[i]))

    def renamed(self, entries: list[dict[str, Any]], key: str) -> None:
        seen: set[str] = set()
        for entry in entries:
            while _folded(entry[key]) in seen:
                entry[key] = next(self.fresh)
            seen.add(_folded(entry[key]))

    def contacts(self) -> None:
        data = self.data
        known = [c["id"] for c in data.get("contacts", []) if isinstance(c, dict)]
        if "contacts" in data:
            data["contacts"] = [
                c if isinstance(c, dict) or c in known else self.pick(known)
                for c in data["contacts"]
            ]
        for step in data.get("escalation", []):
            if "contact" in step and step["contact"] not in known:
                step["contact"] = self.pick(known)

    def severities(self) -> None:
        scheme = self.data.get("severity")
        levels = [x["id"] for x in scheme["levels"]] if scheme else []
        for procedure in self.data.get("procedures", []):
            if not procedure.get("symptoms") and not procedure.get("alerts"):  # RB214
                procedure["symptoms"] = self.draw(self.walker.value(_SYMPTOMS, 0, "symptoms"))
            if procedure.get("severity"):  # an empty one names no level
                self.resolve(procedure, "severity", levels)

    def sections(self) -> list[str]:
        return self.ids("phases") + self.ids("procedures")

    def links(self) -> None:
        for link in self.data.get("links", []):
            if "runbook" in link:
                link["runbook"] = self.data["id"]
            self.resolve(link, "procedure", self.sections())
            if "document" in link:
                link["unpublished"] = True

    def all_steps(self) -> Iterator[dict[str, Any]]:
        data = self.data
        regions = [p.get("steps", []) for p in data.get("phases", [])]
        regions += [
            p.get(k, []) for p in data.get("procedures", []) for k in ("diagnosis", "resolution")
        ]
        for steps in regions:
            yield from _walk(steps)

    def steps(self) -> None:
        templates, links = self.ids("templates"), self.ids("links")
        for step in self.all_steps():
            self.resolve(step, "template", templates)
            if "see" in step:
                step["see"] = [x if x in links else self.pick(links) for x in step["see"]]
            for command in step.get("commands", []):  # a prompt only in a console session
                if command.get("language") != "console" and command["run"].lstrip(" ")[:2] == "$ ":
                    command["run"] = "x" + command["run"]
            for image in step.get("images", []):  # a file that is there (RB215)
                image["src"] = IMAGE
            if "table" in step:  # no row longer than the columns (RB213)
                width = len(step["table"]["columns"])
                step["table"]["rows"] = [row[:width] for row in step["table"]["rows"]]

    def images(self) -> None:
        for section in self.data.get("sections", []):
            for image in section.get("images", []):
                image["src"] = IMAGE

    def resolve(self, entry: dict[str, Any], key: str, ids: list[str]) -> None:
        """*entry*'s reference *key* one of *ids*: kept if it is, dropped if there are none."""
        if key not in entry or entry[key] in ids:
            return
        if ids:
            entry[key] = self.pick(ids)
        else:
            del entry[key]

    def tables(self) -> None:
        links, phases = self.ids("links"), self.ids("phases")
        for table in self.data.get("decision_tables", []):
            self.resolve(table, "phase", phases)
            for row in table["rows"]:
                self.resolve(row, "see", links)

    def flow(self) -> None:
        flow = self.data.get("flow")
        if flow is None:
            return
        nodes, sections = [n["id"] for n in flow["nodes"]], self.sections()
        for node in flow["nodes"]:
            self.resolve(node, "phase", sections)
        for edge in flow["edges"]:
            for end in ("from", "to"):
                if edge[end] not in nodes:
                    edge[end] = self.pick(nodes)

    def variable(self, variable: dict[str, Any]) -> None:
        """A pattern that refuses the variable's example or values is widened to any value;
        an example not among its values is replaced by one of them that can be an example."""
        values, example = variable.get("values", []), variable.get("example")
        if values:
            explicit = re.compile(variable.get("pattern", ANY_VALUE))
            if any(explicit.fullmatch(v) is None for v in values):
                variable["pattern"] = ANY_VALUE
            fits = _string_test(self.walker.root["$defs"]["variable"]["properties"]["example"])
            self.resolve(variable, "example", [v for v in values if fits(v)])
        elif example is not None:
            pattern = re.compile(variable.get("pattern") or default_variable_pattern())
            if pattern.fullmatch(example) is None:
                variable["pattern"] = ANY_VALUE


def _any(entries: list[dict[str, Any]], key: str) -> bool:
    return any(entry.get(key) for entry in entries)


def _walk(steps: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for step in steps:
        yield step
        yield from _walk(step.get("steps", []))


def _folded(ident: str) -> str:
    """An id as references.py compares them: Unicode form and case folded."""
    return unicodedata.normalize("NFKC", ident).casefold()
