"""The visits API's viewsets: visits (logged, planned and cancelled; logged, edited, completed
and cancelled through them) and planned visits (listed soonest first, and scheduled), and the
mapping of the services' errors onto the API's. Their filters are coaching/visits/filters.py,
shared with the visit list."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.response import Response

from coaching.visits import selectors, services
from coaching.visits.api.serializers import (
    PlannedVisitSerializer,
    VisitCancelSerializer,
    VisitCompleteSerializer,
    VisitDetailSerializer,
    VisitLogSerializer,
    VisitSerializer,
    VisitUpdateSerializer,
)
from coaching.visits.checks import SubmissionKeyReused
from coaching.visits.filters import PlannedVisitFilter, VisitFilter
from coaching.visits.models import Visit, VisitMode
from psp.api.errors import field_errors
from psp.api.idempotency import (
    IDEMPOTENCY_HEADER,
    KEY_REUSED_RESPONSE,
    IdempotencyKeyReused,
    idempotency_key,
    request_fingerprint,
)
from psp.api.pagination import KeysetCursorPagination
from psp.api.viewsets import ProgramScopedViewSet
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.history.serializers import ChangeRecordSerializer
from psp.tenancy.permissions import Capability

VIEW, LOG = Capability.VISIT_VIEW, Capability.VISIT_LOG


# Helpers --------------------------------------------------------------------------------------


def service_errors(error: DjangoValidationError, request=None) -> exceptions.APIException:
    """A service's errors in the API's terms: the next visit's fields under `next_visit`, and a
    one-time key sent again with another request as a 422 naming the key."""
    if isinstance(error, SubmissionKeyReused) and request is not None:
        return IdempotencyKeyReused(request)
    fields: dict = {}
    for name, errors in field_errors(error).items():
        if name.startswith("next_"):
            fields.setdefault("next_visit", {})[name.removeprefix("next_")] = errors
        else:
            fields[name] = errors
    return exceptions.ValidationError(fields)


def _ensure_own(request, visit: Visit) -> None:
    """Changes are the visit's own coach's, while they still log visits for its practice."""
    if not request.access.can(LOG, visit.practice_id):
        raise exceptions.PermissionDenied("Your role does not allow this for this practice.")
    if visit.coach_id != request.user.pk:
        raise exceptions.PermissionDenied("Only the coach who made this visit can change it.")


# Viewsets -----------------------------------------------------------------------------------


class VisitViewSet(ProgramScopedViewSet):
    """Visits of the practices the caller may see: logged, planned and cancelled. Create logs a
    visit (optionally planning the next); update edits it (an edit after the visit's day is a
    line of its history, see `history`); `complete` logs a planned visit, `cancel` cancels it.
    Visits are records: they are never deleted."""

    queryset = Visit.objects.none()  # for schema introspection only
    serializer_class = VisitSerializer
    filterset_class = VisitFilter  # `search` is one of its filters, as on the page
    # Paged by cursor: newest first by date, the id settling ties (the index on program,
    # visit_date, id reads just the page).
    pagination_class = KeysetCursorPagination
    ordering = ["-visit_date", "-pk"]
    ordering_fields = ["visit_date", "duration_minutes", "created_at", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    read_capability = VIEW
    write_capability = LOG
    # Changing a visit (update, complete, cancel) takes `visit.log`: a role that logs no visits
    # is refused before any lookup (403 whatever the id); a coach finds the visit among those
    # they may see (else 404), and it must be their own (else 403, `_ensure_own`).

    def scoped_queryset(self):
        if self.action == "retrieve":
            return selectors.visits_in_full(access=self.request.access)
        return selectors.visit_list(access=self.request.access)

    def get_serializer_class(self):
        return {
            "retrieve": VisitDetailSerializer,
            "create": VisitLogSerializer,
            "update": VisitUpdateSerializer,
            "partial_update": VisitUpdateSerializer,
            "complete": VisitCompleteSerializer,
            "cancel": VisitCancelSerializer,
        }.get(self.action, VisitSerializer)

    def _full(self, visit: Visit) -> dict:
        visit = selectors.visit_detail(access=self.request.access, pk=visit.pk)
        return VisitDetailSerializer(visit, context=self.get_serializer_context()).data

    @extend_schema(
        request=VisitLogSerializer,
        responses={
            201: VisitDetailSerializer,
            200: VisitDetailSerializer,
            422: KEY_REUSED_RESPONSE,
        },
        parameters=[IDEMPOTENCY_HEADER],
        summary="Log a visit",
        description="A visit to a practice of your caseload, dated today or earlier, its minutes "
        "by activity adding up to its duration. `new_actions` are created with it; "
        "`next_visit` plans the next one. Attendees are asked for feedback. A repeated "
        "`submission_key` (or Idempotency-Key) with the same request returns the first visit "
        "with 200; with a different request it is a 422.",
    )
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        key = idempotency_key(request, body.validated_data.get("submission_key"))
        try:
            visit = services.visit_log(
                program=request.program,
                by=request.user,
                practice=body.validated_data["practice"],
                visit=body.to_input(),
                new_actions=body.new_action_rows(),
                next_visit=body.next_visit_fields(),
                submission_key=key,
                request_fingerprint=request_fingerprint(request),
            )
        except DjangoValidationError as error:
            raise service_errors(error, request) from None
        status = http_status.HTTP_200_OK if visit.resent else http_status.HTTP_201_CREATED
        return Response(self._full(visit), status=status)

    @extend_schema(request=VisitUpdateSerializer, responses=VisitDetailSerializer)
    def update(self, request, *args, **kwargs):
        # PUT and PATCH alike change only what is sent. Who may change the visit is settled
        # before the body is read: someone else gets 403 whatever they send.
        visit = self.get_object()
        _ensure_own(request, visit)
        body = VisitUpdateSerializer(
            visit,
            data=request.data,
            partial=True,
            context=self.get_serializer_context(),
        )
        body.is_valid(raise_exception=True)
        self.perform_update(body)
        return Response(self._full(body.instance))

    @extend_schema(request=VisitUpdateSerializer, responses=VisitDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def update_object(self, serializer):
        visit = serializer.instance
        _ensure_own(self.request, visit)
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        try:
            return services.visit_update(
                program=self.request.program,
                by=self.request.user,
                visit=visit,
                data=data,
                reason=reason,
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None

    @extend_schema(
        responses=ChangeRecordSerializer(many=True),
        summary="A visit's change history",
        description="Who changed the visit after its day, when and why (in `summary`), and "
        "each field from what to what (`changes`, values as the visit's page shows them), "
        "newest first. The same shape as every history endpoint.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        visit = self.get_object()
        changes = history_of(subject_type=SubjectType.VISIT, subject_id=visit.pk)
        return Response(ChangeRecordSerializer(changes, many=True).data)

    @extend_schema(
        request=VisitCompleteSerializer,
        responses={200: VisitDetailSerializer, 422: KEY_REUSED_RESPONSE},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Complete a planned visit",
        description="Log what happened at a planned visit: the same row becomes a logged "
        "visit, with the same rules as logging one. Its start time, mode, purpose and notes "
        "stay as planned unless the body gives them. Only the visit's own coach.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def complete(self, request, *args, **kwargs):
        visit = self.get_object()
        _ensure_own(request, visit)
        body = VisitCompleteSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        key = idempotency_key(request, body.validated_data.get("submission_key"))
        try:
            services.visit_complete(
                program=request.program,
                by=request.user,
                planned=visit,
                visit=body.to_input(planned=visit),
                new_actions=body.new_action_rows(),
                next_visit=body.next_visit_fields(),
                submission_key=key,
                request_fingerprint=request_fingerprint(request),
            )
        except DjangoValidationError as error:
            raise service_errors(error, request) from None
        return Response(self._full(visit))

    @extend_schema(
        request=VisitCancelSerializer,
        responses=VisitDetailSerializer,
        summary="Cancel a planned visit",
        description="A reason is required. Only the visit's own coach.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request, *args, **kwargs):
        visit = self.get_object()
        _ensure_own(request, visit)
        body = VisitCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.visit_cancel(
                program=request.program,
                by=request.user,
                visit=visit,
                reason=body.validated_data["reason"],
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        return Response(self._full(visit))


class PlannedVisitViewSet(ProgramScopedViewSet):
    """Planned visits: the list (soonest first) and scheduling one. A planned visit's own
    address also answers once it is completed or cancelled, saying what became of it; change,
    complete or cancel it through …/visits/{id}/."""

    queryset = Visit.objects.none()  # for schema introspection only
    serializer_class = VisitSerializer
    filterset_class = PlannedVisitFilter
    pagination_class = KeysetCursorPagination
    ordering = ["visit_date", "pk"]  # soonest first
    ordering_fields = ["visit_date", "created_at"]
    http_method_names = ["get", "post", "head", "options"]
    read_capability = VIEW
    write_capability = LOG

    def scoped_queryset(self):
        if self.action == "retrieve":
            return selectors.visits_in_full(access=self.request.access)
        return selectors.planned_visit_list(access=self.request.access)

    def get_serializer_class(self):
        return {"retrieve": VisitDetailSerializer, "create": PlannedVisitSerializer}.get(
            self.action, VisitSerializer
        )

    @extend_schema(
        request=PlannedVisitSerializer,
        responses={
            201: VisitDetailSerializer,
            200: VisitDetailSerializer,
            422: KEY_REUSED_RESPONSE,
        },
        parameters=[IDEMPOTENCY_HEADER],
        summary="Schedule a visit",
        description="A visit to a practice of your caseload, today or later.",
    )
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.setdefault("mode", VisitMode.ON_SITE)
        key = idempotency_key(request, data.pop("submission_key", None))
        try:
            planned = services.visit_plan(
                program=request.program,
                by=request.user,
                submission_key=key,
                request_fingerprint=request_fingerprint(request),
                **data,
            )
        except DjangoValidationError as error:
            raise service_errors(error, request) from None
        visit = selectors.visit_detail(access=request.access, pk=planned.pk)
        status = http_status.HTTP_200_OK if planned.resent else http_status.HTTP_201_CREATED
        return Response(
            VisitDetailSerializer(visit, context=self.get_serializer_context()).data, status=status
        )
