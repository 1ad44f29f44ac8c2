"""The benchmark's synthetic runbooks are valid: the benchmark measures clean input."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.generate import generate
from generator.run.project import load_site


def test_generated_runbooks_are_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written = generate(tmp_path / "runbooks", 20)
    monkeypatch.chdir(tmp_path)
    site = load_site([Path("runbooks")])
    assert [str(d) for d in site.diagnostics] == []
    assert len(site.runbooks) == len(written) == 20
    assert len({r.id for r in site.runbooks}) == 20


def test_generation_is_repeatable(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in generate(tmp_path / "a", 5)]
    assert first == [p.read_bytes() for p in generate(tmp_path / "b", 5)]


def test_bundle_bench_runs_tiny(capsys: pytest.CaptureFixture[str]) -> None:
    """bench/bundle.py prints its table (a few synthetic runbooks, no browser)."""
    from bench.bundle import main

    main(["--n", "3", "--no-browser"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "| bundle | runbooks | seconds | MB | gzip MB | shown s | search ms |"
    assert any(line.startswith("| runbooks/: all | ") for line in lines)
    assert any(line.startswith("| 3 synthetic: all | 3 | ") for line in lines)
