"""How the API describes itself beyond what drf-spectacular infers.

`ProgramAutoSchema` (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS) adds, to every operation:

- the error answers: every operation can answer 400, 401, 403, 404 and 429 (and one that takes
  a body, 413 and 415), always in the one error format of psp/api/errors.py, and a client
  generated from the schema must know those shapes as well as the success. They come from one
  `Error` component, so no view can forget them; a view that documents a code itself (a 422
  with its own description) keeps its own.
- `minLength: 1` on string query parameters: no query parameter may be empty (an empty one is
  a 400 naming it, psp/api/filters.py). OpenAPI's `allowEmptyValue` defaults to false, which
  says so for the other types; for a string, "" would otherwise read as a valid value.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

# status -> when the API answers it. Descriptions are what an integrator reads in the docs.
ERROR_RESPONSES = {
    "400": "The request is invalid: a field, a query parameter or the body; `fields` names each.",
    "401": "No credentials, or a token that is unknown, revoked or malformed.",
    "403": "Your role in this program does not allow this (for this practice).",
    "404": "No such program for you, or no such object in it (also for ids no row can have).",
    "429": "Too many requests: wait the number of seconds in `Retry-After`, then try again.",
}

# Also answered by every operation that takes a body (psp/api/parsers.py).
BODY_ERROR_RESPONSES = {
    "413": "The body is larger than the limit.",
    "415": "The body is not JSON: send it with `Content-Type: application/json`.",
}

RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds to wait before the next request.",
        "schema": {"type": "integer", "minimum": 0},
    }
}


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="A stable word for the kind of error, e.g. `invalid`.")
    message = serializers.CharField(help_text="A sentence for people.")
    fields = serializers.DictField(
        required=False,
        help_text=(
            "When the input is at fault: each offending field, query parameter or header with "
            "its messages (`non_field_errors` for the body as a whole)."
        ),
    )


@extend_schema_serializer(component_name="Error")
class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


class ProgramAutoSchema(AutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:  # excluded from the schema
            return None
        self._add_error_responses(operation)
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            if (
                parameter["in"] == "query"
                and schema.get("type") == "string"
                and "enum" not in schema
            ):
                schema.setdefault("minLength", 1)
        return operation

    def _add_error_responses(self, operation) -> None:
        error_ref = self.resolve_serializer(ErrorSerializer, "response").ref
        responses = operation.setdefault("responses", {})
        errors = ERROR_RESPONSES | (BODY_ERROR_RESPONSES if "requestBody" in operation else {})
        for status, description in sorted(errors.items()):
            response = {
                "description": description,
                "content": {"application/json": {"schema": error_ref}},
            }
            if status == "429":
                response["headers"] = RETRY_AFTER_HEADER
            responses.setdefault(status, response)
