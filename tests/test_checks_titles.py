"""`runbookgen check` warns on two runbooks with one title (RB306): search results, the symptom
index and the navigation could not tell them apart. Each runbook of tests/fixtures/checks/
same-title/ names the lines `check` prints for it in `# expect:` comments."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.test_checks import CHECKS, expected, project, run  # noqa: F401 (a fixture)

SAME = sorted((CHECKS / "same-title").glob("*.yaml"))


def test_two_runbooks_with_one_title(project: Path) -> None:  # noqa: F811
    for path in SAME:
        shutil.copy(path, project / "runbooks" / path.name)
    code, out = run()
    lines = sorted(line for path in SAME for line in expected(path)[:-1])
    assert out.splitlines() == [*lines, f"0 error(s), {len(lines)} warning(s)"]
    assert code == 0
    assert run("--strict")[0] == 1


def test_a_runbook_alone_has_its_title_to_itself(project: Path) -> None:  # noqa: F811
    shutil.copy(SAME[0], project / "runbooks" / SAME[0].name)
    assert run() == (0, "")
