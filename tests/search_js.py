"""The site's search as a reader meets it: the index the build makes of some runbooks, answered by
generator/assets/search-worker.js run by node (tests/js/search_server.js)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from generator.render.markdown import page_url
from generator.run.project import load_site
from generator.search.entries import search_entries, splitter
from generator.search.index import index_part, join
from tests.conftest import ROOT

SERVER = Path(__file__).parent / "js" / "search_server.js"
WORKER = ROOT / "generator" / "assets" / "search-worker.js"


def site_separator() -> str:
    """The search separator of the project's mkdocs.yml (which YAML's safe loader cannot read
    whole: it names Python objects)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    found = re.search(r"^\s*separator: ('.*')$", text, re.M)
    assert found, "no search separator in mkdocs.yml"
    separator: str = yaml.safe_load(found.group(1))
    return separator


def corpus_index(paths: Iterable[Path], separator: str) -> dict[str, Any]:
    """Material's search_index.json as the build writes it for the runbooks under *paths*."""
    site = load_site(list(paths))
    split = splitter(separator)
    entries = (
        entry
        for runbook in sorted(site.runbooks, key=lambda r: r.id)
        for entry in search_entries(runbook, page_url(runbook.id), split, contacts=site.contacts)
    )
    index = join([index_part(entries, split)])
    return {"config": {"separator": separator, "runbookgen": index}, "docs": []}


class SearchJS:
    """The search worker on one index, run by node."""

    def __init__(self, index_file: Path, worker: Path = WORKER) -> None:
        node = shutil.which("node") or shutil.which("nodejs")
        if node is None:
            raise RuntimeError("no node: `make vendor` installs npm, and node with it")
        self.process = subprocess.Popen(
            [node, str(SERVER), str(worker), str(index_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def search(self, query: str) -> dict[str, Any]:
        """The worker's answer to *query*: its groups of result items."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(query) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        result: dict[str, Any] = answer["ok"]
        return result

    def ranked(self, query: str) -> list[str]:
        """The locations found, in the order the results show them (a page's own entry that
        only heads its group, found by no word, left out)."""
        items = (item for group in self.search(query)["items"] for item in group)
        return [item["location"] for item in items if item["score"] > 0]

    def analyse(self, words: list[str]) -> dict[str, Any]:
        """How the worker reads *words*: their stems and keys, and the phrases among them."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"words": words}) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())["ok"]
        return answer

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=10)
