"""A public build leaves out everything marked internal: not a page, a search entry or a sitemap line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.conftest import FIXTURES, make_project, mkdocs_build

AUDIENCE = FIXTURES / "audience"


def files_containing(root: Path, needle: bytes) -> list[str]:
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and needle in p.read_bytes()
    )


def build(tmp_path: Path, audience: str) -> Path:
    project = make_project(tmp_path, sorted(AUDIENCE.glob("*.yaml")))
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - runbooks\n", f"  - runbooks:\n      audience: {audience}\n")
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_public_build_has_no_canary(tmp_path: Path) -> None:
    site = build(tmp_path, "public")
    assert files_containing(site, b"CANARY") == []
    assert (site / "runbooks" / "aud-public" / "index.html").is_file()
    assert not (site / "runbooks" / "aud-internal").exists()
    page = (site / "runbooks" / "aud-public" / "index.html").read_text()
    assert "Payments team" in page and "&#35;payments" in page  # public channels stay


def test_internal_build_has_everything(tmp_path: Path) -> None:
    site = build(tmp_path, "internal")
    found = files_containing(site, b"CANARY")
    assert "runbooks/aud-internal/index.html" in found
    assert "search/search_index.json" in found


def test_render_public(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["render", str(tmp_path / "out"), str(AUDIENCE), "--audience", "public"]
    )
    assert result.exit_code == 0, result.output
    assert files_containing(tmp_path / "out", b"CANARY") == []
