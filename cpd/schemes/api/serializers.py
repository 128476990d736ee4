"""Serializers of the scheme endpoints. They check the shape of the input; the rules (a code not
taken, the rules document whole, people of this program) are the services'."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from cpd.schemes import describe, selectors
from cpd.schemes.models import CpdScheme, CpdSchemeVersion, CpdVerifier
from cpd.schemes.packs import ROLES
from cpd.schemes.rules import Rules
from psp.api.fields import ProgramObjectField
from psp.api.serializers import PersonSerializer
from psp.tenancy.models import Sector
from psp.tenancy.permissions import Capability

RULES_HELP = (
    "The rules document: unit, cycle, required, categories, credit_rules, carry_over (see the "
    "README's CPD schemes section). Its problems are named by path under `rules.`, e.g. "
    "`rules.categories[2].parent`. On update, a changed document writes a new version."
)


def _in_words(rules_json) -> dict | None:
    return describe.describe(Rules.parse(rules_json)) if rules_json else None


class CpdSchemeSerializer(serializers.ModelSerializer):
    applies_to_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ROLES), required=False
    )
    applies_to_sectors = serializers.ListField(
        child=serializers.ChoiceField(choices=Sector.choices),
        required=False,
        help_text="Empty: every sector.",
    )
    people = ProgramObjectField(
        model=get_user_model(),
        noun="person",
        reach=lambda access: selectors.program_people(),
        many=True,
        required=False,
        help_text="People chosen by hand (ids); shown to program admins only.",
    )
    rules = serializers.JSONField(required=False, help_text=RULES_HELP)
    rules_in_words = serializers.SerializerMethodField(
        help_text="The current rules as sentences: summary, categories, credit_rules, "
        "uncounted, carry_over."
    )
    note = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="What changed and why, kept with the new version.",
    )
    version = serializers.IntegerField(source="current_version.number", read_only=True)
    open_cycles = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = CpdScheme
        fields = [
            "id",
            "code",
            "name",
            "description",
            "body",
            "applies_to_roles",
            "applies_to_sectors",
            "people",
            "is_active",
            "template_key",
            "version",
            "rules",
            "rules_in_words",
            "note",
            "open_cycles",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["template_key", "created_at", "updated_at"]
        validators = []  # the service checks the code against the program's other schemes
        extra_kwargs = {"code": {"validators": []}}

    def get_rules_in_words(self, scheme) -> dict | None:
        return _in_words(scheme.current_version.rules if scheme.current_version else None)

    def validate(self, attrs):
        if self.instance is None:
            missing = [name for name in ("code", "name", "rules") if name not in attrs]
            if missing:
                raise serializers.ValidationError(dict.fromkeys(missing, "This field is required."))
        elif "code" in attrs and attrs["code"] != self.instance.code:
            raise serializers.ValidationError({"code": "A scheme's code stays as it was made."})
        return attrs

    def to_representation(self, scheme):
        data = super().to_representation(scheme)
        data["rules"] = scheme.current_version.rules if scheme.current_version else None
        access = self.context.get("access")
        if access is not None and access.can(Capability.CPD_DEFINE):
            data["people"] = [user.pk for user in selectors.chosen_people(scheme=scheme)]
        else:
            data.pop("people", None)
        return data


class CpdSchemeVersionSerializer(serializers.ModelSerializer):
    created_by = PersonSerializer(read_only=True)
    rules_in_words = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField(
        help_text="What changed from the version before, a phrase each (none for the first)."
    )

    class Meta:
        model = CpdSchemeVersion
        fields = [
            "id",
            "number",
            "rules",
            "rules_in_words",
            "note",
            "changes",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields

    def get_rules_in_words(self, version) -> dict:
        return _in_words(version.rules)

    def get_changes(self, version) -> list[str]:
        return self.context.get("changes", {}).get(version.pk, [])


class CpdVerifierSerializer(serializers.ModelSerializer):
    user = ProgramObjectField(
        model=get_user_model(),
        noun="person",
        reach=lambda access: selectors.program_people(),
        help_text="The person named (an id of a program member who is not an admin).",
    )
    person = PersonSerializer(source="user", read_only=True)
    named_by = PersonSerializer(read_only=True)

    class Meta:
        model = CpdVerifier
        fields = ["id", "user", "person", "named_at", "named_by"]
        read_only_fields = ["named_at", "named_by"]
        validators = []  # the service says when someone is a verifier already


class TemplateLoadSerializer(serializers.Serializer):
    template = serializers.SlugField(max_length=60, help_text="A template key, e.g. law-society.")
