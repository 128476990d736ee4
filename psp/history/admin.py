"""The change history in the Django admin: read-only, for platform operators (the history is a
record; nobody adds or edits a line of it by hand)."""

from django.contrib import admin

from psp.history.models import ChangeRecord
from psp.tenancy.admin import ProgramOwnedAdmin


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ProgramOwnedAdmin):
    list_display = ["changed_at", "program", "practice_id", "subject_type", "subject_id", "what"]
    list_filter = ["program", "subject_type"]
    list_select_related = ["program", "changed_by"]
    search_fields = ["summary", "what"]
    date_hierarchy = "changed_at"
    fields = [
        "program",
        "practice_id",
        "subject_type",
        "subject_id",
        "record_type",
        "record_id",
        "what",
        "summary",
        "changes",
        "changed_by",
        "changed_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
