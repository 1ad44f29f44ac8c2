"""Images beside a runbook: checked where they are, shipped with the site, shown with their alt
text on the page (built by MkDocs, with and without directory URLs), and copied by `render`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, make_project, mkdocs_build

RUNBOOK = """\
id: with-images
title: With images
owner: test-platform
last_reviewed: 2026-01-10
phases:
  - id: look
    title: Look
    steps:
      - text: The latency panel looks like this when the pool is full.
        images:
          - src: images/latency.png
            alt: 'The p99 latency panel, above 2 s since 14:05 & "rising"'
            caption: Grafana, **API** board
sections:
  - id: background
    title: Background
    text: Two clusters, one picture.
    images: [{src: ../pictures/latency.png, alt: Both clusters}]
"""


def _project(tmp: Path) -> Path:
    project = make_project(tmp, [FIXTURES / "valid" / "contacts.yaml"])
    (project / "runbooks" / "with-images.yaml").write_text(RUNBOOK, encoding="utf-8")
    (project / "runbooks" / "images").mkdir()
    shutil.copy(FIXTURES / "render" / "images" / "latency.png", project / "runbooks" / "images")
    shutil.copytree(FIXTURES / "pictures", project / "pictures")
    return project


def _check(project: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "generator", "check", *paths]
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_images_are_shipped_and_shown(tmp_path: Path, directory_urls: bool) -> None:
    project = _project(tmp_path)
    if not directory_urls:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text() + "\nuse_directory_urls: false\n")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    page = (
        project
        / "site"
        / "runbooks"
        / ("with-images/index.html" if directory_urls else "with-images.html")
    )
    html = page.read_text(encoding="utf-8")
    images = re.findall(r'<img alt="([^"]*)" src="([^"]*)" />', html)
    assert [unescape(alt) for alt, _ in images] == [
        'The p99 latency panel, above 2 s since 14:05 & "rising"',
        "Both clusters",
    ]
    for _, src in images:
        shipped = (page.parent / unescape(src)).resolve()
        assert shipped.is_file(), src
        assert shipped.read_bytes().startswith(b"\x89PNG")
    assert '<p class="rb-caption">Grafana, <strong>API</strong> board</p>' in html


def test_check_finds_a_missing_image(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "runbooks" / "images" / "latency.png").unlink()
    result = _check(project, "runbooks")
    assert result.returncode == 1
    assert (
        "runbooks/with-images.yaml:11:18: error RB215 image 'images/latency.png' not found next"
        " to runbooks/with-images.yaml: fix the path, or add the file (it is copied into the site)"
    ) in result.stdout


@pytest.mark.parametrize(
    "src",
    [
        "images/drawing.svg",
        "https://grafana.example.com/render/latency.png",
        "//cdn.example.com/x.png",
        "/etc/x.png",
        "images\\x.png",
        "images/x.png?v=1",
    ],
)
def test_an_image_from_elsewhere_or_of_another_kind_is_refused(tmp_path: Path, src: str) -> None:
    project = _project(tmp_path)
    source = project / "runbooks" / "with-images.yaml"
    source.write_text(RUNBOOK.replace("src: images/latency.png", f"src: '{src}'"))
    result = _check(project, "runbooks")
    assert result.returncode == 1
    assert re.search(r"with-images\.yaml:11:18: error RB103 .*images/0/src", result.stdout)


def test_render_copies_the_images(tmp_path: Path) -> None:
    project = _project(tmp_path)
    cmd = [sys.executable, "-m", "generator", "render", "out", "runbooks"]
    result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    page = (project / "out" / "runbooks" / "with-images.md").read_text(encoding="utf-8")
    targets = re.findall(r"!\[[^\n]*?\]\(([^)]+)\)", page)
    assert len(targets) == 2
    for target in targets:
        assert (project / "out" / "runbooks" / target).read_bytes().startswith(b"\x89PNG")


def test_the_schema_says_why_svg_is_left_out() -> None:
    schema = (ROOT / "schemas" / "runbook.schema.json").read_text(encoding="utf-8")
    assert "not SVG, which can carry scripts" in schema
