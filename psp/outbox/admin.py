"""Background tasks in the Django admin: platform operators see every program's failed tasks,
with the reason, and can send them again."""

from django.contrib import admin, messages

from psp.outbox.models import OutboxMessage, OutboxState
from psp.outbox.services import outbox_retry
from psp.tenancy.scope import program_scope


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("task", "program", "state", "attempts", "created_at", "finished_at", "error")
    list_filter = ("state", "task", "program")
    search_fields = ("task", "key", "error")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_select_related = ("program",)
    actions = ("try_again",)
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def get_queryset(self, request):
        return OutboxMessage.all_programs.all()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Try the selected failed tasks again")
    def try_again(self, request, queryset):
        count = 0
        for message in queryset.filter(state=OutboxState.FAILED):
            with program_scope(message.program_id):
                outbox_retry(program=message.program, message_id=message.pk)
            count += 1
        self.message_user(request, f"{count} failed task(s) sent again.", messages.SUCCESS)
