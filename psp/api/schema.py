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
- the rule on repeats, in each query parameter's description: a parameter of several values
  (an array) is repeated for each, any matching; any other given twice is a 400.
- a list's filters described as its FilterSet says (each filter's `description`,
  psp/filters.py), and a report's filters (ProgramReportViewSet.filterset_class) as a list's.
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
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

REPEATABLE = "Repeat the parameter for several values: any of them matches."
ONCE = "Give it once: a repeated parameter is refused (400)."

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
        self._add_report_filters(operation)
        filterset = getattr(self.view, "filterset_class", None)
        filters = getattr(filterset, "base_filters", {})
        described = {name: getattr(f, "description", "") for name, f in filters.items()}
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            schema = parameter["schema"]
            if schema.get("type") == "string" and "enum" not in schema:
                schema.setdefault("minLength", 1)
            parameter["description"] = _description(parameter, described.get(parameter["name"]))
        return operation

    def _add_report_filters(self, operation) -> None:
        """A report endpoint's filters, described as a list's are (its FilterSet is the one its
        page uses; it is no list, so drf-spectacular's filter backend does not see it)."""
        filterset = getattr(self.view, "filterset_class", None)
        if filterset is None or hasattr(self.view, "filter_backends") or self.method != "GET":
            return
        extension = DjangoFilterExtension(DjangoFilterBackend)
        model = filterset._meta.model
        parameters = operation.setdefault("parameters", [])
        for name, filter_ in filterset.base_filters.items():
            parameters += extension.resolve_filter_field(self, model, filterset, name, filter_)

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


def _description(parameter: dict, described: str | None) -> str:
    """The parameter's description (the FilterSet's own words first, if it has some, before the
    list of choices), ending with the rule on repeats."""
    text = parameter.get("description", "")
    if described:
        _, choices, rest = text.partition("\n\n*")
        text = described + (choices + rest if choices else "")
    rule = REPEATABLE if parameter["schema"].get("type") == "array" else ONCE
    return f"{text}\n\n{rule}" if text else rule
