"""REST endpoints for instruments, their versions (the whole structure, read-only), instrument
packs and the change library.

Every path is under /api/v1/programs/<program>/ (psp/api/urls.py reads `routes`). Reading needs
INSTRUMENT_VIEW (everyone in the program); writing needs INSTRUMENT_MANAGE (program admins).
Writes go through the services (services.py, change_ideas.py, packs/services.py) with the
program from the scope; `program` is never read from input, and related ids are looked up inside
the program only. Packs have no model of their
own, so they are actions of the instruments endpoint (GET instruments/packs/,
POST instruments/load-pack/) and fall under the same scope and permission checks.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from assessments.instruments import change_ideas, selectors, services
from assessments.instruments.filters import ChangeIdeaFilter, VersionFilter
from assessments.instruments.models import (
    ChangeIdea,
    Instrument,
    InstrumentVersion,
    VersionStatus,
)
from assessments.instruments.packs import available_packs
from assessments.instruments.packs.services import pack_load
from assessments.instruments.serializers import (
    ChangeIdeaSerializer,
    ChangeNoteSerializer,
    InstrumentSerializer,
    PackLoadSerializer,
    PackSerializer,
    VersionDetailSerializer,
    VersionListSerializer,
)
from psp.api.viewsets import ProgramScopedViewSet
from psp.tenancy.permissions import Capability

VIEW, MANAGE = Capability.INSTRUMENT_VIEW, Capability.INSTRUMENT_MANAGE

# Viewsets ---------------------------------------------------------------------------------


class InstrumentViewSet(ProgramScopedViewSet):
    """The program's assessment instruments, with their versions. Creating one starts an empty
    draft version 1; its structure is built on the instrument pages. Not deletable: completed
    assessments keep pointing at its versions."""

    queryset = Instrument.objects.none()  # for schema introspection only
    serializer_class = InstrumentSerializer
    search_fields = ["name", "key", "description"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    read_capability = VIEW
    write_capability = MANAGE
    action_capabilities = {
        "publish": MANAGE,
        "new_draft": MANAGE,
        "packs": MANAGE,
        "load_pack": MANAGE,
    }

    def scoped_queryset(self):
        return selectors.instrument_list()

    def _fresh(self, instrument: Instrument) -> Instrument:
        return self.scoped_queryset().get(pk=instrument.pk)

    def create_object(self, serializer):
        instrument = services.instrument_create(
            program=self.request.program, by=self.request.user, **serializer.validated_data
        )
        return self._fresh(instrument)

    def update_object(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "key"}
        instrument = services.instrument_update(
            program=self.request.program,
            instrument=serializer.instance,
            by=self.request.user,
            data=data,
        )
        return self._fresh(instrument)

    def _version_response(self, version, status_code=status.HTTP_200_OK):
        version = selectors.version_detail(pk=version.pk)
        return Response(VersionDetailSerializer(version).data, status=status_code)

    @extend_schema(
        request=ChangeNoteSerializer,
        responses=VersionDetailSerializer,
        summary="Publish the instrument's draft version",
        description="Freezes the draft and makes it the version new assessments use; the "
        "version published before it is retired. Refused, naming every problem, when the draft "
        "is incomplete (no domains, a domain without questions, a choice question with fewer "
        "than two options, a scale whose top is not above its bottom, …).",
    )
    @action(
        detail=True, methods=["post"], filter_backends=[], serializer_class=ChangeNoteSerializer
    )
    def publish(self, request, *args, **kwargs):
        instrument = self.get_object()
        body = ChangeNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        draft = InstrumentVersion.objects.filter(
            instrument=instrument, status=VersionStatus.DRAFT
        ).first()
        if draft is None:
            raise serializers.ValidationError(
                {"non_field_errors": ["This instrument has no draft version to publish."]}
            )
        version = services.version_publish(
            program=request.program,
            version=draft,
            by=request.user,
            change_note=body.validated_data["change_note"],
        )
        return self._version_response(version)

    @extend_schema(
        request=ChangeNoteSerializer,
        responses={201: VersionDetailSerializer},
        summary="Start a new draft version",
        description="Copies the published version's domains, questions and options into a new "
        "draft numbered after the latest version: the way to edit a published instrument. "
        "Refused when the instrument already has a draft.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="new-draft",
        filter_backends=[],
        serializer_class=ChangeNoteSerializer,
    )
    def new_draft(self, request, *args, **kwargs):
        instrument = self.get_object()
        body = ChangeNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        versions = InstrumentVersion.objects.filter(instrument=instrument)
        source = (
            versions.filter(status=VersionStatus.PUBLISHED).first()
            or versions.order_by("-number").first()
        )
        draft = services.version_new_draft_from(
            program=request.program,
            version=source,
            by=request.user,
            change_note=body.validated_data["change_note"] or "",
        )
        return self._version_response(draft, status.HTTP_201_CREATED)

    @extend_schema(
        responses=PackSerializer(many=True),
        summary="The instrument packs that can be loaded",
        description="One practice-readiness self-assessment per sector, each with a starter "
        "change library; `loaded` tells whether the program already has it.",
    )
    @action(
        detail=False,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        serializer_class=PackSerializer,
    )
    def packs(self, request, *args, **kwargs):
        loaded = selectors.loaded_pack_keys()
        rows = [
            {
                "key": pack.key,
                "name": pack.name,
                "summary": pack.summary,
                "description": pack.description,
                "sectors": list(pack.sectors),
                "cadence_months": pack.cadence_months,
                "weak_threshold": pack.weak_threshold,
                "domain_count": pack.domain_count,
                "question_count": pack.question_count,
                "change_idea_count": pack.change_idea_count,
                "loaded": pack.key in loaded,
            }
            for pack in available_packs()
        ]
        return Response(PackSerializer(rows, many=True).data)

    @extend_schema(
        request=PackLoadSerializer,
        responses={201: InstrumentSerializer},
        summary="Load an instrument pack into the program",
        description="Creates the pack's instrument with version 1 published and its change "
        "library, all or nothing. A pack already loaded is refused; adapt it by starting a new "
        "version of its instrument instead.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="load-pack",
        filter_backends=[],
        serializer_class=PackLoadSerializer,
    )
    def load_pack(self, request, *args, **kwargs):
        body = PackLoadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        instrument = pack_load(
            program=request.program, pack_key=body.validated_data["pack"], by=request.user
        )
        data = InstrumentSerializer(self._fresh(instrument)).data
        return Response(data, status=status.HTTP_201_CREATED)


class InstrumentVersionViewSet(ProgramScopedViewSet):
    """Versions of the program's instruments. The list gives each version's counts; a single
    version comes with its whole structure: domains, their questions, the questions' options
    and scale labels. Versions change through the instruments endpoint (publish, new-draft) and
    the instrument pages."""

    queryset = InstrumentVersion.objects.none()  # for schema introspection only
    serializer_class = VersionDetailSerializer
    filterset_class = VersionFilter
    ordering_fields = ["number", "created_at", "published_at"]
    http_method_names = ["get", "head", "options"]
    read_capability = VIEW

    def scoped_queryset(self):
        if self.action == "list":
            return selectors.version_list()
        return selectors.version_with_structure()

    def get_serializer_class(self):
        return VersionListSerializer if self.action == "list" else VersionDetailSerializer


class ChangeIdeaViewSet(ProgramScopedViewSet):
    """The change library: goals that strengthen one domain of an instrument, with suggested
    actions and measures. Support plans are drafted from the active ones. Deleting an idea
    leaves plans drafted from it as they are; setting `is_active` false only stops it being
    proposed."""

    queryset = ChangeIdea.objects.none()  # for schema introspection only
    serializer_class = ChangeIdeaSerializer
    filterset_class = ChangeIdeaFilter
    search_fields = ["goal", "rationale", "suggested_measure"]
    ordering_fields = ["domain_key", "position", "goal"]
    read_capability = VIEW
    write_capability = MANAGE

    def scoped_queryset(self):
        return selectors.change_idea_list()

    def create_object(self, serializer):
        return change_ideas.change_idea_create(
            program=self.request.program, by=self.request.user, **serializer.validated_data
        )

    def update_object(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "instrument"}
        return change_ideas.change_idea_update(
            program=self.request.program, idea=serializer.instance, by=self.request.user, data=data
        )

    def destroy_object(self, instance):
        change_ideas.change_idea_delete(
            program=self.request.program, idea=instance, by=self.request.user
        )


routes = [
    ("instruments", InstrumentViewSet, "instruments"),
    ("instrument-versions", InstrumentVersionViewSet, "instrument-versions"),
    ("change-ideas", ChangeIdeaViewSet, "change-ideas"),
]
