"""A built site: every internal link and anchor of its HTML must resolve (RB330, RB331)."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.core.loader import display_path
from generator.diagnostics import Diagnostic, make


class _Page(HTMLParser):
    """The ids of one HTML page, and its links with their positions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in ("href", "src"):
                self.links.append((value, line, offset + 1))


def check_built_site(root: Path) -> list[Diagnostic]:
    """Every relative link of every .html page under *root* that leads to no file, or to no
    element with the fragment's id; external links (with a scheme or a host) are skipped."""
    top = root.resolve()
    found: list[Diagnostic] = []
    pages = {path.resolve(): (path, _parse(path, found)) for path in sorted(root.rglob("*.html"))}
    ids = {path: page.ids for path, (_, page) in pages.items()}
    for resolved, (path, page) in pages.items():
        for href, line, col in page.links:
            problem = _link_problem(href, resolved, top, ids)
            if problem is not None:
                code, message = problem
                found.append(make(display_path(path), line, col, code, message))
    return found


def _parse(path: Path, found: list[Diagnostic]) -> _Page:
    page = _Page()
    try:
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
    except OSError as exc:
        found.append(make(display_path(path), 0, 0, "RB001", f"cannot read: {exc.strerror}"))
    page.close()
    return page


def _link_problem(
    href: str, page: Path, root: Path, ids: dict[Path, set[str]]
) -> tuple[str, str] | None:
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return "RB330", f"link {href!r} is malformed: fix it in its source"
    if parts.scheme or parts.netloc:
        return None  # http(s), mailto, tel, data: not a file of this site
    target = _target(page, root, unquote(parts.path))
    if target is None:
        return "RB330", f"link {href!r} leads outside the site: make it relative to the page"
    if not target.is_file():
        shown = target.relative_to(root).as_posix()
        return "RB330", f"link {href!r}: {shown} is not in the site: fix the link in its source"
    fragment = unquote(parts.fragment)
    if fragment and target in ids and fragment not in ids[target]:
        shown = target.relative_to(root).as_posix()
        return "RB331", f"link {href!r}: {shown} has no element with id {fragment!r}"
    return None


def _target(page: Path, root: Path, path: str) -> Path | None:
    """The file a link's path names (a folder's index.html), or None outside *root*."""
    if not path:
        return page
    base = root if path.startswith("/") else page.parent
    target = Path(os.path.normpath(base / path.lstrip("/")))
    if not target.is_relative_to(root):
        return None
    return target / "index.html" if target.is_dir() or path.endswith("/") else target
