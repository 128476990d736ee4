"""The visits API's serializers: a visit as it is read (in the list, in full; its history is
psp/history/serializers.py's, as every subject's) and the bodies that log, complete, edit,
cancel and schedule one, with the related fields they take (ids looked up inside the program
and the caller's reach only)."""

from dataclasses import fields
from functools import partial

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coaching.actions.selectors import program_people
from coaching.plans.models import PlanGoal
from coaching.plans.selectors import goals_in_reach
from coaching.visits import selectors
from coaching.visits.inputs import VisitInput
from coaching.visits.models import Activity, Visit, VisitMode
from practices.models import Practice
from psp.api.fields import BoundedDateField, ClockTimeField, ProgramObjectField
from psp.api.serializers import PersonSerializer
from psp.tenancy.permissions import Capability

LOG = Capability.VISIT_LOG
INPUT_FIELDS = tuple(item.name for item in fields(VisitInput))
# What a planned visit already says and its completion need not repeat.
KEPT_FROM_PLAN = ("start_time", "mode", "purpose", "notes")


# Related fields: ids looked up inside the program (and the caller's reach) only -------------
# Each is the core's ProgramObjectField (psp/api/fields.py) for one kind of object.

CaseloadPracticeField = partial(
    ProgramObjectField,
    model=Practice,
    noun="practice of your caseload",
    reach=selectors.caseload_practices,
)
ProgramPersonField = partial(
    ProgramObjectField,
    model=get_user_model(),
    noun="person",
    reach=lambda access: program_people(),
)
GoalField = partial(
    ProgramObjectField,
    model=PlanGoal,
    noun="plan goal of your practices",
    reach=partial(goals_in_reach, capability=LOG),
)


# Serializers: reading -----------------------------------------------------------------------


class VisitSerializer(serializers.ModelSerializer):
    practice_name = serializers.CharField(source="practice.name", read_only=True)
    coach = PersonSerializer(read_only=True, allow_null=True)
    start_time = ClockTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "practice",
            "practice_name",
            "coach",
            "status",
            "visit_date",
            "start_time",
            "mode",
            "duration_minutes",
            "travel_minutes",
            "other_attendees",
            "purpose",
            "logged_at",
            "cancelled_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class VisitGoalSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="goal.id")
    title = serializers.CharField(source="goal.title")
    plan = serializers.IntegerField(source="goal.plan_id")


class VisitActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    owner = PersonSerializer(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    goal = serializers.IntegerField(source="goal_id", allow_null=True)
    status = serializers.CharField()


class VisitDetailSerializer(VisitSerializer):
    activities = serializers.SerializerMethodField(
        help_text="Minutes by support activity ({activity: minutes}); they add up to the duration."
    )
    attendees = serializers.SerializerMethodField()
    goals = VisitGoalSerializer(source="goal_list", many=True, read_only=True)
    new_actions = VisitActionSerializer(source="action_list", many=True, read_only=True)
    edit_count = serializers.IntegerField(
        read_only=True,
        help_text="Edits made after the visit's day, each a line of …/visits/{id}/history/.",
    )
    cancelled_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta(VisitSerializer.Meta):
        fields = [
            *VisitSerializer.Meta.fields,
            "notes",
            "activities",
            "attendees",
            "goals",
            "new_actions",
            "edit_count",
            "cancel_reason",
            "cancelled_by",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_activities(self, visit) -> dict:
        return {row.activity: row.minutes for row in visit.activity_list}

    @extend_schema_field(PersonSerializer(many=True))
    def get_attendees(self, visit) -> list:
        return PersonSerializer([row.person for row in visit.attendee_list], many=True).data


# Serializers: writing -----------------------------------------------------------------------


class NewActionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, allow_blank=True)
    owner = ProgramPersonField(
        required=False, allow_null=True, help_text="A person of the practice, or yourself."
    )
    due_on = BoundedDateField(required=False, allow_null=True)
    goal = GoalField(
        required=False, allow_null=True, help_text="An open goal of the practice's plan."
    )


class NextVisitSerializer(serializers.Serializer):
    visit_date = BoundedDateField(help_text="Today or later.")
    start_time = ClockTimeField(required=False, allow_null=True)
    mode = serializers.ChoiceField(choices=VisitMode.choices, required=False)
    duration_minutes = serializers.IntegerField(required=False)
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=300)


class VisitFieldsSerializer(serializers.Serializer):
    """A logged visit's own fields (the service checks the rules and says what is off)."""

    visit_date = BoundedDateField(help_text="Today or earlier: later ones are planned.")
    start_time = ClockTimeField(required=False, allow_null=True)
    mode = serializers.ChoiceField(choices=VisitMode.choices, required=False)
    duration_minutes = serializers.IntegerField(help_text="5 to 720 minutes.")
    activities = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        help_text="Minutes by activity, adding up to the duration. Keys: "
        + ", ".join(Activity.values)
        + ".",
    )
    travel_minutes = serializers.IntegerField(required=False, min_value=0)
    attendees = ProgramPersonField(many=True, required=False, help_text="People of the practice.")
    other_attendees = serializers.IntegerField(required=False, min_value=0)
    goals = GoalField(many=True, required=False, help_text="Open goals of the practice's plans.")
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=300)
    notes = serializers.CharField(required=False, allow_blank=True)


class VisitCompleteSerializer(VisitFieldsSerializer):
    new_actions = NewActionSerializer(many=True, required=False)
    next_visit = NextVisitSerializer(required=False, allow_null=True)
    submission_key = serializers.UUIDField(required=False, allow_null=True)

    # For the services, once the body is valid ---------------------------------------------

    def to_input(self, *, planned: Visit | None = None) -> VisitInput:
        """The visit as services.visit_log and visit_complete take it. Completing a `planned`
        visit keeps what the body leaves out of KEPT_FROM_PLAN as it was planned."""
        data = self.validated_data
        given = {name: data[name] for name in INPUT_FIELDS if name in data}
        if planned is not None:
            for name in KEPT_FROM_PLAN:
                given.setdefault(name, getattr(planned, name))
        return VisitInput(**given)

    def new_action_rows(self) -> list[dict]:
        return [dict(row) for row in self.validated_data.get("new_actions", [])]

    def next_visit_fields(self) -> dict | None:
        next_visit = self.validated_data.get("next_visit")
        return dict(next_visit) if next_visit else None


class VisitLogSerializer(VisitCompleteSerializer):
    practice = CaseloadPracticeField(help_text="A practice of your caseload.")


class VisitUpdateSerializer(VisitFieldsSerializer):
    """Any of a visit's fields (PUT and PATCH alike change only what is sent). A planned visit
    takes its date, start time, mode, expected duration, purpose and notes."""

    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="What changed and why: kept in the visit's history when the edit is made "
        "after the visit's day.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class VisitCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why the visit is cancelled.")


class PlannedVisitSerializer(serializers.Serializer):
    practice = CaseloadPracticeField(help_text="A practice of your caseload.")
    visit_date = BoundedDateField(help_text="Today or later.")
    start_time = ClockTimeField(required=False, allow_null=True)
    mode = serializers.ChoiceField(choices=VisitMode.choices, required=False)
    duration_minutes = serializers.IntegerField(
        required=False, help_text="Expected, 5 to 720 minutes (default 60)."
    )
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=300)
    notes = serializers.CharField(required=False, allow_blank=True)
    submission_key = serializers.UUIDField(required=False, allow_null=True)
