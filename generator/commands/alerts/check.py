"""`runbookgen alerts check`: every alerting rule links to a runbook page that exists, and
every alert a runbook declares is one a rule defines, declared once.

Nothing is fetched: the site's pages and anchors are known from the runbooks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.core.loader import display_path, iter_yaml_files
from generator.core.model import Site
from generator.diagnostics import Diagnostic, Severity, make
from generator.run.workers import collector_paused

from .links import Declaration, Judgement, Links, Verdict
from .rules import Rule, RuleFile, read_rules

# What a missing `runbook_url` is, by option: a severity, or "off" to say nothing.
LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING}


@dataclass(frozen=True)
class Options:
    """How `alerts check` judges: the site's URL (without it, URLs are not judged), how a
    missing `runbook_url` counts, and which `severity` labels are critical."""

    site_url: str | None = None
    missing_critical: str = "error"
    missing: str = "warning"
    critical: tuple[str, ...] = ("critical",)


def read_all(paths: Sequence[Path]) -> list[RuleFile]:
    """Every rule file under *paths* (files, or folders of .yaml/.yml files), read."""
    # Nodes are many small acyclic objects, made beside a loaded site: a collection would walk
    # them all, and the site, again and again (it took 40 % of reading 5,000 rules).
    with collector_paused():
        return [read_rules(p, name=display_path(p)) for p in iter_yaml_files(list(paths))]


def check_alerts(paths: Sequence[Path], site: Site, options: Options) -> list[Diagnostic]:
    """The diagnostics of the rule files under *paths* against the runbooks of *site*."""
    with collector_paused():  # see read_all; judging makes as many objects
        return _check(paths, site, options)


def _check(paths: Sequence[Path], site: Site, options: Options) -> list[Diagnostic]:
    files = read_all(paths)
    links = Links(site, options.site_url)
    found = [d for f in files for d in f.diagnostics]
    rules = [rule for f in files for rule in f.rules]
    for rule in rules:
        found.extend(judged(rule, links.judge(rule), links, options))
    found.extend(twice_declared(links))
    if all(f.read and not f.diagnostics for f in files):  # else a rule may be in what failed
        found.extend(undefined(links, rules))
    return sorted(found)


def judged(
    rule: Rule, judgement: Judgement, links: Links, options: Options
) -> Iterator[Diagnostic]:
    """What is wrong with one rule's `runbook_url`, if anything."""
    verdict, declared = judgement.verdict, judgement.declared
    if verdict is Verdict.MISSING:
        yield from missing(rule, declared, links, options)
        return
    if verdict is Verdict.OK or rule.url is None:
        return
    line, col = rule.url.start[0] + 1, rule.url.start[1] + 1
    url = rule.url.text.strip()
    if verdict is Verdict.OFF_SITE:
        yield make(rule.path, line, col, "RB410", off_site(rule, url, declared, links))
    elif verdict is Verdict.NO_PAGE:
        yield make(rule.path, line, col, "RB405", no_page(rule, url, declared, links))
    elif verdict is Verdict.NO_ANCHOR and judgement.page is not None:
        procedures = ", ".join(f"#{a}" for a in sorted(links.procedure_anchors(judgement.page)))
        message = (
            f"#{judgement.fragment} is no anchor of runbook {judgement.page.id}'s page"
            f" (its procedures: {procedures or 'none'}): link to one of them, or to the page"
        )
        yield make(rule.path, line, col, "RB406", message + _fix(declared, links))
    elif verdict is Verdict.OTHER_PAGE and declared is not None:
        message = f"{rule.name}'s runbook_url ({url}) is not where runbook {declared.label()}"
        yield make(rule.path, line, col, "RB407", message + " answers it" + _fix(declared, links))


def missing(
    rule: Rule, declared: Declaration | None, links: Links, options: Options
) -> Iterator[Diagnostic]:
    """A rule without `runbook_url`: RB403 if critical, RB404 otherwise, as configured."""
    critical = rule.severity.lower() in {c.lower() for c in options.critical}
    level = options.missing_critical if critical else options.missing
    if level not in LEVELS:
        return
    what = f"critical alert {rule.name}" if critical else f"alert {rule.name}"
    if declared is not None and links.site_url:
        fix = f": runbook {declared.label()} answers it; `runbookgen alerts annotate` writes it"
    elif declared is not None:
        fix = f": runbook {declared.label()} answers it; `runbookgen alerts annotate --site-url URL` writes it"
    else:
        fix = ": add `runbook_url:` under `annotations:`, or declare the alert in the runbook that answers it (`alerts: [...]`)"
    found = make(
        rule.path,
        rule.line,
        rule.col,
        "RB403" if critical else "RB404",
        f"{what} has no runbook_url{fix}",
    )
    yield replace(found, severity=LEVELS[level])


def off_site(rule: Rule, url: str, declared: Declaration | None, links: Links) -> str:
    """The note for a URL on another site: left alone, but is there a runbook here?"""
    message = f"{rule.name}'s runbook_url points at another site ({url}), left alone"
    if declared is None:
        return message + ": no runbook here declares the alert"
    return (
        f"{message}; runbook {declared.label()} answers it: `runbookgen alerts annotate` points"
        f" it at {links.url_of(declared)}"
    )


def no_page(rule: Rule, url: str, declared: Declaration | None, links: Links) -> str:
    message = f"{rule.name}'s runbook_url {url} names no runbook page of {links.site_url}"
    if declared is None:
        return message + ": fix it (`runbookgen urls` lists the site's URLs)"
    return message + _fix(declared, links)


def _fix(declared: Declaration | None, links: Links) -> str:
    if declared is None:
        return ""
    return (
        f"; the runbook's URL is {links.url_of(declared)} (`runbookgen alerts annotate` writes it)"
    )


def twice_declared(links: Links) -> Iterator[Diagnostic]:
    """RB409: the same alert (same labels) declared in two places."""
    for same_name in links.declared.values():
        first: dict[frozenset[tuple[str, str]], Declaration] = {}
        for found in same_name:
            key = frozenset(found.alert.labels.items())
            if key not in first:
                first[key] = found
                continue
            earlier = first[key]
            where = found.runbook.at(*found.path)
            message = (
                f"alert {found.alert.matcher()} is also declared by {earlier.label()}"
                f" ({earlier.runbook.source.path}): an alert links to one runbook; keep one"
                " declaration, or give each its labels (`{name: ..., labels: {severity: critical}}`)"
            )
            yield make(where.path, where.line, where.col, "RB409", message)


def undefined(links: Links, rules: Iterable[Rule]) -> Iterator[Diagnostic]:
    """RB408: an alert a runbook declares that no rule defines (with the labels it names)."""
    defined: dict[str, list[Rule]] = {}
    for rule in rules:
        defined.setdefault(rule.name, []).append(rule)
    for name, declared in links.declared.items():
        for found in declared:
            labels = found.alert.labels.items()
            if any(labels <= rule.labels.items() for rule in defined.get(name, ())):
                continue
            where = found.runbook.at(*found.path)
            message = (
                f"runbook {found.label()} declares alert {found.alert.matcher()}, which no rule"
                " given defines: fix the name (as the rule's `alert:` writes it), or give the"
                " rule file that defines it"
            )
            yield make(where.path, where.line, where.col, "RB408", message)
