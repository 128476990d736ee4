"""Reminders of CPD deadlines, to the person: 90, 30 and 7 days before a requirement of their
cycle is due (the cycle's end, or a cycle year's end for per-year minimums) while they are short
of it. psp/notifications/registry.py has the contract; the notifications app delivers.

Each threshold is sent once per cycle and requirement (its key). A threshold's notice is due
from its day until the next threshold's day, so a scan that did not run on the day itself, a
cycle made later or a shortfall that reappears (an activity rejected) is still told, at the
next scan, how many days are really left; a requirement met by then is not mentioned.
"""

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse

from cpd.progress.engine import Requirement
from cpd.progress.selectors import progress_of_cycles
from cpd.schemes.dates import cycle_year_spans
from cpd.schemes.models import CpdCycle, CycleStatus
from practices.selectors import active_member_ids
from psp.dates import write_date
from psp.notifications.registry import Delivery, Due, Kind, register_rule

# Days before a deadline, furthest first.
THRESHOLDS = (90, 30, 7)

CPD_DEADLINE = Kind(
    code="cpd_deadline",
    label="A CPD requirement you are short of, before its deadline",
    description="You get this 90, 30 and 7 days before a deadline of your CPD cycle (its end, "
    "or the end of a cycle year) while you are short of what is due then.",
    default=Delivery.DIGEST,
)


def threshold_for(today: date, due_on: date) -> int | None:
    """The threshold whose notice is due on `today` for a deadline on `due_on`: 90 from 90 to
    31 days before, 30 from 30 to 8, 7 from 7 days before to the day itself; None otherwise."""
    left = (due_on - today).days
    if left < 0:
        return None
    found = None
    for threshold in THRESHOLDS:
        if left <= threshold:
            found = threshold
    return found


def _has_deadline_soon(cycle: CpdCycle, today: date, until: date) -> bool:
    """Whether the cycle's end or one of its years' ends falls from today to `until` (no query:
    most running cycles have none, and skip the progress sum)."""
    return any(
        today <= year.ends_on <= until for year in cycle_year_spans(cycle.starts_on, cycle.ends_on)
    )


def running_cycles(*, today: date) -> list[CpdCycle]:
    """The cycles running today, of people who still hold a role, under a scheme still in use,
    with a deadline within the furthest threshold. One query."""
    cycles = (
        CpdCycle.objects.filter(
            starts_on__lte=today,
            ends_on__gte=today,
            person_id__in=active_member_ids(),
            scheme__is_active=True,
        )
        .exclude(status=CycleStatus.CLOSED)
        .select_related("version", "scheme")
        .order_by("pk")
    )
    until = today + timedelta(days=max(THRESHOLDS))
    return [cycle for cycle in cycles if _has_deadline_soon(cycle, today, until)]


@register_rule(CPD_DEADLINE, description="CPD requirements short 90, 30 and 7 days before due.")
def cpd_deadlines(program, *, today: date, now) -> Iterator[Due]:
    """Two queries however many cycles: the running cycles, then all their activities."""
    cycles = running_cycles(today=today)
    progress = progress_of_cycles(cycles, today=today)
    url = reverse("cpd:mine", kwargs={"program": program.slug})
    for cycle in cycles:
        result = progress[cycle.pk]
        for shortfall in result.shortfalls:
            threshold = threshold_for(today, shortfall.due_on)
            if threshold is not None:
                yield _due(program, cycle, result.unit, shortfall, threshold, today, url)


def requirement_key(requirement: Requirement) -> str:
    """The requirement within its cycle: "total", "per_year:2", "category:ethics",
    "category_per_year:ethics:2"."""
    parts = [requirement.kind, requirement.category, requirement.year]
    return ":".join(str(part) for part in parts if part is not None)


def amount(value: Decimal) -> str:
    """12.50 -> "12.5", 25.00 -> "25"."""
    return f"{value.normalize():f}"


def unit_for(value: Decimal, unit: str) -> str:
    """The scheme's unit ("credits", "hours") for `value`: "hour" for 1."""
    return unit.removesuffix("s") if value == 1 else unit


def _what(requirement: Requirement) -> str:
    """Where the credits are needed, mid-sentence."""
    if requirement.kind == "per_year":
        return f" in year {requirement.year} of your cycle"
    if requirement.kind == "category":
        return f" of {requirement.label}"
    if requirement.kind == "category_per_year":
        category = requirement.label.rsplit(" in year ", 1)[0]
        return f" of {category} in year {requirement.year}"
    return " in total"


def _when(days: int) -> str:
    if days == 0:
        return "today"
    return "tomorrow" if days == 1 else f"in {days} days"


def _due(program, cycle, unit, shortfall: Requirement, threshold, today, url) -> Due:
    style = program.date_style
    by = write_date(shortfall.due_on, "long", style=style)
    what, missing, required = _what(shortfall), shortfall.missing, shortfall.required
    starts = write_date(cycle.starts_on, "long", style=style)
    ends = write_date(cycle.ends_on, "long", style=style)
    days = (shortfall.due_on - today).days
    key = f"cpd_deadline:{cycle.pk}:{requirement_key(shortfall)}:{shortfall.due_on.isoformat()}"
    return Due(
        kind=CPD_DEADLINE.code,
        key=f"{key}:{threshold}",
        title=f"CPD: {amount(missing)} more {unit_for(missing, unit)}{what} needed by {by}",
        url=url,
        recipient_id=cycle.person_id,
        body=f"Your {cycle.scheme.name} cycle ({starts} to {ends}) asks for "
        f"{amount(required)} {unit_for(required, unit)}{what} by {by}, {_when(days)}; you have "
        f"{amount(shortfall.have)}. Record what you have done in My CPD.",
    )
