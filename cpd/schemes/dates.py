"""Cycle dates: when a cycle starts and ends, and its years. Pure (no database, no clock).

A cycle of N years that starts on a month and day ends the day before the same month and day N
years later. A start on 29 February falls on 28 February in common years and comes back to the
29th in leap years, because every start is worked out from the month and day, never by adding a
year to the previous start (which would drift to the 28th for good).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from cpd.schemes.rules import CycleRule

DAY = timedelta(days=1)


def anniversary(month: int, day: int, year: int) -> date:
    """That month and day in `year`, moved back to the month's last day when it has fewer."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Span:
    starts_on: date
    ends_on: date  # inclusive

    def __contains__(self, on: date) -> bool:
        return self.starts_on <= on <= self.ends_on


def span_from(month: int, day: int, year: int, years: int) -> Span:
    """The cycle of `years` years starting on the month and day in `year`."""
    return Span(anniversary(month, day, year), anniversary(month, day, year + years) - DAY)


def first_span(cycle: CycleRule, on: date) -> Span:
    """A person's first cycle, for a date `on` it must contain: under a fixed reporting year, the
    cycle starts at the start of the reporting year `on` falls in; under a personal start, on
    `on` itself (the person's own start date)."""
    if cycle.start == "personal":
        return span_from(on.month, on.day, on.year, cycle.years)
    year = on.year
    if anniversary(cycle.fixed_month, cycle.fixed_day, year) > on:
        year -= 1
    return span_from(cycle.fixed_month, cycle.fixed_day, year, cycle.years)


def span_after(previous: Span, *, month: int, day: int, years: int, on: date) -> Span:
    """The cycle containing `on`, counted on in whole cycles from the end of `previous`.

    `month` and `day` are the anchor every start falls on (the fixed date, or the person's first
    start), so a 29 February anchor does not drift."""
    year = (previous.ends_on + DAY).year
    span = span_from(month, day, year, years)
    while on > span.ends_on:
        year += years
        span = span_from(month, day, year, years)
    return span


def span_before(following: Span, *, month: int, day: int, years: int, on: date) -> Span:
    """The cycle containing `on`, counted back in whole cycles from the start of `following`."""
    year = following.starts_on.year - years
    span = span_from(month, day, year, years)
    while on < span.starts_on:
        year -= years
        span = span_from(month, day, year, years)
    return span


def cycle_year_spans(starts_on: date, ends_on: date) -> list[Span]:
    """The years of a cycle: each from the start's anniversary to the day before the next; the
    last one ends with the cycle."""
    spans = []
    year = starts_on.year
    start = starts_on
    while start <= ends_on:
        year += 1
        following = anniversary(starts_on.month, starts_on.day, year)
        spans.append(Span(start, min(following - DAY, ends_on)))
        start = following
    return spans
