"""Serializers of the template endpoints. They check the shape of input; the rules (the
document whole, a key not taken, a draft to change) are the services', whose problems come back
named by path ("sections[1].items[3].attester")."""

from rest_framework import serializers

from compliance.checklists.describe import schedule_words
from compliance.checklists.document import MAX_DUE_DAYS
from compliance.checklists.models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
)

SECTIONS_HELP = (
    "The sections, each {title, items: [{key, text, guidance, reference, response_type "
    "(done, yes_no, date, number, text), yes_is_compliant, evidence_required, attester (lead, "
    "privacy_officer, safeguarding_lead, ipc_lead, trust_signatory)}]}. Problems are named by "
    "path, e.g. `sections[1].items[3].attester`."
)


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "key",
            "text",
            "guidance",
            "reference",
            "response_type",
            "yes_is_compliant",
            "evidence_required",
            "attester",
            "position",
        ]
        read_only_fields = fields


class ChecklistSectionSerializer(serializers.ModelSerializer):
    items = ChecklistItemSerializer(source="item_list", many=True, read_only=True)

    class Meta:
        model = ChecklistSection
        fields = ["id", "title", "position", "items"]
        read_only_fields = fields


class ChecklistVersionSerializer(serializers.ModelSerializer):
    sections = ChecklistSectionSerializer(source="section_list", many=True, read_only=True)

    class Meta:
        model = ChecklistVersion
        fields = ["id", "number", "status", "change_note", "created_at", "published_at", "sections"]
        read_only_fields = fields


class ChecklistVersionSummarySerializer(serializers.ModelSerializer):
    """A version in the history: without its items (read one on the template pages)."""

    item_count = serializers.IntegerField(read_only=True, help_text="Items in the version.")
    instance_count = serializers.IntegerField(
        read_only=True, help_text="Checklists made from this version."
    )

    class Meta:
        model = ChecklistVersion
        fields = [
            "id",
            "number",
            "status",
            "change_note",
            "created_at",
            "published_at",
            "item_count",
            "instance_count",
        ]
        read_only_fields = fields


class ChecklistTemplateSerializer(serializers.ModelSerializer):
    schedule = serializers.SerializerMethodField(help_text="How often it recurs, in words.")
    current_version = ChecklistVersionSerializer(
        read_only=True,
        allow_null=True,
        help_text="The version new checklists are made from, with its sections and items; "
        "null until one is published.",
    )
    draft_version = serializers.IntegerField(
        source="draft_number",
        read_only=True,
        allow_null=True,
        help_text="The number of its draft version, if it has one.",
    )
    sections = serializers.JSONField(
        write_only=True, required=False, help_text=f"On create: {SECTIONS_HELP}"
    )
    publish = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="On create: publish version 1 at once (it needs items); otherwise it stays "
        "a draft.",
    )
    source_pack = serializers.CharField(
        read_only=True, help_text="The pack it was loaded from; empty for one written here."
    )
    anchor_month = serializers.IntegerField(min_value=1, max_value=12, required=False)
    due_days = serializers.IntegerField(min_value=1, max_value=MAX_DUE_DAYS, required=False)

    class Meta:
        model = ChecklistTemplate
        fields = [
            "id",
            "key",
            "name",
            "description",
            "sector",
            "recurrence",
            "anchor_month",
            "due_days",
            "event",
            "event_stage",
            "schedule",
            "is_active",
            "source_pack",
            "current_version",
            "draft_version",
            "sections",
            "publish",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["source_pack", "created_at", "updated_at"]
        validators = []  # the service checks the key against the program's other templates
        extra_kwargs = {"key": {"validators": []}}

    def get_schedule(self, template) -> str:
        return schedule_words(template)

    def validate(self, attrs):
        if self.instance is None:
            missing = [name for name in ("key", "name") if name not in attrs]
            if missing:
                raise serializers.ValidationError(dict.fromkeys(missing, "This field is required."))
        else:
            if "key" in attrs and attrs["key"] != self.instance.key:
                raise serializers.ValidationError({"key": "A template's key stays as it was made."})
            refused = [name for name in ("sections", "publish") if name in self.initial_data]
            if refused:
                raise serializers.ValidationError(
                    dict.fromkeys(
                        refused, "Change items in a draft version (PUT …/draft/), not here."
                    )
                )
        return attrs


class NoteSerializer(serializers.Serializer):
    change_note = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="What changes in the version."
    )


class DraftSerializer(serializers.Serializer):
    sections = serializers.JSONField(help_text=SECTIONS_HELP)


class PackTemplateSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    recurrence = serializers.CharField()
    item_count = serializers.IntegerField()
    loaded = serializers.BooleanField(help_text="A template with this key is in the program.")


class ChecklistPackSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    sectors = serializers.ListField(
        child=serializers.CharField(), help_text="Empty: suits every sector."
    )
    templates = PackTemplateSerializer(many=True)


class ChecklistPackLoadSerializer(serializers.Serializer):
    packs = serializers.ListField(
        child=serializers.SlugField(max_length=60),
        min_length=1,
        max_length=20,
        help_text="Pack keys, e.g. privacy-confidentiality.",
    )


class PackLoadResultSerializer(serializers.Serializer):
    made = serializers.ListField(
        child=serializers.CharField(), help_text="Keys of the templates made."
    )
    skipped = serializers.ListField(
        child=serializers.CharField(),
        help_text="Keys of templates already here, left as they are.",
    )
