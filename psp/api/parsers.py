"""The API reads JSON bodies only, of a bounded size and nesting depth.

Python's json module parses nested arrays and objects by recursion: 2,000 levels (a 4 KB body)
exhaust the stack and surface as a 500. No request of ours nests more than a few levels, so the
depth is measured first, without recursion, and anything deeper is a 400 before json sees it.
"""

import io
import re
from itertools import accumulate

from django.conf import settings
from rest_framework import exceptions, parsers

# Our deepest body (a visit with its activities and attendees) nests 3 levels; 32 leaves room for
# any integrator's client while keeping far from the interpreter's recursion limit.
MAX_JSON_DEPTH = 32

# A JSON string, escapes included: brackets inside strings are text, not nesting. An unterminated
# string runs to the end (json refuses it later); with possessive repeats every character is
# looked at once, so no body makes this scan slow.
_STRING = re.compile(r'"(?:[^"\\]++|\\.|\\\Z)*+(?:"|\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in `text`, counted in one pass with no recursion."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


class BodyTooLarge(exceptions.APIException):
    """A body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (Django raises when it is read)."""

    status_code = 413
    default_code = "too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(f"The request body is larger than the limit of {limit} bytes.")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser behind a nesting limit (MAX_JSON_DEPTH)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read()
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
        if nesting_depth(text) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                f"JSON nested more than {MAX_JSON_DEPTH} levels deep is refused."
            )
        return super().parse(io.BytesIO(body), media_type, parser_context)
