"""Hostile input: every file under tests/fixtures/hostile/ gets its diagnostic, no traceback, no hang."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, make_project, mkdocs_build

HOSTILE = sorted((FIXTURES / "hostile").glob("*.yaml"))
SHARED = [FIXTURES / "valid" / "severity.yaml", FIXTURES / "valid" / "contacts.yaml"]
BOUND_S = 5  # issue: every input is answered within 5 seconds; a hang fails here


def run_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "generator", "check", *(str(p.relative_to(ROOT)) for p in paths)]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=BOUND_S)


def header(path: Path) -> list[str]:
    head = path.read_bytes()[:300].decode("utf-8", "replace")
    return re.findall(r"# expect: (\d+:\d+ RB\d{3}|clean)", head)


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.name)
def test_hostile_file(path: Path) -> None:
    want = header(path)
    assert want, f"{path.name} has no `# expect:` line"
    result = run_check(path, *SHARED)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    if want == ["clean"]:
        assert result.returncode == 0, output
        return
    assert result.returncode == 1, output
    rel = path.relative_to(ROOT).as_posix()
    for item in want:
        position, code = item.split()
        assert re.search(rf"^{re.escape(rel)}:{position}: error {code} ", result.stdout, re.M), (
            output
        )


def test_oversized_file_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("id: big\n" + "# padding\n" * 300_000)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", str(big)],
        capture_output=True,
        text=True,
        timeout=BOUND_S,
    )
    assert result.returncode == 1
    assert (
        f"{big}:0:0: error RB001 file is 3,000,008 bytes, over the limit of 2,097,152: split it"
        in result.stdout
    )


def test_injection_reaches_the_page_as_text(tmp_path: Path) -> None:
    project = make_project(tmp_path, [FIXTURES / "hostile" / "injection.yaml", *SHARED])
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site" / "runbooks" / "injection" / "index.html").read_text()
    body = page.split("<article", 1)[1].split("</article>", 1)[0]
    assert "<script>" not in body and "<img" not in body and "<b " not in body
    assert 'href="javascript:' not in body
    text = unescape(re.sub(r"<[^>]+>", "", body))
    assert "<script>alert('title')</script> {{ 7 * 7 }}" in text
    assert (
        "<img src=x onerror=alert(1)> [click](javascript:alert(1)) ```fence``` # heading {% raw %}"
        in text
    )


def test_failed_build_keeps_previous_site(tmp_path: Path) -> None:
    project = make_project(tmp_path, [FIXTURES / "hostile" / "injection.yaml", *SHARED])
    assert mkdocs_build(project).returncode == 0
    (project / "runbooks" / "broken.yaml").write_text("id: [\n")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert (project / "site" / "runbooks" / "injection" / "index.html").is_file()


def test_schema_patterns_end_where_json_schema_says() -> None:
    from generator.core.validate import _ecma

    assert _ecma("^[a-z]+$").search("db\n") is None  # Python's `$` alone would match
    assert _ecma("^[a-z]+$").search("db")
    assert _ecma(r"^cost \$").search("cost $")  # an escaped `$` stays a dollar sign
    assert _ecma(r"^a\\$").search("a\\")  # an escaped backslash, then the end
