"""REST endpoints for practices, their coach assignments and staff.

Every path is under /api/v1/programs/<program>/ (psp/api/urls.py reads `routes`). Writes go
through the services with the program from the scope; `program` is never read from input, and
ids of related objects are looked up inside the program only.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from practices import selectors, services
from practices.filters import CoachAssignmentFilter, PracticeFilter, PracticeMembershipFilter
from practices.models import CoachAssignment, Practice, PracticeMembership, Stage, StageChange
from psp.api.errors import field_errors
from psp.api.fields import BoundedDateField, ProgramObjectField
from psp.api.serializers import PersonSerializer
from psp.api.viewsets import ProgramScopedViewSet
from psp.tenancy.permissions import Capability

# Serializers ------------------------------------------------------------------------------


class PracticeCoachSerializer(serializers.ModelSerializer):
    coach = PersonSerializer(read_only=True)

    class Meta:
        model = CoachAssignment
        fields = ["id", "coach", "is_primary", "assigned_at"]
        read_only_fields = fields


class PracticeSerializer(serializers.ModelSerializer):
    stage = serializers.ChoiceField(
        choices=Stage.choices,
        required=False,
        help_text=(
            "On create: the stage the practice joins at (default needs_assessment). Later moves "
            "go through POST …/practices/{id}/stage/ so they are recorded in the history."
        ),
    )
    coaches = PracticeCoachSerializer(source="coach_list", many=True, read_only=True)
    enrolled_on = BoundedDateField(required=False, help_text="Default: today.")

    class Meta:
        model = Practice
        fields = [
            "id",
            *services.PROFILE_FIELDS,
            "stage",
            "stage_changed_at",
            "coaches",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["stage_changed_at", "created_at", "updated_at"]

    def validate_stage(self, value):
        if self.instance is not None and value != self.instance.stage:
            raise serializers.ValidationError(
                "Move a practice with POST …/stage/ so the move is recorded in its history."
            )
        return value


class StageMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class StageChangeSerializer(serializers.ModelSerializer):
    moved_by = PersonSerializer(read_only=True, allow_null=True)
    from_stage = serializers.SerializerMethodField(help_text="Null for the enrolment.")

    class Meta:
        model = StageChange
        fields = ["id", "from_stage", "to_stage", "moved_by", "moved_at", "note"]
        read_only_fields = fields

    # The enrolment is stored with an empty "from"; the API says "no stage" with null, as its
    # schema does, rather than with "", which is none of the stages.
    @extend_schema_field(serializers.ChoiceField(choices=Stage.choices, allow_null=True))
    def get_from_stage(self, change) -> str | None:
        return change.from_stage or None


class CoachAssignmentSerializer(serializers.ModelSerializer):
    practice = ProgramObjectField(
        model=Practice, noun="practice", reach=selectors.practices_in_reach
    )
    coach = ProgramObjectField(
        model=get_user_model(), noun="coach", reach=lambda access: selectors.program_coaches()
    )
    coach_name = serializers.CharField(source="coach.get_full_name", read_only=True)
    is_primary = serializers.BooleanField(
        required=False,
        help_text="Defaults to true for a practice's first coach. A new primary coach replaces "
        "the previous one as primary.",
    )

    class Meta:
        model = CoachAssignment
        fields = ["id", "practice", "coach", "coach_name", "is_primary", "assigned_at"]
        read_only_fields = ["assigned_at"]


class PracticeMembershipSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = PracticeMembership
        fields = ["id", "practice", "user", "role", "title", "is_active", "joined_at"]
        read_only_fields = fields


# Viewsets ---------------------------------------------------------------------------------


class PracticeViewSet(ProgramScopedViewSet):
    """Practices of the program that the caller may see. Delete is not offered: a practice
    leaves a program by reaching sustainability, and its history stays."""

    # For schema introspection only; requests are served from scoped_queryset().
    queryset = Practice.objects.none()
    serializer_class = PracticeSerializer
    filterset_class = PracticeFilter  # `search` is one of its filters, as on the page
    ordering_fields = ["name", "stage", "stage_changed_at", "enrolled_on", "created_at"]
    ordering = ["name"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    read_capability = Capability.PRACTICE_VIEW
    write_capability = Capability.PRACTICE_EDIT
    action_capabilities = {
        "create": Capability.PRACTICE_CREATE,
        "stage": Capability.PRACTICE_MOVE_STAGE,
        "stage_history": Capability.PRACTICE_VIEW,
    }

    def scoped_queryset(self):
        return selectors.practice_list(access=self.request.access)

    def practice_id_of(self, obj) -> int:
        return obj.pk

    def _fresh(self, practice: Practice) -> Practice:
        # Re-read through the selector so the response carries the joined coaches.
        return self.scoped_queryset().get(pk=practice.pk)

    def create_object(self, serializer):
        practice = services.practice_create(
            program=self.request.program, by=self.request.user, **serializer.validated_data
        )
        return self._fresh(practice)

    def update_object(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "stage"}
        practice = services.practice_update(
            program=self.request.program,
            practice=serializer.instance,
            by=self.request.user,
            data=data,
        )
        return self._fresh(practice)

    @extend_schema(
        request=StageMoveSerializer,
        responses=PracticeSerializer,
        summary="Move a practice to another enrolment stage",
        description="Moves the practice to any other of the seven stages and records the move "
        "(who, when, note) in its stage history. Moving to the current stage is refused.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], serializer_class=StageMoveSerializer)
    def stage(self, request, *args, **kwargs):
        practice = self.get_object()
        move = StageMoveSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        try:
            services.practice_stage_move(
                program=request.program,
                practice=practice,
                to_stage=move.validated_data["stage"],
                note=move.validated_data["note"],
                by=request.user,
            )
        except DjangoValidationError as error:
            # The service names the field `to_stage`; this endpoint's input calls it `stage`.
            fields = field_errors(error)
            fields = {("stage" if k == "to_stage" else k): v for k, v in fields.items()}
            raise serializers.ValidationError(fields) from error
        return Response(PracticeSerializer(self._fresh(practice)).data)

    @extend_schema(
        responses=StageChangeSerializer(many=True),
        summary="A practice's stage history",
        description="Every stage change of the practice, newest first; the oldest is its "
        "enrolment (from_stage null).",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="stage-history",
        filter_backends=[],
        serializer_class=StageChangeSerializer,
    )
    def stage_history(self, request, *args, **kwargs):
        practice = self.get_object()
        page = self.paginate_queryset(selectors.stage_history(practice=practice))
        return self.get_paginated_response(StageChangeSerializer(page, many=True).data)


class CoachAssignmentViewSet(ProgramScopedViewSet):
    """Which coach works with which practice. Creating one puts the practice in the coach's
    caseload; deleting one takes it out."""

    queryset = CoachAssignment.objects.none()  # for schema introspection only
    serializer_class = CoachAssignmentSerializer
    filterset_class = CoachAssignmentFilter
    ordering_fields = ["assigned_at"]
    http_method_names = ["get", "post", "delete", "head", "options"]
    read_capability = Capability.PRACTICE_VIEW
    write_capability = Capability.PRACTICE_ASSIGN_COACH

    def scoped_queryset(self):
        return selectors.coach_assignment_list(access=self.request.access)

    def create_object(self, serializer):
        return services.coach_assign(
            program=self.request.program, by=self.request.user, **serializer.validated_data
        )

    def destroy_object(self, instance):
        services.coach_unassign(
            program=self.request.program, assignment=instance, by=self.request.user
        )


class PracticeMembershipViewSet(ProgramScopedViewSet):
    """The people of each practice (leads and staff). Read-only: people join through
    invitations."""

    queryset = PracticeMembership.objects.none()  # for schema introspection only
    serializer_class = PracticeMembershipSerializer
    filterset_class = PracticeMembershipFilter
    search_fields = ["user__full_name", "user__email", "title"]
    ordering_fields = ["joined_at", "role"]
    http_method_names = ["get", "head", "options"]
    read_capability = Capability.PRACTICE_VIEW

    def scoped_queryset(self):
        return selectors.practice_membership_list(access=self.request.access)


routes = [
    ("practices", PracticeViewSet, "practices"),
    ("coach-assignments", CoachAssignmentViewSet, "coach-assignments"),
    ("practice-memberships", PracticeMembershipViewSet, "practice-memberships"),
]
