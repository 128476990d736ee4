"""The periods a subscription's reports cover: calendar months and quarters, in the program's
own dates. A report is due on the first day after its period (1 December for November)."""

from dataclasses import dataclass
from datetime import date, timedelta

# The parameters a subscription's report gets for its period (the program report's filters).
PERIOD_FROM = "date_from"
PERIOD_TO = "date_to"


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    code: str  # "2026-11" or "2026-Q4": part of the report's key

    def params(self) -> dict:
        return {PERIOD_FROM: self.first.isoformat(), PERIOD_TO: self.last.isoformat()}


def _months(frequency: str) -> int:
    return 3 if frequency == "quarterly" else 1


def _start_of(frequency: str, day: date) -> date:
    """The first day of the period `day` falls in."""
    month = day.month
    if frequency == "quarterly":
        month = 3 * ((month - 1) // 3) + 1
    return date(day.year, month, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_before(frequency: str, today: date) -> Period:
    """The whole period that ended last before `today`'s period began."""
    end = _start_of(frequency, today)
    first = _add_months(end, -_months(frequency))
    last = end - timedelta(days=1)
    if frequency == "quarterly":
        code = f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    else:
        code = f"{first.year}-{first.month:02d}"
    return Period(first=first, last=last, code=code)


def run_after(frequency: str, today: date) -> date:
    """The next day a report is due after `today`: the first day of the next period."""
    return _add_months(_start_of(frequency, today), _months(frequency))


def first_run_on(frequency: str, today: date) -> date:
    """A new subscription's first day: when the period under way has ended."""
    return run_after(frequency, today)
