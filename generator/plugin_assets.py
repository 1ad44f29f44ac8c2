"""The site-side half of the MkDocs plugin: what the pages load, and how search ranks them.

- The site's own script and styles (generator/assets/) are added to every page.
- mermaid and the iframe-worker shim are shipped with the site from a vendor directory
  (`make vendor` fills it from the npm registry), so no page fetches them from a CDN.
- Search: runbook pages are searched through entries made from the model (symptoms, commands,
  decision-table rows as keywords), and the whole index is built here; the pages' search box
  asks our worker (assets/search-worker.js), which only loads it (`generator.search_index`).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from generator.model import Runbook
from generator.search import search_entries, splitter
from generator.search_index import build_index

ASSETS = Path(__file__).parent / "assets"
OWN_ASSETS = {
    "assets/runbooks/runbooks.js": "runbooks.js",
    "assets/runbooks/runbooks.css": "runbooks.css",
}
SEARCH_WORKER = "assets/runbooks/search-worker.js"
# Material's worker, as its pages name it in their configuration (relative or absolute).
_MATERIAL_WORKER = re.compile(
    r'("search":\s*"[^"]*?)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"'
)
MERMAID = "assets/vendor/mermaid/mermaid.min.js"
SHIM = "assets/vendor/iframe-worker/shim.js"
# Site path → path under the vendor directory; licences travel with the code.
VENDORED = {
    MERMAID: "mermaid/mermaid.min.js",
    "assets/vendor/mermaid/LICENSE": "mermaid/LICENSE",
    SHIM: "iframe-worker/shim.js",
    "assets/vendor/iframe-worker/LICENSE": "iframe-worker/LICENSE",
}


def vendored_files(vendor_dir: Path) -> dict[str, Path]:
    """The vendored files by site path; a `PluginError` saying how to get them if one is missing."""
    files = {site: vendor_dir / rel for site, rel in VENDORED.items()}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise PluginError(
            f"runbooks: missing vendored script(s): {', '.join(missing)}. Run `make vendor` "
            "(it fetches mermaid and iframe-worker from the npm registry into build/vendor/), "
            "or point `vendor_dir:` of the runbooks plugin at a directory that has them"
        )
    return files


def add_scripts(config: MkDocsConfig) -> None:
    """Load the site's own script and styles on every page; ship the shim for offline builds."""
    for path in OWN_ASSETS:
        target = config.extra_javascript if path.endswith(".js") else config.extra_css
        if path not in target:
            target.append(path)
    if _offline_enabled(config):
        # Replaces the CDN shim the offline plugin would add (it keeps any entry naming it).
        polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
        config.extra["polyfills"] = [*polyfills, SHIM]


def _offline_enabled(config: MkDocsConfig) -> bool:
    return any(
        type(plugin).__module__.startswith("material.plugins.offline")
        and getattr(plugin.config, "enabled", True)
        for plugin in config.plugins.values()
    )


def add_files(files: Files, config: MkDocsConfig, vendored: dict[str, Path]) -> None:
    """Add the site's assets and the vendored scripts to the build, refusing to shadow a file."""
    sources = {site: ASSETS / name for site, name in OWN_ASSETS.items()} | vendored
    sources[SEARCH_WORKER] = ASSETS / "search-worker.js"
    for site_path, source in sources.items():
        if files.get_file_from_path(site_path) is not None:
            raise PluginError(
                f"runbooks: {config.docs_dir}/{site_path} would be overwritten by a shipped asset: rename it"
            )
        files.append(File.generated(config, site_path, abs_src_path=str(source)))


def use_search_worker(output: str) -> str:
    """Point the page's search box at our worker instead of Material's (see `SearchEntries`)."""
    replaced, count = _MATERIAL_WORKER.subn(rf'\g<1>{SEARCH_WORKER}"', output, count=1)
    if count == 0 and '"search":' in output and "__config" in output:
        raise PluginError(
            "runbooks: no Material search worker to replace in a page's configuration: "
            "is the theme Material for MkDocs 9?"
        )
    return replaced


def load_mermaid(output: str, page_url: str) -> str:
    """Give a page with a diagram the vendored mermaid, so Material does not fetch it from a CDN.

    Only pages with a diagram pay for its 3.5 MB. A script before `</body>` runs before Material
    mounts its components (on DOMContentLoaded), as one listed in `extra_javascript` would.
    """
    if 'class="mermaid"' not in output:
        return output
    tag = f'<script src="{html.escape(get_relative_url(MERMAID, page_url))}"></script>'
    head, body_end, tail = output.rpartition("</body>")
    return f"{head}{tag}\n{body_end}{tail}" if body_end else output + tag


@dataclass
class SearchEntries:
    """Search entries for runbook pages, made from the model (`generator.search`), and one
    entry for each catalogue page (its content repeats what the runbooks' entries hold).

    Material's search plugin leaves these pages alone (they are excluded in their metadata);
    their entries are added to its index after it is written: no HTML parsed for them.
    """

    runbooks: dict[str, Runbook] = field(default_factory=dict)
    catalogues: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add_runbook(self, runbook: Runbook, page: Page) -> None:
        _exclude(page)
        self.runbooks[page.url] = runbook

    def add_catalogue(self, page: Page, title: str, text: str) -> None:
        _exclude(page)
        self.catalogues[page.url] = (title, text)

    def apply(self, index_file: Path) -> None:
        """Replace Material's search index by ours, built from its entries for the other pages
        and ours; what our worker loads (`config.runbookgen`), in place."""
        if not index_file.is_file():
            return  # search is off
        index = json.loads(index_file.read_text(encoding="utf-8"))
        split = splitter(index.get("config", {}).get("separator") or r"[\s\-]+")
        ours = self.runbooks.keys() | self.catalogues.keys()
        docs = [d for d in index.get("docs", []) if d["location"].partition("#")[0] not in ours]
        for url, (title, text) in sorted(self.catalogues.items()):
            docs.append({"location": url, "title": title, "text": text})
        for url in sorted(self.runbooks):
            docs.extend(search_entries(self.runbooks[url], url, split))
        index["config"]["runbookgen"] = build_index(docs, split)
        index["docs"] = []  # Material's worker would index them; ours reads the above
        index_file.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")


def _exclude(page: Page) -> None:
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
