"""Writing generated files: all or nothing, and never outside the target directory."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def write_tree(out: Path, files: dict[str, str], copies: dict[str, Path] | None = None) -> None:
    """Replace directory *out* with *files* (relative path → text) and *copies* (relative path
    → a file to copy there), swapping in a complete copy."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for rel, text in files.items():
            target = (staging / rel).resolve()
            if not target.is_relative_to(staging):
                raise OSError(f"refusing to write {rel!r} outside {out}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for rel, source in (copies or {}).items():
            target = (staging / rel).resolve()
            if not target.is_relative_to(staging):
                raise OSError(f"refusing to write {rel!r} outside {out}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
