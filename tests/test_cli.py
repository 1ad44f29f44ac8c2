"""The CLI in-process: exact lines and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import FIXTURES, ROOT

BROKEN = """\
id: broken
title: Broken
owner: test-platform
last_reviewed: 2026-01-01
procedures:
  - id: p
    title: P
    symptoms: [x]
    symptoms: [y]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "runbooks").mkdir()
    for name in ("severity.yaml", "contacts.yaml", "full.yaml"):
        (tmp_path / "runbooks" / name).write_bytes((FIXTURES / "valid" / name).read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


# Before full.yaml's next_review: `check` judges review dates by --today (default: today).
REVIEWED = ("--today", "2026-02-01")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_check_clean(project: Path) -> None:
    assert run("check", *REVIEWED) == (0, "")


def test_check_broken(project: Path) -> None:
    (project / "runbooks" / "broken.yaml").write_text(BROKEN)
    code, out = run("check", *REVIEWED)
    assert code == 1
    assert out.splitlines() == [
        "runbooks/broken.yaml:9:5: error RB012 duplicate key 'symptoms' (first at line 8, column 5): remove one",
        "1 error(s), 0 warning(s)",
    ]
    assert "Traceback" not in out


def test_check_reports_every_file(project: Path) -> None:
    (project / "runbooks" / "a.yaml").write_text("id: a\n")
    (project / "runbooks" / "b.yaml").write_text("- not a mapping\n")
    code, out = run("check")
    assert code == 1
    assert "runbooks/a.yaml:1:1: error RB100" in out
    assert "runbooks/b.yaml:1:1: error RB015" in out


def test_check_json(project: Path) -> None:
    (project / "runbooks" / "broken.yaml").write_text(BROKEN)
    code, out = run("check", "--format", "json", *REVIEWED)
    assert code == 1
    data = json.loads(out)
    assert data["status"] == "failed"
    assert data["diagnostics"] == [
        {
            "path": "runbooks/broken.yaml",
            "line": 9,
            "col": 5,
            "code": "RB012",
            "severity": "error",
            "message": "duplicate key 'symptoms' (first at line 8, column 5): remove one",
        }
    ]


def test_check_github(project: Path) -> None:
    (project / "runbooks" / "broken.yaml").write_text(BROKEN)
    code, out = run("check", "--format", "github", *REVIEWED)
    assert code == 1
    assert out.splitlines() == [
        "::error file=runbooks/broken.yaml,line=9,col=5,title=RB012 Duplicate key::"
        "duplicate key 'symptoms' (first at line 8, column 5): remove one",
    ]


def test_usage_error_is_exit_2(project: Path) -> None:
    code, out = run("check", "no/such/path")
    assert code == 2
    assert "does not exist" in out


def test_help_ends_with_example() -> None:
    code, out = run("check", "--help")
    assert code == 0
    assert "runbookgen check runbooks/" in out


def test_root_is_importable() -> None:
    assert (ROOT / "schemas" / "runbook.schema.json").is_file()
