"""A real Chromium against real builds: the sites served on 127.0.0.1, or opened from disk.

Sites are built with the real vendored scripts (`make vendor`), not the test stand-ins:
- `fixture_web`: tests/fixtures/valid/ (stable: the assertions about exact pages use it);
- `project_web`: the project's own runbooks/ with its own mkdocs.yml;
- `fixture_offline`: tests/fixtures/valid/ built with the offline plugin, for file://.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.conftest import FIXTURES, ROOT, make_project, mkdocs_build

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VENDOR = ROOT / "build" / "vendor"
ARTIFACTS = ROOT / "tests" / "artifacts"


@dataclass(frozen=True)
class Served:
    """A built site and the address it is served at."""

    site: Path
    url: str  # ends with "/"

    def pages(self) -> list[str]:
        """Every page of the site, as URLs."""
        return [
            self.url + path.relative_to(self.site).as_posix().removesuffix("index.html")
            for path in sorted(self.site.rglob("*.html"))
        ]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@functools.cache
def _require_vendor() -> None:
    if not (VENDOR / "mermaid" / "mermaid.min.js").is_file():
        pytest.fail(f"no vendored scripts in {VENDOR}: run `make vendor`", pytrace=False)


def build(project: Path, *, offline: bool = False) -> Path:
    """Build *project* with the real vendored scripts; returns its site directory."""
    _require_vendor()
    vendor = project / "build" / "vendor"
    if project != ROOT:
        shutil.rmtree(vendor, ignore_errors=True)
        shutil.copytree(VENDOR, vendor)
    site = project / ("site-offline" if offline else "site")
    env = {"RUNBOOKGEN_OFFLINE": "true"} if offline else {}
    result = mkdocs_build(project, "--site-dir", str(site), env=env)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def fixture_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(
        tmp_path_factory.mktemp("browser-fixture"), sorted((FIXTURES / "valid").glob("*.yaml"))
    )


def _serve(site: Path) -> Iterator[Served]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(site, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def fixture_web(fixture_project: Path) -> Iterator[Served]:
    yield from _serve(build(fixture_project))


@pytest.fixture(scope="session")
def project_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    _require_vendor()
    site = tmp_path_factory.mktemp("browser-project") / "site"
    result = mkdocs_build(ROOT, "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    yield from _serve(site)


@pytest.fixture(scope="session")
def fixture_offline(fixture_project: Path) -> Path:
    return build(fixture_project, offline=True)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make browser`", pytrace=False)
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile (light scheme, no stored palette), clipboard allowed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# ---- Every kind of page, at a desk and on a phone (test_phone.py, test_axe.py) ---------------

# One page of each kind the project's site has: the site-wide pages by their source name in the
# layout (SITE_WIDE; test_phone checks that none is missing), a runbook page (hotswap's: the
# most commands, 64, a variables form, checklists), a hand-written page of docs/ and a
# service's page.
PAGE_KINDS = {
    "runbook": "runbooks/hotswap-incident-response/",
    "index.md": "",
    "severity.md": "severity/",
    "escalation.md": "escalation/",
    "symptoms.md": "symptoms/",
    "alerts.md": "alerts/",
    "diagnostics.md": "diagnostics/",
    "format.md": "format/",
    "docs": "during-an-incident/",
    "service": "services/hotswap-api/",  # a service's page (generator/render/services.py)
}
SIZES = {"phone": (390, 844), "desktop": (1440, 900)}
AXE = VENDOR / "axe-core" / "axe.min.js"


@pytest.fixture(params=list(SIZES))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, BrowserContext]]:
    """A fresh profile at each size in SIZES: (size name, context)."""
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    yield request.param, context
    context.close()
