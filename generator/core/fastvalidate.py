"""Stage 2, fast path: prove a document valid with a compiled copy of the schema.

jsonschema (``validate.py``) stays the judge that explains errors; it takes about 8 ms a
runbook. fastjsonschema compiles the schema into Python code that answers only "valid?"
in about 1 ms, but knows drafts 4, 6 and 7 only. So this module derives, in memory, a
draft-7 copy of the 2020-12 schema with the same meaning:

- ``$ref`` with sibling keywords becomes ``allOf: [{$ref}]`` plus the siblings: draft 7
  ignores the siblings of a ``$ref``, 2020-12 applies them;
- ``const`` becomes a one-value ``enum`` (the same test; fastjsonschema's compact code has a
  bug with ``const``); descriptions and titles are dropped (they make the code four times longer);
- ``format: date`` is checked as jsonschema checks it (four, two and two ASCII digits, a real
  day), without importing jsonschema: a run in which every file is valid never needs it.

The generated code builds the name of every list item it visits (``format(**locals())``) for
error messages: that took more than half of its time, and "valid?" needs no message, so the
names are left unformatted; nor are the names of values it checks in a function of their own
built (``(name_prefix or "data") + ".title"``, for every call).

The copy may only err on the side of "not proven": fastjsonschema anchors a pattern's ``$`` at
the very end where ``re.search`` also accepts a final newline. A document it does not prove
valid goes to jsonschema, whose answer is the one reported, so results never depend on it;
tests/test_cache.py checks the two agree on the fixtures and on mutations of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache, partial
from typing import Any

import fastjsonschema

from generator.core.loader import Document
from generator.core.validate import KINDS, kind_of, load_schema

DRAFT7 = "http://json-schema.org/draft-07/schema#"
_ANNOTATIONS = ("description", "title", "$comment")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The name of a list item (or of a value in it), formatted on every call:
# `".items[{data__items_x}].text".format(**locals())`.
_ITEM_NAME = re.compile(r'"([^"\\]*\[\{\w+\}\][^"\\]*)"\.format\(\*\*locals\(\)\)')
# The name of a value, built for each call to the function that checks it:
# `validate_text(data__title, custom_formats, (name_prefix or "data") + ".title")`.
_CALL_NAME = re.compile(r'(custom_formats), \(name_prefix or "data"\) \+ "[^"\\]*"\)')


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
    """The compiled validator of one kind of file (about 50 ms, once per process)."""
    schema = draft7(load_schema())
    definition = KINDS[kind]
    if definition is not None:
        schema = {**schema, **schema["$defs"][definition]}
    formats = {"date": is_date}
    code = fastjsonschema.compile_to_code(
        schema, formats=formats, use_default=False, detailed_exceptions=False
    )
    namespace: dict[str, Any] = {}
    code = _CALL_NAME.sub(r"\1, None)", _ITEM_NAME.sub(r'"\1"', code))
    exec(code, namespace)  # the code of our own schema
    return partial(namespace["validate"], custom_formats=formats)


def is_date(value: str) -> bool:
    """jsonschema's `format: date`: YYYY-MM-DD in ASCII digits, and a day of the calendar."""
    try:
        return _DATE.fullmatch(value) is not None and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


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
