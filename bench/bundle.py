"""Benchmark of the go-bag, `runbookgen bundle`: time and size of the file for the project's
runbooks (all, and each service), and for N synthetic runbooks (bench/generate.py); with
Chromium, how long the file takes to show a runbook and to answer a search, opened from disk.

    python -m bench.bundle                  # N = 1000
    python -m bench.bundle --n 3000 --no-browser
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.generate import generate
from generator.commands.bundle import make_bundle, services
from generator.core.model import Site
from generator.run.project import load_site

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)
CHROMIUM = Path("/usr/bin/chromium")


def timed_bundle(site: Site, service: str | None) -> tuple[float, str]:
    started = time.perf_counter()
    html = make_bundle(site, service=service, today=TODAY)
    return time.perf_counter() - started, html


def rows(name: str, site: Site, *, each_service: bool) -> Iterator[tuple[str, int, float, str]]:
    """(what, runbooks, seconds, html) for the whole site, then each service's (or only the
    service most runbooks cover)."""
    seconds, html = timed_bundle(site, None)
    yield f"{name}: all", len(site.runbooks), seconds, html
    covered = {s: sum(s in r.services for r in site.runbooks) for s in services(site)}
    largest = max(covered, key=lambda s: covered[s], default=None)
    for service in services(site) if each_service else [largest] if largest else []:
        seconds, html = timed_bundle(site, service)
        yield f"{name}: `{service}`", covered[service], seconds, html


def in_chromium(path: Path, runbook: str, query: str) -> tuple[float, float]:
    """Seconds from navigation to a runbook shown (DOMContentLoaded, the scripts done) and
    milliseconds for the first search to answer, the file opened from disk."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{path.as_uri()}?_runbook={runbook}")
        shown = page.evaluate(
            "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd / 1000"
        )
        started = page.evaluate("performance.now()")
        page.fill("#rb-b-search", query)
        page.wait_for_selector("#rb-b-results a")
        answered = page.evaluate("performance.now()") - started
        browser.close()
    return float(shown), float(answered)


def table(found: list[tuple[str, int, float, str]], work: Path, browser: bool) -> None:
    print("| bundle | runbooks | seconds | MB | gzip MB | shown s | search ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, (what, count, seconds, html) in enumerate(found):
        data = html.encode("utf-8")
        cells = [what, str(count), f"{seconds:.2f}", f"{len(data) / 1e6:.2f}"]
        cells.append(f"{len(gzip.compress(data)) / 1e6:.2f}")
        if browser and what.endswith(": all"):
            path = work / f"bundle-{n}.html"
            path.write_bytes(data)
            first = html.split('<template id="rb-b-runbook-', 1)[1].split('"', 1)[0]
            shown, answered = in_chromium(path, first, "restart")
            cells += [f"{shown:.2f}", f"{answered:.0f}"]
        else:
            cells += ["", ""]
        print("| " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="synthetic runbooks")
    parser.add_argument("--no-browser", action="store_true", help="no Chromium timings")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    try:
        generate(work / "runbooks", args.n)
        found = list(rows("runbooks/", load_site([ROOT / "runbooks"]), each_service=True))
        synthetic = load_site([work / "runbooks"])
        found += rows(f"{args.n:,} synthetic", synthetic, each_service=False)
        table(found, work, browser=not args.no_browser and CHROMIUM.exists())
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
