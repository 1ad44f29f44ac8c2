"""A wheel carries what the package reads at run time: templates, assets and the schema."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch

from generator.core.validate import schema_path
from tests.conftest import ROOT


def test_package_data_covers_every_data_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["generator"]
    package = ROOT / "generator"
    data = [
        p.relative_to(package).as_posix()
        for folder in ("templates", "assets", "schemas")
        for p in (package / folder).rglob("*")
        if p.is_file()
    ]
    assert data
    assert [f for f in data if not any(fnmatch(f, pattern) for pattern in patterns)] == []


def test_packaged_schema_is_the_published_one() -> None:
    packaged = ROOT / "generator" / "schemas" / "runbook.schema.json"
    assert packaged.read_bytes() == (ROOT / "schemas" / "runbook.schema.json").read_bytes()
    assert schema_path().resolve() == packaged.resolve()
