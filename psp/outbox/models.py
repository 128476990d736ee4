"""A task that must not be lost, kept as a row until a worker has run it.

The row is written in the same transaction as the change that caused it (a saved invitation, a
requested report, a notification due), so the task exists exactly when its cause does. The
relay (psp/outbox/relay.py) sends due rows to the broker; the task marks its row as running, done
or failed (psp/tenancy/tasks.py). A broker outage leaves rows pending, to be sent when it
returns: a delay, never a lost task.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from psp.tenancy.base import ProgramOwned


class OutboxState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class OutboxMessage(ProgramOwned):
    task = models.CharField(max_length=200, help_text="The Celery task's registered name.")
    kwargs = models.JSONField(default=dict, help_text="Ids and plain values only, never objects.")
    # Two requests for the same piece of work (a double submit, a scan run twice) share one row.
    key = models.CharField(max_length=200, blank=True)
    state = models.CharField(
        max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who caused the task, when a person did.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Not sent before this moment: a retry's backoff, or work scheduled for later.
    not_before = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Runs started so far.")
    error = models.TextField(blank=True, help_text="The last error, for whoever looks into it.")

    class Meta:
        verbose_name = "background task"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "key"], condition=~Q(key=""), name="outbox_key_once"
            )
        ]
        indexes = [
            # The relay's question: what is due to be sent (or was sent and never started)?
            models.Index(
                fields=["state", "not_before"],
                condition=Q(state__in=["pending", "sent"]),
                name="outbox_due",
            ),
            models.Index(
                fields=["program", "state", "-created_at"], name="outbox_by_program_state"
            ),
        ]

    def __str__(self):
        return f"{self.task} #{self.pk} ({self.get_state_display().lower()})"

    @property
    def short_task(self) -> str:
        """The task's own name, without its module path."""
        return self.task.rsplit(".", 1)[-1].replace("_", " ")
