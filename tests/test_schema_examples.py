"""Every property of the schema carries examples of its own, and each is a value the property
accepts: the Runbook format page shows them beside the description (layout.format_blocks), and
editors offer them, so a wrong one teaches the wrong format.

A property's own examples, not its definition's: the `text` definition's example is of no use
for a procedure's title. Objects are walked as tests/test_fields.py walks them: the runbook's
properties, each definition's, and those of objects in `oneOf` branches, list items and nested
properties.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "schemas" / "runbook.schema.json").read_text(encoding="utf-8"))


def schema_properties(node: Any, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """("object.property", its schema) for every property of every object under *node*."""
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "properties":
            for prop, sub in value.items():
                yield f"{name}.{prop}", sub
                yield from schema_properties(sub, f"{name}.{prop}")
        elif key == "$defs":
            for definition, sub in value.items():
                yield from schema_properties(sub, definition)
        elif key == "items":
            yield from schema_properties(value, f"{name}[]")
        elif key in ("oneOf", "anyOf", "allOf"):
            for sub in value:
                yield from schema_properties(sub, name)


PROPERTIES = dict(schema_properties(SCHEMA, "runbook"))
EXAMPLES = [
    pytest.param(node, example, id=f"{name}[{i}]")
    for name, node in PROPERTIES.items()
    for i, example in enumerate(node.get("examples") or ())
]


def test_properties_are_found() -> None:
    """The walk reaches properties of the root, of definitions, of `oneOf` branches and of
    nested objects, list items included."""
    wanted = {"runbook.title", "step.title", "item.text", "alert.labels"}
    wanted |= {"decisionTable.headings.symptom", "runbook.history[].version"}
    assert wanted <= set(PROPERTIES)


def test_every_property_has_examples() -> None:
    missing = [
        name
        for name, node in PROPERTIES.items()
        if not isinstance(node.get("examples"), list) or not node["examples"]
    ]
    assert missing == []


@pytest.mark.parametrize(("node", "example"), EXAMPLES)
def test_every_example_is_valid(node: dict[str, Any], example: Any) -> None:
    validator = Draft202012Validator(
        {**node, "$defs": SCHEMA["$defs"]}, format_checker=FormatChecker()
    )
    assert [error.message for error in validator.iter_errors(example)] == []
