"""Dates people enter and read: the range they may enter (2000 to 2099), and the program's date
style, in which pages write dates and date inputs read them.

A program's records start in this century and nothing is planned a lifetime ahead, so a date
outside is a typo (0001 for 2001, 9999 for "no end"), refused with a message naming the range
before it reaches a service, a report or the database. Forms use psp.forms_fields and the API
psp.api.fields; rules of their own (a logged visit today or before) come on top, in services.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import dateformat

from psp.tenancy.scope import current_date_style_or_none

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
OUT_OF_RANGE_MESSAGE = f"Enter a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}."
# The same range as a pattern, for the API's schema (a date past month lengths is still caught).
DATE_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def check_date_in_range(day: date) -> None:
    """A validator for date fields: refuse a day outside EARLIEST_DATE..LATEST_DATE."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(OUT_OF_RANGE_MESSAGE, code="date_out_of_range")


# How dates are written and typed: the program's date style ---------------------------------
# One style per program (Program.date_style), used by every page: the `day` template filter
# writes dates in it and the date input (psp.widgets.DateTextInput) shows and reads it. ISO
# (2026-12-03) is always read too, as the API, old links and the tests send it; the API itself
# writes and reads ISO only.


class DateStyle(models.TextChoices):
    DAY_MONTH_YEAR = "dmy", "3 Dec 2026 (day month year)"
    MONTH_DAY_YEAR = "mdy", "Dec 3, 2026 (month day, year)"
    ISO = "iso", "2026-12-03 (ISO: year-month-day)"


@dataclass(frozen=True)
class Style:
    """`forms`: how each kind of date is written (Django date formats); `reads`: what a date
    input takes besides ISO (strptime formats, after commas and extra spaces are dropped);
    `order`: the order people type, named by the error message."""

    forms: dict[str, str]
    reads: tuple[str, ...]
    order: str


STYLES = {
    DateStyle.DAY_MONTH_YEAR: Style(
        forms={
            "date": "j M Y",
            "long": "j F Y",
            "weekday": "D j M Y",
            "long_weekday": "l j F Y",
            "day_month": "j M",
            "long_day_month": "j F",
            "weekday_day_month": "D j M",
            "month": "M Y",
            "long_month": "F Y",
            "time": "j M Y, H:i",
            "long_time": "j F Y, H:i T",
        },
        reads=("%d %b %Y", "%d %B %Y", "%d/%m/%Y", "%d.%m.%Y"),
        order="day month year",
    ),
    DateStyle.MONTH_DAY_YEAR: Style(
        forms={
            "date": "M j, Y",
            "long": "F j, Y",
            "weekday": "D, M j, Y",
            "long_weekday": "l, F j, Y",
            "day_month": "M j",
            "long_day_month": "F j",
            "weekday_day_month": "D, M j",
            "month": "M Y",
            "long_month": "F Y",
            "time": "M j, Y, H:i",
            "long_time": "F j, Y, H:i T",
        },
        reads=("%b %d %Y", "%B %d %Y", "%m/%d/%Y"),
        order="month day, year",
    ),
    DateStyle.ISO: Style(
        forms={
            "date": "Y-m-d",
            "long": "Y-m-d",
            "weekday": "D Y-m-d",
            "long_weekday": "l Y-m-d",
            "day_month": "m-d",
            "long_day_month": "m-d",
            "weekday_day_month": "D m-d",
            "month": "Y-m",
            "long_month": "Y-m",
            "time": "Y-m-d H:i",
            "long_time": "Y-m-d H:i T",
        },
        reads=(),
        order="year-month-day",
    ),
}
DEFAULT_STYLE = DateStyle.DAY_MONTH_YEAR
ISO_READ = "%Y-%m-%d"
EXAMPLE_DAY = date(2026, 12, 3)  # the example the styles' names use


def current_style() -> DateStyle:
    """The style of the program in scope (a request, a command); the default outside one."""
    return DateStyle(current_date_style_or_none() or DEFAULT_STYLE)


def write_date(value, form: str = "date", style: DateStyle | None = None) -> str:
    """`value` (a date or datetime, already in local time) written in the program's style;
    `form` is one of the keys of Style.forms ("date": 3 Dec 2026, "long": 3 December 2026...)."""
    if not isinstance(value, date):  # None, or "" from a missing variable: nothing to write
        return ""
    spec = STYLES[style or current_style()]
    return dateformat.format(value, spec.forms.get(form, spec.forms["date"]))


def read_date(text: str, *, iso_only: bool = False) -> date | None:
    """The date `text` names in the program's style or in ISO; None when it names none."""
    formats = (ISO_READ,) if iso_only else (ISO_READ, *STYLES[current_style()].reads)
    words = " ".join(text.replace(",", " ").split())
    for pattern in formats:
        try:
            return datetime.strptime(words, pattern).date()
        except ValueError:
            continue
    return None


def date_hint(*, iso_only: bool = False) -> str:
    """What a date input says above it: an example, whose month name (or ISO's fixed order)
    shows the order without a sentence; a row of filters has room for one short line."""
    style = DateStyle.ISO if iso_only else current_style()
    return f"e.g. {write_date(EXAMPLE_DAY, style=style)}"


def date_error(*, iso_only: bool = False) -> str:
    """The message for a date that could not be read, naming the format expected."""
    style = DateStyle.ISO if iso_only else current_style()
    example = write_date(EXAMPLE_DAY, style=style)
    return f"Enter the date as {STYLES[style].order}, e.g. {example}."
