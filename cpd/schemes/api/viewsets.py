"""The scheme and verifier viewsets. Writes go through cpd/schemes/services.py with the program
from the scope; people are looked up inside the program only (ProgramObjectField)."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from cpd.schemes import selectors, services
from cpd.schemes.api.serializers import (
    CpdSchemeSerializer,
    CpdSchemeVersionSerializer,
    CpdVerifierSerializer,
    TemplateLoadSerializer,
)
from cpd.schemes.filters import SchemeFilter
from cpd.schemes.models import CpdScheme, CpdVerifier
from psp.api.viewsets import ProgramScopedViewSet
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.history.serializers import ChangeRecordSerializer
from psp.tenancy.permissions import Capability

RECORD, DEFINE = Capability.CPD_RECORD, Capability.CPD_DEFINE
REACH_FIELDS = ("applies_to_roles", "applies_to_sectors", "people")


class CpdSchemeViewSet(ProgramScopedViewSet):
    """The program's CPD schemes. Everyone who records CPD reads them (a person reads the rules
    they are under); program admins write them, and changing `rules` writes a new version
    (cycles already running keep theirs). Schemes are not deleted: set `is_active` false."""

    queryset = CpdScheme.objects.none()  # for schema introspection only
    serializer_class = CpdSchemeSerializer
    filterset_class = SchemeFilter
    ordering = ["name"]
    read_capability = RECORD
    write_capability = DEFINE
    action_capabilities = {"load_template": DEFINE, "history": DEFINE}
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scoped_queryset(self):
        return selectors.scheme_list()

    def _fresh(self, scheme):
        return self.scoped_queryset().get(pk=scheme.pk)

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        people = data.pop("people", None)
        active = data.pop("is_active", True)
        scheme = services.scheme_create(program=self.request.program, by=self.request.user, **data)
        if not active:
            services.scheme_update(
                program=self.request.program,
                scheme=scheme,
                by=self.request.user,
                data={"is_active": False},
            )
        if people:
            services.scheme_set_applies_to(
                program=self.request.program,
                scheme=scheme,
                by=self.request.user,
                roles=scheme.applies_to_roles,
                sectors=scheme.applies_to_sectors,
                people=people,
            )
        return self._fresh(scheme)

    def update_object(self, serializer):
        scheme, data = serializer.instance, dict(serializer.validated_data)
        program, by = self.request.program, self.request.user
        data.pop("code", None)
        details = {name: data[name] for name in services.DETAIL_FIELDS if name in data}
        if details:
            scheme = services.scheme_update(program=program, scheme=scheme, by=by, data=details)
        if "rules" in data:
            services.scheme_change_rules(
                program=program,
                scheme=scheme,
                by=by,
                rules=data["rules"],
                note=data.get("note", ""),
            )
        if any(name in data for name in REACH_FIELDS):
            services.scheme_set_applies_to(
                program=program,
                scheme=scheme,
                by=by,
                roles=data.get("applies_to_roles", scheme.applies_to_roles),
                sectors=data.get("applies_to_sectors", scheme.applies_to_sectors),
                people=data.get("people", selectors.chosen_people(scheme=scheme)),
            )
        return self._fresh(scheme)

    @extend_schema(
        request=None,
        responses=CpdSchemeVersionSerializer(many=True),
        summary="A scheme's rules versions",
        description="Newest first, each with its rules, the rules in words, its note and what "
        "changed from the version before. A person's cycle keeps the version it started under.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def versions(self, request, *args, **kwargs):
        scheme = self.get_object()
        rows = selectors.version_history(scheme=scheme)
        context = self.get_serializer_context() | {
            "changes": {row.version.pk: row.changes for row in rows}
        }
        versions = [row.version for row in rows]
        return Response(CpdSchemeVersionSerializer(versions, many=True, context=context).data)

    @extend_schema(
        request=None,
        responses=ChangeRecordSerializer(many=True),
        summary="A scheme's history",
        description="Newest first: its creation, each change of details, rules and reach. The "
        "same shape as every history endpoint.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        scheme = self.get_object()
        changes = history_of(subject_type=SubjectType.CPD_SCHEME, subject_id=scheme.pk)
        return Response(ChangeRecordSerializer(changes, many=True).data)

    @extend_schema(
        request=TemplateLoadSerializer,
        responses={201: CpdSchemeSerializer, 200: CpdSchemeSerializer},
        summary="Load a scheme template",
        description="Adds the template as a scheme (its code is the template's key) with "
        "version 1 and answers 201; when a scheme of that code exists it is left exactly as it "
        "is and the answer is 200 with it.",
    )
    @action(detail=False, methods=["post"], url_path="load-template", filter_backends=[])
    def load_template(self, request, *args, **kwargs):
        given = TemplateLoadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with transaction.atomic():
            scheme, made = services.scheme_load_template(
                program=request.program, key=given.validated_data["template"], by=request.user
            )
            data = self.get_serializer(self._fresh(scheme)).data
        return Response(data, status=status.HTTP_201_CREATED if made else status.HTTP_200_OK)


class CpdVerifierViewSet(ProgramScopedViewSet):
    """The people program admins named to verify CPD activities (admins verify anyway)."""

    queryset = CpdVerifier.objects.none()  # for schema introspection only
    serializer_class = CpdVerifierSerializer
    ordering = ["user__full_name"]
    read_capability = DEFINE
    write_capability = DEFINE
    http_method_names = ["get", "post", "delete", "head", "options"]

    def scoped_queryset(self):
        return selectors.verifier_list()

    def create_object(self, serializer):
        verifier = services.verifier_name(
            program=self.request.program,
            user=serializer.validated_data["user"],
            by=self.request.user,
        )
        return self.scoped_queryset().get(pk=verifier.pk)

    def destroy_object(self, instance):
        services.verifier_remove(
            program=self.request.program, verifier=instance, by=self.request.user
        )
