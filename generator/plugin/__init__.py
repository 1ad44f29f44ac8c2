"""The MkDocs plugin `runbooks`: an adapter that feeds the pipeline's pages to MkDocs.

It loads and checks the runbooks when the config is read (a bad runbook fails the
build with `path:line:col` lines, no traceback), adds the rendered pages in
`on_files`, builds the navigation nested by service, and watches the sources.
What the pages load (own assets, vendored mermaid) and search tuning: `plugin_assets`.
The pages reach MkDocs as HTML made from the model, and are put through the theme in worker
processes: `plugin_pages`.

Under `mkdocs serve --dirty` (`make serve`) it stays across rebuilds and rebuilds only what
an edit changed: `plugin_serve`.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cache, partial
from pathlib import Path
from typing import Any, Literal

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from generator.core.audience import AUDIENCES, for_audience
from generator.core.model import Positions, Runbook, Site
from generator.core.validate import schema_path
from generator.diagnostics import Severity
from generator.plugin.assets import (
    SearchEntries,
    add_files,
    add_scripts,
    load_mermaid,
    search_separator,
    use_search_worker,
    vendored_files,
)
from generator.plugin.pages import Prerendered, convert_pages, take_html
from generator.plugin.serve import LiveEdits
from generator.render.html import Href, HtmlPage, render_inputs_html, render_site_wide_html
from generator.render.layout import image_files, service_path
from generator.render.markdown import page_path, render_inputs, render_site_wide
from generator.run.cache import DEFAULT_DIR as DEFAULT_CACHE
from generator.run.cache import Cache
from generator.run.pages import PageRenderer, render_pages
from generator.run.project import load_site
from generator.run.workers import freeze, loaded_then_frozen, unfreeze

log = get_plugin_logger(__name__)
# Material writes the navigation into every page; pruned, a page still lists every section
# on its path: above this many services they are grouped by initial.
MAX_NAV_SERVICES = 40
# Generated pages that only gather what runbook pages say: one search entry each, not their text.
CATALOGUES = {
    "symptoms.md": ("Symptom index", "Every symptom of every procedure, A to Z."),
    "escalation.md": ("Escalation", "Who to page for each runbook, and when to escalate."),
    "alerts.md": ("Alert index", "Every alert a runbook answers, and where it leads."),
}


class RunbooksConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options under `plugins: - runbooks:` in mkdocs.yml."""

    sources = c.Type(str, default="runbooks")
    today = c.Optional(c.Type(str))
    nav = c.Type(bool, default=True)
    audience = c.Choice(AUDIENCES, default="internal")
    # Prometheus rule files (or folders of them): the alert index shows their severities.
    alert_rules = c.ListOfItems(c.Type(str), default=[])
    # mermaid and the iframe-worker shim, shipped with the site (`make vendor` fills it).
    vendor_dir = c.Type(str, default="build/vendor")
    # Reuse what `runbookgen check` and earlier builds loaded (.cache/runbookgen/).
    cache = c.Type(bool, default=True)
    # Worker processes rendering the pages, putting them through the theme and making the
    # runbooks' search index (0: one per CPU; 1: none).
    jobs = c.Type(int, default=0)
    # Generated pages as HTML straight from the model (3 ms a runbook page), not Markdown
    # converted by MkDocs (30 ms): false only if a Markdown extension or plugin must see them.
    html_pages = c.Type(bool, default=True)


def _by_initial(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Services grouped by their initial, so no page lists every service of a large site."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in services:
        name = next(iter(entry))
        initial = name[:1].upper() if name[:1].isalnum() else "#"
        groups.setdefault(initial, []).append(entry)
    return [{initial: entries} for initial, entries in groups.items()]


def _urls(config: MkDocsConfig) -> Callable[[str], str]:
    """A generated page's URL by its path, as MkDocs will give it."""

    @cache
    def url(path: str) -> str:
        return File(path, None, "", config.use_directory_urls).url

    return url


def _links(config: MkDocsConfig) -> tuple[Href, Href]:
    """Links in pages given as HTML, as MkDocs writes those of Markdown pages (relative URLs of
    the built pages): to a runbook's page by its id, and to a generated page by its path."""
    url = _urls(config)

    def link(path: str, page: str) -> str:
        return get_relative_url(url(path), url(page))

    def href(runbook_id: str, page: str) -> str:
        return link(page_path(runbook_id), page)

    return href, link


class RunbooksPlugin(BasePlugin[RunbooksConfig]):  # type: ignore[no-untyped-call]
    """Generate one page per runbook, plus the home page and the indexes."""

    def __init__(self) -> None:
        self.site: Site | None = None
        self.pages: dict[str, str] = {}
        self.html: dict[str, HtmlPage] = {}  # the pages given as HTML, content left out
        self.sources: dict[str, str] = {}
        self.vendored: dict[str, Path] = {}
        self.runbook_pages: dict[str, Runbook] = {}
        self.generated: list[str] = []  # the generated pages: site-wide first, then runbooks
        self.search = SearchEntries()
        self.live: LiveEdits | None = None  # kept across the rebuilds of `mkdocs serve --dirty`
        self.serving = False
        self.nav: Navigation | None = None
        self.todo: list[Page] = []  # the generated pages this build makes
        self.prerendered = Prerendered()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining this keeps the plugin across the rebuilds of `mkdocs serve`.
        self.serving = command == "serve"
        if command == "serve" and dirty:
            self.live = LiveEdits(pending=Path(tempfile.mkdtemp(prefix="runbookgen-serve-")))

    def on_shutdown(self) -> None:
        if self.live:
            shutil.rmtree(self.live.pending, ignore_errors=True)

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = self._root(config)
        sources = root / self.config.sources
        if not sources.is_dir():
            raise PluginError(
                f"runbooks: no directory {sources} (set `sources:` of the runbooks plugin)"
            )
        with loaded_then_frozen():  # the site lives until the build ends
            self.site = self._load(root)
        self.sources = {r.id: r.source.path for r in self.site.runbooks}
        self.runbook_pages = {page_path(r.id): r for r in self.site.runbooks}
        self.search = SearchEntries(contacts=self.site.contacts)
        if not self.live:
            url = _urls(config)
            runbooks = {url(path): runbook for path, runbook in self.runbook_pages.items()}
            self.search.start(runbooks, search_separator(config), jobs=self.config.jobs)
        today = dt.date.fromisoformat(self.config.today) if self.config.today else dt.date.today()
        self._render(config, today)
        if self.live:
            self.live.configure(config)
        self.vendored = vendored_files(root / self.config.vendor_dir)
        add_scripts(config)
        return config

    def _render(self, config: MkDocsConfig, today: dt.date) -> None:
        """Every generated page's source into `pages`; those given as HTML also into `html`."""
        assert self.site is not None
        page: PageRenderer[str | HtmlPage] = render_inputs
        site_wide: Callable[..., Mapping[str, str | HtmlPage]] = render_site_wide
        if self.config.html_pages:
            href, link = _links(config)
            page = partial(render_inputs_html, href=href, link=link)
            site_wide = partial(render_site_wide_html, href=href, link=link)
        rendered = render_pages(
            self.site,
            page=page,
            site_wide=site_wide,
            today=today,
            sources=self.sources,
            jobs=self.config.jobs,
            kept=self.live.rendered if self.live else None,
        )
        self.pages, self.html = {}, {}
        for path, made in {**rendered.site_wide, **rendered.runbooks}.items():
            if isinstance(made, HtmlPage):
                self.pages[path] = made.front_matter() + made.content
                self.html[path] = replace(made, content="")  # the file holds it
            else:
                self.pages[path] = made

    def _load(self, root: Path) -> Site:
        """The checked site, for the configured audience; a `PluginError` if it has errors."""
        cwd = Path.cwd()
        # Paths in diagnostics are relative to the project, as `runbookgen check` prints them.
        os.chdir(root)
        try:
            cache = None
            if self.config.cache:
                cache = self.live.cache(DEFAULT_CACHE) if self.live else Cache.open(DEFAULT_CACHE)
            site = load_site([Path(self.config.sources)], cache=cache)
        finally:
            os.chdir(cwd)
        errors = [d for d in site.diagnostics if d.severity is Severity.ERROR]
        for d in site.diagnostics:
            (log.error if d.severity is Severity.ERROR else log.warning)(str(d))
        if errors:
            raise PluginError(
                f"{len(errors)} runbook error(s); fix them and build again:\n"
                + "\n".join(map(str, errors))
            )
        # Positions only point diagnostics at their lines: 75 KB a runbook the build can drop.
        site = replace(
            site,
            runbooks=tuple(replace(r, positions=Positions()) for r in site.runbooks),
            alert_severity=self._alert_severity(root),
        )
        return for_audience(site, self.config.audience)

    def _alert_severity(self, root: Path) -> dict[str, str]:
        """Each alert's severity, as the rule files of `alert_rules:` say it."""
        if not self.config.alert_rules:
            return {}
        from generator.commands.alerts.check import read_all

        files = read_all([root / path for path in self.config.alert_rules])
        errors = [d for f in files for d in f.diagnostics if d.severity is Severity.ERROR]
        if errors:
            raise PluginError("alert_rules: " + "\n".join(map(str, errors)))
        said: dict[str, list[str]] = {}
        for rule in (rule for f in files for rule in f.rules):
            if rule.severity and rule.severity not in said.setdefault(rule.name, []):
                said[rule.name].append(rule.severity)
        return {name: ", ".join(severities) for name, severities in said.items() if severities}

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.generated = []
        for path, markdown in self.pages.items():
            if path == "index.md" and files.get_file_from_path(path) is not None:
                continue  # the project's own home page wins
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"runbooks: {config.docs_dir}/{path} would be overwritten by a generated page: rename it"
                )
            generated = File.generated if self.live is None else self.live.page
            files.append(generated(config, path, content=markdown))
            self.generated.append(path)
        # Published at a stable URL so editors can point their modeline at the site.
        schema = schema_path().read_bytes()
        files.append(File.generated(config, "schemas/runbook.schema.json", content=schema))
        add_files(files, config, self.vendored)
        self._add_images(files, config)
        self._set_edit_uris(files, config)
        if self.config.nav and not config.nav:
            config.nav = self._nav(files)
        self.pages = {}  # the files hold the Markdown now
        return files

    def _add_images(self, files: Files, config: MkDocsConfig) -> None:
        """Each runbook's images, copied from beside its file (`check` found each there)."""
        assert self.site is not None
        root = self._root(config)
        for runbook in self.site.runbooks:
            base = (root / runbook.source.path).parent
            for path, src in image_files(runbook).items():
                files.append(File.generated(config, path, abs_src_path=str(base / src)))

    def _set_edit_uris(self, files: Files, config: MkDocsConfig) -> None:
        docs = Path(config.docs_dir).resolve()
        root = self._root(config).resolve()
        for runbook_id, source in self.sources.items():
            file = files.get_file_from_path(page_path(runbook_id))
            if file is not None:
                file.edit_uri = Path(os.path.relpath(root / source, docs)).as_posix()

    def _catalogues(self) -> dict[str, tuple[str, str]]:
        """The catalogue pages and the services' pages: one search entry each."""
        assert self.site is not None
        services = {
            service_path(service): (
                service,
                f"Who to reach for {service}, its symptoms and alerts.",
            )
            for service in self.site.services()
        }
        return {**CATALOGUES, **services}

    def _nav(self, files: Files) -> list[Any]:
        assert self.site is not None
        services = [
            {
                html.escape(service): [
                    {"Overview": service_path(service)},
                    *({html.escape(r.title): page_path(r.id)} for r in runbooks),
                ]
            }
            for service, runbooks in self.site.services().items()
        ]
        if len(services) > MAX_NAV_SERVICES:
            services = _by_initial(services)
        generated = set(self.pages)
        guides = sorted(
            f.src_uri for f in files.documentation_pages() if f.src_uri not in generated
        )
        nav: list[Any] = [
            {"Home": "index.md"},
            {"Runbooks": services},
            {
                "Reference": [
                    {"Severity levels": "severity.md"},
                    {"Escalation": "escalation.md"},
                    {"Symptom index": "symptoms.md"},
                    {"Alert index": "alerts.md"},
                    {"Diagnostics": "diagnostics.md"},
                    {"Runbook format": "format.md"},
                ]
            },
        ]
        if guides:
            nav.append({"Guides": guides})
        return nav

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        # Every generated page's search entries, built this time or not (a dirty build).
        self.search.pages = [file.url for file in files.documentation_pages()]
        for path, runbook in self.runbook_pages.items():
            if file := files.get_file_from_path(path):
                self.search.add_runbook(runbook, file.url)
        for path, (title, text) in self._catalogues().items():
            if (file := files.get_file_from_path(path)) and file.generated_by:
                self.search.add_catalogue(file.url, title, text)
        # Pages MkDocs will build (in a dirty build: the modified ones): those made as HTML
        # given it, the others converted beforehand, the largest (site-wide) first.
        found = [files.get_file_from_path(path) for path in self.generated]
        self.todo = [f.page for f in found if f and f.page and (not self.live or f.is_modified())]
        markdown = [page for page in self.todo if not take_html(page, self.html)]
        # Pages and navigation live until the build ends too (see on_config); frozen, they are
        # left alone by the collector, and a worker copies fewer of their memory pages.
        freeze()
        convert_pages(markdown, config, files, self.config.jobs)
        self.nav = nav
        return nav

    @event_priority(-100)  # last: the workers see the environment as every plugin left it
    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        if self.live:
            env.bytecode_cache = self.live.bytecode
        assert self.nav is not None
        inclusion = InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included
        freeze()  # what reading the pages made, as in on_nav
        self.prerendered.start(
            self.todo,
            config=config,
            documents=files.documentation_pages(inclusion=inclusion),
            nav=self.nav,
            env=env,
            jobs=self.config.jobs,
        )
        self.todo = []
        return env

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self.search.built(page)
        return markdown

    @event_priority(50)  # before Material's search, which cleans a page's HTML again (1 ms)
    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        # A page put through the theme in a worker needs its HTML no more, unless to be
        # indexed: Material's search indexes it here (our index has the runbook pages).
        if self.prerendered.holds(page) and (page.meta.get("search") or {}).get("exclude"):
            page.content = ""
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if self.live:
            self.live.page_built(page)
        return load_mermaid(use_search_worker(output), page.url)

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        return use_search_worker(output_content)  # 404.html has the search box too

    @event_priority(-50)  # after search wrote its index (0), before offline inlines it (-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        unfreeze()
        self.prerendered.close()
        index = Path(config.site_dir) / "search" / "search_index.json"
        if self.live:
            self.live.finish(self.search, index)
        else:
            self.search.apply(index)
        self.search.stop()  # search off: nothing took it

    def on_build_error(self, *, error: Exception) -> None:
        unfreeze()
        self.prerendered.close()
        self.search.stop()

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self._root(config) / self.config.sources))
        if self.live:
            self.live.watch(server)
        return server
