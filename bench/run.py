"""Benchmark: `runbookgen check` and the site build over N synthetic runbooks, against plain MkDocs.

    python -m bench.run 1000                  # or: make bench N=1000
    python -m bench.run 3000 --no-baseline    # the plain-MkDocs baseline takes 10+ minutes at 3,000

Steps, in bench/work/N/ (git-ignored):

1. generate N runbooks (bench/generate.py) into project/runbooks/, beside this repo's mkdocs.yml;
2. `runbookgen check`, each run a new process: cold (empty cache), warm (cache filled), and
   without the cache; the median of --repeat runs;
3. `mkdocs build --strict` of the project: our pipeline as `make site` runs it;
4. load + validate + render alone (what the plugin does in on_config: every page's HTML, see
   generator/render_html.py), timed in a new process: without the cache (`generator_s`) and
   from the cache the build used (`generator_warm_s`);
5. the first search result in Chromium on a freshly loaded runbook page, and the time to open
   the home page, the symptom index and the escalation page, and to filter symptoms
   (bench/search.py);
6. `make serve`: from saving an edited runbook to its page showing the edit (bench/serve.py);
7. the baseline: the same runbooks rendered to Markdown by our renderer, built by plain MkDocs +
   Material (same theme and Markdown extensions, no runbooks plugin, no navigation.prune, a flat
   nav listing every page).

Prints a table and writes bench/results-N.json. Times are wall-clock seconds; `*_cpu_s` are
user + system seconds of the process and its workers, steadier when the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.generate import generate
from bench.search import first_result_s, open_s, page_sizes_kb
from bench.serve import edit_visible_s

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
BASELINE_CONFIG = """\
site_name: Runbooks (plain MkDocs baseline)
theme:
  name: material
  font: false
  features: [content.code.copy, navigation.sections, navigation.top, search.highlight,
             search.suggest, toc.follow]
plugins:
  - search
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
      toc_depth: 3
  - pymdownx.highlight
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.tasklist:
      custom_checkbox: true
"""
GENERATOR_ONLY = """\
import datetime as dt, sys, time
from pathlib import Path
start = time.perf_counter()
from generator.core.audience import for_audience
from generator.run.cache import Cache
from generator.run.project import load_site
from generator.run.pages import render_pages
from generator.render.html import render_inputs_html, render_site_wide_html
cache = Cache.open() if sys.argv[2] == "cache" else None
site = for_audience(load_site([Path("runbooks")], cache=cache), "internal")
today = dt.date.fromisoformat(sys.argv[1])
render_pages(site, page=render_inputs_html, site_wide=render_site_wide_html, today=today)
print(time.perf_counter() - start)
"""


@dataclass(frozen=True)
class Run:
    """One measured process."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    stdout: str


def measure(args: list[str], cwd: Path) -> Run:
    """Run a command; its wall time, CPU time (workers included) and peak memory."""
    out = cwd / ".bench-stdout"
    with out.open("w") as stdout:
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=stdout, stderr=subprocess.PIPE)
        assert process.stderr is not None
        errors = process.stderr.read().decode(errors="replace")
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{errors[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, usage.ru_maxrss / 1024, out.read_text())


def median_run(args: list[str], cwd: Path, repeat: int, before: Any = None) -> Run:
    """The run of median wall time among *repeat* (calling *before* ahead of each)."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        runs.append(measure(args, cwd))
    return sorted(runs, key=lambda r: r.wall_s)[len(runs) // 2]


def make_project(work: Path, n: int) -> Path:
    """bench/work/N/project: N runbooks and this repo's mkdocs.yml (and vendored scripts)."""
    project = work / "project"
    generate(project / "runbooks", n)
    (project / "docs").mkdir(exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    vendor = ROOT / "build" / "vendor"
    if vendor.is_dir() and not (project / "build").exists():
        (project / "build").mkdir()
        (project / "build" / "vendor").symlink_to(vendor)
    return project


def bench_check(project: Path, repeat: int) -> dict[str, float]:
    """`runbookgen check` cold, warm and without the cache."""
    check = [sys.executable, "-m", "generator", "check", "runbooks"]
    cache = project / ".cache"
    cold = median_run(check, project, repeat, before=lambda: shutil.rmtree(cache, True))
    warm = median_run(check, project, repeat)
    plain = median_run([*check, "--no-cache"], project, repeat)
    return {
        "check_s": cold.wall_s,
        "check_cpu_s": cold.cpu_s,
        "check_warm_s": warm.wall_s,
        "check_warm_cpu_s": warm.cpu_s,
        "check_nocache_s": plain.wall_s,
    }


def site_sizes(site: Path, pages: str) -> dict[str, float]:
    """Median page size (KB) of the pages matching *pages*, and the search index size (KB)."""
    sizes = sorted(p.stat().st_size for p in site.glob(pages))
    index = site / "search" / "search_index.json"
    return {
        "median_page_kb": statistics.median(sizes) / 1024 if sizes else 0.0,
        "search_index_kb": index.stat().st_size / 1024 if index.exists() else 0.0,
    }


def bench_build(project: Path) -> dict[str, float]:
    """`mkdocs build --strict` of the project, and the share of our own stages in it."""
    shutil.rmtree(project / "site", ignore_errors=True)
    build = measure([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], project)
    cold = measure([sys.executable, "-c", GENERATOR_ONLY, TODAY, "no-cache"], project)
    generator_s = float(cold.stdout.split()[-1])
    # As the build ran it: from the cache `check` (and the build) filled.
    warm = measure([sys.executable, "-c", GENERATOR_ONLY, TODAY, "cache"], project)
    generator_warm_s = float(warm.stdout.split()[-1])
    search_s = first_result_s(project / "site", "kubectl")
    return {
        **({"first_search_result_s": search_s} if search_s is not None else {}),
        **open_s(project / "site"),
        **page_sizes_kb(project / "site"),
        "build_s": build.wall_s,
        "build_cpu_s": build.cpu_s,
        "peak_rss_mb": build.peak_rss_mb,
        "generator_s": generator_s,
        "generator_share": generator_s / build.wall_s,
        "generator_warm_s": generator_warm_s,
        "generator_warm_share": generator_warm_s / build.wall_s,
        **site_sizes(project / "site", "runbooks/*/index.html"),
    }


def make_baseline(work: Path, project: Path) -> Path:
    """The same runbooks as hand-written Markdown pages, in a plain MkDocs project."""
    baseline = work / "baseline"
    shutil.rmtree(baseline, ignore_errors=True)
    script = (
        "import datetime as dt, json, sys\nfrom pathlib import Path\n"
        "from generator.run.project import load_site\nfrom generator.run.pages import render_site\n"
        "pages = render_site(load_site([Path('runbooks')]), today=dt.date.fromisoformat(sys.argv[1]))\n"
        "json.dump(pages, sys.stdout)\n"
    )
    pages: dict[str, str] = json.loads(
        measure([sys.executable, "-c", script, TODAY], project).stdout
    )
    for path, markdown in pages.items():
        (baseline / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (baseline / "docs" / path).write_text(markdown, encoding="utf-8")
    nav = "\n".join(f"  - {json.dumps(path)}" for path in pages)
    (baseline / "mkdocs.yml").write_text(f"{BASELINE_CONFIG}nav:\n{nav}\n", encoding="utf-8")
    return baseline


def bench_baseline(work: Path, project: Path) -> dict[str, float]:
    """Plain MkDocs + Material over the equivalent Markdown."""
    baseline = make_baseline(work, project)
    build = measure([sys.executable, "-m", "mkdocs", "build", "-q"], baseline)
    sizes = site_sizes(baseline / "site", "runbooks/*/index.html")
    return {
        "baseline_build_s": build.wall_s,
        "baseline_peak_rss_mb": build.peak_rss_mb,
        "baseline_median_page_kb": sizes["median_page_kb"],
        "baseline_search_index_kb": sizes["search_index_kb"],
    }


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {"nproc": os.cpu_count(), "cpu": model, "load_before": os.getloadavg()[0]}


def table(result: dict[str, Any]) -> str:
    """The results as an aligned two-column table."""
    width = max(len(k) for k in result)
    rows = [
        f"{k:<{width}}  {v:.3f}" if isinstance(v, float) else f"{k:<{width}}  {v}"
        for k, v in result.items()
    ]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of runbooks")
    parser.add_argument("--no-baseline", action="store_true", help="skip plain MkDocs")
    parser.add_argument("--no-build", action="store_true", help="measure `check` only")
    parser.add_argument("--no-serve", action="store_true", help="skip `make serve`")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each check (median)")
    args = parser.parse_args()
    work = ROOT / "bench" / "work" / str(args.n)
    project = make_project(work, args.n)
    result: dict[str, Any] = {"n": args.n, **machine(), **bench_check(project, args.repeat)}
    if not args.no_build:
        result |= bench_build(project)
        result["search_index_kb_per_runbook"] = result["search_index_kb"] / args.n
    if not (args.no_build or args.no_serve):
        result["serve_edit_s"] = edit_visible_s(project)
    if not (args.no_build or args.no_baseline):
        result |= bench_baseline(work, project)
    (ROOT / "bench" / f"results-{args.n}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))


if __name__ == "__main__":
    main()
