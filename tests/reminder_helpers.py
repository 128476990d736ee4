"""Calling a reminder rule (psp/notifications/registry.py) as the scan does: inside the
program's scope, with the program's local date, and reading back what it finds."""

from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from psp.tenancy.scope import program_scope

# A fixed day, so weekdays and ISO weeks in the tests do not depend on when they run.
TODAY = date(2026, 12, 3)  # a Thursday


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def run(rule, program, *, today: date = TODAY, now: datetime | None = None) -> list:
    """The Dues `rule` finds for `program` on `today` (a list: rules may be generators)."""
    with program_scope(program):
        return list(rule(program, today=today, now=now or noon(today)))


def queries_of(rule, program, *, today: date = TODAY) -> int:
    with CaptureQueriesContext(connection) as captured:
        run(rule, program, today=today)
    return len(captured)


def by_recipient(dues) -> dict[int, object]:
    """recipient id -> its one Due (fails if a person got two)."""
    found = {}
    for due in dues:
        assert due.recipient_id not in found, f"two notices for {due.recipient_id}: {dues}"
        found[due.recipient_id] = due
    return found


def days(n: int) -> timedelta:
    return timedelta(days=n)
