"""The `runbookgen` command: thin wrappers over the pipeline stages."""

from __future__ import annotations

from pathlib import Path

import click

from generator.diagnostics import has_errors
from generator.project import load_site
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
