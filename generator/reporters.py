"""Print diagnostics: `text` for people, `github` for workflow annotations, `json` for tools."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from generator.diagnostics import CODES, Diagnostic, has_errors


def text(diagnostics: Sequence[Diagnostic], *, strict: bool = False) -> str:
    """`path:line:col: severity CODE message`, one a line, then a count."""
    lines = [str(d) for d in diagnostics]
    errors = sum(d.severity.value == "error" for d in diagnostics)
    notes = sum(d.severity.value == "note" for d in diagnostics)
    warnings = len(diagnostics) - errors - notes
    if diagnostics:
        noted = f", {notes} note(s)" if notes else ""
        lines.append(f"{errors} error(s), {warnings} warning(s){noted}")
    return "\n".join(lines)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: Sequence[Diagnostic], *, strict: bool = False) -> str:
    """GitHub Actions workflow commands (`::error file=...,line=...::message`), 1-based."""
    lines = []
    for d in diagnostics:
        level = "error" if d.severity.value == "error" or strict else "warning"
        level = "notice" if d.severity.value == "note" else level
        props = [f"file={_escape_property(d.path)}"]
        if d.line:
            props.append(f"line={d.line}")
        if d.col:
            props.append(f"col={d.col}")
        props.append(f"title={_escape_property(d.code + ' ' + CODES[d.code].title)}")
        lines.append(f"::{level} {','.join(props)}::{_escape_data(d.message)}")
    return "\n".join(lines)


def as_json(diagnostics: Sequence[Diagnostic], *, strict: bool = False) -> str:
    """`{"status": "ok"|"failed", "diagnostics": [...]}`."""
    status = "failed" if has_errors(list(diagnostics), strict=strict) else "ok"
    items = [
        {
            "path": d.path,
            "line": d.line,
            "col": d.col,
            "code": d.code,
            "severity": d.severity.value,
            "message": d.message,
        }
        for d in diagnostics
    ]
    return json.dumps({"status": status, "diagnostics": items}, indent=2, ensure_ascii=False)


REPORTERS: dict[str, Callable[..., str]] = {"text": text, "github": github, "json": as_json}
