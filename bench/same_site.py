"""Is the built site the same, byte for byte, as before a change? For refactorings that must not
change what a reader gets.

    python -m bench.same_site record BEFORE.json   # on the commit before
    python -m bench.same_site compare BEFORE.json  # after: lists every file that differs

Builds, with `mkdocs build --strict` and a fixed date: this repo's runbooks, and the bench's
N synthetic runbooks (N=1000 by default, bench/generate.py). Records the SHA-256 of every file
of both sites (search indexes included).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import ROOT, TODAY, make_project

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _dated_config(project: Path) -> None:
    """The project's mkdocs.yml with the runbooks plugin's `today` fixed (review banners)."""
    config = project / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(text.replace("  - runbooks\n", f"  - runbooks:\n      today: '{TODAY}'\n"))


def build(project: Path) -> dict[str, str]:
    """The SHA-256 of every file of *project*'s site, by path."""
    site = project / "site-compare"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    done = subprocess.run(cmd, cwd=project, env=ENV, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def sites(n: int) -> dict[str, dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="same-site-") as tmp:
        shipped = Path(tmp, "shipped")
        shipped.mkdir()
        shutil.copytree(ROOT / "runbooks", shipped / "runbooks")
        shutil.copytree(ROOT / "docs", shipped / "docs")
        (shipped / "build").mkdir()
        (shipped / "build" / "vendor").symlink_to(ROOT / "build" / "vendor")
        _dated_config(shipped)
        generated = make_project(Path(tmp, "generated"), n)
        _dated_config(generated)
        return {"shipped": build(shipped), f"generated-{n}": build(generated)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["record", "compare"])
    parser.add_argument("file", type=Path)
    parser.add_argument("-n", type=int, default=1000)
    args = parser.parse_args()
    now = sites(args.n)
    if args.action == "record":
        args.file.write_text(json.dumps(now, indent=1, sort_keys=True))
        print(f"recorded {sum(len(s) for s in now.values())} files")
        return
    before = json.loads(args.file.read_text())
    differ = [
        f"{name}/{path}"
        for name in sorted(before.keys() | now.keys())
        for path in sorted(before.get(name, {}).keys() | now.get(name, {}).keys())
        if before.get(name, {}).get(path) != now.get(name, {}).get(path)
    ]
    print("\n".join(differ) or "the same, byte for byte")
    print(f"{len(differ)} of {sum(len(s) for s in now.values())} files differ")
    raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
