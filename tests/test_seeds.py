"""Nothing lost: every piece of every seed runbook appears in its pages of the built site.

The pieces come from the seed Markdown (tests/fixtures/seeds/), extracted by
tests/seed_pieces.py without any knowledge of our YAML format.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.seed_pieces import Piece, extract, normalise

SEEDS = {
    "000_f02e301735a4bca7.txt": "hafnium",
    "001_5ec4a7b4ca04be84.txt": "hotswap",
    "002_aa1c2b7d3501c16a.txt": "compose",
    "003_d4379d5c9dcbd551.txt": "inflow",
    "004_eb9f7071a35a1eaf.txt": "akaind",
}
CODE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S)


def text_of(markup: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", markup))


def org_pages(site: Path, org: str) -> list[str]:
    """The HTML of every page generated from runbooks/<org>/."""
    ids = [_runbook_id(p) for p in sorted((ROOT / "runbooks" / org).glob("*.yaml"))]
    return [(site / "runbooks" / i / "index.html").read_text(encoding="utf-8") for i in ids if i]


def _runbook_id(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if re.search(r"^kind:\s*(severity-scheme|contacts)", text, re.M):
        return ""
    match = re.search(r"^id:\s*(\S+)", text, re.M)
    assert match, path
    return match.group(1)


HREF = re.compile(r'href="([^"]+)"')
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def iso_month(text: str) -> str:
    """ "November 2024" as the ISO form a date field shows it in ("2024-11")."""
    match = re.fullmatch(r"([A-Za-z]+) (\d{4})", text.strip())
    if not match or match.group(1).lower() not in MONTHS:
        return text
    return f"{match.group(2)}-{MONTHS.index(match.group(1).lower()) + 1:02d}"


def missing(pieces: list[Piece], pages: list[str]) -> list[str]:
    code_lines = {
        ln.rstrip()
        for page in pages
        for block in CODE.findall(page)
        for ln in text_of(block).splitlines()
    }
    links = " ".join(
        unescape(h) for page in pages for h in HREF.findall(page)
    )  # a URL may be a link target
    prose = normalise(" ".join(text_of(p) for p in pages) + " " + links)
    lost = []
    for piece in pieces:
        found = (
            piece.text in code_lines
            if piece.kind == "code"
            else normalise(iso_month(piece.text)) in prose
        )
        if not found:
            lost.append(f"line {piece.line} ({piece.kind}): {piece.text}")
    return lost


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_nothing_lost(seed: str, project_site: Path) -> None:
    pieces = extract((FIXTURES / "seeds" / seed).read_text(encoding="utf-8"))
    pages = org_pages(project_site, SEEDS[seed])
    assert pages, f"no runbook pages for {SEEDS[seed]}"
    lost = missing(pieces, pages)
    assert not lost, f"{len(lost)} of {len(pieces)} pieces of {seed} not found:\n" + "\n".join(lost)


def test_extractor_sees_every_kind() -> None:
    pieces = extract((FIXTURES / "seeds" / "003_d4379d5c9dcbd551.txt").read_text(encoding="utf-8"))
    texts = {p.text for p in pieces}
    assert "kubectl get events -n inflow-prod --sort-by='.lastTimestamp'" in texts  # a command line
    assert "Auto-recovery?" in texts and "Yes" in texts  # a mermaid node and an edge label
    assert "Add second on-call" in texts  # a table cell
    assert "Status: Investigating" in texts  # a template line
    assert "Wait 15 min for stability" in texts  # a list item


def test_mojibake_repaired() -> None:
    pieces = extract((FIXTURES / "seeds" / "004_eb9f7071a35a1eaf.txt").read_text(encoding="utf-8"))
    assert any("✅ Fast detection" in p.text for p in pieces)
    assert not any("â" in p.text or "ð" in p.text for p in pieces)
