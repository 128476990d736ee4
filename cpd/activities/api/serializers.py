"""The CPD activities API's serializers: an activity (what the person records; what the platform
works out: cycle, credits, status, verification), the verifier's decisions, and program
activities with their attendees."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from cpd.activities import selectors
from cpd.activities.models import ActivityType, CpdActivity, CpdOffering
from cpd.activities.reflection import MAX_ANSWER, all_prompt_keys
from psp.api.fields import BoundedDateField, ProgramObjectField
from psp.api.serializers import PersonSerializer

REFLECTION_HELP = (
    "{prompt key: answer}. The keys each type asks (cpd/activities/reflection.py): "
    + ", ".join(all_prompt_keys())
    + "; a key the activity's type does not ask is refused."
)


class CpdActivitySerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    verified_by = PersonSerializer(read_only=True, allow_null=True)
    activity_type = serializers.ChoiceField(choices=ActivityType.choices)
    started_on = BoundedDateField()
    ended_on = BoundedDateField(required=False, help_text="The start date when left out.")
    hours = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, required=False, default=0
    )
    items = serializers.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        allow_null=True,
        help_text="How many, for a type the person's scheme credits per item (articles read).",
    )
    category = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text="A category key of the person's scheme; its credit rule's category when left "
        "empty. Empty for someone no scheme applies to.",
    )
    reflection = serializers.DictField(
        child=serializers.CharField(max_length=MAX_ANSWER, allow_blank=True),
        required=False,
        help_text=REFLECTION_HELP,
    )
    rejection_reason = serializers.CharField(read_only=True, allow_blank=True)
    evidence_requested = serializers.CharField(read_only=True, allow_blank=True)
    submit = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="On create or update: send it for verification at once.",
    )

    class Meta:
        model = CpdActivity
        fields = [
            "id",
            "person",
            "practice",
            "cycle",
            "activity_type",
            "title",
            "provider",
            "started_on",
            "ended_on",
            "hours",
            "items",
            "category",
            "credits",
            "reflection",
            "status",
            "submitted_at",
            "verified_at",
            "verified_by",
            "rejection_reason",
            "evidence_requested",
            "offering",
            "source",
            "source_id",
            "created_at",
            "updated_at",
            "submit",
        ]
        read_only_fields = [
            "practice",
            "cycle",
            "credits",
            "status",
            "submitted_at",
            "verified_at",
            "offering",
            "source",
            "source_id",
            "created_at",
            "updated_at",
        ]


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why: the person reads it.")


class EvidenceRequestSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=2000, help_text="What evidence is needed.")


class ConfirmSerializer(serializers.Serializer):
    submit = serializers.BooleanField(
        required=False, default=False, help_text="Send it for verification at once."
    )


class CpdOfferingSerializer(serializers.ModelSerializer):
    activity_type = serializers.ChoiceField(choices=ActivityType.choices, required=False)
    started_on = BoundedDateField()
    ended_on = BoundedDateField(required=False, help_text="The start date when left out.")
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    category = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text="A category key of one of the program's schemes; counted there for attendees "
        "whose scheme has it.",
    )
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    created_by = PersonSerializer(read_only=True, allow_null=True)
    attendees = serializers.IntegerField(read_only=True, help_text="People added.")
    confirmed = serializers.IntegerField(
        read_only=True, help_text="Attendees who confirmed their activity."
    )

    class Meta:
        model = CpdOffering
        fields = [
            "id",
            "title",
            "activity_type",
            "provider",
            "description",
            "started_on",
            "ended_on",
            "hours",
            "category",
            "attendees",
            "confirmed",
            "created_at",
            "created_by",
        ]
        read_only_fields = ["created_at"]


class AttendeesSerializer(serializers.Serializer):
    people = serializers.ListField(
        child=ProgramObjectField(
            model=get_user_model(),
            noun="person",
            reach=lambda access: selectors.program_member_users(),
        ),
        allow_empty=False,
        max_length=1000,
        help_text="Ids of people of the program; those already added are skipped.",
    )


class AttendeeSerializer(serializers.ModelSerializer):
    """An attendee's activity drafted from the offering."""

    person = PersonSerializer(read_only=True)

    class Meta:
        model = CpdActivity
        fields = ["id", "person", "status", "credits", "cycle"]
        read_only_fields = fields
