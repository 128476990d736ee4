"""The dates people may enter anywhere in the platform: from 2000 to 2099.

A program's records start in this century and nothing is planned a lifetime ahead, so a date
outside is a typo (0001 for 2001, 9999 for "no end"), refused with a message naming the range
before it reaches a service, a report or the database. Forms use psp.forms_fields and the API
psp.api.fields; rules of their own (a logged visit today or before) come on top, in services.
"""

from datetime import date

from django.core.exceptions import ValidationError

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
OUT_OF_RANGE_MESSAGE = f"Enter a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}."
# The same range as a pattern, for the API's schema (a date past month lengths is still caught).
DATE_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def check_date_in_range(day: date) -> None:
    """A validator for date fields: refuse a day outside EARLIEST_DATE..LATEST_DATE."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(OUT_OF_RANGE_MESSAGE, code="date_out_of_range")
