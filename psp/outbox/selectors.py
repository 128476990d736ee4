"""Reading the outbox for the program's admins: the tasks that failed, and those waiting to be
tried again after a transient error, with what each was in words."""

from django.db.models import Q

from psp.outbox.models import OutboxMessage, OutboxState

# What a task is, as a person reads it. Tasks of the notifications and reports packages are
# named by their package, so a new one reads sensibly before it is listed here.
TASK_LABELS = {
    "psp.accounts.tasks.send_invitation": "Invitation email",
    "coaching.tasks.send_feedback_invite": "Feedback request email",
    "coaching.tasks.refresh_caseload_standings": "Caseload status update",
    "psp.demo.tasks.worker_check": "Worker check",
}
PACKAGE_LABELS = {
    "psp.reports.": "Report",
    "psp.notifications.": "Notification",
}


def task_label(task: str) -> str:
    if task in TASK_LABELS:
        return TASK_LABELS[task]
    for prefix, label in PACKAGE_LABELS.items():
        if task.startswith(prefix):
            return label
    short = task.rsplit(".", 1)[-1].replace("_", " ").strip()
    return short[:1].upper() + short[1:] if short else task


def tasks_needing_attention():
    """The program's tasks that failed, or failed at least once and wait to be tried again,
    newest first, with who asked for each (one query, whatever their number)."""
    return (
        OutboxMessage.objects.filter(
            Q(state=OutboxState.FAILED) | Q(state=OutboxState.PENDING, attempts__gt=0)
        )
        .select_related("requested_by")
        .order_by("-created_at", "-pk")
    )
