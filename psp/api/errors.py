"""One error format for the whole API:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}

`fields` appears for validation errors and names each offending input field.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    body = {"status": response.status_code, "code": _code(exc), "message": _message(exc)}
    if isinstance(exc, exceptions.ValidationError):
        body["fields"] = (
            exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        )
    response.data = {"error": body}
    return response


def _code(exc) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    codes = exc.get_codes() if hasattr(exc, "get_codes") else None
    return codes if isinstance(codes, str) else getattr(exc, "default_code", "error")


def _message(exc) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "The request has invalid fields; see `fields`."
    detail = getattr(exc, "detail", None)
    if isinstance(detail, str):
        return str(detail)
    return str(getattr(exc, "default_detail", "Error"))
