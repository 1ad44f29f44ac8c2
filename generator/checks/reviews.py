"""Review dates: `next_review` passed (RB300), `last_reviewed` older than the maximum age
(RB301) or after today (RB302); "today" is a parameter, so runs are reproducible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.checks.common import at
from generator.core.model import (
    ReviewDates,
    Runbook,
)
from generator.diagnostics import Diagnostic


def review_dates(runbook: Runbook) -> ReviewDates:
    """What the review checks need of a runbook (kept with the file's cached results)."""
    return ReviewDates(
        runbook.last_reviewed,
        runbook.next_review,
        runbook.at("last_reviewed" if runbook.last_reviewed else "id"),
        runbook.at("next_review"),
    )


def check_reviews(dates: ReviewDates, *, today: dt.date, max_age: int) -> Iterator[Diagnostic]:
    """Review overdue, last review too old, in the future, or never done."""
    if not dates.last_reviewed:
        message = "never reviewed: review the runbook, then add `last_reviewed: YYYY-MM-DD`"
        yield at(dates.last_at, "RB304", message)
    last = _date(dates.last_reviewed)
    upcoming = _date(dates.next_review)
    if last is not None and last > today:
        message = f"last_reviewed {last} is after today ({today}): fix the date"
        yield at(dates.last_at, "RB302", message)
    elif last is not None and (today - last).days > max_age:
        days = (today - last).days
        message = f"last reviewed {days} days ago ({last}), more than {max_age}: review the runbook and update `last_reviewed`"
        yield at(dates.last_at, "RB301", message)
    if upcoming is not None and upcoming < today:
        days = (today - upcoming).days
        message = f"review overdue since {upcoming} ({days} days): review the runbook, then move `next_review` forward"
        yield at(dates.next_at, "RB300", message)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:  # the schema reports it
        return None


def check_owner(runbook: Runbook) -> Iterator[Diagnostic]:
    """A runbook nobody answers for."""
    if not runbook.owner:
        message = "no owner: add `owner:` with the id of the contact (team) that answers for it"
        yield at(runbook.at("id"), "RB303", message)
