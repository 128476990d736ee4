"""Reports in the Django admin, read only: platform operators see every program's reports, their
state and the reason one failed (the file itself is only for its requester, through the
download view)."""

from django.contrib import admin

from psp.reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("document", "program", "requested_by", "state", "progress", "created_at")
    list_filter = ("state", "document", "program")
    search_fields = ("description", "error", "key")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_select_related = ("program", "requested_by")
    exclude = ("file",)
    readonly_fields = [f.name for f in Report._meta.fields if f.name != "file"]

    def get_queryset(self, request):
        return Report.all_programs.all()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
