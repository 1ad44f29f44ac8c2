"""generator/assets/fill.js, called from Python: a node process answering one JSON line a call."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

SERVER = Path(__file__).parent / "js" / "fill_server.js"


class FillJS:
    """The page's fill rule (fill.js), run by node."""

    def __init__(self) -> None:
        node = shutil.which("node") or shutil.which("nodejs")
        if node is None:
            raise RuntimeError("no node: `make vendor` installs npm, and node with it")
        self.process = subprocess.Popen(
            [node, str(SERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def call(self, fn: str, *args: Any) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"fn": fn, "args": list(args)}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer["ok"]

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=10)
