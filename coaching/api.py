"""REST endpoints for support plans and their goals (actions: coaching/api_actions.py).

Every path is under /api/v1/programs/<program>/ (psp/api/urls.py reads `routes`). Writes go
through the services with the program from the scope; `program` is never read from input, and
ids of related objects (plan, goal, owner, change idea, assessment) are looked up inside the
program only, so a foreign id is a field error.
"""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.response import Response

from coaching import selectors, services
from coaching.api_actions import PlanActionSerializer
from coaching.api_fields import (
    EDIT,
    VIEW,
    AssessmentField,
    ChangeIdeaField,
    PlanField,
    ensure_can_edit,
)
from coaching.models import (
    GoalStatus,
    PlanGoal,
    PlanStatus,
    SupportPlan,
)
from practices.api import PersonSerializer
from psp.api.fields import BoundedDateField
from psp.api.filters import IdFilter
from psp.api.viewsets import ProgramScopedViewSet
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.history.serializers import ChangeRecordSerializer

# Serializers -------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    goals_achieved = serializers.IntegerField()
    goals_total = serializers.IntegerField(help_text="Goals not dropped.")
    actions_done = serializers.IntegerField()
    actions_total = serializers.IntegerField(help_text="Actions not dropped.")
    percent = serializers.IntegerField(help_text="Actions done, in steps of 5.")


class PlanSerializer(serializers.ModelSerializer):
    practice_name = serializers.CharField(source="practice.name", read_only=True)
    created_by = PersonSerializer(read_only=True, allow_null=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = SupportPlan
        fields = [
            "id",
            "practice",
            "practice_name",
            "assessment",
            "title",
            "summary",
            "status",
            "created_at",
            "created_by",
            "accepted_at",
            "completed_at",
            "updated_at",
            "progress",
        ]
        read_only_fields = [
            "practice",
            "assessment",
            "status",
            "created_at",
            "accepted_at",
            "completed_at",
            "updated_at",
        ]

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, plan) -> dict:
        progress = selectors.plan_progress(plan=plan)
        return {**progress.__dict__, "percent": progress.percent}


class PlanGoalSerializer(serializers.ModelSerializer):
    plan = PlanField(help_text="On create: the plan the goal belongs to. Fixed afterwards.")
    change_idea = ChangeIdeaField(
        required=False,
        allow_null=True,
        help_text="On create: take the goal, target, KPI and suggested actions from this change "
        "library entry. Afterwards change it with POST …/plan-goals/{id}/swap/.",
    )
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Required unless the goal comes from a change idea.",
    )
    target_date = BoundedDateField(
        required=False, allow_null=True, help_text="On create, default: 90 days from today."
    )

    class Meta:
        model = PlanGoal
        fields = [
            "id",
            "plan",
            "change_idea",
            "domain_key",
            "domain_name",
            "baseline_percent",
            "title",
            "measure",
            "target_date",
            "kpi_key",
            "status",
            "position",
        ]
        read_only_fields = ["domain_name", "baseline_percent", "position"]
        extra_kwargs = {
            "domain_key": {"help_text": "On create, for a goal of the practice's own: its domain."},
            "status": {"help_text": "Achieved or dropped once the plan is active."},
        }

    def validate(self, data):
        if self.instance is None:
            if data.get("status", GoalStatus.OPEN) != GoalStatus.OPEN:
                raise serializers.ValidationError({"status": "A new goal starts open."})
            return data
        fixed = {
            "plan": "A goal stays in its plan.",
            "change_idea": "Swap the idea with POST …/plan-goals/{id}/swap/.",
            "domain_key": "A goal's domain is fixed.",
        }
        errors = {
            name: message
            for name, message in fixed.items()
            if name in data and data[name] != getattr(self.instance, name)
        }
        if errors:
            raise serializers.ValidationError(errors)
        return {name: value for name, value in data.items() if name not in fixed}


class PlanGoalInPlanSerializer(serializers.ModelSerializer):
    actions = PlanActionSerializer(source="action_list", many=True, read_only=True)
    change_idea_goal = serializers.CharField(source="change_idea.goal", read_only=True, default="")
    # Declared: as read-only model fields they lose allow_blank, and the schema refused their "".
    domain_key = serializers.SlugField(read_only=True, allow_blank=True)
    kpi_key = serializers.SlugField(read_only=True, allow_blank=True)

    class Meta:
        model = PlanGoal
        fields = [
            "id",
            "change_idea",
            "change_idea_goal",
            "domain_key",
            "domain_name",
            "baseline_percent",
            "title",
            "measure",
            "target_date",
            "kpi_key",
            "status",
            "position",
            "actions",
        ]
        read_only_fields = fields


class PlanDetailSerializer(PlanSerializer):
    goals = PlanGoalInPlanSerializer(source="goal_list", many=True, read_only=True)
    accepted_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "accepted_by", "goals"]


class PlanCreateSerializer(serializers.Serializer):
    assessment = AssessmentField(
        help_text="A submitted assessment: the plan is drafted from its weak domains."
    )


class PlanAcceptSerializer(serializers.Serializer):
    complete_active = serializers.BooleanField(
        required=False,
        default=False,
        help_text="If the practice already has an active plan, complete it in the same step "
        "(otherwise the acceptance is refused).",
    )


class GoalSwapSerializer(serializers.Serializer):
    change_idea = ChangeIdeaField(help_text="Another change idea for the goal's domain.")


# Filters -----------------------------------------------------------------------------------


class PlanFilter(filters.FilterSet):
    practice = IdFilter(field_name="practice", label="Practice id")
    assessment = IdFilter(field_name="assessment", label="Assessment id")
    status = filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = SupportPlan
        fields = ["practice", "assessment", "status"]


class PlanGoalFilter(filters.FilterSet):
    plan = IdFilter(field_name="plan", label="Plan id")
    domain_key = filters.CharFilter(field_name="domain_key")
    status = filters.ChoiceFilter(choices=GoalStatus.choices)

    class Meta:
        model = PlanGoal
        fields = ["plan", "domain_key", "status"]


# Viewsets ----------------------------------------------------------------------------------


class SupportPlanViewSet(ProgramScopedViewSet):
    """Support plans. Create drafts a plan from a submitted assessment; update changes its
    title and summary; delete discards a draft; `accept` and `complete` move it along."""

    queryset = SupportPlan.objects.none()  # for schema introspection only
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    search_fields = ["title", "practice__name"]
    ordering_fields = ["created_at", "accepted_at", "title"]
    ordering = ["-created_at"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    read_capability = VIEW
    write_capability = EDIT

    def scoped_queryset(self):
        if self.action == "retrieve":
            return selectors.plans_in_full(access=self.request.access)
        return selectors.plan_list(access=self.request.access)

    def get_serializer_class(self):
        return {
            "retrieve": PlanDetailSerializer,
            "create": PlanCreateSerializer,
            "accept": PlanAcceptSerializer,
        }.get(self.action, PlanSerializer)

    def _full(self, plan) -> dict:
        plan = selectors.plan_detail(access=self.request.access, pk=plan.pk)
        return PlanDetailSerializer(plan, context=self.get_serializer_context()).data

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self._full(serializer.instance), status=http_status.HTTP_201_CREATED)

    def create_object(self, serializer):
        assessment = serializer.validated_data["assessment"]
        ensure_can_edit(self.request, assessment.practice_id)
        return services.plan_draft_from_assessment(
            program=self.request.program, assessment=assessment, by=self.request.user
        )

    def update_object(self, serializer):
        plan = services.plan_update(
            program=self.request.program,
            plan=serializer.instance,
            by=self.request.user,
            data=serializer.validated_data,
        )
        return selectors.plan_list(access=self.request.access).get(pk=plan.pk)

    def destroy_object(self, instance):
        services.plan_discard(program=self.request.program, plan=instance, by=self.request.user)

    @extend_schema(
        request=PlanAcceptSerializer,
        responses=PlanDetailSerializer,
        summary="Accept a draft plan",
        description="The draft becomes the practice's active plan. Refused, naming each thing "
        "missing, unless every goal has a measurable target and a target date and every action "
        "an owner and a due date. Refused if the practice already has an active plan, unless "
        "`complete_active` is true.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def accept(self, request, *args, **kwargs):
        plan = self.get_object()
        body = PlanAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.plan_accept(
            program=request.program,
            plan=plan,
            by=request.user,
            complete_active=body.validated_data["complete_active"],
        )
        return Response(self._full(plan))

    @extend_schema(
        request=None,
        responses=PlanDetailSerializer,
        summary="Complete an active plan",
        description="Closes the plan; its goals and actions stay as the record of it.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def complete(self, request, *args, **kwargs):
        plan = self.get_object()
        services.plan_complete(program=request.program, plan=plan, by=request.user)
        return Response(self._full(plan))

    @extend_schema(
        request=None,
        responses=ChangeRecordSerializer(many=True),
        summary="A plan's change history",
        description="Who changed what in the plan, and when, newest first: the plan's, its "
        "goals' and its actions' edits, each with its field changes ({field: [before, after]}). "
        "Each action's status moves are in GET …/plan-actions/{id}/history/.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        plan = self.get_object()
        changes = history_of(subject_type=SubjectType.PLAN, subject_id=plan.pk)
        return Response(ChangeRecordSerializer(changes, many=True).data)


class PlanGoalViewSet(ProgramScopedViewSet):
    """Goals of plans. Created, changed and removed while the plan is a draft or active; a goal
    from the change library brings the library entry's suggested actions."""

    queryset = PlanGoal.objects.none()  # for schema introspection only
    serializer_class = PlanGoalSerializer
    filterset_class = PlanGoalFilter
    ordering_fields = ["position", "target_date"]
    ordering = ["plan", "position"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    read_capability = VIEW
    write_capability = EDIT

    def scoped_queryset(self):
        return selectors.goal_list(access=self.request.access)

    def practice_id_of(self, obj) -> int:
        return obj.plan.practice_id

    def _fresh(self, goal):
        return self.scoped_queryset().get(pk=goal.pk)

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("status", None)  # a new goal starts open (checked by the serializer)
        plan = data.pop("plan")
        ensure_can_edit(self.request, plan.practice_id)
        goal = services.goal_add(
            program=self.request.program, plan=plan, by=self.request.user, **data
        )
        return self._fresh(goal)

    def update_object(self, serializer):
        goal = services.goal_update(
            program=self.request.program,
            goal=serializer.instance,
            by=self.request.user,
            data=serializer.validated_data,
        )
        return self._fresh(goal)

    def destroy_object(self, instance):
        services.goal_remove(program=self.request.program, goal=instance, by=self.request.user)

    @extend_schema(
        request=GoalSwapSerializer,
        responses=PlanGoalSerializer,
        summary="Swap a goal's change idea",
        description="The goal takes another change idea of the same domain: its goal text, "
        "measurable target, KPI and suggested actions. Actions not yet started are replaced; "
        "those in progress, done or dropped are kept.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def swap(self, request, *args, **kwargs):
        goal = self.get_object()
        body = GoalSwapSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        goal = services.goal_swap_idea(
            program=request.program,
            goal=goal,
            change_idea=body.validated_data["change_idea"],
            by=request.user,
        )
        return Response(PlanGoalSerializer(self._fresh(goal)).data)


routes = [
    ("plans", SupportPlanViewSet, "plans"),
    ("plan-goals", PlanGoalViewSet, "plan-goals"),
]
