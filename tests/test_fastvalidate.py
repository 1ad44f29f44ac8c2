"""The compiled schema proves valid exactly what jsonschema finds valid, never more.

Run on every fixture and on mutations of the valid ones (each value replaced by values of
other types, each key removed, an unknown key added to each mapping).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.core.fastvalidate import is_valid
from generator.core.loader import Document, JsonPath, load
from generator.core.validate import kind_of, validator
from tests.conftest import FIXTURES, ROOT

SOURCES = sorted(FIXTURES.rglob("*.yaml")) + sorted((ROOT / "runbooks").rglob("*.yaml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))
REPLACEMENTS: list[Any] = [1, True, None, "", "Bad Id!", "2026-02-30", "a-b\n", [], {}, ["x"]]


def jsonschema_valid(doc: Document) -> bool:
    kind = kind_of(doc)
    return bool(kind) and validator(kind).is_valid(doc.data)


def loaded(path: Path) -> Document | None:
    doc, _ = load(path)
    return doc


LOADED = [path for path in SOURCES if loaded(path) is not None]  # the rest never meet a schema


@pytest.mark.parametrize("path", LOADED, ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture(path: Path) -> None:
    doc = loaded(path)
    assert doc is not None
    assert is_valid(doc) == jsonschema_valid(doc)


def _paths(node: Any, path: JsonPath = ()) -> Iterator[JsonPath]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _at(node: Any, path: JsonPath) -> Any:
    for part in path:
        node = node[part]
    return node


def mutations(data: dict[str, Any]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(label, value put in, mutated copy): a few replacements per path, a removal, an extra key."""
    for n, path in enumerate(list(_paths(data))[1:]):
        for value in (REPLACEMENTS * 2)[n % len(REPLACEMENTS) :][:4]:
            changed = copy.deepcopy(data)
            _at(changed, path[:-1])[path[-1]] = value
            yield f"{path} = {value!r}", value, changed
        changed = copy.deepcopy(data)
        del _at(changed, path[:-1])[path[-1]]
        yield f"del {path}", None, changed
        if isinstance(_at(data, path), dict):
            changed = copy.deepcopy(data)
            _at(changed, path)["unknown"] = 1
            yield f"{path}.unknown", None, changed


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_mutations(path: Path) -> None:
    doc = loaded(path)
    assert doc is not None
    for label, value, data in mutations(doc.data):
        mutated = Document(doc.path, data, doc.positions)
        fast, slow = is_valid(mutated), jsonschema_valid(mutated)
        assert not fast or slow, f"proved valid, but jsonschema rejects it: {label}"
        # Python's `$` also matches before a final newline; fastjsonschema's does not.
        newline = isinstance(value, str) and value.endswith("\n")
        assert fast == slow or newline, f"not proved valid, but jsonschema accepts it: {label}"
