"""`runbookgen urls`: the stable URL of every runbook and procedure, in-process."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.conftest import FIXTURES

VALID = str(FIXTURES / "valid")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_text() -> None:
    code, out = run("urls", "--site-url", "https://rb.example.com", VALID)
    assert code == 0
    assert out.splitlines() == [
        "db-connections\thttps://rb.example.com/runbooks/db-connections/",
        "db-connections#idle-connections\thttps://rb.example.com/runbooks/db-connections/#idle-connections",
    ]


def test_json() -> None:
    code, out = run("urls", "--site-url", "https://rb.example.com/docs/", "--format", "json", VALID)
    assert code == 0
    assert json.loads(out) == {
        "db-connections": "https://rb.example.com/docs/runbooks/db-connections/",
        "db-connections#idle-connections": "https://rb.example.com/docs/runbooks/db-connections/#idle-connections",
    }


def test_site_url_is_required() -> None:
    code, out = run("urls", VALID)
    assert code == 2
    assert "Missing option '--site-url'" in out


def test_invalid_runbook_exits_1(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: Bad Id\ntitle: B\n")  # not an id
    code, out = run("urls", "--site-url", "https://rb.example.com", str(tmp_path))
    assert code == 1
    assert "error" in out


def test_page_url_is_the_one_mkdocs_gives() -> None:
    """`page_url` says what MkDocs makes of a runbook page's path, without asking MkDocs."""
    from mkdocs.structure.files import File

    from generator.render.markdown import page_path, page_url

    for runbook_id in ("db-connections", "a", "x-1-y", "0abc"):
        file = File(page_path(runbook_id), src_dir=None, dest_dir="", use_directory_urls=True)
        assert page_url(runbook_id) == file.url
