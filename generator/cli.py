"""The `runbookgen` command: thin wrappers over the pipeline stages.

Stages only one command needs (diff, scaffolding, rendering, MkDocs) are imported inside it:
`check` runs in every commit hook and CI job, and starts faster without them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator.checks import DEFAULT_MAX_AGE, run_checks
from generator.core.audience import AUDIENCES, for_audience
from generator.diagnostics import has_errors
from generator.reporters import REPORTERS
from generator.run.cache import DEFAULT_DIR as DEFAULT_CACHE
from generator.run.cache import Cache
from generator.run.project import check_site, load_site, with_shared_files
from generator.run.workers import loaded_then_frozen

DEFAULT_SOURCES = (Path("runbooks"),)


F = TypeVar("F", bound=Callable[..., Any])


def _report_format(help_text: str) -> Callable[[F], F]:
    """`--format text|github|json`: how diagnostics are printed (`reporters`)."""
    option: Callable[[F], F] = click.option(
        "--format",
        "fmt",
        type=click.Choice(sorted(REPORTERS)),
        default="text",
        show_default=True,
        help=help_text,
    )
    return option


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="runbookgen")
def main() -> None:
    """Turn YAML incident runbooks into a searchable static site, and check them in CI."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_report_format("Output format.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Worker processes for large projects (0: one per CPU, 1: none).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help=f"Load every file again instead of reusing results from {DEFAULT_CACHE}/.",
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Date to judge review dates by, YYYY-MM-DD.  [default: today]",
)
@click.option(
    "--max-age",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_AGE,
    show_default=True,
    metavar="DAYS",
    help="Warn when `last_reviewed` is older than this.",
)
@click.option(
    "--site",
    "built_site",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also check every internal link and anchor of the site built in DIR.",
)
def check(
    paths: tuple[Path, ...],
    fmt: str,
    strict: bool,
    jobs: int,
    no_cache: bool,
    today: dt.datetime | None,
    max_age: int,
    built_site: Path | None,
) -> None:
    """Validate runbooks: YAML, schema and cross-references; then review dates, possible
    secrets, undeclared placeholders, typographic characters in commands (curly quotes, dashes,
    no-break spaces) and link syntax (nothing is fetched).

    A file checked alone is checked with the contacts and severity schemes defined beside it
    and in runbooks/, which it refers to; only its own problems are reported.

    Documented fake credentials go in .runbookgen-allow: one literal or `regex:` pattern a line.
    Exit status: 0 clean, 1 problems found (warnings too, with --strict), 2 usage error.

    \b
    Example:
        runbookgen check runbooks/ --format github
        runbookgen check --strict --site site/
    """
    cache = None if no_cache else Cache.open(DEFAULT_CACHE)
    sources, shown = with_shared_files(paths or DEFAULT_SOURCES, sources=DEFAULT_SOURCES[0])
    checked = check_site(sources, jobs=jobs, cache=cache)
    date = today.date() if today else dt.date.today()
    found = run_checks(checked, today=date, max_age=max_age, built_site=built_site)
    diagnostics = sorted(
        d for d in [*checked.diagnostics, *found] if shown is None or d.path in shown
    )
    output = REPORTERS[fmt](diagnostics, strict=strict)
    if output:
        click.echo(output)
    raise SystemExit(1 if has_errors(diagnostics, strict=strict) else 0)


def _pages_options(f: F) -> F:
    """OUT (a folder), the runbooks, the audience and the date: what `render` and `zensical`
    make pages of."""
    return click.argument("out", type=click.Path(file_okay=False, path_type=Path))(
        _runbooks_options(f)
    )


def _runbooks_options(f: F) -> F:
    """The runbooks, the audience and the date: what the pages (or the go-bag) are made of."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path)),
        click.option(
            "--audience",
            type=click.Choice(AUDIENCES),
            default="internal",
            show_default=True,
            help="`public` leaves out everything marked internal.",
        ),
        click.option(
            "--today",
            type=click.DateTime(["%Y-%m-%d"]),
            help="Date for review banners (default: today).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _vendor_dir_option(help_text: str) -> Callable[[F], F]:
    """`--vendor-dir`: where `make vendor` put the scripts a site ships (mermaid)."""
    option: Callable[[F], F] = click.option(
        "--vendor-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("build/vendor"),
        show_default=True,
        help=help_text,
    )
    return option


@main.command()
@_pages_options
def render(out: Path, paths: tuple[Path, ...], audience: str, today: dt.datetime | None) -> None:
    """Write the generated Markdown pages into OUT, for any MkDocs-compatible engine.

    OUT is replaced as a whole, and only if every runbook is valid.

    \b
    Example:
        runbookgen render build/docs runbooks/ --audience public
    """
    from generator.commands.output import write_tree

    _, pages, images = _rendered(paths, audience, today)
    try:
        write_tree(out, pages, images)
    except OSError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {len(pages)} page(s) to {out}")


def _rendered(
    paths: tuple[Path, ...], audience: str, today: dt.datetime | None
) -> tuple[Any, dict[str, str], dict[str, Path]]:
    """The site for *audience*, its pages, and the images they show (page path → file); exit
    1 if a runbook has errors."""
    from generator.render.layout import image_files
    from generator.run.pages import render_site

    site = load_site(paths or DEFAULT_SOURCES)
    if has_errors(site.diagnostics):
        click.echo(REPORTERS["text"](site.diagnostics), err=True)
        raise SystemExit(1)
    shown = for_audience(site, audience)
    pages = render_site(shown, today=(today.date() if today else dt.date.today()))
    images = {
        path: Path(runbook.source.path).parent / src
        for runbook in shown.runbooks
        for path, src in image_files(runbook).items()
    }
    return shown, pages, images


@main.command("zensical")
@_pages_options
@_vendor_dir_option("Where `make vendor` put mermaid.")
@click.option("--site-name", default="Runbooks", show_default=True, help="The site's name.")
def zensical_command(
    out: Path,
    paths: tuple[Path, ...],
    audience: str,
    today: dt.datetime | None,
    vendor_dir: Path,
    site_name: str,
) -> None:
    """Write OUT as a project Zensical builds: the pages, our scripts, mermaid, a mkdocs.yml.

    For life after Material for MkDocs: Zensical runs no plugin, so what the runbooks plugin
    does while MkDocs builds is done here. OUT is replaced as a whole, and only if every
    runbook is valid. Then build it with `zensical build` in OUT (docs/zensical.md lists what
    differs from the MkDocs build).

    \b
    Example:
        runbookgen zensical build/zensical runbooks/ && (cd build/zensical && zensical build)
    """
    from generator.commands.output import write_tree
    from generator.commands.zensical import copies, project

    shown, pages, images = _rendered(paths, audience, today)
    try:
        files = copies(vendor_dir)
        copied = {**{f"docs/{p}": f for p, f in files.items()}}
        copied |= {f"docs/{p}": f for p, f in images.items()}
        write_tree(out, project(shown, pages, site_name=site_name), copied)
    except OSError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(
        f"wrote {len(pages)} page(s) and mkdocs.yml to {out}: build it with `zensical build`"
    )


@main.command("bundle")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_runbooks_options
@click.option("--service", help="Only the runbooks that cover this service (an id).")
@click.option(
    "--mermaid",
    is_flag=True,
    help="Pack mermaid in (1.3 MB) to draw the runbooks' own diagrams, if they have any;"
    " without it they show as source (the incident flow is drawn either way).",
)
@_vendor_dir_option("Where `make vendor` put mermaid (for --mermaid).")
def bundle_command(
    out: Path,
    paths: tuple[Path, ...],
    service: str | None,
    mermaid: bool,
    vendor_dir: Path,
    audience: str,
    today: dt.datetime | None,
) -> None:
    """Write the go-bag: one HTML file, OUT, with the runbooks (of one service, with
    --service), for when the site, the VPN or the CDN is down.

    It opens from disk, on a phone too, and loads nothing else: search, fill-in, copy
    buttons, incident mode and the incident flow work in it (docs/bundle.md). Exit status:
    0 written, 1 a runbook has errors, 2 usage error (an unknown service).

    \b
    Example:
        runbookgen bundle --service postgres postgres-runbooks.html runbooks/
        runbookgen bundle --mermaid all-runbooks.html
    """
    from generator.commands.bundle import UnknownService, make_bundle
    from generator.render.assets import MERMAID, VENDORED

    site = load_site(paths or DEFAULT_SOURCES)
    if has_errors(site.diagnostics):
        click.echo(REPORTERS["text"](site.diagnostics), err=True)
        raise SystemExit(1)
    date = today.date() if today else dt.date.today()
    script = vendor_dir / VENDORED[MERMAID] if mermaid else None
    try:
        html = make_bundle(
            for_audience(site, audience), service=service, today=date, mermaid=script
        )
        out.write_text(html, encoding="utf-8")
    except UnknownService as exc:
        raise click.UsageError(str(exc)) from None
    except FileNotFoundError as exc:
        raise click.UsageError(f"{exc.filename}: no such file: run `make vendor`") from None
    except OSError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {out} ({len(html.encode()) / 1e6:.2f} MB)")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--site-url", required=True, help="Where the site is published: https://runbooks.example.com/"
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="`text`: one `id<TAB>url` line each; `json`: an object id → URL. Alerts a runbook"
    " declares follow as `alert:Name`.",
)
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default="internal",
    show_default=True,
    help="The audience the site was built for (as `audience:` of the plugin).",
)
def urls(paths: tuple[Path, ...], site_url: str, fmt: str, audience: str) -> None:
    """Print the stable URL of every runbook (`runbook-id`) and procedure (`runbook-id#procedure-id`),
    then of every alert a runbook declares (`alert:Name`, `alert:Name{severity="critical"}`).

    URLs come from the page paths and anchors the site is built with, so alerts and
    chat-ops can link straight to a procedure.

    \b
    Example:
        runbookgen urls --site-url https://runbooks.example.com/ --format json
    """
    site = load_site(paths or DEFAULT_SOURCES)
    if has_errors(site.diagnostics):
        click.echo(REPORTERS["text"](site.diagnostics), err=True)
        raise SystemExit(1)
    from generator.commands.urls import alert_links, deep_links

    shown = for_audience(site, audience)
    links = deep_links(shown, site_url) | alert_links(shown, site_url)
    if fmt == "json":
        click.echo(json.dumps(links, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(f"{key}\t{url}" for key, url in links.items()))


@main.group("alerts")
def alerts() -> None:
    """Alerting rules and runbooks: every alert links to the runbook that answers it."""


def _runbooks_option(f: F) -> F:
    option: Callable[[F], F] = click.option(
        "--runbooks",
        "runbook_paths",
        multiple=True,
        type=click.Path(exists=True, path_type=Path),
        help="Runbook files or folders (repeatable).  [default: runbooks/]",
    )
    return option(f)


def _alert_site(runbook_paths: tuple[Path, ...], fmt: str) -> Any:
    """The runbooks' site, or exit: 2 without runbooks, 1 if they do not load cleanly."""
    paths = runbook_paths or DEFAULT_SOURCES
    if not runbook_paths and not DEFAULT_SOURCES[0].is_dir():
        raise click.UsageError("no runbooks/ folder here: give the runbooks with --runbooks")
    # The cache `check` keeps; what the runbooks refer to is `check`'s to judge. The site lives
    # until the command ends: frozen, the collector never walks it again.
    with loaded_then_frozen():
        site = load_site(paths, cache=Cache.open(DEFAULT_CACHE), references=False)
    if has_errors(site.diagnostics):
        click.echo(REPORTERS[fmt]([d for d in site.diagnostics if d.severity == "error"]))
        click.echo("the runbooks have errors: fix them first (`runbookgen check`)", err=True)
        raise SystemExit(1)
    return site


_LEVEL = click.Choice(["error", "warning", "off"])


@alerts.command("check")
@click.argument("rules", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--site-url", help="Where the site is published; URLs under it are checked.")
@_runbooks_option
@_report_format("Output format.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option(
    "--missing-critical",
    type=_LEVEL,
    default="error",
    show_default=True,
    help="A critical alert without runbook_url (RB403).",
)
@click.option(
    "--missing",
    type=_LEVEL,
    default="warning",
    show_default=True,
    help="Any other alert without runbook_url (RB404).",
)
@click.option(
    "--critical",
    multiple=True,
    default=("critical",),
    show_default=True,
    metavar="VALUE",
    help="A `severity` label value that makes an alert critical (repeatable).",
)
def alerts_check(
    rules: tuple[Path, ...],
    site_url: str | None,
    runbook_paths: tuple[Path, ...],
    fmt: str,
    strict: bool,
    missing_critical: str,
    missing: str,
    critical: tuple[str, ...],
) -> None:
    """Check Prometheus rule files (and PrometheusRule objects) against the runbooks.

    Every alerting rule should have a `runbook_url`; under --site-url it must name a runbook
    page, and its `#anchor` one of the page's. Each alert a runbook declares (`alerts:`) must be
    defined by a rule, and declared once. URLs to other sites are left alone; templates
    (`{{ $labels.x }}`) are read as patterns. Nothing is fetched.
    Exit status: 0 clean, 1 problems found (warnings too, with --strict), 2 usage error.

    \b
    Example:
        runbookgen alerts check rules/ --site-url https://runbooks.example.com/ --format github
    """
    from generator.commands.alerts.check import Options, check_alerts

    site = _alert_site(runbook_paths, fmt)
    options = Options(site_url, missing_critical, missing, critical)
    diagnostics = check_alerts(list(rules), site, options)
    output = REPORTERS[fmt](diagnostics, strict=strict)
    if output:
        click.echo(output)
    raise SystemExit(1 if has_errors(diagnostics, strict=strict) else 0)


@alerts.command("annotate")
@click.argument("rules", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--site-url", required=True, help="Where the site is published.")
@_runbooks_option
@click.option("--check", "dry_run", is_flag=True, help="Print the changes; write nothing.")
@click.option("--keep-other-sites", is_flag=True, help="Leave a URL to another site as it is.")
def alerts_annotate(
    rules: tuple[Path, ...],
    site_url: str,
    runbook_paths: tuple[Path, ...],
    dry_run: bool,
    keep_other_sites: bool,
) -> None:
    """Write or correct the `runbook_url` of every alert a runbook declares (`alerts:`).

    Only those values change (an `annotations:` mapping is added to a rule without one):
    comments, order, quoting and indentation stay as they are. A URL the check finds right
    (a template that fits the page too) is left alone; so is one to another site, with
    --keep-other-sites.
    Exit status: 0 done (or, with --check, nothing to change), 1 changes to make (--check)
    or a file that could not be read or written, 2 usage error.

    \b
    Example:
        runbookgen alerts annotate rules/ --site-url https://runbooks.example.com/ --check
    """
    from generator.commands.alerts.annotate import annotate

    site = _alert_site(runbook_paths, "text")
    done = annotate(list(rules), site, site_url, keep_other_sites=keep_other_sites)
    problems = sorted(d for file in done for d in file.diagnostics)
    changed = [file for file in done if file.after != file.before]
    for file in changed:
        if dry_run:
            click.echo(file.diff(), nl=False)
        else:
            Path(file.path).write_bytes(file.data())
            click.echo(f"{file.path}: runbook_url written for {len(file.alerts)} alert(s)")
    if problems:
        click.echo(REPORTERS["text"](problems), err=True)
    raise SystemExit(1 if has_errors(problems) or (dry_run and changed) else 0)


@main.command("diff")
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="Output format.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when something changed.")
def diff_command(base: str | None, head: str | None, fmt: str, exit_code: bool) -> None:
    """Summarise what changed in runbooks/ between BASE and HEAD, for a pull-request comment.

    BASE defaults to where this branch left the default branch (origin/HEAD, main or master),
    HEAD to the working tree. Only runbooks that changed are listed. Exit status: 0 (1 with
    --exit-code when something changed), 2 outside a git repository or for an unknown revision.

    \b
    Example:
        runbookgen diff origin/main > runbook-changes.md
    """
    from generator.commands.diff import DiffError, diff_revisions, to_json, to_markdown

    try:
        report = diff_revisions(base, head)
    except DiffError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(to_json(report) if fmt == "json" else to_markdown(report), nl=False)
    raise SystemExit(1 if exit_code and report.changed else 0)


@main.command("new")
@click.argument("runbook_id", metavar="ID")
@click.option("--service", help="Service the runbook covers (an id); also names its folder.")
@click.option("--owner", help="Id of the owning contact.  [default: the first contact defined]")
@click.option("--title", help="Page title.  [default: from the id]")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to create.  [default: runbooks/<service or ID>/<ID>.yaml]",
)
def new_command(
    runbook_id: str, service: str | None, owner: str | None, title: str | None, output: Path | None
) -> None:
    """Create a runbook ID from a template that passes `runbookgen check` as it is.

    The owner, contacts and severity scheme refer to those already defined in runbooks/.
    An existing file is never overwritten.

    \b
    Example:
        runbookgen new db-connections --service postgres --owner platform-team
    """
    from generator.commands.new import ScaffoldError, create_runbook

    try:
        path = create_runbook(
            runbook_id,
            sources=DEFAULT_SOURCES[0],
            today=dt.date.today(),
            output=output,
            service=service,
            owner=owner,
            title=title,
        )
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"created {path}: fill it in, then run `runbookgen check`")


@main.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_SOURCES[0],
    show_default=True,
    help="Folder for the runbook files.",
)
@click.option("--force", is_flag=True, help="Replace runbook files that exist.")
@_report_format("How the notes are printed.")
def import_command(sources: tuple[Path, ...], out: Path, force: bool, fmt: str) -> None:
    """Turn Markdown runbooks (files, or folders of them) into runbook files in OUT.

    Structure is mapped where it is clear: headings to phases, steps and procedures (an alert
    runbook's Meaning / Impact / Diagnosis / Mitigation to a procedure for the alert), code
    blocks to commands, task lists to checklists, tables to tables (a severity table to the
    severity scheme), admonitions and quotes to callouts. What could not be mapped is kept as
    text at its place and noted (`SOURCE:LINE: note RB9xx ...`). `{{ }}` is never evaluated.
    A file that exists is never replaced without --force.

    Exit status: 0 imported (notes are for a person to look at), 1 a source could not be read
    or an output exists.

    \b
    Example:
        runbookgen import docs/runbooks/ --out runbooks/imported/
    """
    from generator.commands.importer.sources import import_files

    done = import_files(list(sources), out, force=force)
    output = REPORTERS[fmt](sorted(done.diagnostics))
    if output:
        click.echo(output)
    click.echo(f"wrote {len(done.written)} runbook file(s) to {out}", err=True)
    raise SystemExit(1 if has_errors(done.diagnostics) else 0)
