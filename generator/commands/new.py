"""`runbookgen new`: a runbook skeleton that passes `runbookgen check` as written.

The file is created, never replaced: the text goes to a temporary file beside it, which is then
hard-linked into place (a link fails if the name is taken, where a rename would overwrite).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from generator.core.loader import display_path
from generator.core.model import Site
from generator.render.markdown import environment
from generator.run.project import load_site

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_ID = 80
SCHEMA = Path("schemas", "runbook.schema.json")
INLINE_OWNER = "on-call"
REVIEW_DAYS = 90


class ScaffoldError(Exception):
    """A bad id or option, or a file that is already there."""


@dataclass(frozen=True)
class Scaffold:
    """A new runbook: where it goes and its text."""

    path: Path
    text: str


def check_slug(value: str, what: str) -> None:
    """Raise ScaffoldError unless *value* is an id the schema accepts."""
    if len(value) > MAX_ID or not SLUG.fullmatch(value):
        raise ScaffoldError(
            f"{what} {value!r} is not a valid id: use lowercase ASCII letters, digits and '-', "
            "starting with a letter or digit (e.g. db-connections)"
        )


def default_path(runbook_id: str, service: str | None, *, sources: Path) -> Path:
    """runbooks/<service or id>/<id>.yaml."""
    return sources / (service or runbook_id) / f"{runbook_id}.yaml"


def schema_ref(target: Path, *, root: Path) -> str:
    """The schema's path relative to *target*'s folder, for the editor modeline."""
    schema = (root / SCHEMA).absolute()
    try:
        return Path(os.path.relpath(schema, target.absolute().parent)).as_posix()
    except ValueError:  # another drive, on Windows
        return schema.as_uri()


def _owner(site: Site, owner: str | None) -> tuple[str, bool]:
    """The owner's id, and whether the runbook must define it inline (no contacts anywhere)."""
    if not site.contacts:
        return owner or INLINE_OWNER, True
    if owner is None:
        return next(iter(site.contacts)), False
    if owner not in site.contacts:
        known = ", ".join(sorted(site.contacts))
        raise ScaffoldError(f"unknown owner {owner!r}: use the id of a defined contact ({known})")
    return owner, False


def _check_options(runbook_id: str, site: Site, service: str | None, title: str | None) -> None:
    check_slug(runbook_id, "runbook id")
    if service is not None:
        check_slug(service, "service")
    if title is not None and not title.strip():
        raise ScaffoldError("the title is empty: give a few words, or leave --title out")
    existing = site.runbook(runbook_id)
    if existing is not None:
        raise ScaffoldError(
            f"runbook id {runbook_id!r} is already used by {existing.source.path}: choose another"
        )


def scaffold(
    runbook_id: str,
    *,
    site: Site,
    path: Path,
    today: dt.date,
    service: str | None = None,
    owner: str | None = None,
    title: str | None = None,
    root: Path = Path(),
) -> Scaffold:
    """The text of a new runbook for *site*, to be written at *path*."""
    _check_options(runbook_id, site, service, title)
    if owner is not None:
        check_slug(owner, "owner")
    owner_id, inline = _owner(site, owner)
    text = (
        environment()
        .get_template("new-runbook.yaml.j2")
        .render(
            schema=schema_ref(path, root=root),
            id=runbook_id,
            title=title.strip() if title else runbook_id.replace("-", " ").capitalize(),
            service=service,
            owner=owner_id,
            inline_owner=inline,
            scheme=next(iter(site.schemes), ""),
            today=today.isoformat(),
            next_review=(today + dt.timedelta(days=REVIEW_DAYS)).isoformat(),
        )
    )
    return Scaffold(path, text)


def _exists(path: Path) -> ScaffoldError:
    return ScaffoldError(f"{display_path(path)} already exists: not overwriting it")


def _create_exclusive(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with open(fd, "wb") as out:
        out.write(data)


def write_new(path: Path, text: str) -> None:
    """Create *path* holding *text*, complete or not at all; never replace an existing file."""
    if path.exists() or path.is_symlink():
        raise _exists(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _create_exclusive(tmp, text.encode("utf-8"))
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: exclusive create is next best
            _create_exclusive(path, text.encode("utf-8"))
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        raise ScaffoldError(f"cannot write {display_path(path)}: {exc.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)


def create_runbook(
    runbook_id: str,
    *,
    sources: Path,
    today: dt.date,
    output: Path | None = None,
    service: str | None = None,
    owner: str | None = None,
    title: str | None = None,
) -> Path:
    """Write a new runbook that fits the project in *sources*; returns its path."""
    site = load_site([sources]) if sources.is_dir() else Site()
    path = output or default_path(runbook_id, service, sources=sources)
    new = scaffold(
        runbook_id, site=site, path=path, today=today, service=service, owner=owner, title=title
    )
    write_new(new.path, new.text)
    return new.path
