"""Evidence files in the Django admin, read only, for platform operators: what was attached to
what, by whom, and when it was removed. The files themselves leave only through the download
view, which asks the subject's kind who may read them."""

from django.contrib import admin

from psp.evidence.models import EvidenceFile
from psp.tenancy.admin import ProgramOwnedAdmin


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ProgramOwnedAdmin):
    list_display = [
        "original_name",
        "program",
        "subject_type",
        "subject_id",
        "label",
        "size",
        "uploaded_at",
        "removed_at",
    ]
    list_filter = ["program", "subject_type", "content_type"]
    list_select_related = ["program", "uploaded_by"]
    search_fields = ["original_name", "sha256"]
    date_hierarchy = "uploaded_at"
    exclude = ["file"]
    readonly_fields = [f.name for f in EvidenceFile._meta.fields if f.name != "file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
