"""The plans API's serializers and the related fields they take: plans, goals, and the plan's
goals with their actions as its page shows them. Ids of related objects (plan, change idea,
assessment) are looked up inside the program and the caller's reach only."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Assessment, ChangeIdea
from assessments.rounds import for_plans
from coaching.actions.api import PlanActionSerializer
from coaching.plans import selectors
from coaching.plans.models import GoalStatus, PlanGoal, SupportPlan
from psp.api.fields import BoundedDateField, ProgramObjectField
from psp.api.serializers import PersonSerializer

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
    plan = ProgramObjectField(
        model=SupportPlan,
        noun="plan",
        reach=selectors.plans_in_reach,
        help_text="On create: the plan the goal belongs to. Fixed afterwards.",
    )
    change_idea = ProgramObjectField(
        model=ChangeIdea,
        noun="change idea",
        reach=lambda access: for_plans.change_ideas_in_program(),
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
    assessment = ProgramObjectField(
        model=Assessment,
        noun="assessment",
        reach=selectors.assessments_in_reach,
        help_text="A submitted assessment: the plan is drafted from its weak domains.",
    )


class PlanAcceptSerializer(serializers.Serializer):
    complete_active = serializers.BooleanField(
        required=False,
        default=False,
        help_text="If the practice already has an active plan, complete it in the same step "
        "(otherwise the acceptance is refused).",
    )


class GoalSwapSerializer(serializers.Serializer):
    change_idea = ProgramObjectField(
        model=ChangeIdea,
        noun="change idea",
        reach=lambda access: for_plans.change_ideas_in_program(),
        help_text="Another change idea for the goal's domain.",
    )
