"""Where a person stands in their cycle, in one word: met, on pace, behind pace, or no cycle
yet. The progress pages, the completion page, its CSV and the API read it from here, so they
never disagree about who is behind.

The pace is a steady line from nothing on the cycle's first day to the total on its last (the
engine's pace points draw the same line). Someone is behind when their credits (with what was
carried in) are under that line today, or when a requirement whose period is over was missed
(a year's minimum cannot be made up later, whatever the total says).
"""

from datetime import date
from decimal import Decimal

from django.db import models

from cpd.progress.engine import CycleProgress, Requirement

CENT = Decimal("0.01")


class Standing(models.TextChoices):
    MET = "met", "Met"
    ON_PACE = "on_pace", "On pace"
    BEHIND = "behind", "Behind pace"
    NO_CYCLE = "no_cycle", "No cycle yet"


# The order people are listed in: who needs attention first.
STANDING_ORDER = (Standing.BEHIND, Standing.NO_CYCLE, Standing.ON_PACE, Standing.MET)


def expected_by(result: CycleProgress, today: date) -> Decimal:
    """What steady progress to the total would have reached by `today`."""
    if today < result.starts_on:
        return Decimal(0)
    if today >= result.ends_on:
        return result.required_total
    days = (result.ends_on - result.starts_on).days + 1
    elapsed = (today - result.starts_on).days + 1
    return (result.required_total * elapsed / days).quantize(CENT)


def overdue(result: CycleProgress, today: date) -> list:
    """The shortfalls whose period is over: missed, not merely still to do."""
    return [shortfall for shortfall in result.shortfalls if shortfall.due_on < today]


def standing_of(result: CycleProgress | None, today: date) -> Standing:
    if result is None:
        return Standing.NO_CYCLE
    if result.is_met:
        return Standing.MET
    if result.total < expected_by(result, today) or overdue(result, today):
        return Standing.BEHIND
    return Standing.ON_PACE


def biggest_shortfall(result: CycleProgress | None) -> Requirement | None:
    """The unmet requirement missing the most (the sooner due of two alike)."""
    if not result or not result.shortfalls:
        return None
    return max(result.shortfalls, key=lambda r: (r.missing, -r.due_on.toordinal()))
