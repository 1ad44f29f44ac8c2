"""`runbookgen diff` on a real git history: exact Markdown lines, JSON and exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import FIXTURES

VALID = FIXTURES / "valid"
DESTRUCTIVE = """\
            description: Recent events in the namespace
          - run: kubectl delete pod <pod-name> -n <namespace>
            description: Restart the crashed pod
            destructive:
              reason: Drops the requests the pod is serving
              rollback: None needed, the deployment starts a new pod
"""

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def rename_runbook(text: str, runbook_id: str, title: str) -> str:
    text = text.replace("id: db-connections", f"id: {runbook_id}")
    return text.replace("title: Database connection exhaustion", f"title: {title}")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main: the valid fixtures plus a runbook that never changes; feature: one change a commit."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo = tmp_path / "repo"
    books = repo / "runbooks"
    books.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.com")
    for name in ("contacts.yaml", "severity.yaml", "full.yaml"):
        shutil.copy(VALID / name, books / name)
    full = (VALID / "full.yaml").read_text()
    (books / "steady.yaml").write_text(rename_runbook(full, "steady-state", "Steady state"))
    commit(repo, "Runbooks")
    git(repo, "checkout", "-q", "-b", "feature")

    edit(books / "severity.yaml", "response_time: 5 min", "response_time: 10 min")
    commit(repo, "SEV1 response time")
    edit(books / "full.yaml", "    contact: test-dba\n", "    contact: test-platform\n")
    commit(repo, "Escalate to the platform team")
    edit(
        books / "full.yaml",
        "            description: Recent events in the namespace\n",
        DESTRUCTIVE,
    )
    commit(repo, "Restart a crashed pod")
    text = (books / "full.yaml").read_text()
    start, end = text.index("procedures:\n"), text.index("templates:\n")
    (books / "full.yaml").write_text(text[:start] + text[end:])
    commit(repo, "Drop the idle-connections procedure")
    edit(books / "full.yaml", "next_review: 2026-04-10", "next_review: 2026-10-10")
    commit(repo, "Reviewed")
    (books / "postgres").mkdir()
    git(repo, "mv", "runbooks/full.yaml", "runbooks/postgres/db-connections.yaml")
    commit(repo, "One folder per service")
    (books / "cache.yaml").write_text(rename_runbook(full, "cache-stampede", "Cache stampede"))
    commit(repo, "Cache runbook")
    monkeypatch.chdir(repo)
    return repo


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["diff", *args])
    return result.exit_code, result.output


def short(repo: Path, rev: str) -> str:
    return git(repo, "rev-parse", rev)[:7]


def test_markdown_from_the_merge_base(repo: Path) -> None:
    code, out = run()
    assert code == 0
    base = short(repo, "main")
    assert out.splitlines() == [
        "<!-- runbookgen diff -->",
        "## Runbook changes",
        "",
        f"Comparing {base} → working tree: runbooks: 1 added, 1 moved"
        " · shared definitions: 1 changed.",
        "",
        "### Added: Cache stampede (<code>cache-stampede</code>)",
        "",
        "<code>runbooks/cache.yaml</code>",
        "",
        "- Command added: <code>SELECT pg&#95;terminate&#95;backend(pid) …</code>"
        " (procedure idle-connections, resolution) — ⚠️ **destructive**: Terminates client sessions",
        "",
        "### Moved: Database connection exhaustion (<code>db-connections</code>)",
        "",
        "<code>runbooks/full.yaml</code> → <code>runbooks/postgres/db-connections.yaml</code>",
        "",
        "- Escalation contact changed: <code>test-dba</code> → <code>test-platform</code>"
        " (after 15 min)",
        "- Command added: <code>kubectl delete pod &#60;pod-name&#62; -n &#60;namespace&#62;</code>"
        " (phase acknowledge) — ⚠️ **destructive**: Drops the requests the pod is serving",
        "- Procedure removed: Idle connections pile up (idle-connections)",
        "- Next review moved: 2026-04-10 → 2026-10-10",
        "",
        "### Severity scheme changed: SEV1–SEV3 (<code>test-sev</code>)",
        "",
        "<code>runbooks/severity.yaml</code>; used by <code>cache-stampede</code>,"
        " <code>db-connections</code>, <code>steady-state</code>",
        "",
        "- SEV1 response time changed: 5 min → 10 min",
    ]
    assert "Steady state" not in out


def change(subject: str, action: str, **fields: str) -> dict[str, str]:
    base = {"old": "", "new": "", "where": "", "destructive": ""}
    return {"subject": subject, "action": action, **base, **fields}


def test_json_between_two_revisions(repo: Path) -> None:
    code, out = run("main", "HEAD", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "changed": True,
        "base": f"main ({short(repo, 'main')})",
        "head": f"HEAD ({short(repo, 'HEAD')})",
        "runbooks": [
            {
                "id": "cache-stampede",
                "title": "Cache stampede",
                "status": "added",
                "path": "runbooks/cache.yaml",
                "old_path": "",
                "old_id": "",
                "changes": [
                    change(
                        "Command",
                        "added",
                        new="SELECT pg_terminate_backend(pid) …",
                        where="procedure idle-connections, resolution",
                        destructive="Terminates client sessions",
                    )
                ],
            },
            {
                "id": "db-connections",
                "title": "Database connection exhaustion",
                "status": "moved",
                "path": "runbooks/postgres/db-connections.yaml",
                "old_path": "runbooks/full.yaml",
                "old_id": "",
                "changes": [
                    change(
                        "Escalation contact",
                        "changed",
                        old="test-dba",
                        new="test-platform",
                        where="after 15 min",
                    ),
                    change(
                        "Command",
                        "added",
                        new="kubectl delete pod <pod-name> -n <namespace>",
                        where="phase acknowledge",
                        destructive="Drops the requests the pod is serving",
                    ),
                    change(
                        "Procedure",
                        "removed",
                        old="Idle connections pile up",
                        where="idle-connections",
                    ),
                    change("Next review", "moved", old="2026-04-10", new="2026-10-10"),
                ],
            },
        ],
        "shared": [
            {
                "kind": "severity scheme",
                "id": "test-sev",
                "name": "SEV1–SEV3",
                "status": "changed",
                "path": "runbooks/severity.yaml",
                "affects": ["cache-stampede", "db-connections", "steady-state"],
                "changes": [change("SEV1 response time", "changed", old="5 min", new="10 min")],
            }
        ],
        "skipped": [],
    }


def test_one_commit_at_a_time(repo: Path) -> None:
    code, out = run("HEAD~4", "HEAD~3")
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith(("###", "- "))] == [
        "### Changed: Database connection exhaustion (<code>db-connections</code>)",
        "- Procedure removed: Idle connections pile up (idle-connections)",
    ]


def test_renamed_id_and_shared_contact(repo: Path) -> None:
    books = repo / "runbooks"
    edit(books / "steady.yaml", "id: steady-state", "id: steady")
    edit(books / "contacts.yaml", "role: Database Admin", "role: Database on-call")
    edit(
        books / "contacts.yaml",
        "{type: email, value: dba@example.com}",
        "{type: slack, value: '#dba'}",
    )
    code, out = run("HEAD")
    assert code == 0
    assert out.splitlines()[3:] == [
        f"Comparing HEAD ({short(repo, 'HEAD')}) → working tree: runbooks: 1 renamed"
        " · shared definitions: 1 changed.",
        "",
        "### Renamed: Steady state (<code>steady</code>)",
        "",
        "Id <code>steady-state</code> → <code>steady</code> (the page URL changes),"
        " in <code>runbooks/steady.yaml</code>",
        "",
        "### Contact changed: Database on-call (<code>test-dba</code>)",
        "",
        "<code>runbooks/contacts.yaml</code>; used by <code>cache-stampede</code>,"
        " <code>db-connections</code>, <code>steady</code>, <code>steady-state</code>",
        "",
        "- Role changed: Database Admin → Database on-call",
        "- Channel removed: email: dba@example.com",
        "- Channel added: slack: &#35;dba",
    ]


def test_invalid_file_is_named_not_compared(repo: Path) -> None:
    (repo / "runbooks" / "cache.yaml").write_text("id: [\n")
    code, out = run("HEAD")
    assert code == 0
    assert "> ⚠️ Not compared, invalid at working tree: <code>runbooks/cache.yaml</code>" in out
    assert "### Removed: Cache stampede (<code>cache-stampede</code>)" in out


def test_no_changes(repo: Path) -> None:
    sha = short(repo, "HEAD")
    assert run("HEAD", "HEAD", "--exit-code") == (
        0,
        "<!-- runbookgen diff -->\n## Runbook changes\n\n"
        f"No runbook changes between HEAD ({sha}) and HEAD ({sha}).\n",
    )


def test_exit_code_when_changed(repo: Path) -> None:
    assert run("main", "--exit-code")[0] == 1
    assert run("main")[0] == 0


def test_bad_revision_is_a_usage_error(repo: Path) -> None:
    code, out = run("no-such-branch")
    assert code == 2
    assert "unknown revision 'no-such-branch'" in out
    code, out = run("--", "-x")
    assert code == 2
    assert "unknown revision '-x'" in out


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    code, out = run()
    assert code == 2
    assert "is not inside a git repository" in out


def test_help_ends_with_example() -> None:
    result = CliRunner().invoke(main, ["diff", "--help"])
    assert "Example:\n      runbookgen diff origin/main > runbook-changes.md\n" in result.output


def test_default_base_prefers_origin_head(repo: Path) -> None:
    git(repo, "update-ref", "refs/remotes/origin/HEAD", "HEAD~1")
    code, out = run()
    assert code == 0
    assert out.splitlines()[3] == (
        f"Comparing {short(repo, 'HEAD~1')} → working tree: runbooks: 1 added."
    )


def test_default_base_falls_back_to_head(repo: Path) -> None:
    git(repo, "branch", "-q", "-m", "main", "trunk")
    code, out = run()
    assert code == 0
    assert out.splitlines()[3] == (
        f"No runbook changes between {short(repo, 'HEAD')} and working tree."
    )


# Every command-like text is compared one by one: the working tree against HEAD, in the runbook
# that never changed in the history (`steady-state`).

ROLLBACK = "kubectl rollout undo deployment/api -n <namespace>"
TOKEN = "ghp_" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"


def changes_of() -> list[str]:
    """The change lines of the Markdown report, working tree against HEAD."""
    code, out = run("HEAD")
    assert code == 0
    return [line for line in out.splitlines() if line.startswith(("###", "- "))]


def json_changes() -> list[dict[str, str]]:
    code, out = run("HEAD", "--format", "json")
    assert code == 0
    [runbook] = json.loads(out)["runbooks"]
    assert runbook["id"] == "steady-state"
    changes: list[dict[str, str]] = runbook["changes"]
    return changes


def test_decision_table_command_changed(repo: Path) -> None:
    edit(repo / "runbooks" / "steady.yaml", ROLLBACK, f"{ROLLBACK} --to-revision=2")
    assert changes_of() == [
        "### Changed: Steady state (<code>steady-state</code>)",
        "- Command changed: <code>kubectl rollout undo deployment/api -n &#60;namespace&#62;</code>"
        " → <code>kubectl rollout undo deployment/api -n &#60;namespace&#62; --to-revision=2</code>"
        " (decision table quick-checks, row Pod crash loop)",
    ]
    assert json_changes() == [
        change(
            "Command",
            "changed",
            old=ROLLBACK,
            new=f"{ROLLBACK} --to-revision=2",
            where="decision table quick-checks, row Pod crash loop",
        )
    ]


def test_token_pasted_into_a_decision_table_command_is_shown(repo: Path) -> None:
    """A reviewer's case: the report said only "Also edited: decision tables"."""
    pasted = f"GITHUB_TOKEN={TOKEN} gh run rerun --failed"
    edit(repo / "runbooks" / "steady.yaml", ROLLBACK, pasted)
    shown = pasted.replace("_", "&#95;")
    assert changes_of()[1:] == [
        "- Command changed: <code>kubectl rollout undo deployment/api -n &#60;namespace&#62;</code>"
        f" → <code>{shown}</code> (decision table quick-checks, row Pod crash loop)",
    ]
    assert json_changes()[0]["new"] == pasted


def test_change_past_the_cut_is_in_view(repo: Path) -> None:
    """A long command shows from shortly before where it changed, not its first 80 characters."""
    events = "kubectl get events -n <namespace> --sort-by='.lastTimestamp'"
    long = f"{events} --field-selector type=Warning"
    edit(repo / "runbooks" / "steady.yaml", events, long)
    commit(repo, "Warnings only")
    edit(repo / "runbooks" / "steady.yaml", long, f"{long} --token={TOKEN}")
    assert changes_of()[1:] == [
        "- Command changed: <code>…elector type=Warning</code>"
        f" → <code>…elector type=Warning --token={TOKEN.replace('_', '&#95;')}</code>"
        " (phase acknowledge)",
    ]


def test_decision_table_command_added_and_other_edits_still_named(repo: Path) -> None:
    edit(
        repo / "runbooks" / "steady.yaml",
        "{symptom: Traffic surge, action: Scale out, see: surge}",
        "{symptom: Traffic surge, command: kubectl scale deploy/api --replicas=6, see: surge}",
    )
    assert changes_of()[1:] == [
        "- Command added: <code>kubectl scale deploy/api --replicas=6</code>"
        " (decision table quick-checks, row Traffic surge)",
        "- Also edited: decision tables",  # the row's action went
    ]


def test_template_body_changed(repo: Path) -> None:
    books = repo / "runbooks"
    edit(books / "steady.yaml", "      Impact: [describe user impact]\n", "      Impact: none\n")
    assert changes_of()[1:] == [
        "- Template status changed: <code>Impact: &#91;describe user impact&#93;</code>"
        " → <code>Impact: none</code> (line 2)",
    ]
    assert json_changes() == [
        change(
            "Template status",
            "changed",
            old="Impact: [describe user impact]",
            new="Impact: none",
            where="line 2",
        )
    ]
    edit(books / "steady.yaml", "title: Status update", "title: Status")
    assert changes_of()[-1] == "- Also edited: message templates"


def test_checklist_item_added_and_changed(repo: Path) -> None:
    edit(
        repo / "runbooks" / "steady.yaml",
        "[Acknowledge the page, Open the incident channel]",
        "[Acknowledge the page in PagerDuty, Open the incident channel, Post a status update]",
    )
    assert changes_of()[1:] == [
        "- Checklist item changed: Acknowledge the page → Acknowledge the page in PagerDuty"
        " (phase acknowledge)",
        "- Checklist item added: Post a status update (phase acknowledge)",
    ]
    assert json_changes() == [
        change(
            "Checklist item",
            "changed",
            old="Acknowledge the page",
            new="Acknowledge the page in PagerDuty",
            where="phase acknowledge",
        ),
        change("Checklist item", "added", new="Post a status update", where="phase acknowledge"),
    ]


def test_command_changed_below_its_first_line(repo: Path) -> None:
    """Both first lines are the same: the line that changed is shown, with its number."""
    edit(
        repo / "runbooks" / "steady.yaml",
        "WHERE state = 'idle';",
        "WHERE state = 'idle' AND pid <> pg_backend_pid();",
    )
    assert changes_of()[1:] == [
        "- Command changed: <code>WHERE state = 'idle';</code>"
        " → <code>WHERE state = 'idle' AND pid &#60;&#62; pg&#95;backend&#95;pid();</code>"
        " (procedure idle-connections, resolution, line 3)"
        " — ⚠️ **destructive**: Terminates client sessions",
    ]


def test_phase_inserted_first_edits_no_other_steps(repo: Path) -> None:
    """The steps after it moved in the file, and that alone is no edit."""
    edit(
        repo / "runbooks" / "steady.yaml",
        "phases:\n",
        "phases:\n  - id: triage\n    title: Triage\n    steps:\n      - checklist: [Look first]\n",
    )
    assert changes_of()[1:] == ["- Phase added: Triage (triage)"]
