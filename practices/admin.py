"""The Django admin for platform operators: practices of every program, side by side.

The admin runs outside any program scope, so these model admins read through the loudly named
`all_programs` manager on purpose, and validate a change inside the program of the row it edits
(uniqueness checks use the scoped default manager). Program staff use the program pages instead.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.utils.text import capfirst

from practices.models import CoachAssignment, Practice, PracticeMembership, StageChange
from psp.tenancy.base import ProgramOwned
from psp.tenancy.scope import program_scope


class ProgramOwnedAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        program = cleaned.get("program") or getattr(self.instance, "program", None)
        practice = cleaned.get("practice")
        if program and practice and practice.program_id != program.pk:
            raise ValidationError({"practice": "This practice belongs to another program."})
        return cleaned

    def _get_validation_exclusions(self):
        # `program` is read-only once a row exists, yet every uniqueness rule includes it.
        exclusions = super()._get_validation_exclusions()
        if self.instance.program_id:
            exclusions.discard("program")
        return exclusions

    def _post_clean(self):
        program = self.cleaned_data.get("program")
        if program is None and self.instance.program_id:
            program = self.instance.program_id
        if program is None:  # already reported on the program field; nothing to check against
            return
        with program_scope(program):
            super()._post_clean()


class ProgramOwnedAdmin(admin.ModelAdmin):
    """Cross-program on purpose: shows and edits rows of every program, with their program."""

    form = ProgramOwnedAdminForm
    list_select_related = ["program"]

    def get_queryset(self, request):
        queryset = self.model.all_programs.get_queryset()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_readonly_fields(self, request, obj=None):
        # Moving a row to another program would strand its related rows in the old one.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "program"] if obj is not None else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if not issubclass(related, ProgramOwned):
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        # Built here because ForeignKey.formfield() asks the scoped default manager first.
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", AutocompleteSelect(db_field, self.admin_site))
        return forms.ModelChoiceField(
            queryset=related.all_programs.select_related("program"),
            required=not db_field.blank,
            label=capfirst(db_field.verbose_name),
            help_text=db_field.help_text,
            **kwargs,
        )


@admin.register(Practice)
class PracticeAdmin(ProgramOwnedAdmin):
    list_display = ["name", "program", "sector", "stage", "region", "stage_changed_at"]
    list_filter = ["program", "sector", "stage"]
    search_fields = ["name", "region", "specialty", "contact_name", "contact_email"]
    readonly_fields = ["stage", "stage_changed_at", "created_at", "updated_at"]
    date_hierarchy = "stage_changed_at"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # An enrolment made here is still an enrolment: its stage history starts with it,
            # as it does for practices added on the pages (practices.services.practice_create).
            StageChange.all_programs.create(
                program_id=obj.program_id,
                practice=obj,
                from_stage="",
                to_stage=obj.stage,
                moved_by=request.user,
                moved_at=obj.stage_changed_at,
                note="Enrolled by a platform operator.",
            )


@admin.register(StageChange)
class StageChangeAdmin(ProgramOwnedAdmin):
    """Stage history is a record of what happened: operators may read it, not rewrite it."""

    list_display = ["practice", "program", "from_stage", "to_stage", "moved_by", "moved_at"]
    list_filter = ["program", "to_stage"]
    list_select_related = ["program", "practice", "moved_by"]
    search_fields = ["practice__name", "note", "moved_by__email"]
    date_hierarchy = "moved_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PracticeMembership)
class PracticeMembershipAdmin(ProgramOwnedAdmin):
    list_display = ["user", "practice", "program", "role", "title", "is_active"]
    list_filter = ["program", "role", "is_active"]
    list_select_related = ["program", "practice", "user"]
    search_fields = ["user__email", "user__full_name", "practice__name"]
    autocomplete_fields = ["practice"]
    raw_id_fields = ["user"]


@admin.register(CoachAssignment)
class CoachAssignmentAdmin(ProgramOwnedAdmin):
    list_display = ["coach", "practice", "program", "is_primary", "assigned_at"]
    list_filter = ["program", "is_primary"]
    list_select_related = ["program", "practice", "coach"]
    search_fields = ["coach__email", "coach__full_name", "practice__name"]
    autocomplete_fields = ["practice"]
    raw_id_fields = ["coach", "assigned_by"]
