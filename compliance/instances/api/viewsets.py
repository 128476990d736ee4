"""REST endpoints for practices' checklists, under /api/v1/programs/<program>/checklists/ and
…/checklist-responses/.

Checklists are listed and read by whoever sees them (compliance.view: admins and managers
program-wide, coaches their practices', the practice's people their own); the filters are
compliance/instances/filters.py. On one checklist: an item is answered by the practice's people
(compliance.complete) while it is not signed off (PUT/PATCH …/items/{checklistitem_pk}/); files
go on an item with POST …/items/{checklistitem_pk}/evidence/ (its answer row is made when the
file comes first) or on the answer row itself (checklist-responses/{id}/evidence/, the id is the
item's `response_id`); the lead or the person named for a role signs (…/attest/); the lead or an
admin corrects a signed-off one (…/correct/); a failed item becomes an action (…/action/,
plan.edit). The checklist is looked up first (404 out of reach), then the right on its practice
is asked (403). Writes go through compliance/instances/services."""

from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from compliance.checklists.models import ChecklistItem
from compliance.instances import selectors, services
from compliance.instances.answers import shown
from compliance.instances.api.serializers import (
    AttestInputSerializer,
    ChecklistDetailSerializer,
    ChecklistResponseSerializer,
    ChecklistSerializer,
    CorrectInputSerializer,
    ItemActionInputSerializer,
    ItemAnswerInputSerializer,
    ItemAnswerResultSerializer,
)
from compliance.instances.evidence import KIND
from compliance.instances.filters import ChecklistFilter
from compliance.instances.models import (
    Attestation,
    ChecklistInstance,
    ItemResponse,
)
from compliance.instances.services import ANSWER_FIELDS
from psp.api.errors import field_errors
from psp.api.pagination import KeysetCursorPagination
from psp.api.viewsets import ProgramScopedViewSet
from psp.evidence import services as evidence_services
from psp.evidence.api import (
    EvidenceActions,
    EvidenceFileSerializer,
    EvidenceUploadSerializer,
    stored_or_refused,
)
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.history.serializers import ChangeRecordSerializer
from psp.tenancy.permissions import Capability

VIEW, COMPLETE = Capability.COMPLIANCE_VIEW, Capability.COMPLIANCE_COMPLETE
ITEM = r"items/(?P<checklistitem_pk>[0-9]+)"
ITEM_PARAMETER = OpenApiParameter(
    "checklistitem_pk", int, OpenApiParameter.PATH, description="The item's id (`items[].id`)."
)


def _refuse(allowed: bool, why: str) -> None:
    if not allowed:
        raise exceptions.PermissionDenied(why)


def _checked(serializer_class, data, context=None):
    body = serializer_class(data=data, context=context or {})
    body.is_valid(raise_exception=True)
    return body.validated_data


def _run(write):
    """A service call whose refusal is a 400 naming the field at fault."""
    try:
        return write()
    except ValidationError as error:
        raise exceptions.ValidationError(field_errors(error)) from None


class ChecklistViewSet(ProgramScopedViewSet):
    """Practices' checklists: made on schedule (never posted), answered item by item."""

    queryset = ChecklistInstance.objects.none()  # for schema introspection only
    serializer_class = ChecklistSerializer
    filterset_class = ChecklistFilter
    # Paged by cursor, by dates every checklist has (attestation may not have happened yet).
    pagination_class = KeysetCursorPagination
    ordering_fields = ["due_on", "opens_on"]
    ordering = ["due_on", "pk"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    read_capability = VIEW
    # Every action finds the checklist among those the caller sees first; the right on its
    # practice (to answer, sign, correct, raise an action) is asked of that checklist.
    write_capability = VIEW

    def scoped_queryset(self):
        return selectors.checklists_in_reach(access=self.request.access).select_related(
            "supersedes"
        )

    # POST and PUT/PATCH are open for the actions below; checklists themselves are made by
    # the schedule and changed only through them.
    @extend_schema(exclude=True)
    def create(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed(request.method)

    # An id that names no checklist of the caller's is a 404, as on every detail route.
    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        self.get_object()
        raise exceptions.MethodNotAllowed(request.method)

    @extend_schema(exclude=True)
    def partial_update(self, request, *args, **kwargs):
        self.get_object()
        raise exceptions.MethodNotAllowed(request.method)

    @extend_schema(responses=ChecklistDetailSerializer, summary="One checklist, whole")
    def retrieve(self, request, *args, **kwargs):
        return self._whole(self.get_object())

    def _whole(self, checklist, status=http_status.HTTP_200_OK):
        checklist = self.scoped_queryset().get(pk=checklist.pk)
        checklist.rows = _rows(checklist)
        checklist.progress = selectors.progress_of(checklist.rows)
        checklist.attesters_needed = selectors.needed_from(checklist.rows)
        checklist.signatures = list(
            Attestation.objects.filter(instance=checklist).select_related("user")
        )
        checklist.correction = selectors.correction_of(checklist)
        return Response(ChecklistDetailSerializer(checklist).data, status=status)

    def _item(self, checklist):
        item = ChecklistItem.objects.filter(
            version_id=checklist.version_id, pk=self.kwargs["checklistitem_pk"]
        ).first()
        if item is None:
            raise exceptions.NotFound("No such item on this checklist.")
        return item

    @extend_schema(
        parameters=[ITEM_PARAMETER],
        request=ItemAnswerInputSerializer,
        responses=ItemAnswerResultSerializer,
        summary="Answer one item",
        description="The practice's people, while the checklist is not signed off. PUT "
        "replaces the item's answer (fields left out are cleared), PATCH changes the fields it "
        "names. A bad answer is a 400 naming the field; the checklist moves to completed when "
        "every item is answered with the evidence it asks for.",
    )
    @action(detail=True, methods=["put", "patch"], url_path=ITEM, filter_backends=[])
    def item(self, request, *args, **kwargs):
        checklist = self.get_object()
        item = self._item(checklist)
        _refuse(request.access.can(COMPLETE, checklist.practice_id), "Only the practice's "
                "people answer its checklists.")  # fmt: skip
        data = _checked(ItemAnswerInputSerializer, request.data)
        if request.method == "PATCH":
            data = _current(checklist, item) | data
        _run(
            lambda: services.response_save(
                program=request.program,
                by=request.user,
                instance=checklist,
                item_id=item.pk,
                data=data,
            )
        )
        return Response(ItemAnswerResultSerializer(_row_of(checklist, item)).data)

    @extend_schema(
        parameters=[ITEM_PARAMETER],
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceFileSerializer(many=True)},
        summary="Attach evidence files to one item",
        description="Multipart: `files` (one part per file; PDF, PNG, JPEG or WebP, checked by "
        "their first bytes) and `label` (Policy or procedure, Log or record, Photo, Certificate "
        "or Other). The item's answer row is made, unanswered, when the file comes before the "
        "answer. All are attached or none. The practice's people, while it is not signed off.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=ITEM + "/evidence",
        parser_classes=[MultiPartParser],
        filter_backends=[],
    )
    def item_evidence(self, request, *args, **kwargs):
        checklist = self.get_object()
        item = self._item(checklist)
        _refuse(request.access.can(COMPLETE, checklist.practice_id), "Only the practice's "
                "people add evidence to its checklists.")  # fmt: skip
        body = _checked(EvidenceUploadSerializer, request.data)

        def attach():
            with transaction.atomic():
                response = services.response_for_evidence(
                    program=request.program, by=request.user, instance=checklist, item_id=item.pk
                )
                return evidence_services.evidence_attach_many(
                    program=request.program,
                    by=request.user,
                    subject_type=KIND.code,
                    subject_id=response.pk,
                    practice_id=checklist.practice_id,
                    uploads=body["files"],
                    label=body["label"],
                )

        stored = stored_or_refused(_run(attach))
        data = EvidenceFileSerializer(stored, many=True, context=self.get_serializer_context())
        return Response(data.data, status=http_status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ITEM_PARAMETER],
        request=ItemActionInputSerializer,
        responses={201: ItemAnswerResultSerializer},
        summary="Make a failed item an action",
        description="plan.edit on the practice. Under a goal of the practice's current plan "
        "(`goal`, required when it has one), or standing alone among its actions when it has "
        "none; linked both ways. Once per item; not on a corrected revision.",
    )
    @action(detail=True, methods=["post"], url_path=ITEM + "/action", filter_backends=[])
    def item_action(self, request, *args, **kwargs):
        checklist = self.get_object()
        item = self._item(checklist)
        _refuse(request.access.can(Capability.PLAN_EDIT, checklist.practice_id), "Your role "
                "does not add actions for this practice.")  # fmt: skip
        data = _checked(ItemActionInputSerializer, request.data, self.get_serializer_context())
        _run(
            lambda: services.response_action_create(
                program=request.program,
                by=request.user,
                instance=checklist,
                item_id=item.pk,
                **data,
            )
        )
        result = ItemAnswerResultSerializer(_row_of(checklist, item))
        return Response(result.data, status=http_status.HTTP_201_CREATED)

    @extend_schema(
        request=AttestInputSerializer,
        responses=ChecklistDetailSerializer,
        summary="Sign a completed checklist off for one role",
        description="By the practice's lead, or the person the practice named for the role. "
        f"The statement agreed to: “{services.STATEMENT}” With the last role's signature the "
        "checklist is signed off and frozen.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def attest(self, request, *args, **kwargs):
        checklist = self.get_object()
        needed = selectors.attesters_needed(checklist)
        signers = selectors.attesters_for(checklist.practice_id)
        _refuse(
            any(request.user.pk in signers.get(role, set()) for role in needed),
            "Only the practice's lead, or the person it named for the role, signs this off.",
        )
        data = _checked(AttestInputSerializer, request.data)
        _run(
            lambda: services.instance_attest(
                program=request.program, by=request.user, instance=checklist, **data
            )
        )
        return self._whole(checklist)

    @extend_schema(
        request=CorrectInputSerializer,
        responses={201: ChecklistDetailSerializer},
        summary="Correct a signed-off checklist",
        description="The practice's lead or a program admin. A new revision with the reason "
        "and the answers copied, to be corrected and signed again; answers with it. The signed "
        "revision stays as it was, superseded.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def correct(self, request, *args, **kwargs):
        checklist = self.get_object()
        access, practice_id = request.access, checklist.practice_id
        _refuse(
            access.can(Capability.COMPLIANCE_ATTEST, practice_id)
            or access.can(Capability.COMPLIANCE_DEFINE, practice_id),
            "Only the practice's lead and the program's admins correct a signed-off checklist.",
        )
        reason = _checked(CorrectInputSerializer, request.data)["reason"]
        correction = _run(
            lambda: services.instance_correct(
                program=request.program, by=request.user, instance=checklist, reason=reason
            )
        )
        return self._whole(correction, status=http_status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=ChangeRecordSerializer(many=True),
        summary="A checklist's history",
        description="Answers, files, sign-offs, corrections and actions, newest first, each "
        "with its field changes ({field: [before, after]}).",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        checklist = self.get_object()
        changes = history_of(subject_type=SubjectType.CHECKLIST, subject_id=checklist.pk)
        return Response(ChangeRecordSerializer(changes, many=True).data)


def _rows(checklist):
    rows = selectors.item_rows(checklist)
    for row in rows:
        row.shown = shown(row.item, row.response)
    return rows


def _row_of(checklist, item):
    checklist = ChecklistInstance.objects.get(pk=checklist.pk)
    rows = _rows(checklist)
    row = next(row for row in rows if row.item.pk == item.pk)
    row.checklist_status = checklist.status
    row.progress = selectors.progress_of(rows)
    return row


def _current(checklist, item) -> dict:
    """The item's answer as the service reads it, for PATCH to change part of it."""
    response = ItemResponse.objects.filter(instance=checklist, item=item).first()
    if response is None:
        return {}
    return {field: getattr(response, field) for field in ANSWER_FIELDS}


class ChecklistResponseViewSet(EvidenceActions, ProgramScopedViewSet):
    """Items' answers, one row per answered item (or item given a file first): read here, with
    their evidence files (…/{id}/evidence/); answered through checklists/{id}/items/."""

    queryset = ItemResponse.objects.none()  # for schema introspection only
    serializer_class = ChecklistResponseSerializer
    evidence_subject_type = KIND.code
    # Paged by cursor: checklist by checklist, in item order (`?ordering=` is not offered: an
    # item given a file first has no answer time yet).
    pagination_class = KeysetCursorPagination
    ordering_fields = []
    ordering = ["instance_id", "item__position", "pk"]
    http_method_names = ["get", "post", "head", "options"]
    read_capability = VIEW
    write_capability = VIEW  # the evidence kind's rights decide (compliance.complete, unfrozen)

    def scoped_queryset(self):
        checklists = selectors.checklists_in_reach(access=self.request.access)
        return ItemResponse.objects.filter(instance__in=checklists.values("pk")).select_related(
            "answered_by"
        )

    def practice_id_of(self, obj):
        return None  # the checklist's reach already limits the rows; the kind's rights decide

    @extend_schema(exclude=True)
    def create(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed(request.method)
