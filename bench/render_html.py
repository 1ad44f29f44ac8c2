"""CPU per runbook page: the Markdown page converted by Python-Markdown, or the HTML page direct.

Generates N synthetic runbooks (bench/generate.py), loads them once, then in this one process
times, per page: `render_inputs` (Jinja, Markdown page), its conversion by Python-Markdown with
mkdocs.yml's extensions, and `render_inputs_html` (Jinja, HTML page). Each is the best of a few
rounds over all pages, so warm-up and noise from other processes count least.

    python -m bench.render_html [N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import markdown
from mkdocs.config import load_config

from bench.generate import generate
from generator.render.html import render_inputs_html
from generator.render.markdown import RunbookInputs, render_inputs, runbook_inputs
from generator.run.project import load_site
from tests.conftest import ROOT, TODAY

ROUNDS = 3


def best_ms_per_page(work: Callable[[], object], pages: int) -> float:
    """The fastest of ROUNDS runs of *work*, in milliseconds per page."""
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return 1000 * min(times) / pages


def site_inputs(n: int) -> list[RunbookInputs]:
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp) / "runbooks", n)
        site = load_site([Path(tmp) / "runbooks"], jobs=1)
    return [runbook_inputs(r, site, today=TODAY) for r in site.runbooks]


def converter() -> markdown.Markdown:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )


def main(n: int) -> None:
    inputs = site_inputs(n)
    md = converter()
    bodies = [render_inputs(i).split("\n---\n", 1)[1] for i in inputs]

    def convert() -> None:
        for body in bodies:
            md.reset()
            md.convert(body)

    jinja_md = best_ms_per_page(lambda: [render_inputs(i) for i in inputs], len(inputs))
    convert_md = best_ms_per_page(convert, len(inputs))
    html = best_ms_per_page(lambda: [render_inputs_html(i) for i in inputs], len(inputs))
    print(f"{len(inputs)} runbook pages, ms of CPU a page (best of {ROUNDS} rounds)")
    print(f"{'Markdown page (Jinja)':<34}{jinja_md:>8.2f}")
    print(f"{'  + Python-Markdown conversion':<34}{convert_md:>8.2f}")
    print(f"{'  = Markdown path':<34}{jinja_md + convert_md:>8.2f}")
    print(f"{'HTML page (render_inputs_html)':<34}{html:>8.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
