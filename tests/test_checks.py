"""`runbookgen check`'s CI checks in-process: review dates, secrets, placeholders, link syntax and
the links of a built site.

Each runbook under tests/fixtures/checks/ names the lines `check` prints for it in `# expect:`
header comments (or `# expect: clean`); every run uses `--today` 2026-11-23 and allow.txt as the
project's allow-list.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import FIXTURES, ROOT, TODAY

CHECKS = FIXTURES / "checks"
RUNBOOKS = sorted(CHECKS.glob("*.yaml"))
DAY = TODAY.isoformat()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with shared contacts and severity scheme, and allow.txt as its allow-list."""
    (tmp_path / "runbooks").mkdir()
    for name in ("severity.yaml", "contacts.yaml"):
        shutil.copy(FIXTURES / "valid" / name, tmp_path / "runbooks" / name)
    shutil.copy(CHECKS / "allow.txt", tmp_path / ".runbookgen-allow")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--today", DAY, *args])
    return result.exit_code, result.output


def add(project: Path, name: str) -> None:
    shutil.copy(CHECKS / name, project / "runbooks" / name)


def expected(path: Path) -> list[str]:
    """The lines `check` prints for *path* alone, from its `# expect:` comments."""
    tails = re.findall(r"^# expect: (.+)$", path.read_text(), re.M)
    assert tails, f"{path.name} has no `# expect:` line"
    if tails == ["clean"]:
        return []
    errors = sum(" error " in tail for tail in tails)
    lines = [f"runbooks/{path.name}:{tail}" for tail in tails]
    return [*lines, f"{errors} error(s), {len(tails) - errors} warning(s)"]


@pytest.mark.parametrize("path", RUNBOOKS, ids=lambda p: p.name)
def test_fixture(project: Path, path: Path) -> None:
    add(project, path.name)
    code, out = run()
    want = expected(path)
    assert out.splitlines() == want
    assert code == (1 if any(" error " in line for line in want) else 0)


def test_strict_fails_on_warnings(project: Path) -> None:
    add(project, "stale.yaml")
    assert run()[0] == 0
    code, out = run("--strict", "--format", "github")
    assert code == 1
    assert [line.split(",")[0] for line in out.splitlines()] == [
        "::error file=runbooks/stale.yaml",
        "::error file=runbooks/stale.yaml",
    ]


def test_clean_under_strict(project: Path) -> None:
    add(project, "clean.yaml")
    assert run("--strict") == (0, "")


def test_max_age(project: Path) -> None:
    add(project, "stale.yaml")
    code, out = run("--max-age", "540")
    assert (code, [line.split(" ")[2] for line in out.splitlines()[:-1]]) == (0, ["RB300"])
    assert "RB301" in run("--max-age", "539")[1]


def test_without_allow_list_the_documented_fakes_are_reported(project: Path) -> None:
    add(project, "secrets.yaml")
    (project / ".runbookgen-allow").unlink()
    out = run()[1]
    assert (
        "runbooks/secrets.yaml:43:45: error RB310 possible GitLab token (glpa… 26 characters)"
        in out
    )
    assert (
        "runbooks/secrets.yaml:44:47: error RB310 possible GitHub token (ghp_… 40 characters)"
        in out
    )
    assert "AKIAIOSFODNN7EXAMPLE" not in out and "(AKIA… 20 characters)" in out


def test_invalid_allow_list_entry(project: Path) -> None:
    shutil.copy(CHECKS / "allow-bad.txt", project / ".runbookgen-allow")
    add(project, "clean.yaml")
    assert run() == (
        1,
        ".runbookgen-allow:2:7: error RB311 invalid regular expression '(unclosed': "
        "missing ), unterminated subpattern at position 0\n"
        "1 error(s), 0 warning(s)\n",
    )


def test_built_site(project: Path) -> None:
    shutil.copytree(CHECKS / "site", project / "site")
    add(project, "clean.yaml")
    code, out = run("--site", "site")
    assert code == 1
    assert out.splitlines() == [
        "site/guide/index.html:6:60: error RB331 link '../index.html#legacy': index.html has no element with id 'legacy'",
        "site/guide/index.html:7:5: error RB330 link '../../outside.html' leads outside the site: make it relative to the page",
        "site/index.html:13:5: error RB331 link 'guide/#restart': guide/index.html has no element with id 'restart'",
        "site/index.html:14:6: error RB330 link 'missing/': missing/index.html is not in the site: fix the link in its source",
        "4 error(s), 0 warning(s)",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "2026-13-01"], "Invalid value for '--today'"),
        (["--site", "no/such/dir"], "does not exist"),
        (["--max-age", "-1"], "Invalid value for '--max-age'"),
    ],
)
def test_usage_errors(project: Path, args: list[str], message: str) -> None:
    code, out = run(*args)
    assert code == 2
    assert message in out


OWN = sorted((ROOT / "runbooks").rglob("*.yaml"))


@pytest.mark.skipif(not OWN, reason="the project has no runbooks yet")
def test_project_runbooks_have_no_false_positives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = run("runbooks")[1]
    assert not re.findall(r"^.* (?:RB210|RB310|RB311|RB320) .*$", out, re.M)
