"""When a template's instances open and fall due: pure date arithmetic, no database, no clock.

Periods are calendar periods in the program's own time zone (the caller passes the program's
local `today`): a monthly checklist is the month, due on its last day, whatever its length; a
quarterly or yearly one starts in the template's anchor month (a fiscal year from April is
anchor 4). "Once" opens on the assignment's start; "after an event" opens on the event and falls
due a number of days later.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

MONTH_NAMES = calendar.month_abbr


@dataclass(frozen=True)
class Period:
    key: str  # unique per template and practice: what makes scheduling idempotent
    label: str  # how people name it: "December 2026", "Q2 2026–27 (Jul–Sep)"
    opens_on: date
    due_on: date


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_period(on: date) -> Period:
    return Period(
        key=f"{on:%Y-%m}",
        label=f"{calendar.month_name[on.month]} {on.year}",
        opens_on=on.replace(day=1),
        due_on=_month_end(on.year, on.month),
    )


def _span_label(start_year: int, start_month: int, months: int) -> str:
    end_year, end_month = _add_months(start_year, start_month, months - 1)
    if start_month == 1:
        return str(start_year)
    return f"{start_year}–{str(end_year)[-2:]}"


def quarter_period(on: date, anchor_month: int) -> Period:
    year_start = _year_start(on, anchor_month)
    offset = (on.year * 12 + on.month) - (year_start.year * 12 + year_start.month)
    number = offset // 3 + 1
    start_year, start_month = _add_months(year_start.year, year_start.month, (number - 1) * 3)
    end_year, end_month = _add_months(start_year, start_month, 2)
    year_label = _span_label(year_start.year, year_start.month, 12)
    return Period(
        key=f"{year_start.year}-Q{number}",
        label=(f"Q{number} {year_label} ({MONTH_NAMES[start_month]}–{MONTH_NAMES[end_month]})"),
        opens_on=date(start_year, start_month, 1),
        due_on=_month_end(end_year, end_month),
    )


def _year_start(on: date, anchor_month: int) -> date:
    year = on.year if on.month >= anchor_month else on.year - 1
    return date(year, anchor_month, 1)


def year_period(on: date, anchor_month: int) -> Period:
    start = _year_start(on, anchor_month)
    end_year, end_month = _add_months(start.year, start.month, 11)
    return Period(
        key=str(start.year),
        label=_span_label(start.year, start.month, 12),
        opens_on=start,
        due_on=_month_end(end_year, end_month),
    )


def once_period(starts_on: date, due_days: int) -> Period:
    return Period(
        key="once",
        label="Once",
        opens_on=starts_on,
        due_on=starts_on + timedelta(days=due_days),
    )


def event_period(key: str, label: str, happened_on: date, due_days: int) -> Period:
    return Period(
        key=key,
        label=label,
        opens_on=happened_on,
        due_on=happened_on + timedelta(days=due_days),
    )


def period_containing(recurrence: str, on: date, *, anchor_month: int = 1) -> Period:
    """The monthly, quarterly or yearly period that contains `on`."""
    if recurrence == "monthly":
        return month_period(on)
    if recurrence == "quarterly":
        return quarter_period(on, anchor_month)
    if recurrence == "annually":
        return year_period(on, anchor_month)
    raise ValueError(f"not a calendar recurrence: {recurrence}")


def calendar_periods(
    recurrence: str, *, anchor_month: int, starts_on: date, today: date
) -> list[Period]:
    """The periods from the one containing `starts_on` to the one containing `today`, oldest
    first (none when `today` is before `starts_on`)."""
    periods = []
    on = starts_on
    while on <= today:
        period = period_containing(recurrence, on, anchor_month=anchor_month)
        periods.append(period)
        on = period.due_on + timedelta(days=1)
    return periods
