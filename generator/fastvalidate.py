"""Stage 2, fast path: prove a document valid with a compiled copy of the schema.

jsonschema (``validate.py``) stays the judge that explains errors; it takes about 8 ms a
runbook. fastjsonschema compiles the schema into Python code that answers only "valid?"
in about 1 ms, but knows drafts 4, 6 and 7 only. So this module derives, in memory, a
draft-7 copy of the 2020-12 schema with the same meaning:

- ``$ref`` with sibling keywords becomes ``allOf: [{$ref}]`` plus the siblings: draft 7
  ignores the siblings of a ``$ref``, 2020-12 applies them;
- ``const`` becomes a one-value ``enum`` (the same test; fastjsonschema's compact code has a
  bug with ``const``); descriptions and titles are dropped (they make the code four times longer);
- ``format: date`` uses jsonschema's own date check.

The copy may only err on the side of "not proven": fastjsonschema anchors a pattern's ``$`` at
the very end where ``re.search`` also accepts a final newline. A document it does not prove
valid goes to jsonschema, whose answer is the one reported, so results never depend on it;
tests/test_cache.py checks the two agree on the fixtures and on mutations of them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import fastjsonschema
from jsonschema import FormatChecker

from generator.loader import Document
from generator.validate import KINDS, kind_of, load_schema

DRAFT7 = "http://json-schema.org/draft-07/schema#"
_ANNOTATIONS = ("description", "title", "$comment")


def is_valid(doc: Document) -> bool:
    """True if the document is proven valid; False means "ask jsonschema"."""
    kind = kind_of(doc)
    if not kind:
        return False
    try:
        compiled(kind)(doc.data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@cache
def compiled(kind: str) -> Callable[[Any], Any]:
    """The compiled validator of one kind of file (about 80 ms, once per process)."""
    schema = draft7(load_schema())
    definition = KINDS[kind]
    if definition is not None:
        schema = {**schema, **schema["$defs"][definition]}
    checker = FormatChecker(["date"])
    return fastjsonschema.compile(
        schema,
        formats={"date": lambda value: checker.conforms(value, "date")},
        use_default=False,
        detailed_exceptions=False,
    )


def draft7(schema: dict[str, Any]) -> dict[str, Any]:
    """A draft-7 copy of the 2020-12 schema with the same meaning (see the module docstring)."""
    copy = _convert(schema)
    assert isinstance(copy, dict)
    copy["$schema"] = DRAFT7
    copy.pop("$id", None)  # refs are local JSON pointers; nothing is fetched
    return copy


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    # A str under an annotation keyword is an annotation; a dict there is a property's schema.
    out = {
        key: _convert(value)
        for key, value in node.items()
        if not (key in _ANNOTATIONS and isinstance(value, str))
    }
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if "$ref" in out and len(out) > 1:
        out["allOf"] = [*out.get("allOf", []), {"$ref": out.pop("$ref")}]
    return out
