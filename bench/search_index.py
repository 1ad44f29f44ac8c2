"""The search index at scale: its size and build time, and how soon the site's worker answers.

For N synthetic runbooks (bench/generate.py), builds the index as the plugin does (the runbook
pages' part: `runbooks_part`), then runs the site's worker (generator/assets/search-worker.js)
in node as the page does: `first_result_ms` is from starting node (reading and parsing the
index, the worker's setup) to the answer of the first query; `query_ms` the median and slowest
answer of the incident queries of tests/test_search_queries.py, typos included. With
Chromium, `browser_first_result_s` is bench/search.py's first result (a fresh profile types
into the search box of a runbook page) on a small built site that serves this index.

    python -m bench.search_index [N ...]    (default: 1000 3000)
"""

from __future__ import annotations

import gzip
import inspect
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.generate import generate
from generator.plugin.assets import runbooks_part
from generator.render.markdown import page_url
from generator.run.project import load_site
from generator.search.entries import splitter
from generator.search.index import join
from tests.search_js import SearchJS, site_separator
from tests.test_search_queries import QUERIES

COLUMNS = (
    ("runbooks", "{:>8}"),
    ("index_kb", "{:>9.0f}"),
    ("gzip_kb", "{:>8.0f}"),
    ("build_s", "{:>8.2f}"),
    ("first_result_ms", "{:>16.0f}"),
    ("query_median_ms", "{:>16.1f}"),
    ("query_max_ms", "{:>13.1f}"),
    ("browser_first_result_s", "{:>23.2f}"),
)


def index_file(n: int, work: Path) -> tuple[Path, float]:
    """The search index of N synthetic runbooks, as Material's search_index.json holds it, and
    the seconds (CPU) it took to make."""
    generate(work / "runbooks", n)
    site = load_site([work / "runbooks"], jobs=1)
    runbooks = {page_url(r.id): r for r in site.runbooks}
    separator = site_separator()
    split = splitter(separator)
    contacts = (site.contacts,) if "contacts" in inspect.signature(runbooks_part).parameters else ()
    start = time.process_time()
    index = join([runbooks_part(runbooks, split, *contacts)])
    seconds = time.process_time() - start
    path = work / "search_index.json"
    data = {"config": {"separator": separator, "runbookgen": index}, "docs": []}
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    return path, seconds


def worker_times(path: Path) -> dict[str, float]:
    """Milliseconds to the first answer (node started, index read, set up) and per query."""
    start = time.perf_counter()
    worker = SearchJS(path)
    try:
        worker.search("kubectl")
        first = (time.perf_counter() - start) * 1000
        times = []
        for query, _ in QUERIES:
            start = time.perf_counter()
            worker.search(query)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        worker.close()
    return {
        "first_result_ms": first,
        "query_median_ms": statistics.median(times),
        "query_max_ms": max(times),
    }


def browser_first_result_s(path: Path, work: Path) -> float | None:
    """bench/search.py's first result on the fixtures' site built small, serving *path* as
    its index; None without Chromium."""
    from bench.search import first_result_s
    from tests.conftest import FIXTURES, make_project, mkdocs_build

    project = make_project(work / "site", sorted((FIXTURES / "valid").glob("*.yaml")))
    vendor = Path(__file__).parent.parent / "build" / "vendor"
    if vendor.is_dir():
        shutil.copytree(vendor, project / "build" / "vendor", dirs_exist_ok=True)
    if mkdocs_build(project).returncode != 0:
        return None
    shutil.copy(path, project / "site" / "search" / "search_index.json")
    return first_result_s(project / "site", "kubectl rollout")


def measure(n: int, *, browser: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path, build_s = index_file(n, work)
        raw = path.read_bytes()
        row: dict[str, float] = {
            "runbooks": n,
            "index_kb": len(raw) / 1024,
            "gzip_kb": len(gzip.compress(raw)) / 1024,
            "build_s": build_s,
            **worker_times(path),
        }
        seconds = browser_first_result_s(path, work) if browser else None
        if seconds is not None:
            row["browser_first_result_s"] = seconds
    return row


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a table, a column for each measure some row has."""
    shown = [(name, fmt) for name, fmt in COLUMNS if any(name in row for row in rows)]
    lines = ["  ".join(f"{name:>{len(fmt.format(0))}}" for name, fmt in shown)]
    for row in rows:
        width = {name: len(fmt.format(0)) for name, fmt in shown}
        cells = [fmt.format(row[n]) if n in row else " " * width[n] for n, fmt in shown]
        lines.append("  ".join(cells))
    return "\n".join(lines)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--no-browser"]
    sizes = [int(a) for a in args] or [1000, 3000]
    print(table([measure(n, browser="--no-browser" not in sys.argv) for n in sizes]))
