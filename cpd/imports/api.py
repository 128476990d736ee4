"""The transcript import in the API: POST cpd-activities/import/ (multipart: `file`; or JSON:
the file's text as `csv`; `check` to check without saving), the same checks as the page. On any
problem nothing is saved and the answer is 400 with `error.rows`, one {line, column, message}
per problem (line 0: the file)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from cpd.imports import services
from psp.api.schema import ErrorSerializer
from psp.csv_files import size_problem


class TranscriptUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        required=False, help_text="The CSV (UTF-8), its first line naming the columns."
    )
    csv = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="Instead of `file` (a JSON body): the CSV's text.",
    )
    check = serializers.BooleanField(
        required=False, default=False, help_text="Check the file only: nothing is saved."
    )

    def validate(self, attrs):
        if ("file" in attrs) == ("csv" in attrs):
            raise serializers.ValidationError("Send the CSV as `file` (multipart) or as `csv`.")
        return attrs

    def content(self) -> bytes:
        data = self.validated_data
        return data["file"].read() if "file" in data else data["csv"].encode()


def _refused(message: str, rows) -> Response:
    body = {
        "status": 400,
        "code": "invalid",
        "message": message,
        "rows": [{"line": e.line, "column": e.column, "message": e.message} for e in rows],
    }
    return Response({"error": body}, status=status.HTTP_400_BAD_REQUEST)


class TranscriptImportActions:
    """The import action of the CPD activities viewset."""

    @extend_schema(
        request={
            "multipart/form-data": TranscriptUploadSerializer,
            "application/json": TranscriptUploadSerializer,
        },
        responses={
            201: inline_serializer(
                "CpdTranscriptImported",
                {
                    "imported": serializers.IntegerField(),
                    "already_recorded": serializers.IntegerField(),
                    "activities": serializers.ListField(child=serializers.IntegerField()),
                },
            ),
            200: OpenApiResponse(description="`check`: what would be imported; nothing saved."),
            400: OpenApiResponse(ErrorSerializer, description="Problems, by line: `error.rows`."),
        },
        summary="Import a past CPD transcript (CSV)",
        description="Columns: email (blank: the caller's own; others' for the program's "
        "admins), type, title, provider, started_on, ended_on, hours, items, category, credits "
        "(blank: from the rules), status (self_reported, or verified for verifiers, never their "
        "own), reflection. At most 2,000 rows and 5 MB. Checked whole; every row lands or none. "
        "Rows already in the record (same type, title and dates) are left out.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, JSONParser],
        filter_backends=[],
        pagination_class=None,
    )
    def import_transcript(self, request, *args, **kwargs):
        body = TranscriptUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        check = body.validated_data["check"]
        upload = body.validated_data.get("file")
        problem = size_problem(upload.size, services.MAX_BYTES) if upload else ""
        if problem:
            return _refused(problem, [])
        result = services.transcript_import(
            program=request.program,
            access=request.access,
            by=request.user,
            data=body.content(),
            commit=not check,
        )
        if result.errors:
            count = len(result.errors)
            message = f"{count} problem{'s' if count != 1 else ''} in the file; nothing was saved."
            return _refused(message, result.errors_shown)
        answer = {
            "imported": len(result.rows) if result.imported else 0,
            "already_recorded": len(result.already),
            "activities": [row.activity_id for row in result.rows] if result.imported else [],
        }
        if check:
            answer["to_import"] = len(result.rows)
        code = status.HTTP_201_CREATED if result.imported else status.HTTP_200_OK
        return Response(answer, status=code)
