"""Shared fixtures: paths, a fixed 'today', and a real MkDocs build of a small project."""

from __future__ import annotations

import datetime as dt
import inspect
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TODAY = dt.date(2026, 11, 23)


def mkdocs_build(
    project: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a real `mkdocs build --strict` in *project*; returns the completed process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", *extra]
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=600)


@contextmanager
def mkdocs_serve(project: Path, log: Path, *extra: str) -> Iterator[str]:
    """`mkdocs serve --dirty` (what `make serve` runs) in *project* on a free port, its output
    in *log*; yields the site's URL (its first build may still be running)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}", *extra]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w") as out:
        server = subprocess.Popen(args, cwd=project, env=env, stdout=out, stderr=out)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for_text(url: str, text: str, timeout_s: float) -> bool:
    """Whether *url* serves a page holding *text* within *timeout_s* (polled)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if text in response.read().decode("utf-8", "replace"):
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)
    return False


def make_project(tmp: Path, runbooks: list[Path]) -> Path:
    """A project in *tmp* with our mkdocs.yml and the given runbook files.

    Its build/vendor/ holds stand-ins for mermaid and the iframe-worker shim (no browser opens
    these sites); the browser tests copy the real ones from `make vendor` over them.
    """
    (tmp / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    shutil.copytree(FIXTURES / "vendor", tmp / "build" / "vendor")
    (tmp / "runbooks").mkdir()
    for path in runbooks:
        shutil.copy(path, tmp / "runbooks" / path.name)
    return tmp


def runbooks_dir(tmp: Path, sources: list[Path]) -> Path:
    """*tmp*/runbooks/ holding *sources*, each named after its folder and name (no clashes)."""
    (tmp / "runbooks").mkdir()
    for path in sources:
        shutil.copy(path, tmp / "runbooks" / f"{path.parent.name}-{path.name}")
    return tmp / "runbooks"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid fixtures built into a site; returns the project directory."""
    project = make_project(
        tmp_path_factory.mktemp("fixture-site"), sorted((FIXTURES / "valid").glob("*.yaml"))
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own runbooks/ built with its own mkdocs.yml; returns the site directory."""
    site = tmp_path_factory.mktemp("project-site") / "site"
    result = mkdocs_build(ROOT, "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


# Fixtures that run a real `mkdocs build`: a test using one is a build test.
BUILDS = frozenset({"fixture_site", "project_site"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `build` every test that runs MkDocs (through a fixture, or `mkdocs_build` and
    `mkdocs_serve` in its own body), so `make test-fast` can leave them out."""
    for item in items:
        function = getattr(item, "function", None)
        source = inspect.getsource(function) if function is not None else ""
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BUILDS or "mkdocs_build(" in source or "mkdocs_serve(" in source:
            item.add_marker(pytest.mark.build)
