"""The periods a dose (or a timeline) covers: months, quarters, the default last twelve months,
and whole months, the grain of the stored summary."""

import calendar
from datetime import date

from django.utils import timezone

from psp.dates import EARLIEST_DATE, LATEST_DATE, OUT_OF_RANGE_MESSAGE


def month_start(day: date) -> date:
    return day.replace(day=1)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def months_back(day: date, months: int) -> date:
    """The first day of the month `months` before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


# The periods a dose or a timeline may cover: ten years of history (DESIGN 8), within the dates
# anyone may enter (psp/dates.py). Past them the month and quarter rows would run into millions.
MAX_PERIOD_DAYS = 3653


def period_errors(date_from: date | None, date_to: date | None) -> dict[str, str]:
    """What is wrong with a period (field name -> message); empty when it is fine."""
    errors = {}
    for name, day in (("date_from", date_from), ("date_to", date_to)):
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            errors[name] = OUT_OF_RANGE_MESSAGE
    if errors or date_from is None or date_to is None:
        return errors
    if date_from > date_to:
        errors["date_to"] = "The end of the period must not be before its start."
    elif (date_to - date_from).days > MAX_PERIOD_DAYS:
        errors["date_to"] = "A period can be at most ten years long."
    return errors


def last_twelve_months(today: date | None = None) -> tuple[date, date]:
    """From the first day of the month eleven months ago to today: twelve calendar months."""
    today = today or timezone.localdate()
    return months_back(today, 11), today


def whole_months(date_from: date, date_to: date) -> tuple[date, date]:
    """The period counted for one asked for: from its first month's first day to its last
    month's last day (the summary's grain)."""
    last_day = calendar.monthrange(date_to.year, date_to.month)[1]
    return month_start(date_from), date_to.replace(day=last_day)


def months_text(date_from: date, date_to: date) -> str:
    """'Jan 2026 – Dec 2026': the whole months a dose counts."""
    return f"{date_from:%b %Y} – {date_to:%b %Y}"


def quarter_label(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _months(first: date, last: date) -> list[date]:
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = months_back(current, -1)
    return months
