"""The periods a practice's KPI is read over: months or quarters, named as people say them."""

from datetime import date

from psp.measures.registry import Frequency

MONTHS_SHOWN = 24
RECENT_CHECKED = {Frequency.MONTHLY: 3, Frequency.QUARTERLY: 2}  # complete periods checked


def period_of(day: date, frequency: str) -> date:
    """The first day of the month (or quarter) `day` falls in."""
    if frequency == Frequency.QUARTERLY:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, day.month, 1)


def step_back(period: date, frequency: str, steps: int = 1) -> date:
    months = 3 if frequency == Frequency.QUARTERLY else 1
    index = period.year * 12 + period.month - 1 - steps * months
    return date(index // 12, index % 12 + 1, 1)


def periods_shown(today: date, frequency: str) -> list[date]:
    """The last 24 months of periods, oldest first, ending with the current one."""
    count = MONTHS_SHOWN // (3 if frequency == Frequency.QUARTERLY else 1)
    current = period_of(today, frequency)
    return [step_back(current, frequency, count - 1 - index) for index in range(count)]


def recent_complete(today: date, frequency: str) -> list[date]:
    """The periods just ended (not the current one), oldest first: those a practice should
    have a value for by now."""
    current = period_of(today, frequency)
    count = RECENT_CHECKED.get(frequency, 3)
    return [step_back(current, frequency, count - index) for index in range(count)]


def period_label(period: date, frequency: str) -> str:
    if frequency == Frequency.QUARTERLY:
        return f"Q{(period.month - 1) // 3 + 1} {period.year}"
    return f"{period:%b %Y}"
