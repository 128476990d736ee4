"""The plans API's viewsets: support plans (drafted from an assessment, edited, accepted,
completed, discarded, and their change history) and their goals. Their filters are
coaching/plans/filters.py, shared with the plans page."""

from drf_spectacular.utils import extend_schema
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.response import Response

from coaching.api_fields import EDIT, VIEW, ensure_can_edit
from coaching.plans import selectors, services
from coaching.plans.api.serializers import (
    GoalSwapSerializer,
    PlanAcceptSerializer,
    PlanCreateSerializer,
    PlanDetailSerializer,
    PlanGoalSerializer,
    PlanSerializer,
)
from coaching.plans.filters import PlanFilter, PlanGoalFilter
from coaching.plans.models import PlanGoal, SupportPlan
from psp.api.pagination import KeysetCursorPagination
from psp.api.viewsets import ProgramScopedViewSet
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.history.serializers import ChangeRecordSerializer

# Viewsets ----------------------------------------------------------------------------------


class SupportPlanViewSet(ProgramScopedViewSet):
    """Support plans. Create drafts a plan from a submitted assessment; update changes its
    title and summary; delete discards a draft; `accept` and `complete` move it along."""

    queryset = SupportPlan.objects.none()  # for schema introspection only
    serializer_class = PlanSerializer
    filterset_class = PlanFilter  # `search` is one of its filters, as on the page
    # Paged by cursor, by fields every plan has (acceptance may not have happened yet).
    pagination_class = KeysetCursorPagination
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-pk"]
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
