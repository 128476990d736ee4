"""What every app's measures share: the months asked for, their ends, the practices asked for, and
the shape of a value, so that each measure module only says what it counts.

A measure's compute is called with the program and the first days of the months wanted. Each one
here runs inside that program's scope (the tenant managers need it) and in its time zone (when a
day, and so a month, begins and ends, and what "today" is), and returns a list, not a generator:
a generator would run its queries later, after the scope has been left.
"""

from collections.abc import Callable, Collection, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import wraps

from django.db.models import QuerySet
from django.utils import timezone

from psp.measures.registry import MeasureValue
from psp.tenancy.scope import program_scope


def next_month(day: date) -> date:
    """The first day of the month after `day`'s month."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_last_day(month: date) -> date:
    return date.fromordinal(next_month(month).toordinal() - 1)


def month_end_instant(month: date) -> datetime:
    """The first moment after `month` (midnight starting the next month, in the program's
    time zone): what happened before it happened "by the end of the month"."""
    return timezone.make_aware(datetime.combine(next_month(month), time.min))


@dataclass(frozen=True)
class Months:
    """The months a compute was asked for, sorted, with the span of days they cover."""

    firsts: tuple[date, ...]

    @classmethod
    def of(cls, months: Iterable[date]) -> "Months":
        return cls(tuple(sorted({month.replace(day=1) for month in months})))

    def __bool__(self) -> bool:
        return bool(self.firsts)

    def __contains__(self, month: date) -> bool:
        return month in self.firsts

    def __iter__(self):
        return iter(self.firsts)

    @property
    def first_day(self) -> date:
        return self.firsts[0]

    @property
    def last_day(self) -> date:
        return month_last_day(self.firsts[-1])

    @property
    def end_instant(self) -> datetime:
        return month_end_instant(self.firsts[-1])


def for_practices(queryset: QuerySet, practice_ids: Collection[int] | None, path="practice_id"):
    """The rows of the practices asked for (all of the program's when `practice_ids` is None)."""
    if practice_ids is None:
        return queryset
    return queryset.filter(**{f"{path}__in": list(practice_ids)})


def ratio(practice_id: int, period: date, numerator, denominator) -> MeasureValue:
    """A ratio measure's value: exactly numerator / denominator, both kept so that practices and
    months combine as sum(numerator) / sum(denominator)."""
    numerator, denominator = Decimal(numerator), Decimal(denominator)
    return MeasureValue(practice_id, period, numerator / denominator, numerator, denominator)


def plain(practice_id: int, period: date, value) -> MeasureValue:
    return MeasureValue(practice_id, period, Decimal(value))


def program_compute(
    compute: Callable[..., Iterable[MeasureValue]],
) -> Callable[..., list[MeasureValue]]:
    """A compute(program, *, months, practice_ids) run in the program's scope and zone, given its
    months as `Months` (nothing is read when none are asked for, nor for an empty practice list)
    and returning a list. Keyword `options` pass through (a test gives `today`)."""

    @wraps(compute)
    def run(program, *, months, practice_ids=None, **options) -> list[MeasureValue]:
        wanted = Months.of(months)
        if not wanted or (practice_ids is not None and not practice_ids):
            return []
        zone = getattr(program, "zone", None)  # given an id, not a Program: the current zone
        in_zone = timezone.override(zone) if zone is not None else nullcontext()
        with program_scope(program), in_zone:
            return list(compute(program, months=wanted, practice_ids=practice_ids, **options))

    return run
