"""Reporters: escaping of GitHub workflow commands, JSON status."""

from __future__ import annotations

import json

from generator.diagnostics import Diagnostic, Severity
from generator.reporters import as_json, github, text

ODD = Diagnostic("dir,x/a:b.yaml", 3, 7, "RB103", Severity.ERROR, "100% bad\nsecond line\r")
WARN = Diagnostic("a.yaml", 1, 1, "RB300", Severity.WARNING, "review overdue")


def test_github_escapes_data_and_properties() -> None:
    assert github([ODD]) == (
        "::error file=dir%2Cx/a%3Ab.yaml,line=3,col=7,title=RB103 Invalid value::100%25 bad%0Asecond line%0D"
    )


def test_github_warning_and_strict() -> None:
    assert github([WARN]).startswith("::warning file=a.yaml,line=1,col=1,")
    assert github([WARN], strict=True).startswith("::error ")


def test_text_counts() -> None:
    assert text([WARN]).splitlines() == [
        "a.yaml:1:1: warning RB300 review overdue",
        "0 error(s), 1 warning(s)",
    ]
    assert text([]) == ""


def test_json_status() -> None:
    assert json.loads(as_json([WARN]))["status"] == "ok"
    assert json.loads(as_json([WARN], strict=True))["status"] == "failed"
    assert json.loads(as_json([]))["diagnostics"] == []
