"""The template and pack endpoints. Writes go through compliance/checklists/services.py (and
packs/services.py) with the program from the scope."""

from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from compliance.checklists import selectors, services
from compliance.checklists.api.serializers import (
    ChecklistPackLoadSerializer,
    ChecklistPackSerializer,
    ChecklistTemplateSerializer,
    ChecklistVersionSerializer,
    ChecklistVersionSummarySerializer,
    DraftSerializer,
    NoteSerializer,
    PackLoadResultSerializer,
)
from compliance.checklists.filters import TemplateFilter
from compliance.checklists.models import ChecklistTemplate
from compliance.checklists.packs import available_packs
from compliance.checklists.packs.services import pack_load
from psp.api.viewsets import ProgramReportViewSet, ProgramScopedViewSet
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.history.serializers import ChangeRecordSerializer
from psp.tenancy.permissions import Capability

VIEW, DEFINE = Capability.COMPLIANCE_VIEW, Capability.COMPLIANCE_DEFINE


class ChecklistTemplateViewSet(ProgramScopedViewSet):
    """The program's checklist templates, each with its current version's sections and items.
    Everyone who sees checklists reads them; program admins write them. Creating one takes a
    whole document (details and sections) and makes version 1, a draft unless `publish`.
    Items change in a draft (`…/draft/`), published with `…/publish/`; a published template
    changes through `…/new-version/`. Templates are not deleted: set `is_active` false."""

    queryset = ChecklistTemplate.objects.none()  # for schema introspection only
    serializer_class = ChecklistTemplateSerializer
    filterset_class = TemplateFilter
    ordering = ["name"]
    read_capability = VIEW
    write_capability = DEFINE
    action_capabilities = {
        "publish": DEFINE,
        "new_version": DEFINE,
        "draft": DEFINE,
        "history": DEFINE,
    }
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scoped_queryset(self):
        return selectors.with_structure(selectors.template_list())

    def _fresh(self, template):
        return self.scoped_queryset().get(pk=template.pk)

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        publish = data.pop("publish", False)
        active = data.pop("is_active", True)
        data.setdefault("sections", [])
        program, by = self.request.program, self.request.user
        template = services.template_create(program=program, by=by, document=data, publish=publish)
        if not active:
            services.template_set_active(program=program, template=template, by=by, active=False)
        return self._fresh(template)

    def update_object(self, serializer):
        data = {
            name: value
            for name, value in serializer.validated_data.items()
            if name in services.DETAIL_FIELDS
        }
        template = services.template_update(
            program=self.request.program,
            template=serializer.instance,
            by=self.request.user,
            data=data,
        )
        return self._fresh(template)

    def _draft(self, template):
        draft = selectors.draft_of(template)
        if draft is None:
            raise exceptions.NotFound("This template has no draft version: start a new version.")
        return draft

    @extend_schema(
        request=NoteSerializer,
        responses=ChecklistTemplateSerializer,
        summary="Publish the template's draft",
        description="The draft becomes the version new checklists are made from; checklists "
        "made already keep their version. 404 when there is no draft, 400 naming what the "
        "draft still lacks.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def publish(self, request, *args, **kwargs):
        template = self.get_object()
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            services.version_publish(
                program=request.program,
                version=self._draft(template),
                by=request.user,
                change_note=body.validated_data.get("change_note"),
            )
            return Response(self.get_serializer(self._fresh(template)).data)

    @extend_schema(
        request=NoteSerializer,
        responses={201: ChecklistVersionSerializer},
        summary="Start a new version",
        description="A draft copy of the current version, to change (PUT …/draft/) and publish. "
        "400 when the template has a draft already.",
    )
    @action(detail=True, methods=["post"], url_path="new-version", filter_backends=[])
    def new_version(self, request, *args, **kwargs):
        template = self.get_object()
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            draft = services.version_new_draft(
                program=request.program,
                template=template,
                by=request.user,
                change_note=body.validated_data.get("change_note", ""),
            )
            data = ChecklistVersionSerializer(selectors.structure(draft.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=ChecklistVersionSerializer,
        summary="The template's draft version",
        description="With its sections and items; 404 when it has no draft.",
    )
    @extend_schema(
        methods=["PUT"],
        request=DraftSerializer,
        responses=ChecklistVersionSerializer,
        summary="Replace the draft's sections and items",
        description="Checked whole: every problem is named by its path under `sections`.",
    )
    @action(detail=True, methods=["get", "put"], filter_backends=[], pagination_class=None)
    def draft(self, request, *args, **kwargs):
        template = self.get_object()
        draft = self._draft(template)
        if request.method == "PUT":
            body = DraftSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            with transaction.atomic():
                services.draft_replace(
                    program=request.program,
                    version=draft,
                    by=request.user,
                    sections=body.validated_data["sections"],
                )
        return Response(ChecklistVersionSerializer(selectors.structure(draft.pk)).data)

    @extend_schema(
        request=None,
        responses=ChecklistVersionSummarySerializer(many=True),
        summary="The template's versions",
        description="Newest first, each with its number of items and of checklists made from it.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def versions(self, request, *args, **kwargs):
        rows = selectors.version_history(template=self.get_object())
        for row in rows:
            row.version.item_count, row.version.instance_count = row.item_count, row.instance_count
        versions = [row.version for row in rows]
        return Response(ChecklistVersionSummarySerializer(versions, many=True).data)

    @extend_schema(
        request=None,
        responses=ChangeRecordSerializer(many=True),
        summary="A template's history",
        description="Newest first: its creation, edits, versions, drafts and assignments. The "
        "same shape as every history endpoint.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        template = self.get_object()
        changes = history_of(subject_type=SubjectType.CHECKLIST_TEMPLATE, subject_id=template.pk)
        return Response(ChangeRecordSerializer(changes, many=True).data)


class ChecklistPackViewSet(ProgramReportViewSet):
    """The checklist packs shipped with the platform, and loading them (program admins)."""

    read_capability = DEFINE
    write_capability = DEFINE

    @extend_schema(
        responses=ChecklistPackSerializer(many=True),
        summary="The checklist packs",
        description="Each pack with its templates and whether each is loaded in the program.",
    )
    def read(self, request, *args, **kwargs):
        loaded = set(ChecklistTemplate.objects.values_list("key", flat=True))
        packs = [
            {
                "key": pack.key,
                "name": pack.name,
                "summary": pack.summary,
                "sectors": list(pack.sectors),
                "templates": [
                    {
                        "key": doc.key,
                        "name": doc.name,
                        "recurrence": doc.recurrence,
                        "item_count": len(doc.items),
                        "loaded": doc.key in loaded,
                    }
                    for doc in pack.templates
                ],
            }
            for pack in available_packs()
        ]
        return Response(ChecklistPackSerializer(packs, many=True).data)

    @extend_schema(
        request=ChecklistPackLoadSerializer,
        responses={201: PackLoadResultSerializer, 200: PackLoadResultSerializer},
        summary="Load checklist packs",
        description="Adds each pack's templates, version 1 published, all or nothing. A "
        "template whose key is here already is skipped and left as it is (listed in `skipped`). "
        "201 when something was made, 200 when everything was here already.",
    )
    @action(detail=False, methods=["post"])
    def load(self, request, *args, **kwargs):
        body = ChecklistPackLoadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = pack_load(
                program=request.program, pack_keys=body.validated_data["packs"], by=request.user
            )
        except ValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from error
        data = {"made": [t.key for t in result.made], "skipped": [t.key for t in result.skipped]}
        code = status.HTTP_201_CREATED if result.made else status.HTTP_200_OK
        return Response(PackLoadResultSerializer(data).data, status=code)
