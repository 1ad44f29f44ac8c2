"""How long someone arriving from an alert link waits for the first search result, and how
long the pages that list the whole site take to open.

Serves a built site on 127.0.0.1, opens a runbook page in a fresh Chromium profile (nothing
cached) and, as soon as the page has loaded, types a command fragment into the search box; the
time is from the first keystroke to the first result on screen. The search index is fetched
and indexed by Material's worker after the page loads, so this includes that work, as a
reader would feel it. `open_s`: from asking for the home page, the symptom index, the
escalation page and the largest service page to their `load` event (their scripts run by
then), and from typing into the symptom filter to its count; `page_sizes_kb`: their sizes.

    python -m bench.search SITE_DIR [QUERY]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _serve


def first_result_s(site: Path, query: str = "kubectl", runs: int = 3) -> float | None:
    """Median seconds from typing *query* to the first result; None without Chromium."""
    if not CHROMIUM.exists():
        return None
    page_path = next(site.glob("runbooks/*/index.html")).parent.relative_to(site).as_posix()
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for served in _serve(site):
            for _ in range(runs):
                context = browser.new_context()  # a fresh profile: nothing cached
                page = context.new_page()
                page.goto(f"{served.url}{page_path}/", wait_until="load")
                page.keyboard.press("/")
                start = time.perf_counter()
                page.locator("input.md-search__input").press_sequentially(query)
                page.wait_for_selector(".md-search-result__item", timeout=60_000)
                times.append(time.perf_counter() - start)
                context.close()
        browser.close()
    return statistics.median(times)


# The pages that list the whole site, by what they are called in the results; and a service's
# page (`service`: the largest), which grows with its own runbooks only.
SITE_WIDE = {"home": "", "symptoms": "symptoms/", "escalation": "escalation/"}


def largest_service_page(site: Path) -> str:
    """The path of the largest service page, "" for a site without them."""
    pages = sorted(site.glob("services/*/index.html"), key=lambda p: p.stat().st_size)
    return pages[-1].parent.relative_to(site).as_posix() + "/" if pages else ""


def page_sizes_kb(site: Path) -> dict[str, float]:
    """Sizes (KB) of the pages `open_s` opens."""
    paths = {**SITE_WIDE, "service": largest_service_page(site)}
    return {
        f"{name}_page_kb": (site / path / "index.html").stat().st_size / 1024
        for name, path in paths.items()
        if path or name == "home"
    }


def open_s(site: Path) -> dict[str, float]:
    """Seconds to open each site-wide page, and for the symptom filter to answer; {} without
    Chromium."""
    if not CHROMIUM.exists():
        return {}
    times: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        service = largest_service_page(site)
        pages = {**SITE_WIDE, **({"service": service} if service else {})}
        for served in _serve(site):
            for name, path in pages.items():
                page = browser.new_context().new_page()
                start = time.perf_counter()
                page.goto(served.url + path, wait_until="load", timeout=120_000)
                times[f"open_{name}_s"] = time.perf_counter() - start
                # A page that lists symptoms has a filter (a large site's index lists services).
                if page.locator("input.rb-filter").count():
                    start = time.perf_counter()
                    page.locator("input.rb-filter").first.fill("timeout")
                    page.wait_for_function(
                        "document.querySelector('.rb-filter-count').textContent.includes(' of ')",
                        timeout=120_000,
                    )
                    times[f"{name}_filter_s"] = time.perf_counter() - start
                page.context.close()
        browser.close()
    return times


if __name__ == "__main__":
    seconds = first_result_s(Path(sys.argv[1]), *sys.argv[2:3])
    print("no Chromium" if seconds is None else f"first result after {seconds:.2f} s")
    for key, value in open_s(Path(sys.argv[1])).items():
        print(f"{key}: {value:.2f} s")
    for key, value in page_sizes_kb(Path(sys.argv[1])).items():
        print(f"{key}: {value:.1f} KB")
