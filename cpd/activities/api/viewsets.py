"""REST endpoints for CPD activities and program activities, under
/api/v1/programs/<program>/cpd-activities/ and …/cpd-offerings/.

Activities: everyone lists and reads their own, and others' within their reach (cpd.view: admins
and managers program-wide, a lead their practice's people; verifiers every activity that has left
its draft); the filters are the verifier's queue page's (cpd/activities/filters.py). A person
creates, corrects, confirms, submits and deletes their own; verifiers (admins and named
verifiers) verify, reject and ask for evidence, never on their own activity. Writes go through
cpd/activities/services with the program from the scope."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cpd.activities import selectors, services
from cpd.activities.api.serializers import (
    AttendeeSerializer,
    AttendeesSerializer,
    ConfirmSerializer,
    CpdActivitySerializer,
    CpdOfferingSerializer,
    EvidenceRequestSerializer,
    RejectSerializer,
)
from cpd.activities.evidence import CODE
from cpd.activities.filters import CpdActivityFilter
from cpd.activities.models import CpdActivity, CpdOffering
from cpd.imports.api import TranscriptImportActions
from psp.api.pagination import KeysetCursorPagination
from psp.api.schema import ErrorSerializer
from psp.api.viewsets import ProgramScopedViewSet
from psp.evidence.api import (
    EvidenceFileSerializer,
    EvidenceUploadSerializer,
    stored_or_refused,
)
from psp.evidence.selectors import files_of
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.history.serializers import ChangeRecordSerializer
from psp.tenancy.permissions import Capability

RECORD, DEFINE = Capability.CPD_RECORD, Capability.CPD_DEFINE
VERIFIER_ONLY = "Only the program's admins and named verifiers verify CPD."


class CpdActivityViewSet(TranscriptImportActions, ProgramScopedViewSet):
    """CPD activities: recorded by a person, sent for verification, verified or rejected;
    imported from a past transcript (cpd/imports/api.py)."""

    queryset = CpdActivity.objects.none()  # for schema introspection only
    serializer_class = CpdActivitySerializer
    filterset_class = CpdActivityFilter
    # Paged by cursor, by dates every activity has (one may not be submitted yet).
    pagination_class = KeysetCursorPagination
    ordering_fields = ["ended_on", "created_at"]
    ordering = ["-ended_on", "-pk"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    read_capability = RECORD
    write_capability = RECORD

    def scoped_queryset(self):
        return selectors.activities_in_reach(access=self.request.access)

    def _fresh(self, activity):
        return self.scoped_queryset().get(pk=activity.pk)

    def _answer(self, activity):
        data = CpdActivitySerializer(self._fresh(activity), context=self.get_serializer_context())
        return Response(data.data)

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        submit = data.pop("submit", False)
        activity = services.activity_record(
            program=self.request.program, by=self.request.user, data=data, submit=submit
        )
        return self._fresh(activity)

    def update_object(self, serializer):
        data = dict(serializer.validated_data)
        submit = data.pop("submit", False)
        activity = services.activity_update(
            program=self.request.program,
            activity=serializer.instance,
            by=self.request.user,
            data=data,
            submit=submit,
        )
        return self._fresh(activity)

    def destroy_object(self, instance):
        services.activity_delete(
            program=self.request.program, activity=instance, by=self.request.user
        )

    @extend_schema(
        request=None,
        responses=CpdActivitySerializer,
        summary="Send one's activity for verification",
        description="From self-reported, draft or rejected (corrected). Sending it again "
        "changes nothing.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request, *args, **kwargs):
        activity = services.activity_submit(
            program=request.program, activity=self.get_object(), by=request.user
        )
        return self._answer(activity)

    @extend_schema(
        request=ConfirmSerializer,
        responses=CpdActivitySerializer,
        summary="Confirm a draft drafted for one (a program activity attended)",
        description="It counts as self-reported, or is sent for verification with `submit`. "
        "Confirming again changes nothing.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def confirm(self, request, *args, **kwargs):
        activity = self.get_object()
        body = ConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        activity = services.activity_confirm(
            program=request.program,
            activity=activity,
            by=request.user,
            submit=body.validated_data["submit"],
        )
        return self._answer(activity)

    def _verifier_only(self, request):
        # Refused before any lookup, whatever the id, for anyone who verifies nothing.
        if not selectors.can_verify(request.access):
            raise PermissionDenied(VERIFIER_ONLY)

    @extend_schema(
        request=None,
        responses=CpdActivitySerializer,
        summary="Verify a submitted activity",
        description="Admins and named verifiers; nobody verifies their own. Verifying again "
        "changes nothing.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def verify(self, request, *args, **kwargs):
        self._verifier_only(request)
        activity = services.activity_verify(
            program=request.program, activity=self.get_object(), by=request.user
        )
        return self._answer(activity)

    @extend_schema(
        request=RejectSerializer,
        responses=CpdActivitySerializer,
        summary="Reject a submitted activity, saying why",
        description="The person corrects it and submits it again.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reject(self, request, *args, **kwargs):
        self._verifier_only(request)
        activity = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        activity = services.activity_reject(
            program=request.program,
            activity=activity,
            by=request.user,
            reason=body.validated_data["reason"],
        )
        return self._answer(activity)

    @extend_schema(
        request=EvidenceRequestSerializer,
        responses=CpdActivitySerializer,
        summary="Ask for evidence of a submitted activity",
        description="Sets `evidence_requested`; evidence attached to the activity clears it.",
    )
    @action(detail=True, methods=["post"], url_path="request-evidence", filter_backends=[])
    def request_evidence(self, request, *args, **kwargs):
        self._verifier_only(request)
        activity = self.get_object()
        body = EvidenceRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        activity = services.activity_request_evidence(
            program=request.program,
            activity=activity,
            by=request.user,
            message=body.validated_data["message"],
        )
        return self._answer(activity)

    @extend_schema(
        methods=["GET"],
        summary="The evidence files of a CPD activity",
        responses=EvidenceFileSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Attach evidence files to one's CPD activity",
        description="Multipart: `files` (one part per file; PDF, PNG, JPEG or WebP, checked by "
        "their first bytes) and `label` (Certificate, Attendance record or Other). All are "
        "attached or none; every refused file is named. Answers a verifier's request for "
        "evidence (`evidence_requested` is cleared). Refused once the activity is verified.",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={
            http_status.HTTP_201_CREATED: EvidenceFileSerializer(many=True),
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
        activity = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            files = files_of(subject_type=CODE, subject_id=activity.pk)
            return Response(EvidenceFileSerializer(files, many=True, context=context).data)
        if activity.person_id != request.user.pk:  # before reading a body meant for nobody
            raise PermissionDenied("Only the person who recorded this activity adds evidence.")
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            rows = services.activity_evidence_attach(
                program=request.program,
                activity=activity,
                by=request.user,
                uploads=body.validated_data["files"],
                label=body.validated_data["label"],
            )
        data = EvidenceFileSerializer(stored_or_refused(rows), many=True, context=context).data
        return Response(data, status=http_status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=ChangeRecordSerializer(many=True),
        summary="A CPD activity's history",
        description="Who recorded, changed, submitted, verified or rejected it, and when, "
        "newest first, each with its field changes ({field: [before, after]}).",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        activity = self.get_object()
        changes = history_of(subject_type=SubjectType.CPD_ACTIVITY, subject_id=activity.pk)
        return Response(ChangeRecordSerializer(changes, many=True).data)


class CpdOfferingViewSet(ProgramScopedViewSet):
    """Program activities (a PSP workshop), for the program's admins: created once; each
    attendee added gets a draft activity to confirm."""

    queryset = CpdOffering.objects.none()  # for schema introspection only
    serializer_class = CpdOfferingSerializer
    ordering_fields = ["started_on", "created_at", "title"]
    ordering = ["-started_on", "title"]
    http_method_names = ["get", "post", "head", "options"]
    read_capability = DEFINE
    write_capability = DEFINE

    def scoped_queryset(self):
        return selectors.offering_list()

    def create_object(self, serializer):
        offering = services.offering_create(
            program=self.request.program, by=self.request.user, data=serializer.validated_data
        )
        return self.scoped_queryset().get(pk=offering.pk)

    @extend_schema(
        request=AttendeesSerializer,
        responses={201: AttendeeSerializer(many=True)},
        summary="Add attendees to a program activity",
        description="Each person added gets a draft activity filled in from it, to confirm; "
        "people already added are skipped. Answers with every attendee's activity. Refused "
        "before the activity has ended.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def attendees(self, request, *args, **kwargs):
        offering = self.get_object()
        body = AttendeesSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.offering_add_attendees(
            program=request.program,
            offering=offering,
            by=request.user,
            people=body.validated_data["people"],
        )
        rows = selectors.offering_attendees(offering=offering)
        return Response(
            AttendeeSerializer(rows, many=True).data, status=http_status.HTTP_201_CREATED
        )
