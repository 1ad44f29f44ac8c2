"""Stage 5: checks for CI, on the model: what a runbook needs beyond being valid and resolved.

- reviews: `next_review` passed (RB300), `last_reviewed` older than the maximum age (RB301) or
  after today (RB302); "today" is a parameter, so runs are reproducible;
- secrets: every string of every runbook, contacts and severity file is scanned for what looks
  like a real credential (RB310), unless the allow-list says it is a documented fake;
- placeholders: `<name>`, `$NAME` and `${NAME}` in commands must be declared under
  `variables:` (RB320);
- variables: a variable whose pattern lets shell metacharacters or spaces through, used in a
  shell command (the page quotes such a value) or in other code (where it goes in as it is)
  (RB322);
- typography: a command holding a curly quote, a dash, a no-break or invisible space where a
  shell wants ASCII (word processors and chat tools put them there) copies as a command that
  fails (RB321);
- links: external URLs are checked for syntax only, never fetched (RB210); with a built site,
  every internal link and anchor of its HTML must resolve (RB330, RB331);
- titles: two runbooks with one title, which search results cannot tell apart (RB306).

Each family is a module of its own; the allow-list of documented fakes is the secrets'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.checks.common import Finding, SourceLines
from generator.checks.decide import check_left_to_decide
from generator.checks.placeholders import check_placeholders
from generator.checks.reviews import check_owner, check_reviews, review_dates
from generator.checks.secrets import (
    ALLOW_FILE,
    any_secret,
    entry_secrets,
    load_allow_list,
    runbook_secrets,
)
from generator.checks.site import check_built_site
from generator.checks.titles import check_titles, is_title, title_finding
from generator.checks.typography import check_typography
from generator.checks.urls import check_urls
from generator.checks.variables import check_variables
from generator.core.model import Contact, ReviewDates, Runbook, SeverityScheme
from generator.diagnostics import Diagnostic, pickle_by_dict

__all__ = [
    "ALLOW_FILE",
    "DEFAULT_MAX_AGE",
    "Checked",
    "Finding",
    "file_findings",
    "review_dates",
    "run_checks",
]


DEFAULT_MAX_AGE = 365


@dataclass(frozen=True)
class Checked:
    """What `runbookgen check` knows of a project before judging it: its diagnostics, and what
    the checks that need one file only found in each (`file_findings`, with the secret each
    reports) and the review dates, for `run_checks` to judge by the allow-list and today."""

    diagnostics: tuple[Diagnostic, ...] = ()
    findings: tuple[Finding, ...] = ()
    reviews: tuple[ReviewDates, ...] = ()


pickle_by_dict(Checked)  # a whole run's, in the cache


def run_checks(
    checked: Checked,
    *,
    today: dt.date,
    max_age: int = DEFAULT_MAX_AGE,
    allow_file: Path = Path(ALLOW_FILE),
    built_site: Path | None = None,
) -> list[Diagnostic]:
    """Every CI check on *checked* (and on the HTML of *built_site*), sorted, without duplicates.

    The checks that need one file only ran when it was loaded (`file_findings`, cached with
    the file); here the allow-list judges their secrets, and reviews are judged by *today*.
    """
    allow, found = load_allow_list(allow_file)
    for dates in checked.reviews:
        found.extend(check_reviews(dates, today=today, max_age=max_age))
    titles = [d for d, _ in checked.findings if is_title(d)]
    found.extend(
        d
        for d, secret in checked.findings
        if not is_title(d) and not (secret and allow.allows(secret))
    )
    found.extend(check_titles(titles))
    if built_site is not None:
        found.extend(check_built_site(built_site))
    return sorted(set(found))


def file_findings(
    runbook: Runbook | None,
    entries: Iterable[Contact | SeverityScheme],
    *,
    texts: Sequence[str] | None = None,
) -> tuple[Finding, ...]:
    """What one file's runbook, or its shared contacts or scheme, hold that CI must flag: link
    syntax, undeclared placeholders, possible secrets (all of them: the allow-list comes later).

    *texts*, every text value of the runbook's file (`Document.texts`), spares the walk over
    the runbook for the strings to scan for secrets when none of them holds one.
    """
    files = SourceLines()
    found: list[Finding] = []
    if runbook is not None:
        found.extend((d, "") for d in check_urls(runbook, files=files, texts=texts))
        found.extend((d, "") for d in check_owner(runbook))
        found.extend((d, "") for d in check_placeholders(runbook, files=files))
        found.extend((d, "") for d in check_typography(runbook, files=files))
        found.extend((d, "") for d in check_variables(runbook))
        found.extend((d, "") for d in check_left_to_decide(runbook, files=files, texts=texts))
        found.append(title_finding(runbook))  # judged with every other runbook's
        if texts is None or any_secret(texts):
            found.extend(runbook_secrets(runbook, files))
    for entry in entries:
        found.extend(entry_secrets(entry, files))
    return tuple(found)
