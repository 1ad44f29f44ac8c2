"""What a page loads besides its HTML: our scripts and styles (generator/assets/) and the
scripts shipped from the vendor directory (`make vendor`) so that no page fetches them from a
CDN. One list, for the MkDocs plugin and for `runbookgen zensical` alike."""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
# Site path → file name under ASSETS, in the order the pages load them.
OWN_ASSETS = {
    "assets/runbooks/fill.js": "fill.js",  # before runbooks.js, which uses it
    "assets/runbooks/runbooks.js": "runbooks.js",
    "assets/runbooks/incident.js": "incident.js",  # after runbooks.js, whose page API it uses
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


def vendored(vendor_dir: Path) -> tuple[dict[str, Path], list[str]]:
    """The vendored files by site path, and those of them that are missing."""
    files = {site: vendor_dir / rel for site, rel in VENDORED.items()}
    return files, [str(path) for path in files.values() if not path.is_file()]
