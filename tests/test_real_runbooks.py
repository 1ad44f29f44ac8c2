"""Real public runbooks, transcribed by hand into our format, lose nothing on their page.

Each tests/fixtures/real/NAME.yaml is a real runbook (tests/fixtures/sources/runbooks.yaml says
where it is), written in our format as a user would; NAME.atoms.txt holds the atoms of the
original Markdown (every line of code, checklist item, table cell and link target), extracted by
tests/real_atoms.py, which knows nothing of our format. Each file must load and check with no
error, and every atom must be on the HTML page the build makes of it.

The originals are not committed (see tests/fixtures/sources/README.md). With RUNBOOKGEN_CORPUS
naming a folder that holds them (NAME.md), their atoms are extracted again and must be the
committed ones.
"""

from __future__ import annotations

import os
import re
from functools import cache
from html import unescape
from pathlib import Path

import pytest

from generator.checks import ALLOW_FILE, run_checks
from generator.render.html import render_inputs_html
from generator.render.markdown import runbook_inputs
from generator.run.project import load_project
from tests.conftest import FIXTURES, ROOT, TODAY
from tests.real_atoms import atoms, read_atoms

REAL = FIXTURES / "real"
RUNBOOKS = sorted(REAL.glob("*.yaml"))
PRE = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.S)
HREF = re.compile(r'\bhref="([^"]*)"')
ANCHOR = re.compile(r'\bid="([^"]*)"')
HEADER = ("source", "path", "commit", "licence")


def text_of(markup: str) -> str:
    """The text of HTML: tags taken out, entities decoded."""
    return unescape(re.sub(r"<[^>]+>", "", markup))


def blanks_made_one(text: str) -> str:
    return " ".join(text.split())


class Page:
    """What a reader finds on a runbook's page: its text, the lines of its code blocks, its
    link targets and its anchors."""

    def __init__(self, content: str) -> None:
        self.text = blanks_made_one(text_of(content))
        self.code_lines = {
            line.rstrip() for block in PRE.findall(content) for line in text_of(block).split("\n")
        }
        self.hrefs = {unescape(href) for href in HREF.findall(content)}
        self.anchors = {unescape(anchor) for anchor in ANCHOR.findall(content)}

    def has(self, atom: str) -> bool:
        kind, _, text = atom.partition(": ")
        if kind == "code":
            return text.rstrip() in self.code_lines
        if kind == "link":
            return self.has_link(text)
        return blanks_made_one(text) in self.text

    def has_link(self, target: str) -> bool:
        if target in self.hrefs or target in self.text:
            return True
        return target.startswith("#") and target[1:] in self.anchors


@cache
def checked_page(path: Path) -> tuple[list[str], Page | None]:
    """The error diagnostics of *path* as `runbookgen check` finds them (alone, with the
    project's allow-list), and its page as the build writes it (None if it did not load)."""
    site, checked = load_project([path], jobs=1)
    found = run_checks(checked, today=TODAY, allow_file=ROOT / ALLOW_FILE)
    errors = [str(d) for d in [*checked.diagnostics, *found] if d.severity == "error"]
    if len(site.runbooks) != 1:
        return errors, None
    page = render_inputs_html(runbook_inputs(site.runbooks[0], site, today=TODAY))
    return errors, Page(page.content)


def atoms_file(path: Path) -> Path:
    return path.with_suffix(".atoms.txt")


def test_at_least_six_real_runbooks() -> None:
    repos = {header(path)["source"] for path in RUNBOOKS}
    assert len(RUNBOOKS) >= 6 and len(repos) >= 6, [p.name for p in RUNBOOKS]


def header(path: Path) -> dict[str, str]:
    """The `# key: value` lines that open *path*: where its original is."""
    found = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        match = re.match(r"# (\w+): (\S+)$", line)
        if match:
            found[match[1]] = match[2]
        elif not line.startswith("#"):
            break
    return found


@pytest.mark.parametrize("path", RUNBOOKS, ids=lambda p: p.stem)
def test_says_where_it_comes_from(path: Path) -> None:
    assert set(HEADER) <= set(header(path)), f"{path.name}: a header line is missing"
    text = path.read_text(encoding="utf-8")
    assert "transcribed by hand into the runbookgen format" in text.lower(), path.name
    assert atoms_file(path).is_file(), f"{path.name}: no {atoms_file(path).name}"


@pytest.mark.parametrize("path", RUNBOOKS, ids=lambda p: p.stem)
def test_checks_clean(path: Path) -> None:
    errors, _ = checked_page(path)
    assert not errors, f"{path.name}:\n" + "\n".join(errors)


@pytest.mark.parametrize("path", RUNBOOKS, ids=lambda p: p.stem)
def test_every_atom_on_the_page(path: Path) -> None:
    errors, page = checked_page(path)
    assert page is not None, f"{path.name} does not load:\n" + "\n".join(errors)
    expected = read_atoms(atoms_file(path))
    assert expected, f"{atoms_file(path).name} is empty"
    lost = [atom for atom in expected if not page.has(atom)]
    assert not lost, f"{path.name}: {len(lost)} of {len(expected)} atoms not on the page:\n" + (
        "\n".join(lost)
    )


@pytest.mark.skipif(not os.environ.get("RUNBOOKGEN_CORPUS"), reason="RUNBOOKGEN_CORPUS not set")
@pytest.mark.parametrize("path", RUNBOOKS, ids=lambda p: p.stem)
def test_atoms_are_the_originals(path: Path) -> None:
    original = Path(os.environ["RUNBOOKGEN_CORPUS"]) / f"{path.stem}.md"
    assert original.is_file(), f"{original} is missing from RUNBOOKGEN_CORPUS"
    fresh = atoms(original.read_text(encoding="utf-8"))
    assert fresh == read_atoms(atoms_file(path)), (
        f"{atoms_file(path).name} is not what tests/real_atoms.py extracts from {original}: "
        f"run python tests/real_atoms.py {original} > {atoms_file(path).relative_to(ROOT)}"
    )


def test_extractor_sample() -> None:
    """The extractor on a sample of every construct it reads (tests/fixtures/real/sample.md
    is hand-written, not a real runbook)."""
    sample = (REAL / "sample.md").read_text(encoding="utf-8")
    assert atoms(sample) == read_atoms(REAL / "sample.atoms.expected")
