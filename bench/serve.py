"""How long `make serve` takes to show an edited runbook.

Starts `mkdocs serve --dirty` on the project (what `make serve` runs), waits for the first
build, then changes one runbook's title and polls its page until the new title is served:
the time from saving the file to the new page, as a browser reloaded by livereload would
fetch it. Several edits, the median; the runbook is restored afterwards.

    python -m bench.serve PROJECT_DIR
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

FIRST_BUILD_TIMEOUT_S = 3600
REBUILD_TIMEOUT_S = 600


def edit_visible_s(project: Path, env: Mapping[str, str], edits: int = 3) -> float:
    """Median seconds from saving an edited runbook to its page showing the edit."""
    source, original, data = _a_runbook(project / "runbooks")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/runbooks/{data['id']}/"
    args = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"]
    log = (project / ".bench-serve.log").open("w")
    server = subprocess.Popen(args, cwd=project, env=dict(env), stdout=log, stderr=log)
    try:
        _wait_for(url, data["title"], FIRST_BUILD_TIMEOUT_S)
        times = []
        for edit in range(edits):
            marker = f"Edited title {edit} {time.time_ns()}"
            source.write_text(
                original.replace(f"\ntitle: {data['title']}\n", f"\ntitle: {marker}\n", 1),
                encoding="utf-8",
            )
            start = time.perf_counter()
            _wait_for(url, marker, REBUILD_TIMEOUT_S)
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        source.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait()
        log.close()


def _a_runbook(sources: Path) -> tuple[Path, str, dict[str, Any]]:
    """The last runbook of the project: its file, text and data."""
    for path in sorted(sources.rglob("*.yaml"), reverse=True):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        if "procedures" in data:
            return path, text, data
    raise SystemExit(f"no runbook in {sources}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, text: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8", "replace"):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not show {text!r} within {timeout_s} s")


if __name__ == "__main__":
    seconds = edit_visible_s(Path(sys.argv[1]), {**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    print(f"edit visible after {seconds:.2f} s")
