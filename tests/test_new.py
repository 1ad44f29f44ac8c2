"""`runbookgen new` in-process: the scaffold passes `check`, ids are checked, nothing is overwritten."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import FIXTURES

CREATED = "created runbooks/postgres/db-pool.yaml: fill it in, then run `runbookgen check`"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with shared contacts and a severity scheme, and no runbook yet."""
    (tmp_path / "runbooks").mkdir()
    for name in ("severity.yaml", "contacts.yaml"):
        shutil.copy(FIXTURES / "valid" / name, tmp_path / "runbooks" / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_new_then_check_is_clean(project: Path) -> None:
    assert run("new", "db-pool", "--service", "postgres") == (0, CREATED + "\n")
    assert run("check", "--no-cache") == (0, "")
    lines = (project / "runbooks" / "postgres" / "db-pool.yaml").read_text().splitlines()
    assert lines[:6] == [
        "# yaml-language-server: $schema=../../schemas/runbook.schema.json",
        'id: "db-pool"',
        'title: "Db pool"',
        "summary: What this runbook is for and when to use it. Replace this text.",
        'services: ["postgres"]',
        'owner: "test-platform"',
    ]
    assert 'severity: "test-sev"' in lines


def test_owner_option(project: Path) -> None:
    assert run("new", "db-pool", "--owner", "test-dba", "--title", "DB pool: exhausted")[0] == 0
    text = (project / "runbooks" / "db-pool" / "db-pool.yaml").read_text()
    assert 'owner: "test-dba"' in text
    assert 'title: "DB pool: exhausted"' in text
    assert run("check", "--no-cache") == (0, "")


def test_unknown_owner(project: Path) -> None:
    code, out = run("new", "db-pool", "--owner", "nobody")
    assert code == 2
    assert (
        "unknown owner 'nobody': use the id of a defined contact (test-dba, test-platform)" in out
    )
    assert not (project / "runbooks" / "db-pool").exists()


def test_no_contacts_gets_an_inline_owner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("new", "solo")[0] == 0
    text = (tmp_path / "runbooks" / "solo" / "solo.yaml").read_text()
    assert '  - id: "on-call"\n' in text
    assert "severity:" not in text
    assert run("check", "--no-cache") == (0, "")


@pytest.mark.parametrize("word", ["no", "null", "true", "1e3", "0x1f", "123"])
def test_ids_yaml_would_misread_stay_text(project: Path, word: str) -> None:
    assert run("new", word)[0] == 0
    assert run("check", "--no-cache") == (0, "")


def test_output_path_and_modeline(project: Path) -> None:
    code, out = run("new", "edge", "--output", "runbooks/a/b/c/edge.yml")
    assert (code, out) == (
        0,
        "created runbooks/a/b/c/edge.yml: fill it in, then run `runbookgen check`\n",
    )
    first = (project / "runbooks" / "a" / "b" / "c" / "edge.yml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../../schemas/runbook.schema.json"
    assert run("check", "--no-cache") == (0, "")


def test_refuses_to_overwrite(project: Path) -> None:
    target = project / "runbooks" / "notes.yaml"
    target.write_text("# mine\n")
    code, out = run("new", "db-pool", "--output", "runbooks/notes.yaml")
    assert code == 2
    assert "runbooks/notes.yaml already exists: not overwriting it" in out
    assert target.read_text() == "# mine\n"
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []


def test_refuses_an_id_in_use(project: Path) -> None:
    assert run("new", "db-pool")[0] == 0
    code, out = run("new", "db-pool", "--output", "runbooks/other.yaml")
    assert code == 2
    assert "runbook id 'db-pool' is already used by runbooks/db-pool/db-pool.yaml" in out
    assert not (project / "runbooks" / "other.yaml").exists()


@pytest.mark.parametrize(
    "bad", ["", "../etc", "a/b", "a..b", "has space", "Caps", "-lead", "café", "a\nb", "x" * 81]
)
def test_bad_ids_exit_2(project: Path, bad: str) -> None:
    code, out = run("new", "--", bad)
    assert code == 2
    assert "is not a valid id: use lowercase ASCII letters, digits and '-'" in out
    assert "Traceback" not in out
    assert sorted(p.name for p in (project / "runbooks").iterdir()) == [
        "contacts.yaml",
        "severity.yaml",
    ]


def test_bad_service_exits_2(project: Path) -> None:
    code, out = run("new", "db-pool", "--service", "../up")
    assert code == 2
    assert "service '../up' is not a valid id" in out


def test_help_ends_with_example() -> None:
    code, out = run("new", "--help")
    assert code == 0
    assert "Example:\n      runbookgen new db-connections --service postgres" in out
