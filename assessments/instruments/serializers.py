"""Serializers of the instruments API (api.py): instruments with their versions, a version's
whole structure (read-only), packs and the change library. Related ids are looked up inside the
program only; `program` is never an input."""

from rest_framework import serializers

from assessments.instruments import selectors
from assessments.instruments.change_ideas import MAX_ACTIONS
from assessments.instruments.models import (
    ChangeIdea,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
)
from psp.api.fields import ProgramObjectField


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = InstrumentVersion
        fields = ["id", "number", "status", "change_note", "created_at", "published_at"]
        read_only_fields = fields


class InstrumentSerializer(serializers.ModelSerializer):
    key = serializers.SlugField(
        required=False,
        max_length=80,
        help_text="Stable identifier. Made from the name when left out; cannot change later.",
    )
    published_version = serializers.IntegerField(
        source="published_version_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the version new assessments use (null until one is published).",
    )
    draft_version = serializers.IntegerField(
        source="draft_version_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the draft being built, if any.",
    )
    active_change_ideas = serializers.IntegerField(
        source="active_idea_count", read_only=True, allow_null=True, default=0
    )
    versions = VersionSummarySerializer(source="version_list", many=True, read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "id",
            "key",
            "name",
            "sector",
            "description",
            "cadence_months",
            "weak_threshold",
            "source_pack",
            "published_version",
            "draft_version",
            "active_change_ideas",
            "versions",
            "created_at",
        ]
        read_only_fields = ["source_pack", "created_at"]
        validators = []  # uniqueness is the service's to check, inside the program

    def validate_key(self, value):
        if self.instance is not None and value != self.instance.key:
            raise serializers.ValidationError("An instrument's key cannot change.")
        return value


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "value", "label", "score", "position"]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    scale_labels = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Scale questions: a label per point, keyed by the point.",
    )
    options = OptionSerializer(source="option_list", many=True, read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "key",
            "text",
            "help_text",
            "kind",
            "required",
            "scored",
            "weight",
            "allow_na",
            "scale_min",
            "scale_max",
            "scale_labels",
            "yes_is_positive",
            "number_min",
            "number_max",
            "unit",
            "position",
            "options",
        ]
        read_only_fields = fields


class DomainSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(source="question_list", many=True, read_only=True)

    class Meta:
        model = Domain
        fields = ["id", "key", "name", "description", "position", "questions"]
        read_only_fields = fields


class VersionListSerializer(serializers.ModelSerializer):
    domain_count = serializers.IntegerField(read_only=True)
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = InstrumentVersion
        fields = [
            "id",
            "instrument",
            "number",
            "status",
            "change_note",
            "domain_count",
            "question_count",
            "created_at",
            "published_at",
        ]
        read_only_fields = fields


class VersionDetailSerializer(serializers.ModelSerializer):
    domains = DomainSerializer(source="domain_list", many=True, read_only=True)

    class Meta:
        model = InstrumentVersion
        fields = [
            "id",
            "instrument",
            "number",
            "status",
            "change_note",
            "created_at",
            "published_at",
            "domains",
        ]
        read_only_fields = fields


class ChangeNoteSerializer(serializers.Serializer):
    change_note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=None
    )


class PackSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField()
    sectors = serializers.ListField(child=serializers.CharField())
    cadence_months = serializers.IntegerField()
    weak_threshold = serializers.IntegerField()
    domain_count = serializers.IntegerField()
    question_count = serializers.IntegerField()
    change_idea_count = serializers.IntegerField()
    loaded = serializers.BooleanField(help_text="Already loaded in this program.")


class PackLoadSerializer(serializers.Serializer):
    pack = serializers.CharField(help_text="The key of one of the packs listed by GET …/packs/.")


class ChangeIdeaSerializer(serializers.ModelSerializer):
    instrument = ProgramObjectField(
        model=Instrument,
        noun="instrument",
        reach=lambda access: selectors.instruments_in_program(),
    )
    suggested_actions = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=MAX_ACTIONS,
    )

    class Meta:
        model = ChangeIdea
        fields = [
            "id",
            "instrument",
            "domain_key",
            "goal",
            "rationale",
            "suggested_measure",
            "suggested_actions",
            "kpi_key",
            "is_active",
            "position",
        ]
        read_only_fields = ["position"]

    def validate_instrument(self, value):
        if self.instance is not None and value.pk != self.instance.instrument_id:
            raise serializers.ValidationError("A change idea cannot move to another instrument.")
        return value
