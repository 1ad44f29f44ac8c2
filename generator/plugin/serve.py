"""Live editing for the MkDocs plugin: what `mkdocs serve --dirty` (`make serve`) keeps
between rebuilds so that saving one runbook shows its page in about a second at 1,000.

- Unchanged files give the very objects they gave last time (`RememberingCache`), so
  runbooks are compared in an instant and rendered again only where their inputs changed
  (`generator.run.pages.Kept`).
- A generated page counts as modified only if its source (Markdown, or HTML) differs from what
  was last built into the site directory (`GeneratedPage`), so MkDocs builds only those.
- While runbooks change, the site-wide pages (home, symptoms, escalation) and the search index
  are left as they were, and a follow-up rebuild is asked for at once (a file this module
  touches in a watched directory); that rebuild, with no runbook changed, catches them up.
- Material's search plugin indexes only the pages of a dirty build: the other pages' entries
  are kept from earlier builds.
- The theme's templates are compiled once (a Jinja bytecode cache in memory), and the static
  ones (404, sitemap) left as they were while runbooks change.

As in any dirty MkDocs build, the navigation of pages not rebuilt is left as it was.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from generator.plugin.assets import Doc, SearchEntries
from generator.run.cache import Cache
from generator.run.pages import Kept


class GeneratedPage(File):
    """A generated page. In a dirty build it counts as modified only if its source differs
    from what was last built into the site directory (`built`)."""

    built: Mapping[str, str | bytes] = {}

    @classmethod
    def of(
        cls, config: MkDocsConfig, path: str, markdown: str, built: Mapping[str, str | bytes]
    ) -> GeneratedPage:
        file = cls.generated(config, path, content=markdown)
        assert isinstance(file, cls)
        file.built = built
        return file

    def is_modified(self) -> bool:
        dest = self.abs_dest_path
        return self.built.get(dest) != self.content_string or not os.path.isfile(dest)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory (Jinja checks each against its source)."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.codes.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


@dataclass
class RememberingCache(Cache):
    """The cache, answering first from what the last load took from it (*earlier*); what
    this load takes is in *memory*."""

    earlier: dict[str, object] = field(default_factory=dict, compare=False)
    memory: dict[str, object] = field(default_factory=dict, compare=False)

    def get(self, key: str) -> object | None:
        value = self.earlier.get(key)
        if value is None:
            value = super().get(key)
        else:
            self.hits += 1
        if value is not None:
            self.memory[key] = value
        return value


@dataclass
class LiveEdits:
    """What the plugin keeps from one dirty rebuild to the next; *pending* is a directory
    the server watches, touched to ask for the follow-up rebuild."""

    pending: Path
    rendered: Kept[Any] = field(default_factory=Kept)
    built: dict[str, str | bytes] = field(default_factory=dict)
    search_docs: dict[str, list[Doc]] = field(default_factory=dict)
    search_index: str = ""
    watched: bool = False
    bytecode: MemoryBytecodeCache = field(default_factory=MemoryBytecodeCache)
    remembered: RememberingCache | None = None

    def cache(self, root: Path) -> Cache:
        """The cache for this build's load, remembering the last load's results."""
        opened = Cache.open(root)
        earlier = self.remembered.memory if self.remembered else {}
        self.remembered = RememberingCache(opened.root, opened.tool, earlier=earlier)
        return self.remembered

    def configure(self, config: MkDocsConfig) -> None:
        """After rendering: while runbooks change, leave the 404 page and sitemap alone."""
        if self.rendered.stale:
            config.theme.static_templates.clear()

    def page(self, config: MkDocsConfig, path: str, *, content: str) -> File:
        return GeneratedPage.of(config, path, content, self.built)

    def page_built(self, page: Page) -> None:
        if isinstance(page.file, GeneratedPage):
            self.built[page.file.abs_dest_path] = page.file.content_string

    def watch(self, server: Any) -> None:
        self.pending.mkdir(parents=True, exist_ok=True)
        server.watch(str(self.pending))
        self.watched = True

    def finish(self, search: SearchEntries, index_file: Path) -> None:
        """After a build: the search index, and the follow-up rebuild if pages were left."""
        if self.rendered.stale and self.search_index and index_file.is_file():
            search.keep_others(index_file, self.search_docs)
            index_file.write_text(self.search_index, encoding="utf-8")
            if self.watched:
                (self.pending / "site-wide").write_text(str(time.time_ns()), encoding="utf-8")
        else:
            self.search_index = search.apply(index_file, kept=self.search_docs) or ""
