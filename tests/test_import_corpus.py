"""`runbookgen import` on the real runbooks of tests/fixtures/sources/runbooks.yaml (32 files,
13 repositories): each imports, checks with no error but the ones its entry expects
(`import_errors`: a real-looking secret the source prints), and keeps every atom of its source
on the page (tests/real_atoms.py) but the ones its entry names (`import_lost`: what the atom
tool reads that is no atom, with why).

The originals are not committed (tests/fixtures/sources/README.md): with RUNBOOKGEN_CORPUS naming
a folder that holds them (as `file` names them), these tests run; `python -m bench.importer
--corpus DIR` prints the same per file as a table.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.commands.importer.sources import import_files
from tests.conftest import FIXTURES
from tests.real_atoms import atoms
from tests.test_import import kept, page_and_errors

ENTRIES = yaml.safe_load((FIXTURES / "sources" / "runbooks.yaml").read_text(encoding="utf-8"))
CORPUS = os.environ.get("RUNBOOKGEN_CORPUS", "")


def imported(source: Path, out: Path) -> dict[str, Any]:
    """What importing *source* into *out* gives: its atoms lost, its notes, its check errors."""
    done = import_files([source], out, root=source.parent)
    notes = [str(d) for d in done.diagnostics]
    (target,) = done.written
    page, errors = page_and_errors(target)
    text = source.read_text(encoding="utf-8", errors="replace")
    expected = atoms(text)
    lost = [a for a in expected if not kept(page, a, text, notes)]
    codes = sorted({e.split(" error ")[1].split()[0] for e in errors if " error " in e})
    return {"atoms": len(expected), "lost": lost, "notes": notes, "errors": codes}


@pytest.mark.skipif(not CORPUS, reason="RUNBOOKGEN_CORPUS not set")
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["file"].removesuffix(".md"))
def test_a_real_runbook_imports_checks_and_keeps_its_atoms(
    tmp_path: Path, entry: dict[str, Any]
) -> None:
    source = Path(CORPUS) / entry["file"]
    assert source.is_file(), f"{source} is missing from RUNBOOKGEN_CORPUS"
    found = imported(source, tmp_path / "out")
    assert found["errors"] == sorted(entry.get("import_errors", []))
    assert found["lost"] == [f"{a['atom']}" for a in entry.get("import_lost", [])]


def test_every_entry_says_why_an_atom_may_be_lost() -> None:
    for entry in ENTRIES:
        for lost in entry.get("import_lost", []):
            assert set(lost) == {"atom", "why"} and lost["why"].strip(), entry["file"]
