"""CPU per site-wide page: the Markdown page converted by Python-Markdown, or the HTML page direct.

Loads a directory of runbooks once (by default the 300 of `bench/run.py`'s work tree), then in
this one process times, for each site-wide page: its Markdown (render/markdown.py), the
conversion of that by Python-Markdown with mkdocs.yml's extensions, and its HTML
(render/html.py), each from the same blocks' context. Each is the best of a few rounds.

    python -m bench.render_site_html [RUNBOOKS_DIR]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.render_html import ROUNDS, best_ms_per_page, converter
from generator.core.model import Site
from generator.render import markdown as render
from generator.render.html import _relative, site_page
from generator.run.project import load_site
from tests.conftest import TODAY

DEFAULT = Path("bench/work/300/project/runbooks")


def best_ms(work: Callable[[], object]) -> float:
    """The fastest of ROUNDS runs of *work*, in milliseconds."""
    return best_ms_per_page(work, 1)


def contexts(site: Site) -> dict[str, Callable[[], dict[str, Any]]]:
    return {
        "index.md": lambda: render.index_context(site, today=TODAY),
        "severity.md": lambda: render.severity_context(site),
        "escalation.md": lambda: render.escalation_context(site),
        "symptoms.md": lambda: render.symptoms_context(site),
        "diagnostics.md": render.diagnostics_context,
    }


def main(directory: Path) -> None:
    site = load_site([directory], jobs=1)
    pages = render.render_site_wide(site, today=TODAY)
    print(f"{len(site.runbooks)} runbooks, ms of CPU a page (best of {ROUNDS} rounds)")
    print(f"{'page':<16}{'KB md':>8}{'Jinja md':>10}{'convert':>10}{'= md path':>11}{'HTML':>8}")
    total_md = total_html = 0.0
    for path, context in contexts(site).items():
        jinja, conversion, html = time_page(path, context, pages[path])
        total_md += jinja + conversion
        total_html += html
        size = len(pages[path].encode()) / 1024
        print(
            f"{path:<16}{size:>8.0f}{jinja:>10.1f}{conversion:>10.1f}"
            f"{jinja + conversion:>11.1f}{html:>8.1f}"
        )
    print(f"{'all':<16}{'':>8}{'':>10}{'':>10}{total_md:>11.1f}{total_html:>8.1f}")


def time_page(
    path: str, context: Callable[[], dict[str, Any]], page: str
) -> tuple[float, float, float]:
    """Milliseconds for the Markdown page, its conversion and the HTML page of *path*."""
    md = converter()
    body = page.split("\n---\n", 1)[1]

    def convert() -> None:
        md.reset()
        md.convert(body)

    jinja = best_ms(lambda: render._site_page(path, context()))
    html = best_ms(lambda: site_page(path, context(), href=render.markdown_href, link=_relative))
    return jinja, best_ms(convert), html


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
