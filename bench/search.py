"""How long someone arriving from an alert link waits for the first search result, and how
long the pages that list the whole site take to open.

Serves a built site on 127.0.0.1, opens a runbook page in a fresh Chromium profile (nothing
cached) and, as soon as the page has loaded, types a command fragment into the search box; the
time is from the first keystroke to the first result on screen. The search index is fetched
and indexed by Material's worker after the page loads, so this includes that work, as a
reader would feel it. `open_s`: from asking for the home page, the symptom index and the
escalation page to their `load` event (their scripts run by then), and from typing into the
symptom filter to its count.

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


# The pages that grow with the site, by what they are called in the results.
SITE_WIDE = {"home": "", "symptoms": "symptoms/", "escalation": "escalation/"}


def open_s(site: Path) -> dict[str, float]:
    """Seconds to open each site-wide page, and for the symptom filter to answer; {} without
    Chromium."""
    if not CHROMIUM.exists():
        return {}
    times: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for served in _serve(site):
            for name, path in SITE_WIDE.items():
                page = browser.new_context().new_page()
                start = time.perf_counter()
                page.goto(served.url + path, wait_until="load", timeout=120_000)
                times[f"open_{name}_s"] = time.perf_counter() - start
                if name == "symptoms":
                    start = time.perf_counter()
                    page.fill("input.rb-filter", "timeout")
                    page.wait_for_function(
                        "document.querySelector('.rb-filter-count').textContent.includes(' of ')",
                        timeout=120_000,
                    )
                    times["symptom_filter_s"] = time.perf_counter() - start
                page.context.close()
        browser.close()
    return times


if __name__ == "__main__":
    seconds = first_result_s(Path(sys.argv[1]), *sys.argv[2:3])
    print("no Chromium" if seconds is None else f"first result after {seconds:.2f} s")
    for key, value in open_s(Path(sys.argv[1])).items():
        print(f"{key}: {value:.2f} s")
