"""REST endpoints for actions: those of plans' goals and those agreed at visits, their status
moves and their history. Under /api/v1/programs/<program>/plan-actions/ (psp/api/urls.py reads
`routes`)."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from coaching.actions import selectors, services
from coaching.actions.filters import PlanActionFilter
from coaching.actions.models import ActionStatus, PlanAction
from coaching.api_fields import EDIT, UPDATE, VIEW, ensure_can_edit
from coaching.plans.models import PlanGoal
from coaching.plans.selectors import goals_in_reach
from psp.api.fields import BoundedDateField, ProgramObjectField
from psp.api.pagination import KeysetCursorPagination
from psp.api.viewsets import ProgramScopedViewSet
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.history.serializers import ChangeRecordSerializer

# Serializers -------------------------------------------------------------------------------


class PlanActionSerializer(serializers.ModelSerializer):
    goal = ProgramObjectField(
        model=PlanGoal,
        noun="goal",
        reach=goals_in_reach,
        allow_null=True,
        help_text="On create: the goal the action serves (required). Fixed afterwards. Null for "
        "an action agreed at a visit without a plan.",
    )
    owner = ProgramObjectField(
        model=get_user_model(),
        noun="person",
        reach=lambda access: selectors.program_people(),
        required=False,
        allow_null=True,
        help_text="A lead or staff member of the practice, or a coach or admin of the program.",
    )
    owner_name = serializers.SerializerMethodField(help_text="Empty when nobody owns it.")
    practice_name = serializers.CharField(source="practice.name", read_only=True)
    visit = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The visit the action was agreed at, if any."
    )
    source = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    due_on = BoundedDateField(required=False, allow_null=True)

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

    # A method rather than `source="owner.get_full_name", default=""`: DRF leaves out a field
    # whose default stands in for a missing owner when the serializer is partial, so PATCH
    # answered without `owner_name` for an action nobody owns.
    def get_owner_name(self, action) -> str:
        return action.owner.get_full_name() if action.owner_id else ""

    # Status moves have their own endpoint (they keep a history and may need a note); sent
    # here they would be dropped without a word, so they are refused, pointing there.
    MOVED_ELSEWHERE = {"status", "status_note", "completed_at"}

    def validate(self, data):
        sent = self.MOVED_ELSEWHERE & set(getattr(self, "initial_data", None) or {})
        if sent:
            message = "Change an action's status with POST …/plan-actions/{id}/status/."
            raise serializers.ValidationError({name: [message] for name in sorted(sent)})
        return super().validate(data)

    def validate_goal(self, goal):
        if self.instance is None:
            if goal is None:
                raise serializers.ValidationError(
                    "Add an action to a goal; actions agreed at a visit are added with the visit."
                )
        elif (goal.pk if goal else None) != self.instance.goal_id:
            raise serializers.ValidationError("An action stays with its goal.")
        return goal


class ActionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        help_text="Required when dropping: why.",
    )


# Viewsets ----------------------------------------------------------------------------------


class PlanActionViewSet(ProgramScopedViewSet):
    """Actions: those of plans' goals and those agreed at visits (`visit` set; `plan` and
    `goal` null when it belongs to no plan). Created on a goal, changed and removed by those who
    edit plans; their status moves with POST …/plan-actions/{id}/status/ (practice staff may do
    that too), and each move is kept in GET …/plan-actions/{id}/history/."""

    queryset = PlanAction.objects.none()  # for schema introspection only
    serializer_class = PlanActionSerializer
    filterset_class = PlanActionFilter  # `search` is one of its filters, as on the pages
    # Paged by cursor, newest first. Orderings are by fields every action has: a due date
    # may be missing, and a position only means something inside one goal.
    pagination_class = KeysetCursorPagination
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at", "-pk"]
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
        ensure_can_edit(self.request, goal.plan.practice_id)
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
        responses=ChangeRecordSerializer(many=True),
        summary="An action's history",
        description="Newest first: its creation (`changes.status` from null), each status "
        "move (status before → after, the note or reason in `summary`) and each edit of its "
        "title, owner or due date (for an action of a plan, the lines of the plan's history "
        "about it). The same shape as every history endpoint.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        current = self.get_object()
        changes = history_of(subject_type=SubjectType.ACTION, subject_id=current.pk)
        return Response(ChangeRecordSerializer(changes, many=True).data)


routes = [
    ("plan-actions", PlanActionViewSet, "plan-actions"),
]
