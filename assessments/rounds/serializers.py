"""Serializers of the assessment rounds API (api.py): rounds, answers, the consensus
grid, comparisons and domain scores. Related ids are looked up inside the program and the
caller's reach only; `program` is never an input."""

from functools import partial

from rest_framework import serializers

from assessments.instruments.models import InstrumentVersion
from assessments.instruments.selectors import published_versions
from assessments.rounds.models import Assessment, DomainScore
from practices.models import Practice
from practices.selectors import practices_in_reach
from psp.api.fields import BoundedDateField, ProgramObjectField
from psp.tenancy.permissions import Capability

OPEN = Capability.ASSESSMENT_OPEN


# Serializers ------------------------------------------------------------------------------


class DomainScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = DomainScore
        fields = [
            "id",
            "assessment",
            "domain_key",
            "domain_name",
            "position",
            "percent",
            "achieved_points",
            "attainable_points",
        ]
        read_only_fields = fields


class InstrumentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()


class AssessmentSerializer(serializers.ModelSerializer):
    practice = ProgramObjectField(
        model=Practice,
        noun="practice",
        reach=partial(practices_in_reach, capability=OPEN),
        error_messages={"does_not_exist": "No practice with id {pk_value} you can assess."},
        help_text="The practice assessed (on create: one you may open rounds for).",
    )
    practice_name = serializers.CharField(source="practice.name", read_only=True)
    version = ProgramObjectField(
        model=InstrumentVersion,
        noun="published instrument version",
        reach=lambda access: published_versions(),
        help_text="The published instrument version answered.",
    )
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    instrument = InstrumentBriefSerializer(source="version.instrument", read_only=True)
    domain_scores = DomainScoreSerializer(
        many=True,
        read_only=True,
        help_text="Stored at submission; empty while the round is open.",
    )
    due_on = BoundedDateField(required=False, allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "practice",
            "practice_name",
            "instrument",
            "version",
            "version_number",
            "kind",
            "status",
            "opened_at",
            "opened_by",
            "due_on",
            "submitted_at",
            "submitted_by",
            "overall_score",
            "achieved_points",
            "attainable_points",
            "domain_scores",
        ]
        read_only_fields = [
            "kind",
            "status",
            "opened_at",
            "opened_by",
            "submitted_at",
            "submitted_by",
            "overall_score",
            "achieved_points",
            "attainable_points",
        ]
        extra_kwargs = {
            "kind": {
                "help_text": "Baseline for a practice's first round of the instrument, "
                "follow-up afterwards (derived, not chosen)."
            },
        }


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text="A question id of the round's version.")
    value = serializers.JSONField(
        required=False,
        allow_null=True,
        default=None,
        help_text="By kind: scale an integer in its range; yes_no true/false; single an option "
        "value; multiple a list of option values; number a number; text a string. Null or "
        "empty clears the answer.",
    )
    is_na = serializers.BooleanField(
        required=False, default=False, help_text="“Not applicable” (where the question allows it)."
    )


class AnswersInputSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(many=True, allow_empty=False, max_length=1000)


class AnswerOutputSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    question_key = serializers.CharField()
    value = serializers.JSONField(allow_null=True)
    is_na = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class MyAnswersSerializer(serializers.Serializer):
    response = serializers.IntegerField(allow_null=True, help_text="Null before the first answer.")
    submitted_at = serializers.DateTimeField(allow_null=True)
    answers = AnswerOutputSerializer(many=True)


class ConsensusInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text="A question id of the round's version.")
    value = serializers.JSONField(required=False, allow_null=True, default=None)
    is_na = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RespondentSerializer(serializers.Serializer):
    response = serializers.IntegerField()
    respondent = serializers.IntegerField()
    name = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    counted = serializers.BooleanField(
        help_text="Only submitted responses count towards agreement."
    )


class CellSerializer(serializers.Serializer):
    response = serializers.IntegerField()
    answered = serializers.BooleanField()
    value = serializers.JSONField(allow_null=True)
    is_na = serializers.BooleanField()


class ConsensusValueSerializer(serializers.Serializer):
    value = serializers.JSONField(allow_null=True)
    is_na = serializers.BooleanField()
    note = serializers.CharField()
    decided_by = serializers.IntegerField(allow_null=True, help_text="Null when everyone agreed.")
    decided_at = serializers.DateTimeField()


class GridRowSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    question_key = serializers.CharField()
    domain_key = serializers.CharField()
    text = serializers.CharField()
    required = serializers.BooleanField()
    scored = serializers.BooleanField()
    answers = CellSerializer(many=True)
    disagreement = serializers.BooleanField()
    consensus = ConsensusValueSerializer(allow_null=True)
    blocks = serializers.CharField(
        help_text="Why the question stops submission: `unanswered`, `disagreement`, or empty."
    )


class ConsensusGridSerializer(serializers.Serializer):
    can_submit = serializers.BooleanField()
    respondents = RespondentSerializer(many=True)
    questions = GridRowSerializer(many=True)


class ComparedSerializer(serializers.Serializer):
    domain_key = serializers.CharField()
    domain_name = serializers.CharField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    baseline = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    change_from_baseline = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    previous = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    change_from_previous = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class RoundBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    overall_score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class ComparisonSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(source="assessment.pk")
    baseline = RoundBriefSerializer(allow_null=True)
    previous = RoundBriefSerializer(allow_null=True)
    overall = ComparedSerializer()
    domains = ComparedSerializer(many=True)


class ResponseStatusSerializer(serializers.Serializer):
    response = serializers.IntegerField(source="pk")
    submitted_at = serializers.DateTimeField()
