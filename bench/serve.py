"""How long `make serve` takes to show an edited runbook.

Starts `mkdocs serve --dirty` on the project (what `make serve` runs), waits for the first
build, then changes one runbook's title and polls its page until the new title is served:
the time from saving the file to the new page, as a browser reloaded by livereload would
fetch it. Several edits, the median; the runbook is restored afterwards.

    python -m bench.serve PROJECT_DIR
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import mkdocs_serve, wait_for_text

FIRST_BUILD_TIMEOUT_S = 3600
REBUILD_TIMEOUT_S = 600


def edit_visible_s(project: Path, edits: int = 3) -> float:
    """Median seconds from saving an edited runbook to its page showing the edit."""
    source, original, data = _a_runbook(project / "runbooks")
    with mkdocs_serve(project, project / ".bench-serve.log") as site:
        url = f"{site}runbooks/{data['id']}/"
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


def _a_runbook(sources: Path) -> tuple[Path, str, dict[str, Any]]:
    """The last runbook of the project: its file, text and data."""
    for path in sorted(sources.rglob("*.yaml"), reverse=True):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        if "procedures" in data:
            return path, text, data
    raise SystemExit(f"no runbook in {sources}")


def _wait_for(url: str, text: str, timeout_s: float) -> None:
    if not wait_for_text(url, text, timeout_s):
        raise TimeoutError(f"{url} did not show {text!r} within {timeout_s} s")


if __name__ == "__main__":
    seconds = edit_visible_s(Path(sys.argv[1]))
    print(f"edit visible after {seconds:.2f} s")
