"""Whole numbers read from what people type or put in a URL: ASCII digits only.

`str.isdigit()` is true for "³" (which `int()` then refuses: a 500) and for "١٢" (which `int()`
reads as 12: an id nobody typed). Every id, step or score read from a request goes through here.
"""

import re

# The largest id a bigint primary key holds: a larger number names no row, and the database
# would overflow on it rather than answer "not found".
MAX_ID = 2**63 - 1

# An optional minus, then ASCII digits; leading zeros are read past so that the 19 significant
# digits bound what int() is asked to convert (it refuses more than 4,300 digits with an error).
_WHOLE_NUMBER = re.compile(r"(-?)0*([0-9]{1,19})")


def parse_int(text, *, signed: bool = False) -> int | None:
    """The whole number `text` spells in ASCII digits (a leading "-" only when `signed`), or
    None for anything else: other scripts' digits, signs, spaces, decimals, 20+ digits."""
    match = _WHOLE_NUMBER.fullmatch(text) if isinstance(text, str) else None
    if match is None or (match[1] and not signed):
        return None
    return int(match[1] + match[2])


def parse_id(text) -> int | None:
    """The id `text` names (1 to MAX_ID), or None when no row can have it."""
    number = parse_int(text)
    return number if number is not None and 1 <= number <= MAX_ID else None
