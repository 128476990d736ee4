"""Evidence files in the API.

- `EvidenceActions`, mixed into a subject's viewset (CPD activities, checklist items): its
  `…/{id}/evidence/` action lists the subject's files (GET) and takes new ones (POST, multipart:
  `files` once or more, and `label`), all or none.
- `evidence-files/`: the caller's own uploads (list); one file's details (GET `{id}/`), its bytes
  (GET `{id}/download/`) and its removal (DELETE `{id}/`).

Who may do what is the subject kind's answer (registry.py): a file or subject the caller may not
read is 404, as another program's is; one they read but may not change is 403.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from psp.api.errors import field_errors
from psp.api.schema import ErrorSerializer
from psp.api.serializers import PersonSerializer
from psp.api.viewsets import ProgramScopedViewSet
from psp.evidence import registry, selectors, services
from psp.evidence.models import EvidenceFile
from psp.evidence.uploads import ACCEPT, TYPES, check_uploads
from psp.storage import file_exists, file_response


class EvidenceFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", help_text="The file's name, made safe.")
    content_type = serializers.ChoiceField(
        choices=list(TYPES), help_text="The type read from the file's first bytes."
    )
    uploaded_by = PersonSerializer(read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField(help_text="The file's bytes.")

    class Meta:
        model = EvidenceFile
        fields = [
            "id",
            "subject_type",
            "subject_id",
            "name",
            "label",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, evidence) -> str:
        path = reverse(
            "evidence-file-download",
            kwargs={"program": evidence.program_slug(), "pk": evidence.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class EvidenceUploadSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        allow_empty=False,
        help_text=f"One or more files ({ACCEPT}); repeat the part for each.",
    )
    label = serializers.CharField(max_length=60, help_text="What they are, e.g. Certificate.")

    def validate_files(self, files):
        _, problems = check_uploads(files)
        if problems:
            raise serializers.ValidationError(problems)
        return files


# A subject's evidence: the mixin ------------------------------------------------------------------


def _refuse_unreadable(rights) -> None:
    if not rights.read:
        raise exceptions.NotFound()


class EvidenceActions:
    """Adds `GET/POST …/{id}/evidence/` to a ProgramScopedViewSet whose rows are the subjects of
    the registered kind `evidence_subject_type`. The subject comes from the viewset's own sealed
    fetch (its selector, its capability for the action: add "evidence" to `action_capabilities`
    for anything other than read_capability for GET and write_capability for POST); then the
    kind's rights decide."""

    evidence_subject_type = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.evidence_subject_type:
            raise TypeError(f"{cls.__name__} must name its evidence_subject_type.")

    @extend_schema(
        methods=["GET"],
        summary="The evidence files of this record",
        responses=EvidenceFileSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Attach evidence files to this record",
        description="Multipart: `files` (one part per file; PDF, PNG, JPEG or WebP, checked by "
        "their first bytes) and `label`. All are attached or none; every refused file is named.",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={
            status.HTTP_201_CREATED: EvidenceFileSerializer(many=True),
            415: OpenApiResponse(ErrorSerializer, description="The body is not multipart."),
            503: OpenApiResponse(
                ErrorSerializer, description="A file could not be stored, so is not attached."
            ),
        },
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser],
        filter_backends=[],
        pagination_class=None,
    )
    def evidence(self, request, *args, **kwargs):
        subject = self.get_object()
        kind = registry.subject_kind(self.evidence_subject_type)
        rights = kind.rights(request.access, subject.pk)
        _refuse_unreadable(rights)
        context = self.get_serializer_context()
        if request.method == "GET":
            files = selectors.files_of(subject_type=kind.code, subject_id=subject.pk)
            return Response(EvidenceFileSerializer(files, many=True, context=context).data)
        if not rights.attach:
            raise exceptions.PermissionDenied(f"You may not add evidence to this {kind.label}.")
        stored = _attach(request, kind, subject.pk, rights)
        data = EvidenceFileSerializer(stored, many=True, context=context).data
        return Response(data, status=status.HTTP_201_CREATED)


class NotStored(exceptions.APIException):
    status_code = 503
    default_code = "not_stored"


def _attach(request, kind, subject_id: int, rights) -> list[EvidenceFile]:
    upload = EvidenceUploadSerializer(data=request.data)
    upload.is_valid(raise_exception=True)
    try:
        with transaction.atomic():
            rows = services.evidence_attach_many(
                program=request.program,
                by=request.user,
                subject_type=kind.code,
                subject_id=subject_id,
                practice_id=rights.practice_id,
                uploads=upload.validated_data["files"],
                label=upload.validated_data["label"],
            )
    except ValidationError as error:
        raise exceptions.ValidationError(field_errors(error)) from None
    return stored_or_refused(rows)


def stored_or_refused(rows: list[EvidenceFile]) -> list[EvidenceFile]:
    """The files attached, once their bytes are stored; a 503 naming any that could not be
    (for an app's own upload endpoint too)."""
    outcome = services.outcome(rows)
    if outcome.failed:
        names = ", ".join(row.original_name for row in outcome.failed)
        kept = ", ".join(row.original_name for row in outcome.attached)
        also = f" Attached: {kept}." if kept else ""
        raise NotStored(f"{names} could not be stored, so not attached: try again.{also}")
    return outcome.attached


# One file ---------------------------------------------------------------------------------------


@extend_schema(tags=["evidence"])
@extend_schema_view(
    list=extend_schema(summary="The evidence files you uploaded in this program, newest first"),
    retrieve=extend_schema(summary="One evidence file's details"),
    destroy=extend_schema(
        summary="Remove an evidence file",
        description="It leaves its record's list; the record's history keeps the line saying "
        "it was attached and removed.",
    ),
    download=extend_schema(
        summary="Download an evidence file",
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
            for content_type in TYPES
        },
    ),
)
class EvidenceFileViewSet(ProgramScopedViewSet):
    queryset = EvidenceFile.objects.none()  # for schema introspection only
    serializer_class = EvidenceFileSerializer
    http_method_names = ["get", "delete", "head", "options"]
    ordering_fields = ["uploaded_at"]

    def scoped_queryset(self):
        if self.action == "list":
            return selectors.my_uploads(user=self.request.user)
        return EvidenceFile.objects.filter(removed_at__isnull=True).select_related("uploaded_by")

    def _readable(self) -> tuple[EvidenceFile, registry.EvidenceRights]:
        evidence = self.get_object()
        access = self.request.access
        rights = registry.rights_for(access, evidence.subject_type, evidence.subject_id)
        _refuse_unreadable(rights)
        return evidence, rights

    def retrieve(self, request, *args, **kwargs):
        evidence, _ = self._readable()
        return Response(self.get_serializer(evidence).data)

    def destroy(self, request, *args, **kwargs):
        evidence, rights = self._readable()
        if not rights.remove:
            raise exceptions.PermissionDenied("You may not remove this file.")
        self.perform_destroy(evidence)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def destroy_object(self, instance):
        request = self.request
        services.evidence_remove(program=request.program, by=request.user, evidence=instance)

    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def download(self, request, *args, **kwargs):
        evidence, _ = self._readable()
        if not file_exists(evidence.file):
            raise exceptions.NotFound("This file is no longer kept.")
        return file_response(
            evidence.file,
            content_type=evidence.content_type,
            filename=evidence.original_name,
            size=evidence.size,
        )


routes = [("evidence-files", EvidenceFileViewSet, "evidence-file")]
