"""Benchmark of the Zensical build: `runbookgen zensical` (pages, assets, config) and then the
pinned Zensical's own build, for N synthetic runbooks (bench/generate.py).

    python -m bench.zensical            # N = 1000
    python -m bench.zensical --n 3000
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from bench.generate import generate
from generator.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent
ZENSICAL = ROOT / "build" / "zensical-venv" / "bin" / "zensical"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="synthetic runbooks")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-zensical-"))
    try:
        generate(work / "runbooks", args.n)
        started = time.perf_counter()
        result = CliRunner().invoke(
            cli, ["zensical", str(work / "z"), str(work / "runbooks"), "--today", "2026-11-23"]
        )
        assert result.exit_code == 0, result.output
        project = time.perf_counter() - started
        started = time.perf_counter()
        done = subprocess.run([str(ZENSICAL), "build"], cwd=work / "z", capture_output=True)
        assert done.returncode == 0, done.stderr
        built = time.perf_counter() - started
        size = sum(p.stat().st_size for p in (work / "z" / "site").rglob("*") if p.is_file())
        print(f"{args.n:,} runbooks\n\n| step | seconds |\n| --- | ---: |")
        print(f"| `runbookgen zensical` (render, copy, config) | {project:.2f} |")
        print(f"| `zensical build` (0.0.73) | {built:.2f} |")
        print(f"| site size | {size / 1e6:.1f} MB |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
