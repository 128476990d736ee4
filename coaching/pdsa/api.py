"""REST endpoints for PDSA cycles, under /api/v1/programs/<program>/pdsa-cycles/.

List (filters: practice, goal, stage, kpi), retrieve, create (plan a cycle on a goal, or the
next after `previous`), update (correct what it says) and `move` (on to the next stage, with
what the stage records). Writes go through coaching/pdsa/services.py with the program from the
scope; the goal and the previous cycle are looked up inside the program and the caller's reach."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from coaching.api_fields import EDIT, VIEW, ensure_can_edit
from coaching.pdsa import selectors, services
from coaching.pdsa.filters import PdsaCycleFilter
from coaching.pdsa.models import PdsaCycle, PdsaDecision
from coaching.plans.models import PlanGoal
from coaching.plans.selectors import goals_in_reach
from psp.api.fields import BoundedDateField, ProgramObjectField
from psp.api.viewsets import ProgramScopedViewSet

STAGE_FIELDS = ["started_on", "what_done", "result", "studied_on", "decision", "ended_on"]


class PdsaCycleSerializer(serializers.ModelSerializer):
    goal = ProgramObjectField(
        model=PlanGoal,
        noun="goal",
        reach=goals_in_reach,
        help_text="On create: the plan goal the cycle tests a change for. Fixed afterwards.",
    )
    previous = ProgramObjectField(
        model=PdsaCycle,
        noun="PDSA cycle",
        reach=selectors.cycles_in_reach,
        required=False,
        allow_null=True,
        help_text="On create: the cycle this one follows (usually adapted); blank fields take "
        "its change, prediction and KPI.",
    )
    change_idea = serializers.CharField(max_length=300, required=False, allow_blank=True)
    prediction = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    kpi_key = serializers.SlugField(
        max_length=80,
        required=False,
        allow_blank=True,
        help_text="The KPI to watch; on create, the goal's KPI when left empty.",
    )
    planned_start = BoundedDateField(required=False, allow_null=True)
    # Declared: as read-only model fields they lose allow_blank, and the schema refused their "".
    decision = serializers.ChoiceField(
        choices=PdsaDecision.choices,
        read_only=True,
        allow_blank=True,
        help_text="Empty until the cycle ends; set by moving it on from Act.",
    )
    what_done = serializers.CharField(read_only=True, allow_blank=True)
    result = serializers.CharField(read_only=True, allow_blank=True)
    act_notes = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, help_text="Correctable once ended."
    )

    class Meta:
        model = PdsaCycle
        fields = [
            "id",
            "practice",
            "goal",
            "number",
            "previous",
            "stage",
            "change_idea",
            "prediction",
            "kpi_key",
            "planned_start",
            *STAGE_FIELDS,
            "act_notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "practice",
            "number",
            "stage",
            *STAGE_FIELDS,
            "created_at",
            "updated_at",
        ]

    def validate(self, data):
        if self.instance is not None:
            fixed = {"goal": "A cycle stays on its goal.", "previous": "Fixed when planned."}
            errors = {
                name: message
                for name, message in fixed.items()
                if name in data and data[name] != getattr(self.instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
            return {name: value for name, value in data.items() if name not in fixed}
        return data


class PdsaUpdateSerializer(PdsaCycleSerializer):
    """PATCH/PUT also take the text of the stages the cycle has completed."""

    what_done = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        help_text="Correctable by PATCH once the cycle is past Do.",
    )
    result = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        help_text="Correctable by PATCH once the cycle is past Study.",
    )

    class Meta(PdsaCycleSerializer.Meta):
        read_only_fields = [
            f for f in PdsaCycleSerializer.Meta.read_only_fields if f not in ("what_done", "result")
        ]


class PdsaMoveSerializer(serializers.Serializer):
    """What moving on from each stage records: from Plan, `started_on`; from Do, `what_done`;
    from Study, `result` and `studied_on`; from Act, `decision`, `act_notes` and `ended_on`."""

    started_on = BoundedDateField(required=False)
    what_done = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    result = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    studied_on = BoundedDateField(required=False)
    decision = serializers.ChoiceField(choices=PdsaDecision.choices, required=False)
    act_notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    ended_on = BoundedDateField(required=False)


class PdsaCycleViewSet(ProgramScopedViewSet):
    """PDSA cycles on plan goals: planned, then moved on through do, study and act."""

    queryset = PdsaCycle.objects.none()  # for schema introspection only
    serializer_class = PdsaCycleSerializer
    filterset_class = PdsaCycleFilter
    ordering_fields = ["started_on", "number", "created_at"]
    ordering = ["goal", "number"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    read_capability = VIEW
    write_capability = EDIT

    def scoped_queryset(self):
        return selectors.cycle_list(access=self.request.access)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PdsaUpdateSerializer
        return PdsaCycleSerializer

    def _fresh(self, cycle):
        return self.scoped_queryset().get(pk=cycle.pk)

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        goal = data.pop("goal")
        ensure_can_edit(self.request, goal.plan.practice_id)
        for name in ("what_done", "result", "act_notes"):
            data.pop(name, None)
        cycle = services.pdsa_cycle_plan(
            program=self.request.program, goal=goal, by=self.request.user, **data
        )
        return self._fresh(cycle)

    def update_object(self, serializer):
        cycle = services.pdsa_cycle_update(
            program=self.request.program,
            cycle=serializer.instance,
            by=self.request.user,
            data=serializer.validated_data,
        )
        return self._fresh(cycle)

    @extend_schema(
        request=PdsaMoveSerializer,
        responses=PdsaCycleSerializer,
        summary="Move a PDSA cycle on to its next stage",
        description="Plan → Do (`started_on`), Do → Study (`what_done`), Study → Act "
        "(`result`, `studied_on`), Act → Ended (`decision`: adopt, adapt or abandon; "
        "`act_notes`; `ended_on`). Dates are not in the future nor before the previous "
        "stage's. Refused for an ended cycle.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def move(self, request, *args, **kwargs):
        cycle = self.get_object()
        body = PdsaMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cycle = services.pdsa_cycle_move(
            program=request.program, cycle=cycle, by=request.user, data=body.validated_data
        )
        return Response(
            PdsaCycleSerializer(self._fresh(cycle), context=self.get_serializer_context()).data
        )


routes = [("pdsa-cycles", PdsaCycleViewSet, "pdsa-cycles")]
