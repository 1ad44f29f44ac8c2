"""Everything `runbookgen diff` asks of git: the repository, revisions, and a revision's runbooks.

git runs as a subprocess with an argument list (never a shell); a file is read with `git show`
and cut just over the loader's size cap, so a huge blob costs no more than a file that is too big.
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from generator.core.loader import MAX_BYTES

SOURCES = "runbooks"
# Where a branch is taken to have left from, first found first.
_UPSTREAMS = ("origin/HEAD", "main", "master")


class DiffError(Exception):
    """A usage or environment problem: not a git repository, unknown revision, no git."""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"cannot run git ({exc.strerror}): install git and retry") from None


def _git_text(cwd: Path, *args: str) -> str | None:
    done = _git(cwd, *args)
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None


def require_repository(cwd: Path) -> None:
    """Raise DiffError unless *cwd* is inside a git work tree."""
    if _git_text(cwd, "rev-parse", "--is-inside-work-tree") != "true":
        raise DiffError(
            f"{cwd} is not inside a git repository: run `runbookgen diff` from your checkout"
        )


def resolve(cwd: Path, revision: str) -> str:
    """The commit id of *revision*; DiffError when there is none."""
    sha = None
    # A revision starting with "-" would reach git as an option.
    if revision and not revision.startswith("-"):
        sha = _git_text(cwd, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if not sha:
        raise DiffError(
            f"unknown revision {revision!r}: give a branch, tag or commit (e.g. origin/main)"
        )
    return sha


def default_base(cwd: Path) -> str:
    """Where the current branch left the default branch; HEAD when there is no such branch."""
    for upstream in _UPSTREAMS:
        base = _git_text(cwd, "merge-base", "HEAD", upstream)
        if base:
            return base
    return resolve(cwd, "HEAD")


def tree_files(cwd: Path, sha: str) -> list[str]:
    """The YAML files under runbooks/ at *sha*, as repository paths."""
    done = _git(cwd, "ls-tree", "-r", "-z", "--name-only", sha, "--", f"{SOURCES}/")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise DiffError(f"cannot list {SOURCES}/ at {sha[:12]}: {message}")
    names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [n for n in names if n.endswith((".yaml", ".yml")) and _is_safe(n)]


def _is_safe(name: str) -> bool:
    # A tree is data too: a name must not write outside the directory it is exported to.
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _blob(cwd: Path, sha: str, name: str) -> bytes:
    """The file at *sha*, cut just over the loader's size cap so the loader reports it as too big."""
    command = ["git", "show", f"{sha}:./{name}"]
    with subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as proc:
        data = proc.stdout.read(MAX_BYTES + 1) if proc.stdout else b""
        if len(data) > MAX_BYTES:
            proc.kill()
    if len(data) <= MAX_BYTES and proc.returncode != 0:
        raise DiffError(f"cannot read {name} at {sha[:12]} with git show")
    return data


def export(cwd: Path, sha: str, dest: Path) -> None:
    """Write the runbooks/ of *sha* under *dest*, as they are in the repository."""
    for name in tree_files(cwd, sha):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_blob(cwd, sha, name))
