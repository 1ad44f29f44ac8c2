"""The `runbookgen` command: thin wrappers over the pipeline stages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from generator.audience import AUDIENCES, for_audience
from generator.diagnostics import has_errors
from generator.output import write_tree
from generator.project import load_site
from generator.render import render_site
from generator.reporters import REPORTERS

DEFAULT_SOURCES = (Path("runbooks"),)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="runbookgen")
def main() -> None:
    """Turn YAML incident runbooks into a searchable static site, and check them in CI."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
def check(paths: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Validate runbooks: YAML, schema and cross-references.

    Exit status: 0 clean, 1 problems found, 2 usage error.

    \b
    Example:
        runbookgen check runbooks/ --format github
    """
    site = load_site(paths or DEFAULT_SOURCES)
    output = REPORTERS[fmt](site.diagnostics, strict=strict)
    if output:
        click.echo(output)
    raise SystemExit(1 if has_errors(site.diagnostics, strict=strict) else 0)


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default="internal",
    show_default=True,
    help="`public` leaves out everything marked internal.",
)
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), help="Date for review banners (default: today)."
)
def render(out: Path, paths: tuple[Path, ...], audience: str, today: dt.datetime | None) -> None:
    """Write the generated Markdown pages into OUT, for any MkDocs-compatible engine.

    OUT is replaced as a whole, and only if every runbook is valid.

    \b
    Example:
        runbookgen render build/docs runbooks/ --audience public
    """
    site = load_site(paths or DEFAULT_SOURCES)
    if has_errors(site.diagnostics):
        click.echo(REPORTERS["text"](site.diagnostics), err=True)
        raise SystemExit(1)
    pages = render_site(
        for_audience(site, audience), today=(today.date() if today else dt.date.today())
    )
    try:
        write_tree(out, pages)
    except OSError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {len(pages)} page(s) to {out}")
