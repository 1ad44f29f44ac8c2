"""The site-side half of the MkDocs plugin: what the pages load, and how search ranks them.

- The site's own script and styles (generator/assets/) are added to every page.
- mermaid and the iframe-worker shim are shipped with the site from a vendor directory
  (`make vendor` fills it from the npm registry), so no page fetches them from a CDN.
- The search index gets a `keywords` field (symptoms, procedure titles, commands) that
  mkdocs.yml boosts above body text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from generator.escape import slug
from generator.model import Runbook

ASSETS = Path(__file__).parent / "assets"
OWN_ASSETS = {
    "assets/runbooks/runbooks.js": "runbooks.js",
    "assets/runbooks/runbooks.css": "runbooks.css",
}
MERMAID = "assets/vendor/mermaid/mermaid.min.js"
SHIM = "assets/vendor/iframe-worker/shim.js"
# Site path → path under the vendor directory; licences travel with the code.
VENDORED = {
    MERMAID: "mermaid/mermaid.min.js",
    "assets/vendor/mermaid/LICENSE": "mermaid/LICENSE",
    SHIM: "iframe-worker/shim.js",
    "assets/vendor/iframe-worker/LICENSE": "iframe-worker/LICENSE",
}
_CODE = re.compile(r"<code>(.*?)</code>", re.S)


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
    for site_path, source in sources.items():
        if files.get_file_from_path(site_path) is not None:
            raise PluginError(
                f"runbooks: {config.docs_dir}/{site_path} would be overwritten by a shipped asset: rename it"
            )
        files.append(File.generated(config, site_path, abs_src_path=str(source)))


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
class SearchKeywords:
    """What each search entry of a runbook page should be found by above its body text."""

    by_location: dict[str, list[str]] = field(default_factory=dict)
    pages: set[str] = field(default_factory=set)

    def add_runbook(self, runbook: Runbook, page_url: str) -> None:
        """Procedures are found by their title and symptoms; the runbook by its title and tags."""
        self.pages.add(page_url)
        self.by_location[page_url] = [runbook.title, *runbook.tags]
        for procedure in runbook.procedures:
            self.by_location[f"{page_url}#{slug(procedure.id)}"] = [
                procedure.title,
                *procedure.symptoms,
            ]

    def apply(self, index_file: Path) -> None:
        """Add a `keywords` field to every entry of Material's search index, in place."""
        if not index_file.is_file():
            return  # search is off
        index = json.loads(index_file.read_text(encoding="utf-8"))
        for doc in index.get("docs", []):
            if doc["location"].partition("#")[0] in self.pages:
                words = [*self.by_location.get(doc["location"], []), *_commands(doc["text"])]
                doc["keywords"] = " ".join(words)
        index_file.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")


def _commands(text: str) -> Iterable[str]:
    # The index keeps <code> tags and HTML-escapes their content; the separator splits on &lt;.
    # A diagram's source (the flow, rendered by _flow.mmd.j2) is not a command.
    codes = (m.group(1) for m in _CODE.finditer(text))
    return (code for code in codes if not code.startswith("flowchart "))
