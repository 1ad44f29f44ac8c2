"""The runbook strategies of the property tests (tests/strategies.py) follow the schema.

Every drawn runbook is one the schema accepts, and one `check` finds nothing wrong with once its
references are resolved; every pattern of the schema gives values it accepts; and every property
of the schema's runbook part is drawn, so a property added to the schema reaches the property
tests without anyone touching the strategies.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from jsonschema import Draft202012Validator, FormatChecker

from generator.core.loader import Document
from generator.core.model import Site, build_runbook
from generator.core.references import check_references
from generator.core.validate import load_schema, validate
from tests.strategies import Walker, checked_runbooks, from_schema, runbooks
from tests.test_injection import TEXT as HOSTILE_TEXT

SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Draws to count, not to fail: nothing to shrink.
DRAWS = settings(SLOW, derandomize=True, database=None, phases=[Phase.generate])
WALKER = Walker(load_schema(), st.nothing(), {})


def errors(data: dict[str, Any]) -> list[str]:
    return [str(d) for d in validate(Document("x.yaml", data))]


@settings(SLOW, max_examples=200)
@given(runbooks(text=HOSTILE_TEXT))
def test_drawn_runbooks_validate(data: dict[str, Any]) -> None:
    assert errors(data) == []


@settings(SLOW, max_examples=100)
@given(checked_runbooks())
def test_checked_runbooks_have_no_reference_problem(data: dict[str, Any]) -> None:
    assert errors(data) == []
    runbook = build_runbook(Document("x.yaml", data))
    assert [str(d) for d in check_references(Site(runbooks=(runbook,)))] == []


def patterned(node: Any) -> Iterator[dict[str, Any]]:
    """Every string node of the schema with a pattern."""
    if isinstance(node, dict):
        if node.get("type") == "string" and isinstance(node.get("pattern"), str):
            yield node
        for value in node.values():
            yield from patterned(value)
    elif isinstance(node, list):
        for value in node:
            yield from patterned(value)


PATTERNED = {node["pattern"]: node for node in patterned(load_schema())}


@pytest.mark.parametrize("pattern", sorted(PATTERNED))
def test_each_pattern_gives_valid_strings(pattern: str) -> None:
    node = PATTERNED[pattern]
    validator = Draft202012Validator(node, format_checker=FormatChecker())

    @settings(max_examples=50, database=None)
    @given(from_schema(node))
    def valid(value: str) -> None:
        assert validator.is_valid(value), value

    valid()


def properties(node: Mapping[str, Any], where: str, done: set[str]) -> Iterator[str]:
    """The name of every property the schema allows under *node* (see `from_schema`)."""
    definition = node["$ref"].removeprefix("#/$defs/") if "$ref" in node else ""
    if definition in done:
        return
    node = WALKER.resolve(node)
    if definition and node.get("type") not in ("string", "array"):
        where, done = definition, done | {definition}
    for name, sub in node.get("properties", {}).items():
        yield f"{where}.{name}"
        yield from properties(sub, f"{where}.{name}", done)
    items = [node["items"]] if "items" in node else []
    for sub in [*node.get("oneOf", ()), *node.get("anyOf", ()), *items]:
        yield from properties(sub, where, done)


def drawn(value: Any, node: Mapping[str, Any], where: str) -> Iterator[str]:
    """The name of every property of *value*, a document *node* accepts."""
    definition = node["$ref"].removeprefix("#/$defs/") if "$ref" in node else ""
    node = WALKER.resolve(node)
    if definition and node.get("type") not in ("string", "array"):
        where = definition
    branches = [*node.get("oneOf", ()), *node.get("anyOf", ())]
    shaped = [b for b in branches if ("properties" in WALKER.resolve(b)) == isinstance(value, dict)]
    if shaped:  # the branch of its shape: text or a mapping (a link's differ in `required` only)
        base = {k: v for k, v in node.items() if k not in ("oneOf", "anyOf")}
        yield from drawn(value, {**base, **shaped[0]}, where)
    elif isinstance(value, dict) and "properties" not in node:  # a mapping of any names
        return
    elif isinstance(value, dict):
        for name, sub in value.items():
            yield f"{where}.{name}"
            yield from drawn(sub, node["properties"][name], f"{where}.{name}")
    elif isinstance(value, list):
        for sub in value:
            yield from drawn(sub, node["items"], where)


def test_every_property_is_named() -> None:
    """The property names the coverage test compares: a few, as a check of `properties`."""
    names = set(properties(load_schema(), "runbook", set()))
    wanted = {"runbook.title", "step.steps", "item.ordered", "link.url", "destructive.rollback"}
    assert wanted <= names
    assert not any(name.startswith(("contactsFile", "severitySchemeFile")) for name in names)


def drawing(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda data: name in drawn(data, load_schema(), "runbook")


def test_every_property_is_drawn() -> None:
    """By the runbooks the property tests use (checked ones, drawn from `runbooks`): counted
    over 100 draws, and any property those miss searched for (hypothesis' `find`), so that a
    rare one fails the test only when the strategy cannot draw it."""
    schema = load_schema()
    strategy = checked_runbooks()
    seen: set[str] = set()

    @settings(DRAWS, max_examples=100)
    @given(strategy)
    def count(data: dict[str, Any]) -> None:
        seen.update(drawn(data, schema, "runbook"))

    count()
    missed = set(properties(schema, "runbook", set())) - seen
    for name in sorted(missed):
        with contextlib.suppress(NoSuchExample):
            find(strategy, drawing(name), settings=settings(DRAWS, max_examples=1000))
            missed.remove(name)
    assert missed == set()


def test_unknown_keywords_and_fields_fail_loudly() -> None:
    with pytest.raises(NotImplementedError, match="minimum"):
        from_schema({"type": "integer", "minimum": 1})
    with pytest.raises(ValueError, match="command_rnu"):
        runbooks(fields={"command_rnu": st.just("ls")})
