"""`runbookgen zensical OUT`: the site as a project Zensical builds (`cd OUT && zensical build`),
for life after Material for MkDocs (end of life 2027-05-05).

Zensical reads `mkdocs.yml` but runs no third-party plugin, so what the runbooks plugin does at
build time is done here, once: the pages are `runbookgen render`'s Markdown, our scripts and
styles are copied in and listed in the config, mermaid is copied from the vendor directory and
loaded by every page (so that no page fetches it from a CDN), and the navigation is written out.
What differs from the MkDocs build is listed in docs/zensical.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from generator.core.model import Site
from generator.render.assets import ASSETS, MERMAID, OWN_ASSETS, vendored
from generator.render.layout import SERVICE_DIR, service_path
from generator.render.markdown import page_path

# Site path → file: our own scripts and styles, in the order the pages load them.
OWN = {site: ASSETS / name for site, name in OWN_ASSETS.items()}
# Pages that only gather what the runbook pages say (these and the services' pages): left out of
# Zensical's search, whose index refuses a page of more than 32,768 words (the symptom index of
# 1,000 runbooks had 120,000), and whose results would repeat the runbooks' own.
CATALOGUES = frozenset({"symptoms.md", "alerts.md", "escalation.md"})
REFERENCE = (
    ("Severity levels", "severity.md"),
    ("Escalation", "escalation.md"),
    ("Symptom index", "symptoms.md"),
    ("Alert index", "alerts.md"),
    ("Diagnostics", "diagnostics.md"),
    ("Runbook format", "format.md"),
)
# Written as text: the mermaid fence needs a Python name tag (`!!python/name:`), which no YAML
# dumper writes from data. The other values of the config are JSON, which YAML reads as is.
_EXTENSIONS = """\
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
      toc_depth: 3
  - pymdownx.highlight:
      use_pygments: false
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.tasklist:
      custom_checkbox: true
"""


def copies(vendor_dir: Path) -> dict[str, Path]:
    """The files copied into the docs (site path → file); missing vendored files raise
    FileNotFoundError with what to run."""
    shipped, missing = vendored(vendor_dir)
    if missing:
        raise FileNotFoundError(
            f"missing vendored file(s): {', '.join(missing)}: run `make vendor`, or give"
            " --vendor-dir"
        )
    return {**OWN, **shipped}


def config(site: Site, site_name: str) -> str:
    """The `mkdocs.yml` Zensical reads: theme, extensions, our assets, the navigation."""
    scripts = [MERMAID] + [p for p in OWN if p.endswith(".js")]
    lines = [
        "# Written by `runbookgen zensical`: build with `zensical build` in this folder.",
        f"site_name: {json.dumps(site_name)}",
        "docs_dir: docs",
        "site_dir: site",
        "theme:",
        "  name: material",
        "  font: false  # no fonts from Google: nothing the page loads comes from another host",
        "  features: [content.code.copy, navigation.prune, navigation.sections, navigation.top, toc.follow]",
        f"extra_javascript: {json.dumps(scripts)}",
        f"extra_css: {json.dumps([p for p in OWN if p.endswith('.css')])}",
        f"nav: {json.dumps(navigation(site), ensure_ascii=False)}",
    ]
    return "\n".join(lines) + "\n" + _EXTENSIONS


def navigation(site: Site) -> list[Mapping[str, object]]:
    """Home, the runbooks by service, the reference pages: as the plugin's navigation."""
    services = [
        {
            service: [
                {"Overview": service_path(service)},
                *({r.title: page_path(r.id)} for r in runbooks),
            ]
        }
        for service, runbooks in site.services().items()
    ]
    return [
        {"Home": "index.md"},
        {"Runbooks": services},
        {"Reference": [{title: path} for title, path in REFERENCE]},
    ]


def project(site: Site, pages: Mapping[str, str], *, site_name: str) -> dict[str, str]:
    """The project's text files (path → text): the config and the pages under docs/, the
    catalogues left out of search."""
    files = {"mkdocs.yml": config(site, site_name)}
    for path, text in pages.items():
        catalogue = path in CATALOGUES or path.startswith(f"{SERVICE_DIR}/")
        if catalogue and text.startswith("---\n"):
            text = "---\nsearch:\n  exclude: true\n" + text.removeprefix("---\n")
        files[f"docs/{path}"] = text
    return files
