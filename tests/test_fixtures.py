"""Every fixture: valid ones load clean; each invalid one gives exactly the diagnostics its header names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.run.project import load_site
from tests.conftest import FIXTURES, ROOT

VALID = FIXTURES / "valid"
SHARED = [VALID / "severity.yaml", VALID / "contacts.yaml"]
EXPECT = re.compile(r"^# expect: (\d+):(\d+) (RB\d{3})\s*$", re.M)
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))


def expected(path: Path) -> set[tuple[int, int, str]]:
    """The `# expect: line:col CODE` lines of a fixture's header (read as bytes: some are not UTF-8)."""
    head = path.read_bytes()[:2000].decode("utf-8", "replace")
    return {(int(line), int(col), code) for line, col, code in EXPECT.findall(head)}


def test_valid_fixtures_are_clean() -> None:
    site = load_site([VALID])
    assert [str(d) for d in site.diagnostics] == []
    assert {r.id for r in site.runbooks} >= {"db-connections"}


def test_there_are_enough_invalid_cases() -> None:
    assert len(INVALID) >= 25


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    want = expected(path)
    assert want, f"{path.name} names no `# expect: line:col CODE`"
    monkeypatch.chdir(ROOT)
    site = load_site([path.relative_to(ROOT), *(p.relative_to(ROOT) for p in SHARED)])
    mine = path.relative_to(ROOT).as_posix()
    got = {(d.line, d.col, d.code) for d in site.diagnostics if Path(d.path).as_posix() == mine}
    others = [str(d) for d in site.diagnostics if Path(d.path).as_posix() != mine]
    assert got == want, "\n".join(str(d) for d in site.diagnostics)
    assert not others
