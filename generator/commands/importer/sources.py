"""`runbookgen import`: Markdown files (or folders of them) in, one runbook file each out, with
notes of what a person should look at. Reading is forgiving (a BOM, CRLF, Latin-1, UTF-8 that
was read as cp1252 once), writing is careful: the same input gives the same output, and a file
that exists is replaced only when asked (`force`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from generator.commands.importer.convert import Imported, anchors_of, convert
from generator.commands.importer.markdown import parse
from generator.commands.importer.words import slug
from generator.commands.importer.yaml_out import dump
from generator.core.loader import MAX_BYTES as LOADED_BYTES
from generator.diagnostics import Diagnostic, make

MAX_BYTES = 5_000_000  # a runbook of 5 MB is something else
# Control characters other than tab, line feed, vertical tab, form feed, carriage return.
_TEXT_BYTES = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))
_MARKDOWN = (".md", ".markdown", ".mdx", ".erb", ".txt")
# What UTF-8 text looks like once read as cp1252: â€™ for ’, Ã© for é.
_MOJIBAKE = re.compile("â€|Ã[\u0080-\u00bf\u00a0-\u00ff]|Â[\u00a0-\u00bf]")


@dataclass
class Imports:
    """What an import wrote (output path → source path) and what it says."""

    written: dict[Path, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def markdown_files(sources: list[Path]) -> list[Path]:
    """The Markdown files named, and those under the folders named, in a stable order."""
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            found.extend(
                p
                for p in sorted(source.rglob("*"))
                if p.is_file() and p.name.lower().endswith(_MARKDOWN)
            )
        else:
            found.append(source)
    return found


def read(path: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """The text of *path*, and notes on how it was read; None (and an error) when it is no
    text a runbook could be."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            message = f"{size / 1e6:.1f} MB is too large for a runbook (the limit is {MAX_BYTES // 1_000_000} MB): split it"
            return None, [make(shown, 0, 0, "RB001", message)]
        data = path.read_bytes()
    except OSError as exc:
        return None, [make(shown, 0, 0, "RB001", f"cannot be read: {exc.strerror or exc}")]
    head = data[:8192]
    if b"\x00" in head or len(head.translate(None, _TEXT_BYTES)) > len(head) // 20:
        return None, [make(shown, 0, 0, "RB001", "not text (a binary file?): left out")]
    notes: list[Diagnostic] = []
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        text = data.decode("latin-1")
        notes.append(
            make(
                shown,
                line,
                0,
                "RB909",
                "not UTF-8: read as Latin-1 (ISO 8859-1); check the accented letters",
            )
        )
    mojibake = _MOJIBAKE.search(text)
    if mojibake:
        try:
            repaired = text.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            repaired = ""
        if repaired:
            line = text[: mojibake.start()].count("\n") + 1
            notes.append(
                make(
                    shown,
                    line,
                    0,
                    "RB910",
                    "UTF-8 that was once read as cp1252 (â€™ for ’): repaired",
                )
            )
            text = repaired
    return text.replace("\r\n", "\n").replace("\r", "\n"), notes


def header(source: str) -> list[str]:
    """The comment that opens an imported file: where it came from, and what to do next."""
    return [
        f"Imported from {source} by `runbookgen import`.",
        "Review it, then run `runbookgen check` on it: it reports what is still to decide",
        "(an owner, a review date, each `TODO (runbookgen import)`) with the fix.",
    ]


def import_files(
    sources: list[Path], out: Path, *, force: bool = False, root: Path | None = None
) -> Imports:
    """Import each Markdown file of *sources* into *out* (a runbook file each, named after it);
    a relative link between two of them becomes a link to the other's runbook."""
    result = Imports()
    root = root or Path.cwd()
    paths = markdown_files(sources)
    stems = _stems(paths)
    where = {p.resolve(): stem for p, stem in stems.items()}
    done: dict[Path, tuple[str, Imported]] = {}
    for path in paths:
        shown = _shown(path, root)
        text, notes = read(path, shown)
        result.diagnostics.extend(notes)
        if text is not None:
            imported = convert(shown, stems[path], parse(text), _resolver(path, where))
            done[path] = (shown, imported)
    anchors = {stems[path]: anchors_of(imported.data) for path, (_, imported) in done.items()}
    for path, (shown, imported) in done.items():
        _check_links(shown, imported, anchors)
        result.diagnostics.extend(imported.notes)
        _write(out / f"{stems[path]}.yaml", path, shown, imported, result, force=force, root=root)
    return result


def _stems(paths: list[Path]) -> dict[Path, str]:
    """Each file's runbook id: its name, numbered when two files of one name meet."""
    stems: dict[Path, str] = {}
    for path in paths:
        name = slug(path.stem, "imported")
        stem, n = name, 1
        while stem in stems.values():
            n += 1
            stem = f"{name}-{n}"
        stems[path] = stem
    return stems


def _resolver(path: Path, where: dict[Path, str]) -> Callable[[str], str | None]:
    """The runbook of the file a relative link of *path* names, if that file is imported too
    (*where*: each imported file's resolved path and runbook id)."""

    def resolve(target: str) -> str | None:
        if not target or "://" in target or target.startswith("/"):
            return None
        return where.get((path.parent / unquote(target)).resolve())

    return resolve


def _check_links(shown: str, imported: Imported, anchors: dict[str, set[str]]) -> None:
    """A link to another imported runbook's part that runbook does not have links to it whole."""
    for link in imported.data.get("links", ()):
        part = link.get("procedure")
        if part is not None and part not in anchors.get(link["runbook"], set()):
            del link["procedure"]
            message = (
                f"the link to {link['runbook']}#{part} goes to the runbook: it has no part {part!r}"
            )
            line = imported.link_lines.get(link["id"], 0)
            imported.notes.append(make(shown, line, 1, "RB915", message))


def _write(
    target: Path,
    path: Path,
    shown: str,
    imported: Imported,
    result: Imports,
    *,
    force: bool,
    root: Path,
) -> None:
    if target.exists() and not force:
        message = f"{_shown(target, root)} exists: left as it is (use --force to replace it)"
        result.diagnostics.append(make(shown, 0, 0, "RB911", message))
        return
    written = dump(imported.data, header=header(shown))
    if len(written.encode()) > LOADED_BYTES:
        size = len(written.encode())
        message = f"the runbook would be {size:,} bytes, over the {LOADED_BYTES:,} a runbook file may have: split the source"
        result.diagnostics.append(make(shown, 0, 0, "RB001", message))
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(written, encoding="utf-8")
    result.written[target] = path


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
