"""Which periods a refresh covers: months, or quarter starts for a quarterly KPI (pure)."""

from datetime import date

from psp.measures.registry import Frequency

# A full rebuild covers the current month and this many before it.
HISTORY_MONTHS = 24


def month_start(day: date) -> date:
    return day.replace(day=1)


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def recent_months(today: date, count: int) -> list[date]:
    """The first days of the `count` months up to and including today's, oldest first."""
    current = month_start(today)
    return [add_months(current, -back) for back in range(count - 1, -1, -1)]


def default_months(today: date) -> list[date]:
    return recent_months(today, HISTORY_MONTHS + 1)


def periods_of(frequency: str, months: list[date]) -> list[date]:
    """The periods of a KPI that the months touch: the months themselves, or the starts of
    their quarters."""
    if frequency == Frequency.QUARTERLY:
        return sorted({quarter_start(month) for month in months})
    return sorted(set(months))


def months_of(frequency: str, periods: list[date], until: date) -> list[date]:
    """The months a measure is asked for to give these periods whole: a quarter's three
    months (those not after `until`, the current month), so a quarter is never folded from
    only the months that happened to be in the window."""
    if frequency != Frequency.QUARTERLY:
        return list(periods)
    months = {add_months(start, step) for start in periods for step in range(3)}
    return sorted(month for month in months if month <= until)
