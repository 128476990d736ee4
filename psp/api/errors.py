"""One error format for the whole API:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}

`fields` appears for validation errors and names each offending input field.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from psp.api.parsers import BodyTooLarge
from psp.forms import service_error_messages


def field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as the error format's `fields`: messages by input field,
    `non_field_errors` for those about the request as a whole."""
    return service_error_messages(error, other="non_field_errors")


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):  # raised by Django as the body is read
        exc = BodyTooLarge()

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


def not_found(request, exception=None):
    """Django's handler404: a path no route matches (`…/visits/1.5/`, `…/no-such-thing/`) is,
    under /api/, a 404 in the error format like every other answer there; elsewhere the page."""
    if request.path.startswith("/api/"):
        body = {"error": {"status": 404, "code": "not_found", "message": "Not found."}}
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)
