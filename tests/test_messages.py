"""Messages that name the true cause and the fix, where YAML's own would mislead (issue 18)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.run.project import load_site
from tests.conftest import FIXTURES, ROOT

INVALID = FIXTURES / "invalid"


def messages(name: str) -> list[str]:
    site = load_site([INVALID / name])
    return [d.message for d in site.diagnostics]


def test_a_pasted_task_list_item_says_so() -> None:
    (message,) = messages("loader-task-list-item.yaml")
    assert "a Markdown task-list item (`- [x] ...`)" in message
    assert '(`- "[x] Paged the DBA"`)' in message


def test_a_text_that_starts_with_braces_says_quote_it() -> None:
    (message,) = messages("loader-template-braces.yaml")
    assert message.startswith("a text that starts with `{` is read as a YAML mapping")
    assert "quote the whole text" in message


def test_a_comment_that_cuts_a_text_says_where_it_ends() -> None:
    (message,) = messages("loader-comment-cuts-text.yaml")
    assert message == (
        "' #incident-management' starts a YAML comment here, so the text ends at"
        " 'the CMOC - post in the channel': quote the whole text, or put a space after '#' if it"
        " is a comment"
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    team = tmp_path / "runbooks" / "team"
    team.mkdir(parents=True)
    shutil.copy(FIXTURES / "valid" / "contacts.yaml", team / "contacts.yaml")
    shutil.copy(FIXTURES / "valid" / "severity.yaml", tmp_path / "runbooks" / "severity.yaml")
    shutil.copy(FIXTURES / "valid" / "full.yaml", team / "db.yaml")
    (team / "broken.yaml").write_text("id: [", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_checking_one_file_loads_the_contacts_and_schemes_it_refers_to(project: Path) -> None:
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--today", "2026-02-01", "runbooks/team/db.yaml"]
    )
    assert result.output == ""  # no unknown owner, contact or scheme; nothing of broken.yaml
    assert result.exit_code == 0


def test_checking_one_file_reports_only_its_own_problems(project: Path) -> None:
    db = project / "runbooks" / "team" / "db.yaml"
    db.write_text(db.read_text().replace("owner: test-platform", "owner: test-platfrom"))
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--today", "2026-02-01", "runbooks/team/db.yaml"]
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("runbooks/team/db.yaml:6:8: error RB202 owner 'test-platfrom'")
    assert "did you mean 'test-platform'?" in lines[0]
    assert lines[1:] == ["1 error(s), 0 warning(s)"]


def test_the_shipped_runbooks_check_alone_as_in_their_project() -> None:
    one = ROOT / "runbooks" / "hafnium" / "hafnium-incident-response.yaml"
    result = CliRunner().invoke(main, ["check", "--no-cache", "--today", "2025-12-01", str(one)])
    assert "RB20" not in result.output  # its owner, contacts and scheme are found


def test_a_duplicate_anchor_names_both_kinds() -> None:
    """A procedure and a phase with one id: the message names both (not 'section', which is a
    property of its own)."""
    found = [m for m in messages("xref-duplicate-procedure-phase-id.yaml") if "already" in m]
    assert found == [
        "procedure id 'a' is already the id of the phase at line 9 (phases, procedures,"
        " steps, decision tables, templates, sections and diagrams share the page's anchors):"
        " rename one"
    ]


def test_a_folder_checked_beside_a_file_is_reported_whole(tmp_path: Path) -> None:
    """`check DIR FILE`: the problems of every runbook in DIR are reported, not only FILE's."""
    folder = tmp_path / "rb"
    folder.mkdir()
    (folder / "broken.yaml").write_text(
        "id: broken\ntitle: Broken\nprocedures:\n  - {id: p, title: P}\n"
    )
    contacts = FIXTURES / "valid" / "contacts.yaml"
    result = CliRunner().invoke(main, ["check", "--no-cache", str(folder), str(contacts)])
    assert result.exit_code == 1
    assert "RB214" in result.output
