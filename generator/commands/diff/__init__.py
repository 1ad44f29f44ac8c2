"""`runbookgen diff`: what changed in the runbooks between two git revisions, in incident terms.

Both sides go through the normal pipeline (`load_site`), so the same loader rules apply: a
revision's `runbooks/` is copied out of git into a temporary directory first (`git`), the working
tree is read where it is. The comparison (`compare`) says what a responder cares about (severity
levels, contacts, escalation, every command, procedures, review dates), not which YAML lines
moved; `report` writes it as Markdown or JSON.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from generator.commands.diff.compare import Report, Side, compare_sites
from generator.commands.diff.git import (
    SOURCES,
    DiffError,
    default_base,
    export,
    require_repository,
    resolve,
)
from generator.commands.diff.report import to_json, to_markdown
from generator.run.project import load_site

__all__ = ["DiffError", "diff_revisions", "to_json", "to_markdown"]

WORKING_TREE = "working tree"


def diff_revisions(
    base: str | None = None, head: str | None = None, *, cwd: Path | None = None
) -> Report:
    """Compare the runbooks of *base* and *head*.

    *base* defaults to the merge-base with the default branch, *head* to the working tree.
    Raises DiffError outside a git repository or for a revision that does not exist.
    """
    cwd = (cwd or Path.cwd()).absolute()
    require_repository(cwd)
    base_sha = resolve(cwd, base) if base else default_base(cwd)
    head_sha = resolve(cwd, head) if head else None
    with tempfile.TemporaryDirectory(prefix="runbookgen-diff-") as tmp:
        export(cwd, base_sha, Path(tmp, "base"))
        old = _load(Path(tmp, "base"), _label(base, base_sha))
        if head_sha is None:
            return compare_sites(old, _load(cwd, WORKING_TREE))
        export(cwd, head_sha, Path(tmp, "head"))
        return compare_sites(old, _load(Path(tmp, "head"), _label(head, head_sha)))


def _load(root: Path, label: str) -> Side:
    sources = root / SOURCES
    return Side(load_site([sources] if sources.is_dir() else []), root, label)


def _label(revision: str | None, sha: str) -> str:
    """'main (1a2b3c4)', or the short id alone when that is what was given."""
    short = sha[:7]
    return f"{revision} ({short})" if revision and not sha.startswith(revision) else short
