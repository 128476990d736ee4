"""The Django admin for platform operators: instruments, their versions and structure, and the
change library, across every program (psp/tenancy/admin.py's ProgramOwnedAdmin reads through
`all_programs` on purpose and edits a row inside its program's scope).

Program admins build instruments on the program pages, where publishing is validated. Here a
version's status is read-only (publish through the pages or the API), nothing is added, and the
domains, questions and options of a published or retired version cannot change: completed
assessments point at them.
"""

from django.contrib import admin
from django.utils.html import format_html_join

from assessments.instruments.models import (
    ChangeIdea,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
)
from psp.tenancy.admin import ProgramOwnedAdmin


class FrozenStructureAdmin(ProgramOwnedAdmin):
    """Rows of a version's structure: editable only while the version is a draft."""

    def version_of(self, obj):
        return obj.version

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or not self.version_of(obj).is_frozen)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not self.version_of(obj).is_frozen)


@admin.register(Instrument)
class InstrumentAdmin(ProgramOwnedAdmin):
    list_display = ["name", "program", "key", "sector", "cadence_months", "weak_threshold"]
    list_filter = ["program", "sector"]
    search_fields = ["name", "key", "program__name"]
    readonly_fields = ["key", "source_pack", "created_at"]

    def has_add_permission(self, request):
        return False  # instruments are built or loaded from packs on the program pages


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ProgramOwnedAdmin):
    list_display = ["__str__", "program", "status", "created_at", "published_at"]
    list_filter = ["program", "status"]
    list_select_related = ["program", "instrument"]
    search_fields = ["instrument__name", "instrument__key", "change_note"]
    readonly_fields = [
        "instrument",
        "number",
        "status",
        "created_at",
        "created_by",
        "published_at",
        "published_by",
    ]
    fields = [*readonly_fields, "change_note"]

    def has_add_permission(self, request):
        return False


@admin.register(Domain)
class DomainAdmin(FrozenStructureAdmin):
    list_display = ["name", "key", "version", "program", "position"]
    list_filter = ["program"]
    list_select_related = ["program", "version", "version__instrument"]
    search_fields = ["name", "key", "version__instrument__name"]
    readonly_fields = ["version"]
    fields = ["version", "key", "name", "description", "position"]


@admin.register(Question)
class QuestionAdmin(FrozenStructureAdmin):
    list_display = ["__str__", "kind", "domain", "version", "program", "scored", "weight"]
    list_filter = ["program", "kind", "scored", "required"]
    list_select_related = ["program", "domain", "version", "version__instrument"]
    search_fields = ["text", "key", "version__instrument__name"]
    readonly_fields = ["version", "domain", "kind", "option_summary"]
    fieldsets = [
        (None, {"fields": ["version", "domain", "key", "text", "help_text", "kind"]}),
        ("Answering and scoring", {"fields": ["required", "scored", "weight", "allow_na"]}),
        (
            "By kind",
            {
                "fields": [
                    "scale_min",
                    "scale_max",
                    "scale_labels",
                    "yes_is_positive",
                    "number_min",
                    "number_max",
                    "unit",
                    "option_summary",
                ]
            },
        ),
        (None, {"fields": ["position"]}),
    ]

    @admin.display(description="Options")
    def option_summary(self, obj):
        options = Option.all_programs.filter(question=obj).order_by("position", "pk")
        return (
            format_html_join(", ", "{} ({} points)", ((o.label, o.score) for o in options)) or "—"
        )


@admin.register(Option)
class OptionAdmin(FrozenStructureAdmin):
    list_display = ["label", "value", "score", "question", "program"]
    list_filter = ["program"]
    list_select_related = ["program", "question"]
    search_fields = ["label", "value", "question__text"]
    readonly_fields = ["question"]
    fields = ["question", "value", "label", "score", "position"]

    def version_of(self, obj):
        return obj.question.version


@admin.register(ChangeIdea)
class ChangeIdeaAdmin(ProgramOwnedAdmin):
    list_display = ["goal", "instrument", "domain_key", "program", "kpi_key", "is_active"]
    list_filter = ["program", "is_active"]
    list_select_related = ["program", "instrument"]
    search_fields = ["goal", "rationale", "domain_key", "instrument__name"]
    readonly_fields = ["instrument"]
    fields = [
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

    def has_add_permission(self, request):
        return False  # ideas need an instrument of the same program: use the program pages
