"""REST endpoints for support plans, their goals and their actions.

Every path is under /api/v1/programs/<program>/ (psp/api/urls.py reads `routes`). Writes go
through the services with the program from the scope; `program` is never read from input, and
ids of related objects (plan, goal, owner, change idea, assessment) are looked up inside the
program only, so a foreign id is a field error.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.response import Response

from assessments.models import Assessment, ChangeIdea
from coaching import selectors, services
from coaching.models import (
    ActionStatus,
    ActionStatusChange,
    GoalStatus,
    PlanAction,
    PlanGoal,
    PlanStatus,
    SupportPlan,
)
from practices.api import PersonSerializer
from psp.api.viewsets import ProgramScopedViewSet
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.history.serializers import ChangeRecordSerializer
from psp.tenancy.permissions import Capability

VIEW, EDIT, UPDATE = Capability.PLAN_VIEW, Capability.PLAN_EDIT, Capability.ACTION_UPDATE


# Related fields: ids looked up inside the program (and the caller's reach) only -------------


class InProgramField(serializers.PrimaryKeyRelatedField):
    model = None
    noun = "record"

    def __init__(self, **kwargs):
        # For schema introspection only; requests look up through scoped() below.
        kwargs.setdefault("queryset", self.model.objects.none())
        super().__init__(**kwargs)
        self.error_messages["does_not_exist"] = (
            f"No {self.noun} with id {{pk_value}} in this program."
        )

    def get_queryset(self):
        return self.scoped(self.context["access"])

    def scoped(self, access):
        raise NotImplementedError


class PlanField(InProgramField):
    model, noun = SupportPlan, "plan"

    def scoped(self, access):
        return SupportPlan.objects.filter(access.practice_filter(VIEW, "practice_id"))


class GoalField(InProgramField):
    model, noun = PlanGoal, "goal"

    def scoped(self, access):
        return PlanGoal.objects.filter(
            access.practice_filter(VIEW, "plan__practice_id")
        ).select_related("plan")


class AssessmentField(InProgramField):
    model, noun = Assessment, "assessment"

    def scoped(self, access):
        return selectors.assessments_in_reach(access=access)


class ChangeIdeaField(InProgramField):
    model, noun = ChangeIdea, "change idea"

    def scoped(self, access):
        return ChangeIdea.objects.all()


class PersonField(InProgramField):
    model, noun = get_user_model(), "person"

    def scoped(self, access):
        return selectors.program_people()


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


class PlanActionSerializer(serializers.ModelSerializer):
    goal = GoalField(
        allow_null=True,
        help_text="On create: the goal the action serves (required). Fixed afterwards. Null for "
        "an action agreed at a visit without a plan.",
    )
    owner = PersonField(
        required=False,
        allow_null=True,
        help_text="A lead or staff member of the practice, or a coach or admin of the program.",
    )
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True, default="")
    practice_name = serializers.CharField(source="practice.name", read_only=True)
    visit = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The visit the action was agreed at, if any."
    )
    source = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "practice",
            "practice_name",
            "plan",
            "goal",
            "visit",
            "source",
            "title",
            "owner",
            "owner_name",
            "due_on",
            "overdue",
            "status",
            "status_note",
            "completed_at",
            "position",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "practice",
            "plan",
            "status",
            "status_note",
            "completed_at",
            "position",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=selectors.ACTION_SOURCES))
    def get_source(self, action) -> str:
        """ "visit" for an action agreed at a visit, "plan" for a plan's own."""
        return "visit" if action.visit_id else "plan"

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, action) -> bool:
        return selectors.is_overdue(action, self.context.get("today"))

    def validate_goal(self, goal):
        if self.instance is None:
            if goal is None:
                raise serializers.ValidationError(
                    "Add an action to a goal; actions agreed at a visit are added with the visit."
                )
        elif (goal.pk if goal else None) != self.instance.goal_id:
            raise serializers.ValidationError("An action stays with its goal.")
        return goal


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


class ActionStatusChangeSerializer(serializers.ModelSerializer):
    changed_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ActionStatusChange
        fields = ["id", "from_status", "to_status", "note", "changed_at", "changed_by"]
        read_only_fields = fields
        extra_kwargs = {"from_status": {"help_text": "Empty for the action's creation."}}


class ActionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        help_text="Required when dropping: why.",
    )


# Filters -----------------------------------------------------------------------------------


class IdFilter(filters.Filter):
    field_class = forms.IntegerField


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


class PlanActionFilter(filters.FilterSet):
    practice = IdFilter(field_name="practice", label="Practice id")
    plan = IdFilter(field_name="plan", label="Plan id")
    goal = IdFilter(field_name="goal", label="Goal id")
    visit = IdFilter(field_name="visit", label="Visit id (the visit it was agreed at)")
    owner = IdFilter(field_name="owner", label="Owner (person id)")
    status = filters.MultipleChoiceFilter(choices=ActionStatus.choices)
    plan_status = filters.ChoiceFilter(
        field_name="plan__status", choices=PlanStatus.choices, label="Status of the plan"
    )
    overdue = filters.BooleanFilter(
        method="filter_overdue", label="Overdue: open or in progress, past the due date"
    )
    source = filters.ChoiceFilter(
        method="filter_source",
        choices=[("plan", "A plan's own"), ("visit", "Agreed at a visit")],
        label="Where the action came from",
    )

    class Meta:
        model = PlanAction
        fields = ["practice", "plan", "goal", "visit", "owner", "status", "plan_status"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=selectors.OPEN_ACTION_STATUSES, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_source(self, queryset, name, value):
        return queryset.filter(visit__isnull=(value != "visit"))


# Viewsets ----------------------------------------------------------------------------------


def _ensure_can_edit(request, practice_id) -> None:
    if not request.access.can(EDIT, practice_id):
        raise PermissionDenied("Your role does not allow this for this practice.")


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
        _ensure_can_edit(self.request, assessment.practice_id)
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
        _ensure_can_edit(self.request, plan.practice_id)
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


class PlanActionViewSet(ProgramScopedViewSet):
    """Actions: those of plans' goals and those agreed at visits (`visit` set; `plan` and
    `goal` null when it belongs to no plan). Created on a goal, changed and removed by those who
    edit plans; their status moves with POST …/plan-actions/{id}/status/ (practice staff may do
    that too), and each move is kept in GET …/plan-actions/{id}/history/."""

    queryset = PlanAction.objects.none()  # for schema introspection only
    serializer_class = PlanActionSerializer
    filterset_class = PlanActionFilter
    search_fields = ["title"]
    ordering_fields = ["due_on", "position", "created_at", "updated_at"]
    ordering = ["plan", "goal", "position"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    read_capability = VIEW
    write_capability = EDIT
    action_capabilities = {"status": UPDATE}

    def scoped_queryset(self):
        return selectors.action_list(access=self.request.access)

    def _fresh(self, action_):
        return self.scoped_queryset().get(pk=action_.pk)

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        goal = data.pop("goal")
        _ensure_can_edit(self.request, goal.plan.practice_id)
        created = services.action_add(
            program=self.request.program, goal=goal, by=self.request.user, **data
        )
        return self._fresh(created)

    def update_object(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "goal"}
        updated = services.action_update(
            program=self.request.program,
            action=serializer.instance,
            by=self.request.user,
            data=data,
        )
        return self._fresh(updated)

    def destroy_object(self, instance):
        services.action_remove(program=self.request.program, action=instance, by=self.request.user)

    @extend_schema(
        request=ActionStatusSerializer,
        responses=PlanActionSerializer,
        summary="Move an action along",
        description="open, in_progress, done or dropped: an action of a plan while the plan is "
        "active, one agreed at a visit without a plan at any time. Dropping needs a `note` "
        "saying why; done records `completed_at`. Each move is a line of the action's history.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def status(self, request, *args, **kwargs):
        current = self.get_object()
        body = ActionStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.action_status_change(
            program=request.program, action=current, by=request.user, **body.validated_data
        )
        return Response(PlanActionSerializer(self._fresh(moved)).data)

    @extend_schema(
        request=None,
        responses=ActionStatusChangeSerializer(many=True),
        summary="An action's history",
        description="Its creation (from_status empty) and every status change after it, oldest "
        "first: who, when, from, to and the note given.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        current = self.get_object()
        steps = selectors.action_history(action=current)
        return Response(ActionStatusChangeSerializer(steps, many=True).data)


routes = [
    ("plans", SupportPlanViewSet, "plans"),
    ("plan-goals", PlanGoalViewSet, "plan-goals"),
    ("plan-actions", PlanActionViewSet, "plan-actions"),
]
