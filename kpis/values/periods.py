"""KPI periods: the first day of a month, or of a quarter for a quarterly KPI, and how people
write them ("2026-03", "2026-Q1") and read them ("Mar 2026", "Q1 2026")."""

import re
from datetime import date

from psp.measures.registry import Frequency

MONTH_TEXT = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
QUARTER_TEXT = re.compile(r"^\s*(\d{4})-?[Qq]([1-4])\s*$")


def month_start(day: date) -> date:
    return day.replace(day=1)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_of(day: date, frequency: str) -> date:
    """The period `day` falls in, for a KPI of `frequency`."""
    return quarter_start(day) if frequency == Frequency.QUARTERLY else month_start(day)


def is_period_start(day: date, frequency: str) -> bool:
    return period_of(day, frequency) == day


def step_back(period: date, frequency: str, count: int = 1) -> date:
    """The period `count` periods before `period` (forwards for a negative count)."""
    months = 3 * count if frequency == Frequency.QUARTERLY else count
    index = period.year * 12 + period.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def recent_periods(today: date, frequency: str, count: int, *, back: int = 0) -> list[date]:
    """The `count` periods ending `back` periods before the current one, oldest first."""
    latest = step_back(period_of(today, frequency), frequency, back)
    return [step_back(latest, frequency, n) for n in range(count - 1, -1, -1)]


def periods_between(first: date, last: date, frequency: str) -> list[date]:
    """Every period from `first` to `last` inclusive (both period starts), oldest first."""
    periods, period = [], first
    while period <= last:
        periods.append(period)
        period = step_back(period, frequency, -1)
    return periods


def period_label(period: date, frequency: str) -> str:
    if frequency == Frequency.QUARTERLY:
        return f"Q{(period.month - 1) // 3 + 1} {period.year}"
    return f"{period:%b %Y}"


def period_code(period: date, frequency: str) -> str:
    """As a CSV or a form field writes it: 2026-03, or 2026-Q1."""
    if frequency == Frequency.QUARTERLY:
        return f"{period.year}-Q{(period.month - 1) // 3 + 1}"
    return f"{period:%Y-%m}"


def parse_period(text: str, frequency: str) -> date | None:
    """The period `text` names for a KPI of `frequency` (2026-03 or 2026-Q1; an ISO day that
    starts the period, 2026-01-01, too), or None when it names none."""
    text = (text or "").strip()
    try:  # year 0000 matches the patterns and is no date
        if frequency == Frequency.QUARTERLY:
            match = QUARTER_TEXT.match(text)
            if match:
                return date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1)
        match = MONTH_TEXT.match(text)
        if match and 1 <= int(match[2]) <= 12:
            return date(int(match[1]), int(match[2]), 1)
        return date.fromisoformat(text)
    except ValueError:
        return None
