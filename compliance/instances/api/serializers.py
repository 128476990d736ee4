"""The checklists API's serializers: a checklist (listed, and whole with its items, answers,
evidence counts and signatures), one item's answer in and out, a signature, a correction, a
failed item's action, and an item's answer row (the subject of its evidence files)."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from coaching.actions.models import ActionStatus
from coaching.actions.selectors import program_people
from coaching.plans.selectors import goals_in_reach
from compliance.checklists.models import Attester, ResponseType
from compliance.instances.answers import MAX_TEXT
from compliance.instances.models import (
    Attestation,
    ChecklistInstance,
    InstanceStatus,
    ItemOutcome,
    ItemResponse,
)
from psp.api.fields import BoundedDateField, ProgramObjectField
from psp.api.serializers import PersonSerializer

CHOICE_VALUES = ["done", "not_done", "yes", "no", "na"]


class ChecklistSerializer(serializers.ModelSerializer):
    template_name = serializers.CharField(source="template.name", read_only=True)
    practice_name = serializers.CharField(source="practice.name", read_only=True)
    status = serializers.ChoiceField(choices=InstanceStatus.choices, read_only=True)

    class Meta:
        model = ChecklistInstance
        fields = [
            "id",
            "template",
            "template_name",
            "version",
            "practice",
            "practice_name",
            "period_key",
            "period_label",
            "opens_on",
            "due_on",
            "status",
            "revision",
            "supersedes",
            "correction_reason",
            "completed_at",
            "attested_at",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(
        choices=ItemOutcome.choices,
        read_only=True,
        help_text="met, failed (not met), na (not applicable), noted (a date, number or text), "
        "or empty: not answered yet (a row holding evidence that came first).",
    )
    answered_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ItemResponse
        fields = [
            "id",
            "choice",
            "value_date",
            "value_number",
            "value_text",
            "na_reason",
            "note",
            "outcome",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = fields


class ActionLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    due_on = serializers.DateField(allow_null=True)


class ItemStateSerializer(serializers.Serializer):
    """An item of the checklist's version with its answer in this revision."""

    id = serializers.IntegerField(source="item.pk", help_text="The item's id.")
    key = serializers.CharField(source="item.key")
    section = serializers.CharField(source="item.section.title")
    text = serializers.CharField(source="item.text")
    guidance = serializers.CharField(source="item.guidance")
    reference = serializers.CharField(source="item.reference")
    response_type = serializers.ChoiceField(
        source="item.response_type", choices=ResponseType.choices
    )
    yes_is_compliant = serializers.BooleanField(source="item.yes_is_compliant")
    evidence_required = serializers.BooleanField(source="item.evidence_required")
    attester = serializers.ChoiceField(source="item.attester", choices=Attester.choices)
    response_id = serializers.IntegerField(
        source="response.pk",
        allow_null=True,
        help_text="The answer's row: the subject of the item's evidence files "
        "(checklist-responses/{id}/evidence/). Null until the item is answered or given a file.",
    )
    answer = AnswerSerializer(source="response", allow_null=True)
    answer_text = serializers.CharField(source="shown", help_text="The answer in words.")
    evidence_count = serializers.IntegerField(
        help_text="Files on the item, with those of the signed revisions this one corrects."
    )
    evidence_missing = serializers.BooleanField()
    action = ActionLinkSerializer(
        source="response.action",
        allow_null=True,
        help_text="The action a failed item became.",
    )


class AttestationSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)
    attester = serializers.ChoiceField(choices=Attester.choices, read_only=True)

    class Meta:
        model = Attestation
        fields = ["id", "attester", "user", "signed_name", "statement", "signed_on", "signed_at"]
        read_only_fields = fields


class ChecklistProgressSerializer(serializers.Serializer):
    items = serializers.IntegerField()
    answered = serializers.IntegerField()
    evidence_missing = serializers.IntegerField(help_text="Items still needing a file.")


class ChecklistDetailSerializer(ChecklistSerializer):
    corrected_by = serializers.IntegerField(
        source="correction.pk",
        allow_null=True,
        read_only=True,
        help_text="The revision correcting this one, once it is superseded.",
    )
    progress = ChecklistProgressSerializer(read_only=True)
    attesters_needed = serializers.ListField(
        child=serializers.ChoiceField(choices=Attester.choices), read_only=True
    )
    attestations = AttestationSerializer(source="signatures", many=True, read_only=True)
    items = ItemStateSerializer(source="rows", many=True, read_only=True)

    class Meta(ChecklistSerializer.Meta):
        fields = [
            *ChecklistSerializer.Meta.fields,
            "corrected_by",
            "progress",
            "attesters_needed",
            "attestations",
            "items",
        ]
        read_only_fields = fields


class ItemAnswerInputSerializer(serializers.Serializer):
    """One item's answer, by its response type: `choice` for done (done, not_done, na) and
    yes/no (yes, no, na) items, else `value_date`, `value_number` or `value_text` (or `choice`
    na). "na" needs `na_reason`. PUT replaces the answer (what is left out is cleared; nothing
    at all clears it); PATCH changes only what it names."""

    choice = serializers.ChoiceField(
        choices=[("", "none"), *[(value, value) for value in CHOICE_VALUES]],
        required=False,
        allow_blank=True,
    )
    value_date = BoundedDateField(required=False, allow_null=True)
    value_number = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True
    )
    value_text = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_TEXT, trim_whitespace=True
    )
    na_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_TEXT, trim_whitespace=True
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_TEXT, trim_whitespace=True
    )


class ItemAnswerResultSerializer(ItemStateSerializer):
    checklist_status = serializers.ChoiceField(choices=InstanceStatus.choices)
    progress = ChecklistProgressSerializer()


class AttestInputSerializer(serializers.Serializer):
    attester = serializers.ChoiceField(
        choices=Attester.choices, help_text="The role signed for; one the items name."
    )
    signed_name = serializers.CharField(max_length=200, help_text="The signer's full name.")
    agreed = serializers.BooleanField(help_text="The statement (in `statement`) is agreed.")


class CorrectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_TEXT, help_text="What is corrected, and why.")


class ItemActionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    goal = ProgramObjectField(
        model="coaching.PlanGoal",
        noun="goal",
        reach=goals_in_reach,
        required=False,
        allow_null=True,
        help_text="A goal of the practice's current plan (active, else its latest draft); "
        "required when it has one, left out when the practice has no plan.",
    )
    owner = ProgramObjectField(
        model=get_user_model(),
        noun="person",
        reach=lambda access: program_people(),
        required=False,
        allow_null=True,
        help_text="A lead or staff member of the practice, or a coach or admin of the program.",
    )
    due_on = BoundedDateField(required=False, allow_null=True)


class ChecklistResponseSerializer(AnswerSerializer):
    checklist = serializers.IntegerField(source="instance_id", read_only=True)
    item = serializers.IntegerField(source="item_id", read_only=True)
    action = serializers.IntegerField(source="action_id", read_only=True, allow_null=True)

    class Meta(AnswerSerializer.Meta):
        fields = ["id", "checklist", "item", *AnswerSerializer.Meta.fields[1:], "action"]
        read_only_fields = fields
