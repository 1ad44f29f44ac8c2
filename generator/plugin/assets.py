"""The site-side half of the MkDocs plugin: what the pages load, and how search ranks them.

- The site's own script and styles (generator/assets/) are added to every page.
- mermaid and the iframe-worker shim are shipped with the site from a vendor directory
  (`make vendor` fills it from the npm registry), so no page fetches them from a CDN.
- Search: runbook pages are searched through entries made from the model (symptoms, commands,
  decision-table rows as keywords), and the whole index is built here (the runbook pages' part
  in a forked process while the site builds); the pages' search box asks our worker
  (assets/search-worker.js), which only loads it (`generator.search_index`).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from generator.core.model import Contact, Runbook
from generator.render.assets import ASSETS, MERMAID, OWN_ASSETS, SHIM
from generator.render.assets import vendored as vendored_paths
from generator.run.workers import Background, worker_count
from generator.search.entries import Split, search_entries, splitter
from generator.search.index import Part, index_part, join

SEARCH_WORKER = "assets/runbooks/search-worker.js"
Doc = dict[str, Any]  # an entry of Material's search index: location, title, text
DEFAULT_SEPARATOR = r"[\s\-]+"  # Material's, where its index names none
# Material's worker, as its pages name it in their configuration (relative or absolute).
_MATERIAL_WORKER = re.compile(
    r'("search":\s*"[^"]*?)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"'
)


def vendored_files(vendor_dir: Path) -> dict[str, Path]:
    """The vendored files by site path; a `PluginError` saying how to get them if one is missing."""
    files, missing = vendored_paths(vendor_dir)
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
    pages: list[str] = field(default_factory=list)  # every page's URL, in the site's order
    rebuilt: set[str] = field(default_factory=set)  # pages Material's search plugin saw
    background: Background | None = None  # the runbooks' part, being made (`start`)
    contacts: Mapping[str, Contact] = field(default_factory=dict)  # the escalation entries' roles

    def add_runbook(self, runbook: Runbook, url: str) -> None:
        self.runbooks[url] = runbook

    def add_catalogue(self, url: str, title: str, text: str) -> None:
        self.catalogues[url] = (title, text)

    def built(self, page: Page) -> None:
        """Note a page being built; keep Material's search plugin away from ours."""
        self.rebuilt.add(page.url)
        if page.url in self.runbooks or page.url in self.catalogues:
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}

    def start(self, runbooks: Mapping[str, Runbook], separator: str | None, jobs: int = 0) -> None:
        """Start making the part of the index of *runbooks* (by page URL) in a forked process:
        its ~3.7 ms a runbook then use a core the build leaves idle (while the site-wide pages
        render, while MkDocs reads the pages, and at the end) instead of adding to the end.
        `apply` takes it if the pages and the search's *separator* are still these.

        Not for live editing, where runbooks change between builds (nor with *jobs* 1)."""
        self.stop()
        if separator and worker_count(jobs, len(runbooks)) > 1:
            work = partial(runbooks_part, dict(runbooks), splitter(separator), self.contacts)
            self.background = Background(work, key=(sorted(runbooks), separator))

    def stop(self) -> None:
        """Stop making the runbooks' part (a failed build), if it is being made."""
        if self.background is not None:
            self.background.stop()
            self.background = None

    def apply(self, index_file: Path, *, kept: dict[str, list[Doc]] | None = None) -> str | None:
        """Replace Material's search index by ours, built from its entries for the other pages
        and ours; what our worker loads (`config.runbookgen`), in place. Returns its text.

        *kept*: for dirty builds, the other pages' entries from earlier builds (Material's
        index only has the pages built this time); updated.
        """
        if not index_file.is_file():
            return None  # search is off
        index = json.loads(index_file.read_text(encoding="utf-8"))
        separator = index.get("config", {}).get("separator")
        split = splitter(separator or DEFAULT_SEPARATOR)
        others = self._others(index.get("docs", []), kept)
        docs = [doc for url in self.pages for doc in others.get(url, [])]
        for url, (title, text) in sorted(self.catalogues.items()):
            docs.append({"location": url, "title": title, "text": text})
        runbooks = self._runbooks_part(separator, split)
        index["config"]["runbookgen"] = join([index_part(docs, split), runbooks])
        index["docs"] = []  # Material's worker would index them; ours reads the above
        text = json.dumps(index, separators=(",", ":"))
        index_file.write_text(text, encoding="utf-8")
        return text

    def _runbooks_part(self, separator: str | None, split: Split) -> Part:
        made = None
        if self.background is not None:
            made = self.background.take(key=(sorted(self.runbooks), separator))
            self.background = None
        return runbooks_part(self.runbooks, split, self.contacts) if made is None else made

    def keep_others(self, index_file: Path, kept: dict[str, list[Doc]]) -> None:
        """Add the entries of Material's index for the other pages to *kept* (see `apply`)."""
        index = json.loads(index_file.read_text(encoding="utf-8"))
        self._others(index.get("docs", []), kept)

    def _others(self, docs: list[Doc], kept: dict[str, list[Doc]] | None) -> dict[str, list[Doc]]:
        """Material's entries for the pages that are not ours, by page URL."""
        others: dict[str, list[Doc]] = {}
        for doc in docs:
            url = doc["location"].partition("#")[0]
            if url not in self.runbooks and url not in self.catalogues:
                others.setdefault(url, []).append(doc)
        if kept is None:
            return others
        pages = set(self.pages)
        for url in [url for url in kept if url not in pages or url in self.rebuilt]:
            del kept[url]
        kept.update(others)
        return kept


def runbooks_part(
    runbooks: Mapping[str, Runbook], split: Split, contacts: Mapping[str, Contact] | None = None
) -> Part:
    """The part of the search index of runbook pages (by URL), in URL order; *contacts*: the
    shared contacts by id."""
    entries = (
        entry
        for url in sorted(runbooks)
        for entry in search_entries(runbooks[url], url, split, contacts=contacts)
    )
    return index_part(entries, split)


def search_separator(config: MkDocsConfig) -> str | None:
    """The separator Material's search plugin cuts words at, once it has read its config."""
    for plugin in config.plugins.values():
        if type(plugin).__module__.startswith("material.plugins.search"):
            separator = getattr(plugin.config, "separator", None)
            return separator if getattr(plugin.config, "enabled", True) else None
    return None
