"""Stage 2: JSON Schema validation, with errors mapped to the offending line and column.

The schema is the only statement of the format; this module only explains its
errors in the words of someone fixing a YAML file.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Collection, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.core.loader import Document
from generator.diagnostics import Diagnostic, make

if TYPE_CHECKING:  # jsonschema is imported when a file needs explaining (a tenth of a second)
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

LOCAL_ID = "^[A-Za-z0-9]+(?:-+[A-Za-z0-9]+|_[A-Za-z0-9]+)*-*$"  # the schema's localId
BLANK = r"\S"  # the schema's pattern for text: something besides whitespace
KINDS = {"runbook": None, "severity-scheme": "severitySchemeFile", "contacts": "contactsFile"}
_YAML_TYPES = {
    "tag:yaml.org,2002:bool": "a boolean (YAML reads yes/no/on/off/true/false as booleans)",
    "tag:yaml.org,2002:int": "a number (YAML reads 010 as 8 and 22:30 as 1350)",
    "tag:yaml.org,2002:float": "a number (YAML reads 1.10 as 1.1)",
    "tag:yaml.org,2002:null": "nothing (null: an empty value, ~ or null)",
}
_JSON_TYPES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
}


def schema_path() -> Path:
    """Where the schema lives: shipped in the package, or in the source tree."""
    packaged = Path(__file__).parent.parent / "schemas" / "runbook.schema.json"
    return (
        packaged
        if packaged.exists()
        else Path(__file__).parent.parent.parent / "schemas" / "runbook.schema.json"
    )


@cache
def load_schema() -> dict[str, Any]:
    """The runbook schema, read once."""
    schema: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return schema


def default_variable_pattern() -> str:
    """What a fill-in value must match when its variable declares no `pattern`: the schema's
    default for it (no shell metacharacters, no whitespace, no leading '-')."""
    pattern: str = load_schema()["$defs"]["variable"]["properties"]["pattern"]["default"]
    return pattern


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    """A schema pattern as JSON Schema means it (ECMA-262): a final `$` is the very end.

    Python's `$` also matches before a final newline, so `^[a-z0-9-]*$` would pass the id
    "db\\n", which would name a file and an anchor with a newline in them.
    """
    body = pattern[:-1]
    escaped = (len(body) - len(body.rstrip("\\"))) % 2 == 1
    return re.compile(body + r"\Z" if pattern.endswith("$") and not escaped else pattern)


def _ecma_pattern(
    validator: Validator, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _validator_class() -> type[Validator]:
    from jsonschema import Draft202012Validator, validators

    extended: type[Validator] = validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"pattern": _ecma_pattern}
    )
    return extended


@cache
def validator(kind: str) -> Validator:
    """The compiled validator for one kind of file."""
    from jsonschema import FormatChecker

    schema = load_schema()
    definition = KINDS[kind]
    if definition is not None:
        schema = {**schema, **schema["$defs"][definition]}
    return _validator_class()(schema, format_checker=FormatChecker())


def kind_of(doc: Document) -> str:
    """The file's kind; runbooks may leave it out."""
    kind = doc.data.get("kind", "runbook")
    return kind if isinstance(kind, str) and kind in KINDS else ""


def validate(doc: Document) -> list[Diagnostic]:
    """Every schema error of one document, positioned and explained."""
    kind = kind_of(doc)
    if not kind:
        line, col = doc.pos(("kind",))
        choices = ", ".join(KINDS)
        return [
            make(
                doc.path,
                line,
                col,
                "RB105",
                f"unknown kind {doc.data.get('kind')!r}: use one of {choices}",
            )
        ]
    errors = [_deepest(e) for e in validator(kind).iter_errors(doc.data)]
    patterned = {tuple(e.absolute_path) for e in errors if e.validator == "pattern"}
    found: set[Diagnostic] = set()
    for error in errors:
        if error.validator == "format" and tuple(error.absolute_path) in patterned:
            continue  # "not YYYY-MM-DD" already says it
        found.update(explain_all(error, doc))
    return sorted(found)


def _deepest(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf, the branch error that says most; otherwise the error itself."""
    from jsonschema.exceptions import best_match

    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return error
    # Branches whose type does not even match say nothing useful; neither do all-`required` failures.
    relevant = [
        e
        for e in error.context
        if not (e.validator in ("type", "required") and not e.relative_path)
    ]
    return _deepest(best_match(relevant)) if relevant else error


def explain_all(error: ValidationError, doc: Document) -> list[Diagnostic]:
    """The diagnostics of one schema error: one per unknown property, else one."""
    if error.validator != "additionalProperties":
        return [explain(error, doc)]
    allowed = sorted(_schema(error).get("properties", {}))
    extra = sorted(set(_instance(error)) - set(allowed))
    path = tuple(error.absolute_path)
    if _may_be_text(error) and _colon_text(_instance(error), allowed):
        line, col = doc.pos((*path, extra[0]), key=True)
        message = _colon_message(error, doc, allowed=allowed)
        return [make(doc.path, line, col, "RB101", message)]
    found = []
    for name in extra:
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
        line, col = doc.pos((*path, name), key=True)
        found.append(
            make(doc.path, line, col, "RB101", f"{_where(error)}unknown property '{name}': {hint}")
        )
    return found


def explain(error: ValidationError, doc: Document) -> Diagnostic:
    """One diagnostic for one schema error."""
    path = tuple(error.absolute_path)
    handler = _HANDLERS.get(str(error.validator), _other)
    code, key, message = handler(error, doc)
    line, col = doc.pos(path + ((key,) if key else ()), key=key is not None or _is_key_error(error))
    return make(doc.path, line, col, code, message)


def _is_key_error(error: ValidationError) -> bool:
    return error.validator in ("required", "additionalProperties", "minProperties")


def _value(error: ValidationError) -> Any:
    return error.validator_value


def _schema(error: ValidationError) -> dict[str, Any]:
    return error.schema if isinstance(error.schema, dict) else {}


def _instance(error: ValidationError) -> Any:
    return error.instance


def _where(error: ValidationError) -> str:
    path = "/".join(str(p) for p in error.absolute_path)
    return f"{path}: " if path else ""


def _required(error: ValidationError, doc: Document) -> tuple[str, str | None, str]:
    missing = [p for p in _value(error) if p not in _instance(error)]
    name = missing[0] if missing else "?"
    description = _schema(error).get("properties", {}).get(name, {}).get("description", "")
    hint = f" ({description})" if description else ""
    return (
        "RB100",
        None,
        f"{_where(error)}missing required property '{name}'{hint}: add `{name}: ...`",
    )


def _type(error: ValidationError, doc: Document) -> tuple[str, str | None, str]:
    wanted = _value(error) if isinstance(_value(error), str) else _value(error)[0]
    only_text = _schema(error) == load_schema()["$defs"]["text"]
    if wanted == "string" and _colon_text(_instance(error), only_text=only_text):
        return "RB102", None, _colon_message(error, doc)
    want = _JSON_TYPES.get(wanted, wanted)
    pos = (doc.details or {}).get(tuple(error.absolute_path))
    if _instance(error) is None and pos is not None and not pos.raw:
        return "RB102", None, f"{_where(error)}has no value: give it {want}, or remove the key"
    if pos is not None and pos.raw is not None and pos.tag in _YAML_TYPES and wanted == "string":
        got = _YAML_TYPES[pos.tag]
        last = error.absolute_path[-1] if error.absolute_path else None
        quoted = json.dumps(pos.raw)
        fix = f"{last}: {quoted}" if isinstance(last, str) else quoted
        message = (
            f"{_where(error)}expected {want}, but YAML read `{pos.raw}` as {got}: quote it: {fix}"
        )
        return "RB102", None, message
    got = _describe(_instance(error))
    return "RB102", None, f"{_where(error)}expected {want}, got {got}"


def _may_be_text(error: ValidationError) -> bool:
    """Whether the value of *error*, an object branch's, may be a text instead (a list item, a
    checklist item: `oneOf` a text or an object)."""
    parent = error.parent
    if parent is None or parent.validator not in ("oneOf", "anyOf"):
        return False
    branches: Any = parent.validator_value
    return any(branch.get("$ref") == "#/$defs/text" for branch in branches)


def _colon_text(value: Any, allowed: Collection[str] = (), *, only_text: bool = False) -> bool:
    """Whether *value*, a mapping where a text may be, is a text YAML read as `key: value`
    because of a colon in it: its one key is no property and reads as prose (it has a space or
    a capital, which no property has, or nothing follows its colon). Where *only_text* may be,
    any one key with a plain value is."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    ((key, inner),) = value.items()
    if not isinstance(key, str) or key in allowed:
        return False
    prose = any(c.isspace() for c in key) or key[:1].isupper()
    return prose or inner is None or inner == "" or (only_text and not _is_collection(inner))


def _is_collection(value: Any) -> bool:
    return isinstance(value, (list, dict))


def _colon_message(error: ValidationError, doc: Document, *, allowed: Collection[str] = ()) -> str:
    """Why a text became a mapping, and the fix: the text quoted, as it should be written."""
    path = tuple(error.absolute_path)
    ((key, inner),) = _instance(error).items()
    read = f"{_where(error)}YAML read this text as a `key: value` mapping"
    text = json.dumps(f"{key}:", ensure_ascii=False)
    if isinstance(inner, list) and "items" in allowed:
        return (
            f"{read} because of the ':' after {key!r}, and the list under it as its value:"
            f" write `text: {text}` and put the list under `items:`"
        )
    if _is_collection(inner):
        return (
            f"{read} because of the ':' after {key!r}, and what is indented under it as its"
            f" value: quote the text ({text}) and move what is under it out (a text holds"
            " nothing under it)"
        )
    pos = (doc.details or {}).get((*path, key))
    after = pos.raw if pos is not None and pos.raw is not None else inner
    if after is None or after == "":
        cause, text = "its final ':'", f"{key}:"
    else:
        cause, text = f"the ': ' after {key!r}", f"{key}: {after}"
    return f"{read} because of {cause}: quote the whole text: {_quoted(path, text)}"


def _quoted(path: tuple[Any, ...], text: str) -> str:
    """*text* double-quoted as the YAML at *path* (a list item or a key's value) should be."""
    quoted = json.dumps(text, ensure_ascii=False)
    last = path[-1] if path else None
    if isinstance(last, int):
        return f"- {quoted}"
    return f"{last}: {quoted}" if isinstance(last, str) else quoted


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    return f"the text {value!r}"


def _pattern(error: ValidationError, doc: Document) -> tuple[str, str | None, str]:
    pattern = _value(error)
    if pattern == "^[a-z0-9][a-z0-9-]*$":
        ascii_text = unicodedata.normalize("NFKD", str(_instance(error))).encode("ascii", "ignore")
        slug = "-".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.decode().lower()).split())
        hint = f": use lowercase letters, digits and '-', e.g. {slug or 'my-id'}"
        return "RB103", None, f"{_where(error)}{_instance(error)!r} is not a valid id{hint}"
    if pattern == LOCAL_ID:
        suggestion = re.sub(r"[^A-Za-z0-9]+", "-", str(_instance(error))).strip("-") or "my-id"
        hint = f": use letters, digits, '-' and '_' (an '_' only between letters or digits), e.g. {suggestion}"
        return "RB103", None, f"{_where(error)}{_instance(error)!r} is not a valid id{hint}"
    if pattern.startswith("^(https?"):
        return (
            "RB210",
            None,
            f"{_where(error)}{_instance(error)!r} is not an http(s), mailto or tel URL; for a file, use `document:`",
        )
    if "[0-9]{4}" in pattern:
        return "RB103", None, f"{_where(error)}{_instance(error)!r} is not a date: write YYYY-MM-DD"
    if pattern == BLANK:
        return "RB103", None, f"{_where(error)}is blank: write the text, or remove it"
    if error.absolute_path and error.absolute_path[-1] == "mermaid":
        return "RB103", None, f"{_where(error)}{_mermaid(str(_instance(error)))}"
    return (
        "RB103",
        None,
        f"{_where(error)}{_instance(error)!r} does not match the pattern {pattern}",
    )


def mermaid_kinds() -> tuple[str, ...]:
    """The kinds of Mermaid diagram a diagram may start with, as the schema's pattern lists."""
    pattern: str = load_schema()["$defs"]["diagram"]["properties"]["mermaid"]["pattern"]
    kinds = re.search(r"\(\?:(flowchart\|[^)]*)\)", pattern)
    return tuple(kinds[1].split("|")) if kinds else ()


def _mermaid(source: str) -> str:
    """Why a diagram's source is refused: a control character, or no kind of diagram first."""
    control = re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", source)
    if control:
        return f"holds the control character U+{ord(control[0]):04X}: remove it"
    known = ", ".join(mermaid_kinds())
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    first = first.split()[0] if first else ""
    close = difflib.get_close_matches(first, known.split(", "), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (
        f"the diagram starts with {first!r}{hint}, not with a kind of Mermaid diagram: start it"
        f" with one of {known}"
    )


def _enum(error: ValidationError, doc: Document) -> tuple[str, str | None, str]:
    choices = ", ".join(str(c) for c in _value(error))
    close = difflib.get_close_matches(str(_instance(error)), [str(c) for c in _value(error)], n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return (
        "RB103",
        None,
        f"{_where(error)}{_instance(error)!r} is not allowed: {hint}use one of {choices}",
    )


def _const(error: ValidationError, doc: Document) -> tuple[str, str | None, str]:
    return (
        "RB103",
        None,
        f"{_where(error)}must be {_value(error)!r}, not {_instance(error)!r}",
    )


def _format(error: ValidationError, doc: Document) -> tuple[str, str | None, str]:
    return (
        "RB103",
        None,
        f"{_where(error)}{_instance(error)!r} is not a real {_value(error)}: check the day and month",
    )


def _bounds(error: ValidationError, doc: Document) -> tuple[str, str | None, str]:
    words = {
        "minLength": f"must not be empty (at least {_value(error)} characters)",
        "maxLength": f"is too long: at most {_value(error)} characters",
        "minItems": f"needs at least {_value(error)} item(s)",
        "maxItems": f"has too many items: at most {_value(error)}",
        "uniqueItems": "has the same item twice: remove the duplicate",
        "minProperties": "is empty: give it at least one property",
    }
    return "RB104", None, f"{_where(error)}{words.get(str(error.validator), error.message)}"


def _one_of(error: ValidationError, doc: Document) -> tuple[str, str | None, str]:
    schema_text = json.dumps(_value(error))
    if '"runbook"' in schema_text and '"url"' in schema_text:
        return (
            "RB103",
            None,
            f"{_where(error)}a link needs exactly one of `runbook`, `url` or `document`",
        )
    if '"rollback"' in schema_text:
        return (
            "RB100",
            None,
            f"{_where(error)}a destructive command needs `rollback` or `precondition`: say how to undo it or what to check first",
        )
    defs = load_schema()["$defs"]
    types = [
        defs[s["$ref"].rsplit("/", 1)[-1]].get("type", "") if "$ref" in s else s.get("type", "")
        for s in _value(error)
    ]
    options = " or ".join(_JSON_TYPES.get(str(t), str(t)) for t in types)
    return "RB102", None, f"{_where(error)}expected {options}, got {_describe(_instance(error))}"


def _other(error: ValidationError, doc: Document) -> tuple[str, str | None, str]:
    return "RB103", None, f"{_where(error)}{error.message}"


_HANDLERS = {
    "required": _required,
    "type": _type,
    "pattern": _pattern,
    "enum": _enum,
    "const": _const,
    "format": _format,
    "minLength": _bounds,
    "maxLength": _bounds,
    "minItems": _bounds,
    "maxItems": _bounds,
    "uniqueItems": _bounds,
    "minProperties": _bounds,
    "oneOf": _one_of,
    "anyOf": _one_of,
}
