"""REST endpoints for checklist assignments, under /api/v1/programs/<program>/ (psp/api/urls.py
reads `routes`); program admins only (compliance.define):

    checklist-assignments/                  list (filters template, is_active); create one: to a
                                            `practice`, a `sector` or `every_practice`
    checklist-assignments/{id}/             read
    checklist-assignments/{id}/deactivate/  end it (checklists made under it stay)
    checklist-assignments/assign-matching/  one assignment per practice the practice list's
                                            filters match (`filters`: search, sector, stage,
                                            coach)

An assignment's checklists are made in the same request. Writes go through
compliance/schedules/assignments.py with the program from the scope; ids are looked up inside
the program only."""

from django.core.exceptions import ValidationError
from django.http import QueryDict
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from compliance.checklists.models import ChecklistTemplate
from compliance.schedules import assignments, selectors
from compliance.schedules.filters import AssignmentFilter
from compliance.schedules.models import ChecklistAssignment
from practices.filters import PracticeFilter
from practices.models import Practice
from practices.selectors import practice_list
from psp.api.fields import BoundedDateField, ProgramObjectField
from psp.api.serializers import PersonSerializer
from psp.api.viewsets import ProgramScopedViewSet
from psp.tenancy.permissions import Capability

DEFINE = Capability.COMPLIANCE_DEFINE


def _templates(access):
    return ChecklistTemplate.objects.all()


def _practices(access):
    return Practice.objects.filter(access.practice_filter(Capability.PRACTICE_VIEW))


class ChecklistAssignmentSerializer(serializers.ModelSerializer):
    template = ProgramObjectField(
        model=ChecklistTemplate, noun="checklist template", reach=_templates
    )
    practice = ProgramObjectField(
        model=Practice,
        noun="practice",
        reach=_practices,
        required=False,
        allow_null=True,
        help_text="One practice; or give `sector`, or `every_practice`.",
    )
    every_practice = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="Assign to every practice."
    )
    starts_on = BoundedDateField(
        required=False,
        help_text="Checklists are made for the period containing this date and every one since "
        "(default: the program's today).",
    )
    instance_count = serializers.IntegerField(
        read_only=True, default=0, help_text="Checklists made under it."
    )
    created_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ChecklistAssignment
        fields = [
            "id",
            "template",
            "practice",
            "sector",
            "every_practice",
            "starts_on",
            "scheduled_through",
            "is_active",
            "instance_count",
            "created_at",
            "created_by",
        ]
        read_only_fields = ["scheduled_through", "is_active", "created_at"]


class MatchingFiltersSerializer(serializers.Serializer):
    search = serializers.CharField(required=False, max_length=200)
    sector = serializers.CharField(required=False)
    stage = serializers.CharField(required=False)
    coach = serializers.IntegerField(required=False, min_value=1)


class AssignMatchingSerializer(serializers.Serializer):
    template = ProgramObjectField(
        model=ChecklistTemplate, noun="checklist template", reach=_templates
    )
    starts_on = BoundedDateField(required=False)
    filters = MatchingFiltersSerializer(
        help_text="The practice list's filters: each practice they match gets an assignment."
    )


class AssignedSerializer(serializers.Serializer):
    made = ChecklistAssignmentSerializer(many=True)
    already = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of assignments there already."
    )
    other_sector = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of matched practices left out: of another sector than the template's.",
    )
    instances = serializers.IntegerField(help_text="Checklists made at once.")


class ChecklistAssignmentViewSet(ProgramScopedViewSet):
    """Which practices each checklist template is assigned to. Not deleted: deactivate one to
    end it."""

    queryset = ChecklistAssignment.objects.none()  # for schema introspection only
    serializer_class = ChecklistAssignmentSerializer
    filterset_class = AssignmentFilter
    ordering = ["-created_at"]
    read_capability = DEFINE
    write_capability = DEFINE
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self):
        return selectors.assignment_list()

    def practice_id_of(self, obj):
        return None  # a program setup row: compliance.define is program-wide

    def create_object(self, serializer):
        data = serializer.validated_data
        practice = data.get("practice")
        result = assignments.checklist_assign(
            program=self.request.program,
            by=self.request.user,
            template=data["template"],
            practices=[practice] if practice else None,
            sector=data.get("sector", ""),
            every_practice=data.get("every_practice", False),
            starts_on=data.get("starts_on"),
        )
        if not result.made:
            found = result.already[0].pk
            message = f"Already assigned (assignment {found}): nothing changed."
            raise ValidationError({"template": message})
        return self.scoped_queryset().get(pk=result.made[0].pk)

    @extend_schema(
        request=None,
        responses=ChecklistAssignmentSerializer,
        summary="End an assignment",
        description="No new checklists are made under it; those made stay.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def deactivate(self, request, *args, **kwargs):
        assignment = assignments.assignment_deactivate(
            program=request.program, assignment=self.get_object(), by=request.user
        )
        return Response(self.get_serializer(self.scoped_queryset().get(pk=assignment.pk)).data)

    @extend_schema(
        request=AssignMatchingSerializer,
        responses={201: AssignedSerializer, 200: AssignedSerializer},
        summary="Assign to the practices a filter matches",
        description="One assignment per practice the practice list's filters match (practices "
        "of another sector than a sector template's are left out). 201 when one was made, 200 "
        "when each was assigned already.",
    )
    @action(detail=False, methods=["post"], url_path="assign-matching", filter_backends=[])
    def assign_matching(self, request, *args, **kwargs):
        body = AssignMatchingSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        given = QueryDict(mutable=True)
        for name, value in body.validated_data["filters"].items():
            given[name] = str(value)
        if not given:
            raise ValidationError({"filters": "Give at least one filter."})
        filters = PracticeFilter(given, practice_list(access=request.access), request=request)
        if not filters.is_valid():
            raise ValidationError(
                {f"filters.{name}": errors for name, errors in filters.errors.items()}
            )
        result = assignments.checklist_assign(
            program=request.program,
            by=request.user,
            template=body.validated_data["template"],
            practices=list(filters.qs),
            starts_on=body.validated_data.get("starts_on"),
        )
        made = selectors.assignment_list().filter(pk__in=[a.pk for a in result.made])
        data = {
            "made": made,
            "already": [a.pk for a in result.already],
            "other_sector": [p.pk for p in result.other_sector],
            "instances": result.instances,
        }
        context = self.get_serializer_context()
        code = status.HTTP_201_CREATED if result.made else status.HTTP_200_OK
        return Response(AssignedSerializer(data, context=context).data, status=code)


routes = [("checklist-assignments", ChecklistAssignmentViewSet, "checklist-assignments")]
