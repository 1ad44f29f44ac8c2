"""Every property of the format reaches everywhere it must, read from the schema: a model field,
the page (or `layout.NOT_SHOWN`, with why), search (`entries.SEARCHED`, or `NOT_SEARCHED` with
why) and `diff`. A property added to the schema and forgotten in one of these fails here.

The page, search and diff are checked by what they do with a runbook that sets every property
(tests/fixtures/render/constructs.yaml): each text of it shows on the page, each searched text
is in the search entries, and a change of any value of it is in diff's report.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.commands.diff.compare import Side, compare_sites
from generator.core import model
from generator.core.model import FILE_NAMES, NOT_IN_FILE, Runbook, Site
from generator.render import escape
from generator.render.html import HtmlPage, render_inputs_html, render_site_wide_html
from generator.render.layout import NOT_SHOWN
from generator.render.markdown import runbook_inputs
from generator.render.writer import urlpath
from generator.run.project import load_site
from generator.search.entries import NOT_SEARCHED, SEARCHED, search_entries
from tests.conftest import FIXTURES, ROOT, TODAY

SCHEMA = json.loads((ROOT / "schemas" / "runbook.schema.json").read_text(encoding="utf-8"))
# The object of the schema each model class is made from ("name[]": the items of a list).
CLASSES: dict[str, type] = {
    "runbook": model.Runbook,
    "runbook.history[]": model.HistoryEntry,
    "severityScheme": model.SeverityScheme,
    "severityLevel": model.Level,
    "contact": model.Contact,
    "channel": model.Channel,
    "escalationStep": model.EscalationStep,
    "variable": model.Variable,
    "flow": model.Flow,
    "flowNode": model.FlowNode,
    "flow.edges[]": model.FlowEdge,
    "phase": model.Phase,
    "step": model.Step,
    "item": model.Item,
    "check": model.Check,
    "table": model.Table,
    "command": model.Command,
    "destructive": model.Destructive,
    "callout": model.Callout,
    "alert": model.Alert,
    "diagram": model.Diagram,
    "image": model.Image,
    "footnote": model.Footnote,
    "decisionTable": model.DecisionTable,
    "decisionRow": model.DecisionRow,
    "procedure": model.Procedure,
    "template": model.Template,
    "link": model.Link,
    "section": model.Section,
}
# Objects of the schema that are no model class: files of other kinds, a mapping of headings.
NOT_CLASSES = {"severitySchemeFile", "contactsFile", "decisionTable.headings"}
FILE_ONLY = {"runbook": {"kind"}}  # properties of the file, not of what it holds


def schema_objects(node: Any, name: str) -> Iterator[tuple[str, set[str]]]:
    """(name, property names) of every object the schema describes."""
    if not isinstance(node, dict):
        return
    if "properties" in node:
        yield name, set(node["properties"])
    for key, value in node.items():
        if key == "properties":
            for prop, sub in value.items():
                yield from schema_objects(sub, f"{name}.{prop}")
        elif key == "$defs":
            for definition, sub in value.items():
                yield from schema_objects(sub, definition)
        elif key == "items":
            yield from schema_objects(value, f"{name}[]")
        elif key in ("oneOf", "anyOf", "allOf"):
            for sub in value:
                yield from schema_objects(sub, name)


def fields(cls: type) -> list[str]:
    """The fields of a model class that come from the file (a `Source` says where it is)."""
    return [
        f.name
        for f in dataclasses.fields(cls)
        if f.name not in NOT_IN_FILE and str(f.type) != "Source"
    ]


EVERY_FIELD = sorted(f"{cls.__name__}.{name}" for cls in CLASSES.values() for name in fields(cls))


def test_every_schema_object_is_a_model_class() -> None:
    found = dict(schema_objects(SCHEMA, "runbook"))
    assert set(found) == set(CLASSES) | NOT_CLASSES


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_every_property_is_a_model_field(name: str) -> None:
    properties = dict(schema_objects(SCHEMA, "runbook"))[name] - FILE_ONLY.get(name, set())
    cls = CLASSES[name]
    in_model = {FILE_NAMES.get((cls, field), field) for field in fields(cls)}
    assert in_model == properties


def test_every_field_is_classified_for_the_page_and_for_search() -> None:
    assert set(NOT_SHOWN) <= set(EVERY_FIELD)
    texts = {f for f in EVERY_FIELD if _holds_text(f)}
    assert set(SEARCHED) | set(NOT_SEARCHED) == texts
    assert not set(SEARCHED) & set(NOT_SEARCHED)


# ---- What a runbook that sets every property does ----------------------------------------------


def constructs() -> tuple[Runbook, Site]:
    site = load_site([*sorted((FIXTURES / "render").glob("*.yaml")), FIXTURES / "valid"], jobs=1)
    (runbook,) = [r for r in site.runbooks if r.id == "constructs"]
    return runbook, site


def leaves(value: object, where: str = "") -> Iterator[tuple[str, tuple[str | int, ...], str]]:
    """(Class.field, path, text) of every text of a model object, nested ones included."""
    yield from _leaves(value, where, ())


def _leaves(
    value: object, where: str, path: tuple[str | int, ...]
) -> Iterator[tuple[str, tuple[str | int, ...], str]]:
    if isinstance(value, str):
        if value:
            yield where, path, value
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            yield from _leaves(item, where, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, where, (*path, key))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in fields(type(value)):
            name = f"{type(value).__name__}.{field}"
            yield from _leaves(getattr(value, field), name, (*path, field))


def shown(text: str, page: str) -> bool:
    """Whether *text* is on the page, in any of the forms the page writes text in (a text of
    paragraphs, each paragraph)."""
    parts = [p for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    if len(parts) > 1:
        return all(shown(part, page) for part in parts)
    forms = {
        text,
        escape.inline(text),
        html.escape(text, quote=True),
        escape.attr(text),
        escape.code_text(text),
        escape.slug(text),
        escape.mermaid_label(text).strip('"'),
        escape.code_inline(text).removeprefix("<code>").removesuffix("</code>"),
        escape.code_block(text),
        # a label value in an alert's selector, quoted as Prometheus quotes it
        escape.entities(json.dumps(text, ensure_ascii=False)),
        escape.link_href(urlpath(text)),
    }
    return any(form and form in page for form in forms)


def test_every_text_not_left_out_is_on_the_page() -> None:
    runbook, site = constructs()
    page = render_inputs_html(runbook_inputs(runbook, site, today=TODAY)).content
    missing = [
        f"{where}: {text!r}"
        for where, path, text in leaves(runbook)
        if where not in NOT_SHOWN and not shown(text, page)
    ]
    assert missing == []


def test_the_fixture_sets_every_field() -> None:
    runbook, site = constructs()
    scheme = site.scheme_of(runbook)
    found = {where for where, _, _ in leaves(runbook)} | {w for w, _, _ in leaves(scheme)}
    found |= {w for c in site.contacts_of(runbook) for w, _, _ in leaves(c)}
    texts = [f for f in EVERY_FIELD if _holds_text(f)]
    assert [f for f in texts if f not in found] == []


def _holds_text(name: str) -> bool:
    """Whether the field *name* (Class.field) holds text of the file, not other objects."""
    cls_name, field = name.split(".")
    cls = next(c for c in CLASSES.values() if c.__name__ == cls_name)
    kind = str({f.name: f.type for f in dataclasses.fields(cls)}[field])
    return kind in ("str", "tuple[str, ...]", "tuple[tuple[str, ...], ...]", "dict[str, str]")


def test_every_searched_text_is_in_the_search_entries() -> None:
    runbook, _ = constructs()
    entries = json.dumps(search_entries(runbook, "runbooks/constructs/"), ensure_ascii=False)
    found = entries.lower()
    missing = [
        f"{where}: {text!r}"
        for where, _, text in leaves(runbook)
        if where in SEARCHED and not all(w.lower() in found for w in _words(text))
    ]
    assert missing == []


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z0-9]{3,}", text)][:3]


def changed(value: object, path: tuple[str | int, ...]) -> object:
    """*value* with the text at *path* changed."""
    if not path:
        assert isinstance(value, str)
        return value + " (edited)"
    head, rest = path[0], path[1:]
    if isinstance(value, tuple):
        assert isinstance(head, int)
        return (*value[:head], changed(value[head], rest), *value[head + 1 :])
    if isinstance(value, dict):
        return {**value, head: changed(value[head], rest)}
    assert isinstance(head, str)
    return dataclasses.replace(value, **{head: changed(getattr(value, head), rest)})  # type: ignore[type-var]


def test_diff_reports_a_change_of_any_text() -> None:
    runbook, site = constructs()
    before = Side(
        Site(runbooks=(runbook,), schemes=site.schemes, contacts=site.contacts), Path(), "a"
    )
    silent = []
    for where, path, _ in leaves(runbook):
        if path == ("inline_scheme", "id"):
            continue  # one value of the file: `severity.id`, which is the runbook's `severity` too
        edited = changed(runbook, path)
        assert isinstance(edited, Runbook)
        after = Side(dataclasses.replace(before.site, runbooks=(edited,)), Path(), "b")
        if not compare_sites(before, after).runbooks:
            silent.append(f"{where} at {path}")
    assert silent == []


def test_the_format_page_reaches_every_property() -> None:
    """The authors' guide (format.md) has a section for every object of the schema, a row for
    each of its properties, and a link from every property whose type is an object to its
    section."""
    page = render_site_wide_html(Site(), today=TODAY)["format.md"]
    assert isinstance(page, HtmlPage)
    for name, properties in schema_objects(SCHEMA, "runbook"):
        if "." in name:  # an object inside a property: described in its property's row
            continue
        assert f'id="{escape.slug(f"format-{name}")}"' in page.content, name
        for prop in properties:
            assert f"<td><code>{escape.entities(prop)}</code></td>" in page.content, (
                f"{name}.{prop}"
            )
    for definition, node in SCHEMA["$defs"].items():
        objects = [node, *node.get("oneOf", ())]
        if any("properties" in x for x in objects) and not definition.endswith("File"):
            assert f'href="#{escape.slug(f"format-{definition}")}"' in page.content, definition
